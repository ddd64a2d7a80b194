"""The deciding half of grading (判分一侧): a clean process that never runs learner code.

Started by :class:`nmops.grading.safe_execute.SandboxedExecute` as
``python -I -m nmops.grading.clean_runner`` in a folder holding only the
assignment's declared data files. It runs the instructor's locked cells
(setup, data) and the test cells, visible and hidden, in its own namespace;
the learner's answers arrive as data (:mod:`nmops.grading.exchange`) and are
bound to their names just before the cell that reads them. A test cell's
outcome is whether it raised here, plus the partial-credit value its last
expression returns.

Protocol: one JSON request per line on stdin, one JSON reply per line on stdout.

* ``{"op": "reset"}``: a fresh namespace (next notebook);
* ``{"op": "run", "code": ..., "count": n, "values": {...}, "timeout": s}``:
  bind the decoded values, run the code; reply ``{"outputs": [...], "error": bool}``.
"""

from __future__ import annotations

import ast
import contextlib
import io
import json
import os
import signal
import sys
import traceback as _traceback

from nmops.grading.exchange import ExchangeError, Unsupported, decode

_MAX_TEXT = 20000


class _Timeout(BaseException):
    pass


def _on_alarm(signum, frame):
    raise _Timeout()


def _cell_line(exc: BaseException, filename: str) -> int | None:
    """Line of the cell where the error started (outermost frame in the cell)."""
    for frame in _traceback.extract_tb(exc.__traceback__):
        if frame.filename == filename:
            return frame.lineno
    return None


def _error(ename: str, evalue: str, traceback: list[str]) -> dict:
    return {"output_type": "error", "ename": ename, "evalue": evalue[:_MAX_TEXT], "traceback": traceback}


def _result_output(result, count: int) -> dict:
    """The ``execute_result`` of a test cell's last expression: its text, and for a partial score
    (:class:`nmops.coach.PartialScore`) the Chinese explanation the feedback shows."""
    from nmops.coach import PartialScore

    data, metadata = {"text/plain": repr(result)[:_MAX_TEXT]}, {}
    if type(result) is PartialScore:
        data, metadata = result._repr_mimebundle_()
    return {"output_type": "execute_result", "execution_count": count, "metadata": metadata, "data": data}


def run_cell(namespace: dict, code: str, count: int, timeout: float) -> dict:
    """Run ``code`` in ``namespace``; return nbformat outputs and whether it raised."""
    filename = f"<cell-{count}>"
    outputs: list[dict] = []
    stdout = io.StringIO()
    signal.signal(signal.SIGALRM, _on_alarm)
    signal.setitimer(signal.ITIMER_REAL, max(timeout, 0.1))
    try:
        tree = ast.parse(code, filename)
        last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(io.StringIO()):
            exec(compile(tree, filename, "exec"), namespace)
            result = None
            if last is not None:
                result = eval(compile(ast.Expression(last.value), filename, "eval"), namespace)
        if stdout.getvalue():
            outputs.append({"output_type": "stream", "name": "stdout", "text": stdout.getvalue()[:_MAX_TEXT]})
        if result is not None:
            outputs.append(_result_output(result, count))
        return {"outputs": outputs, "error": False}
    except _Timeout:
        message = "CellTimeoutError: 测试运行超时（你的答案数据可能太大），这道题记 0 分。"
        return {"outputs": [_error("CellTimeoutError", "", [message])], "error": True}
    except Exception as exc:  # the test failed: its checks raised
        ename, evalue = type(exc).__name__, str(exc)
        line = _cell_line(exc, filename)
        frames = [f"Cell In[{count}], line {line}"] if line is not None else []
        return {"outputs": [_error(ename, evalue, [f"{ename}  Traceback (most recent call last)", *frames,
                                                   f"{ename}: {evalue}"[:_MAX_TEXT]])], "error": True}
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)


def bind_values(namespace: dict, values: dict) -> None:
    """Decode the learner's values into ``namespace``; an undecodable value becomes :class:`Unsupported`."""
    for name, data in values.items():
        try:
            namespace[name] = decode(data)
        except ExchangeError:
            namespace[name] = Unsupported("无法读取的数据")


def main() -> None:
    replies = os.fdopen(os.dup(1), "w", encoding="utf-8")
    namespace: dict = {"__name__": "__main__"}
    for line in sys.stdin:
        request = json.loads(line)
        if request["op"] == "reset":
            namespace = {"__name__": "__main__"}
            reply = {"ok": True}
        else:
            bind_values(namespace, request.get("values", {}))
            reply = run_cell(namespace, request["code"], int(request["count"]), float(request.get("timeout", 60)))
        replies.write(json.dumps(reply, ensure_ascii=False) + "\n")
        replies.flush()


if __name__ == "__main__":
    main()
