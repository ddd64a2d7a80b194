"""Start a throw-away JupyterLab server of this environment, look at it, stop it.

Used by ``tests/test_lab.py`` and by hand::

    python tools/labserver.py --screenshot lab.png

The server runs with its config, data-dir user settings, workspaces and
runtime folders in a temporary directory, so nothing is written to the
user's home; the environment-wide overrides (``nmops-setup-lab``) apply.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "nmops-test-token"
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--hide-scrollbars",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def find_chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


@contextlib.contextmanager
def lab_server(root_dir: Path = ROOT, timeout: float = 90):
    """Yield the base URL of a running JupyterLab; stop it afterwards."""
    port = _free_port()
    with tempfile.TemporaryDirectory(prefix="nmops-lab-") as tmp:
        tmp = Path(tmp)
        env = dict(os.environ)
        env.update(
            JUPYTER_CONFIG_DIR=str(tmp / "config"),
            JUPYTER_RUNTIME_DIR=str(tmp / "runtime"),
            JUPYTERLAB_SETTINGS_DIR=str(tmp / "user-settings"),
            JUPYTERLAB_WORKSPACES_DIR=str(tmp / "workspaces"),
            PATH=os.path.dirname(sys.executable) + os.pathsep + env.get("PATH", ""),
        )
        log = open(tmp / "server.log", "w+")
        proc = subprocess.Popen(
            [sys.executable, "-m", "jupyterlab", "--no-browser", f"--port={port}",
             "--ServerApp.ip=127.0.0.1", f"--IdentityProvider.token={TOKEN}",
             f"--ServerApp.root_dir={root_dir}", "--LabApp.news_url=",
             *(["--allow-root"] if hasattr(os, "geteuid") and os.geteuid() == 0 else [])],
            stdout=log, stderr=subprocess.STDOUT, env=env,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + timeout
            while True:
                if proc.poll() is not None:
                    log.seek(0)
                    raise RuntimeError("JupyterLab 启动失败 / failed to start:\n" + log.read()[-3000:])
                try:
                    get_json(base, "/api/status")
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        raise TimeoutError(f"JupyterLab did not answer within {timeout} s")
                    time.sleep(0.5)
            yield base
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
            log.close()


def get_json(base: str, path: str) -> dict:
    request = urllib.request.Request(base + path, headers={"Authorization": f"token {TOKEN}"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)


def lab_locale(base: str) -> str:
    """The locale in force: the user's setting if any, else the (overridden) schema default."""
    data = get_json(base, "/lab/api/settings/@jupyterlab/translation-extension:plugin")
    return data["settings"].get("locale", data["schema"]["properties"]["locale"]["default"])


def browse(base: str, chromium: str, *, screenshot: Path | None = None, budget_ms: int = 20000) -> str:
    """Open /lab in headless Chromium; return the rendered DOM, optionally save a PNG."""
    url = f"{base}/lab?token={TOKEN}"
    with tempfile.TemporaryDirectory(prefix="nmops-chromium-") as profile:
        args = [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}",
                f"--virtual-time-budget={budget_ms}", "--window-size=1280,800"]
        if screenshot is not None:
            subprocess.run([*args, f"--screenshot={screenshot}", url],
                           capture_output=True, timeout=180, check=True)
        dom = subprocess.run([*args, "--dump-dom", url], capture_output=True, text=True,
                             timeout=180, check=True)
    return dom.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--screenshot", type=Path, help="save a PNG of the JupyterLab page")
    args = parser.parse_args()
    with lab_server() as base:
        print("locale from the settings API:", lab_locale(base))
        chromium = find_chromium()
        if args.screenshot:
            if not chromium:
                sys.exit("没有找到 Chromium：请先安装（Debian/Ubuntu：sudo apt-get install chromium fonts-noto-cjk）。")
            dom = browse(base, chromium, screenshot=args.screenshot)
            print("saved", args.screenshot, "| menu 文件 in page:", "文件" in dom)


if __name__ == "__main__":
    main()
