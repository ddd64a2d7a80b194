"""Every graded assignment under solutions/: valid source, faithful exercises, no leaks, tests that bite.

Each test is parametrised over the assignment folders found in ``solutions/``,
so a new assignment is checked with no new test code. What each assignment
must provide besides its notebook(s): ``known_answers.py`` (the one place of
``nmops/coach.py``) with at least one named plausible wrong answer per
autograder test cell.

nbgrader's ``Validator`` (the class behind ``nbgrader validate``) is used in
process: one import instead of a 5-second command-line start per notebook.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from assignment_helpers import (
    ASSIGNMENTS,
    BEGIN_HIDDEN,
    BEGIN_SOLUTION,
    ROOT,
    answer_cell_before,
    is_test_cell,
    load_wrong_answers,
    meta,
    notebook_text,
    read,
    secret_and_public_lines,
    source_notebooks,
)

pytestmark = pytest.mark.skipif(not ASSIGNMENTS, reason="no assignment under solutions/")


@pytest.fixture(scope="module")
def validator_config():
    from traitlets.config.loader import PyFileConfigLoader

    return PyFileConfigLoader("nbgrader_config.py", path=str(ROOT)).load_config()


def _validate(path: Path, config, invert: bool) -> dict:
    from nbgrader.validator import Validator

    return Validator(config=config, invert=invert).validate(str(path))


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_source_notebooks_pass_their_own_tests(assignment, validator_config):
    """``nbgrader validate``: with the reference answers, every visible and hidden test passes."""
    notebooks = source_notebooks(assignment)
    assert notebooks, f"solutions/{assignment} has no notebook"
    for path in notebooks:
        results = _validate(path, validator_config, invert=False)
        assert results == {}, f"{path.name}: {json.dumps(results, ensure_ascii=False, indent=1)[:3000]}"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_source_notebooks_are_committed_clean(assignment):
    """No outputs or execution counts in the sources (clean diffs); every grade cell has points."""
    for path in source_notebooks(assignment):
        nb = read(path)
        for cell in nb.cells:
            m = meta(cell)
            if cell.cell_type == "code":
                assert cell.outputs == [] and cell.execution_count is None, f"{path.name}: outputs in {cell.id}"
            if m.get("grade"):
                assert float(m.get("points", 0)) > 0, f"{path.name}: grade cell {m.get('grade_id')} has no points"
        kinds = [(is_test_cell(c), c.cell_type == "markdown" and meta(c).get("grade")) for c in nb.cells]
        assert sum(t for t, _ in kinds) >= 1, f"{path.name}: no autograder test cell"


@pytest.fixture(scope="module")
def released(tmp_path_factory) -> Path:
    """A copy of ``exercises/`` as generated, never a learner's edits (``make_exercises.released_files``).

    A learner who types answers into ``exercises/`` in place must not make
    ``make test`` fail (or pass): the checks below read the generated files,
    from git's index where the working copy was edited.
    """
    import make_exercises

    out = tmp_path_factory.mktemp("released")
    for assignment in ASSIGNMENTS:
        for rel, data in make_exercises.released_files(ROOT, assignment).items():
            (out / assignment / rel).parent.mkdir(parents=True, exist_ok=True)
            (out / assignment / rel).write_bytes(data)
    return out


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_exercises_match_a_fresh_generation(assignment, tmp_path, released):
    """The generated ``exercises/`` is exactly what ``tools/make_exercises.py`` makes from ``solutions/`` today.

    Compared as parsed JSON for notebooks and as bytes for other files. No
    normalisation is needed: nbgrader's output is deterministic here (the
    checksums are hashes of each cell's source, cell ids come from the
    source, and no timestamp is written), which was checked by regenerating
    twice and comparing bytes.
    """
    import make_exercises

    course = tmp_path / "course"
    (course / "solutions").mkdir(parents=True)
    shutil.copy(ROOT / "nbgrader_config.py", course)
    shutil.copytree(ROOT / "solutions" / assignment, course / "solutions" / assignment)
    assert make_exercises.main(["--root", str(course), assignment]) == 0

    fresh, committed = course / "exercises" / assignment, released / assignment
    assert committed.is_dir(), f"exercises/{assignment} missing: run `make exercises`"
    files = lambda d: sorted(p.relative_to(d).as_posix() for p in d.rglob("*") if p.is_file())  # noqa: E731
    assert files(committed) == files(fresh), "exercises/ is stale: run `make exercises`"
    for name in files(fresh):
        a, b = fresh / name, committed / name
        if name.endswith(".ipynb"):
            assert json.loads(a.read_text("utf-8")) == json.loads(b.read_text("utf-8")), (
                f"exercises/{assignment}/{name} differs from a fresh generation: run `make exercises`"
            )
        else:
            assert a.read_bytes() == b.read_bytes(), f"exercises/{assignment}/{name} differs: run `make exercises`"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_blank_exercise_fails_every_test(assignment, validator_config, released):
    """``nbgrader validate --invert``: an untouched learner notebook passes no test at all."""
    notebooks = sorted((released / assignment).glob("*.ipynb"))
    assert [p.name for p in notebooks] == [p.name for p in source_notebooks(assignment)]
    for path in notebooks:
        results = _validate(path, validator_config, invert=True)
        assert results == {}, f"{path.name}: {json.dumps(results, ensure_ascii=False, indent=1)[:3000]}"


def test_no_answer_or_hidden_test_reaches_learners(released):
    """No file under exercises/ holds a solution marker, a hidden test, or a line of an answer."""
    files = [p for p in released.rglob("*") if p.is_file()]
    assert files, "exercises/ is empty: run `make exercises`"
    texts = {p: notebook_text(p) for p in files}
    for path, text in texts.items():
        for marker in (BEGIN_SOLUTION, "END SOLUTION", BEGIN_HIDDEN, "END HIDDEN TESTS"):
            assert marker not in text, f"{path.relative_to(released)} contains {marker!r}"
        assert "known_answers" not in path.name, f"{path.relative_to(released)} must not be released"
    for assignment in ASSIGNMENTS:
        released_text = "\n".join(t for p, t in texts.items() if assignment in p.relative_to(released).parts)
        for source in source_notebooks(assignment):
            secret, public = secret_and_public_lines(read(source))
            assert secret, f"{source.name}: found no answer lines to look for"
            # The search works: lines meant for learners are found in the released text.
            assert any(line in released_text for line in public)
            leaked = sorted(line for line in secret if line in released_text)
            assert not leaked, f"exercises/{assignment} shows answer or hidden-test lines: {leaked}"


# --- every autograder test rejects plausible wrong answers ----------------------------

def _wrong_answer_cases():
    cases = []
    for assignment in ASSIGNMENTS:
        for grade_id, answers in load_wrong_answers(assignment).items():
            for number, (why, code) in enumerate(answers):
                cases.append(pytest.param(assignment, grade_id, why, code, id=f"{assignment}-{grade_id}-{number}"))
    return cases


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_autograder_test_has_wrong_answers(assignment):
    """``known_answers.py`` names a mistake for every autograder test cell, and only real ones."""
    wrong = load_wrong_answers(assignment)
    test_ids = {meta(c)["grade_id"] for p in source_notebooks(assignment) for c in read(p).cells if is_test_cell(c)}
    assert test_ids, f"{assignment}: no autograder test cell"
    assert set(wrong) == test_ids, (
        f"{assignment}/known_answers.py: missing {sorted(test_ids - set(wrong))}, unknown {sorted(set(wrong) - test_ids)}"
    )
    assert all(len(v) >= 1 for v in wrong.values())


@pytest.fixture(scope="module")
def kernel():
    """One Python kernel for all planted answers; each case starts from ``%reset -f``."""
    from jupyter_client.manager import start_new_kernel

    km, kc = start_new_kernel(kernel_name="python3")
    yield kc
    kc.stop_channels()
    km.shutdown_kernel(now=True)


def _run(kc, code: str) -> dict:
    results = []

    def hook(msg):
        if msg["msg_type"] == "execute_result":
            results.append(msg["content"]["data"].get("text/plain"))

    reply = kc.execute_interactive(code, timeout=60, output_hook=hook, store_history=True)
    content = reply["content"]
    return {"status": content["status"], "ename": content.get("ename"), "evalue": content.get("evalue"),
            "result": results[-1] if results else None}


def _run_up_to(kc, assignment: str, grade_id: str, planted_code: str | None, why: str) -> dict:
    """Run the source notebook from the top to test cell ``grade_id``; return the test's result.

    With ``planted_code``, the answer cell just above the test is replaced by
    it. Reference answers run everywhere else, hidden tests included (as at
    autograde time). Every cell before the test must run cleanly.
    """
    path = next(p for p in source_notebooks(assignment)
                if any(meta(c).get("grade_id") == grade_id for c in read(p).cells))
    nb = read(path)
    target = next(i for i, c in enumerate(nb.cells) if meta(c).get("grade_id") == grade_id)
    planted = answer_cell_before(nb, grade_id) if planted_code is not None else None
    assert _run(kc, f"%reset -f\nimport os\nos.chdir({str(path.parent)!r})")["status"] == "ok"
    result = {}
    for i, cell in enumerate(nb.cells[: target + 1]):
        if cell.cell_type != "code":
            continue
        result = _run(kc, planted_code if i == planted else cell.source)
        if i < target:
            assert result["status"] == "ok", (
                f"cell {cell.id} failed before the test ran ({why}): {result['ename']}: {result['evalue']}"
            )
    return result


def _test_cell_cases():
    return [pytest.param(a, meta(c)["grade_id"], id=f"{a}-{meta(c)['grade_id']}")
            for a in ASSIGNMENTS for p in source_notebooks(a) for c in read(p).cells if is_test_cell(c)]


@pytest.mark.parametrize("assignment, grade_id", _test_cell_cases())
def test_reference_answer_passes_in_this_harness(kernel, assignment, grade_id):
    """Control for the test below: the same harness with the reference answer passes with full points."""
    result = _run_up_to(kernel, assignment, grade_id, None, "reference")
    assert result["status"] == "ok"
    if result["result"] is not None:  # a partial-credit cell shows its score
        assert float(result["result"]) == _points(assignment, grade_id)


def _points(assignment: str, grade_id: str) -> float:
    return next(float(meta(c)["points"]) for p in source_notebooks(assignment) for c in read(p).cells
                if meta(c).get("grade_id") == grade_id)


@pytest.mark.parametrize("assignment, grade_id, why, code", _wrong_answer_cases())
def test_autograder_test_rejects_wrong_answer(kernel, assignment, grade_id, why, code):
    """Plant a plausible wrong answer: it must run cleanly, and its test cell must fail or give fewer points."""
    result = _run_up_to(kernel, assignment, grade_id, code, why)
    if result["status"] == "ok" and result["result"] is not None:  # partial credit
        assert float(result["result"]) < _points(assignment, grade_id), f"{grade_id} gave full points to: {why}"
        return
    assert result["status"] == "error", f"{grade_id} accepted a wrong answer: {why}"
    assert result["ename"] in ("AssertionError", "KnownMistake"), (
        f"{grade_id} failed with {result['ename']} instead of a failed check: {result['evalue']}"
    )
