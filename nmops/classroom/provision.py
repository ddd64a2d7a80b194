"""Set up a class on one Linux server (搭建班级服务器), as root: ``nmops-class setup``.

Each step can be run again: what exists is kept (a learner's home and files,
the gradebook, the course folder's files), what is missing is made. Steps, in
the order :func:`setup` runs them:

1. :func:`build_env` -- the class's own Python environment under the class
   folder, from the *system* Python (readable by every learner, unlike a
   per-user Python under ``/root``), with the pinned versions and the course
   package installed as a package (not the instructor's checkout);
2. :func:`install_proxy` -- configurable-http-proxy from the npm registry
   (``deploy/hub/package-lock.json``; needs Node.js >= 20);
3. :func:`install_class_files` -- the hub configuration, the lessons, the
   learners' Jupyter settings, the root-only state folder, ``class.json``;
4. :func:`ensure_exchange` -- nbgrader's exchange, mode 1777;
5. :func:`create_user` for the grader account, each instructor and each learner:
   private homes (``useradd -K HOME_MODE=0700``; an existing home is set to 0700);
6. :func:`setup_course` -- the instructors' course folder in the grader's home
   (``nbgrader_config.py``, ``solutions/``, ``exercises/``) and the roster in the gradebook.
"""

from __future__ import annotations

import csv
import hashlib
import os
import pwd
import secrets
import shutil
import subprocess
import sys
from pathlib import Path

from nmops.classroom.settings import ClassSettings
from nmops.start import copy_missing

__all__ = ["SYSTEM_PYTHON", "NODE_MAJOR", "ClassSetupError", "build_env", "node_problem", "install_proxy",
           "install_class_files", "ensure_exchange", "create_user", "remove_user", "setup_course", "setup"]

SYSTEM_PYTHON = "/usr/bin/python3"
NODE_MAJOR = 20  # configurable-http-proxy 5 needs Node.js >= 20
HUB_FILES = Path("deploy") / "hub"


class ClassSetupError(RuntimeError):
    """A setup step cannot run; the message (in Chinese) says what to do."""


def _say(message: str) -> None:
    print(f">> {message}", file=sys.stderr, flush=True)


def _run(cmd: list[str], **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([str(part) for part in cmd], check=True, **kwargs)


def _fingerprint(*files: Path) -> str:
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.read_bytes())
    return digest.hexdigest()


def build_env(settings: ClassSettings, repo: Path, python: str = SYSTEM_PYTHON) -> Path:
    """Create ``<prefix>/env`` from ``python`` and install the course with the pinned versions.

    The dependencies are installed once per version of ``requirements/constraints.txt``
    and ``pyproject.toml`` (a stamp in the environment remembers which); the
    course package itself is reinstalled every time, as a package, so the
    environment holds no link into the instructor's checkout.
    """
    env = settings.env
    if not Path(python).exists():
        raise ClassSetupError(f"找不到系统 Python {python}。Debian/Ubuntu 上请先运行 apt-get install python3 python3-venv。")
    stamp = env / ".nmops-class-deps"
    want = _fingerprint(repo / "requirements" / "constraints.txt", repo / "pyproject.toml")
    pip = [env / "bin" / "python", "-m", "pip", "install", "--disable-pip-version-check", "--progress-bar", "off",
           "-c", repo / "requirements" / "constraints.txt"]
    if not (env / "bin" / "python").exists():
        _say(f"创建班级的 Python 环境 {env}（来自 {python}）")
        made = subprocess.run([python, "-m", "venv", str(env)], capture_output=True, text=True)
        if made.returncode != 0:
            raise ClassSetupError(f"用 {python} 创建环境失败：{made.stderr.strip()}\n"
                                  "Debian/Ubuntu 上请先运行 apt-get install python3-venv，然后重试。")
    if not stamp.exists() or stamp.read_text() != want:
        _say("安装课程依赖到班级环境（首次约 2–4 分钟）")
        _run(pip + [f"{repo}[hub]"])
        stamp.write_text(want)
    else:
        _say("班级环境的依赖已是锁定版本；只重新安装课程包 nmops")
        _run(pip + ["--no-deps", "--force-reinstall", str(repo)],
             stdout=subprocess.DEVNULL)
    _run([env / "bin" / "nmops-setup-lab"], stdout=subprocess.DEVNULL)  # Chinese JupyterLab, exchange setting
    _run(["chmod", "-R", "a+rX", env])
    return env


def node_problem() -> str | None:
    """Why the Node.js on PATH cannot run the proxy (Chinese, says what to do), or None if it can."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        return (f"需要 Node.js {NODE_MAJOR} 或更新版本和 npm（代理 configurable-http-proxy 用）。"
                "请从 https://nodejs.org 或 NodeSource 安装后重试。")
    version = subprocess.run([node, "--version"], capture_output=True, text=True).stdout.strip()
    major = version.lstrip("v").split(".")[0]
    if not major.isdigit() or int(major) < NODE_MAJOR:
        return (f"Node.js 版本是 {version or '未知'}，代理 configurable-http-proxy 5 需要 {NODE_MAJOR} 或更新。"
                "Debian 12 自带的是 18：请改用 NodeSource 的 nodejs 20 后重试。")
    return None


def install_proxy(settings: ClassSettings, repo: Path) -> Path:
    """Install configurable-http-proxy (pinned by ``deploy/hub/package-lock.json``) into ``<prefix>/proxy``.

    Records in ``settings.node`` the Node.js found on PATH, which the hub then runs the proxy with.
    """
    problem = node_problem()
    if problem:
        raise ClassSetupError(problem)
    node, npm = shutil.which("node"), shutil.which("npm")
    settings.node = node
    target = Path(settings.prefix) / "proxy"
    target.mkdir(parents=True, exist_ok=True)
    lock = repo / HUB_FILES / "package-lock.json"
    stamp = target / ".nmops-class-lock"
    if settings.proxy_script.exists() and stamp.exists() and stamp.read_text() == _fingerprint(lock):
        return settings.proxy_script
    _say("从 npm 安装代理 configurable-http-proxy")
    for name in ("package.json", "package-lock.json"):
        shutil.copy2(repo / HUB_FILES / name, target / name)
    _run([npm, "ci", "--omit=dev", "--no-audit", "--no-fund", "--prefix", target])
    stamp.write_text(_fingerprint(lock))
    _run(["chmod", "-R", "a+rX", target])
    return settings.proxy_script


def install_class_files(settings: ClassSettings, repo: Path) -> None:
    """The hub configuration, the lessons, the learners' Jupyter settings, ``class.json`` and the state folder."""
    prefix = Path(settings.prefix)
    prefix.mkdir(parents=True, exist_ok=True)
    prefix.chmod(0o755)
    shutil.copy2(repo / HUB_FILES / "jupyterhub_config.py", prefix / "jupyterhub_config.py")
    for source, target in ((repo / "course", settings.lessons),
                           (repo / HUB_FILES / "learner-jupyter", settings.learner_config),
                           (repo / HUB_FILES / "templates", prefix / "templates")):
        if target.exists():
            shutil.rmtree(target)  # the class's originals; learners work on their own copies
        shutil.copytree(source, target, ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
    settings.state.mkdir(exist_ok=True)
    settings.state.chmod(0o700)
    settings.save()
    _run(["chmod", "-R", "a+rX", settings.lessons, settings.learner_config, prefix / "templates",
          prefix / "jupyterhub_config.py"])


def ensure_exchange(path: str | Path) -> Path:
    """nbgrader's file-system exchange: owned by root, mode 1777 (everyone writes, nobody deletes others' files)."""
    path = Path(path)
    path.mkdir(parents=True, exist_ok=True)
    os.chown(path, 0, 0)
    path.chmod(0o1777)
    return path


def _exists(user: str) -> bool:
    try:
        pwd.getpwnam(user)
    except KeyError:
        return False
    return True


def create_user(user: str, name: str, home_base: str | Path, *, password: str | None = None,
                system: bool = False) -> str | None:
    """Create a Unix account with a private home (mode 0700); return its new password.

    An account that already exists keeps its password (``None`` is returned),
    but its home is set to mode 0700 if it was readable by others.
    """
    if _exists(user):
        home = Path(pwd.getpwnam(user).pw_dir)
        if home.is_dir() and home.stat().st_mode & 0o077:
            home.chmod(0o700)
            _say(f"{user} 已存在；家目录 {home} 改为仅本人可读（0700）")
        return None
    home = Path(home_base) / user
    cmd = ["useradd", "--create-home", "--home-dir", str(home), "--shell", "/bin/bash",
           "-K", "HOME_MODE=0700", "--comment", name or user]
    if system:
        cmd.append("--system")
    made = subprocess.run(cmd + [user], capture_output=True, text=True)
    if made.returncode != 0:
        raise ClassSetupError(f"创建用户 {user} 失败：{made.stderr.strip()}")
    home.chmod(0o700)  # useradd of older systems ignores HOME_MODE
    if password is None and system:
        return None  # the grader account never logs in
    password = password or secrets.token_urlsafe(9)
    subprocess.run(["chpasswd"], input=f"{user}:{password}\n", text=True, check=True)
    return password


def remove_user(user: str, *, remove_home: bool) -> None:
    """Stop the account's processes and delete it (and its home if ``remove_home``)."""
    if not _exists(user):
        return
    subprocess.run(["pkill", "-KILL", "-u", user], capture_output=True)
    subprocess.run(["userdel", *(["--remove"] if remove_home else []), user], capture_output=True)


def setup_course(settings: ClassSettings, repo: Path, roster: list[tuple[str, str]]) -> Path:
    """The instructors' course folder in the grader's home, and the roster's learners in its gradebook.

    Files already in the course folder are kept (an instructor may have
    edited them through the formgrader); only missing ones are copied.
    """
    course = settings.course_dir
    copied: list[Path] = []
    for name in ("nbgrader_config.py", "solutions", "exercises"):
        copied += copy_missing(repo / name, course / name)[0]
    # Record every assignment in the gradebook (autograde needs it) and write each
    # exercise's coach.json: tools/make_exercises.py, with the class's environment.
    _say("登记作业到成绩库（nbgrader generate_assignment）")
    _run([settings.env / "bin" / "python", repo / "tools" / "make_exercises.py", "--root", course],
         cwd=course, stdout=subprocess.DEVNULL)
    from nbgrader.api import Gradebook  # imported here: nbgrader is slow to import

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        for user, name in roster:
            gradebook.update_or_create_student(user, last_name=name or user, first_name="")
    entry = pwd.getpwnam(settings.grader_user)
    _run(["chown", "-R", f"{entry.pw_uid}:{entry.pw_gid}", course])
    _say(f"课程文件夹 {course}：新复制 {len(copied)} 个文件，名单 {len(roster)} 人已写入成绩库")
    return course


def setup(settings: ClassSettings, repo: Path, roster: list[tuple[str, str]], *,
          python: str = SYSTEM_PYTHON, passwords: dict[str, str] | None = None) -> Path:
    """Run every step; return the file listing new accounts' initial passwords (root only)."""
    if os.geteuid() != 0:
        raise ClassSetupError("搭建班级需要 root 权限（创建用户、家目录和交换目录）。请用 sudo 运行。")
    passwords = passwords or {}
    steps = 7
    _say(f"[1/{steps}] 班级 Python 环境"); build_env(settings, repo, python)
    _say(f"[2/{steps}] 代理"); install_proxy(settings, repo)
    _say(f"[3/{steps}] 班级文件"); install_class_files(settings, repo)
    _say(f"[4/{steps}] 交换目录 {settings.exchange}"); ensure_exchange(settings.exchange)
    _say(f"[5/{steps}] 评分账户 {settings.grader_user}")
    create_user(settings.grader_user, "nmops grader", settings.home_base, system=True)
    _say(f"[6/{steps}] 讲师 {len(settings.instructors)} 人、学员 {len(roster)} 人")
    names = dict(roster)
    new: list[tuple[str, str]] = []
    for user in [*settings.instructors, *(u for u, _ in roster)]:
        made = create_user(user, names.get(user, user), settings.home_base, password=passwords.get(user))
        if made:
            new.append((user, made))
    _say(f"[7/{steps}] 课程文件夹与成绩库"); setup_course(settings, repo, roster)
    out = settings.state / "initial-passwords.csv"
    if new:
        fresh = not out.exists()
        with out.open("a", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            if fresh:
                writer.writerow(["id", "password"])
            writer.writerows(new)
        out.chmod(0o600)
    return out
