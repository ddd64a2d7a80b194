"""Autograde in two halves (两半式评分): nbgrader's executing step, sandboxed, with tests in a clean process.

:class:`SandboxedExecute` replaces nbgrader's ``Execute`` in
``Autograde.autograde_preprocessors`` (``nbgrader_config.py``), so the
ordinary ``nbgrader autograde`` and the formgrader's button use it. For each
submitted notebook:

1. the learner's half: every code cell that is not a test cell (the
   instructor's locked setup/data cells and the learner's answer cells) runs
   in order in :mod:`nmops.grading.student_runner`, inside the bubblewrap
   sandbox of :mod:`nmops.grading.sandbox`; its outputs go into the notebook
   for the feedback;
2. the deciding half: a clean process (:mod:`nmops.grading.clean_runner`)
   that never runs learner code runs the instructor's locked cells and every
   test cell (visible and hidden). Before a test cell it asks the sandbox for
   the names the cell reads (found in the cell's syntax tree) as data only
   (:mod:`nmops.grading.exchange`). A name that a locked instructor cell
   defined last (``LEVELS``, the data table) keeps the instructor's value: the
   learner cannot change what the tests compare against;
3. the test cell's outputs are the clean process's: an error output if its
   checks raised, the value of its last expression for partial credit.
   nbgrader's ``SaveAutoGrades`` then scores them as usual.

Test cells never reach the learner's process, so hooks, transformers, patched
builtins, tracers and ``In``/``%history`` there see nothing of them. A cell
that runs too long or kills its sandbox gets a Chinese error message; the
sandbox is restarted, the earlier cells are replayed, and grading goes on.

Only the assignment's declared data files (the files next to the source
notebook in ``solutions/<assignment>/``, minus ``CourseDirectory.ignore``)
enter the sandbox; every other file of the submission is ignored and listed
in a note at the top of the feedback.
"""

from __future__ import annotations

import ast
import builtins
import fnmatch
import hashlib
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

from nbconvert.preprocessors import Preprocessor
from nbformat import NotebookNode
from nbformat.v4 import new_markdown_cell
from traitlets import Bool, Float, Integer, List, Unicode

from nmops.grading.sandbox import ChannelError, JsonProcess, Limits, bwrap_path, ensure_grader_user, \
    limit_resources, sandbox_command

__all__ = ["SandboxedExecute", "names_read", "names_bound"]

_NBGRADER_FILES = {"timestamp.txt", "submission_secret.txt"}  # written by nbgrader submit, not by the learner

TIMEOUT_MESSAGE = "CellTimeoutError: 单元格运行超时，已被中断。请检查是否有死循环，或者计算是否特别慢。"
CRASH_MESSAGE = ("内核在运行这个单元格时崩溃了（例如代码调用了 os._exit()、内存耗尽或创建了太多进程）。"
                 "评分程序已重新启动你的代码并接着评分。")
NOT_RUN_MESSAGE = "没有运行：你的代码反复让内核崩溃，之后的单元格不再运行，相应的测试记 0 分。"
NO_SANDBOX = ("找不到可用的 bubblewrap（bwrap），无法在沙箱里运行学生代码。请安装：sudo apt-get install bubblewrap。"
              "只有在给自己的作业评分时，才可以加上 --SandboxedExecute.allow_unsandboxed=True 在沙箱外运行。")


def _python_source(source: str) -> str:
    """Cell source with IPython syntax (magics, ``!cmd``) turned into Python, for static analysis only."""
    from IPython.core.inputtransformer2 import TransformerManager

    try:
        return TransformerManager().transform_cell(source)
    except Exception:
        return source


def _tree(source: str) -> ast.AST | None:
    try:
        return ast.parse(_python_source(source))
    except (SyntaxError, ValueError):
        return None


def names_read(source: str) -> set[str]:
    """Global names a cell reads (``x`` in ``check(x)``), builtins excluded.

    Examples
    --------
    >>> sorted(names_read("from m import f\\nf(answer, len(LEVELS))"))
    ['LEVELS', 'answer', 'f']
    """
    tree = _tree(source)
    if tree is None:
        return set()
    loaded = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}
    return loaded - set(dir(builtins))


def names_bound(source: str) -> set[str]:
    """Global names a cell assigns, defines or imports.

    Examples
    --------
    >>> sorted(names_bound("import pandas as pd\\nx = 1\\ndef f(): y = 2"))
    ['f', 'pd', 'x']
    """
    tree = _tree(source)
    if tree is None:
        return set()
    bound: set[str] = set()
    for node in tree.body if isinstance(tree, ast.Module) else []:
        for sub in ast.walk(node) if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) \
                else [node]:
            if isinstance(sub, ast.Name) and isinstance(sub.ctx, (ast.Store, ast.Del)):
                bound.add(sub.id)
            elif isinstance(sub, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                bound.add(sub.name)
            elif isinstance(sub, (ast.Import, ast.ImportFrom)):
                bound.update((a.asname or a.name).split(".")[0] for a in sub.names if a.name != "*")
            elif isinstance(sub, ast.ExceptHandler) and sub.name:
                bound.add(sub.name)
            elif isinstance(sub, (ast.Lambda, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)):
                continue
    return bound


def _meta(cell) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {})


def _is_test(cell) -> bool:
    m = _meta(cell)
    return cell.cell_type == "code" and bool(m.get("grade")) and not m.get("solution")


def _is_instructor(cell) -> bool:
    m = _meta(cell)
    return bool(m.get("locked")) and not m.get("solution")


def _error(ename: str, message: str) -> NotebookNode:
    return NotebookNode(output_type="error", ename=ename, evalue=message, traceback=[f"{ename}: {message}"])


class SandboxedExecute(Preprocessor):
    """nbgrader's executing step, in two halves; see the module docstring.

    Settings (``nbgrader_config.py`` or ``--SandboxedExecute.<name>=``): ``timeout``
    (seconds per cell; ``Execute.timeout`` is used when set), ``memory_limit``,
    ``cpu_limit``, ``process_limit``, ``output_limit``, ``tmp_limit``,
    ``allow_unsandboxed``.
    """

    enabled = Bool(True, help="Whether to use this preprocessor.").tag(config=True)
    timeout = Integer(60, help="Seconds a cell may run (Execute.timeout wins when it is set).").tag(config=True)
    memory_limit = Integer(Limits.memory, help="Bytes of address space for the learner's process.").tag(config=True)
    cpu_limit = Integer(Limits.cpu_seconds, help="CPU seconds per learner process.").tag(config=True)
    process_limit = Integer(Limits.processes, help="Processes and threads the learner may run.").tag(config=True)
    output_limit = Integer(Limits.output, help="Bytes of text a cell may output; the rest is cut.").tag(config=True)
    tmp_limit = Integer(Limits.tmp, help="Bytes the learner may write in the sandbox's /tmp.").tag(config=True)
    allow_unsandboxed = Bool(
        False, help="Run learner code without bubblewrap when it is missing. UNSAFE: only to grade your own work.",
    ).tag(config=True)
    grace = Float(5.0, help="Extra seconds before a cell that ignores its timeout is killed.").tag(config=True)
    tests_in_sandbox = List(
        Unicode(), [],
        help="Assignments (ids) in plain nbgrader form whose tests need the learner's live objects (functions, "
             "classes): their test cells run in the learner's sandboxed process, a weaker guarantee (see "
             "docs/instructor.md). The course's own assignments are not listed: their tests run in the clean process.",
    ).tag(config=True)
    cache_dir = Unicode(
        "", help="Folder of results computed ahead by nmops-grade-class (private to the grader); empty: none.",
    ).tag(config=True)

    def _cell_timeout(self) -> float:
        execute = self.config.get("Execute", {})
        return float(execute["timeout"]) if "timeout" in execute and execute["timeout"] else float(self.timeout)

    def _limits(self) -> Limits:
        return Limits(memory=self.memory_limit, cpu_seconds=self.cpu_limit, processes=self.process_limit,
                      output=self.output_limit, tmp=self.tmp_limit)

    # --- the two processes ---------------------------------------------------------------------

    def _start_student(self, workdir: Path) -> JsonProcess:
        limits = self._limits()
        max_reply = limits.output * 4 + (20 << 20)  # exported answers: at most 20 MB of JSON
        if self._sandboxed:
            uid = ensure_grader_user() if os.geteuid() == 0 else None
            return JsonProcess(sandbox_command(workdir, limits, uid), preexec_fn=limit_resources(limits, uid),
                               max_reply=max_reply)
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "JUPYTER", "IPYTHON"))}
        env.update(NMOPS_OUTPUT_LIMIT=str(limits.output), MPLBACKEND="module://matplotlib_inline.backend_inline")
        return JsonProcess([sys.executable, "-I", "-m", "nmops.grading.student_runner"], cwd=workdir, env=env,
                           max_reply=max_reply)

    def _start_clean(self, workdir: Path) -> JsonProcess:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "JUPYTER", "IPYTHON"))}
        env["MPLBACKEND"] = "agg"
        # The tests' named mistakes and partial credit (nmops.coach) read solutions/<id>/known_answers.py
        # from the course folder: point the clean process at it wherever nmops is installed.
        from nbgrader.coursedir import CourseDirectory

        env["NMOPS_COURSE_ROOT"] = str(Path(CourseDirectory(config=self.config).root).resolve())
        return JsonProcess([sys.executable, "-I", "-m", "nmops.grading.clean_runner"], cwd=workdir, env=env)

    # --- nbgrader entry point --------------------------------------------------------------------

    def preprocess(self, nb: NotebookNode, resources: dict):
        bwrap = bwrap_path()
        if bwrap is None and not self.allow_unsandboxed:
            raise RuntimeError(NO_SANDBOX)
        self._sandboxed = bwrap is not None
        self._tests_in_sandbox = resources.get("nbgrader", {}).get("assignment") in self.tests_in_sandbox
        if self._tests_in_sandbox:
            self.log.warning("Assignment %s: test cells run in the learner's sandboxed process (tests_in_sandbox); "
                             "a learner's code can influence them", resources["nbgrader"]["assignment"])
        data_files, source_dir = self._declared_files(resources)
        dropped = self._dropped_files(resources, data_files)
        cache = self._cache_file(nb, source_dir, data_files)
        if cache is not None and cache.is_file():
            self._apply(nb, json.loads(cache.read_text(encoding="utf-8")))
        else:
            with tempfile.TemporaryDirectory(prefix="nmops-grade-") as tmp:
                workdir = Path(tmp) / "submission"
                workdir.mkdir()
                for name in data_files:
                    target = workdir / name
                    target.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy(source_dir / name, target)
                for folder, dirs, files in os.walk(tmp):
                    os.chmod(folder, 0o755)
                    for f in files:
                        os.chmod(os.path.join(folder, f), 0o644)
                self._grade(nb, workdir)
            if cache is not None:
                partial = cache.with_suffix(".part")
                partial.write_text(json.dumps(self._results(nb), ensure_ascii=False), encoding="utf-8")
                partial.rename(cache)
        nb.cells.insert(0, new_markdown_cell(self._note(dropped), metadata={"nmops": {"grading_note": True}}))
        return nb, resources

    # --- results computed ahead (nmops-grade-class) ------------------------------------------------

    def _cache_file(self, nb: NotebookNode, source_dir: Path, data_files: list[str]) -> Path | None:
        """Where this exact notebook's results are kept: keyed by its cells, data files and the settings."""
        if not self.cache_dir:
            return None
        digest = hashlib.sha256()
        cells = [(c.cell_type, c.source, _is_test(c), _is_instructor(c)) for c in nb.cells]
        settings = [self._sandboxed, self._tests_in_sandbox, self._cell_timeout(), self.memory_limit,
                    self.cpu_limit, self.process_limit, self.output_limit, self.tmp_limit]
        digest.update(json.dumps([cells, settings, data_files]).encode())
        for name in data_files:
            digest.update((source_dir / name).read_bytes())
        return Path(self.cache_dir) / f"{digest.hexdigest()}.json"

    @staticmethod
    def _results(nb: NotebookNode) -> list:
        return [[c.execution_count, c.outputs] for c in nb.cells if c.cell_type == "code"]

    @staticmethod
    def _apply(nb: NotebookNode, results: list) -> None:
        code_cells = [c for c in nb.cells if c.cell_type == "code"]
        for cell, (count, outputs) in zip(code_cells, results):
            cell.execution_count = count
            cell.outputs = [NotebookNode(o) for o in outputs]

    def _declared_files(self, resources: dict) -> tuple[list[str], Path]:
        """Data files the assignment ships (relative paths), and the source folder holding them."""
        from nbgrader.coursedir import CourseDirectory

        coursedir = CourseDirectory(config=self.config)
        assignment = resources.get("nbgrader", {}).get("assignment", "")
        source = Path(coursedir.format_path(coursedir.source_directory, ".", assignment))
        files = []
        if source.is_dir():
            for path in sorted(source.rglob("*")):
                rel = path.relative_to(source)
                if path.is_file() and path.suffix != ".ipynb" and not any(
                        fnmatch.fnmatch(part, pattern) for part in rel.parts for pattern in coursedir.ignore):
                    files.append(str(rel))
        return files, source

    @staticmethod
    def _dropped_files(resources: dict, data_files: list[str]) -> list[str]:
        folder = Path(resources.get("metadata", {}).get("path") or ".")
        dropped = []
        for path in sorted(folder.rglob("*")):
            rel = str(path.relative_to(folder))
            if path.is_file() and path.suffix != ".ipynb" and rel not in data_files and rel not in _NBGRADER_FILES:
                dropped.append(rel)
        return dropped

    def _note(self, dropped: list[str]) -> str:
        lines = ["**评分说明**（评分程序自动添加）", ""]
        if self._sandboxed:
            lines.append("- 你的代码在隔离的沙箱里运行（无网络、看不到课程的其他文件）。")
        else:
            lines.append("- 注意：本机没有 bubblewrap，你的代码没有在沙箱里运行（仅适用于给自己的作业评分）。")
        if self._tests_in_sandbox:
            lines.append("- 本作业的测试需要调用你写的函数，所以和你的代码在同一个进程里运行：这种方式下，"
                         "代码有可能干扰测试，讲师会核对可疑的结果。")
        else:
            lines.append("- 测试在另一个独立的进程里运行，只拿到你的答案数据，你的代码影响不到测试。")
        if dropped:
            shown = "、".join(f"`{d}`" for d in dropped[:20]) + ("……" if len(dropped) > 20 else "")
            lines.append(f"- 评分时只使用作业笔记本和作业自带的数据文件，以下提交的文件没有使用：{shown}")
        return "\n".join(lines)

    # --- running the cells -----------------------------------------------------------------------

    def _grade(self, nb: NotebookNode, workdir: Path) -> None:
        timeout = self._cell_timeout()
        learner = _Learner(lambda: self._start_student(workdir), timeout, self.grace, self.log)
        clean = _Clean(lambda: self._start_clean(workdir), timeout, self.grace, self.log)
        owner: dict[str, str] = {}  # who defined each name last: "instructor" (locked cell) or "student"
        count = 0
        try:
            for cell in nb.cells:
                if cell.cell_type != "code":
                    continue
                count += 1
                cell.execution_count = count
                test = _is_test(cell) and not self._tests_in_sandbox
                instructor = test or (_is_instructor(cell) and not self._tests_in_sandbox)
                if not test:
                    cell.outputs = learner.run(cell.source)
                if instructor:
                    wanted = sorted(n for n in names_read(cell.source) if owner.get(n) != "instructor")
                    outputs = clean.run(cell.source, count, learner.export(wanted))
                    if test:
                        cell.outputs = outputs
                for name in names_bound(cell.source):
                    owner[name] = "instructor" if instructor else "student"
        finally:
            learner.stop()
            clean.stop()


class _Learner:
    """The learner's process: runs cells, exports values, restarts (replaying earlier cells) after a crash."""

    max_restarts = 3

    def __init__(self, start, timeout: float, grace: float, log):
        self.start, self.timeout, self.grace, self.log = start, timeout, grace, log
        self.proc: JsonProcess | None = start()
        self.ran: list[str] = []  # cells that completed, replayed after a restart
        self.restarts = 0

    def _request(self, message: dict) -> dict:
        if self.proc is None:
            raise ChannelError("not running")
        if not self.proc.alive():
            self._restart()
        return self.proc.request(message, self.timeout + self.grace)

    def _restart(self) -> None:
        if self.proc is not None:
            self.proc.kill()
        self.restarts += 1
        if self.restarts > self.max_restarts:
            self.proc = None
            raise ChannelError("not running")
        self.proc = self.start()
        try:
            for code in self.ran:
                self.proc.request({"op": "run", "code": code, "timeout": self.timeout}, self.timeout + self.grace)
        except ChannelError:
            self.proc.kill()
            self.proc = None
            raise

    def run(self, code: str) -> list[NotebookNode]:
        if self.proc is None:
            return [_error("KernelNotRunning", NOT_RUN_MESSAGE)]
        try:
            reply = self._request({"op": "run", "code": code, "timeout": self.timeout})
        except ChannelError as exc:
            self.log.warning("Learner cell failed (%s); the sandbox will be restarted", exc)
            if self.proc is None:
                return [_error("KernelNotRunning", NOT_RUN_MESSAGE)]
            self.proc.kill()
            if str(exc) == "timeout":
                return [_error("CellTimeoutError", TIMEOUT_MESSAGE.split(": ", 1)[1])]
            return [_error("DeadKernelError", CRASH_MESSAGE)]
        outputs = reply.get("outputs")
        if not reply.get("error"):
            self.ran.append(code)
        return [NotebookNode(o) for o in outputs if type(o) is dict] if type(outputs) is list else []

    def export(self, names: list[str]) -> dict:
        if not names or self.proc is None:
            return {}
        try:
            reply = self._request({"op": "export", "names": names})
        except ChannelError as exc:
            self.log.warning("Could not read the learner's values %s: %s", names, exc)
            if self.proc is not None:
                self.proc.kill()
            return {}
        values = reply.get("values")
        return {k: v for k, v in values.items() if k in names} if type(values) is dict else {}

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.kill()


class _Clean:
    """The clean process: runs instructor and test cells; restarted (replaying its log) after a timeout."""

    def __init__(self, start, timeout: float, grace: float, log):
        self.start, self.timeout, self.grace, self.log = start, timeout, grace, log
        self.proc: JsonProcess | None = None  # started on first use
        self.done: list[dict] = []

    def run(self, code: str, count: int, values: dict) -> list[NotebookNode]:
        request = {"op": "run", "code": code, "count": count, "values": values, "timeout": self.timeout}
        if self.proc is None:
            self.proc = self.start()
        try:
            reply = self.proc.request(request, self.timeout + self.grace)
        except ChannelError as exc:
            self.log.warning("A cell failed in the clean process (%s); restarting it", exc)
            self.proc.kill()
            self.proc = self.start()
            for earlier in self.done:
                self.proc.request(earlier, self.timeout + self.grace)
            return [_error("CellTimeoutError", "测试运行超时或出错（你的答案数据可能太大或太复杂），这道题记 0 分。")]
        self.done.append(request)
        return [NotebookNode(o) for o in reply["outputs"]]

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.kill()
