"""Autograde execution that survives a crashed kernel (内核崩溃也能出分).

With nbgrader 0.9.6, a submission whose code kills the kernel (``os._exit``,
a segfault in a C extension, memory exhausted by an accidental cross join)
raises ``DeadKernelError`` inside autograde: the learner's autograded folder
is removed, so they get no score and no feedback. :class:`CrashSafeExecute`
replaces nbgrader's ``Execute`` in ``Autograde.autograde_preprocessors``
(see ``nbgrader_config.py``): the cell that killed the kernel gets an error
output saying so, and every later code cell gets a "not run" error output
instead of being executed.

The error outputs matter: nbgrader scores a test cell without an error
output as passed, so an unexecuted test cell must carry one or it would get
full marks.
"""

from __future__ import annotations

from nbclient.exceptions import DeadKernelError
from nbformat import NotebookNode
from nbgrader.preprocessors import Execute
from traitlets import Unicode

__all__ = ["CrashSafeExecute"]


class CrashSafeExecute(Execute):
    """nbgrader's ``Execute``, except that a dead kernel ends the run with a score, not an error.

    Configure as ``Execute`` (``--Execute.timeout=...`` applies: traitlets
    reads the parent class's section too).
    """

    crash_message = Unicode(
        "内核在运行这个单元格时崩溃了（例如代码调用了 os._exit()，或者内存耗尽）。"
        "之后的单元格都没有运行，相应的测试记 0 分。",
        help="Error text put in the cell that killed the kernel.",
    ).tag(config=True)
    not_run_message = Unicode(
        "没有运行：前面的单元格让内核崩溃了。",
        help="Error text put in every code cell after the crash.",
    ).tag(config=True)

    def preprocess(self, nb: NotebookNode, resources=None, km=None):
        """Execute the notebook; see the class docstring for what happens after a crash."""
        self._crashed = False
        return super().preprocess(nb, resources, km)

    def preprocess_cell(self, cell: NotebookNode, resources, index: int):
        """Run one cell, or mark it as not run once the kernel has died."""
        if getattr(self, "_crashed", False):
            if cell.cell_type == "code":
                cell.outputs = [self._error("KernelNotRunning", self.not_run_message)]
                cell.execution_count = None
            return cell, resources
        try:
            return super().preprocess_cell(cell, resources, index)
        except DeadKernelError:
            self._crashed = True
            self.log.warning("Kernel died in cell %s; later cells are marked as not run", index)
            cell.outputs = list(cell.get("outputs", [])) + [self._error("DeadKernelError", self.crash_message)]
            return cell, resources

    @staticmethod
    def _error(ename: str, message: str) -> NotebookNode:
        return NotebookNode(output_type="error", ename=ename, evalue=message, traceback=[f"{ename}: {message}"])
