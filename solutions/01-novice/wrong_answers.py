"""Wrong answers of assignment 01-novice for tests/test_assignments.py (instructor only).

The one place for what is known about the answers is ``known_answers.py``
(the learner loop's format: ``TASKS``, ``WRITTEN``, ``PLANTED``). This
adapter turns it into the ``WRONG_ANSWERS`` mapping the current tests read,
{test cell grade_id: [(why, code), ...]}. Until ``nmops.coach`` is merged,
a stand-in for its three record types is used to read the file; once the
learner loop's tests read ``known_answers.py`` directly, delete this file.
"""

import importlib.util
import sys
import types
from collections import namedtuple
from pathlib import Path


def _coach_stand_in() -> types.ModuleType:
    module = types.ModuleType("nmops.coach")
    module.Mistake = namedtuple("Mistake", "name explanation code public", defaults=(False,))
    module.Task = namedtuple("Task", "title variable hints mistakes", defaults=((),))
    module.Written = namedtuple("Written", "title rubric")
    return module


def _load_known_answers():
    path = Path(__file__).with_name("known_answers.py")
    spec = importlib.util.spec_from_file_location("known_answers_01_novice", path)
    module = importlib.util.module_from_spec(spec)
    try:
        import nmops.coach  # noqa: F401
    except ImportError:
        sys.modules["nmops.coach"] = _coach_stand_in()
        try:
            spec.loader.exec_module(module)
        finally:
            del sys.modules["nmops.coach"]
    else:
        spec.loader.exec_module(module)
    return module


_known = _load_known_answers()
WRONG_ANSWERS = {}
for _task, _info in _known.TASKS.items():
    WRONG_ANSWERS.setdefault(f"{_task}_test", []).extend((m.name, m.code) for m in _info.mistakes)
for _task, _planted in _known.PLANTED.items():
    WRONG_ANSWERS.setdefault(f"{_task}_test", []).extend(_planted)
