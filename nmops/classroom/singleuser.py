"""A learner's server on the class hub: ``nmops-class-singleuser``.

The hub starts this (as the learner, in their home) instead of
``jupyterhub-singleuser``. It first copies every lesson the learner has no
copy of yet into ``~/lessons/`` (a copy the learner already has is never
overwritten: their notes and answers stay), then becomes
``jupyterhub-singleuser`` with the same arguments. Assignments are not copied:
learners fetch them from the exchange (JupyterLab's 作业 tab), which is how
their submissions reach the instructors.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from nmops.start import copy_missing

__all__ = ["copy_lessons", "main"]


def copy_lessons(lessons: Path, home: Path) -> tuple[list[Path], list[Path]]:
    """Copy the class's lessons missing from ``home/lessons``; return (copied, kept)."""
    if not lessons.is_dir():
        return [], []
    return copy_missing(lessons, home / "lessons")


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    lessons = os.environ.get("NMOPS_CLASS_LESSONS")
    if lessons:
        try:
            copied, _ = copy_lessons(Path(lessons), Path.home())
        except OSError as err:  # a full disk must not keep the learner out of their server
            print(f"nmops-class-singleuser: 复制课程笔记本失败（{err}），服务器照常启动。", file=sys.stderr)
        else:
            for path in copied:
                print(f"nmops-class-singleuser: copied {path}", file=sys.stderr)
    os.execvp("jupyterhub-singleuser", ["jupyterhub-singleuser", *argv])  # the spawner's PATH names the environment


if __name__ == "__main__":
    main()
