"""pyproject.toml, environment.yml and requirements/constraints.txt agree, and the pins are what runs."""

import re
import sys
from importlib import metadata
from pathlib import Path

import pytest
import yaml
from packaging.markers import Marker
from packaging.requirements import Requirement

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    tomllib = pytest.importorskip("tomli")

ROOT = Path(__file__).resolve().parents[1]
PYTHONS = ["3.10", "3.11", "3.12", "3.13", "3.14"]
CONDA_NAMES = {"python-duckdb": "duckdb"}  # conda-forge name -> PyPI name


def canonical(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def project_requirements(*, hub=True):
    """Runtime + test extra, and the hub extra (pinned and installed, not in environment.yml)."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    extras = project["optional-dependencies"]
    reqs = project["dependencies"] + extras["test"] + (extras["hub"] if hub else [])
    return [Requirement(r) for r in reqs]


def constraints():
    """{package: [(version, marker or None)]} from requirements/constraints.txt."""
    pins = {}
    for line in (ROOT / "requirements" / "constraints.txt").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        req = Requirement(line)
        (version,) = [s.version for s in req.specifier if s.operator == "=="]
        pins.setdefault(canonical(req.name), []).append((version, req.marker))
    return pins


def pinned_version(pins, name, python):
    env = {"python_version": python, "python_full_version": python + ".0"}
    hits = [v for v, m in pins[name] if m is None or Marker(str(m)).evaluate(env)]
    assert len(hits) == 1, f"{name}: {len(hits)} pins apply to Python {python}"
    return hits[0]


def environment_yml():
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    conda, pip = {}, {}
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            for line in dep["pip"]:
                if line.startswith("-e"):
                    continue
                name, version = line.split("==")
                pip[canonical(name)] = version
        elif "=" in dep:
            name, version = dep.split("=", 1)
            conda[CONDA_NAMES.get(canonical(name), canonical(name))] = version
    return env, conda, pip


def test_environment_yml_lists_the_same_packages_as_pyproject():
    env, conda, pip = environment_yml()
    declared = {canonical(r.name) for r in project_requirements(hub=False)}
    listed = (set(conda) | set(pip)) - {"python"}
    assert listed == declared, f"only in environment.yml: {listed - declared}; only in pyproject: {declared - listed}"
    assert "conda-forge" in env["channels"]


def test_environment_yml_uses_the_tested_versions():
    _, conda, pip = environment_yml()
    pins = constraints()
    assert conda["python"] == "3.11"
    for name, version in {**conda, **pip}.items():
        if name != "python":
            assert version == pinned_version(pins, name, "3.11"), name


@pytest.mark.parametrize("python", PYTHONS)
def test_every_dependency_is_pinned_and_satisfies_pyproject(python):
    pins = constraints()
    for req in project_requirements():
        version = pinned_version(pins, canonical(req.name), python)
        assert req.specifier.contains(version, prereleases=True), f"{req} vs pin {version} (Python {python})"


def test_the_running_environment_uses_the_pinned_versions():
    """What the tests run on is what the lock says (make installs with -c constraints.txt)."""
    python = f"{sys.version_info.major}.{sys.version_info.minor}"
    if python not in PYTHONS:
        pytest.skip(f"Python {python} has no pinned column")
    pins = constraints()
    wrong = {}
    for req in project_requirements():
        name = canonical(req.name)
        want = pinned_version(pins, name, python)
        have = metadata.version(req.name)
        if have != want:
            wrong[name] = (have, want)
    assert not wrong, f"installed vs pinned: {wrong}; rerun `make clean test`"


def test_package_ships_font_and_licence():
    from importlib import resources

    fonts = resources.files("nmops.fonts")
    assert (fonts / "NotoSansSC-nmops.otf").is_file()
    assert "SIL OPEN FONT LICENSE" in (fonts / "OFL.txt").read_text(encoding="utf-8")
