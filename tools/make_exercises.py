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

Next to the notebooks it writes ``coach.json``, the released part of
``solutions/<id>/known_answers.py`` (titles, hints, format checks, public
mistakes only; see ``nmops/coach.py``).

A learner's answers are never overwritten. A file under ``exercises/<id>/``
counts as edited unless it is what git holds for it (the index), what this
tool generated last (hashes in ``.nmops-generated.json``, git-ignored), or
what it generates now. An edited file is put back byte for byte after
nbgrader regenerates the folder, the tool says where the learner should work
instead (``nmops-start``) and exits with status 1.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
RECORD = ".nmops-generated.json"


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


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _committed(root: Path, rel: str) -> bytes | None:
    """The file as git's index holds it, or None (not tracked, or no git)."""
    try:
        result = subprocess.run(["git", "-C", str(root), "show", f":{rel}"], capture_output=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return None
    return result.stdout if result.returncode == 0 else None


def _snapshot(folder: Path, root: Path) -> dict[str, bytes]:
    """Bytes of every file under ``folder``, keyed by path relative to ``root``."""
    if not folder.is_dir():
        return {}
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def _edited(root: Path, rel: str, old: bytes, record: dict[str, str]) -> bool:
    """Whether ``old`` (the file before regeneration) holds changes nobody may lose."""
    new = root / rel
    if new.is_file() and new.read_bytes() == old:
        return False
    if record.get(rel) == _sha(old):
        return False
    return _committed(root, rel) != old


def _tracked(root: Path, folder: str) -> list[str]:
    """Paths git's index holds under ``folder`` (empty without git)."""
    try:
        result = subprocess.run(["git", "-C", str(root), "ls-files", "-z", "--", folder], capture_output=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return []
    return [p for p in result.stdout.decode("utf-8").split("\0") if p] if result.returncode == 0 else []


def released_files(root: Path, assignment: str) -> dict[str, bytes]:
    """The generated learner files of one assignment, never a learner's edits: {path under exercises/<id>/: bytes}.

    A file in the working tree is taken as is when it is what git's index
    holds or what this tool generated last; a file someone edited in place
    (a learner typing answers) is replaced by git's version, and a file only
    the index holds (deleted in the working tree) comes from the index.
    """
    folder = f"exercises/{assignment}"
    record_path = root / RECORD
    record = json.loads(record_path.read_text("utf-8")) if record_path.is_file() else {}
    rels = set(_snapshot(root / folder, root)) | set(_tracked(root, folder))
    out = {}
    for rel in sorted(rels):
        path = root / rel
        data = path.read_bytes() if path.is_file() else None
        committed = _committed(root, rel)
        if data is not None and (record.get(rel) == _sha(data) or committed in (None, data)):
            out[rel[len(folder) + 1:]] = data
        elif committed is not None:
            out[rel[len(folder) + 1:]] = committed
    return out


def write_coach_json(root: Path, assignment: str) -> Path | None:
    """Write ``exercises/<id>/coach.json`` from ``solutions/<id>/known_answers.py`` (if there is one)."""
    from nmops.coach import KNOWN_FILE, RELEASED_FILE, released

    source = root / "solutions" / assignment
    if not (source / KNOWN_FILE).is_file():
        return None
    out = root / "exercises" / assignment
    data = released(source, sorted(out.glob("*.ipynb")))
    path = out / RELEASED_FILE
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return path


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

    record_path = root / RECORD
    record = json.loads(record_path.read_text("utf-8")) if record_path.is_file() else {}
    kept: list[str] = []
    for number, assignment in enumerate(wanted, start=1):
        t0 = time.perf_counter()
        print(f"[{number}/{len(wanted)}] {assignment}：生成学生版……", end="", flush=True)
        out = root / "exercises" / assignment
        before = _snapshot(out, root)
        generated_before = dict(record)
        try:
            result = api.generate_assignment(assignment, force=True, create=True)
            if result["success"]:
                write_coach_json(root, assignment)
                record.update({rel: _sha(data) for rel, data in _snapshot(out, root).items()})
        finally:
            for rel, old in before.items():
                if _edited(root, rel, old, generated_before):
                    (root / rel).parent.mkdir(parents=True, exist_ok=True)
                    (root / rel).write_bytes(old)
                    kept.append(rel)
        if not result["success"]:
            print(" 失败", flush=True)
            print(result.get("log", ""), result.get("error", ""), sep="\n", file=sys.stderr)
            return 1
        files = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
        print(f" 完成（{time.perf_counter() - t0:.1f} 秒）：{', '.join(files)}", flush=True)

    stale = sorted(
        d.name for d in (root / "exercises").iterdir()
        if d.is_dir() and not d.name.startswith(".") and d.name not in available
    ) if (root / "exercises").is_dir() else []
    for name in stale:
        print(f"注意：exercises/{name} 在 solutions/ 里没有对应的作业，请确认后手动删除。", file=sys.stderr)
    record_path.write_text(json.dumps(record, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    if kept:
        print("\n这些文件被改动过（像是有人在里面答题），没有覆盖，原样保留：", file=sys.stderr)
        for rel in kept:
            print(f"  {rel}", file=sys.stderr)
        print("exercises/ 只放生成的学生版。答题请用自己的副本：nmops-start <作业编号>"
              "（复制到 work/，已有的副本不会被覆盖），再把答案搬过去；"
              "确认不需要这些改动后，用 git checkout -- <文件> 还原，再运行 make exercises。", file=sys.stderr)
        return 1
    print(f"全部完成，用时 {time.perf_counter() - started:.1f} 秒。", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
