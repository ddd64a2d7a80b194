"""A whole class, end to end, with nbgrader's command line and a file-system exchange.

In a temporary course folder (a copy of ``nbgrader_config.py`` and of the
assignment's source), for every assignment under ``solutions/``:

generate_assignment → release_assignment → three learners fetch and submit
through the exchange (the reference answers, the blank notebook, one planted
wrong answer) → collect → more submissions dropped straight into
``submitted/`` as if collected: every named mistake of ``known_answers.py``
(learner ``s1k-mistakes`` makes the k-th mistake of every task that has one,
so a few learners cover them all) and four odd ones (one raises, one loops
forever, one deleted a test cell, one kills its kernel; first assignment
only) → autograde (everyone in one call, 10-second cell timeout) → manual scores through nbgrader's
Gradebook API → generate_feedback → export grades.csv.

Then formgrader's buttons on a copy of the graded course, in this process,
through ``NbGraderAPI`` with the course config loaded as formgrader loads it:
Autograde (one submission), Generate feedback (one learner, and everyone),
Release feedback; and formgrader's manual-grading page.

The nbgrader commands run through ``tests/nbgrader_session.py`` (the same
``NbGraderApp.launch_instance(argv)`` the ``nbgrader`` executable runs, in one
process: nbgrader's 5-second import is paid twice rather than a dozen times).

The run happens once per assignment (module fixture); the tests then check
scores, grades.csv, and that the feedback HTML shows no hidden-test code and
no line of a hidden test's traceback. Nothing is written to $HOME: the
exchange, its cache and Jupyter's runtime/config folders live in tmp.
"""

from __future__ import annotations

import csv
import shutil
import sys
from pathlib import Path

import nbformat
import pytest

from nmops.grading.sandbox import bwrap_path
from assignment_helpers import (
    ASSIGNMENTS,
    ROOT,
    answer_cell_before,
    cells_by_id,
    fill_answers,
    hidden_test_lines,
    html_text,
    is_answer_cell,
    is_test_cell,
    load_wrong_answers,
    meta,
    nbgrader_env,
    notebook_text,
    read,
    run_nbgrader_steps,
    secret_and_public_lines,
    source_notebooks,
)

pytestmark = pytest.mark.skipif(not ASSIGNMENTS, reason="no assignment under solutions/")

COURSE = "nmops"
TIMEOUT = 10  # seconds per cell during this autograde (the course default is 60)
VIA_EXCHANGE = ["s01-reference", "s02-blank", "s03-wrong"]
# The odd submissions test nbgrader_config.py and nmops.grading, which are the same for every
# assignment: they are graded in the first assignment's cycle only, to keep later cycles short.
DROPPED_IN = ["s04-raises", "s05-loops", "s06-deleted-test", "s07-kills-kernel"]
# Without bubblewrap (a laptop) the cycle runs our own submissions outside the sandbox;
# tests/test_grading_attacks.py is the one that needs it.
UNSANDBOXED = [] if bwrap_path() else ["--SandboxedExecute.allow_unsandboxed=True"]
MANUAL = {"s01-reference": 1.0, "s02-blank": 0.0, "s03-wrong": 0.5}  # share of the manual points given


def _mistake_rounds(assignment: str, nb) -> list[dict]:
    """Round k: {answer cell id: (test cell id, mistake)} with the k-th named mistake of every task.

    A mistake's code stands alone (it runs where the task's data is defined),
    so several wrong answers in one notebook do not touch each other's tests.
    """
    from nmops.coach import load_known

    tasks, _ = load_known(ROOT / "solutions" / assignment / "known_answers.py")
    rounds = []
    for k in range(max(len(t.mistakes) for t in tasks.values())):
        rounds.append({meta(nb.cells[answer_cell_before(nb, f"{task_id}_test")])["grade_id"]: (f"{task_id}_test", t.mistakes[k])
                       for task_id, t in tasks.items() if k < len(t.mistakes)})
    return rounds


def _plan(assignment: str) -> dict:
    """Which cells each learner changes, chosen generically from the source notebook.

    The wrong answer and the failures go into the *last* question that has
    wrong answers / the last answer cell, so that no later answer can depend
    on the broken one and the expected per-cell scores are exact.
    """
    path = source_notebooks(assignment)[0]
    nb = read(path)
    tests = [meta(c)["grade_id"] for c in nb.cells if is_test_cell(c)]
    wrong = load_wrong_answers(assignment)
    wrong_test = [t for t in tests if t in wrong][-1]
    last_answer = max(i for i, c in enumerate(nb.cells) if is_answer_cell(c) and c.cell_type == "code")
    after_last = [meta(c)["grade_id"] for c in nb.cells[last_answer:] if is_test_cell(c)]
    return {
        "notebook": path,
        "tests": tests,
        "wrong_test": wrong_test,
        "wrong_answer_cell": meta(nb.cells[answer_cell_before(nb, wrong_test)])["grade_id"],
        "wrong_code": wrong[wrong_test][0][1],
        "broken_answer_cell": meta(nb.cells[last_answer])["grade_id"],
        "broken_tests": after_last,
        "deleted_test": tests[0],
        "mistake_rounds": _mistake_rounds(assignment, nb),
    }


def _mistake_student(k: int) -> str:
    return f"s1{k}-mistakes"


def _make_submission(student: str, release_nb, source_nb, plan: dict):
    nb = nbformat.from_dict(release_nb)
    if student == "s02-blank":
        return nb
    fill_answers(nb, source_nb)
    cells = cells_by_id(nb)
    if student == "s03-wrong":
        cells[plan["wrong_answer_cell"]].source = plan["wrong_code"]
    elif student == "s04-raises":
        cells[plan["broken_answer_cell"]].source = 'raise RuntimeError("学生代码在这里出错了")'
    elif student == "s05-loops":
        cells[plan["broken_answer_cell"]].source = "while True:\n    pass"
    elif student == "s07-kills-kernel":
        cells[plan["broken_answer_cell"]].source = "import os\nos._exit(1)"
    elif student.endswith("-mistakes"):
        round_ = plan["mistake_rounds"][int(student[2:student.index("-")])]
        for cell_id, (_, mistake) in round_.items():
            cells[cell_id].source = mistake.code
    elif student == "s06-deleted-test":
        nb.cells = [c for c in nb.cells if meta(c).get("grade_id") != plan["deleted_test"]]
    return nb


@pytest.fixture(scope="module", params=ASSIGNMENTS)
def cycle(request, tmp_path_factory):
    assignment = request.param
    tmp = tmp_path_factory.mktemp(f"class-{assignment}")
    course, exchange, cache = tmp / "course", tmp / "exchange", tmp / "cache"
    env = nbgrader_env(tmp)
    (course / "solutions").mkdir(parents=True)
    shutil.copy(ROOT / "nbgrader_config.py", course)
    shutil.copytree(ROOT / "solutions" / assignment, course / "solutions" / assignment)
    ex = [f"--Exchange.root={exchange}", f"--Exchange.cache={cache}"]
    plan = _plan(assignment)
    nb_name = plan["notebook"].name
    source_nb = read(plan["notebook"])
    homes = {s: tmp / "home" / s for s in VIA_EXCHANGE}
    for home in homes.values():
        home.mkdir(parents=True)

    # Instructor makes the learner version and releases it; learners fetch it.
    log = run_nbgrader_steps(
        [{"cwd": str(course), "argv": ["generate_assignment", assignment, "--force"]},
         {"cwd": str(course), "argv": ["release_assignment", assignment, *ex]}]
        + [{"cwd": str(home), "argv": ["fetch_assignment", assignment, f"--course={COURSE}", *ex]}
           for home in homes.values()],
        tmp, env)

    # Learners answer; three odd submissions go straight into submitted/ (as if collected).
    release_nb = read(homes[VIA_EXCHANGE[0]] / assignment / nb_name)
    for student, home in homes.items():
        nbformat.write(_make_submission(student, release_nb, source_nb, plan), home / assignment / nb_name)
    mistakes = [_mistake_student(k) for k in range(len(plan["mistake_rounds"]))]
    students = VIA_EXCHANGE + mistakes + (DROPPED_IN if assignment == ASSIGNMENTS[0] else [])
    for student in students[len(VIA_EXCHANGE):]:
        folder = course / "submitted" / student / assignment
        folder.mkdir(parents=True)
        nbformat.write(_make_submission(student, release_nb, source_nb, plan), folder / nb_name)

    # Submit, collect, grade everyone in one autograde call, grade by hand, feedback, export.
    db_url = "sqlite:///" + str(course / "gradebook.db")
    log += run_nbgrader_steps(
        [{"cwd": str(home), "argv": ["submit", assignment, f"--course={COURSE}", f"--student={s}", *ex]}
         for s, home in homes.items()]
        + [{"cwd": str(course), "argv": ["collect", assignment, *ex, "--ExchangeCollect.check_owner=False"]},
           {"cwd": str(course), "argv": ["autograde", assignment, f"--Execute.timeout={TIMEOUT}", *UNSANDBOXED]},
           {"manual_scores": {"db_url": db_url, "course": COURSE, "assignment": assignment,
                              "share": {s: MANUAL.get(s, 1.0) for s in students}}},
           {"cwd": str(course), "argv": ["generate_feedback", assignment]},
           {"cwd": str(course), "argv": ["export", f"--CsvExportPlugin.to={course / 'grades.csv'}"]}],
        tmp, env)

    from nbgrader.api import Gradebook

    with Gradebook(db_url, COURSE) as gb:
        auto = {}
        for student in students:
            submission = gb.find_submission(assignment, student)
            auto[student] = {g.name: (g.auto_score, g.max_score) for nb in submission.notebooks for g in nb.grades}
    with open(course / "grades.csv", encoding="utf-8") as fh:
        grades = {row["student_id"]: row for row in csv.DictReader(fh)}
    html = {}
    for student in students:
        page = course / "feedback" / student / assignment / nb_name.replace(".ipynb", ".html")
        html[student] = page.read_text(encoding="utf-8") if page.is_file() else None
    return {
        "assignment": assignment, "course": course, "plan": plan, "auto": auto, "grades": grades,
        "html": html, "source_nb": source_nb, "nb_name": nb_name, "logs": log,
    }


def _points(cycle, student: str) -> dict:
    return {name: score for name, (score, _) in cycle["auto"][student].items() if name in cycle["plan"]["tests"]}


def _max_points(cycle) -> dict:
    return {name: mx for name, (_, mx) in cycle["auto"]["s01-reference"].items() if name in cycle["plan"]["tests"]}


def test_reference_gets_full_autograded_marks_and_blank_gets_zero(cycle):
    full = _max_points(cycle)
    assert sum(full.values()) > 0
    assert _points(cycle, "s01-reference") == full
    assert all(score == 0 for score in _points(cycle, "s02-blank").values())


def test_wrong_answer_gets_partial_credit(cycle):
    plan, full = cycle["plan"], _max_points(cycle)
    expected = {name: (0 if name == plan["wrong_test"] else mx) for name, mx in full.items()}
    assert _points(cycle, "s03-wrong") == expected
    assert 0 < sum(expected.values()) < sum(full.values())


def test_every_named_mistake_loses_points_and_is_named_in_feedback(cycle):
    """Each mistake of known_answers.py, graded by the ordinary autograde: its task loses points
    (all of them where the task has no parts), the other tasks keep theirs, the feedback names it."""
    full = _max_points(cycle)
    for k, round_ in enumerate(cycle["plan"]["mistake_rounds"]):
        student = _mistake_student(k)
        got, text = _points(cycle, student), html_text(cycle["html"][student])
        hit = {test: mistake for test, mistake in round_.values()}
        for test, mx in full.items():
            if test in hit:
                assert got[test] < mx, f"{student}: {test} gave full points to '{hit[test].name}'"
                assert f"常见错误：{hit[test].name}" in text, f"{student}: feedback does not name '{hit[test].name}'"
            else:
                assert got[test] == mx, f"{student}: {test} lost points it should not ({got[test]} of {mx})"


def test_grades_csv_holds_every_learner_with_manual_scores(cycle):
    rows = cycle["grades"]
    assert set(rows) == set(cycle["html"])
    ref, blank, wrong = rows["s01-reference"], rows["s02-blank"], rows["s03-wrong"]
    total = float(ref["max_score"])
    assert total == sum(mx for _, mx in cycle["auto"]["s01-reference"].values())
    assert float(ref["score"]) == total
    assert float(blank["score"]) == 0
    assert 0 < float(wrong["score"]) < total
    assert all(row["assignment"] == cycle["assignment"] for row in rows.values())


def _needs_odd_submissions(cycle) -> None:
    if "s04-raises" not in cycle["html"]:
        pytest.skip("odd submissions are graded in the first assignment's cycle only")


def test_broken_submissions_are_still_scored(cycle):
    """Raising, looping forever or killing the kernel costs only the tests that need that answer."""
    _needs_odd_submissions(cycle)
    plan, full = cycle["plan"], _max_points(cycle)
    expected = {name: (0 if name in plan["broken_tests"] else mx) for name, mx in full.items()}
    for student in ("s04-raises", "s05-loops", "s07-kills-kernel"):
        assert _points(cycle, student) == expected, student
    assert "单元格运行超时" in html_text(cycle["html"]["s05-loops"])
    assert "内核在运行这个单元格时崩溃了" in html_text(cycle["html"]["s07-kills-kernel"])


def test_deleted_test_cell_is_restored_and_run(cycle):
    _needs_odd_submissions(cycle)
    assert _points(cycle, "s06-deleted-test") == _max_points(cycle)
    assert "评分时已自动恢复" in html_text(cycle["html"]["s06-deleted-test"])


def test_every_learner_gets_feedback_with_their_score(cycle):
    from nmops.grading.feedback_tasks import plain_number

    for student, page in cycle["html"].items():
        assert page is not None, f"no feedback for {student}"
        row = cycle["grades"][student]
        heading = f"总分：{plain_number(row['score'])} / {plain_number(row['max_score'])} 分"
        assert heading in html_text(page), f"{student}: feedback does not show {heading}"


def _hidden_failure_probes(cycle) -> set[str]:
    """Lines of every hidden test's traceback in the autograded notebooks (what must not leak)."""
    from nmops.grading.feedback import failing_cell_line, hidden_regions, strip_ansi

    probes = set()
    for student in cycle["html"]:
        path = cycle["course"] / "autograded" / student / cycle["assignment"] / cycle["nb_name"]
        for cell in read(path).cells:
            regions = hidden_regions(cell.source) if cell.cell_type == "code" else []
            for out in cell.get("outputs", []) if regions else []:
                if out.output_type != "error":
                    continue
                line = failing_cell_line(out.traceback, cell.execution_count)
                if line is not None and any(a <= line <= b for a, b in regions):
                    for entry in out.traceback:
                        for text in strip_ansi(entry).split("\n"):
                            text = text.strip()
                            if len(text) >= 8 and set(text) != {"-"} and "Traceback (most recent call last)" not in text:
                                probes.add(text)
    return probes


def _own_lines(cycle, student: str) -> set[str]:
    """Lines of the learner's own submission: feedback may show them and what they contain (they typed them)."""
    path = cycle["course"] / "submitted" / student / cycle["assignment"] / cycle["nb_name"]
    return {line.strip() for cell in read(path).cells for line in cell.source.split("\n") if line.strip()}


def test_feedback_shows_no_hidden_test_code_or_traceback(cycle):
    secret, public = secret_and_public_lines(cycle["source_nb"])
    hidden_code = {line for line in secret if not any(line in public_line for public_line in public)}
    probes = _hidden_failure_probes(cycle)
    assert probes, "the wrong answer should make a hidden test fail, giving traceback lines to look for"

    # The probes work: an ordinary HTML export of the autograded notebook shows them.
    from nbconvert import HTMLExporter

    autograded = cycle["course"] / "autograded" / "s03-wrong" / cycle["assignment"] / cycle["nb_name"]
    plain = html_text(HTMLExporter().from_notebook_node(read(autograded))[0])
    assert any(p in plain for p in probes) and any(line in plain for line in hidden_code)

    for student, page in cycle["html"].items():
        text = html_text(page)
        assert "BEGIN HIDDEN TESTS" not in text and "END HIDDEN TESTS" not in text
        own = _own_lines(cycle, student)
        leaked_code = sorted(line for line in hidden_code if line in text and not any(line in mine for mine in own))
        leaked_tb = sorted(p for p in probes if p in text)
        assert not leaked_code, f"{student}: feedback shows answer/hidden-test lines {leaked_code}"
        assert not leaked_tb, f"{student}: feedback shows hidden-test traceback lines {leaked_tb}"
    # The planted wrong answer is a known mistake: named and explained, not the generic hidden-failure line
    # (that one is checked by tests/test_selfgrade.py with a wrong answer that is not a known mistake).
    assert "常见错误：" in html_text(cycle["html"]["s03-wrong"])


# --- formgrader's buttons ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def formgrader(cycle, tmp_path_factory):
    """Formgrader's API on a copy of the graded course, its config loaded as formgrader loads it.

    Formgrader (nbgrader's server extension, ``FormgradeExtension``) is an nbgrader app: its own
    settings (the "formgrade" template of the grading page), then ``nbgrader_config.py`` from the
    folder the server runs in and from the course root. Each button reloads that config and calls
    ``NbGraderAPI(coursedir, authenticator, parent=formgrader)`` (nbgrader's
    ``server_extensions/formgrader/base.py``); so does this fixture. No learner code runs here:
    Autograde runs it in the sandbox's own process, as on the command line.
    """
    from nbgrader.apps.api import NbGraderAPI
    from nbgrader.server_extensions.formgrader.formgrader import FormgradeExtension
    from traitlets.config import Config

    tmp = tmp_path_factory.mktemp(f"formgrader-{cycle['assignment']}")
    course, exchange = tmp / "course", tmp / "exchange"
    shutil.copytree(cycle["course"], course)
    exchange.mkdir()
    preset = Config({"Exchange": {"root": str(exchange)}})
    if UNSANDBOXED:
        preset.SandboxedExecute.allow_unsandboxed = True
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(course)
        mp.setattr(sys, "path", list(sys.path))  # nbgrader apps put their folder first on sys.path
        mp.delenv("NMOPS_EXCHANGE_ROOT", raising=False)
        for var, value in nbgrader_env(tmp).items():
            if var.startswith(("JUPYTER_", "IPYTHON")):
                mp.setenv(var, value)
        app = FormgradeExtension(config=preset)
        app.initialize([])
        app.load_config_file()
        api = NbGraderAPI(app.coursedir, app.authenticator, parent=app)
    return {"app": app, "api": api, "course": course, "exchange": exchange}


def _succeeded(result: dict, button: str) -> None:
    assert result["success"], f"formgrader's {button} failed:\n{result.get('error', '')}\n{result.get('log', '')[-4000:]}"


def _page(cycle, course: Path, student: str) -> Path:
    return course / "feedback" / student / cycle["assignment"] / cycle["nb_name"].replace(".ipynb", ".html")


def _assert_chinese_page_without_hidden_tests(cycle, student: str, html: str) -> None:
    text = html_text(html)
    assert '<html lang="zh-CN">' in html and "自动评分" in text, f"{student}: not the Chinese feedback page"
    assert "BEGIN HIDDEN TESTS" not in text and "END HIDDEN TESTS" not in text
    own = _own_lines(cycle, student)
    leaked = sorted(line for line in hidden_test_lines(cycle["source_nb"])
                    if line in text and not any(line in mine for mine in own))
    assert not leaked, f"{student}: feedback shows hidden-test lines {leaked}"


def test_formgrader_generate_feedback_gives_the_chinese_page_without_hidden_tests(cycle, formgrader):
    """The Generate feedback button for one learner writes the command line's page, in Chinese."""
    student, course = "s03-wrong", formgrader["course"]
    hidden = hidden_test_lines(cycle["source_nb"])
    graded = course / "autograded" / student / cycle["assignment"] / cycle["nb_name"]
    assert hidden and any(line in notebook_text(graded) for line in hidden), "no hidden test to look for"
    page = _page(cycle, course, student)
    page.unlink()
    _succeeded(formgrader["api"].generate_feedback(cycle["assignment"], student), "Generate feedback")
    html = page.read_text(encoding="utf-8")
    _assert_chinese_page_without_hidden_tests(cycle, student, html)
    assert html == cycle["html"][student], "formgrader's feedback page differs from the command line's"


def test_formgrader_generate_all_feedback(cycle, formgrader):
    course = formgrader["course"]
    shutil.rmtree(course / "feedback")
    _succeeded(formgrader["api"].generate_feedback(cycle["assignment"]), "Generate all feedback")
    for student in cycle["html"]:
        _assert_chinese_page_without_hidden_tests(cycle, student, _page(cycle, course, student).read_text(encoding="utf-8"))


def test_formgrader_release_feedback_puts_the_page_in_the_exchange(cycle, formgrader):
    student = "s01-reference"  # submitted through the exchange: its feedback has the submission's secret
    _succeeded(formgrader["api"].release_feedback(cycle["assignment"], student), "Release feedback")
    released = sorted((formgrader["exchange"] / COURSE / "feedback").glob("*.html"))
    assert [p.read_bytes() for p in released] == [_page(cycle, formgrader["course"], student).read_bytes()]


def test_formgrader_autograde_button_gives_the_command_line_scores(cycle, formgrader):
    """Autograde of one submission from formgrader: the same sandboxed grading, the same scores."""
    from nbgrader.api import Gradebook

    student, course = _mistake_student(0), formgrader["course"]
    graded = course / "autograded" / student / cycle["assignment"] / cycle["nb_name"]
    graded.chmod(0o644)
    graded.unlink()
    _succeeded(formgrader["api"].autograde(cycle["assignment"], student), "Autograde")
    note = read(graded).cells[0].source
    assert "评分说明" in note and (UNSANDBOXED or "沙箱里运行" in note)
    with Gradebook("sqlite:///" + str(course / "gradebook.db"), COURSE) as gb:
        submission = gb.find_submission(cycle["assignment"], student)
        scores = {g.name: (g.auto_score, g.max_score) for nb in submission.notebooks for g in nb.grades}
    assert scores == cycle["auto"][student]


def test_formgrader_grading_page_is_the_grading_form(cycle, formgrader):
    """The course's feedback template must not replace formgrader's manual-grading page."""
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(config=formgrader["app"].config)  # as FormgradeExtension.init_tornado_settings
    graded = formgrader["course"] / "autograded" / "s01-reference" / cycle["assignment"] / cycle["nb_name"]
    resources = {"assignment_id": cycle["assignment"], "notebook_id": graded.stem, "submission_id": "x",
                 "index": 0, "total": 1, "base_url": "", "student": "s01-reference", "last_name": None,
                 "first_name": None, "notebook_path": str(graded)}
    html, _ = exporter.from_filename(str(graded), resources=resources)
    assert '<input class="score tabbable"' in html
    assert "nmops-tasks" not in html and 'lang="zh-CN"' not in html  # marks of the feedback page
