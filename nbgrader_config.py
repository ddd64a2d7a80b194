"""nbgrader configuration for the nmops course (课程评分配置).

nbgrader reads this file when it runs in this folder (the repository root).
The course root is the folder holding this file, so any clone works; tests
copy it into a temporary course folder and get that folder as root.

Layout: ``solutions/<assignment>/`` is nbgrader's source (reference answers,
visible and hidden tests), ``exercises/<assignment>/`` its release (what
learners get). ``make exercises`` (``python tools/make_exercises.py``)
regenerates the release. See ``docs/instructor.md`` for the whole cycle.

The exchange (where released and submitted files travel) is not set here:
nbgrader's default is ``/srv/nbgrader/exchange`` (a shared server, set up by
its admin), a system-wide ``/etc/jupyter/nbgrader_config.py`` may set it, and
for a trial on one machine set ``NMOPS_EXCHANGE_ROOT`` or pass
``--Exchange.root=<folder>``. Setting it here would override the server's
setting for everyone who runs nbgrader inside the repository.
"""

import os

c = get_config()  # noqa: F821  (provided by traitlets when it loads this file)

ROOT = os.path.dirname(os.path.abspath(__file__))

# --- the course ---------------------------------------------------------------
c.CourseDirectory.course_id = "nmops"
c.CourseDirectory.root = ROOT
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "exercises"
# The gradebook lives in the course folder (ignored by git).
c.CourseDirectory.db_url = "sqlite:///" + os.path.join(ROOT, "gradebook.db")
# Plausible wrong answers used by tests/test_assignments.py stay with the
# instructor: never released, never copied next to a submission.
c.CourseDirectory.ignore = [
    ".ipynb_checkpoints",
    "*.pyc",
    "__pycache__",
    "feedback",
    "wrong_answers.py",
    "known_answers.py",
]

if os.environ.get("NMOPS_EXCHANGE_ROOT"):
    c.Exchange.root = os.environ["NMOPS_EXCHANGE_ROOT"]

# --- what learners see in place of the reference answers ------------------------
c.ClearSolutions.code_stub = {
    "python": '# 在这里写你的代码\nraise NotImplementedError("请完成这道题")',
}
c.ClearSolutions.text_stub = "在这里写下你的回答。"

# --- autograding ----------------------------------------------------------------
# Seconds per cell; an infinite loop is interrupted, scores 0 for what depends
# on it, and the run goes on with the next cell and the next learner.
c.Execute.timeout = 60
c.Execute.error_on_timeout = {
    "ename": "CellTimeoutError",
    "evalue": "",
    "traceback": [
        "CellTimeoutError: 单元格运行超时，已被中断。请检查是否有死循环，或者计算是否特别慢。"
    ],
}
# Like nbgrader 0.9.6's default list, with Execute replaced by CrashSafeExecute:
# a submission that kills the kernel (os._exit, memory exhausted) still gets a
# score and feedback instead of being dropped from the run.
c.Autograde.autograde_preprocessors = [
    "nmops.grading.execute.CrashSafeExecute",
    "nbgrader.preprocessors.IgnorePattern",
    "nbconvert.preprocessors.ClearMetadataPreprocessor",
    "nbgrader.preprocessors.LimitOutput",
    "nbgrader.preprocessors.SaveAutoGrades",
    "nbgrader.preprocessors.AssignLatePenalties",
    "nbgrader.preprocessors.CheckCellMetadata",
]
# A deleted test cell is put back (and run) instead of leaving the submission
# "needs manual grade" forever.
c.OverwriteCells.add_missing_cells = True
c.OverwriteCells.missing_cell_notification = (
    "这个单元格（id:{cell_id}）在你提交的作业里被删掉了，评分时已自动恢复。\n\n"
)

# --- feedback -----------------------------------------------------------------------
# nbgrader 0.9.6's default list is [GetGrades, CSSHTMLHeaderPreprocessor]; ours
# goes after GetGrades (which reads scores by cell id) and before the HTML
# header step. It removes hidden-test code and hidden-test tracebacks.
# The feedback page in Chinese: nmops/grading/templates/feedback_zh/feedback_zh.html.j2
# extends nbgrader's own feedback template (its conf.json names "feedback" as the
# base), keeping nbgrader's styles; both template folders are listed.
import nbgrader as _nbgrader  # noqa: E402

import nmops.grading as _nmops_grading  # noqa: E402

c.HTMLExporter.template_name = "feedback_zh"
c.HTMLExporter.template_file = "feedback_zh.html.j2"
c.HTMLExporter.extra_template_basedirs = [
    os.path.join(os.path.dirname(_nmops_grading.__file__), "templates"),
    os.path.join(os.path.dirname(_nbgrader.__file__), "server_extensions", "formgrader", "templates"),
]
c.GenerateFeedback.preprocessors = [
    "nbgrader.preprocessors.GetGrades",
    "nmops.grading.feedback.HideHiddenTests",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
]
