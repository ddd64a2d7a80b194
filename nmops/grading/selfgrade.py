"""Grade your own assignment with the hidden tests (自学者自评), as an instructor would.

A self-learner has no instructor to run the hidden tests. This command runs
nbgrader's real pipeline on one notebook, in a temporary course folder built
from the repository's ``solutions/`` and ``nbgrader_config.py``, and prints
the score of each question plus the path of the feedback page::

    nmops-selfgrade exercises/00-orientation/00-orientation.ipynb

Your notebook is only read, never changed. Manually graded written answers are
listed as "待人工评分" (to be graded by hand): compare them with the reference
answer in ``solutions/``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

__all__ = ["QuestionScore", "self_grade", "main"]

STUDENT = "me"
COURSE = "nmops"


@dataclass(frozen=True)
class QuestionScore:
    """The grade of one graded cell."""

    grade_id: str
    score: float | None  # None: waits for a manual grade
    max_score: float


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
               feedback_dir: str | Path = "feedback-selfgrade", timeout: int = 60) -> list[QuestionScore]:
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
    list of QuestionScore
        One entry per graded cell, in notebook order.
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
        _nbgrader(["generate_feedback", assignment, "--force", *common], course, env, "生成反馈页面")

        from nbgrader.api import Gradebook

        scores = []
        with Gradebook(f"sqlite:///{course / 'gradebook.db'}", COURSE) as gb:
            submission = gb.find_submission_notebook(notebook.stem, assignment, STUDENT)
            for grade in submission.grades:
                pending = grade.needs_manual_grade
                scores.append(QuestionScore(grade.name, None if pending else float(grade.score), float(grade.max_score)))
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
    auto = [s for s in scores if s.score is not None]
    manual = [s for s in scores if s.score is None]
    print("\n题目          得分")
    for s in scores:
        shown = "待人工评分" if s.score is None else f"{s.score:g} / {s.max_score:g}"
        print(f"{s.grade_id:<12}  {shown}")
    print(f"\n自动评分部分：{sum(s.score for s in auto):g} / {sum(s.max_score for s in auto):g} 分")
    if manual:
        print(f"另有 {sum(s.max_score for s in manual):g} 分需要人工评分：请对照 solutions/ 里的参考答案和给分要点自评。")
    print(f"反馈页面：{Path(args.feedback_dir).resolve() / (args.assignment or Path(args.notebook).resolve().parent.name)}.html")


if __name__ == "__main__":
    main()
