"""The class on Kubernetes (deploy/kubernetes/): a learner's pod as KubeSpawner builds it, no cluster needed.

deploy/kubernetes/z2jh_values.py re-implements the Zero to JupyterHub chart's
mapping of values.yaml onto the hub's configuration (for the keys used);
KubeSpawner then builds a learner's pod manifest with its Kubernetes client
mocked. Each check on the pod is also run on a mutated values file and must
fail there. What cannot be tested here (no cluster, no container engine) is
listed in docs/instructor-hub-kubernetes.md.
"""

from __future__ import annotations

import asyncio
import copy
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import tomllib
import warnings
from pathlib import Path
from unittest import mock

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
K8S = ROOT / "deploy" / "kubernetes"
LEARNER_CONFIG = ROOT / "deploy" / "hub" / "learner-jupyter"  # the same learner settings on one server and on Kubernetes
SERVICE = "nmops-formgrader"
EXCHANGE = "/srv/nbgrader/exchange"
HOME = "/home/jovyan"
GIB = 1024**3
LEARNER_ID = 7  # the hub's id of the learner whose pod is built
LEARNER_UID = 100000 + LEARNER_ID  # as values.yaml's hub.extraConfig gives


def _load(name: str):
    spec = importlib.util.spec_from_file_location(name, K8S / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


z2jh = _load("z2jh_values")
roster_values = _load("roster_values")
VALUES = yaml.safe_load((K8S / "values.yaml").read_text(encoding="utf-8"))
FORMGRADER = list(yaml.safe_load_all((K8S / "formgrader.yaml").read_text(encoding="utf-8")))
DOCKERFILE = (K8S / "Dockerfile").read_text(encoding="utf-8")


def _kind(kind: str) -> dict:
    (found,) = [doc for doc in FORMGRADER if doc["kind"] == kind]
    return found


class FakeUser:
    """What KubeSpawner reads of a hub user."""

    def __init__(self, name: str, user_id: int):
        self.name = self.escaped_name = name
        self.id = user_id
        self.url = f"/user/{name}/"


def learner_pod(values: dict, name: str = "learner01", user_id: int = LEARNER_ID) -> dict:
    """The pod manifest (as JSON-ready dict) KubeSpawner makes for this learner from ``values``."""
    from kubernetes_asyncio.client import ApiClient
    from kubespawner import KubeSpawner

    config = z2jh.class_config(copy.deepcopy(values))
    with mock.patch("kubespawner.spawner.load_config"), mock.patch("kubespawner.spawner.shared_client"):
        spawner = KubeSpawner(config=config, user=FakeUser(name, user_id), _mock=True)

    async def build():
        manifest = await spawner.get_pod_manifest()
        async with ApiClient() as api:
            return api.sanitize_for_serialization(manifest)

    return asyncio.run(build())


@pytest.fixture(scope="module")
def pod():
    return learner_pod(VALUES)


def _container(pod: dict) -> dict:
    (container,) = pod["spec"]["containers"]
    return container


# --- checks on a learner's pod (each also shown to fail below) ---------------------------


def check_image(pod):
    container = _container(pod)
    version = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    assert container["image"] == f"registry.example.org/nmops/nmops-class:{version}"
    assert container["imagePullPolicy"] == "IfNotPresent"


def check_resources(pod):
    resources = _container(pod)["resources"]
    assert resources["requests"] == {"cpu": 0.5, "memory": 1 * GIB}
    assert resources["limits"] == {"cpu": 1, "memory": 2 * GIB}


def check_volumes(pod):
    mounts = {m["mountPath"]: m["name"] for m in _container(pod)["volumeMounts"]}
    claims = {v["name"]: v["persistentVolumeClaim"]["claimName"] for v in pod["spec"]["volumes"]}
    assert set(mounts) == {HOME, EXCHANGE}
    assert claims[mounts[HOME]] == "claim-learner01", "the learner's own home volume"
    assert claims[mounts[EXCHANGE]] == "nmops-exchange"


def check_env(pod):
    env = {e["name"]: e.get("value") for e in _container(pod)["env"]}
    assert env.get("JUPYTERHUB_DISABLE_USER_CONFIG") == "1"
    assert env["JUPYTERHUB_DEFAULT_URL"] == "/lab/tree/lessons/00-orientation.ipynb"
    assert env["TZ"] == "Asia/Shanghai"


def check_command(pod):
    assert _container(pod)["args"] == ["nmops-singleuser"]


def check_identity(pod):
    assert _container(pod)["securityContext"] == {"runAsUser": LEARNER_UID, "runAsGroup": 100,
                                                  "allowPrivilegeEscalation": False}
    assert pod["spec"]["securityContext"] == {"fsGroup": 100}


CHECKS = [check_image, check_resources, check_volumes, check_env, check_command, check_identity]


@pytest.mark.parametrize("check", CHECKS, ids=lambda c: c.__name__)
def test_learner_pod(pod, check):
    check(pod)


def _set(path: str, value):
    def mutate(values):
        *parents, last = path.split(".")
        for key in parents:
            values = values.setdefault(key, {})
        if value is None:
            values.pop(last)
        else:
            values[last] = value
    mutate.__name__ = f"{path}={value}"
    return mutate


MUTATIONS = [
    (check_image, _set("singleuser.image.tag", "latest")),
    (check_image, _set("singleuser.image.pullPolicy", "Always")),
    (check_resources, _set("singleuser.cpu.limit", 2)),
    (check_resources, _set("singleuser.memory.guarantee", "512M")),
    (check_resources, _set("singleuser.memory.limit", None)),
    (check_volumes, _set("singleuser.storage.homeMountPath", "/home/learner")),
    (check_volumes, _set("singleuser.storage.extraVolumeMounts", [{"name": "nbgrader-exchange",
                                                                   "mountPath": "/srv/exchange"}])),
    (check_volumes, _set("singleuser.storage.extraVolumes", [{"name": "nbgrader-exchange",
                                                              "persistentVolumeClaim": {"claimName": "other"}}])),
    (check_env, _set("singleuser.extraEnv.JUPYTERHUB_DISABLE_USER_CONFIG", None)),
    (check_env, _set("singleuser.defaultUrl", "/lab")),
    (check_command, _set("singleuser.cmd", "jupyterhub-singleuser")),
    (check_identity, _set("hub.extraConfig", None)),
    (check_identity, _set("singleuser.fsGid", 0)),
]


@pytest.mark.parametrize("check, mutate", MUTATIONS, ids=lambda x: getattr(x, "__name__", ""))
def test_each_pod_check_rejects_a_wrong_value(check, mutate):
    values = copy.deepcopy(VALUES)
    mutate(values)
    with pytest.raises(AssertionError):
        check(learner_pod(values))


def test_learners_run_as_different_users_and_never_as_the_grader():
    uids = {_container(learner_pod(VALUES, f"learner{i:02d}", i))["securityContext"]["runAsUser"] for i in (1, 2, 3)}
    grader = _kind("Deployment")["spec"]["template"]["spec"]["securityContext"]["runAsUser"]
    assert len(uids) == 3 and grader not in uids


def test_a_key_the_mapping_does_not_know_is_an_error():
    values = copy.deepcopy(VALUES)
    values["singleuser"]["profileList"] = [{"display_name": "big"}]
    with pytest.raises(z2jh.UnmappedValue, match="singleuser.profileList"):
        z2jh.class_config(values)


# --- who may open the formgrader -------------------------------------------------------------


def formgrader_access(config) -> set[str]:
    """Who gets ``access:services!service=nmops-formgrader`` from the hub's roles (default roles included)."""
    from jupyterhub.roles import get_default_roles
    from jupyterhub.scopes import _check_scopes_exist, expand_scopes, has_scope

    roles = {role["name"]: role for role in get_default_roles()}
    roles.update({role["name"]: role for role in config.JupyterHub.load_roles})
    who = set()
    for role in roles.values():
        _check_scopes_exist(role["scopes"])
        with warnings.catch_warnings():  # "self" and "!user" need a user to expand; they grant no service
            warnings.simplefilter("ignore", UserWarning)
            granted = has_scope(f"access:services!service={SERVICE}", expand_scopes(role["scopes"]))
        if not granted:
            continue
        who |= {f"group:{g}" for g in role.get("groups", [])} | {f"user:{u}" for u in role.get("users", [])}
        who |= {f"service:{s}" for s in role.get("services", [])}
        if role["name"] == "user":
            who.add("every user")
        if role["name"] == "admin":
            who |= {f"user:{u}" for u in config.get("Authenticator", {}).get("admin_users", [])}
    return who


def test_only_instructors_open_the_formgrader():
    assert formgrader_access(z2jh.class_config(VALUES)) == {"group:instructors"}


@pytest.mark.parametrize("mutate", [
    _set("hub.loadRoles.nmops-instructors.groups", ["instructors", "learners"]),
    _set("hub.loadRoles.nmops-learners.scopes", ["list:services", "access:services"]),
    _set("hub.loadRoles.user", {"scopes": ["self", f"access:services!service={SERVICE}"]}),
    _set("hub.config.Authenticator", {"admin_users": ["learner01"]}),
], ids=["learners-in-role", "learners-all-services", "every-user", "learner-admin"])
def test_access_check_rejects_a_role_that_lets_learners_in(mutate):
    values = copy.deepcopy(VALUES)
    mutate(values)
    assert formgrader_access(z2jh.class_config(values)) != {"group:instructors"}


def test_formgrader_service_and_deployment_agree():
    (service,) = [s for s in z2jh.class_config(VALUES).JupyterHub.services if s["name"] == SERVICE]
    k8s_service = _kind("Service")
    assert service["url"] == f"http://{k8s_service['metadata']['name']}:{k8s_service['spec']['ports'][0]['port']}"
    spec = _kind("Deployment")["spec"]["template"]["spec"]
    (container,) = spec["containers"]
    env = {e["name"]: e for e in container["env"]}
    assert env["JUPYTERHUB_SERVICE_NAME"]["value"] == SERVICE
    assert env["JUPYTERHUB_CLIENT_ID"]["value"] == f"service-{SERVICE}"
    assert env["JUPYTERHUB_SERVICE_PREFIX"]["value"] == f"/services/{SERVICE}/"
    assert env["JUPYTERHUB_API_TOKEN"]["valueFrom"]["secretKeyRef"] == {
        "name": "hub", "key": f"hub.services.{SERVICE}.apiToken"}
    assert env["JUPYTER_CONFIG_PATH"]["value"] == "", "formgrader stays on in the grader's server"
    assert container["image"] == z2jh.class_config(VALUES).KubeSpawner.image
    mounts = {m["mountPath"]: m["name"] for m in container["volumeMounts"]}
    claims = {v["name"]: v["persistentVolumeClaim"]["claimName"] for v in spec["volumes"]}
    assert claims[mounts[EXCHANGE]] == "nmops-exchange"
    assert claims[mounts[HOME]] == "nmops-course", "the course folder: its own volume"
    assert _kind("PersistentVolumeClaim")["metadata"]["name"] == "nmops-course"
    assert "nmops-course" not in json.dumps(VALUES), "never mounted in a learner's pod"
    assert spec["initContainers"][0]["command"][-1].endswith(f"chmod 1777 {EXCHANGE}")


def test_exchange_volume_is_read_write_many():
    pvc = yaml.safe_load((K8S / "exchange-pvc.yaml").read_text(encoding="utf-8"))
    assert pvc["metadata"]["name"] == "nmops-exchange"
    assert pvc["spec"]["accessModes"] == ["ReadWriteMany"]


def test_idle_culler_stops_servers_after_an_hour():
    config = z2jh.class_config(VALUES)
    (culler,) = [s for s in config.JupyterHub.services if s["name"] == "jupyterhub-idle-culler"]
    assert "--timeout=3600" in culler["command"]
    off = copy.deepcopy(VALUES)
    off["cull"]["enabled"] = False
    assert all(s["name"] != "jupyterhub-idle-culler" for s in z2jh.class_config(off).JupyterHub.services)


# --- the image's configuration, run here with this environment's Jupyter ---------------------


def _jupyter_env(tmp_path, config_path: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("NMOPS_EXCHANGE_ROOT", "JUPYTER_CONFIG_PATH")}
    return dict(env, JUPYTER_CONFIG_PATH=config_path, JUPYTER_CONFIG_DIR=str(tmp_path / "user-config"))


# nbgrader's server extensions that are on, and the JupyterLab plugins page_config turns off.
SERVER_AND_LAB = """
from jupyter_server.serverapp import ServerApp
from jupyterlab_server.config import get_static_page_config
app = ServerApp()
app.load_config_file()
app.find_server_extensions()
print(" ".join(sorted(k for k, on in app.jpserver_extensions.items() if on and k.startswith("nbgrader"))))
print(" ".join(sorted(k for k, v in get_static_page_config(level="all").get("disabledExtensions", {}).items() if v)))
"""


def _run(code: str, env: dict, cwd: Path) -> list[list[str]]:
    out = subprocess.run([sys.executable, "-c", code], env=env, cwd=cwd, capture_output=True, text=True, check=True)
    return [line.split() for line in out.stdout.splitlines()]


def _image_env(name: str) -> str:
    match = re.search(rf"^\s*(?:ENV\s+)?{name}=(\S+)", DOCKERFILE, re.M)
    assert match, f"Dockerfile sets no {name}"
    return match.group(1)


def test_learner_config_turns_formgrader_off_and_the_grader_keeps_it(tmp_path):
    learner_dir = _image_env("JUPYTER_CONFIG_PATH")
    assert f"COPY deploy/hub/learner-jupyter {learner_dir}" in DOCKERFILE
    learner = _jupyter_env(tmp_path, str(LEARNER_CONFIG))
    grader = _jupyter_env(tmp_path, "")  # what formgrader.yaml sets
    learner_extensions, learner_disabled = _run(SERVER_AND_LAB, learner, tmp_path)
    grader_extensions, grader_disabled = _run(SERVER_AND_LAB, grader, tmp_path)
    formgrader = "nbgrader.server_extensions.formgrader"
    assert formgrader not in learner_extensions
    assert "nbgrader.server_extensions.course_list" not in learner_extensions
    assert "nbgrader.server_extensions.assignment_list" in learner_extensions
    assert formgrader in grader_extensions
    disabled = {"@jupyter/nbgrader:formgrader", "@jupyter/nbgrader:create-assignment", "@jupyter/nbgrader:course-list"}
    assert set(learner_disabled) == disabled
    assert not disabled & set(grader_disabled)


def test_disabled_lab_plugins_exist_in_the_installed_nbgrader():
    from jupyter_core.paths import jupyter_path

    plugins = set()
    for folder in jupyter_path("labextensions"):
        for script in Path(folder, "@jupyter", "nbgrader", "static").glob("*.js"):
            plugins |= set(re.findall(r'"(@jupyter/nbgrader:[a-z-]+)"', script.read_text(encoding="utf-8")))
    page = json.loads((LEARNER_CONFIG / "labconfig" / "page_config.json").read_text(encoding="utf-8"))
    assert set(page["disabledExtensions"]) <= plugins


def test_image_nbgrader_config_sets_course_and_exchange(tmp_path):
    assert "COPY deploy/kubernetes/jupyter/nbgrader_config.py /etc/jupyter/nbgrader_config.py" in DOCKERFILE
    show = ("from nbgrader.apps.nbgraderapp import NbGraderApp\napp = NbGraderApp(); app.initialize([])\n"
            "print(app.config.Exchange.root, app.config.CourseDirectory.course_id)")
    ((root, course),) = _run(show, _jupyter_env(tmp_path, str(K8S / "jupyter")), tmp_path)
    assert (root, course) == (EXCHANGE, "nmops")
    assert {"name": "nbgrader-exchange", "mountPath": root} in VALUES["singleuser"]["storage"]["extraVolumeMounts"]


# --- the start-up script: lessons copied into the home, a learner's copy never overwritten ----


def _start(tmp_path, home: Path, class_dir: Path) -> subprocess.CompletedProcess:
    stub = tmp_path / "bin"
    stub.mkdir(exist_ok=True)
    (stub / "jupyterhub-singleuser").write_text('#!/bin/sh\necho "singleuser $*"\n')
    (stub / "jupyterhub-singleuser").chmod(0o755)
    env = dict(os.environ, HOME=str(home), NMOPS_CLASS_DIR=str(class_dir),
               PATH=f"{stub}{os.pathsep}{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    return subprocess.run(["sh", str(K8S / "nmops-singleuser"), "--debug"], env=env, capture_output=True,
                          text=True, timeout=120)


def test_start_copies_lessons_and_keeps_the_learners_copy(tmp_path):
    home = tmp_path / "home"
    mine = home / "lessons" / "00-orientation.ipynb"
    mine.parent.mkdir(parents=True)
    mine.write_text("my answers", encoding="utf-8")
    run = _start(tmp_path, home, ROOT)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip().endswith("singleuser --debug"), "arguments reach jupyterhub-singleuser"
    assert mine.read_text(encoding="utf-8") == "my answers"
    assert (home / "lessons" / "01-novice.ipynb").is_file()
    assert not (home / "exercises").exists(), "assignments come from the exchange, not copied at start"
    assert not (home / "solutions").exists()
    assert (ROOT / "course" / "00-orientation.ipynb").is_file(), "the default URL's lesson exists"


def test_start_still_starts_the_server_when_copying_fails(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    (home / "lessons").write_text("a file where the lessons folder goes", encoding="utf-8")
    run = _start(tmp_path, home, ROOT)
    assert run.returncode == 0 and "singleuser --debug" in run.stdout
    assert "复制课程笔记本失败" in run.stderr


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root: runs the start-up script as a uid without a passwd line")
def test_a_learners_uid_is_named_after_the_learner():
    """nbgrader takes the learner's name from pwd; the script gives the learner's uid the hub name."""
    preload = subprocess.run(["true"], env=dict(os.environ, LD_PRELOAD="libnss_wrapper.so"), capture_output=True,
                             text=True)
    if "cannot be preloaded" in preload.stderr:
        pytest.skip("libnss-wrapper is not installed (Debian/Ubuntu: apt-get install libnss-wrapper)")
    as_learner = ["setpriv", f"--reuid={LEARNER_UID}", "--regid=100", "--clear-groups"]
    unnamed = subprocess.run(as_learner + ["id", "-un"], capture_output=True, text=True)
    assert unnamed.returncode != 0, f"uid {LEARNER_UID} has a passwd line here; the check would prove nothing"
    folder = Path(tempfile.mkdtemp(prefix="nmops-k8s-"))
    try:
        folder.chmod(0o755)
        (folder / "bin").mkdir(mode=0o755)
        (folder / "home").mkdir(mode=0o777)
        stubs = {"nmops-class-singleuser": 'echo "singleuser as $(id -un)"'}
        for name, body in stubs.items():
            (folder / "bin" / name).write_text(f"#!/bin/sh\n{body}\n")
            (folder / "bin" / name).chmod(0o755)
        script = folder / "nmops-singleuser"
        shutil.copy(K8S / "nmops-singleuser", script)
        script.chmod(0o755)
        env = {"PATH": f"{folder / 'bin'}:/usr/bin:/bin", "HOME": str(folder / "home"),
               "JUPYTERHUB_USER": "learner07", "NMOPS_CLASS_DIR": str(folder)}
        run = subprocess.run(as_learner + ["sh", str(script)], env=env, capture_output=True, text=True, timeout=60)
    finally:
        shutil.rmtree(folder)
    assert run.stdout.strip() == "singleuser as learner07", run.stderr


# --- the image definition and the values agree -----------------------------------------------


def _copied_sources() -> list[str]:
    """What the Dockerfile's COPY lines take from the repository."""
    return " ".join(re.findall(r"^COPY\s+(?:--\S+\s+)*(.+?)\s+\S+$", DOCKERFILE, re.M)).split()


def test_every_file_the_dockerfile_copies_exists():
    sources = _copied_sources()
    assert len(sources) >= 8
    for source in sources:
        assert (ROOT / source).exists(), f"Dockerfile copies {source}, which is not in the repository"


def test_the_build_context_holds_what_the_dockerfile_copies_and_no_more():
    lines = (K8S / "Dockerfile.dockerignore").read_text(encoding="utf-8").splitlines()
    kept = {line[1:] for line in lines if line.startswith("!")}
    assert "*" in lines, "everything else stays out of the build context"
    under = lambda source, pattern: source == pattern or source.startswith(pattern + "/")  # noqa: E731
    sources = _copied_sources()
    assert all(any(under(source, pattern) for pattern in kept) for source in sources), "COPY of an excluded path"
    assert all(any(under(source, pattern) for source in sources) for pattern in kept), "sent but never copied"


def test_dockerfile_installs_the_pinned_project_not_editable():
    (pip,) = re.findall(r"pip install [^\n\\&]+", DOCKERFILE)
    assert "-c requirements/constraints.txt" in pip and '".[hub]"' in pip and " -e " not in pip
    assert "nmops-setup-lab" in DOCKERFILE
    assert re.search(r"apt-get install [^\n]*\bbubblewrap\b", DOCKERFILE)


def test_dockerfile_python_is_the_tested_one():
    (base,) = re.findall(r"^FROM\s+(\S+)", DOCKERFILE, re.M)
    match = re.fullmatch(r"python:(\d+)\.(\d+)\.\d+-slim-\w+", base)
    assert match, f"base image {base} is not pinned to a Python patch release"
    tested = re.search(r'^TESTED = "(\d+\.\d+)"', (ROOT / "tools" / "lock.py").read_text(encoding="utf-8"), re.M)
    assert f"{match.group(1)}.{match.group(2)}" == tested.group(1)


def test_dockerfile_user_and_home_match_values_and_formgrader():
    user = re.search(r"useradd --uid (\d+) --gid (\d+) --create-home --home-dir (\S+)", DOCKERFILE)
    uid, gid, home = int(user.group(1)), int(user.group(2)), user.group(3)
    context = _kind("Deployment")["spec"]["template"]["spec"]["securityContext"]
    assert (context["runAsUser"], context["runAsGroup"], context["fsGroup"]) == (uid, gid, gid)
    assert VALUES["singleuser"]["fsGid"] == gid
    assert _image_env("HOME") == home == VALUES["singleuser"]["storage"]["homeMountPath"]
    assert f"USER {uid}:{gid}" in DOCKERFILE
    assert "COPY deploy/kubernetes/nmops-singleuser /usr/local/bin/nmops-singleuser" in DOCKERFILE
    assert _image_env("NMOPS_CLASS_DIR") == "/opt/nmops/class"
    assert "COPY course /opt/nmops/class/course" in DOCKERFILE
    assert not any(name in source for source in _copied_sources() for name in ("solutions", "exercises"))


# --- roster -> values ------------------------------------------------------------------------


def test_roster_gives_learners_and_instructors_their_groups(tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text("id,name\nlearner01,王小花\nlearner02,李明\n", encoding="utf-8")
    extra = roster_values.roster_values(roster_values.learner_ids(roster), ["t1"])
    config = z2jh.class_config(z2jh.merged(extra, VALUES))
    groups = config.JupyterHub.load_groups
    assert groups == {"learners": {"users": ["learner01", "learner02"]}, "instructors": {"users": ["t1"]}}
    assert config.Authenticator.allowed_users == ["learner01", "learner02", "t1"]
    assert formgrader_access(config) == {"group:instructors", "user:t1"}
    assert config.NativeAuthenticator.open_signup is False, "values.yaml's settings survive the merge"


@pytest.mark.parametrize("text, instructors, message", [
    ("id,name\nlearner01,a\nlearner01,b\n", ["t1"], "重复"),
    ("id,name\nLearner01,a\n", ["t1"], "大写字母"),
    ("name\n王小花\n", ["t1"], "id"),
    ("id,name\nlearner01,a\n", ["learner01"], "既是学员又是讲师"),
    ("id,name\nlearner01,a\n", ["T1"], "讲师登录名不能用"),
])
def test_roster_errors_name_the_problem(tmp_path, text, instructors, message):
    roster = tmp_path / "roster.csv"
    roster.write_text(text, encoding="utf-8")
    with pytest.raises(SystemExit, match=message):
        roster_values.roster_values(roster_values.learner_ids(roster), instructors)


# --- the manifests use only fields Kubernetes knows --------------------------------------------


def _round_trip(doc: dict) -> dict:
    """``doc`` read into the Kubernetes client's model of its kind and written back: unknown fields are lost."""
    from kubernetes_asyncio.client import ApiClient

    model = doc["apiVersion"].split("/")[-1].upper() + doc["kind"]  # apps/v1 Deployment -> V1Deployment

    async def trip():
        async with ApiClient() as api:
            return api.sanitize_for_serialization(api._ApiClient__deserialize(doc, model))

    return asyncio.run(trip())


def test_manifests_have_only_known_fields():
    docs = FORMGRADER + [yaml.safe_load((K8S / "exchange-pvc.yaml").read_text(encoding="utf-8"))]
    assert [d["kind"] for d in docs] == ["PersistentVolumeClaim", "Deployment", "Service", "PersistentVolumeClaim"]
    for doc in docs:
        assert _round_trip(doc) == doc, doc["kind"]
    misspelled = copy.deepcopy(_kind("Deployment"))
    misspelled["spec"]["template"]["spec"]["containers"][0]["volumeMount"] = []
    assert _round_trip(misspelled) != misspelled


def test_roster_command_prints_a_values_file(tmp_path, capsys):
    roster = tmp_path / "roster.csv"
    roster.write_text("id,name\nlearner01,王小花\n", encoding="utf-8")
    roster_values.main([str(roster), "--instructors", "t1, t2"])
    printed = yaml.safe_load(capsys.readouterr().out)
    assert printed == roster_values.roster_values(["learner01"], ["t1", "t2"])
