"""Make JupyterLab open in Simplified Chinese, for this Python environment only.

Writes the JupyterLab settings overrides of ``sys.prefix`` (the course's
``.venv`` or conda environment), never the learner's home folder::

    {sys.prefix}/share/jupyter/lab/settings/overrides.json

Run it as ``nmops-setup-lab`` (``make lab`` does it for you). Existing
overrides in that file are kept; only the keys below are set.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

__all__ = ["LAB_OVERRIDES", "overrides_path", "write_lab_overrides", "main"]

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


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="让本环境的 JupyterLab 默认使用简体中文界面。")
    parser.add_argument("--prefix", help="环境目录（默认：当前 Python 环境 sys.prefix）")
    args = parser.parse_args(argv)
    path = write_lab_overrides(args.prefix)
    print(f"JupyterLab 默认语言已设为简体中文（zh_CN）：{path}")


if __name__ == "__main__":
    main()
