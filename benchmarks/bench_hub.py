"""Spawn N learners at once on a class hub and run a cell in each (班级服务器容量): root only.

Sets up a throw-away class (tools/hub_class.py: the code of ``nmops-class
setup``, temporary users, free loopback ports), then, all learners at the
same time: log in, start the server, start a kernel and run a cell that
imports nmops and loads the sample posts table (what the first lesson does).
Prints the time until every server answered, the time until every cell had
run, and the memory of each learner (resident set and proportional set size,
PSS, which splits shared libraries fairly between processes), idle and after
the cell. From these figures docs/instructor-hub.md derives its sizing table.

    sudo .venv/bin/python benchmarks/bench_hub.py [N]      # default N = 10
"""

from __future__ import annotations

import json
import os
import pwd
import statistics
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

from hub_class import Browser, HubClass, processes  # noqa: E402  (tools/ is on sys.path now)

CELL = "import nmops\nfrom nmops.datasets import load_posts\nposts = load_posts()\nprint(len(posts))"


def memory_of(uid: int | None = None, pgid: int | None = None) -> tuple[int, int]:
    """(RSS, PSS) in bytes of every process running as ``uid`` (or in process group ``pgid``)."""
    rss = pss = 0
    for proc in processes(uids=None if uid is None else {uid}, pgid=pgid):
        try:
            for line in (proc / "smaps_rollup").read_text().splitlines():
                if line.startswith("Rss:"):
                    rss += int(line.split()[1]) * 1024
                elif line.startswith("Pss:"):
                    pss += int(line.split()[1]) * 1024
        except OSError:  # the process ended meanwhile
            continue
    return rss, pss


def run_cell(browser, prefix: str, code: str, timeout: float = 120) -> str:
    """Start a kernel through the server's REST API and run ``code`` over its websocket; return stdout."""
    import websocket

    kernel = browser.post(prefix, "api/kernels", json={"name": "python3"}).json()
    cookies = "; ".join(f"{c.name}={c.value}" for c in browser.session.cookies)
    url = f"ws://127.0.0.1:{browser.hub.settings.port}{prefix}api/kernels/{kernel['id']}/channels"
    ws = websocket.create_connection(url, header=[f"Cookie: {cookies}"], timeout=timeout)
    msg_id = uuid.uuid4().hex
    ws.send(json.dumps({
        "header": {"msg_id": msg_id, "username": browser.user, "session": uuid.uuid4().hex,
                   "msg_type": "execute_request", "version": "5.3"},
        "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
        "content": {"code": code, "silent": False, "store_history": False, "user_expressions": {},
                    "allow_stdin": False, "stop_on_error": True},
    }))
    out = []
    while True:
        msg = json.loads(ws.recv())
        if msg.get("parent_header", {}).get("msg_id") != msg_id:
            continue
        if msg["msg_type"] == "stream":
            out.append(msg["content"]["text"])
        elif msg["msg_type"] == "error":
            raise RuntimeError("\n".join(msg["content"]["traceback"]))
        elif msg["msg_type"] == "execute_reply":
            ws.close()
            return "".join(out)


def in_parallel(func, items) -> list:
    results, errors = {}, []

    def work(item):
        try:
            results[item] = func(item)
        except Exception as err:  # noqa: BLE001 - reported below
            errors.append((item, err))

    threads = [threading.Thread(target=work, args=(item,)) for item in items]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise RuntimeError(f"{len(errors)} failed, first: {errors[0]}")
    return [results[item] for item in items]


def mib(n: float) -> str:
    return f"{n / 2**20:.0f} MiB"


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    if os.geteuid() != 0:
        print("bench_hub: skipped (needs root: it creates Unix users). Run: sudo .venv/bin/python benchmarks/bench_hub.py")
        return
    with tempfile.TemporaryDirectory() as tmp, HubClass(n, Path(tmp)) as hub:
        print(f"class set up in {hub.setup_seconds:.1f} s (environment already built); {n} learners", flush=True)
        browsers = {user: Browser(hub, user) for user in hub.learners}
        started = time.perf_counter()

        def spawn(user):
            browsers[user].login()
            return browsers[user].start_server()

        prefixes = dict(zip(hub.learners, in_parallel(spawn, hub.learners)))
        ready = time.perf_counter() - started
        time.sleep(2)
        idle = {u: memory_of(pwd.getpwnam(u).pw_uid) for u in hub.learners}
        t0 = time.perf_counter()
        outputs = in_parallel(lambda u: run_cell(browsers[u], prefixes[u], CELL), hub.learners)
        cells = time.perf_counter() - t0
        assert all(o.strip().isdigit() for o in outputs), outputs
        busy = {u: memory_of(pwd.getpwnam(u).pw_uid) for u in hub.learners}
        hub_group = memory_of(pgid=hub.hub.pid)  # the hub, the proxy, the idle culler
        grader = memory_of(pwd.getpwnam(hub.settings.grader_user).pw_uid)  # the formgrader service

    print(f"all {n} servers answering: {ready:.1f} s after the logins began")
    print(f"a cell (import nmops, load posts) in each, all at once: {cells:.1f} s")
    for label, mem in (("idle server", idle), ("server + kernel after the cell", busy)):
        rss = [m[0] for m in mem.values()]
        pss = [m[1] for m in mem.values()]
        print(f"{label}: RSS median {mib(statistics.median(rss))} (max {mib(max(rss))}), "
              f"PSS median {mib(statistics.median(pss))} (max {mib(max(pss))}) per learner")
    print(f"hub + proxy + idle culler: RSS {mib(hub_group[0])}, PSS {mib(hub_group[1])}; "
          f"formgrader service: RSS {mib(grader[0])}, PSS {mib(grader[1])}")
    print(f"load average (1 min) at the end: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
