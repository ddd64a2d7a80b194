"""The exchange folder: nbgrader 0.9's default as the instructor guide says, NMOPS_EXCHANGE_ROOT honoured anywhere."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from nmops.labsetup import nbgrader_config_path, write_nbgrader_config

ROOT = Path(__file__).resolve().parents[1]
SHOW_ROOT = ("from nbgrader.apps.nbgraderapp import NbGraderApp\n"
             "app = NbGraderApp(); app.initialize([]); print(app.config.Exchange.get('root', 'DEFAULT'))")


def test_instructor_guide_gives_nbgrader_default_exchange():
    from nbgrader.exchange.default.exchange import Exchange

    default = Exchange.class_traits()["root"].default()
    guide = (ROOT / "docs" / "instructor.md").read_text(encoding="utf-8")
    assert default == "/usr/local/share/nbgrader/exchange"
    assert f"默认是 `{default}`" in guide
    assert "默认是 `/srv/nbgrader/exchange`" not in guide


def test_exchange_root_from_environment_outside_the_repository(tmp_path):
    """nbgrader run from a folder with no nbgrader_config.py still uses NMOPS_EXCHANGE_ROOT (environment config)."""
    prefix = tmp_path / "env"
    path = write_nbgrader_config(prefix)
    assert path == nbgrader_config_path(prefix) and path.is_file()
    outside = tmp_path / "somewhere"
    outside.mkdir()
    env = dict(os.environ, JUPYTER_CONFIG_PATH=str(path.parent), JUPYTER_CONFIG_DIR=str(tmp_path / "cfg"),
               NMOPS_EXCHANGE_ROOT=str(tmp_path / "exchange"))
    run = lambda e: subprocess.run([sys.executable, "-c", SHOW_ROOT], cwd=outside, env=e,  # noqa: E731
                                   capture_output=True, text=True, check=True).stdout.strip()
    assert run(env) == str(tmp_path / "exchange")
    env.pop("NMOPS_EXCHANGE_ROOT")
    assert run(env) in ("DEFAULT", "/usr/local/share/nbgrader/exchange"), "unset: nbgrader's own default"


def test_a_foreign_environment_config_is_left_alone(tmp_path):
    path = nbgrader_config_path(tmp_path)
    path.parent.mkdir(parents=True)
    path.write_text("c = get_config()\nc.Exchange.root = '/srv/x'\n", encoding="utf-8")
    assert write_nbgrader_config(tmp_path) is None
    assert "/srv/x" in path.read_text(encoding="utf-8")
