"""A hostile class (作弊与破坏测试): every known attack on autograding, graded in one nbgrader run.

Each submission is built from the first assignment's release notebook. Two kinds:

* **cheats** (``CHEATS``): the attack code goes first in the first answer
  cell, and every answer is a planted wrong answer from ``known_answers.py``;
  the attack tries to make those wrong answers pass, to read the reference,
  or to poison the run. Each must score 0 on every test.
* **wreckers** (``WRECKERS``): the attack replaces the first answer cell
  (loop ignoring every signal, killing processes, fork bomb, memory bomb,
  disk fill, a 100 MB line); every other answer is the reference. The first
  question scores 0, every other question full marks: one broken task does
  not cost the rest.

The reference submission (graded after the attackers, names sort last) gets
full marks and the blank one 0 in the same run. Then: the course files, the
gradebook's source cells and the installed ``nmops`` are byte-identical, the
gradebook has no trigger, nothing the attackers started is still running,
nothing they wrote reached the machine's ``/tmp``, and no feedback page shows
a hidden-test line.

One session-scoped run (about a minute). It needs bubblewrap; without it the
tests skip with how to install it, except in CI where they fail.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path

import nbformat
import pytest
from conftest import require_or_skip

from assignment_helpers import (
    ASSIGNMENTS,
    BEGIN_HIDDEN,
    END_HIDDEN,
    ROOT,
    answer_cell_before,
    cells_by_id,
    fill_answers,
    html_text,
    is_answer_cell,
    is_test_cell,
    load_wrong_answers,
    meta,
    nbgrader_env,
    read,
    run_nbgrader_steps,
    secret_and_public_lines,
    source_notebooks,
    split_regions,
)

pytestmark = pytest.mark.skipif(not ASSIGNMENTS, reason="no assignment under solutions/")

COURSE = "nmops"
TIMEOUT = 5
MARK = f"nmops-attack-{uuid.uuid4().hex[:8]}"  # finds what the attackers left behind

# Attack code; {course} is the course folder (an attacker can guess it), {mark} the marker above.
# What an attack finds is printed after "FOU" "ND:" (split so that printing In does not show the marker).
CHEATS = {
    "a01-impersonate": """
import numpy as _np
class int64(int):
    __module__ = "numpy"
    def __eq__(self, other): return True
    def __ne__(self, other): return False
    __hash__ = int.__hash__
class dict_(dict):
    __module__ = "builtins"
    def __eq__(self, other): return True
dict_.__name__ = dict_.__qualname__ = "dict"
class set_(set):
    def __eq__(self, other): return True
    def __le__(self, other): return True
set_.__name__ = set_.__qualname__ = "set"
""",
    "a02-patch-builtins": """
import builtins
_real_type, _real_isinstance = builtins.type, builtins.isinstance
builtins.isinstance = lambda obj, cls: True
builtins.type = lambda *a: dict if len(a) == 1 else _real_type(*a)
""",
    "a03-patch-checks": """
import nmops.grading, nmops.grading.checks as _c
for _n in ("check_number", "check_set", "check_mapping", "check_series", "check_frame", "require_number"):
    setattr(_c, _n, lambda *a, **k: None)
    setattr(nmops.grading, _n, lambda *a, **k: None)
try:
    open(_c.__file__, "a").write("\\n# {mark}\\n")
except OSError as exc:
    print("cannot write nmops:", type(exc).__name__)
""",
    "a04-settrace": """
import sys
def _tracer(frame, event, arg):
    if frame.f_code.co_name.startswith("check"):
        frame.f_locals.update({{k: v for k, v in frame.f_locals.items() if k == "expected"}})
        frame.f_globals["_leak"] = dict(frame.f_locals)
    return _tracer
sys.settrace(_tracer)
""",
    "a05-ast-transformer": """
import ast
class _Swallow(ast.NodeTransformer):
    def visit_Module(self, node):
        handler = ast.ExceptHandler(type=ast.Name("BaseException", ast.Load()), name=None, body=[ast.Pass()])
        return ast.fix_missing_locations(ast.Module([ast.Try(node.body, [handler], [], [])], []))
get_ipython().ast_transformers.append(_Swallow())
""",
    "a06-input-transformer": """
get_ipython().input_transformers_post.append(lambda lines: [])
""",
    "a07-pre-run-hook": """
from IPython.display import display
def _before(info):
    print(1.0)
    display(1.0)
get_ipython().events.register("pre_run_cell", _before)
""",
    "a08-read-course": """
import glob, os
_found = []
for _pattern in ["{course}/gradebook.db", "{course}/solutions/*/*", "{course}/source/*/*", "{course}/submitted/*/*/*",
                 "{course}/autograded/*/*/*", "/srv/nbgrader/exchange/*", "../*/*.ipynb", "../../*/*/*.ipynb",
                 "/proc/1/root/*"]:
    _found += glob.glob(_pattern)
for _path in _found:
    try:
        print("FOU" "ND:", _path, open(_path, errors="replace").read()[:100000])
    except OSError:
        pass
import socket
try:
    socket.create_connection(("1.1.1.1", 53), timeout=2)
    print("FOU" "ND: network")
except OSError:
    pass
print(In)
get_ipython().run_line_magic("history", "")
""",
    "a09-sqlite-trigger": """
import sqlite3
try:
    _db = sqlite3.connect("{course}/gradebook.db")
    _db.execute("CREATE TRIGGER {trigger} AFTER INSERT ON grade BEGIN UPDATE grade SET auto_score = 2; END")
    _db.commit()
    print("FOU" "ND: trigger written")
except Exception as exc:
    print("no gradebook:", type(exc).__name__)
""",
    "a10-edit-own-files": """
import glob
for _path in glob.glob("{course}/submitted/a10-edit-own-files/*/*.ipynb") + glob.glob("{course}/autograded/*/*/*.ipynb") \\
        + glob.glob("*.ipynb"):
    try:
        open(_path, "a").write("{mark}")
        print("FOU" "ND: wrote", _path)
    except OSError:
        pass
""",
    "a11-fake-nmops": "",  # its attack is in the files submitted beside the notebook (EXTRA_FILES)
    "a12-outlive": """
import subprocess, sys
for _args in (["sleep", "600"], [sys.executable, "-c", "import time; time.sleep(600)"]):
    subprocess.Popen(_args + ["{mark}"] if _args[0] == "sleep" else _args[:2] + ["import time; time.sleep(600) # {mark}"],
                     start_new_session=True)
open("/tmp/{mark}", "w").write("left behind")
""",
}

FAKE_CHECKS = "def _ok(*a, **k):\n    return None\ncheck_number = check_set = check_mapping = check_series = check_frame = require_number = _ok\n"
EXTRA_FILES = {
    "a11-fake-nmops": {
        "nmops/__init__.py": "",
        "nmops/grading/__init__.py": FAKE_CHECKS,
        "nmops/grading/checks.py": FAKE_CHECKS,
        "sitecustomize.py": "import builtins\nbuiltins.isinstance = lambda *a: True\n",
        "usercustomize.py": "import builtins\nbuiltins.isinstance = lambda *a: True\n",
        "zz.pth": "import builtins; builtins.isinstance = lambda *a: True\n",
        ".ipython/profile_default/startup/00-cheat.py": FAKE_CHECKS,
    },
}

WRECKERS = {
    "b01-ignore-signals": """
import signal
for _s in (signal.SIGINT, signal.SIGALRM, signal.SIGTERM):
    signal.signal(_s, signal.SIG_IGN)
while True:
    try:
        pass
    except BaseException:
        pass
""",
    "b02-kill-everything": """
import os
for _pid in range(1, 500):
    if _pid != os.getpid():
        try:
            os.kill(_pid, 9)
        except OSError:
            pass
try:
    os.kill(os.getppid(), 9)
finally:
    os.kill(os.getpid(), 9)
""",
    "b03-fork-bomb": """
import os
while True:
    os.fork()
""",
    "b04-memory-bomb": """
_hog = []
while True:
    _hog.append(bytearray(100_000_000))
""",
    "b05-touch-memory": """
_hog = b"x" * 3_000_000_000
""",
    "b06-disk-fill": """
_chunk = b"0" * (1 << 20)
for _path in ("/tmp/fill", "fill", "{course}/fill"):
    try:
        with open(_path, "wb") as _f:
            while True:
                _f.write(_chunk)
    except OSError as exc:
        print(_path, type(exc).__name__)
""",
    "b07-huge-line": """
print("x" * 100_000_000)
""",
}

# z04: the same wrong answers as every cheat, without the attack: what a cheat may score at most.
HONEST = ["z01-reference", "z02-blank", "z04-wrong-honest"]

# An assignment in plain nbgrader form (its test calls the learner's function), declared in
# SandboxedExecute.tests_in_sandbox, graded with the parallel command in the same run.
PLAIN = "plain-demo"
PLAIN_CELLS = [
    ("code", {"solution": True, "grade": False, "locked": False, "grade_id": "squares"},
     "def squares(n):\n    ### BEGIN SOLUTION\n    return [i * i for i in range(1, n + 1)]\n    ### END SOLUTION"),
    ("code", {"solution": False, "grade": True, "locked": True, "points": 2, "grade_id": "squares_test"},
     "assert squares(3) == [1, 4, 9]\n### BEGIN HIDDEN TESTS\nassert squares(5)[-1] == 25\n### END HIDDEN TESTS"),
]
PLAIN_SUBMISSIONS = {"z01-reference": "def squares(n):\n    return [i * i for i in range(1, n + 1)]", "z02-blank": "", "z03-wrong": "def squares(n):\n    return [1, 4, 9]"}


def _plain_assignment(course: Path) -> None:
    cells = []
    for kind, nbgrader, source in PLAIN_CELLS:
        cells.append(nbformat.v4.new_code_cell(source, metadata={"nbgrader": {**nbgrader, "schema_version": 3,
                                                                              "task": False}}))
    nb = nbformat.v4.new_notebook(cells=cells, metadata={"kernelspec": {"name": "python3", "language": "python",
                                                                         "display_name": "Python 3"}})
    (course / "solutions" / PLAIN).mkdir(parents=True)
    nbformat.write(nb, course / "solutions" / PLAIN / f"{PLAIN}.ipynb")
    with open(course / "nbgrader_config.py", "a", encoding="utf-8") as fh:
        fh.write(f"\nc.SandboxedExecute.tests_in_sandbox = [{PLAIN!r}]\n")


def _plain_submissions(course: Path) -> None:
    release = read(course / "exercises" / PLAIN / f"{PLAIN}.ipynb")
    for student, answer in PLAIN_SUBMISSIONS.items():
        nb = nbformat.from_dict(release)
        if answer:
            nb.cells[0].source = answer
        folder = course / "submitted" / student / PLAIN
        folder.mkdir(parents=True)
        nbformat.write(nb, folder / f"{PLAIN}.ipynb")


def _build(student: str, release_nb, source_nb, course: Path):
    nb = nbformat.from_dict(release_nb)
    if student == "z02-blank":
        return nb
    fill_answers(nb, source_nb)
    first_answer = next(c for c in nb.cells if is_answer_cell(c) and c.cell_type == "code")
    fmt = {"course": course, "mark": MARK, "trigger": MARK.replace("-", "_")}
    if student in WRECKERS:
        first_answer.source = WRECKERS[student].format(**fmt)
        return nb
    if student in CHEATS or student == "z04-wrong-honest":
        wrong = load_wrong_answers(ASSIGNMENTS[0])
        cells = cells_by_id(nb)
        for test_id, answers in wrong.items():
            cells[meta(nb.cells[answer_cell_before(nb, test_id)])["grade_id"]].source = answers[0][1]
        if student in CHEATS:
            first_answer.source = CHEATS[student].format(**fmt) + "\n" + first_answer.source
    return nb


def _snapshot(folder: Path, skip: tuple[str, ...]) -> dict[str, str]:
    out = {}
    for path in sorted(folder.rglob("*")):
        rel = str(path.relative_to(folder))
        if path.is_file() and not rel.startswith(skip):
            out[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def _source_cells(db: Path) -> list:
    with sqlite3.connect(db) as con:
        return con.execute("SELECT name, source, checksum FROM source_cell ORDER BY name").fetchall()


def _processes_with(mark: str) -> list[str]:
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            text = cmdline.read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if mark in text and "pytest" not in text:
            found.append(text)
    return found


@pytest.fixture(scope="session")
def attack_run(tmp_path_factory):
    from nmops.grading.sandbox import bwrap_path

    require_or_skip(bwrap_path() is not None, "bubblewrap（bwrap）", "sudo apt-get install bubblewrap")
    assignment = ASSIGNMENTS[0]
    tmp = tmp_path_factory.mktemp("attacks")
    course = tmp / "course"
    env = nbgrader_env(tmp)
    (course / "solutions").mkdir(parents=True)
    shutil.copy(ROOT / "nbgrader_config.py", course)
    shutil.copytree(ROOT / "solutions" / assignment, course / "solutions" / assignment)
    source_path = source_notebooks(assignment)[0]
    source_nb, nb_name = read(source_path), source_path.name
    _plain_assignment(course)
    run_nbgrader_steps([{"cwd": str(course), "argv": ["generate_assignment", a, "--force"]} for a in (assignment, PLAIN)],
                       tmp, env)
    _plain_submissions(course)
    release_nb = read(course / "exercises" / assignment / nb_name)
    students = [*CHEATS, *WRECKERS, *HONEST]
    for student in students:
        folder = course / "submitted" / student / assignment
        folder.mkdir(parents=True)
        nbformat.write(_build(student, release_nb, source_nb, course), folder / nb_name)
        for rel, text in EXTRA_FILES.get(student, {}).items():
            (folder / rel).parent.mkdir(parents=True, exist_ok=True)
            (folder / rel).write_text(text, encoding="utf-8")

    db = course / "gradebook.db"
    before = {"course": _snapshot(course, ("gradebook.db", "autograded", "feedback")),
              "nmops": _snapshot(ROOT / "nmops", ("__pycache__",)), "cells": _source_cells(db)}
    log = run_nbgrader_steps(
        [{"cwd": str(course), "argv": ["autograde", assignment, f"--Execute.timeout={TIMEOUT}",
                                       "--SandboxedExecute.grace=3",
                                       f"--SandboxedExecute.memory_limit={1536 * 1024**2}"]},
         {"cwd": str(course), "argv": ["generate_feedback", assignment]}],
        tmp, env)
    parallel = subprocess.run([sys.executable, "-m", "nmops.grading.parallel", PLAIN, "--jobs", "2"], cwd=course,
                              env=env, capture_output=True, text=True, timeout=300)
    assert parallel.returncode == 0, parallel.stderr[-3000:]
    log += parallel.stderr
    after = {"course": _snapshot(course, ("gradebook.db", "autograded", "feedback")),
             "nmops": _snapshot(ROOT / "nmops", ("__pycache__",)), "cells": _source_cells(db)}

    from nbgrader.api import Gradebook

    with Gradebook("sqlite:///" + str(db), COURSE) as gb:
        points = {s: {g.name: g.auto_score for nb in gb.find_submission(assignment, s).notebooks for g in nb.grades
                      if g.name in {meta(c)["grade_id"] for c in source_nb.cells if is_test_cell(c)}}
                  for s in students}
        plain = {s: gb.find_submission(PLAIN, s).score for s in PLAIN_SUBMISSIONS}
        full = {g.name: g.max_score for nb in gb.find_submission(assignment, "z01-reference").notebooks
                for g in nb.grades if g.name in points["z01-reference"]}
    with sqlite3.connect(db) as con:
        triggers = con.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall()
    pages = {s: course / "feedback" / s / assignment / nb_name.replace(".ipynb", ".html") for s in students}
    return {"course": course, "assignment": assignment, "nb_name": nb_name, "source_nb": source_nb,
            "points": points, "full": full, "plain": plain, "before": before, "after": after, "triggers": triggers,
            "html": {s: html_text(p.read_text(encoding="utf-8")) if p.is_file() else None for s, p in pages.items()},
            "log": log, "first_test": next(meta(c)["grade_id"] for c in source_nb.cells if is_test_cell(c))}


def test_honest_reference_full_marks_and_blank_zero_in_the_same_run(attack_run):
    assert sum(attack_run["full"].values()) > 0
    assert attack_run["points"]["z01-reference"] == attack_run["full"]
    assert all(score == 0 for score in attack_run["points"]["z02-blank"].values())


def test_the_cheats_wrong_answers_lose_points_on_every_task(attack_run):
    honest_wrong, full = attack_run["points"]["z04-wrong-honest"], attack_run["full"]
    assert all(honest_wrong[name] < full[name] for name in full), honest_wrong


@pytest.mark.parametrize("student", sorted(CHEATS))
def test_cheat_gains_nothing_over_the_same_wrong_answers(attack_run, student):
    # Partial credit (e.g. 0.5 a level in q1) means a wrong answer may keep some points: the attack must add none.
    # (An attack may cost points too: patched builtins break the learner's own code.)
    cheat, honest = attack_run["points"][student], attack_run["points"]["z04-wrong-honest"]
    assert set(cheat) == set(honest)
    gained = {name: (cheat[name], honest[name]) for name in honest if cheat[name] > honest[name]}
    assert not gained, (gained, attack_run["log"][-3000:])


@pytest.mark.parametrize("student", sorted(WRECKERS))
def test_wrecker_loses_only_the_task_it_broke(attack_run, student):
    first = attack_run["first_test"]
    expected = {name: (0 if name == first else mx) for name, mx in attack_run["full"].items()}
    assert attack_run["points"][student] == expected


def test_every_submission_gets_feedback(attack_run):
    missing = [s for s, page in attack_run["html"].items() if page is None]
    assert not missing


def test_wreckers_are_told_what_happened_in_chinese(attack_run):
    html = attack_run["html"]
    assert "单元格运行超时" in html["b01-ignore-signals"]
    assert "内核在运行这个单元格时崩溃了" in html["b02-kill-everything"]
    # A memory bomb ends one of two ways, both told: Python raises MemoryError at the address-space limit, or,
    # when even the traceback cannot be allocated, the process dies and the crash message (which names 内存耗尽) shows.
    page = html["b04-memory-bomb"]
    assert "MemoryError" in page or "内核在运行这个单元格时崩溃了" in page, page[-2000:]


def test_course_gradebook_and_nmops_untouched(attack_run):
    before, after = attack_run["before"], attack_run["after"]
    assert after["course"] == before["course"], "a course file changed during autograde"
    assert after["nmops"] == before["nmops"], "the installed nmops package changed"
    assert after["cells"] == before["cells"], "the gradebook's source cells (hidden tests) changed"
    assert attack_run["triggers"] == []


def test_nothing_outlives_the_grader_or_leaks_to_the_host(attack_run):
    assert _processes_with(MARK) == []
    assert not Path("/tmp", MARK).exists()
    assert not (attack_run["course"] / "fill").exists()


def test_sandbox_showed_nothing_of_the_course(attack_run):
    course, assignment, nb_name = attack_run["course"], attack_run["assignment"], attack_run["nb_name"]
    for student in CHEATS:
        nb = read(course / "autograded" / student / assignment / nb_name)
        outputs = json.dumps([c.get("outputs", []) for c in nb.cells], ensure_ascii=False)
        assert "FOUND:" not in outputs, student


def test_dropped_files_are_listed_in_feedback(attack_run):
    page = attack_run["html"]["a11-fake-nmops"]
    assert "没有使用" in page and "sitecustomize.py" in page and "nmops/grading/checks.py" in page


def test_huge_output_is_cut_to_the_limit(attack_run):
    course, assignment, nb_name = attack_run["course"], attack_run["assignment"], attack_run["nb_name"]
    size = (course / "autograded" / "b07-huge-line" / assignment / nb_name).stat().st_size
    assert size < 3_000_000
    assert os.path.getsize(course / "gradebook.db") < 5_000_000


def test_no_feedback_shows_a_hidden_test(attack_run):
    _, public = secret_and_public_lines(attack_run["source_nb"])
    hidden = set()
    for cell in attack_run["source_nb"].cells:
        if BEGIN_HIDDEN in cell.source:
            inside, _ = split_regions(cell.source, BEGIN_HIDDEN, END_HIDDEN)
            hidden.update(line.strip() for line in inside if len(line.strip()) >= 8)
    hidden = {line for line in hidden if not any(line in p for p in public)}
    assert hidden
    course, assignment, nb_name = attack_run["course"], attack_run["assignment"], attack_run["nb_name"]
    for student, page in attack_run["html"].items():
        submitted = read(course / "submitted" / student / assignment / nb_name)
        own = {line.strip() for c in submitted.cells for line in c.source.split("\n") if line.strip()}
        leaked = sorted(line for line in hidden if line in page and not any(line in o for o in own))
        assert not leaked, f"{student}: feedback shows {leaked}"
        assert "BEGIN HIDDEN TESTS" not in page


def test_plain_nbgrader_assignment_grades_with_the_parallel_command(attack_run):
    """Tests that call the learner's function run in the sandbox when the assignment is declared so."""
    assert attack_run["plain"] == {"z01-reference": 2, "z02-blank": 0, "z03-wrong": 0}
    assert "[3/3]" in attack_run["log"] and "并行评分失败" not in attack_run["log"]
