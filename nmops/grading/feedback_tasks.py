"""One row per task for the feedback page and the self-grade terminal (每道题的得分与说明).

Both show the same rows, made here by :func:`task_rows` from a graded
notebook (after :class:`nmops.grading.feedback.HideHiddenTests`, so only what
the feedback may show is used) and the gradebook:

* autograded task: number and title (from ``known_answers.py``), points got
  of points possible, and the check's message: the named mistake, the
  visible test's message, or the partial-credit note;
* written task: title, rubric, and 待讲师评分 until an instructor has given a
  manual score; such points are counted apart, never as 0. In an
  instructor's run an unanswered written task is final at 0 (nbgrader gives it
  0 and exports it so: the page agrees with ``grades.csv``); in a self-grade
  (``self_grade=True``) every written task waits for the learner's own marking.

:class:`TaskSummary` is the nbgrader feedback preprocessor that puts the
rows into the notebook metadata (``cell.metadata.nmops``) and the totals into
``resources["nmops"]`` for the Chinese template.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from nbconvert.preprocessors import Preprocessor
from nbformat import NotebookNode
from traitlets import Bool

__all__ = ["TaskRow", "Totals", "task_rows", "totals", "plain_number", "TaskSummary"]

PENDING = "待讲师评分"
NOT_ANSWERED = "未作答。"


@dataclass
class TaskRow:
    """One graded task as the learner sees it."""

    grade_id: str
    title: str
    written: bool
    score: float | None  # None: waits for the instructor
    max_score: float
    message: str
    rubric: tuple[str, ...] = ()

    @property
    def shown_score(self) -> str:
        if self.score is None:
            return f"{PENDING}（{plain_number(self.max_score)} 分）"
        return f"{plain_number(self.score)} / {plain_number(self.max_score)}"


@dataclass
class Totals:
    auto_score: float
    auto_max: float
    pending_max: float
    manual_score: float
    manual_max: float


def plain_number(value: float) -> str:
    """A number as a person writes it: 3, 1.5, 0.25 (not 3.0, np.float64(1.5)).

    Examples
    --------
    >>> plain_number(3.0), plain_number(1.5), plain_number(2 / 3)
    ('3', '1.5', '0.67')
    """
    return f"{round(float(value), 2):g}"


def _message(cell: NotebookNode) -> str:
    for output in cell.get("outputs", []):
        if output.get("output_type") == "error":
            text = str(output.get("evalue") or output.get("ename") or "出错了。")
            return "未作答：" + text if text.startswith("还没有定义") else text
        feedback = output.get("metadata", {}).get("nmops_feedback") if output.get("output_type") == "execute_result" else None
        if feedback:
            return str(feedback.get("message", ""))
    return "通过。"


def _said_by(output: NotebookNode, message: str) -> bool:
    """Whether ``output`` is what the task's message already says (a failed check, a partial-credit note)."""
    if output.get("output_type") == "error":
        text = str(output.get("evalue") or "")
        return bool(text) and message in (text, "未作答：" + text)
    return output.get("output_type") == "execute_result" and "nmops_feedback" in output.get("metadata", {})


def _titles(assignment: str | None) -> tuple[dict, dict]:
    from nmops.coach import find_known, load_known

    path = find_known(assignment) if assignment else None
    return load_known(path) if path else ({}, {})


def task_rows(nb: NotebookNode, resources: dict, self_grade: bool = False) -> list[TaskRow]:
    """The rows of a graded notebook; ``resources["nbgrader"]`` names db_url, assignment, notebook, student."""
    from nbgrader.api import Gradebook

    info = resources["nbgrader"]
    tasks, written = _titles(info.get("assignment"))
    rows = []
    with Gradebook(info["db_url"]) as gb:
        for cell in nb.cells:
            meta = cell.get("metadata", {}).get("nbgrader", {})
            if not meta.get("grade"):
                continue
            grade_id = meta["grade_id"]
            task = grade_id.rsplit("_", 1)[0]
            grade = gb.find_grade(grade_id, info["notebook"], info["assignment"], info["student"])
            if meta.get("solution"):  # written (or code) answer graded by hand
                spec = written.get(task)
                pending = grade.manual_score is None and (self_grade or bool(grade.needs_manual_grade))
                comment = gb.find_comment(grade_id, info["notebook"], info["assignment"], info["student"])
                unanswered = (comment.auto_comment or "") == "No response."
                message = (NOT_ANSWERED if unanswered else "") + (
                    PENDING + "：对照评分要点自评，或等讲师批改。" if pending
                    else (comment.manual_comment or ("" if unanswered else "已评分。")))
                rows.append(TaskRow(grade_id, spec.title if spec else grade_id, True,
                                    None if pending else float(grade.score), float(grade.max_score), message,
                                    tuple(spec.rubric) if spec else ()))
            else:
                spec = tasks.get(task)
                rows.append(TaskRow(grade_id, spec.title if spec else grade_id, False,
                                    float(grade.score), float(grade.max_score), _message(cell)))
    return rows


def totals(rows: list[TaskRow]) -> Totals:
    """Autograded points, points still to be graded by hand, and hand-graded points, kept apart."""
    auto = [r for r in rows if not r.written]
    manual = [r for r in rows if r.written and r.score is not None]
    return Totals(
        auto_score=sum(r.score for r in auto), auto_max=sum(r.max_score for r in auto),
        pending_max=sum(r.max_score for r in rows if r.written and r.score is None),
        manual_score=sum(r.score for r in manual), manual_max=sum(r.max_score for r in manual),
    )


class TaskSummary(Preprocessor):
    """nbgrader feedback preprocessor: task titles, messages and separate totals for the Chinese template.

    Goes after ``GetGrades`` and ``HideHiddenTests`` in ``GenerateFeedback.preprocessors``.
    """

    enabled = Bool(True, help="Whether to use this preprocessor.").tag(config=True)
    self_grade = Bool(False, help="A learner's self-grade: every written task waits for their own marking.").tag(config=True)

    def preprocess(self, nb: NotebookNode, resources: dict) -> tuple[NotebookNode, dict]:
        rows = {r.grade_id: r for r in task_rows(nb, resources, self_grade=self.self_grade)}
        for cell in nb.cells:
            meta = cell.get("metadata", {}).get("nbgrader", {})
            if meta.get("comment") == "No response.":
                meta["comment"] = NOT_ANSWERED
            row = rows.get(meta.get("grade_id", ""))
            if row is not None and meta.get("grade"):
                cell.metadata["nmops"] = {**asdict(row), "shown_score": row.shown_score}
                if not row.written:  # the cell's 说明 says it: not twice, and no bare score under it
                    cell.outputs = [o for o in cell.get("outputs", []) if not _said_by(o, row.message)]
        t = totals(list(rows.values()))
        resources["nmops"] = {
            "rows": [{**asdict(r), "shown_score": r.shown_score} for r in rows.values()],
            "auto": f"{plain_number(t.auto_score)} / {plain_number(t.auto_max)}",
            "pending": plain_number(t.pending_max) if t.pending_max else "",
            "manual": f"{plain_number(t.manual_score)} / {plain_number(t.manual_max)}" if t.manual_max else "",
            # Everything graded: the total nbgrader exports (late penalty included).
            "total": "" if t.pending_max else (f"{plain_number(resources['nbgrader'].get('score', 0))} / "
                                               f"{plain_number(resources['nbgrader'].get('max_score', 0))}"),
        }
        return nb, resources
