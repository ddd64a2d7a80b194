"""SandboxedExecute on small notebooks: refusal without bubblewrap, instructor-owned names, partial credit."""

from __future__ import annotations

import copy

import pytest
from nbformat.v4 import new_code_cell, new_notebook

from nmops.grading import safe_execute
from nmops.grading.safe_execute import SandboxedExecute

LOCKED = {"nbgrader": {"grade": False, "solution": False, "locked": True}}
ANSWER = {"nbgrader": {"grade": False, "solution": True, "locked": False}}
TEST = {"nbgrader": {"grade": True, "solution": False, "locked": True, "points": 2}}


def _cell(source: str, kind: dict):
    return new_code_cell(source, metadata=copy.deepcopy(kind))


def _grade(cells):
    from nbgrader import utils

    nb, _ = SandboxedExecute(timeout=30, allow_unsandboxed=True).preprocess(new_notebook(cells=cells), {})
    return [utils.determine_grade(c)[0] for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade")]


def test_grading_others_refuses_without_bubblewrap(monkeypatch):
    monkeypatch.setattr(safe_execute, "bwrap_path", lambda: None)
    with pytest.raises(RuntimeError, match="bubblewrap"):
        SandboxedExecute().preprocess(new_notebook(cells=[_cell("x = 1", ANSWER)]), {})


def test_tests_use_the_instructors_values_and_never_run_in_the_learners_process():
    cells = [
        _cell("DATA = [1, 2, 3]", LOCKED),
        _cell("globals()['DATA'] = [0]\nanswer = 6\nimport builtins\nbuiltins.sum = lambda x: -1", ANSWER),
        _cell("assert type(answer) is int\nassert answer == sum(DATA)", TEST),
        _cell("answer2 = sum(DATA)", ANSWER),  # the learner's patched sum: -1, a wrong answer
        _cell("assert answer2 == 6", TEST),
        _cell("import sys\nprint(sys.modules.get('nmops.grading.clean_runner'), In)", ANSWER),
    ]
    assert _grade(cells) == [2, 0]


def test_partial_credit_comes_from_the_clean_process():
    cells = [_cell("x = 3", ANSWER), _cell("1.5 if x == 3 else 0", TEST),
             _cell("print(2.0)\nraise SystemExit", ANSWER), _cell("1.0 if x == 4 else 0.0", TEST)]
    assert _grade(cells) == [1.5, 0]


def test_a_partial_score_keeps_its_explanation_for_the_feedback():
    """score_mapping's message (which part is wrong, which known mistake) survives the clean process."""
    from nbgrader import utils

    code = ("from nmops.coach import PartialScore\n"
            "_score = PartialScore(1.0)\n_score.message = '2 项中对了 1 项。'\n_score")
    nb, _ = SandboxedExecute(timeout=30, allow_unsandboxed=True).preprocess(
        new_notebook(cells=[_cell("x = 3", ANSWER), _cell(code, TEST)]), {})
    test = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade"))
    (result,) = test.outputs
    assert utils.determine_grade(test)[0] == 1.0
    assert result["metadata"]["nmops_feedback"] == {"message": "2 项中对了 1 项。"}
