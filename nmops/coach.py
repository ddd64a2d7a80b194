"""The learner's coach inside an exercise (作业里的自查与提示): ``coach.check("q3a")``, ``coach.hint("q3a")``.

In the spirit of Kaggle Learn's ``q1.check()`` / ``q1.hint()``. Each
assignment says what is known about its answers in ONE place,
``solutions/<assignment>/known_answers.py``:

* ``TASKS``: one :class:`Task` per autograded task (keyed by the task id, e.g.
  ``"q3a"``; its test cell is ``"q3a_test"``): title, answer variable, tiered
  hints, and the known wrong answers (:class:`Mistake`), each with the code
  that makes it (used by the tests that plant it) and its Chinese explanation;
* ``WRITTEN``: one :class:`Written` per manually graded task: title, rubric.

Who reads it:

* the in-notebook check (:class:`Coach`), in the learner's kernel;
* grading: a hidden test calls :func:`reject_known_mistake` (whole answers)
  or :func:`score_mapping` (partial credit per key); both name a known
  mistake in Chinese, which the feedback shows;
* the feedback (``nmops.grading.feedback_tasks``): titles and rubrics;
* the tests (``tests/test_assignments.py``, ``tests/test_coach.py``).

No oracle in a class. What ships with ``exercises/`` is
``exercises/<assignment>/coach.json``, written by ``tools/make_exercises.py``
with :func:`released` from the one place: titles, hints, the visible (format)
part of each test cell, and only the mistakes marked ``public`` (a wrong value
computed from the data the learner already has, such as ``len(posts)``, that
tells nothing of the right value). It holds no expected value, no hash of
one, and no private mistake (a private mistake, such as a week off by one,
would give the right value away). So, from ``exercises/`` alone, the check
says 未作答 / 格式不对 / 常见错误 (public mistakes only) / "格式对了，对错要等
评分"; where ``solutions/`` is present (a self-learner with the whole
repository) it also says 正确 or 不正确 and names every known mistake.
"""

from __future__ import annotations

import json
import os
import sys
import types
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = [
    "Mistake",
    "Task",
    "Written",
    "KnownMistake",
    "Verdict",
    "Coach",
    "load_known",
    "read_known_module",
    "released",
    "reject_known_mistake",
    "score_mapping",
    "same_answer",
]

KNOWN_FILE = "known_answers.py"
RELEASED_FILE = "coach.json"

NOT_ANSWERED, WRONG_FORMAT, KNOWN_ERROR, CORRECT, INCORRECT, FORMAT_OK = (
    "未作答", "格式不对", "常见错误", "正确", "不正确", "格式正确")


@dataclass(frozen=True)
class Mistake:
    """A known wrong answer (常见错误).

    name : short Chinese name ("各篇阅读率的平均值")
    explanation : why it is wrong, in Chinese, without the right value
    code : Python that assigns the wrong value to the task's variable, run
        where the task's data is defined (tests plant it; the check runs it
        to recognise the mistake)
    public : True only when the wrong value tells nothing of the right one;
        only public mistakes ship with ``exercises/``
    """

    name: str
    explanation: str
    code: str
    public: bool = False

    @property
    def text(self) -> str:
        """Name and explanation, as the check shows them."""
        return f"{self.name}。{self.explanation}"

    @property
    def message(self) -> str:
        """As grading raises it and the feedback shows it."""
        return f"常见错误：{self.text}"


@dataclass(frozen=True)
class Task:
    """An autograded task: what the check, the hints and the feedback need."""

    title: str
    variable: str
    hints: tuple[str, ...]
    mistakes: tuple[Mistake, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class Written:
    """A manually graded task (讲师人工评分): title and the rubric the learner sees."""

    title: str
    rubric: tuple[str, ...]


class KnownMistake(AssertionError):
    """Raised by grading when an answer is a known mistake; its text is shown in feedback."""


# --- finding and loading the one place ----------------------------------------------

def _course_roots() -> list[Path]:
    """Folders that may hold ``solutions/``: $NMOPS_COURSE_ROOT, the working folder and its parents, the package's repo."""
    roots = []
    if os.environ.get("NMOPS_COURSE_ROOT"):
        roots.append(Path(os.environ["NMOPS_COURSE_ROOT"]))
    cwd = Path.cwd().resolve()
    roots.extend([cwd, *cwd.parents])
    roots.append(Path(__file__).resolve().parents[1])  # an editable install: the repository
    return roots


def find_known(assignment: str) -> Path | None:
    """Path of ``solutions/<assignment>/known_answers.py`` if this machine has the reference, else None."""
    for root in _course_roots():
        path = root / "solutions" / assignment / KNOWN_FILE
        if path.is_file():
            return path
    return None


def read_known_module(path: str | Path) -> types.ModuleType:
    """The module of a ``known_answers.py`` file (``TASKS``, ``WRITTEN``, ``PLANTED``).

    Compiled from its text rather than imported: no ``__pycache__`` is written into
    the course's ``solutions/`` (grading must leave every course file as it was).
    """
    path = Path(path)
    name = "nmops_known_" + "".join(ch if ch.isalnum() else "_" for ch in str(path.parent.name))
    module = types.ModuleType(name)
    module.__file__ = str(path)
    exec(compile(path.read_text(encoding="utf-8"), str(path), "exec"), module.__dict__)
    return module


def load_known(path: str | Path) -> tuple[dict[str, Task], dict[str, Written]]:
    """``(TASKS, WRITTEN)`` of a ``known_answers.py`` file."""
    module = read_known_module(path)
    return dict(module.TASKS), dict(getattr(module, "WRITTEN", {}))


def _known_for(assignment: str) -> dict[str, Task]:
    path = find_known(assignment)
    if path is None:
        raise FileNotFoundError(
            f"找不到 solutions/{assignment}/{KNOWN_FILE}：评分需要作业的参考材料。"
            "请在课程文件夹里评分，或设置环境变量 NMOPS_COURSE_ROOT 指向课程文件夹。"
        )
    return load_known(path)[0]


# --- comparing values ------------------------------------------------------------------

def same_answer(answer: Any, value: Any) -> bool:
    """Whether ``answer`` equals ``value`` by the grading checks (exact types, plain values).

    Examples
    --------
    >>> import numpy as np
    >>> same_answer(np.int64(3), 3), same_answer(3.0, 3), same_answer({"a"}, {"a"})
    (True, True, True)
    """
    import pandas as pd

    from nmops.grading import checks

    try:
        if type(value) in (set, frozenset):
            checks.check_set(answer, set(value))
        elif type(value) is dict:
            checks.check_mapping(answer, value)
        elif type(value) is pd.Series:
            checks.check_series(answer, value)
        elif type(value) is pd.DataFrame:
            checks.check_frame(answer, value)
        elif checks._is_plain_number(value):
            checks.check_number(answer, value)
        else:
            return type(answer) is type(value) and answer == value
    except AssertionError:
        return False
    return True


def _wrong_value(mistake: Mistake, variable: str, namespace: dict) -> Any:
    """The value ``mistake.code`` gives, run in a shallow copy of ``namespace``."""
    scope = dict(namespace)
    scope.pop(variable, None)
    exec(compile(mistake.code, f"<known mistake: {mistake.name}>", "exec"), scope)  # noqa: S102 (course material)
    return scope[variable]


def _matching_mistake(answer: Any, task: Task, namespace: dict, *, public_only: bool) -> Mistake | None:
    for mistake in task.mistakes:
        if public_only and not mistake.public:
            continue
        try:
            value = _wrong_value(mistake, task.variable, namespace)
        except Exception:  # noqa: BLE001 - a mistake that cannot be computed here is just not recognised
            continue
        if same_answer(answer, value):
            return mistake
    return None


def _caller_namespace(depth: int = 2) -> dict:
    return sys._getframe(depth).f_globals


def _split_task_id(task_id: str) -> tuple[str, str]:
    assignment, _, task = task_id.partition(":")
    if not task:
        raise ValueError(f"task id should look like '00-orientation:q3a', got {task_id!r}")
    return assignment, task


# --- the grading side ------------------------------------------------------------------

def reject_known_mistake(answer: Any, task_id: str, namespace: dict | None = None) -> None:
    """Raise :class:`KnownMistake` (an AssertionError) if ``answer`` is a known wrong answer.

    Called by a hidden test before the value check, so that the feedback names
    the mistake and explains it::

        reject_known_mistake(original_reads, "00-orientation:q3b")

    Parameters
    ----------
    answer : object
        The learner's value.
    task_id : str
        ``"<assignment>:<task>"``.
    namespace : dict, optional
        Where the task's data is defined; defaults to the caller's globals
        (the test cell's, in a kernel or in a clean grading process).
    """
    assignment, task = _split_task_id(task_id)
    spec = _known_for(assignment)[task]
    found = _matching_mistake(answer, spec, namespace if namespace is not None else _caller_namespace(),
                              public_only=False)
    if found is not None:
        raise KnownMistake(found.message)


class PartialScore(float):
    """Points of a task with parts; shown by nbgrader as the cell's score, with a Chinese message for feedback."""

    message: str = ""

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {"text/plain": f"{float(self):g}"}, {"nmops_feedback": {"message": self.message}}


def _parts(value: Any) -> dict | None:
    """The parts of an answer that earn points separately: a dict's keys, a table's columns,
    a Series' labels, a list's positions (第 1 项…; labels as text); None for anything else."""
    import pandas as pd

    if type(value) is dict:
        return value
    if type(value) is pd.DataFrame:
        return {str(column): value[column] for column in value.columns}
    if type(value) is pd.Series:
        return {str(label): item for label, item in value.items()}
    if type(value) is list:
        return {f"第 {i} 项": item for i, item in enumerate(value, start=1)}
    return None


def score_mapping(answer: Any, expected: Any, task_id: str, *, points: float, name: str,
                  namespace: dict | None = None) -> PartialScore:
    """Partial credit for an answer with parts (按部分给分): ``points`` shared equally among the parts.

    score = points × (parts whose value is right) / (number of parts)

    The parts are a dict's keys, a DataFrame's columns, a Series' labels or a
    list's positions (:func:`_parts`), taken from ``expected``. The format
    (type, keys) must already have been checked by the visible test. A wrong
    part whose value is what a known mistake gives for that part is named.
    Put the call last in a hidden test: nbgrader reads the cell's result as
    its score.
    """
    from nmops.grading import checks

    assignment, task = _split_task_id(task_id)
    spec = _known_for(assignment)[task]
    namespace = namespace if namespace is not None else _caller_namespace()
    wrong_parts = []
    for mistake in spec.mistakes:
        try:
            parts = _parts(_wrong_value(mistake, spec.variable, namespace))
        except Exception:  # noqa: BLE001
            continue
        if parts is not None:
            wrong_parts.append((mistake, parts))
    expected_parts, answer_parts = _parts(expected), _parts(answer)
    if expected_parts is None:
        raise TypeError(f"score_mapping needs a dict, DataFrame, Series or list, got {type(expected).__name__}")
    answer_parts = answer_parts if type(answer) is type(expected) else {}
    right, wrong_keys = 0, {}  # named mistake (None: not a known one) -> wrong parts
    for key, value in expected_parts.items():
        mine = answer_parts.get(key)
        if mine is not None and same_answer(mine, value):
            right += 1
            continue
        named = next((m for m, w in wrong_parts if key in w and not same_answer(w[key], value)
                      and mine is not None and same_answer(mine, w[key])), None)
        wrong_keys.setdefault(named, []).append(key)
    notes = [f"{name} 的 {checks._show(keys)}：" + (named.message if named else "不对。")
             for named, keys in wrong_keys.items()]
    result = PartialScore(round(points * right / len(expected_parts), 2))
    result.message = f"{len(expected_parts)} 项中对了 {right} 项。" + "".join(notes)
    return result


# --- the learner's side --------------------------------------------------------------------

@dataclass(frozen=True)
class Verdict:
    """What :meth:`Coach.check` found: a kind (未作答 / 格式不对 / 常见错误 / 正确 / 不正确 / 格式正确) and a message."""

    kind: str
    message: str

    def __str__(self) -> str:
        return f"【{self.kind}】{self.message}"

    def _repr_markdown_(self) -> str:
        colour = {CORRECT: "green", KNOWN_ERROR: "#b35900", INCORRECT: "#b00", WRONG_FORMAT: "#b00"}.get(self.kind, "#555")
        return f'<b style="color:{colour}">【{self.kind}】</b>{self.message}'

    def __repr__(self) -> str:
        return str(self)


def released(assignment_dir: str | Path, notebooks: list[Path]) -> dict:
    """What ships with ``exercises/``: titles, hints, format code, public mistakes (see the module docstring).

    Parameters
    ----------
    assignment_dir : path
        ``solutions/<assignment>/`` (holding ``known_answers.py``).
    notebooks : list of Path
        The released notebooks, whose test cells hold only the visible (format) part.
    """
    import nbformat

    tasks, written = load_known(Path(assignment_dir) / KNOWN_FILE)
    visible = {}
    for path in notebooks:
        for cell in nbformat.read(path, as_version=4).cells:
            grade_id = cell.metadata.get("nbgrader", {}).get("grade_id", "")
            if cell.cell_type == "code" and grade_id.endswith("_test"):
                visible[grade_id[: -len("_test")]] = cell.source
    out = {"tasks": {}, "written": {k: {"title": w.title, "rubric": list(w.rubric)} for k, w in written.items()}}
    for task_id, task in tasks.items():
        out["tasks"][task_id] = {
            "title": task.title,
            "variable": task.variable,
            "hints": list(task.hints),
            "format_check": visible.get(task_id, ""),
            "public_mistakes": [{"name": m.name, "explanation": m.explanation, "code": m.code}
                                for m in task.mistakes if m.public],
        }
    return out


class Coach:
    """Check an answer and get hints inside an exercise (自查与提示).

    In the notebook::

        from nmops.coach import Coach
        coach = Coach("00-orientation")
        coach.check("q3a")   # 未作答 / 格式不对 / 常见错误 / 正确 / 不正确 / 格式正确
        coach.hint("q3a")    # first a nudge; call again for the function or formula

    Parameters
    ----------
    assignment : str
        The assignment id (its folder name).
    reference : bool, optional
        Use the reference solutions when this machine has them (default:
        when ``solutions/<assignment>/`` is found). False forces class mode.
    namespace : dict, optional
        Where the answers are; default: the notebook's variables.
    """

    def __init__(self, assignment: str, *, reference: bool | None = None, namespace: dict | None = None):
        self.assignment = assignment
        self._namespace = namespace
        self._use_reference = reference
        self._hints_given: dict[str, int] = {}
        self._loaded = False

    def _load(self) -> None:
        """Read coach.json and, where present, the reference (on first use: creating a Coach never fails)."""
        if self._loaded:
            return
        self._public = self._load_released()
        known = find_known(self.assignment) if self._use_reference is not False else None
        self._reference: dict[str, Task] | None = load_known(known)[0] if known else None
        self._reference_dir = known.parent if known else None
        self._loaded = True

    def _load_released(self) -> dict:
        cwd = Path.cwd().resolve()
        candidates = [cwd / RELEASED_FILE] + [p / "exercises" / self.assignment / RELEASED_FILE
                                              for p in [cwd, *cwd.parents]]
        for path in candidates:
            if path.is_file():
                return json.loads(path.read_text(encoding="utf-8"))
        raise FileNotFoundError(
            f"找不到作业 {self.assignment} 的 {RELEASED_FILE}：它应该和作业笔记本在同一个文件夹里。"
            f"请用 nmops-start {self.assignment} 重新复制一份作业（已有的答案不会被覆盖）。"
        )

    @property
    def has_reference(self) -> bool:
        self._load()
        return self._reference is not None

    def _ns(self) -> dict:
        if self._namespace is not None:
            return self._namespace
        try:
            return get_ipython().user_ns  # type: ignore[name-defined]  # noqa: F821
        except NameError:
            return sys.modules["__main__"].__dict__

    def _task(self, task_id: str) -> dict:
        self._load()
        tasks = self._public["tasks"]
        if task_id not in tasks:
            raise KeyError(f"没有这道题：{task_id!r}。这份作业的题号有：{'、'.join(tasks)}。")
        return tasks[task_id]

    def check(self, task_id: str) -> Verdict:
        """The verdict on the current answer of task ``task_id``."""
        try:
            task = self._task(task_id)
        except FileNotFoundError as err:
            return Verdict("无法检查", str(err))
        ns = self._ns()
        variable = task["variable"]
        if variable not in ns:
            return Verdict(NOT_ANSWERED, f"还没有 {variable}：在答题单元格里删掉 raise NotImplementedError(...)，"
                                         "写上你的代码并运行它，再来检查。")
        answer = ns[variable]
        try:
            exec(compile(task["format_check"], f"<{task_id} 的格式检查>", "exec"), dict(ns))  # noqa: S102
        except AssertionError as err:
            return Verdict(WRONG_FORMAT, str(err) or "格式检查没有通过。")
        except Exception as err:  # noqa: BLE001 - the learner's value broke the check
            return Verdict(WRONG_FORMAT, f"检查时出错（{type(err).__name__}: {err}）。请确认答案的类型。")
        if self._reference is not None:
            return self._check_with_reference(task_id, answer, ns)
        for entry in task["public_mistakes"]:
            mistake = Mistake(entry["name"], entry["explanation"], entry["code"], public=True)
            if _matching_mistake(answer, Task("", variable, (), (mistake,)), ns, public_only=True):
                return Verdict(KNOWN_ERROR, mistake.text)
        return Verdict(FORMAT_OK, "格式对了，也不是已知的常见错误。对错要等评分时的隐藏测试判断"
                                  "（课堂上的自查不会告诉你标准答案）。")

    def _check_with_reference(self, task_id: str, answer: Any, ns: dict) -> Verdict:
        spec = self._reference[task_id]
        found = _matching_mistake(answer, spec, ns, public_only=False)
        if found is not None:
            return Verdict(KNOWN_ERROR, found.text)
        expected = self._reference_value(task_id, spec, ns)
        if same_answer(answer, expected):
            return Verdict(CORRECT, "和参考答案一致。")
        return Verdict(INCORRECT, "和参考答案不一致，也不是已知的常见错误。用 coach.hint"
                                  f"(\"{task_id}\") 看提示，再对照题目的定义检查一遍。")

    def _reference_value(self, task_id: str, spec: Task, ns: dict) -> Any:
        """The reference answer, computed by the source notebook's answer cell in a copy of ``ns``."""
        import nbformat

        for path in sorted(self._reference_dir.glob("*.ipynb")):
            for cell in nbformat.read(path, as_version=4).cells:
                if cell.metadata.get("nbgrader", {}).get("grade_id") == f"{task_id}_answer":
                    code = cell.source.replace("### BEGIN SOLUTION", "").replace("### END SOLUTION", "")
                    scope = dict(ns)
                    scope.pop(spec.variable, None)
                    exec(compile(code, f"<{task_id} 参考答案>", "exec"), scope)  # noqa: S102
                    return scope[spec.variable]
        raise LookupError(f"solutions/{self.assignment} has no cell {task_id}_answer")

    def hint(self, task_id: str) -> None:
        """The next hint of task ``task_id``: first a nudge, then the function or formula (never the code)."""
        hints = self._task(task_id)["hints"]
        given = self._hints_given.get(task_id, 0)
        shown = hints[min(given, len(hints) - 1)]
        self._hints_given[task_id] = given + 1
        level = min(given, len(hints) - 1) + 1
        more = "（再运行一次看下一条提示）" if level < len(hints) else "（这是最后一条提示）"
        print(f"提示 {level}/{len(hints)}：{shown}{more}")

    def tasks(self) -> list[str]:
        """The task ids of this assignment."""
        self._load()
        return list(self._public["tasks"])
