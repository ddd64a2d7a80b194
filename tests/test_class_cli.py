"""``nmops-class setup``: what it refuses before it touches the machine (runs everywhere, changes nothing)."""

from __future__ import annotations

from pathlib import Path

import pytest

from nmops.classroom import cli, provision
from nmops.classroom.settings import ClassSettings

EXAMPLE = Path(__file__).resolve().parents[1] / "docs" / "roster-example.csv"


def run(capsys, *argv):
    with pytest.raises(SystemExit) as stop:
        cli.main(["setup", *argv])
    return stop.value.code, capsys.readouterr().err


def test_a_bad_roster_stops_before_any_account_is_made(tmp_path, capsys, monkeypatch):
    called = []
    monkeypatch.setattr(cli, "setup", lambda *a, **k: called.append(a))
    roster = tmp_path / "roster.csv"
    roster.write_text("id,name\nZhang San,张三\nstu01,李四\nstu01,王五\n", encoding="utf-8")
    code, _ = run(capsys, "--roster", str(roster), "--instructor", "teacher1", "--prefix", str(tmp_path / "c"))
    assert "第 2 行" in str(code) and "第 4 行" in str(code), code
    assert not called and not (tmp_path / "c").exists()


def test_an_instructor_is_required(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(cli, "setup", lambda *a, **k: pytest.fail("setup ran"))
    code, err = run(capsys, "--roster", str(EXAMPLE), "--prefix", str(tmp_path / "c"))
    assert code == 2 and "至少需要一位讲师" in err


def test_a_bad_instructor_name_is_refused(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(cli, "setup", lambda *a, **k: pytest.fail("setup ran"))
    code, err = run(capsys, "--roster", str(EXAMPLE), "--instructor", "Teacher One", "--prefix", str(tmp_path / "c"))
    assert code == 2 and "Teacher One" in err and "大写字母" in err


def test_roster_and_options_reach_the_settings(tmp_path, capsys, monkeypatch):
    seen = {}

    def fake_setup(settings, repo, roster, **kwargs):
        seen.update(settings=settings, repo=repo, roster=roster)
        return tmp_path / "passwords.csv"

    monkeypatch.setattr(cli, "setup", fake_setup)
    cli.main(["setup", "--roster", str(EXAMPLE), "--instructor", "teacher1", "--instructor", "teacher2",
              "--prefix", str(tmp_path / "c"), "--spawner", "systemd", "--mem-limit", "1G", "--port", "8100"])
    s: ClassSettings = seen["settings"]
    assert s.instructors == ["teacher1", "teacher2"]
    assert s.learners == sorted(user for user, _ in seen["roster"]) and "stu01" in s.learners
    assert (s.spawner, s.mem_limit, s.port) == ("systemd", "1G", 8100)
    assert ("stu01", "王小明") in seen["roster"]
    assert "passwd" in capsys.readouterr().out


def test_setup_refuses_without_root(tmp_path, monkeypatch):
    monkeypatch.setattr(provision.os, "geteuid", lambda: 1000)
    with pytest.raises(provision.ClassSetupError, match="root"):
        provision.setup(ClassSettings(prefix=str(tmp_path / "c")), Path("."), [])
    assert not (tmp_path / "c").exists()


def test_a_folder_that_is_not_the_course_repository_is_refused(tmp_path, capsys):
    code, err = run(capsys, "--roster", str(EXAMPLE), "--instructor", "t", "--repo", str(tmp_path))
    assert code == 2 and "不是课程仓库" in err
