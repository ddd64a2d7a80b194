"""Where a class lives on the server (班级设置): ``class.json``.

``nmops-class setup`` writes this file into the class folder (the *prefix*,
``/opt/nmops-class`` by default); the hub configuration
``deploy/hub/jupyterhub_config.py`` (copied next to it) reads it, so one file
says where everything is::

    /opt/nmops-class/
        class.json              these settings
        jupyterhub_config.py    the hub configuration (from deploy/hub/)
        env/                    the class's Python environment (from the system Python)
        proxy/                  configurable-http-proxy (from the npm registry)
        lessons/                the lessons every learner gets a copy of
        learner-jupyter/        Jupyter settings for learners (no formgrader)
        state/                  the hub's database and cookie secret (root only)
    /srv/nmops/exchange/        nbgrader's exchange (mode 1777)
    /home/<learner>/            one private home per learner (mode 0700)
    /home/grader-nmops/course/  the instructors' course folder (solutions, gradebook)
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

__all__ = ["ClassSettings", "FORMGRADER_SERVICE"]

FORMGRADER_SERVICE = "nmops-formgrader"


@dataclass
class ClassSettings:
    """Everything the hub configuration needs to know about one class.

    Attributes
    ----------
    prefix : str
        The class folder (environment, proxy, lessons, hub configuration and state).
    exchange : str
        nbgrader's file-system exchange, shared by all learners (mode 1777).
    home_base : str
        Folder holding the learners' and the grader's homes.
    course_id : str
        nbgrader course id.
    grader_user : str
        Unix account that owns the course folder and runs the formgrader service.
    instructors, learners : list of str
        Hub user names (Unix accounts) of each group.
    ip, port : str, int
        Where the hub's public proxy listens.
    hub_port, proxy_api_port, formgrader_port : int
        Loopback ports of the hub itself, the proxy's API and the formgrader service.
    spawner : str
        ``"local"`` (LocalProcessSpawner: no limits) or ``"systemd"`` (SystemdSpawner: limits enforced).
    mem_limit, cpu_limit : str, float
        Per-learner limits, enforced by SystemdSpawner (and KubeSpawner), not by LocalProcessSpawner.
    cull_idle_seconds : int
        A learner's server idle this long is stopped (their files stay).
    node : str
        The Node.js executable that runs the proxy (found by ``nmops-class setup``).
    """

    prefix: str = "/opt/nmops-class"
    exchange: str = "/srv/nmops/exchange"
    home_base: str = "/home"
    course_id: str = "nmops"
    grader_user: str = "grader-nmops"
    instructors: list[str] = field(default_factory=list)
    learners: list[str] = field(default_factory=list)
    ip: str = "0.0.0.0"
    port: int = 8000
    hub_port: int = 8081
    proxy_api_port: int = 8001
    formgrader_port: int = 9999
    spawner: str = "local"
    mem_limit: str = "2G"
    cpu_limit: float = 1.0
    cull_idle_seconds: int = 3600
    node: str = "/usr/bin/node"

    # -- derived paths ---------------------------------------------------------------
    @property
    def env(self) -> Path:
        return Path(self.prefix) / "env"

    @property
    def lessons(self) -> Path:
        return Path(self.prefix) / "lessons"

    @property
    def learner_config(self) -> Path:
        return Path(self.prefix) / "learner-jupyter"

    @property
    def state(self) -> Path:
        return Path(self.prefix) / "state"

    @property
    def proxy_script(self) -> Path:
        return Path(self.prefix) / "proxy" / "node_modules" / "configurable-http-proxy" / "bin" / "configurable-http-proxy"

    @property
    def proxy_command(self) -> list[str]:
        """The proxy as the hub starts it: this Node.js, whatever PATH the hub has."""
        return [self.node, str(self.proxy_script)]

    @property
    def grader_home(self) -> Path:
        return Path(self.home_base) / self.grader_user

    @property
    def course_dir(self) -> Path:
        return self.grader_home / "course"

    @property
    def path(self) -> Path:
        return Path(self.prefix) / "class.json"

    # -- file --------------------------------------------------------------------------
    def save(self) -> Path:
        """Write ``<prefix>/class.json`` (readable by all: it holds no secret)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.write_text(json.dumps(asdict(self), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        self.path.chmod(0o644)
        return self.path

    @classmethod
    def load(cls, path: str | Path) -> "ClassSettings":
        """Read a ``class.json``; unknown keys are an error naming them."""
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        unknown = sorted(set(data) - set(cls.__dataclass_fields__))
        if unknown:
            raise ValueError(f"{path}: unknown settings {unknown}; known: {sorted(cls.__dataclass_fields__)}")
        return cls(**data)
