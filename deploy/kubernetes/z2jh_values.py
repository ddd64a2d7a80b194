"""Zero to JupyterHub values -> JupyterHub and KubeSpawner configuration, for the keys the class uses.

The Helm chart (zero-to-jupyterhub-k8s 4.4.0) turns ``values.yaml`` into the
hub's configuration in ``jupyterhub/files/hub/jupyterhub_config.py``. This
module is a small re-implementation of that mapping, written from reading it,
for the keys ``deploy/kubernetes/values.yaml`` sets and nothing else, so that
``tests/test_kubernetes_class.py`` can build a learner's pod with KubeSpawner
without a cluster. A key it does not map raises :class:`UnmappedValue`: a
setting the test would silently skip is an error, not a pass.

What it does not do: the chart's Kubernetes objects (hub, proxy, network
policies, the user scheduler), secrets, and every key not listed in
:data:`MAPPED`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from traitlets.config import Config

__all__ = ["CHART_VERSION", "CHART_DEFAULTS", "MAPPED", "UnmappedValue", "merged", "class_config",
           "culler_command"]

CHART_VERSION = "4.4.0"

#: The chart's own defaults (its values.yaml) for the keys read here.
CHART_DEFAULTS: dict[str, Any] = {
    "singleuser": {
        "uid": 1000,
        "fsGid": 100,
        "allowPrivilegeEscalation": False,
        "extraLabels": {"hub.jupyter.org/network-access-hub": "true"},
        "cmd": "jupyterhub-singleuser",
        "memory": {"guarantee": "1G"},
        "storage": {
            "type": "dynamic",
            "capacity": "10Gi",
            "homeMountPath": "/home/jovyan",
            "dynamic": {"volumeNameTemplate": "volume-{user_server}", "storageAccessModes": ["ReadWriteOnce"]},
        },
    },
    "cull": {"enabled": True, "users": False, "adminUsers": True, "removeNamedServers": False,
             "timeout": 3600, "every": 600, "concurrency": 10, "maxAge": 0},
}

#: singleuser keys that map one to one onto a KubeSpawner trait (as in the chart).
_SPAWNER_TRAITS = {
    "image.pullPolicy": "image_pull_policy",
    "uid": "uid",
    "fsGid": "fs_gid",
    "extraLabels": "extra_labels",
    "memory.limit": "mem_limit",
    "memory.guarantee": "mem_guarantee",
    "cpu.limit": "cpu_limit",
    "cpu.guarantee": "cpu_guarantee",
    "extraEnv": "environment",
}

#: Every dotted key (or key prefix) of values.yaml this module maps.
MAPPED = (
    {"singleuser." + key for key in _SPAWNER_TRAITS}
    | {"singleuser." + key for key in ("image.name", "image.tag", "allowPrivilegeEscalation", "cmd", "defaultUrl",
                                       "storage.type", "storage.capacity", "storage.homeMountPath",
                                       "storage.dynamic", "storage.extraVolumes", "storage.extraVolumeMounts")}
    | {"hub.config", "hub.services", "hub.loadRoles", "hub.extraConfig", "cull"}
)


class UnmappedValue(ValueError):
    """values.yaml sets a key this re-implementation does not map."""


def merged(values: Mapping[str, Any], defaults: Mapping[str, Any] = CHART_DEFAULTS) -> dict[str, Any]:
    """Helm's merge of user values over the chart's defaults: mappings merge, anything else replaces."""
    out = dict(defaults)
    for key, value in values.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), Mapping):
            out[key] = merged(value, out[key])
        else:
            out[key] = value
    return out


def _leaves(values: Mapping[str, Any], prefix: str = ""):
    for key, value in values.items():
        path = f"{prefix}{key}"
        if isinstance(value, Mapping) and value and path not in MAPPED:
            yield from _leaves(value, path + ".")
        else:
            yield path


def _get(values: Mapping[str, Any], dotted: str, default: Any = None) -> Any:
    for level in dotted.split("."):
        if not isinstance(values, Mapping) or level not in values:
            return default
        values = values[level]
    return values


def _storage(c: Config, storage: Mapping[str, Any]) -> None:
    """Home volume (dynamic PVC per user) plus extraVolumes/extraVolumeMounts, as KubeSpawner volume dicts."""
    if storage["type"] != "dynamic":
        raise UnmappedValue(f"singleuser.storage.type={storage['type']!r}: only 'dynamic' is mapped here")
    dynamic = storage["dynamic"]
    name = dynamic["volumeNameTemplate"]
    c.KubeSpawner.storage_pvc_ensure = True
    c.KubeSpawner.storage_capacity = storage["capacity"]
    c.KubeSpawner.storage_access_modes = dynamic["storageAccessModes"]
    if dynamic.get("storageClass"):
        c.KubeSpawner.storage_class = dynamic["storageClass"]
    if dynamic.get("pvcNameTemplate"):
        c.KubeSpawner.pvc_name_template = dynamic["pvcNameTemplate"]
    volumes = {name: {"name": name, "persistentVolumeClaim": {"claimName": "{pvc_name}"}}}
    mounts = {name: {"name": name, "mountPath": storage["homeMountPath"], "subPath": dynamic.get("subPath")}}
    for volume in storage.get("extraVolumes") or []:
        volumes[volume["name"]] = volume
    for index, mount in enumerate(storage.get("extraVolumeMounts") or []):
        mounts[f"{index}-{mount['name']}"] = mount
    c.KubeSpawner.volumes = volumes
    c.KubeSpawner.volume_mounts = mounts


def culler_command(cull: Mapping[str, Any]) -> list[str]:
    """The jupyterhub-idle-culler command line the chart runs as a hub service."""
    cmd = ["python3", "-m", "jupyterhub_idle_culler", "--url=http://localhost:8081/hub/api"]
    for key, flag in (("timeout", "--timeout"), ("every", "--cull-every"), ("concurrency", "--concurrency"),
                      ("maxAge", "--max-age")):
        if cull.get(key):
            cmd.append(f"{flag}={cull[key]}")
    if cull.get("users"):
        cmd.append("--cull-users")
    if not cull.get("adminUsers"):
        cmd.append("--cull-admin-users=false")
    if cull.get("removeNamedServers"):
        cmd.append("--remove-named-servers")
    return cmd


def class_config(values: Mapping[str, Any]) -> Config:
    """The hub's configuration (JupyterHub, Spawner, KubeSpawner sections) the chart makes of ``values``.

    Raises
    ------
    UnmappedValue
        If ``values`` sets a key outside :data:`MAPPED`.
    """
    unmapped = [key for key in _leaves(values) if not any(key == m or key.startswith(m + ".") for m in MAPPED)]
    if unmapped:
        raise UnmappedValue(f"not mapped by z2jh_values.py (chart {CHART_VERSION}): {', '.join(unmapped)}")
    values = merged(values)
    single = values["singleuser"]
    c = Config()
    c.JupyterHub.spawner_class = "kubespawner.KubeSpawner"
    for key, trait in _SPAWNER_TRAITS.items():
        value = _get(single, key)
        if value is not None:
            setattr(c.KubeSpawner, trait, value)
    image = _get(single, "image.name")
    if image:
        tag = _get(single, "image.tag")
        c.KubeSpawner.image = f"{image}:{tag}" if tag else image
    c.KubeSpawner.allow_privilege_escalation = single.get("allowPrivilegeEscalation")
    _storage(c, single["storage"])
    if "cmd" in single:
        c.Spawner.cmd = single["cmd"]
    if single.get("defaultUrl") is not None:
        c.Spawner.default_url = single["defaultUrl"]

    hub = values.get("hub", {})
    services, roles = [], []
    if values["cull"].get("enabled"):
        services.append({"name": "jupyterhub-idle-culler", "command": culler_command(values["cull"])})
        scopes = ["list:users", "read:users:activity", "read:servers", "delete:servers"]
        if values["cull"].get("users"):
            scopes.append("admin:users")
        roles.append({"name": "jupyterhub-idle-culler", "scopes": scopes, "services": ["jupyterhub-idle-culler"]})
    for name, service in (hub.get("services") or {}).items():
        service = {key: value for key, value in service.items() if key != "apiToken"}
        services.append({"name": name, **service, "api_token": f"<k8s Secret hub: hub.services.{name}.apiToken>"})
    for name, role in (hub.get("loadRoles") or {}).items():
        roles.append({"name": name, **role})
    c.JupyterHub.services = services
    c.JupyterHub.load_roles = roles
    for section, settings in (hub.get("config") or {}).items():
        if not section[:1].isupper():
            raise UnmappedValue(f"hub.config.{section}: sections must be Configurable class names")
        c[section].update(settings)
    for _, snippet in sorted((hub.get("extraConfig") or {}).items()):
        exec(snippet, {"c": c})  # the chart runs these last, with the same `c`
    return c
