"""Grade your own assignment with the hidden tests (自学者自评), as an instructor would.

A self-learner has no instructor to run the hidden tests. This command runs
nbgrader's real pipeline on one notebook, in a temporary course folder built
from the repository's ``solutions/`` and ``nbgrader_config.py``, and prints
the score of each question plus the path of the feedback page::

    nmops-selfgrade exercises/00-orientation/00-orientation.ipynb

Your notebook is only read, never changed. The terminal table and the
feedback page show the same rows (:mod:`nmops.grading.feedback_tasks`): per
task its title, points got of points possible and the check's message (a
named mistake when it is a known one). Written answers are listed as
待讲师评分 with their rubric and are counted apart, never as 0: compare them
with the reference answer in ``solutions/``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import unicodedata
from pathlib import Path

from nmops.grading.feedback_tasks import TaskRow, plain_number, task_rows, totals

__all__ = ["self_grade", "format_table", "main"]

STUDENT = "me"
COURSE = "nmops"


def _fail(message: str) -> None:
    raise SystemExit(message)


def _find_repo(start: Path) -> Path:
    for folder in [start, *start.parents]:
        if (folder / "nbgrader_config.py").is_file() and (folder / "solutions").is_dir():
            return folder
    _fail(
        f"找不到课程仓库（含 nbgrader_config.py 和 solutions/ 的文件夹）：从 {start} 往上都没有。"
        "请在课程仓库里运行，或用 --repo 指定仓库路径。"
    )


def _nbgrader(args: list[str], cwd: Path, env: dict, step: str) -> None:
    print(f">> {step}…", file=sys.stderr, flush=True)
    result = subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=cwd, env=env,
                            capture_output=True, text=True)
    if result.returncode != 0:
        _fail(f"评分步骤“{step}”失败（nbgrader {' '.join(args[:2])}）：\n{result.stderr[-2000:]}")


def self_grade(notebook: str | Path, *, assignment: str | None = None, repo: str | Path | None = None,
               feedback_dir: str | Path = "feedback-selfgrade", timeout: int = 60) -> list[TaskRow]:
    """Autograde ``notebook`` with the hidden tests of its assignment and write the feedback page.

    Parameters
    ----------
    notebook : path
        Your notebook, e.g. ``exercises/00-orientation/00-orientation.ipynb``.
    assignment : str, optional
        Assignment id; defaults to the notebook's folder name.
    repo : path, optional
        The course repository; found by walking up from the notebook.
    feedback_dir : path
        Where to copy the feedback HTML (created if missing).
    timeout : int
        Seconds allowed per cell.

    Returns
    -------
    list of TaskRow
        One row per graded cell, in notebook order (what the feedback page shows).
    """
    notebook = Path(notebook).resolve()
    if not notebook.is_file() or notebook.suffix != ".ipynb":
        _fail(f"没有找到笔记本文件：{notebook}。请给出你的作业 .ipynb 文件的路径。")
    repo = Path(repo).resolve() if repo else _find_repo(notebook.parent)
    assignment = assignment or notebook.parent.name
    source = repo / "solutions" / assignment
    if not (source / notebook.name).is_file():
        known = ", ".join(sorted(p.name for p in (repo / "solutions").iterdir() if p.is_dir()))
        _fail(f"solutions/{assignment}/{notebook.name} 不存在：无法确定这是哪份作业。已有作业：{known}。"
              "可以用 --assignment 指定作业编号。")

    with tempfile.TemporaryDirectory(prefix="nmops-selfgrade-") as tmp:
        course = Path(tmp)
        shutil.copy(repo / "nbgrader_config.py", course / "nbgrader_config.py")
        shutil.copytree(source, course / "solutions" / assignment)
        target = course / "submitted" / STUDENT / assignment
        target.mkdir(parents=True)
        shutil.copy(notebook, target / notebook.name)
        env = dict(os.environ)
        env["PATH"] = os.path.dirname(sys.executable) + os.pathsep + env.get("PATH", "")
        env.update(JUPYTER_CONFIG_DIR=str(course / ".jupyter"), JUPYTER_RUNTIME_DIR=str(course / ".runtime"))
        # Your own notebook: where bubblewrap is missing (a laptop) it runs outside the sandbox.
        common = [f"--CourseDirectory.root={course}", f"--Execute.timeout={timeout}",
                  "--SandboxedExecute.allow_unsandboxed=True"]
        _nbgrader(["generate_assignment", assignment, "--force", *common], course, env, "读取参考答案和隐藏测试")
        _nbgrader(["autograde", assignment, "--create", *common], course, env, "运行你的笔记本和隐藏测试")
        _nbgrader(["generate_feedback", assignment, "--force", "--TaskSummary.self_grade=True", *common],
                  course, env, "生成反馈页面")

        import nbformat

        from nmops.grading.feedback import HideHiddenTests

        graded = nbformat.read(course / "autograded" / STUDENT / assignment / notebook.name, as_version=4)
        resources = {"nbgrader": {"assignment": assignment, "notebook": notebook.stem, "student": STUDENT,
                                  "db_url": f"sqlite:///{course / 'gradebook.db'}"}}
        cwd = os.getcwd()
        os.chdir(course)  # where solutions/<assignment>/known_answers.py is found
        try:
            graded, resources = HideHiddenTests().preprocess(graded, resources)
            scores = task_rows(graded, resources, self_grade=True)
        finally:
            os.chdir(cwd)
        feedback = next((course / "feedback" / STUDENT / assignment).glob("*.html"))
        out = Path(feedback_dir).resolve()
        out.mkdir(parents=True, exist_ok=True)
        shutil.copy(feedback, out / f"{assignment}.html")
    return scores


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="用隐藏测试给自己的作业评分（自学者自评）。")
    parser.add_argument("notebook", help="你的作业笔记本，例如 exercises/00-orientation/00-orientation.ipynb")
    parser.add_argument("--assignment", help="作业编号（默认：笔记本所在文件夹名）")
    parser.add_argument("--repo", help="课程仓库路径（默认：从笔记本位置往上查找）")
    parser.add_argument("--feedback-dir", default="feedback-selfgrade", help="反馈页面保存到哪里")
    parser.add_argument("--timeout", type=int, default=60, help="每个单元格最多运行几秒")
    args = parser.parse_args(argv)
    scores = self_grade(args.notebook, assignment=args.assignment, repo=args.repo,
                        feedback_dir=args.feedback_dir, timeout=args.timeout)
    print()
    print(format_table(["题目", "得分", "说明"], [[r.title, r.shown_score, r.message] for r in scores]))
    t = totals(scores)
    print(f"\n自动评分：{plain_number(t.auto_score)} / {plain_number(t.auto_max)} 分")
    for r in (r for r in scores if r.written and r.score is None):
        print(f"另有 {plain_number(r.max_score)} 分待讲师评分（{r.title}，不计入上面的得分）。评分要点：")
        for item in r.rubric:
            print(f"  - {item}")
    if t.pending_max:
        print("自学时请对照 solutions/ 里的参考答案和评分要点自评。")
    print(f"反馈页面：{Path(args.feedback_dir).resolve() / (args.assignment or Path(args.notebook).resolve().parent.name)}.html")


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _wrap(text: str, width: int) -> list[str]:
    """Split ``text`` into lines of at most ``width`` display columns (a CJK character is 2)."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for ch in paragraph:
            if _width(line + ch) > width:
                lines.append(line)
                line = ""
            line += ch
        lines.append(line)
    return lines or [""]


def format_table(headers: list[str], rows: list[list[str]], max_width: int = 44) -> str:
    """A left-aligned table with borders that keeps Chinese columns straight (a CJK character is 2 columns).

    Examples
    --------
    >>> print(format_table(["题目", "得分"], [["第 1 题", "2 / 2"]]))
    +---------+-------+
    | 题目    | 得分  |
    +=========+=======+
    | 第 1 题 | 2 / 2 |
    +---------+-------+
    """
    cells = [[_wrap(str(c), max_width) for c in row] for row in [headers, *rows]]
    widths = [max(_width(line) for row in cells for line in row[i]) for i in range(len(headers))]
    rule = "+" + "+".join("-" * (w + 2) for w in widths) + "+"
    out = [rule]
    for number, row in enumerate(cells):
        for k in range(max(len(c) for c in row)):
            parts = [(c[k] if k < len(c) else "") for c in row]
            out.append("| " + " | ".join(p + " " * (w - _width(p)) for p, w in zip(parts, widths)) + " |")
        out.append(rule.replace("-", "=") if number == 0 else rule)
    return "\n".join(out)


if __name__ == "__main__":
    main()
