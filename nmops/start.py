"""Copy exercises and lessons into the learner's own folder (复制一份自己的作业): ``nmops-start``.

``exercises/`` and ``course/`` hold what the course ships; a learner who types
answers there loses them the next time the course is regenerated or updated.
This command copies them into ``work/`` (git-ignored) of the repository::

    nmops-start 00-orientation     # work/exercises/00-orientation/ (notebook, coach.json)
    nmops-start                    # every exercise and every lesson not yet copied

A file that already exists in ``work/`` is never overwritten: the learner's
copy wins, and the command says which files it kept. ``make lab`` runs
``nmops-start`` and opens JupyterLab in ``work/``.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

__all__ = ["WORK", "find_repo", "copy_missing", "start", "main"]

WORK = "work"


def find_repo(start_dir: Path | None = None) -> Path:
    """The course repository: the first folder upwards holding ``exercises/`` and ``course/``."""
    here = (start_dir or Path.cwd()).resolve()
    for folder in [here, *here.parents]:
        if (folder / "exercises").is_dir() and (folder / "course").is_dir():
            return folder
    raise SystemExit(f"找不到课程仓库（含 exercises/ 和 course/ 的文件夹）：从 {here} 往上都没有。"
                     "请在课程仓库里运行，或用 --repo 指定仓库路径。")


def copy_missing(source: Path, target: Path) -> tuple[list[Path], list[Path]]:
    """Copy every file of ``source`` (a file or folder) that is missing under ``target``; return (copied, kept)."""
    copied, kept = [], []
    files = [source] if source.is_file() else sorted(p for p in source.rglob("*") if p.is_file())
    for path in files:
        if ".ipynb_checkpoints" in path.parts:
            continue
        dest = target if source.is_file() else target / path.relative_to(source)
        if dest.exists():
            kept.append(dest)
            continue
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, dest)
        copied.append(dest)
    return copied, kept


def start(assignments: list[str] | None = None, repo: Path | None = None) -> tuple[list[Path], list[Path]]:
    """Copy the named exercises (default: all, plus every lesson) into ``<repo>/work/``; never overwrite.

    Returns
    -------
    (copied, kept) : lists of Path
        Files copied now, and files left as they were because a copy existed.
    """
    repo = repo or find_repo()
    work = repo / WORK
    available = sorted(d.name for d in (repo / "exercises").iterdir() if d.is_dir() and not d.name.startswith("."))
    wanted = assignments or available
    unknown = [a for a in wanted if a not in available]
    if unknown:
        raise SystemExit(f"exercises/ 下没有这些作业：{'、'.join(unknown)}。现有作业：{'、'.join(available) or '无'}。")
    copied, kept = [], []
    for assignment in wanted:
        c, k = copy_missing(repo / "exercises" / assignment, work / "exercises" / assignment)
        copied += c
        kept += k
    if not assignments:
        for lesson in sorted((repo / "course").glob("*.ipynb")):
            c, k = copy_missing(lesson, work / "lessons" / lesson.name)
            copied += c
            kept += k
    return copied, kept


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="把作业（和课程笔记本）复制到自己的 work/ 文件夹；已有的副本不会被覆盖。")
    parser.add_argument("assignments", nargs="*", help="作业编号，例如 00-orientation（默认：全部作业和课程）")
    parser.add_argument("--repo", type=Path, help="课程仓库路径（默认：从当前文件夹往上查找）")
    parser.add_argument("--quiet", action="store_true", help="只在复制了新文件时输出")
    args = parser.parse_args(argv)
    repo = args.repo.resolve() if args.repo else find_repo()
    copied, kept = start(args.assignments, repo)
    for path in copied:
        print(f"已复制：{path.relative_to(repo)}")
    if kept and not args.quiet:
        print(f"已有自己的副本，保持原样（{len(kept)} 个文件），例如 {kept[0].relative_to(repo)}")
    if copied or not args.quiet:
        print(f"在 {repo / WORK} 里做题。自评：nmops-selfgrade work/exercises/<作业编号>/<作业编号>.ipynb", file=sys.stderr)


if __name__ == "__main__":
    main()
