"""nmops: KPI functions, sample data and grading helpers for the 新媒体运营 (new media operations) course.

The public surface is small and grouped by concept::

    import nmops
    nmops.datasets.load_posts()          # sample channel data of the course's company
    nmops.metrics.read_rate(...)         # every KPI of the four levels
    nmops.exports.read_export(path)      # real platform export files
    nmops.plotting.use_chinese_font()    # Chinese labels in matplotlib
    nmops.levels.levels_table()          # the four levels of the job

Submodules are imported on first use, so ``import nmops`` stays fast.
"""

import importlib

from nmops._validation import NmopsInputError, safe_divide

__version__ = "0.1.0"

_SUBMODULES = ("datasets", "exports", "grading", "levels", "metrics", "plotting")

__all__ = ["NmopsInputError", "safe_divide", "__version__", *_SUBMODULES]


def __getattr__(name):
    if name in _SUBMODULES:
        return importlib.import_module(f"nmops.{name}")
    raise AttributeError(f"module 'nmops' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_SUBMODULES))
