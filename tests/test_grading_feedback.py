"""Feedback without hidden tests, autograding that survives a dead kernel, and their wiring in nbgrader_config.py.

The preprocessor is tested on tracebacks made by a real IPython kernel (one
small notebook executed once), so a change in IPython's traceback format
shows up here rather than as a leak in a learner's feedback.
"""

from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from assignment_helpers import html_text
from nmops.grading.feedback import HideHiddenTests, failing_cell_line, hidden_regions, strip_ansi

ROOT = Path(__file__).resolve().parents[1]
HIDDEN_MESSAGE = HideHiddenTests().hidden_failure_message

TEST = {"nbgrader": {"grade": True, "solution": False, "locked": True, "points": 1}}
ANSWER = {"nbgrader": {"grade": False, "solution": True, "locked": False}}

# name -> (metadata, source). "SECRET" marks text that must never reach feedback.
CELLS = {
    "answer": (ANSWER, "def helper(x):\n    return 1 / x\n\nanswer = 5"),
    "visible_fails": (TEST, 'assert answer == 4, "可见测试：answer 应该是 4"\n'
                            '### BEGIN HIDDEN TESTS\nassert answer > 100, "SECRET-1"\n### END HIDDEN TESTS'),
    "hidden_fails": (TEST, 'assert type(answer) is int, "answer 应该是整数"\n### BEGIN HIDDEN TESTS\n'
                           "_secret_expected = 7  # SECRET-2\n"
                           'assert answer == _secret_expected, "SECRET-3"\n### END HIDDEN TESTS'),
    "hidden_fails_in_helper": (TEST, "### BEGIN HIDDEN TESTS\nfrom nmops.grading import check_number\n"
                                     'check_number(answer, 6, name="answer")  # SECRET-4\n### END HIDDEN TESTS'),
    "hidden_calls_learner_code": (TEST, 'print("visible part ran")\n### BEGIN HIDDEN TESTS\n'
                                        "helper(0)  # SECRET-5\n### END HIDDEN TESTS"),
    "hidden_passes_noisily": (TEST, 'print("visible ok")\n### BEGIN HIDDEN TESTS\nimport warnings\n'
                                    'warnings.warn("SECRET-6")\nprint("SECRET-7")\n### END HIDDEN TESTS'),
    "visible_after_hidden": (TEST, "### BEGIN HIDDEN TESTS\nassert True  # SECRET-8\n### END HIDDEN TESTS\n"
                                   'assert answer == 0, "可见测试在隐藏测试之后"'),
    "restored_cell": (TEST, "# 这个单元格（id:t）在你提交的作业里被删掉了，评分时已自动恢复。\n\n"
                            'assert answer, "ok"\n### BEGIN HIDDEN TESTS\nassert answer == 0, "SECRET-9"\n'
                            "### END HIDDEN TESTS"),
    "plain_test_fails": (TEST, 'x = 1\nassert x == 2, "没有隐藏测试的检查失败了"'),
    "learner_error": (ANSWER, 'raise ValueError("learner bug")'),
}


@pytest.fixture(scope="module")
def executed():
    """The notebook above, run once by a real kernel (errors allowed, as at autograde time)."""
    from nbclient import NotebookClient

    cells = []
    for name, (meta, source) in CELLS.items():
        cell = new_code_cell(source, metadata=copy.deepcopy(meta))
        cell.id = name.replace("_", "-")
        cells.append(cell)
    cells.insert(1, new_markdown_cell("## 题目说明"))
    nb = new_notebook(cells=cells)
    NotebookClient(nb, allow_errors=True, kernel_name="python3", timeout=60).execute()
    return nb


@pytest.fixture(scope="module")
def cleaned(executed):
    nb, _ = HideHiddenTests().preprocess(copy.deepcopy(executed), {})
    return {c.id.replace("-", "_"): c for c in nb.cells if c.cell_type == "code"}, nb


def _outputs_text(cell) -> str:
    return json.dumps(cell.outputs, ensure_ascii=False)


def test_the_raw_notebook_really_leaks(executed):
    """Control: without the preprocessor, the secrets are in sources and tracebacks."""
    raw = {c.id.replace("-", "_"): c for c in executed.cells if c.cell_type == "code"}
    assert "SECRET-3" in _outputs_text(raw["hidden_fails"])
    assert "SECRET-5" in _outputs_text(raw["hidden_calls_learner_code"])
    assert "SECRET-6" in _outputs_text(raw["hidden_passes_noisily"])  # a warning quotes its source line
    assert "SECRET-8" in _outputs_text(raw["visible_after_hidden"])  # context lines around a visible failure


def test_no_secret_in_any_cell_after_cleaning(cleaned):
    cells, nb = cleaned
    for name, cell in cells.items():
        assert "SECRET" not in cell.source + _outputs_text(cell), name
        assert "BEGIN HIDDEN TESTS" not in cell.source and "END HIDDEN TESTS" not in cell.source
    from nbconvert import HTMLExporter

    page = html_text(HTMLExporter().from_notebook_node(nb)[0])
    assert "可见测试：answer 应该是 4" in page and "SECRET" not in page


def test_hidden_failures_become_one_chinese_message(cleaned):
    cells, _ = cleaned
    for name in ["hidden_fails", "hidden_fails_in_helper", "hidden_calls_learner_code", "restored_cell"]:
        assert [o.output_type for o in cells[name].outputs] == ["error"], name
        assert cells[name].outputs[0].traceback == [HIDDEN_MESSAGE], name
    assert HIDDEN_MESSAGE.startswith("隐藏测试未通过")


def test_visible_failures_keep_only_the_error_line(cleaned):
    cells, _ = cleaned
    assert cells["visible_fails"].outputs[0].traceback == ["AssertionError: 可见测试：answer 应该是 4"]
    assert cells["visible_after_hidden"].outputs[0].traceback == ["AssertionError: 可见测试在隐藏测试之后"]
    assert cells["plain_test_fails"].outputs[0].traceback == ["AssertionError: 没有隐藏测试的检查失败了"]


def test_sources_keep_visible_lines_and_a_placeholder(cleaned):
    cells, _ = cleaned
    placeholder = HideHiddenTests().placeholder
    assert cells["hidden_fails"].source == 'assert type(answer) is int, "answer 应该是整数"\n' + placeholder
    assert cells["visible_after_hidden"].source == placeholder + '\nassert answer == 0, "可见测试在隐藏测试之后"'
    assert cells["plain_test_fails"].source == CELLS["plain_test_fails"][1]


def test_other_outputs_of_cells_with_hidden_tests_are_dropped(cleaned):
    cells, _ = cleaned
    assert cells["hidden_passes_noisily"].outputs == []


def test_learner_cells_are_left_alone(executed, cleaned):
    cells, _ = cleaned
    raw = next(c for c in executed.cells if c.id == "learner-error")
    assert cells["learner_error"].outputs == raw.outputs
    assert len(raw.outputs[0].traceback) > 1  # the learner keeps their full traceback


def test_grader_errors_and_unlocated_errors():
    timeout = {"output_type": "error", "ename": "CellTimeoutError", "evalue": "",
               "traceback": ["CellTimeoutError: 单元格运行超时，已被中断。"]}
    odd = {"output_type": "error", "ename": "KeyboardInterrupt", "evalue": "SECRET",
           "traceback": ["KeyboardInterrupt: SECRET"]}
    cells = []
    for out in (timeout, odd):
        cell = new_code_cell("x\n### BEGIN HIDDEN TESTS\nSECRET\n### END HIDDEN TESTS", metadata=copy.deepcopy(TEST))
        cell.outputs = [nbformat.from_dict(out)]
        cells.append(cell)
    nb, _ = HideHiddenTests().preprocess(new_notebook(cells=cells), {})
    assert nb.cells[0].outputs[0].traceback == ["CellTimeoutError: 单元格运行超时，已被中断。"]
    assert nb.cells[1].outputs[0].traceback[0].startswith("KeyboardInterrupt（")
    assert "SECRET" not in json.dumps(nb.cells[1].outputs, ensure_ascii=False)


def test_hidden_regions():
    src = "a\n### BEGIN HIDDEN TESTS\nb\n### END HIDDEN TESTS\nc\n### BEGIN HIDDEN TESTS\nd\n### END HIDDEN TESTS"
    assert hidden_regions(src) == [(2, 4), (6, 8)]
    assert hidden_regions("a\n### BEGIN HIDDEN TESTS\nb") == [(2, 3)]  # unterminated: hide to the end
    assert hidden_regions("no tests here") == []


def test_failing_cell_line_reads_every_ipython_format():
    assert failing_cell_line(["\x1b[36mCell\x1b[39m\x1b[36m \x1b[39m\x1b[32mIn[12]\x1b[39m\x1b[32m, line 7\x1b[39m\n"]) == 7
    assert failing_cell_line(["Input In [3], in <cell line: 5>()\n"]) == 5
    assert failing_cell_line(['File <ipython-input-4-0a1b2c3d4e5f>, line 9\n']) == 9
    outer_then_inner = ["Cell In[9], line 4\n----> 4 helper(0)", "Cell In[2], line 2, in helper(x)\n"]
    assert failing_cell_line(outer_then_inner, 9) == 4
    assert failing_cell_line(outer_then_inner) == 4
    assert failing_cell_line(["ValueError: no frame"]) is None
    assert strip_ansi("\x1b[0;31mX\x1b[0m") == "X"


# --- a dead kernel still gives a score ---------------------------------------------------------

def test_sandboxed_execute_survives_a_dead_kernel():
    """The cell that killed the learner's process gets an error; later cells run in a restarted one."""
    from nbgrader import utils

    from nmops.grading.safe_execute import SandboxedExecute

    before = new_code_cell("y = 1", metadata=copy.deepcopy(ANSWER))
    answer = new_code_cell("import os\nos._exit(1)", metadata=copy.deepcopy(ANSWER))
    test = new_code_cell("assert y == 1", metadata=copy.deepcopy(TEST))
    failing = new_code_cell("assert y == 2", metadata=copy.deepcopy(TEST))
    nb, _ = SandboxedExecute(timeout=30, allow_unsandboxed=True).preprocess(
        new_notebook(cells=[before, answer, test, failing]), {})
    assert "评分说明" in nb.cells[0].source
    assert nb.cells[2].outputs[-1].ename == "DeadKernelError"
    assert utils.determine_grade(nb.cells[3]) == (1, 1)  # y was restored by replaying the cells before
    assert utils.determine_grade(nb.cells[4]) == (0, 1)
    # Without an error output nbgrader would give a test full marks:
    assert utils.determine_grade(new_code_cell("assert True", metadata=copy.deepcopy(TEST))) == (1, 1)


# --- nbgrader_config.py ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def config(tmp_path_factory):
    """The course config loaded from a copy in another folder (the root must follow the file)."""
    from traitlets.config.loader import PyFileConfigLoader

    folder = tmp_path_factory.mktemp("elsewhere")
    shutil.copy(ROOT / "nbgrader_config.py", folder)
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv("NMOPS_EXCHANGE_ROOT", raising=False)
        return folder, PyFileConfigLoader("nbgrader_config.py", path=str(folder)).load_config()


def test_config_course_layout_and_stubs(config):
    folder, c = config
    assert c.CourseDirectory.course_id == "nmops"
    assert c.CourseDirectory.root == str(folder)
    assert (c.CourseDirectory.source_directory, c.CourseDirectory.release_directory) == ("solutions", "exercises")
    assert c.CourseDirectory.db_url == "sqlite:///" + str(folder / "gradebook.db")
    assert "known_answers.py" in c.CourseDirectory.ignore
    assert "在这里写你的代码" in c.ClearSolutions.code_stub["python"]
    assert "NotImplementedError" in c.ClearSolutions.code_stub["python"]
    assert c.ClearSolutions.text_stub == "在这里写下你的回答。"
    assert c.Execute.timeout == 60
    assert c.OverwriteCells.add_missing_cells is True
    assert "Exchange" not in c or "root" not in c.Exchange  # no hard-coded exchange folder


def test_config_exchange_only_from_environment(tmp_path, monkeypatch):
    from traitlets.config.loader import PyFileConfigLoader

    monkeypatch.setenv("NMOPS_EXCHANGE_ROOT", str(tmp_path / "exchange"))
    c = PyFileConfigLoader("nbgrader_config.py", path=str(ROOT)).load_config()
    assert c.Exchange.root == str(tmp_path / "exchange")


def test_config_keeps_nbgrader_default_preprocessors(config):
    """Our lists are nbgrader's defaults plus our classes: a new nbgrader default shows up here."""
    from nbgrader.converters import Autograde, GenerateFeedback
    from nbgrader.preprocessors import Execute, GetGrades
    from traitlets.utils.importstring import import_item

    from nmops.grading.safe_execute import SandboxedExecute

    _, c = config
    feedback = [import_item(name) for name in c.GenerateFeedback.preprocessors]
    default = GenerateFeedback.class_traits()["preprocessors"].default()
    assert default[0] is GetGrades
    from nmops.grading.feedback_tasks import TaskSummary

    assert feedback == default[:1] + [HideHiddenTests, TaskSummary] + default[1:]
    autograde = [import_item(name) for name in c.Autograde.autograde_preprocessors]
    default = Autograde.class_traits()["autograde_preprocessors"].default()
    assert autograde == [SandboxedExecute if p is Execute else p for p in default]


def test_a_self_check_cell_shows_a_note_instead_of_what_it_said_at_grading():
    """coach.check ran where the grader runs (no coach.json): the feedback points to the test cell instead."""
    check = new_code_cell('coach.check("q1")  # 自查', execution_count=3)
    check.outputs = [nbformat.v4.new_output("execute_result", {"text/plain": "【无法检查】找不到 coach.json"},
                                            execution_count=3)]
    learner = new_code_cell('print(coach.check("q1"))\nx = 1', execution_count=4)
    learner.outputs = [nbformat.v4.new_output("stream", name="stdout", text="mine")]
    nb, _ = HideHiddenTests().preprocess(new_notebook(cells=[check, learner]), {})
    assert [o.output_type for o in nb.cells[0].outputs] == ["stream"]
    assert "检查单元格" in nb.cells[0].outputs[0].text and "coach.json" not in nb.cells[0].outputs[0].text
    assert nb.cells[1].outputs[0].text == "mine", "a learner's own cell is left alone"
