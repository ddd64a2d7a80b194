"""What nbgrader needs from nmops (评分工具): answer checks and clean feedback.

* :mod:`nmops.grading.checks`: ``check_number``, ``check_set``,
  ``check_mapping``, ``check_series``, ``check_frame`` (and the format-only
  ``require_number``) for autograder test cells. They check the exact type
  before the value, so an object that overrides ``__eq__`` cannot pass.
* :mod:`nmops.grading.feedback`: ``HideHiddenTests``, the nbgrader
  preprocessor wired into ``GenerateFeedback`` by ``nbgrader_config.py`` so
  that feedback shows neither hidden-test code nor a hidden test's traceback.

The feedback preprocessor is imported lazily: test cells import this package
inside the learner's kernel, which should not pay for importing nbgrader.
"""

from nmops.grading.checks import (
    check_frame,
    check_mapping,
    check_number,
    check_series,
    check_set,
    require_number,
)

__all__ = [
    "check_frame",
    "check_mapping",
    "check_number",
    "check_series",
    "check_set",
    "require_number",
    "HideHiddenTests",
]


def __getattr__(name: str):
    if name == "HideHiddenTests":
        from nmops.grading.feedback import HideHiddenTests

        return HideHiddenTests
    raise AttributeError(f"module 'nmops.grading' has no attribute {name!r}")
