"""The class roster (nmops.classroom.roster): what an instructor's CSV may look like, and what is refused."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from nmops.classroom.roster import MAX_ID_LENGTH, Learner, RosterError, read_roster, user_id_problem

ROOT = Path(__file__).resolve().parents[1]
GOOD = "id,name\nstu01,王小明\nzhangsan,张三\n"
EXPECTED = [Learner("stu01", "王小明"), Learner("zhangsan", "张三")]


def roster(tmp_path: Path, text: str | bytes, encoding: str = "utf-8") -> Path:
    path = tmp_path / "名单.csv"
    path.write_bytes(text if isinstance(text, bytes) else text.encode(encoding))
    return path


def problems(path: Path) -> list[str]:
    with pytest.raises(RosterError) as info:
        read_roster(path)
    assert str(path) in str(info.value), "the message names the file"
    return info.value.problems


def test_example_roster_parses():
    learners = read_roster(ROOT / "docs" / "roster-example.csv")
    assert len(learners) == 5
    assert all(user_id_problem(learner.user_id) is None for learner in learners)
    assert all(learner.name and all("\u4e00" <= ch <= "\u9fff" for ch in learner.name) for learner in learners)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk"])
@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_excel_and_editor_encodings(tmp_path, encoding, newline):
    assert read_roster(roster(tmp_path, GOOD.replace("\n", newline), encoding)) == EXPECTED


def test_chinese_header_any_order_extra_columns_and_case(tmp_path):
    assert read_roster(roster(tmp_path, "学号,姓名\nstu01,王小明\nzhangsan,张三\n", "gb18030")) == EXPECTED
    assert read_roster(roster(tmp_path, "班级,姓名,学号\n一班,王小明,stu01\n二班,张三,zhangsan\n")) == EXPECTED
    assert read_roster(roster(tmp_path, "ID,Name\nstu01,王小明\nzhangsan,张三\n")) == EXPECTED


def test_whitespace_blank_lines_and_empty_rows_are_ignored(tmp_path):
    text = "\n id , name \n\n  stu01 ,  王小明 \n,,\n   \nzhangsan,张三,,\n\n"
    assert read_roster(roster(tmp_path, text)) == EXPECTED


def test_name_is_optional(tmp_path):
    assert read_roster(roster(tmp_path, "id\nstu01\n")) == [Learner("stu01", "")]
    assert read_roster(roster(tmp_path, "id,name\nstu01,\nstu02\n")) == [Learner("stu01", ""), Learner("stu02", "")]


def test_a_quoted_name_may_hold_a_comma(tmp_path):
    assert read_roster(roster(tmp_path, 'id,name\nstu01,"Li, Lei"\n')) == [Learner("stu01", "Li, Lei")]


def test_an_unquoted_comma_in_a_name_is_refused(tmp_path):
    (message,) = problems(roster(tmp_path, "id,name\nstu01,Li, Lei\n"))
    assert "第 2 行" in message and "双引号" in message


def test_missing_id_column_or_value(tmp_path):
    (message,) = problems(roster(tmp_path, "name,学号x\n王小明,stu01\n"))
    assert "第 1 行" in message and "没有 id 列" in message and "学号,姓名" in message
    (message,) = problems(roster(tmp_path, "stu01,王小明\nstu02,李四\n"))  # no header at all
    assert "加一行表头" in message
    (message,) = problems(roster(tmp_path, "id,name\nstu01,王小明\n,李四\n"))
    assert "第 3 行没有学号" in message and "李四" in message


def test_duplicate_header_column(tmp_path):
    (message,) = problems(roster(tmp_path, "id,学号,name\nstu01,stu01,王小明\n"))
    assert "重复的列" in message


@pytest.mark.parametrize("user_id", ["a", "stu01", "li_lei", "wang-xm", "x" * MAX_ID_LENGTH, "rooty", "graderx"])
def test_good_ids(tmp_path, user_id):
    assert user_id_problem(user_id) is None
    assert read_roster(roster(tmp_path, f"id,name\n{user_id},某人\n")) == [Learner(user_id, "某人")]


@pytest.mark.parametrize(("user_id", "rule", "fix"), [
    ("Zhang San", "含有大写字母、空格", "请改成例如 zhangsan"),
    ("Stu01", "含有大写字母", "请改成例如 stu01"),
    ("2024001", "以数字开头", "请改成例如 s2024001"),
    ("_stu", "不是以字母开头", "请改成例如 s_stu"),
    ("张三", "不允许的字符 “张” “三”", "请改用拼音或编号"),
    ("wang.xm", "不允许的字符 “.”", "请改成例如 wangxm"),
    ("li@lei", "不允许的字符 “@”", "请改成例如 lilei"),
    ("x" * (MAX_ID_LENGTH + 1), f"有 {MAX_ID_LENGTH + 1} 个字符，超过上限 {MAX_ID_LENGTH} 个", "x" * MAX_ID_LENGTH),
])
def test_ids_that_cannot_be_user_names(tmp_path, user_id, rule, fix):
    (message,) = problems(roster(tmp_path, f"id,name\nstu00,甲\n{user_id},乙\n"))
    assert f"第 3 行的学号 “{user_id}” 不能用作用户名" in message
    assert rule in message and fix in message


@pytest.mark.parametrize("user_id", ["root", "nobody", "nmops-grader", "grader-01", "jupyter", "jupyterhub", "admin"])
def test_reserved_ids(tmp_path, user_id):
    (message,) = problems(roster(tmp_path, f"id,name\n{user_id},乙\n"))
    assert "保留的用户名" in message and f"“{user_id}”" in message and "请改成例如 stu-" in message


def test_duplicates_ignore_letter_case(tmp_path):
    found = problems(roster(tmp_path, "id,name\nstu01,甲\nstu02,乙\nstu01,丙\nSTU02,丁\n"))
    assert "第 4 行的学号 “stu01” 和第 2 行重复" in found[0]
    assert any("第 5 行的学号 “STU02” 和第 3 行重复" in p for p in found)


def test_every_bad_line_is_reported_at_once(tmp_path):
    text = "学号,姓名\nstu01,甲\nZhang San,张三\n\nroot,\n,无名\nstu01,戊\n"
    found = problems(roster(tmp_path, text, "utf-8-sig"))
    assert [p.split("行")[0] for p in found] == ["第 3 ", "第 5 ", "第 6 ", "第 7 "]
    with pytest.raises(RosterError) as info:
        read_roster(roster(tmp_path, text))
    assert "有 4 处问题" in str(info.value)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_gives_a_clear_error(tmp_path, encoding):
    (message,) = problems(roster(tmp_path, GOOD, encoding))
    assert "UTF-16" in message and "CSV UTF-8" in message


def test_undecodable_bytes_give_a_clear_error(tmp_path):
    (message,) = problems(roster(tmp_path, b"id,name\nstu01,\x80\xff\n"))
    assert "无法识别文件编码" in message and "CSV UTF-8" in message


def test_tab_or_chinese_comma_separator_is_named(tmp_path):
    (message,) = problems(roster(tmp_path, "id\tname\nstu01\t甲\n"))
    assert "制表符" in message
    (message,) = problems(roster(tmp_path, "学号，姓名\nstu01，甲\n"))
    assert "中文逗号" in message


def test_missing_empty_or_folder(tmp_path):
    assert "找不到这个文件" in problems(tmp_path / "nothing.csv")[0]
    assert "文件是空的" in problems(roster(tmp_path, "\n\n"))[0]
    assert "文件夹" in problems(tmp_path)[0]


def test_learner_is_frozen_and_error_is_a_value_error():
    with pytest.raises(dataclasses.FrozenInstanceError):
        Learner("stu01", "甲").user_id = "root"
    assert issubclass(RosterError, ValueError)
