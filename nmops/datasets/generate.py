"""Deterministic generator of the sample channel data (示例数据生成器).

Usage::

    nmops-generate-data --seed 871 --out 某个文件夹 [--year 2025]
    python -m nmops.datasets.generate --seed 871 --out 某个文件夹

The same seed and year always give byte-identical files (gzip with a fixed
timestamp, xlsx with fixed metadata), so the files shipped in
``nmops/datasets/data`` can be checked by regenerating them with
:data:`SHIPPED_SEED` and :data:`SHIPPED_YEAR`. Another seed or year gives a
fresh company year with the same planted effects (for the capstone); load it
with ``nmops.datasets.load_posts(data_dir=...)`` and so on.

The generator reads nothing from outside the package: the real Facebook file
is shipped once as package data and is not regenerated.
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import pandas as pd

from nmops._validation import NmopsInputError
from nmops.datasets import _commerce, _content, _experiments, _survey
from nmops.datasets._calendar import MAX_YEAR, MIN_YEAR, build_calendar, check_year
from nmops.datasets._exports_synth import build_exports
from nmops.datasets.dictionary import TABLES

__all__ = ["SHIPPED_SEED", "SHIPPED_YEAR", "DATA_FORMAT_VERSION", "build_tables", "generate", "table_to_csv_gz", "main"]

#: Seed of the shipped data (0871 is Kunming's telephone area code).
SHIPPED_SEED = 871
#: Year of the shipped data.
SHIPPED_YEAR = 2025
#: Bumped whenever the generator changes what it writes.
DATA_FORMAT_VERSION = 2


def _check_seed(seed: int) -> int:
    if not isinstance(seed, int) or isinstance(seed, bool) or seed < 0:
        raise NmopsInputError(
            f"种子 seed 必须是非负整数（收到 {seed!r}）。 / seed must be a non-negative integer (got {seed!r})."
        )
    return seed


def build_tables(seed: int = SHIPPED_SEED, year: int = SHIPPED_YEAR, progress: Callable[[str], None] | None = None):
    """Simulate one year and return ``(tables, exports, manifest)``.

    Parameters
    ----------
    seed : int
        Random seed (非负整数).
    year : int
        Calendar year, 2020–2030.
    progress : callable, optional
        Called with one Chinese line per finished stage.

    Returns
    -------
    tuple
        ``tables`` (name -> DataFrame in dictionary column order),
        ``exports`` (file name -> bytes) and ``manifest`` (dict).
    """
    seed = _check_seed(seed)
    year = check_year(year)
    say = progress or (lambda _msg: None)
    cal = build_calendar(year)
    staff = _content.build_staff(year)
    plan = _content.plan_campaigns(cal)
    say("[1/4] 模拟发文、阅读与粉丝……")
    posts, followers, follower_events, daily_reads, extra = _content.build_posts_and_followers(seed, cal, staff, plan)
    staff = _content.staff_channels_from_posts(staff, posts)
    say(f"      {len(posts):,} 篇内容，{len(follower_events):,} 条关注/取关记录")
    campaigns = _content.build_campaigns(plan, posts, seed, year)
    say("[2/4] 模拟访问、用户与订单……")
    visits, users, participants, orders, order_lines, events, hidden = _commerce.build_traffic(seed, cal, posts, extra, plan)
    say(f"      {len(visits):,} 次访问，{len(users):,} 位用户，{len(orders):,} 笔订单")
    say("[3/4] 模拟调研、标题测试与花费……")
    survey = _survey.build_survey(seed, cal, users, orders, hidden)
    ab_tests = _experiments.build_ab_tests(seed, cal, posts, extra)
    experiments = _experiments.build_experiments(seed, cal)
    spend = _content.build_spend(cal, staff, posts, campaigns)
    collabs = _commerce.build_collabs(posts, visits, orders)
    say("[4/4] 写导出文件……")
    tables = {
        "staff": staff,
        "posts": posts,
        "post_daily_reads": daily_reads,
        "followers_daily": followers,
        "follower_events": follower_events,
        "campaigns": campaigns,
        "participants": participants,
        "visits": visits,
        "users": users,
        "products": _commerce.build_products(),
        "orders": orders,
        "order_lines": order_lines,
        "events": events,
        "survey": survey,
        "ab_tests": ab_tests,
        "experiments": experiments,
        "collabs": collabs,
        "spend": spend,
    }
    tables = {name: df[TABLES[name].column_names] for name, df in tables.items()}
    exports = build_exports(posts, seed, year, tables["orders"], tables["order_lines"], tables["products"])
    manifest = {
        "format_version": DATA_FORMAT_VERSION,
        "seed": seed,
        "year": year,
        "brand": "滇花记",
        "rows": {name: int(len(df)) for name, df in tables.items()},
        "start_followers": extra["start_followers"],
        "exports": sorted(exports),
    }
    return tables, exports, manifest


def table_to_csv_gz(df: pd.DataFrame, name: str) -> bytes:
    """Serialise a table as gzip CSV with a fixed gzip timestamp (deterministic bytes).

    Datetimes are written as ``YYYY-MM-DD HH:MM:SS``, dates as ``YYYY-MM-DD``,
    missing values as empty fields.
    """
    out = df.copy()
    for col in TABLES[name].columns:
        if col.kind == "datetime":
            out[col.name] = out[col.name].dt.strftime("%Y-%m-%d %H:%M:%S")
        elif col.kind == "date":
            out[col.name] = out[col.name].dt.strftime("%Y-%m-%d")
    text = out.to_csv(index=False, lineterminator="\n")
    # GzipFile writes the same header on every Python (gzip.compress does not:
    # from 3.11 it lets zlib write the header, whose OS byte differs from 3.10's).
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, compresslevel=6, mtime=0) as fh:
        fh.write(text.encode("utf-8"))
    return buffer.getvalue()


def generate(
    seed: int = SHIPPED_SEED,
    out: str | Path = ".",
    year: int = SHIPPED_YEAR,
    progress: Callable[[str], None] | None = None,
) -> dict[str, int]:
    """Write every table, the exports and ``manifest.json`` into ``out``.

    Parameters
    ----------
    seed : int
        Random seed.
    out : str or Path
        Output folder; created if missing. Existing files of the same names
        are overwritten; other files are left alone.
    year : int
        Calendar year, 2020–2030.
    progress : callable, optional
        Called with one Chinese line per table written.

    Returns
    -------
    dict
        Table name -> number of rows.
    """
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise NmopsInputError(
            f"输出路径 {out} 已存在且不是文件夹，请换一个文件夹名。 / output path {out} exists and is not a folder."
        )
    say = progress or (lambda _msg: None)
    tables, exports, manifest = build_tables(seed, year, progress=say)
    (out / "exports").mkdir(parents=True, exist_ok=True)
    total = len(tables) + len(exports)
    for k, (name, df) in enumerate(tables.items(), start=1):
        data = table_to_csv_gz(df, name)
        (out / f"{name}.csv.gz").write_bytes(data)
        say(f"[{k:2d}/{total}] {name}: {len(df):,} 行 → {name}.csv.gz（{len(data) / 1024:,.0f} KB）")
    for k, (fname, data) in enumerate(exports.items(), start=len(tables) + 1):
        (out / "exports" / fname).write_bytes(data)
        say(f"[{k:2d}/{total}] 导出文件 exports/{fname}（{len(data) / 1024:,.0f} KB）")
    text = json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    (out / "manifest.json").write_text(text, encoding="utf-8")
    return manifest["rows"]


class _ChineseArgumentParser(argparse.ArgumentParser):
    def error(self, message: str):  # noqa: D102 - argparse hook
        self.print_usage(sys.stderr)
        self.exit(2, f"错误：{message}\n参数不对，请用 --help 查看用法。 / error: {message}\n")


def _seed_arg(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise argparse.ArgumentTypeError(f"--seed 必须是非负整数，收到 {text!r}。 / --seed must be a non-negative integer")
    return value


def _year_arg(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if not MIN_YEAR <= value <= MAX_YEAR:
        raise argparse.ArgumentTypeError(
            f"--year 必须是 {MIN_YEAR}–{MAX_YEAR} 之间的年份，收到 {text!r}。 / --year must be a year from {MIN_YEAR} to {MAX_YEAR}"
        )
    return value


def main(argv: Sequence[str] | None = None) -> int:
    """Command line entry point of ``nmops-generate-data``.

    Returns
    -------
    int
        Exit status: 0 on success, 2 on a bad argument.
    """
    parser = _ChineseArgumentParser(
        prog="nmops-generate-data",
        description="生成“滇花记”一整年的示例渠道数据（同一个种子和年份总是得到完全相同的文件）。",
    )
    parser.add_argument("--seed", type=_seed_arg, default=SHIPPED_SEED, help=f"随机种子，非负整数（默认 {SHIPPED_SEED}，即随包发布的数据）")
    parser.add_argument("--out", required=True, help="输出文件夹（不存在则创建）")
    parser.add_argument("--year", type=_year_arg, default=SHIPPED_YEAR, help=f"年份，{MIN_YEAR}–{MAX_YEAR}（默认 {SHIPPED_YEAR}）")
    args = parser.parse_args(argv)

    def say(msg: str) -> None:
        print(msg, file=sys.stderr, flush=True)

    started = time.perf_counter()
    say(f"生成示例数据：种子 {args.seed}，年份 {args.year}，输出到 {args.out}")
    try:
        rows = generate(args.seed, args.out, args.year, progress=say)
    except NmopsInputError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    say(f"完成：{len(rows)} 张表，用时 {time.perf_counter() - started:.1f} 秒。")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
