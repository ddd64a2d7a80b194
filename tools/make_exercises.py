"""Regenerate ``exercises/`` (learner versions) from ``solutions/`` with nbgrader.

Usage::

    python tools/make_exercises.py                  # every assignment under solutions/
    python tools/make_exercises.py 00-orientation   # only these
    python tools/make_exercises.py --root DIR       # another course folder (used by tests)

For each assignment this does what ``nbgrader generate_assignment <id> --force``
does, with the course's own ``nbgrader_config.py`` only (a personal
``~/.jupyter/nbgrader_config.py`` cannot change the committed exercises), in
one process so that nbgrader is imported once rather than once per assignment.
It also records the assignment in the course gradebook (``gradebook.db``),
which ``nbgrader autograde`` needs later. Never edit ``exercises/`` by hand.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def find_assignments(root: Path) -> list[str]:
    """Assignment ids: folders under ``solutions/`` that hold at least one notebook."""
    source = root / "solutions"
    if not source.is_dir():
        return []
    return sorted(
        d.name
        for d in source.iterdir()
        if d.is_dir() and not d.name.startswith(".") and any(d.glob("*.ipynb"))
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Regenerate exercises/ from solutions/ (nbgrader generate_assignment).")
    parser.add_argument("assignments", nargs="*", help="assignment ids (default: every folder under solutions/)")
    parser.add_argument("--root", type=Path, default=REPO, help="course folder holding nbgrader_config.py (default: this repository)")
    args = parser.parse_args(argv)

    root = args.root.resolve()
    if not (root / "nbgrader_config.py").is_file():
        print(f"找不到 {root / 'nbgrader_config.py'}：--root 应该指向课程文件夹。", file=sys.stderr)
        return 2
    available = find_assignments(root)
    wanted = args.assignments or available
    unknown = [a for a in wanted if a not in available]
    if unknown:
        print(f"solutions/ 下没有这些作业：{', '.join(unknown)}（现有：{', '.join(available) or '无'}）", file=sys.stderr)
        return 2

    # nbgrader shells out to alembic (gradebook migrations): use this environment's bin/.
    os.environ["PATH"] = os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", "")
    started = time.perf_counter()
    print(f"载入 nbgrader……（{len(wanted)} 个作业）", flush=True)
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory
    from traitlets.config.loader import PyFileConfigLoader

    config = PyFileConfigLoader("nbgrader_config.py", path=str(root)).load_config()
    coursedir = CourseDirectory(config=config)
    api = NbGraderAPI(coursedir=coursedir, config=config)

    for number, assignment in enumerate(wanted, start=1):
        t0 = time.perf_counter()
        print(f"[{number}/{len(wanted)}] {assignment}：生成学生版……", end="", flush=True)
        result = api.generate_assignment(assignment, force=True, create=True)
        if not result["success"]:
            print(" 失败", flush=True)
            print(result.get("log", ""), result.get("error", ""), sep="\n", file=sys.stderr)
            return 1
        out = root / "exercises" / assignment
        files = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
        print(f" 完成（{time.perf_counter() - t0:.1f} 秒）：{', '.join(files)}", flush=True)

    stale = sorted(
        d.name for d in (root / "exercises").iterdir()
        if d.is_dir() and not d.name.startswith(".") and d.name not in available
    ) if (root / "exercises").is_dir() else []
    for name in stale:
        print(f"注意：exercises/{name} 在 solutions/ 里没有对应的作业，请确认后手动删除。", file=sys.stderr)
    print(f"全部完成，用时 {time.perf_counter() - started:.1f} 秒。", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
