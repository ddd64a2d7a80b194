"""JupyterHub configuration of an nmops class on one Linux server (班级服务器).

``nmops-class setup`` copies this file into the class folder next to
``class.json`` (see ``nmops/classroom/settings.py``) and the hub is started as
root with the class's own environment::

    /opt/nmops-class/env/bin/jupyterhub -f /opt/nmops-class/jupyterhub_config.py

Everything class-specific (paths, users, ports, limits) comes from
``class.json``; ``NMOPS_CLASS_SETTINGS`` may name another one (the tests do).
The guide, in Chinese: docs/instructor-hub.md.
"""

import os
import sys
from pathlib import Path

from nmops.classroom.settings import FORMGRADER_SERVICE, ClassSettings

c = get_config()  # noqa: F821  (provided by traitlets)

here = Path(globals().get("__file__", "jupyterhub_config.py")).resolve().parent
s = ClassSettings.load(os.environ.get("NMOPS_CLASS_SETTINGS") or here / "class.json")
bin_dir = s.env / "bin"

# --- network: the public proxy; the hub, the proxy's API and the formgrader on loopback ----
c.JupyterHub.ip = s.ip
c.JupyterHub.port = s.port
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = s.hub_port
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{s.proxy_api_port}"
c.ConfigurableHTTPProxy.command = s.proxy_command
c.ConfigurableHTTPProxy.pid_file = str(s.state / "proxy.pid")

# --- the hub's own files: root only ----------------------------------------------
c.JupyterHub.db_url = f"sqlite:///{s.state / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(s.state / "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = str(s.state / "jupyterhub.pid")

# --- who may log in: the roster's learners and the instructors (Unix passwords, PAM) ----
c.JupyterHub.authenticator_class = "pam"
c.JupyterHub.template_paths = [str(here / "templates")]  # the login page in Chinese
c.Authenticator.allowed_users = set(s.learners) | set(s.instructors)
c.Authenticator.admin_users = set()  # nobody opens a learner's server
c.JupyterHub.load_groups = {
    "learners": {"users": s.learners},
    "instructors": {"users": s.instructors},
}
c.JupyterHub.load_roles = [
    # Instructors: the formgrader, and the hub's admin page to see and stop servers;
    # not access:servers, so they cannot open a learner's server and files either.
    {
        "name": "nmops-instructor",
        "groups": ["instructors"],
        "scopes": [f"access:services!service={FORMGRADER_SERVICE}", "admin-ui", "list:users",
                   "read:users:activity", "admin:servers"],
    },
    # The idle culler: see activity and stop idle servers.
    {
        "name": "nmops-idle-culler",
        "services": ["idle-culler"],
        "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
    },
]

# --- each learner's server: own home, Chinese JupyterLab, their copy of the lessons --------
c.JupyterHub.spawner_class = "systemdspawner.SystemdSpawner" if s.spawner == "systemd" else "localprocess"
c.Spawner.cmd = [str(bin_dir / "nmops-class-singleuser")]
c.Spawner.notebook_dir = "~"
c.Spawner.default_url = "/lab/tree/lessons/00-orientation.ipynb"
c.Spawner.environment = {
    "NMOPS_EXCHANGE_ROOT": s.exchange,  # nbgrader's exchange (read by the environment's nbgrader config)
    "NMOPS_CLASS_LESSONS": str(s.lessons),
    "JUPYTER_CONFIG_PATH": str(s.learner_config),  # formgrader and create-assignment off for learners
    "PATH": f"{bin_dir}:/usr/local/bin:/usr/bin:/bin",
}
c.Spawner.http_timeout = 60
c.Spawner.start_timeout = 120
# Limits: SystemdSpawner enforces them (cgroups); LocalProcessSpawner ignores them.
c.Spawner.mem_limit = s.mem_limit
c.Spawner.cpu_limit = s.cpu_limit
if s.spawner == "systemd":
    c.SystemdSpawner.isolate_tmp = True
    c.SystemdSpawner.isolate_devices = True
    c.SystemdSpawner.disable_user_sudo = True
    c.SystemdSpawner.unit_name_template = "nmops-singleuser-{USERNAME}"
    c.SystemdSpawner.default_shell = "/bin/bash"

# --- the instructors' formgrader: one service, run as the grader account ------------------
# nbgrader's "one class, multiple graders" layout: the course folder (solutions, gradebook)
# belongs to the grader account, in a private home; instructors reach it through the hub.
c.JupyterHub.services = [
    {
        "name": FORMGRADER_SERVICE,
        "url": f"http://127.0.0.1:{s.formgrader_port}",
        "command": [
            str(bin_dir / "jupyterhub-singleuser"),
            f"--port={s.formgrader_port}",
            f"--ServerApp.root_dir={s.course_dir}",
            "--ServerApp.default_url=/formgrader",
            "--KernelManager.transport=ipc",
        ],
        "user": s.grader_user,
        "cwd": str(s.course_dir),
        "environment": {
            "NMOPS_EXCHANGE_ROOT": s.exchange,
            "PATH": f"{bin_dir}:/usr/local/bin:/usr/bin:/bin",
            "HOME": str(s.grader_home),
        },
        "oauth_no_confirm": True,
    },
    {
        "name": "idle-culler",
        "command": [sys.executable, "-m", "jupyterhub_idle_culler", f"--timeout={s.cull_idle_seconds}"],
    },
]
