"""The learner's half of grading (学生代码一侧): runs inside the sandbox, one process per submission.

Started by :mod:`nmops.grading.sandbox` as ``python -I -m nmops.grading.student_runner``
inside bubblewrap. It reads one JSON request per line on stdin and writes one
JSON reply per line on the descriptor that was stdout when it started (the
learner's ``print`` goes to a capture buffer, not there). Requests:

* ``{"op": "run", "code": ..., "timeout": s}``: run a non-test cell in an
  IPython shell; reply ``{"outputs": [...], "error": bool}`` with the
  cell's outputs in nbformat form (stream, display_data such as charts,
  execute_result, error), at most ``NMOPS_OUTPUT_LIMIT`` bytes of text;
* ``{"op": "export", "names": [...]}``: reply ``{"values": {name: encoded}}``
  with :func:`nmops.grading.exchange.encode` for each name that is defined.

Test cells are never sent here. Nothing this process says is trusted: the
grader treats every reply as data from the learner (a forged reply can only
hurt the learner's own score).
"""

from __future__ import annotations

import json
import os
import signal
import sys

OUTPUT_LIMIT = int(os.environ.get("NMOPS_OUTPUT_LIMIT", "1000000"))
TRUNCATED = "\n…（输出太长，超过 {limit} 字节的部分已省略）\n"


class _Budget:
    """Bytes of output a cell may still produce."""

    def __init__(self, limit: int):
        self.left = limit
        self.truncated = False

    def take(self, text: str) -> str:
        size = len(text.encode("utf-8", "replace"))
        if size <= self.left:
            self.left -= size
            return text
        self.truncated = True
        kept = text.encode("utf-8", "replace")[: max(self.left, 0)].decode("utf-8", "ignore")
        self.left = 0
        return kept


class _Capture:
    """A text stream that appends to the cell's outputs (stdout or stderr) within the budget."""

    encoding = "utf-8"
    errors = "replace"

    def __init__(self, runner: "Runner", name: str):
        self.runner, self.name = runner, name

    def write(self, text) -> int:
        text = str(text)
        self.runner.add_stream(self.name, text)
        return len(text)

    def writelines(self, lines) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False


class _CellTimeout(BaseException):
    pass


def _on_alarm(signum, frame):
    raise _CellTimeout("单元格运行超时")


class Runner:
    def __init__(self):
        from IPython.core.displayhook import DisplayHook
        from IPython.core.displaypub import DisplayPublisher
        from IPython.core.interactiveshell import InteractiveShell
        from traitlets.config import Config

        runner = self

        class Publisher(DisplayPublisher):
            def publish(self, data, metadata=None, source=None, *, transient=None, update=False, **kwargs):
                runner.add_rich("display_data", data, metadata)

            def clear_output(self, wait=False):
                runner.outputs.clear()

        class Hook(DisplayHook):
            def write_output_prompt(self):
                pass

            def write_format_data(self, format_dict, md_dict=None):
                runner.add_rich("execute_result", format_dict, md_dict)

            def finish_displayhook(self):
                pass

        class Shell(InteractiveShell):
            def _showtraceback(self, etype, evalue, stb):
                runner.add_error(etype.__name__, str(evalue), stb)

        config = Config()
        config.HistoryManager.enabled = False
        config.InteractiveShell.colors = "nocolor"
        config.InteractiveShell.xmode = "Context"
        self.shell = Shell.instance(config=config, display_pub_class=Publisher, displayhook_class=Hook)
        self.outputs: list[dict] = []
        self.budget = _Budget(OUTPUT_LIMIT)
        self.count = 0

    def add_stream(self, name: str, text: str) -> None:
        text = self.budget.take(text)
        if not text:
            return
        if self.outputs and self.outputs[-1].get("output_type") == "stream" and self.outputs[-1]["name"] == name:
            self.outputs[-1]["text"] += text
        else:
            self.outputs.append({"output_type": "stream", "name": name, "text": text})

    def add_rich(self, kind: str, data: dict, metadata) -> None:
        data = {str(k): v for k, v in dict(data).items() if isinstance(v, (str, dict, list))}
        size = len(json.dumps(data, ensure_ascii=False, default=str))
        if size > self.budget.left:
            self.budget.left, self.budget.truncated = 0, True
            return
        self.budget.left -= size
        out = {"output_type": kind, "data": data, "metadata": dict(metadata or {}) if isinstance(metadata, dict) else {}}
        if kind == "execute_result":
            out["execution_count"] = self.count
        self.outputs.append(out)

    def add_error(self, ename: str, evalue: str, stb) -> None:
        lines = [self.budget.take(str(line)) for line in (stb or [])]
        self.outputs.append({"output_type": "error", "ename": ename[:200], "evalue": self.budget.take(evalue),
                             "traceback": lines})

    def run(self, code: str, timeout: float) -> dict:
        self.outputs, self.budget = [], _Budget(OUTPUT_LIMIT)
        self.count += 1
        saved = sys.stdout, sys.stderr
        sys.stdout, sys.stderr = _Capture(self, "stdout"), _Capture(self, "stderr")
        signal.signal(signal.SIGALRM, _on_alarm)
        signal.setitimer(signal.ITIMER_REAL, max(timeout, 0.1))
        try:
            result = self.shell.run_cell(code, store_history=True, silent=False)
            failed = not result.success
        except _CellTimeout:
            failed = True
            self.add_error("CellTimeoutError", "", ["CellTimeoutError: 单元格运行超时，已被中断。请检查是否有死循环，或者计算是否特别慢。"])
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            sys.stdout, sys.stderr = saved
        if self.budget.truncated:
            self.outputs.append({"output_type": "stream", "name": "stdout",
                                 "text": TRUNCATED.format(limit=OUTPUT_LIMIT)})
        return {"outputs": self.outputs, "error": failed, "count": self.count}

    def export(self, names: list[str]) -> dict:
        from nmops.grading.exchange import encode

        namespace = self.shell.user_ns
        values = {}
        for name in names:
            if name in namespace:
                try:
                    values[name] = encode(namespace[name])
                except Exception as exc:  # a value whose encoding fails is reported as unsupported
                    values[name] = {"t": "unsupported", "type": type(exc).__name__}
        return {"values": values}


def main() -> None:
    replies = os.fdopen(os.dup(1), "w", encoding="utf-8")
    requests = os.fdopen(os.dup(0), "r", encoding="utf-8")
    # A child the learner forks must not answer in this process's place.
    os.register_at_fork(after_in_child=lambda: (replies.close(), requests.close()))
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    runner = Runner()
    for line in requests:
        request = json.loads(line)
        if request["op"] == "run":
            reply = runner.run(request["code"], float(request.get("timeout", 60)))
        elif request["op"] == "export":
            reply = runner.export(list(request["names"]))
        else:
            reply = {"error": f"unknown op {request['op']!r}"}
        replies.write(json.dumps(reply, ensure_ascii=False, default=str) + "\n")
        replies.flush()


if __name__ == "__main__":
    main()
