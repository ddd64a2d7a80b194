"""Shared helpers for the assignment and class-cycle tests (read notebooks, find secrets, isolate nbgrader).

Every assignment folder under ``solutions/`` is found here, so a new
assignment is tested with no new test code; it only needs its notebook(s)
and a ``known_answers.py`` next to them (see ``nmops/coach.py``).
"""

from __future__ import annotations

import html
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat
from make_exercises import find_assignments  # tools/ is on sys.path (conftest.py)

from nmops.coach import read_known_module

ROOT = Path(__file__).resolve().parents[1]
ASSIGNMENTS = find_assignments(ROOT)
BIN = os.path.dirname(sys.executable)

BEGIN_SOLUTION, END_SOLUTION = "BEGIN SOLUTION", "END SOLUTION"
BEGIN_HIDDEN, END_HIDDEN = "BEGIN HIDDEN TESTS", "END HIDDEN TESTS"


def source_notebooks(assignment: str, root: Path = ROOT) -> list[Path]:
    return sorted((root / "solutions" / assignment).glob("*.ipynb"))


def read(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)


def meta(cell) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {})


def is_answer_cell(cell) -> bool:
    return bool(meta(cell).get("solution"))


def is_test_cell(cell) -> bool:
    """An autograder test cell: graded, locked code that is not an answer."""
    m = meta(cell)
    return cell.cell_type == "code" and bool(m.get("grade")) and not m.get("solution")


def split_regions(source: str, begin: str, end: str) -> tuple[list[str], list[str]]:
    """(lines inside begin/end regions, lines outside), delimiter lines dropped."""
    inside, outside, depth = [], [], False
    for line in source.split("\n"):
        if begin in line:
            depth = True
        elif end in line:
            depth = False
        else:
            (inside if depth else outside).append(line)
    return inside, outside


def solution_source(cell) -> str:
    """What a learner who typed the reference answer would have in the cell."""
    if BEGIN_SOLUTION in cell.source:
        inside, _ = split_regions(cell.source, BEGIN_SOLUTION, END_SOLUTION)
        return "\n".join(inside)
    return cell.source


def _meaningful(line: str) -> bool:
    """A line worth searching for: at least 6 characters with a letter, digit or CJK character."""
    s = line.strip()
    return len(s) >= 6 and re.search(r"[0-9A-Za-z\u4e00-\u9fff]", s) is not None


def secret_and_public_lines(nb) -> tuple[set[str], set[str]]:
    """Lines only the instructor may see (answers, hidden tests) and lines learners see.

    A line counts as secret only if it does not also appear in a public part
    of the notebook (a visible test may legitimately repeat an import).
    """
    secret, public = set(), set()
    for cell in nb.cells:
        src = cell.source
        if is_answer_cell(cell):
            if BEGIN_SOLUTION in src:
                inside, outside = split_regions(src, BEGIN_SOLUTION, END_SOLUTION)
            else:
                inside, outside = src.split("\n"), []
        elif BEGIN_HIDDEN in src:
            inside, outside = split_regions(src, BEGIN_HIDDEN, END_HIDDEN)
        else:
            inside, outside = [], src.split("\n")
        secret.update(s.strip() for s in inside if _meaningful(s))
        public.update(s.strip() for s in outside if _meaningful(s))
    return secret - public, public


def hidden_test_lines(nb) -> set[str]:
    """Lines of the hidden tests (``### BEGIN/END HIDDEN TESTS``) that no public part of the notebook repeats."""
    hidden = set()
    for cell in nb.cells:
        if BEGIN_HIDDEN in cell.source:
            inside, _ = split_regions(cell.source, BEGIN_HIDDEN, END_HIDDEN)
            hidden.update(s.strip() for s in inside if _meaningful(s))
    _, public = secret_and_public_lines(nb)
    return hidden - public


def notebook_text(path: Path) -> str:
    """All text a reader of a file could see; notebooks are decoded from JSON first.

    Searching raw ``.ipynb`` bytes would miss a line with quotes in it,
    since JSON escapes them; so sources and outputs are joined as text.
    """
    raw = path.read_text(encoding="utf-8", errors="replace")
    if path.suffix != ".ipynb":
        return raw
    nb = json.loads(raw)
    parts = [raw]
    for cell in nb.get("cells", []):
        parts.append("".join(cell.get("source", "")))
        for out in cell.get("outputs", []):
            parts.append(json.dumps(out, ensure_ascii=False))
            parts.append("".join(out.get("text", "")))
            parts.extend(out.get("traceback", []))
    return "\n".join(parts)


def html_text(markup: str) -> str:
    """Visible text of an HTML page: tags removed, entities decoded.

    Syntax highlighting splits a code line into many ``<span>``s, so a raw
    search for a line of code in the HTML would find nothing even when the
    line is shown; this text is what must be searched.
    """
    markup = re.sub(r"<(script|style)\b.*?</\1>", "", markup, flags=re.S | re.I)
    return html.unescape(re.sub(r"<[^>]+>", "", markup))


def load_wrong_answers(assignment: str, root: Path = ROOT) -> dict[str, list[tuple[str, str]]]:
    """Every wrong answer the tests plant, by test cell: the named mistakes and the other planted ones.

    Read from the assignment's one place, ``solutions/<assignment>/known_answers.py``
    (``TASKS`` and ``PLANTED``; see ``nmops/coach.py``).
    """
    path = root / "solutions" / assignment / "known_answers.py"
    if not path.is_file():
        return {}
    module = read_known_module(path)
    wrong: dict[str, list[tuple[str, str]]] = {}
    for task, info in module.TASKS.items():
        wrong.setdefault(f"{task}_test", []).extend((m.name, m.code) for m in info.mistakes)
    for task, planted in getattr(module, "PLANTED", {}).items():
        wrong.setdefault(f"{task}_test", []).extend(planted)
    return wrong


def answer_cell_before(nb, grade_id: str) -> int:
    """Index of the nearest code answer cell above the test cell ``grade_id``."""
    index = next(i for i, c in enumerate(nb.cells) if meta(c).get("grade_id") == grade_id)
    for i in range(index - 1, -1, -1):
        if is_answer_cell(nb.cells[i]) and nb.cells[i].cell_type == "code":
            return i
    raise LookupError(f"no answer cell above test cell {grade_id}")


def nbgrader_env(tmp: Path) -> dict[str, str]:
    """Environment for nbgrader runs: this venv first on PATH, Jupyter state in ``tmp``, not in $HOME."""
    env = dict(os.environ)
    env["PATH"] = BIN + os.pathsep + env.get("PATH", "")
    for var, sub in [("JUPYTER_CONFIG_DIR", "jupyter-config"), ("JUPYTER_RUNTIME_DIR", "jupyter-runtime"),
                     ("IPYTHONDIR", "ipython")]:
        env[var] = str(tmp / sub)
        (tmp / sub).mkdir(parents=True, exist_ok=True)
    return env


def cells_by_id(nb) -> dict:
    return {meta(c)["grade_id"]: c for c in nb.cells if meta(c).get("grade_id")}


def fill_answers(nb, source_nb) -> None:
    """Type the reference answer into every answer cell (what a perfect learner submits)."""
    ref = cells_by_id(source_nb)
    for cell in nb.cells:
        if is_answer_cell(cell):
            cell.source = solution_source(ref[meta(cell)["grade_id"]])


def run_nbgrader_steps(steps: list[dict], tmp: Path, env: dict[str, str]) -> str:
    """Run nbgrader commands in one process (tests/nbgrader_session.py); return its log."""
    steps_file = tmp / f"steps-{len(list(tmp.glob('steps-*.json')))}.json"
    steps_file.write_text(json.dumps(steps, ensure_ascii=False), encoding="utf-8")
    proc = subprocess.run([sys.executable, str(Path(__file__).with_name("nbgrader_session.py")), str(steps_file)],
                          env=env, capture_output=True, text=True, timeout=900)
    log = proc.stdout + proc.stderr
    assert proc.returncode == 0, f"an nbgrader step failed:\n{log[-6000:]}"
    print("\n".join(line for line in log.splitlines() if line.startswith("[nbgrader ")))
    return log
