"""Make JupyterLab open in Simplified Chinese, for this Python environment only.

Writes the JupyterLab settings overrides of ``sys.prefix`` (the course's
``.venv`` or conda environment), never the learner's home folder::

    {sys.prefix}/share/jupyter/lab/settings/overrides.json

Run it as ``nmops-setup-lab`` (``make lab`` does it for you). Existing
overrides in that file are kept; only the keys below are set.

It also writes the environment's nbgrader configuration,
``{sys.prefix}/etc/jupyter/nbgrader_config.py``, which nbgrader reads
wherever it runs (inside the repository or not): it sets the exchange folder
from the environment variable ``NMOPS_EXCHANGE_ROOT`` when that is set, and
leaves nbgrader 0.9's default (``/usr/local/share/nbgrader/exchange``) or a
server's setting alone otherwise. A file there that this tool did not write
is left untouched.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

__all__ = ["LAB_OVERRIDES", "overrides_path", "write_lab_overrides", "nbgrader_config_path",
           "write_nbgrader_config", "main"]

#: Settings this course presets: Chinese interface, no "Jupyter news?" prompt.
LAB_OVERRIDES = {
    "@jupyterlab/translation-extension:plugin": {"locale": "zh_CN"},
    "@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": False},
}


def overrides_path(prefix: str | Path | None = None) -> Path:
    """Path of the environment's JupyterLab ``overrides.json``."""
    return Path(prefix or sys.prefix) / "share" / "jupyter" / "lab" / "settings" / "overrides.json"


def write_lab_overrides(prefix: str | Path | None = None) -> Path:
    """Merge :data:`LAB_OVERRIDES` into the environment's ``overrides.json``.

    Parameters
    ----------
    prefix : path, optional
        Environment prefix; defaults to ``sys.prefix``.

    Returns
    -------
    Path
        The file written.

    Raises
    ------
    SystemExit
        If the existing file is not valid JSON (it is left untouched).
    """
    path = overrides_path(prefix)
    current = {}
    if path.exists():
        try:
            current = json.loads(path.read_text(encoding="utf-8") or "{}")
        except json.JSONDecodeError as err:
            raise SystemExit(
                f"{path} 不是合法的 JSON（{err}），未做任何修改。请修正或删除该文件后重试。"
                f" / {path} is not valid JSON; nothing was changed."
            ) from err
    for plugin, values in LAB_OVERRIDES.items():
        current.setdefault(plugin, {}).update(values)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(current, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path


_NBGRADER_MARK = "# Written by nmops-setup-lab (nmops/labsetup.py)."
NBGRADER_ENV_CONFIG = _NBGRADER_MARK + '''
# The exchange folder from NMOPS_EXCHANGE_ROOT, wherever nbgrader runs.
import os

if os.environ.get("NMOPS_EXCHANGE_ROOT"):
    get_config().Exchange.root = os.environ["NMOPS_EXCHANGE_ROOT"]  # noqa: F821
'''


def nbgrader_config_path(prefix: str | Path | None = None) -> Path:
    """Path of the environment's ``etc/jupyter/nbgrader_config.py``."""
    return Path(prefix or sys.prefix) / "etc" / "jupyter" / "nbgrader_config.py"


def write_nbgrader_config(prefix: str | Path | None = None) -> Path | None:
    """Write the environment's nbgrader config (exchange from ``NMOPS_EXCHANGE_ROOT``); None if a foreign file is there."""
    path = nbgrader_config_path(prefix)
    if path.exists() and not path.read_text(encoding="utf-8").startswith(_NBGRADER_MARK):
        return None
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(NBGRADER_ENV_CONFIG, encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="让本环境的 JupyterLab 默认使用简体中文界面。")
    parser.add_argument("--prefix", help="环境目录（默认：当前 Python 环境 sys.prefix）")
    args = parser.parse_args(argv)
    path = write_lab_overrides(args.prefix)
    print(f"JupyterLab 默认语言已设为简体中文（zh_CN）：{path}")
    written = write_nbgrader_config(args.prefix)
    if written:
        print(f"nbgrader 会读取环境变量 NMOPS_EXCHANGE_ROOT 作为交换目录（在任何文件夹里运行都有效）：{written}")
    else:
        print(f"{nbgrader_config_path(args.prefix)} 已存在且不是本工具写的，未修改；"
              "如需用 NMOPS_EXCHANGE_ROOT，请在其中设置 c.Exchange.root。")


if __name__ == "__main__":
    main()
