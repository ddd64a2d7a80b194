"""Feedback without hidden tests (反馈中不泄露隐藏测试): an nbgrader preprocessor.

nbgrader 0.9.6 builds feedback HTML from the autograded notebook, whose test
cells still hold the ``### BEGIN HIDDEN TESTS`` region and the full
tracebacks of failing tests. Adding nbgrader's ``ClearHiddenTests`` removes
the code, but a failing hidden test's traceback still prints its lines (with
two lines of context on each side). :class:`HideHiddenTests` closes both
leaks. ``nbgrader_config.py`` puts it in ``GenerateFeedback.preprocessors``
between nbgrader's ``GetGrades`` and ``CSSHTMLHeaderPreprocessor``.

For every code cell that is an autograder test cell or holds a hidden region:

1. find the hidden regions (1-based line ranges, delimiters included);
2. for each error output, find the frame of the cell itself in the
   traceback (``Cell In[7], line 12`` in IPython 8 and later; older formats
   too) and decide whether the failing line lies in a hidden region;
3. a hidden failure's output becomes one Chinese message
   (:attr:`HideHiddenTests.hidden_failure_message`); a visible failure keeps
   only ``ename: evalue``, because IPython's code context around the failing
   line may include hidden lines; an error written by the grader itself
   (``CellTimeoutError``, a crashed kernel, see
   :mod:`nmops.grading.safe_execute`) is shown as is; any other failure that
   cannot be located keeps only its ``ename`` and a note;
4. in cells with a hidden region, other outputs (``print`` output, warnings,
   which quote the source line that triggered them, displayed tables) are
   dropped, since they cannot be attributed to the visible or hidden part;
5. the hidden regions are removed from the source, leaving a one-line
   placeholder comment so the learner knows hidden tests ran there.

Two things a hidden test says on purpose are shown: a known mistake raised by
:func:`nmops.coach.reject_known_mistake` (error ``KnownMistake`` whose text is
one of the assignment's known messages, checked against
``solutions/<assignment>/known_answers.py``) and the message of a
partial-credit result of :func:`nmops.coach.score_mapping` (an
``execute_result`` carrying ``nmops_feedback`` metadata; its number is the
cell's score).

A self-check cell (one line ``coach.check("q1")``, see :mod:`nmops.coach`)
shows a note instead of its output: it ran where the grader runs, which has
no ``coach.json``, and the test cell above it says what counts.

Cells that are neither test cells nor hold a hidden region (the learner's
own answer cells) are left as they are: their tracebacks show only the
learner's code and help them debug.
"""

from __future__ import annotations

import re
from typing import Any

from nbconvert.preprocessors import Preprocessor
from nbformat import NotebookNode
from traitlets import Bool, List, Unicode

__all__ = ["HideHiddenTests", "hidden_regions", "failing_cell_line", "strip_ansi"]

_COACH_CALL = re.compile(r'^coach\.(check|hint)\("[^"\n]*"\)[^\n]*$')  # a self-check cell, one line
_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
# Where IPython says which line of the running cell failed, newest format first.
_FRAME_PATTERNS = [
    re.compile(r"^Cell In\s*\[(?P<count>\d*)\],\s*line (?P<line>\d+)"),  # IPython >= 8.5
    re.compile(r"^Input In\s*\[(?P<count>\d*)\],\s*in <cell line: (?P<line>\d+)>"),  # IPython 8.0-8.4
    re.compile(r'^File "?<ipython-input-(?P<count>\d+)-[0-9a-f]+>"?,\s*line (?P<line>\d+)'),  # IPython 7
]


def strip_ansi(text: str) -> str:
    """Remove terminal colour codes (ANSI escapes) from a traceback line.

    Examples
    --------
    >>> strip_ansi("\\x1b[31mAssertionError\\x1b[39m: 不对")
    'AssertionError: 不对'
    """
    return _ANSI.sub("", text)


def hidden_regions(
    source: str, begin: str = "BEGIN HIDDEN TESTS", end: str = "END HIDDEN TESTS"
) -> list[tuple[int, int]]:
    """Line ranges of hidden-test regions in a cell (隐藏测试所在的行).

    region = (line of ``begin`` delimiter, line of ``end`` delimiter), 1-based, inclusive

    A region without its end delimiter runs to the end of the cell, and a
    nested begin is treated as part of the open region: in feedback, when in
    doubt, hide.

    Parameters
    ----------
    source : str
        The cell source as executed.
    begin, end : str
        The delimiters (nbgrader's defaults).

    Returns
    -------
    list of (int, int)
        One ``(first, last)`` pair per region, in order.

    Examples
    --------
    >>> hidden_regions("check(a)\\n### BEGIN HIDDEN TESTS\\nassert a == 3\\n### END HIDDEN TESTS\\nprint(1)")
    [(2, 4)]
    >>> hidden_regions("### BEGIN HIDDEN TESTS\\nassert a == 3")
    [(1, 2)]
    """
    lines = source.split("\n")
    regions: list[tuple[int, int]] = []
    start: int | None = None
    for number, line in enumerate(lines, start=1):
        if start is None and begin in line:
            start = number
        elif start is not None and end in line:
            regions.append((start, number))
            start = None
    if start is not None:
        regions.append((start, len(lines)))
    return regions


def failing_cell_line(traceback: list[str], execution_count: int | None = None) -> int | None:
    """The line of the executed cell at which a traceback starts (报错发生在单元格的第几行).

    line = N in the first "Cell In[count], line N" frame of the traceback

    The outermost frame that names a notebook cell is the cell that was
    running (later frames are functions it called, possibly defined in other
    cells). If a frame carries the cell's own ``execution_count``, that one
    wins.

    Parameters
    ----------
    traceback : list of str
        The ``traceback`` field of an nbformat error output (ANSI colours allowed).
    execution_count : int, optional
        The cell's execution count.

    Returns
    -------
    int or None
        The 1-based line number, or None when no cell frame is found
        (for example a timeout, whose traceback is a single message).

    Examples
    --------
    >>> tb = ["AssertionError   Traceback (most recent call last)",
    ...       "Cell In[7], line 4\\n      3 ### BEGIN HIDDEN TESTS\\n----> 4 assert x == 3\\n",
    ...       "AssertionError: "]
    >>> failing_cell_line(tb, 7)
    4
    >>> failing_cell_line(["CellTimeoutError: No reply from kernel before timeout"]) is None
    True
    """
    found: list[tuple[str, int]] = []
    for entry in traceback:
        for raw in strip_ansi(entry).split("\n"):
            line = raw.strip()
            for pattern in _FRAME_PATTERNS:
                match = pattern.match(line)
                if match:
                    found.append((match.group("count"), int(match.group("line"))))
                    break
    if not found:
        return None
    if execution_count is not None:
        for count, number in found:
            if count == str(execution_count):
                return number
    return found[0][1]


def _known_messages(assignment: str | None) -> set[str]:
    """The Chinese messages of the assignment's known mistakes (empty when its known_answers.py is not found)."""
    if not assignment:
        return set()
    from nmops.coach import find_known, load_known

    path = find_known(assignment)
    if path is None:
        return set()
    return {m.message for task in load_known(path)[0].values() for m in task.mistakes}


def _error(ename: str, evalue: str, traceback: list[str]) -> NotebookNode:
    return NotebookNode(output_type="error", ename=ename, evalue=evalue, traceback=traceback)


class HideHiddenTests(Preprocessor):
    """nbgrader feedback preprocessor: no hidden-test code, no hidden-test traceback (隐藏测试不进反馈).

    See the module docstring for the rules. Configure in ``nbgrader_config.py``::

        c.GenerateFeedback.preprocessors = [
            "nbgrader.preprocessors.GetGrades",
            "nmops.grading.feedback.HideHiddenTests",
            "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
        ]

    Examples
    --------
    >>> from nbformat.v4 import new_code_cell, new_notebook
    >>> cell = new_code_cell("assert type(x) is int\\n### BEGIN HIDDEN TESTS\\nassert x == 3\\n### END HIDDEN TESTS",
    ...                      execution_count=5, metadata={"nbgrader": {"grade": True, "solution": False}})
    >>> cell.outputs = [_error("AssertionError", "", ["Cell In[5], line 3\\n----> 3 assert x == 3"])]
    >>> nb, _ = HideHiddenTests().preprocess(new_notebook(cells=[cell]), {})
    >>> print(nb.cells[0].source)
    assert type(x) is int
    # （此处还有隐藏测试：评分时运行，反馈中不显示。）
    >>> nb.cells[0].outputs[0].traceback[0].startswith("隐藏测试未通过")
    True
    """

    enabled = Bool(True, help="Whether to use this preprocessor.").tag(config=True)
    begin_delimiter = Unicode("BEGIN HIDDEN TESTS", help="Marks the start of a hidden-test region.").tag(config=True)
    end_delimiter = Unicode("END HIDDEN TESTS", help="Marks the end of a hidden-test region.").tag(config=True)
    hidden_failure_message = Unicode(
        "隐藏测试未通过：你的答案在可见测试之外的检查中出错。请对照题目要求再检查一遍。",
        help="Shown instead of the output of a failing hidden test.",
    ).tag(config=True)
    unlocated_failure_note = Unicode(
        "（测试没有正常结束；为不泄露隐藏测试，这里只显示错误类型。）",
        help="Appended to the error name when the failing line cannot be located in a cell with hidden tests.",
    ).tag(config=True)
    placeholder = Unicode(
        "# （此处还有隐藏测试：评分时运行，反馈中不显示。）",
        help="Line left where a hidden region was removed; empty for none.",
    ).tag(config=True)
    grader_errors = List(
        Unicode(),
        ["CellTimeoutError", "DeadKernelError", "KernelNotRunning"],
        help="Error names written by the grader itself (no code frame); their text is shown as is.",
    ).tag(config=True)
    coach_cell_note = Unicode(
        "（自查单元格：评分时不看它的结果。这道题的得分和说明在上面的检查单元格里。）",
        help="Shown instead of the output of a coach.check / coach.hint cell.",
    ).tag(config=True)
    trim_visible_tracebacks = Bool(
        True,
        help="In test cells, show only 'ename: evalue' for visible failures (no code context).",
    ).tag(config=True)

    def preprocess(self, nb: NotebookNode, resources: dict) -> tuple[NotebookNode, dict]:
        """Load the assignment's known-mistake messages, then rewrite every cell."""
        self._known_messages = _known_messages(resources.get("nbgrader", {}).get("assignment"))
        return super().preprocess(nb, resources)

    def preprocess_cell(self, cell: NotebookNode, resources: dict, index: int) -> tuple[NotebookNode, dict]:
        """Rewrite one cell's outputs and source; see the module docstring."""
        if cell.cell_type != "code":
            return cell, resources
        regions = hidden_regions(cell.source, self.begin_delimiter, self.end_delimiter)
        meta: dict[str, Any] = cell.metadata.get("nbgrader", {})
        is_test = bool(meta.get("grade")) and not meta.get("solution")
        if not meta and _COACH_CALL.match(cell.source):
            # The self-check ran where the grader runs (no coach.json there): what it said is beside the point.
            cell.outputs = [NotebookNode(output_type="stream", name="stdout", text=self.coach_cell_note)]
            return cell, resources
        if not regions and not is_test:
            return cell, resources
        outputs = []
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                outputs.append(self._rewrite_error(output, regions, cell.get("execution_count")))
            elif not regions:
                outputs.append(output)
            elif output.get("output_type") == "execute_result" and "nmops_feedback" in output.get("metadata", {}):
                outputs.append(output)
        cell.outputs = outputs
        if regions:
            cell.source = self._remove_regions(cell.source, regions)
        return cell, resources

    def _rewrite_error(self, output: NotebookNode, regions: list[tuple[int, int]], count: int | None) -> NotebookNode:
        ename = strip_ansi(str(output.get("ename", "Error")))
        evalue = strip_ansi(str(output.get("evalue", "")))
        line = failing_cell_line(list(output.get("traceback", [])), count)
        if ename == "KnownMistake" and evalue in getattr(self, "_known_messages", set()):
            return _error("常见错误", evalue, [evalue])
        if line is None and ename in self.grader_errors:
            # Written by the grader (timeout, crashed kernel), not by test code: safe to show.
            text = "\n".join(strip_ansi(t) for t in output.get("traceback", [])) or f"{ename}: {evalue}"
            return _error(ename, evalue, [text])
        if line is None and regions:
            return _error(ename, "", [f"{ename}{self.unlocated_failure_note}"])
        if line is not None and any(first <= line <= last for first, last in regions):
            return _error("隐藏测试未通过", self.hidden_failure_message, [self.hidden_failure_message])
        if not self.trim_visible_tracebacks:
            return output
        return _error(ename, evalue, [f"{ename}: {evalue}" if evalue else ename])

    def _remove_regions(self, source: str, regions: list[tuple[int, int]]) -> str:
        lines = source.split("\n")
        kept: list[str] = []
        for number, line in enumerate(lines, start=1):
            region = next(((a, b) for a, b in regions if a <= number <= b), None)
            if region is None:
                kept.append(line)
            elif number == region[0] and self.placeholder:
                indent = line[: len(line) - len(line.lstrip())]
                kept.append(indent + self.placeholder)
        return "\n".join(kept)
