"""nbgrader configuration for the nmops course (课程评分配置).

nbgrader reads this file when it runs in this folder (the repository root).
The course root is the folder holding this file, so any clone works; tests
copy it into a temporary course folder and get that folder as root.

Layout: ``solutions/<assignment>/`` is nbgrader's source (reference answers,
visible and hidden tests), ``exercises/<assignment>/`` its release (what
learners get). ``make exercises`` (``python tools/make_exercises.py``)
regenerates the release. See ``docs/instructor.md`` for the whole cycle.

The exchange (where released and submitted files travel) is not set here:
nbgrader 0.9's default is ``/usr/local/share/nbgrader/exchange`` (it must
exist; on a shared server its admin creates it), a system-wide
``/etc/jupyter/nbgrader_config.py`` may set it, and for a trial on one machine
set ``NMOPS_EXCHANGE_ROOT`` or pass ``--Exchange.root=<folder>``. Setting it
here would override the server's setting for everyone who runs nbgrader inside
the repository. ``NMOPS_EXCHANGE_ROOT`` is read here and, for nbgrader run
outside the repository, by the environment's config that ``nmops-setup-lab``
writes (``<env>/etc/jupyter/nbgrader_config.py``).
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
# What is known about an assignment's answers (known wrong answers, hints: see
# nmops/coach.py) stays with the instructor: never released, never copied next
# to a submission. Its released part, coach.json, is written by make_exercises.
c.CourseDirectory.ignore = [
    ".ipynb_checkpoints",
    "*.pyc",
    "__pycache__",
    "feedback",
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
# Grading in two halves (see docs/instructor.md, "评分沙箱"): nbgrader's Execute is
# replaced by SandboxedExecute. The learner's cells run in a bubblewrap sandbox
# (no network, no view of the course, the gradebook or other submissions);
# the test cells run in a separate clean process on the learner's answers,
# which come back as data only. A timeout or a crashed sandbox costs only the
# cells it hits. Without bubblewrap, autograde refuses to run unless
# --SandboxedExecute.allow_unsandboxed=True is passed (only for one's own work).
c.Autograde.autograde_preprocessors = [
    "nmops.grading.safe_execute.SandboxedExecute",
    "nbgrader.preprocessors.IgnorePattern",
    "nbconvert.preprocessors.ClearMetadataPreprocessor",
    "nbgrader.preprocessors.LimitOutput",
    "nbgrader.preprocessors.SaveAutoGrades",
    "nbgrader.preprocessors.AssignLatePenalties",
    "nbgrader.preprocessors.CheckCellMetadata",
]
# Limits of each learner's sandbox (defaults shown; docs/instructor.md explains them).
c.SandboxedExecute.memory_limit = 2 * 1024**3  # bytes of address space
c.SandboxedExecute.cpu_limit = 600  # CPU seconds for the learner's whole notebook
c.SandboxedExecute.process_limit = 64  # processes and threads (per grader user)
c.SandboxedExecute.output_limit = 1_000_000  # bytes of text output per cell; the rest is cut
c.SandboxedExecute.tmp_limit = 64 * 1024**2  # bytes the learner may write in /tmp
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
# The template is set for the HTMLExporter *inside GenerateFeedback* only
# (c.GenerateFeedback.HTMLExporter), never for every HTMLExporter:
# - formgrader's manual-grading page is an HTMLExporter with nbgrader's "formgrade"
#   template; a global HTMLExporter.template_name would replace the grading form
#   with the feedback page;
# - formgrader's "Generate feedback" (nbgrader.apps.api.NbGraderAPI.generate_feedback)
#   forces a global HTMLExporter.template_name = "feedback", which with a global
#   template_file = "feedback_zh.html.j2" fails with TemplateNotFound. The nested
#   section is more specific (traitlets reads a parent's section after the global
#   one), so it wins over that and the command line and formgrader give the same page.
import nbgrader as _nbgrader  # noqa: E402

import nmops.grading as _nmops_grading  # noqa: E402

c.GenerateFeedback.HTMLExporter.template_name = "feedback_zh"
c.GenerateFeedback.HTMLExporter.template_file = "feedback_zh.html.j2"
c.GenerateFeedback.HTMLExporter.extra_template_basedirs = [
    os.path.join(os.path.dirname(_nmops_grading.__file__), "templates"),
    os.path.join(os.path.dirname(_nbgrader.__file__), "server_extensions", "formgrader", "templates"),
]
c.GenerateFeedback.preprocessors = [
    "nbgrader.preprocessors.GetGrades",
    "nmops.grading.feedback.HideHiddenTests",
    "nmops.grading.feedback_tasks.TaskSummary",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
]
