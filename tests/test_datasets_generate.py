"""The generator reproduces the shipped files exactly and refuses bad arguments in Chinese."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from nmops import NmopsInputError
from nmops.datasets import TABLE_NAMES
from nmops.datasets.generate import SHIPPED_SEED, SHIPPED_YEAR, build_tables, generate, main

DATA = Path(__file__).resolve().parents[1] / "nmops" / "datasets" / "data"
NOT_GENERATED = {"facebook_metrics.csv", "facebook_metrics_LICENSE.txt"}


def test_regenerating_with_the_shipped_seed_gives_identical_files(tmp_path):
    out = tmp_path / "data"
    proc = subprocess.run(
        [sys.executable, "-m", "nmops.datasets.generate", "--seed", str(SHIPPED_SEED), "--year", str(SHIPPED_YEAR), "--out", str(out)],
        capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    shipped = {p.relative_to(DATA).as_posix() for p in DATA.rglob("*") if p.is_file() and p.name not in NOT_GENERATED}
    made = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
    assert made == shipped
    different = [name for name in sorted(made) if (out / name).read_bytes() != (DATA / name).read_bytes()]
    assert different == [], f"与随包数据不一致：{different}；请运行 nmops-generate-data --out nmops/datasets/data"
    # progress: one line per table on stderr
    for name in TABLE_NAMES:
        assert sum(f"] {name}:" in line for line in proc.stderr.splitlines()) == 1, name
    assert proc.stdout == ""


@pytest.mark.parametrize(
    "argv, message",
    [
        (["--year", "1999"], "--year 必须是 2020–2030 之间的年份"),
        (["--year", "二〇二五"], "--year 必须是"),
        (["--seed", "-5"], "--seed 必须是非负整数"),
        (["--seed", "abc"], "--seed 必须是非负整数"),
        ([], "错误"),
    ],
)
def test_bad_arguments_are_refused_in_chinese(argv, message, capsys, tmp_path):
    if argv:
        argv = argv + ["--out", str(tmp_path / "x")]
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert message in err
    assert not (tmp_path / "x").exists()


def test_out_must_be_a_folder(tmp_path, capsys):
    f = tmp_path / "file.txt"
    f.write_text("x")
    assert main(["--out", str(f)]) == 2
    assert "不是文件夹" in capsys.readouterr().err


def test_api_refuses_bad_seed_and_year(tmp_path):
    with pytest.raises(NmopsInputError, match="seed"):
        build_tables(seed=-1)
    with pytest.raises(NmopsInputError, match="年份必须是 2020–2030"):
        build_tables(seed=1, year=2019)
    with pytest.raises(NmopsInputError, match="不是文件夹"):
        (tmp_path / "f").write_text("")
        generate(1, tmp_path / "f")
