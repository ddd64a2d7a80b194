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
            cell.source = 'weibo_reposts = int(posts["reposts"].sum())  # a known mistake: WeChat reposts too'
        if cell.metadata.get("nbgrader", {}).get("grade_id") == "q3b_answer":
            cell.source = "original_reads = 1  # wrong, and not a known mistake"
    mine = tmp_path / "00-orientation" / "00-orientation.ipynb"
    mine.parent.mkdir()
    nbformat.write(nb, mine)
    before = mine.read_bytes()

    scores = {s.grade_id: s for s in self_grade(mine, repo=ROOT, feedback_dir=tmp_path / "fb", timeout=30)}

    assert scores["q3c_test"].score == 0 and scores["q3b_test"].score == 0
    assert all(s.score == s.max_score for k, s in scores.items() if k not in ("q3b_test", "q3c_test", "q4_answer"))
    assert scores["q4_answer"].score is None, "the written answer waits for a manual grade"
    html = (tmp_path / "fb" / "00-orientation.html").read_text(encoding="utf-8")
    assert "隐藏测试未通过" in html and "BEGIN HIDDEN TESTS" not in html
    assert scores["q3b_test"].message.startswith("隐藏测试未通过")
    assert "你的答案" in html and "检查单元格" in html, "feedback page labels are in Chinese"
    assert "常见错误：把公众号文章的转发也算进来" in html, "the named mistake reaches the page"
    assert scores["q3c_test"].message.startswith("常见错误：把公众号文章的转发也算进来")
    assert "Student's answer" not in html and "Grade cell" not in html
    assert mine.read_bytes() == before, "the learner's notebook is never changed"
    # Written task: waits for the instructor, counted apart (never as 0), with its rubric; page and terminal agree.
    assert "自动评分：8 / 7" not in html and "自动评分：<b>5 / 7</b> 分" in html
    assert "另有 <b>3</b> 分待讲师评分" in html and "评分要点" in html
    assert scores["q4_answer"].shown_score == "待讲师评分（3 分）" and scores["q4_answer"].rubric
    assert "No response" not in html and "未作答" in html


def test_selfgrade_refuses_an_unknown_assignment(tmp_path):
    stray = tmp_path / "my-homework" / "homework.ipynb"
    stray.parent.mkdir()
    nbformat.write(nbformat.v4.new_notebook(), stray)
    with pytest.raises(SystemExit, match="无法确定这是哪份作业"):
        self_grade(stray, repo=ROOT)
