"""Seconds per submission (每份作业的评分耗时): plain nbgrader, the sandboxed path, the parallel command.

Generates N submissions of the first assignment (reference answers, with a
planted wrong answer in every third one), copies the course three times and
grades it three ways:

1. plain ``nbgrader autograde`` with nbgrader's own ``Execute`` (no sandbox,
   tests in the learner's kernel), the baseline;
2. ``nbgrader autograde`` with the project's ``nbgrader_config.py`` (the
   sandbox and the clean test process), what instructors run;
3. ``nmops-grade-class`` with both cores.

Targets (issue #11): (2) at most 25 % slower than (1); (3) at most 1 s per
submission on 2 cores. Also checks that the three ways give the same scores.

    python benchmarks/bench_grading.py [N]
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "tools"))

from assignment_helpers import (  # noqa: E402
    ASSIGNMENTS, answer_cell_before, cells_by_id, fill_answers, load_wrong_answers, meta, nbgrader_env, read,
    source_notebooks)

PLAIN = ("nbgrader.preprocessors.Execute", "nbgrader.preprocessors.IgnorePattern",
         "nbconvert.preprocessors.ClearMetadataPreprocessor", "nbgrader.preprocessors.LimitOutput",
         "nbgrader.preprocessors.SaveAutoGrades", "nbgrader.preprocessors.AssignLatePenalties",
         "nbgrader.preprocessors.CheckCellMetadata")


def make_course(folder: Path, assignment: str, n: int, env: dict, plain: bool) -> None:
    (folder / "solutions").mkdir(parents=True)
    shutil.copy(ROOT / "nbgrader_config.py", folder)
    if plain:  # nbgrader's own executing step: the learner's kernel runs the tests, no sandbox
        with open(folder / "nbgrader_config.py", "a", encoding="utf-8") as fh:
            fh.write(f"\nc.Autograde.autograde_preprocessors = {list(PLAIN)!r}\n")
    shutil.copytree(ROOT / "solutions" / assignment, folder / "solutions" / assignment)
    subprocess.run([sys.executable, "-m", "nbgrader", "generate_assignment", assignment, "--force"], cwd=folder,
                   env=env, check=True, capture_output=True)
    path = source_notebooks(assignment)[0]
    source_nb = read(path)
    release = read(folder / "exercises" / assignment / path.name)
    wrong = load_wrong_answers(assignment)
    for i in range(n):
        nb = nbformat.from_dict(release)
        fill_answers(nb, source_nb)
        # Every notebook differs, as in a real class (identical notebooks would share one result).
        answer = next(c for c in nb.cells if meta(c).get("solution") and c.cell_type == "code")
        answer.source = f"# 学号 s{i:03d}\n" + answer.source
        if i % 3 == 2:
            test_id = list(wrong)[i % len(wrong)]
            cell = cells_by_id(nb)[meta(nb.cells[answer_cell_before(nb, test_id)])["grade_id"]]
            cell.source = wrong[test_id][0][1]
        target = folder / "submitted" / f"s{i:03d}" / assignment
        target.mkdir(parents=True)
        nbformat.write(nb, target / path.name)


def scores(folder: Path, assignment: str) -> dict:
    from nbgrader.api import Gradebook

    with Gradebook("sqlite:///" + str(folder / "gradebook.db"), "nmops") as gb:
        return {s.student.id: s.score for s in gb.assignment_submissions(assignment)}


def timed(argv: list[str], cwd: Path, env: dict) -> float:
    started = time.perf_counter()
    proc = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(argv[:4])} failed:\n{proc.stderr[-3000:]}")
    return elapsed


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 50
    assignment = ASSIGNMENTS[0]
    with tempfile.TemporaryDirectory(prefix="nmops-bench-grading-") as tmp:
        tmp = Path(tmp)
        env = nbgrader_env(tmp)
        ways = {
            "plain nbgrader autograde (no sandbox)": [sys.executable, "-m", "nbgrader", "autograde", assignment],
            "nbgrader autograde, sandboxed (ordinary path)": [sys.executable, "-m", "nbgrader", "autograde",
                                                             assignment],
            "nmops-grade-class --jobs 2": [sys.executable, "-m", "nmops.grading.parallel", assignment, "--jobs", "2"],
        }
        results, per = {}, {}
        for label, argv in ways.items():
            course = tmp / f"course-{len(results)}"
            make_course(course, assignment, n, env, plain=not results)
            seconds = timed(argv, course, env)
            per[label] = seconds / n
            results[label] = scores(course, assignment)
            print(f"{label:<48} {seconds:6.1f} s for {n}  = {seconds / n:5.2f} s/submission", flush=True)
        labels = list(results)
        same = all(results[label] == results[labels[0]] for label in labels)
        plain, safe, parallel = (per[label] for label in labels)
        print(f"sandboxed vs plain: {100 * (safe / plain - 1):+.0f} % (target: at most +25 %)")
        print(f"parallel: {parallel:.2f} s/submission (target: at most 1 s on 2 cores)")
        print(f"same scores all three ways: {same}")
        if not same:
            for label in labels:
                print(label, sorted(results[label].items())[:10])


if __name__ == "__main__":
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    main()
