"""The in-notebook check and hints (nmops.coach): each verdict, tiered hints, and no oracle in a class.

The answers are planted in a namespace built the way a learner's kernel
builds it: the released notebook's locked setup and data cells, run once.
"Class" means only ``exercises/`` and the package (the reference is not
looked up); "self-learner" means the whole repository with ``solutions/``.
"""

from __future__ import annotations

import json
import re
import shutil

import nbformat
import numpy as np
import pytest

from assignment_helpers import ASSIGNMENTS, ROOT, is_answer_cell, is_test_cell, meta, read, solution_source, source_notebooks
from nmops import coach as coach_module
from nmops.coach import (
    CORRECT,
    FORMAT_OK,
    INCORRECT,
    KNOWN_ERROR,
    NOT_ANSWERED,
    WRONG_FORMAT,
    Coach,
    KnownMistake,
    load_known,
    reject_known_mistake,
    score_mapping,
)

ASSIGNMENT = "00-orientation"


def _data_namespace(assignment: str) -> dict:
    """Run the locked, ungraded code cells (setup, data) of the released notebook, as a learner's kernel does."""
    ns: dict = {}
    for path in sorted((ROOT / "exercises" / assignment).glob("*.ipynb")):
        for cell in read(path).cells:
            m = meta(cell)
            if cell.cell_type == "code" and m.get("locked") and not m.get("grade"):
                exec(cell.source, ns)  # noqa: S102
    return ns


def _reference_answers(assignment: str, ns: dict) -> dict:
    """Each task's reference value, computed by the source notebook's answer cell."""
    out = {}
    for path in source_notebooks(assignment):
        for cell in read(path).cells:
            gid = meta(cell).get("grade_id", "")
            if is_answer_cell(cell) and cell.cell_type == "code" and gid.endswith("_answer"):
                scope = dict(ns)
                exec(solution_source(cell), scope)  # noqa: S102
                new = {k: v for k, v in scope.items() if k not in ns and not k.startswith("_")}
                out[gid[: -len("_answer")]] = new
    return out


def _class_coach(assignment: str, folder, monkeypatch) -> tuple[Coach, dict]:
    """A class folder: the released files only, the reference not looked up."""
    for f in (ROOT / "exercises" / assignment).iterdir():
        shutil.copy(f, folder / f.name)
    monkeypatch.chdir(folder)
    ns = _data_namespace(assignment)
    return Coach(assignment, reference=False, namespace=ns), ns


def _self_learner_coach(assignment: str, monkeypatch) -> tuple[Coach, dict]:
    """The whole repository, ``solutions/`` included."""
    monkeypatch.chdir(ROOT / "exercises" / assignment)
    ns = _data_namespace(assignment)
    return Coach(assignment, namespace=ns), ns


@pytest.fixture
def in_class(tmp_path, monkeypatch):
    return _class_coach(ASSIGNMENT, tmp_path, monkeypatch)


@pytest.fixture
def self_learner(monkeypatch):
    return _self_learner_coach(ASSIGNMENT, monkeypatch)


def test_class_verdicts(in_class):
    coach, ns = in_class
    assert coach.check("q3a").kind == NOT_ANSWERED
    ns["n_original"] = 2.5
    v = coach.check("q3a")
    assert v.kind == WRONG_FORMAT and "整数" in v.message, v
    ns["n_original"] = len(ns["posts"])
    v = coach.check("q3a")
    assert v.kind == KNOWN_ERROR and v.message.startswith("数了所有行"), v
    ns["n_original"] = np.int64(3)
    assert coach.check("q3a").kind == FORMAT_OK, "a class check never says right or wrong"
    assert not coach.has_reference


def test_self_learner_verdicts(self_learner):
    coach, ns = self_learner
    assert coach.has_reference
    refs = _reference_answers(ASSIGNMENT, ns)
    ns.update(refs["q3b"])
    assert coach.check("q3b").kind == CORRECT
    ns["original_reads"] = ns["original_reads"] + 1
    assert coach.check("q3b").kind == INCORRECT
    ns.update(refs["q1"])
    ns["level_kpis"] = {**ns["level_kpis"], "高级": {"流量", "转化率"}}
    v = coach.check("q1")
    assert v.kind == KNOWN_ERROR and "高级漏了用户粘性" in v.message, "private mistakes are named where the reference is"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_task_gets_each_verdict(assignment, tmp_path, monkeypatch):
    """For every task: 未作答 before an answer; with the reference, 正确 and each mistake named;
    in class, the right answer and every private mistake get the same words, public mistakes are named."""
    tasks, _ = load_known(ROOT / "solutions" / assignment / "known_answers.py")
    learner, ns = _self_learner_coach(assignment, monkeypatch)
    refs = _reference_answers(assignment, ns)
    for task_id, task in tasks.items():
        assert learner.check(task_id).kind == NOT_ANSWERED, task_id
        ns.update(refs[task_id])
        assert learner.check(task_id).kind == CORRECT, (task_id, learner.check(task_id))
        for m in task.mistakes:
            ns[task.variable] = coach_module._wrong_value(m, task.variable, ns)
            v = learner.check(task_id)
            assert v.kind == KNOWN_ERROR and v.message.startswith(m.name), (task_id, m.name, v)

    in_class, ns = _class_coach(assignment, tmp_path, monkeypatch)
    refs = _reference_answers(assignment, ns)
    for task_id, task in tasks.items():
        ns.update(refs[task_id])
        right = in_class.check(task_id)
        assert right.kind == FORMAT_OK, (task_id, right)
        for m in task.mistakes:
            ns[task.variable] = coach_module._wrong_value(m, task.variable, ns)
            v = in_class.check(task_id)
            if m.public:
                assert v.kind == KNOWN_ERROR and v.message.startswith(m.name), (task_id, m.name, v)
            else:
                assert (v.kind, v.message) == (right.kind, right.message), f"{task_id}: class check tells '{m.name}'"


def test_every_task_has_title_variable_two_hints_and_a_named_mistake():
    for assignment in ASSIGNMENTS:
        tasks, written = load_known(ROOT / "solutions" / assignment / "known_answers.py")
        test_ids = {meta(c)["grade_id"][:-5] for p in source_notebooks(assignment) for c in read(p).cells
                    if is_test_cell(c)}
        assert set(tasks) == test_ids
        for task in tasks.values():
            assert task.title and task.variable and len(task.hints) >= 2 and task.mistakes
        written_ids = {meta(c)["grade_id"].rsplit("_", 1)[0] for p in source_notebooks(assignment)
                       for c in read(p).cells if meta(c).get("grade") and meta(c).get("solution")}
        assert set(written) == written_ids and all(w.rubric for w in written.values())


def test_hints_are_tiered(in_class, capsys):
    coach, _ = in_class
    coach.hint("q3c")
    coach.hint("q3c")
    coach.hint("q3c")
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("提示 1/2") and out[1].startswith("提示 2/2") and out[2].startswith("提示 2/2")


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_hints_never_give_the_code(assignment):
    tasks, _ = load_known(ROOT / "solutions" / assignment / "known_answers.py")
    for task in tasks.values():
        for hint in task.hints:
            assert f"{task.variable} =" not in hint, f"a hint gives the code: {hint}"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_released_material_reveals_no_expected_value(assignment, tmp_path, monkeypatch):
    """coach.json: titles, hints, format checks and public mistakes only; no value, no hash, no oracle."""
    coach, ns = _class_coach(assignment, tmp_path, monkeypatch)
    text = (ROOT / "exercises" / assignment / "coach.json").read_text("utf-8")
    data = json.loads(text)
    tasks, _ = load_known(ROOT / "solutions" / assignment / "known_answers.py")
    assert set(data["tasks"]) == set(tasks)
    assert not re.search(r"\b[0-9a-f]{16,}\b", text), "no hash of anything"
    for task_id, entry in data["tasks"].items():
        assert set(entry) == {"title", "variable", "hints", "format_check", "public_mistakes"}
        private = [m for m in tasks[task_id].mistakes if not m.public]
        for m in private:
            assert m.name not in text and m.code not in text, f"private mistake shipped: {m.name}"
    prompt = "\n".join(c.source for p in (ROOT / "exercises" / assignment).glob("*.ipynb") for c in read(p).cells)
    for task_id, values in _reference_answers(assignment, ns).items():
        (value,) = values.values()
        for shown in _telling_pieces(value) - {piece for piece in _telling_pieces(value) if piece in prompt}:
            found = re.search(rf"(?<![0-9]){re.escape(shown)}(?![0-9])", text)
            assert not found, f"{task_id}: a piece of the expected value ({shown}) is in coach.json"
    # No oracle: in class the right answer gets the same words as an unknown wrong one
    # (for every task and every private mistake: test_every_task_gets_each_verdict).


def _telling_pieces(value) -> set[str]:
    """Texts that would give ``value`` away: its numbers of 3+ digits, its float digits, its strings
    (those the released notebook already states, such as 100000 for "10万+", tell nothing)."""
    import pandas as pd

    if isinstance(value, (pd.DataFrame, pd.Series)):
        items = value.to_numpy().ravel().tolist()
    elif isinstance(value, dict):
        items = list(value.values())
    elif isinstance(value, (list, set, tuple)):
        items = list(value)
    else:
        items = [value]
    pieces = set()
    for item in items:
        if isinstance(item, (bool, np.bool_)):
            continue
        if isinstance(item, (int, np.integer)) and abs(int(item)) >= 100:
            pieces.add(str(int(item)))
        elif isinstance(item, (float, np.floating)) and item == item and item != int(item):
            pieces.add(f"{float(item):.4f}"[:6])
        elif isinstance(item, str) and len(item) >= 4:
            pieces.add(item)
    return pieces


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_mistakes_are_not_the_right_answer(assignment, monkeypatch):
    """A mistake's value differs from the reference (else naming it would leak the answer, or fail a right one)."""
    coach, ns = _self_learner_coach(assignment, monkeypatch)
    refs = _reference_answers(assignment, ns)
    tasks, _ = load_known(ROOT / "solutions" / assignment / "known_answers.py")
    for task_id, task in tasks.items():
        (expected,) = refs[task_id].values()
        for m in task.mistakes:
            wrong = coach_module._wrong_value(m, task.variable, ns)
            assert not coach_module.same_answer(wrong, expected), f"{task_id}: mistake '{m.name}' is the right answer"


def test_grading_names_the_mistake_in_an_assertion_error(monkeypatch):
    """What a hidden test calls: an AssertionError carrying the Chinese explanation, from (answer, task id)."""
    monkeypatch.chdir(ROOT)
    ns = _data_namespace(ASSIGNMENT)
    wrong = int(ns["posts"]["reposts"].sum())
    with pytest.raises(AssertionError, match="常见错误：把公众号文章的转发也算进来") as info:
        reject_known_mistake(wrong, f"{ASSIGNMENT}:q3c", ns)
    assert isinstance(info.value, KnownMistake)
    reject_known_mistake(wrong + 1, f"{ASSIGNMENT}:q3c", ns)  # not a known mistake: no error here


def test_partial_credit_per_level(monkeypatch):
    monkeypatch.chdir(ROOT)
    ns = _data_namespace(ASSIGNMENT)
    expected = _reference_answers(ASSIGNMENT, ns)["q1"]["level_kpis"]
    answer = {**expected, "初级": expected["初级"] | {"转化率"}}
    score = score_mapping(answer, expected, f"{ASSIGNMENT}:q1", points=2, name="level_kpis", namespace=ns)
    assert float(score) == 1.5 and "转化率算进了初级" in score.message
    assert float(score_mapping(expected, expected, f"{ASSIGNMENT}:q1", points=2, name="level_kpis", namespace=ns)) == 2
    data, metadata = score._repr_mimebundle_()
    assert data == {"text/plain": "1.5"} and "nmops_feedback" in metadata


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_check_cells_follow_every_test_cell(assignment):
    """The released notebook offers coach.check for each autograded task, right under its test."""
    paths = sorted((ROOT / "exercises" / assignment).glob("*.ipynb"))
    assert paths
    for path in paths:
        assert f'Coach("{assignment}")' in notebook_setup(path), f"{path.name}: no coach in the setup cell"
        cells = nbformat.read(path, as_version=4).cells
        for i, cell in enumerate(cells):
            if is_test_cell(cell):
                task = meta(cell)["grade_id"][:-5]
                assert f'coach.check("{task}")' in cells[i + 1].source


def notebook_setup(path) -> str:
    """Source of the locked, ungraded code cells (setup, data) of a notebook."""
    return "\n".join(c.source for c in read(path).cells
                     if c.cell_type == "code" and meta(c).get("locked") and not meta(c).get("grade"))
