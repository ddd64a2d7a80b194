"""nmops-selfgrade: a self-learner grades one notebook with the hidden tests."""

from pathlib import Path

import nbformat
import pytest

from nmops.grading.selfgrade import self_grade

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "solutions" / "00-orientation" / "00-orientation.ipynb"


def test_selfgrade_scores_each_question_and_writes_feedback(tmp_path):
    nb = nbformat.read(SOURCE, as_version=4)
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == "q3c_answer":
            cell.source = 'weibo_reposts = int(posts["reposts"].sum())  # counts WeChat reposts too'
    mine = tmp_path / "00-orientation" / "00-orientation.ipynb"
    mine.parent.mkdir()
    nbformat.write(nb, mine)
    before = mine.read_bytes()

    scores = {s.grade_id: s for s in self_grade(mine, repo=ROOT, feedback_dir=tmp_path / "fb", timeout=30)}

    assert scores["q3c_test"].score == 0
    assert all(s.score == s.max_score for k, s in scores.items() if k not in ("q3c_test", "q4_answer"))
    assert scores["q4_answer"].score is None, "the written answer waits for a manual grade"
    html = (tmp_path / "fb" / "00-orientation.html").read_text(encoding="utf-8")
    assert "隐藏测试未通过" in html and "BEGIN HIDDEN TESTS" not in html
    assert "你的答案" in html and "检查单元格" in html, "feedback page labels are in Chinese"
    assert "Student's answer" not in html and "Grade cell" not in html
    assert mine.read_bytes() == before, "the learner's notebook is never changed"


def test_selfgrade_refuses_an_unknown_assignment(tmp_path):
    stray = tmp_path / "my-homework" / "homework.ipynb"
    stray.parent.mkdir()
    nbformat.write(nbformat.v4.new_notebook(), stray)
    with pytest.raises(SystemExit, match="无法确定这是哪份作业"):
        self_grade(stray, repo=ROOT)
