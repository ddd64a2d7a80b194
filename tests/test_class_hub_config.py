"""The class's hub configuration (deploy/hub/jupyterhub_config.py), loaded as JupyterHub loads it.

Runs everywhere (no root, no hub started): who may reach the formgrader,
what a learner's server gets, which spawner enforces limits. The end-to-end
test (tests/test_class_hub.py, root only) checks the same rules over HTTP.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from traitlets.config.loader import PyFileConfigLoader

from nmops.classroom.settings import FORMGRADER_SERVICE, ClassSettings

ROOT = Path(__file__).resolve().parents[1]
HUB = ROOT / "deploy" / "hub"


def load(tmp_path, monkeypatch, **overrides):
    settings = ClassSettings(prefix=str(tmp_path / "class"), instructors=["teacher1"],
                             learners=["stu01", "stu02"], **overrides)
    settings.save()
    monkeypatch.setenv("NMOPS_CLASS_SETTINGS", str(settings.path))
    return settings, PyFileConfigLoader("jupyterhub_config.py", path=str(HUB)).load_config()


def test_only_instructors_reach_the_formgrader(tmp_path, monkeypatch):
    _, c = load(tmp_path, monkeypatch)
    scope = f"access:services!service={FORMGRADER_SERVICE}"
    holders = [role for role in c.JupyterHub.load_roles if scope in role["scopes"]]
    assert [role.get("groups") for role in holders] == [["instructors"]]
    assert all(not role.get("users") for role in holders)
    assert c.JupyterHub.load_groups["instructors"]["users"] == ["teacher1"]
    assert c.JupyterHub.load_groups["learners"]["users"] == ["stu01", "stu02"]
    assert c.Authenticator.admin_users == set()
    assert not any("access:servers" in s for role in c.JupyterHub.load_roles for s in role["scopes"])


def test_formgrader_service_runs_as_the_grader_in_the_course_folder(tmp_path, monkeypatch):
    settings, c = load(tmp_path, monkeypatch)
    (service,) = [s for s in c.JupyterHub.services if s["name"] == FORMGRADER_SERVICE]
    assert service["user"] == settings.grader_user
    assert service["cwd"] == str(settings.course_dir)
    assert f"--ServerApp.root_dir={settings.course_dir}" in service["command"]
    assert service["url"] == f"http://127.0.0.1:{settings.formgrader_port}"
    assert service["environment"]["NMOPS_EXCHANGE_ROOT"] == settings.exchange


def test_learner_servers_get_their_lessons_the_exchange_and_no_formgrader(tmp_path, monkeypatch):
    settings, c = load(tmp_path, monkeypatch)
    assert c.Spawner.cmd == [str(settings.env / "bin" / "nmops-class-singleuser")]
    env = c.Spawner.environment
    assert env["NMOPS_EXCHANGE_ROOT"] == settings.exchange
    assert env["NMOPS_CLASS_LESSONS"] == str(settings.lessons)
    assert env["JUPYTER_CONFIG_PATH"] == str(settings.learner_config)
    server = json.loads((HUB / "learner-jupyter" / "jupyter_server_config.d" / "nmops-learner.json").read_text())
    assert server["ServerApp"]["jpserver_extensions"]["nbgrader.server_extensions.formgrader"] is False
    lab = json.loads((HUB / "learner-jupyter" / "labconfig" / "page_config.json").read_text())
    assert lab["disabledExtensions"]["@jupyter/nbgrader:formgrader"] is True
    assert lab["disabledExtensions"]["@jupyter/nbgrader:create-assignment"] is True


def test_the_hub_listens_publicly_only_through_its_proxy(tmp_path, monkeypatch):
    settings, c = load(tmp_path, monkeypatch)
    assert c.JupyterHub.hub_ip == "127.0.0.1"
    assert c.ConfigurableHTTPProxy.api_url.startswith("http://127.0.0.1:")
    assert c.JupyterHub.db_url == f"sqlite:///{settings.state / 'jupyterhub.sqlite'}"


@pytest.mark.parametrize("spawner, expected", [("local", "localprocess"), ("systemd", "systemdspawner.SystemdSpawner")])
def test_limits_are_set_and_the_spawner_chosen(tmp_path, monkeypatch, spawner, expected):
    _, c = load(tmp_path, monkeypatch, spawner=spawner, mem_limit="1G", cpu_limit=0.5)
    assert c.JupyterHub.spawner_class == expected
    assert (c.Spawner.mem_limit, c.Spawner.cpu_limit) == ("1G", 0.5)
    if spawner == "systemd":
        assert c.SystemdSpawner.isolate_tmp is True


def test_idle_culler_stops_idle_servers(tmp_path, monkeypatch):
    _, c = load(tmp_path, monkeypatch, cull_idle_seconds=1800)
    (culler,) = [s for s in c.JupyterHub.services if s["name"] == "idle-culler"]
    assert "--timeout=1800" in culler["command"]
    (role,) = [r for r in c.JupyterHub.load_roles if r.get("services") == ["idle-culler"]]
    assert "delete:servers" in role["scopes"]


def test_unknown_setting_is_named(tmp_path):
    path = tmp_path / "class.json"
    path.write_text(json.dumps({"prefix": "/x", "memlimit": "1G"}))
    with pytest.raises(ValueError, match="memlimit"):
        ClassSettings.load(path)
