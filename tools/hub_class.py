"""A real class on JupyterHub for tests and the benchmark (root only).

:class:`HubClass` sets up a class with ``nmops.classroom.provision`` (the same
code as ``nmops-class setup``) for throw-away Unix users with private homes, a
temporary exchange and free loopback ports, starts the hub, and on exit stops
every process it started (by process group, then by user id) and removes the
users and their homes, even when the test failed.

:class:`Browser` is one person's web session: it logs in through the hub's
login form (PAM password), follows the OAuth redirects to a server or the
formgrader service, and sends JupyterLab-style requests (XSRF header from the
server's cookie), as the browser of a learner or an instructor would.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

import requests

from nmops.classroom import provision
from nmops.classroom.settings import FORMGRADER_SERVICE, ClassSettings

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def class_prefix(root: Path = ROOT) -> Path:
    """The test class folder of this checkout; its environment is reused between runs."""
    return Path("/var/tmp") / f"nmops-class-test-{hashlib.sha1(str(root).encode()).hexdigest()[:8]}"


def processes(*, uids: set[int] | None = None, pgid: int | None = None) -> list[Path]:
    """``/proc/<pid>`` of every process running as one of ``uids`` (or in process group ``pgid``)."""
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            if uids is not None and proc.stat().st_uid not in uids:
                continue
            if pgid is not None and os.getpgid(int(proc.name)) != pgid:
                continue
        except (OSError, ProcessLookupError):  # the process ended meanwhile
            continue
        found.append(proc)
    return found


class HubClass:
    """A class of ``n_learners`` learners and one instructor on a hub of its own."""

    def __init__(self, n_learners: int, workdir: Path, *, course_id: str = "nmops"):
        tag = secrets.token_hex(3)
        self.tag = tag
        self.workdir = workdir
        self.learners = [f"nmh{tag}l{i}" for i in range(1, n_learners + 1)]
        self.instructor = f"nmh{tag}t"
        self.passwords = {user: secrets.token_urlsafe(12) for user in [*self.learners, self.instructor]}
        self.home_base = Path("/home") / f"nmops-e2e-{tag}"
        self.exchange = Path("/var/tmp") / f"nmops-e2e-exchange-{tag}"
        self.settings = ClassSettings(
            prefix=str(class_prefix()), exchange=str(self.exchange), home_base=str(self.home_base),
            course_id=course_id, grader_user=f"nmh{tag}g", instructors=[self.instructor],
            learners=list(self.learners), ip="127.0.0.1", port=free_port(), hub_port=free_port(),
            proxy_api_port=free_port(), formgrader_port=free_port(), cull_idle_seconds=600,
        )
        self.hub: subprocess.Popen | None = None
        self.setup_seconds = 0.0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.settings.port}"

    def users(self) -> list[str]:
        return [*self.learners, self.instructor, self.settings.grader_user]

    def __enter__(self) -> "HubClass":
        try:
            self.home_base.mkdir(mode=0o755)
            started = time.perf_counter()
            provision.setup(self.settings, ROOT, [(u, f"学员{i}") for i, u in enumerate(self.learners, 1)],
                            passwords=self.passwords)
            self.setup_seconds = time.perf_counter() - started
            for leftover in ("jupyterhub.sqlite", "jupyterhub_cookie_secret", "proxy.pid", "jupyterhub.pid"):
                (self.settings.state / leftover).unlink(missing_ok=True)
            self.start_hub()
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def start_hub(self) -> None:
        env = {"PATH": f"{self.settings.env}/bin:/usr/bin:/bin", "LANG": "C.UTF-8",
               "NMOPS_CLASS_SETTINGS": str(self.settings.path)}
        log = (self.workdir / "hub.log").open("w")
        self.hub = subprocess.Popen(
            [str(self.settings.env / "bin" / "jupyterhub"), "-f", str(Path(self.settings.prefix) / "jupyterhub_config.py")],
            cwd=self.settings.state, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.time() + 60
        while time.time() < deadline:
            if self.hub.poll() is not None:
                raise RuntimeError(f"the hub exited ({self.hub.returncode}):\n{self.log()[-4000:]}")
            try:
                if requests.get(f"{self.url}/hub/health", timeout=2).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.3)
        raise RuntimeError(f"the hub did not answer within 60 s:\n{self.log()[-4000:]}")

    def log(self) -> str:
        path = self.workdir / "hub.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def __exit__(self, *exc) -> None:
        if self.hub is not None and self.hub.poll() is None:
            os.killpg(self.hub.pid, signal.SIGTERM)  # the hub stops the servers it spawned
            try:
                self.hub.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.hub.pid, signal.SIGKILL)
                self.hub.wait()
        pid_file = self.settings.state / "proxy.pid"
        if pid_file.exists():
            try:
                os.kill(int(pid_file.read_text().strip()), signal.SIGKILL)
            except (ValueError, ProcessLookupError):
                pass
        for user in self.users():
            provision.remove_user(user, remove_home=True)
        shutil.rmtree(self.home_base, ignore_errors=True)
        shutil.rmtree(self.exchange, ignore_errors=True)

    def run_as(self, user: str, *cmd: str) -> subprocess.CompletedProcess:
        return subprocess.run(["runuser", "-u", user, "--", *cmd], capture_output=True, text=True)


class Browser:
    """One person's browser session on the hub."""

    def __init__(self, hub: HubClass, user: str):
        self.hub = hub
        self.user = user
        self.session = requests.Session()

    def login(self) -> requests.Response:
        self.session.get(f"{self.hub.url}/hub/login", timeout=10)
        xsrf = self.session.cookies.get("_xsrf", path="/hub/")
        return self.session.post(f"{self.hub.url}/hub/login", timeout=30, allow_redirects=False,
                                 data={"username": self.user, "password": self.hub.passwords[self.user], "_xsrf": xsrf})

    def wait_ready(self, prefix: str, timeout: float = 60) -> None:
        """Open ``<prefix>lab`` (following the hub's redirects and OAuth, which set the server's
        cookies) until the server itself answers, then check its API with those cookies."""
        deadline = time.time() + timeout
        last = None
        while time.time() < deadline:
            last = self.session.get(f"{self.hub.url}{prefix}lab", timeout=15)
            if last.status_code == 200 and last.url.startswith(f"{self.hub.url}{prefix}"):
                status = self.session.get(f"{self.hub.url}{prefix}api/status", timeout=15)
                if status.status_code == 200:
                    return
            time.sleep(0.5)
        raise RuntimeError(f"{self.user}: {prefix} not ready: {last.status_code if last else None} {last.url if last else ''}\n"
                           f"{self.hub.log()[-3000:]}")

    def start_server(self) -> str:
        prefix = f"/user/{self.user}/"
        xsrf = self.session.cookies.get("_xsrf", path="/hub/")
        self.session.post(f"{self.hub.url}/hub/spawn/{self.user}", data={"_xsrf": xsrf}, timeout=30)
        self.wait_ready(prefix)
        return prefix

    def open_formgrader(self) -> str:
        prefix = f"/services/{FORMGRADER_SERVICE}/"
        self.wait_ready(prefix)
        return prefix

    def _xsrf(self, prefix: str) -> dict:
        token = self.session.cookies.get("_xsrf", path=prefix.rstrip("/")) or self.session.cookies.get("_xsrf", path=prefix)
        return {"X-XSRFToken": token or ""}

    def get(self, path: str, **kwargs) -> requests.Response:
        response = self.session.get(f"{self.hub.url}{path}", timeout=kwargs.pop("timeout", 60), **kwargs)
        response.encoding = "utf-8"  # the hub's pages are UTF-8 but say no charset
        return response

    def post(self, prefix: str, path: str, **kwargs) -> requests.Response:
        return self.session.post(f"{self.hub.url}{prefix}{path}", headers=self._xsrf(prefix),
                                 timeout=kwargs.pop("timeout", 300), **kwargs)

    def put(self, prefix: str, path: str, **kwargs) -> requests.Response:
        return self.session.put(f"{self.hub.url}{prefix}{path}", headers=self._xsrf(prefix),
                                timeout=kwargs.pop("timeout", 60), **kwargs)
