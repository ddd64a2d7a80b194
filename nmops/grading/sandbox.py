"""The sandbox a submission runs in (沙箱), and line-by-line JSON talk with a child process.

:func:`sandbox_command` builds the bubblewrap (``bwrap``) command line that
runs :mod:`nmops.grading.student_runner`:

* no network (``--unshare-net``), own process, IPC and UTS namespaces (the
  learner sees no process of the grader, so cannot signal or trace it),
  ``--die-with-parent`` (nothing outlives the grader), ``--new-session``;
* a private ``/tmp`` of limited size; a read-only view of ``/usr``, of the
  Python installation (``sys.base_prefix``), of the environment
  (``sys.prefix``) and of the ``nmops`` package folder alone; nothing else of
  the course (gradebook, ``solutions/``, exchange, other submissions);
* the working folder ``/submission``, read-only, holding only the
  assignment's declared data files;
* as root: the learner's code runs as the unprivileged system user
  :data:`GRADER_USER` (created by :func:`ensure_grader_user` if missing), so
  that the process-count limit holds; as an ordinary user: in bubblewrap's
  user namespace, under that user's own limits.

Limits (``resource.setrlimit``, inherited by everything in the sandbox):
address space (memory), CPU seconds, process count, file size, open files.
"""

from __future__ import annotations

import json
import os
import resource
import selectors
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Limits", "GRADER_USER", "bwrap_path", "ensure_grader_user", "sandbox_command", "JsonProcess",
           "ChannelError"]

GRADER_USER = "nmops-grader"


@dataclass(frozen=True)
class Limits:
    """Resource limits of one sandbox (defaults set in ``nbgrader_config.py``)."""

    memory: int = 2 << 30  # bytes of address space
    cpu_seconds: int = 600
    processes: int = 64
    output: int = 1_000_000  # bytes of text output per cell
    tmp: int = 64 << 20  # bytes in /tmp
    open_files: int = 256


def bwrap_path() -> str | None:
    """The ``bwrap`` executable, if bubblewrap is installed and works here."""
    path = shutil.which("bwrap")
    if path is None:
        return None
    probe = subprocess.run([path, "--unshare-net", "--ro-bind", "/", "/", "true"], capture_output=True)
    return path if probe.returncode == 0 else None


def ensure_grader_user() -> tuple[int, int]:
    """uid and gid of :data:`GRADER_USER`; as root, create the system user if it is missing."""
    import pwd

    try:
        entry = pwd.getpwnam(GRADER_USER)
    except KeyError:
        made = subprocess.run(["useradd", "--system", "--no-create-home", "--home-dir", "/nonexistent",
                               "--shell", "/usr/sbin/nologin", GRADER_USER], capture_output=True, text=True)
        try:  # another grading process may have created it at the same moment
            entry = pwd.getpwnam(GRADER_USER)
        except KeyError:
            raise RuntimeError(f"cannot create the system user {GRADER_USER}: {made.stderr.strip()}") from None
    return entry.pw_uid, entry.pw_gid


def _user_tasks(uid: int) -> int:
    """How many processes and threads ``uid`` has now (what RLIMIT_NPROC counts)."""
    count = 0
    for status in Path("/proc").glob("[0-9]*/task/[0-9]*/status"):
        try:
            for line in status.read_text().splitlines():
                if line.startswith("Uid:"):
                    count += int(line.split()[1]) == uid
                    break
        except OSError:
            continue
    return count


def _read_only_roots() -> list[str]:
    """Folders the learner's Python needs: the Python install, the environment, the nmops package."""
    import nmops

    roots = [sys.base_prefix, sys.prefix, str(Path(nmops.__file__).resolve().parent)]
    if sys.prefix != sys.base_prefix:  # a venv's python is a symlink into the base install
        roots.append(str(Path(sys.executable).resolve().parent))
    out: list[str] = []
    for root in roots:
        root = str(Path(root).resolve())
        if not root.startswith("/usr/") and root not in out:
            out.append(root)
    return out


def sandbox_command(workdir: Path, limits: Limits, as_uid: tuple[int, int] | None) -> list[str]:
    """The bwrap command running the learner's half in ``workdir`` (mounted read-only at /submission)."""
    bwrap = bwrap_path()
    if bwrap is None:
        raise RuntimeError("bubblewrap (bwrap) is not installed or does not work here")
    args = [bwrap, "--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts", "--unshare-cgroup-try",
            "--die-with-parent", "--new-session", "--clearenv",
            "--ro-bind", "/usr", "/usr"]
    for link in ("bin", "lib", "lib64", "sbin"):
        target = Path("/" + link)
        if target.is_symlink():
            args += ["--symlink", os.readlink(target), f"/{link}"]
        elif target.is_dir():
            args += ["--ro-bind", str(target), f"/{link}"]
    for extra in ("/etc/fonts", "/etc/localtime", "/etc/ssl/certs"):
        if Path(extra).exists():
            args += ["--ro-bind", extra, extra]
    args += ["--proc", "/proc", "--dev", "/dev", "--size", str(limits.tmp), "--perms", "1777", "--tmpfs", "/tmp"]
    made: set[str] = set()
    roots = _read_only_roots()
    for root in roots:
        for parent in reversed(Path(root).parents):
            if str(parent) != "/" and str(parent) not in made and not str(parent).startswith("/usr"):
                made.add(str(parent))
                args += ["--perms", "0755", "--dir", str(parent)]
    for root in roots:
        args += ["--ro-bind", root, root]
    args += ["--ro-bind", str(workdir), "/submission", "--chdir", "/submission"]
    env = {
        "PATH": f"{sys.prefix}/bin:/usr/bin:/bin", "HOME": "/tmp", "LANG": "C.UTF-8", "TMPDIR": "/tmp",
        "PYTHONDONTWRITEBYTECODE": "1", "IPYTHONDIR": "/tmp/.ipython", "MPLCONFIGDIR": "/tmp/.matplotlib",
        "MPLBACKEND": "module://matplotlib_inline.backend_inline", "OPENBLAS_NUM_THREADS": "1",
        "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "NMOPS_OUTPUT_LIMIT": str(limits.output),
    }
    for key, value in env.items():
        args += ["--setenv", key, value]
    if as_uid is None:
        args += ["--unshare-user"]
    args += ["--"]
    if as_uid is not None:
        uid, gid = as_uid
        args += ["/usr/bin/setpriv", f"--reuid={uid}", f"--regid={gid}", "--clear-groups", "--no-new-privs",
                 "--inh-caps=-all", "--bounding-set=-all", "--"]
    python = str(Path(sys.prefix) / "bin" / "python")
    return args + [python, "-I", "-m", "nmops.grading.student_runner"]


def limit_resources(limits: Limits, uid: int | None) -> callable:
    """A ``preexec_fn`` setting the sandbox's resource limits (inherited through bwrap)."""
    processes = limits.processes if uid is not None else _user_tasks(os.getuid()) + limits.processes

    def apply() -> None:
        for what, value in [(resource.RLIMIT_AS, limits.memory), (resource.RLIMIT_CPU, limits.cpu_seconds),
                            (resource.RLIMIT_NPROC, processes), (resource.RLIMIT_FSIZE, limits.tmp),
                            (resource.RLIMIT_NOFILE, limits.open_files), (resource.RLIMIT_CORE, 0)]:
            resource.setrlimit(what, (value, value))

    return apply


class ChannelError(RuntimeError):
    """The child did not answer in time, died, or sent something that is not a reply."""


class JsonProcess:
    """A child process spoken to with one JSON object per line, every read bounded in time and size."""

    def __init__(self, argv: list[str], *, cwd: str | Path | None = None, env: dict | None = None,
                 preexec_fn=None, max_reply: int = 50_000_000):
        self.max_reply = max_reply
        self.proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL, cwd=cwd, env=env, preexec_fn=preexec_fn,
                                     start_new_session=True)
        os.set_blocking(self.proc.stdout.fileno(), False)
        os.set_blocking(self.proc.stdin.fileno(), False)
        self._buffer = b""

    def request(self, message: dict, timeout: float) -> dict:
        """Send ``message``; return the reply, or raise :class:`ChannelError` (the child is then killed)."""
        deadline = time.monotonic() + timeout
        out = (json.dumps(message, ensure_ascii=False) + "\n").encode("utf-8")
        with selectors.DefaultSelector() as sel:
            sel.register(self.proc.stdout, selectors.EVENT_READ)
            sel.register(self.proc.stdin, selectors.EVENT_WRITE)
            while True:
                if b"\n" in self._buffer:
                    line, self._buffer = self._buffer.split(b"\n", 1)
                    try:
                        reply = json.loads(line)
                    except ValueError:
                        self.kill()
                        raise ChannelError("reply is not JSON") from None
                    if type(reply) is not dict:
                        self.kill()
                        raise ChannelError("reply is not an object")
                    return reply
                left = deadline - time.monotonic()
                if left <= 0:
                    self.kill()
                    raise ChannelError("timeout")
                for key, _ in sel.select(left):
                    if key.fileobj is self.proc.stdin:
                        try:
                            written = os.write(self.proc.stdin.fileno(), out)
                        except (BrokenPipeError, OSError):
                            self.kill()
                            raise ChannelError("child died") from None
                        out = out[written:]
                        if not out:
                            sel.unregister(self.proc.stdin)
                    else:
                        chunk = os.read(self.proc.stdout.fileno(), 1 << 20)
                        if not chunk:
                            self.kill()
                            raise ChannelError("child died")
                        self._buffer += chunk
                        if len(self._buffer) > self.max_reply:
                            self.kill()
                            raise ChannelError("reply too large")

    def alive(self) -> bool:
        return self.proc.poll() is None

    def kill(self) -> None:
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            except PermissionError:
                self.proc.kill()
        self.proc.wait()
        for stream in (self.proc.stdin, self.proc.stdout):
            try:
                stream.close()
            except OSError:
                pass
