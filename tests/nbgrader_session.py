"""Run several ``nbgrader`` commands in one Python process (used by the class-cycle test).

Each ``nbgrader ...`` command line spends about 5 seconds importing nbgrader
before it does anything; a class cycle needs a dozen of them. This script
reads a JSON list of steps, ``{"cwd": ..., "argv": [...]}``, and runs each one
through ``NbGraderApp.launch_instance(argv)``, which is exactly what the
``nbgrader`` executable does (same argument parsing, same config loading from
the working folder), clearing the application singletons between steps.

A step ``{"manual_scores": {...}}`` records manual grades between autograde
and feedback, as the formgrader would: keys ``db_url``, ``course``,
``assignment`` and ``share`` (student id -> fraction of each manually graded
cell's points).

    python tests/nbgrader_session.py steps.json

It prints one line per step with its time and stops at the first failing
step with exit status 1.
"""

from __future__ import annotations

import json
import os
import sys
import time


def run_steps(steps: list[dict]) -> int:
    from nbgrader.apps.nbgraderapp import NbGraderApp

    for step in steps:
        if "manual_scores" in step:
            set_manual_scores(**step["manual_scores"])
            continue
        os.chdir(step["cwd"])
        started = time.perf_counter()
        status = 0
        try:
            NbGraderApp.launch_instance(argv=step["argv"])
        except SystemExit as exc:  # nbgrader's self.fail() and some apps' exit paths
            status = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        finally:
            app = NbGraderApp.instance() if NbGraderApp.initialized() else None
            if app is not None and getattr(app, "subapp", None) is not None:
                type(app.subapp).clear_instance()
            NbGraderApp.clear_instance()
        print(f"[nbgrader {' '.join(step['argv'][:2])}] {time.perf_counter() - started:.1f} s, status {status}",
              file=sys.stderr, flush=True)
        if status:
            return 1
    return 0


def set_manual_scores(db_url: str, course: str, assignment: str, share: dict[str, float]) -> None:
    """Give every cell that needs a manual grade ``share[student]`` of its points."""
    from nbgrader.api import Gradebook

    with Gradebook(db_url, course) as gb:
        for student, fraction in share.items():
            for notebook in gb.find_submission(assignment, student).notebooks:
                for grade in notebook.grades:
                    if grade.needs_manual_grade:
                        grade.manual_score = fraction * grade.max_score
                        grade.needs_manual_grade = False
        gb.db.commit()


if __name__ == "__main__":
    with open(sys.argv[1], encoding="utf-8") as fh:
        sys.exit(run_steps(json.load(fh)))
