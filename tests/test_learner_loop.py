"""A learner's answers survive every command of the project (in a temporary clone).

The clone shares this worktree's ``.venv`` (make is told the install stamp is
up to date with ``-o``, so nothing is reinstalled). In it a learner copies the
exercises with ``nmops-start``, types answers into the working copy, into a
lesson copy and, against the advice, into ``exercises/`` in place; then runs
``make exercises``, the test command (``make test`` on the assignment
checks), ``make lab`` until the server answers, ``nbgrader validate`` and
``nmops-selfgrade``. Every answer must still be there, byte for byte.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest

from assignment_helpers import ROOT, meta, nbgrader_env
from nmops.start import start

ASSIGNMENT = "00-orientation"
NB = f"{ASSIGNMENT}.ipynb"
STAMP = ".venv/.nmops-installed"


def _answer(path: Path, grade_id: str, source: str) -> bytes:
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if meta(cell).get("grade_id") == grade_id:
            cell.source = source
    nbformat.write(nb, path)
    return path.read_bytes()


def _run(args: list[str], cwd: Path, env: dict, timeout: int = 600) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def clone(tmp_path_factory):
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("needs git and a git checkout")
    tmp = tmp_path_factory.mktemp("learner")
    repo = tmp / "nmops"
    # Uncommitted changes to tracked files too (a stash commit, made without touching the worktree).
    work_tree = subprocess.run(["git", "-C", str(ROOT), "stash", "create"], capture_output=True, text=True).stdout.strip()
    subprocess.run(["git", "clone", "-q", "--no-hardlinks", str(ROOT), str(repo)], check=True)
    if work_tree:
        subprocess.run(["git", "-C", str(repo), "checkout", "-q", "--detach", work_tree], check=True)
    (repo / ".venv").symlink_to(Path(sys.prefix))
    env = nbgrader_env(tmp)
    env.update(JUPYTERLAB_SETTINGS_DIR=str(tmp / "lab-settings"), JUPYTERLAB_WORKSPACES_DIR=str(tmp / "lab-ws"))
    env.pop("NMOPS_EXCHANGE_ROOT", None)
    return repo, env


def test_start_copies_and_never_overwrites(tmp_path):
    repo = tmp_path / "repo"
    (repo / "exercises" / "a").mkdir(parents=True)
    (repo / "course").mkdir()
    (repo / "exercises" / "a" / "a.ipynb").write_text("released", encoding="utf-8")
    (repo / "course" / "00.ipynb").write_text("lesson", encoding="utf-8")
    copied, kept = start(None, repo)
    assert sorted(p.relative_to(repo).as_posix() for p in copied) == ["work/exercises/a/a.ipynb", "work/lessons/00.ipynb"]
    (repo / "work" / "exercises" / "a" / "a.ipynb").write_text("my answers", encoding="utf-8")
    copied, kept = start(["a"], repo)
    assert copied == [] and len(kept) == 1
    assert (repo / "work" / "exercises" / "a" / "a.ipynb").read_text("utf-8") == "my answers"
    with pytest.raises(SystemExit, match="没有这些作业"):
        start(["zz"], repo)


def test_answers_survive_every_command(clone):
    repo, env = clone
    assert _run([sys.executable, "-m", "nmops.start"], repo, env).returncode == 0
    mine = repo / "work" / "exercises" / ASSIGNMENT / NB
    lesson = repo / "work" / "lessons" / NB
    in_place = repo / "exercises" / ASSIGNMENT / NB
    edited = {
        mine: _answer(mine, "q3a_answer", 'n_original = (posts["kind"] == "原创文章").sum()  # 我的答案'),
        in_place: _answer(in_place, "q3b_answer", "original_reads = 2513  # 直接写在 exercises/ 里的答案"),
    }
    lesson_nb = nbformat.read(lesson, as_version=4)
    lesson_nb.cells.append(nbformat.v4.new_markdown_cell("我的笔记"))
    nbformat.write(lesson_nb, lesson)
    edited[lesson] = lesson.read_bytes()

    def intact(step: str):
        for path, data in edited.items():
            assert path.is_file() and path.read_bytes() == data, f"{step} changed {path.relative_to(repo)}"

    make = ["make", "-o", STAMP]
    result = _run([*make, "exercises"], repo, env)
    assert result.returncode != 0 and f"exercises/{ASSIGNMENT}/{NB}" in result.stderr, result.stderr
    intact("make exercises")

    result = _run([*make, "test", "PYTEST_ARGS=tests/test_assignments.py -q -p no:randomly -k "
                   "'fresh_generation or blank_exercise or reaches_learners'"], repo, env)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    intact("make test")

    port = _free_port()
    lab = subprocess.Popen(
        [*make, "lab", f"LAB_ARGS=--no-browser --port={port} --ServerApp.ip=127.0.0.1 "
                       "--IdentityProvider.token=t --LabApp.news_url="],
        cwd=repo, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/contents/exercises?token=t", timeout=5) as r:
                    listing = r.read().decode("utf-8")
                break
            except OSError:
                assert lab.poll() is None and time.monotonic() < deadline, "make lab did not start a server"
                time.sleep(1)
        assert ASSIGNMENT in listing, "JupyterLab opens in the learner's work/ folder"
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/contents?token=t", timeout=5) as r:
            assert "egg-info" not in r.read().decode("utf-8")
        request = urllib.request.Request(f"http://127.0.0.1:{port}/api/kernels?token=t", data=b"{}", method="POST")
        with urllib.request.urlopen(request, timeout=60) as r:
            assert r.status == 201, "a kernel starts"
        time.sleep(4)
    finally:
        os.killpg(lab.pid, signal.SIGTERM)
        try:
            log = lab.communicate(timeout=30)[0]
        except subprocess.TimeoutExpired:
            os.killpg(lab.pid, signal.SIGKILL)
            log = lab.communicate()[0]
    intact("make lab")
    assert "Kernel started" in log and "over TCP" not in log, "no ipykernel transport warning for the learner"

    result = _run([os.path.join(os.path.dirname(sys.executable), "nbgrader"), "validate", str(mine)], repo, env)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    intact("nbgrader validate")

    result = _run([os.path.join(os.path.dirname(sys.executable), "nmops-selfgrade"), str(mine)], repo, env)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "第 3 题 (a)" in result.stdout and "1 / 1" in result.stdout
    intact("nmops-selfgrade")
    assert "work/" in (repo / ".gitignore").read_text("utf-8")
    status = _run(["git", "status", "--porcelain", "--", "work"], repo, env).stdout
    assert status == "", "the learner's folder is ignored by git"
