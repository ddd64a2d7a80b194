"""Benchmark: cohort retention, DAU/MAU and attribution in nmops vs the same SQL in DuckDB.

Usage::

    python benchmarks/bench_metrics.py                      # 1 million and 10 million rows
    python benchmarks/bench_metrics.py --sizes 1000000      # one size
    python benchmarks/bench_metrics.py --check-size 20000   # size of the agreement check

For each size the script generates synthetic events (retention, DAU/MAU) and
synthetic touches + conversions (attribution) with a fixed seed, then times
each nmops function and the equivalent DuckDB query on the same pandas
frames, and prints:

* wall time (``time.perf_counter``) of nmops and of DuckDB, the median of
  ``--repeat`` runs (the engines alternate), and their ratio (goal: nmops
  ≤ 2× DuckDB at 10 million rows). nmops runs on one core
  (numpy), DuckDB on all the cores it is given (``--threads``, default:
  DuckDB's default, every core);
* peak memory as the growth of the process's resident set size during the
  call: freed heap memory is first returned to the OS (glibc
  ``malloc_trim``), then Linux ``VmHWM`` (peak RSS) is reset through
  ``/proc/self/clear_refs`` before the call and read after it, minus the
  RSS before the call. This
  counts numpy, pandas, pyarrow and DuckDB allocations alike (tracemalloc
  would miss pyarrow's and DuckDB's). Elsewhere a 5 ms RSS sampler (psutil)
  stands in, which can miss short peaks;
* the input frame's size (``DataFrame.memory_usage(deep=True)``) and the
  nmops peak as a multiple of it (goal: ≤ 4×).

Before timing, both engines run on a small generated input
(``--check-size`` rows) and the results are compared cell by cell, so the
timed computations are the same computation. DuckDB is a benchmark-only
dependency (``pip install nmops[bench]``).
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import threading
import time

import numpy as np
import pandas as pd

from nmops.metrics.attribution import attribute_conversions
from nmops.metrics.retention import cohort_retention, stickiness

try:
    import duckdb
except ImportError:  # pragma: no cover
    sys.exit("需要 duckdb：pip install 'nmops[bench]' / this benchmark needs duckdb: pip install 'nmops[bench]'")

START = np.datetime64("2024-01-01T00:00:00", "s")
CHANNELS = np.array(["wechat", "weibo", "xiaohongshu", "douyin", "zhihu", "toutiao", "search", "email"])
CHANNEL_P = np.array([0.25, 0.15, 0.15, 0.15, 0.1, 0.08, 0.08, 0.04])


# --------------------------------------------------------------------------- data


def make_events(n: int, seed: int) -> pd.DataFrame:
    """n events of n/10 users over a year, in time order (as logs arrive).

    A user is born on a uniform day of the year; each of their events falls
    an exponential number of days (mean 20) after birth, capped at the last
    day, at a uniform second of the day.
    """
    rng = np.random.default_rng(seed)
    n_users = max(n // 10, 1)
    birth = rng.integers(0, 365, n_users)
    user = rng.integers(0, n_users, n)
    day = np.minimum(birth[user] + rng.exponential(20.0, n).astype(np.int64), 364)
    sec = day * 86_400 + rng.integers(0, 86_400, n)
    order = np.argsort(sec, kind="stable")
    at = START + sec[order].astype("timedelta64[s]")
    kinds = np.array(["visit", "read", "share", "cart", "order"])
    return pd.DataFrame(
        {
            "user_id": (user[order] + 1_000_000).astype(np.int64),
            "at": pd.to_datetime(at.astype("datetime64[ns]")),
            "event": pd.array(kinds[rng.integers(0, 5, n)], dtype="str"),
        }
    )


def make_journeys(n: int, seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """n touches of n/10 users, and n/20 conversions (with a value), in time order."""
    rng = np.random.default_rng(seed + 1)
    n_users = max(n // 10, 1)
    birth = rng.integers(0, 335, n_users)
    user = rng.integers(0, n_users, n)
    sec = (birth[user] + rng.exponential(15.0, n)) * 86_400
    sec = sec.astype(np.int64) % (365 * 86_400)  # wrap, not cap: a cap would pile ties on one second
    order = np.argsort(sec, kind="stable")
    touches = pd.DataFrame(
        {
            "user_id": (user[order] + 1_000_000).astype(np.int64),
            "at": pd.to_datetime((START + sec[order].astype("timedelta64[s]")).astype("datetime64[ns]")),
            "channel": pd.array(CHANNELS[rng.choice(len(CHANNELS), n, p=CHANNEL_P)], dtype="str"),
        }
    )
    m = max(n // 20, 1)
    cu = rng.integers(0, n_users, m)
    csec = ((birth[cu] + rng.exponential(20.0, m)) * 86_400).astype(np.int64) % (365 * 86_400)
    corder = np.argsort(csec, kind="stable")
    conversions = pd.DataFrame(
        {
            "user_id": (cu[corder] + 1_000_000).astype(np.int64),
            "at": pd.to_datetime((START + csec[corder].astype("timedelta64[s]")).astype("datetime64[ns]")),
            "value": np.round(rng.lognormal(4.5, 0.8, m), 2),
        }
    )
    return touches, conversions


# --------------------------------------------------------------------------- the two engines


def nm_cohort(events):
    return cohort_retention(events, cohort_freq="week", counts=True)


def nm_dau_mau(events):
    return stickiness(events, window="calendar_month")


def nm_trailing(events):
    return stickiness(events, window="trailing", window_days=30)


def nm_last_touch(touches, conversions):
    return attribute_conversions(touches, conversions, model="last_touch", value="value")


def nm_time_decay(touches, conversions):
    return attribute_conversions(touches, conversions, model="time_decay", value="value")


SQL_COHORT = """
WITH w AS (SELECT DISTINCT user_id, CAST(date_trunc('week', CAST("at" AS DATE)) AS DATE) AS wk FROM events),
     f AS (SELECT user_id, min(wk) AS cohort FROM w GROUP BY user_id)
SELECT f.cohort, (w.wk - f.cohort) // 7 AS "offset", count(*) AS users
FROM w JOIN f USING (user_id) GROUP BY ALL
"""

SQL_DAU_MAU = """
WITH ud AS (SELECT DISTINCT user_id, CAST("at" AS DATE) AS d FROM events),
     dau AS (SELECT d, count(*) AS n FROM ud GROUP BY d),
     days AS (SELECT CAST(generate_series AS DATE) AS d
              FROM generate_series((SELECT min(d) FROM ud), (SELECT max(d) FROM ud), INTERVAL 1 DAY)),
     m AS (SELECT date_trunc('month', days.d) AS month, count(*) AS days, avg(coalesce(dau.n, 0)) AS avg_dau
           FROM days LEFT JOIN dau USING (d) GROUP BY 1),
     mau AS (SELECT date_trunc('month', d) AS month, count(DISTINCT user_id) AS mau FROM ud GROUP BY 1)
SELECT month, days, avg_dau, mau, avg_dau / mau AS stickiness FROM m JOIN mau USING (month) ORDER BY month
"""

# Trailing 30-day MAU with the same algorithm as nmops: each (user, day) covers
# the next 30 days, starting where the user's previous active day stops covering.
SQL_TRAILING = """
WITH ud AS (SELECT DISTINCT user_id, CAST("at" AS DATE) AS d FROM events),
     lo AS (SELECT min(d) AS lo, max(d) AS hi FROM ud),
     cover AS (SELECT greatest(d, lag(d) OVER (PARTITION BY user_id ORDER BY d) + 30) AS s, d + 30 AS e FROM ud),
     delta AS (SELECT s AS d, 1 AS x FROM cover UNION ALL SELECT e AS d, -1 AS x FROM cover),
     days AS (SELECT CAST(generate_series AS DATE) AS d
              FROM generate_series((SELECT lo FROM lo), (SELECT hi FROM lo), INTERVAL 1 DAY)),
     dd AS (SELECT d, sum(x) AS x FROM delta GROUP BY d),
     dau AS (SELECT d, count(*) AS n FROM ud GROUP BY d),
     series AS (SELECT days.d,
                       sum(coalesce(dd.x, 0)) OVER (ORDER BY days.d) AS mau,
                       avg(coalesce(dau.n, 0)) OVER (ORDER BY days.d ROWS BETWEEN 29 PRECEDING AND CURRENT ROW) AS avg_dau
                FROM days LEFT JOIN dd USING (d) LEFT JOIN dau USING (d))
SELECT d AS date, 30 AS days, avg_dau, mau, avg_dau / mau AS stickiness FROM series
WHERE d >= (SELECT lo FROM lo) + 29 ORDER BY d
"""

SQL_JOURNEYS = """
WITH c AS (SELECT row_number() OVER () AS cid, user_id, "at" AS cat, value FROM conversions),
     j AS (SELECT c.cid, c.value, t.channel, t."at" AS tat, c.cat
           FROM c JOIN touches t
             ON t.user_id = c.user_id AND t."at" <= c.cat AND t."at" >= c.cat - INTERVAL 30 DAY)
"""

SQL_LAST_TOUCH = SQL_JOURNEYS + """
SELECT channel, sum(value) AS credit FROM (
    SELECT cid, any_value(value) AS value, arg_max(channel, tat) AS channel FROM j GROUP BY cid)
GROUP BY channel
UNION ALL
SELECT '(direct)', coalesce(sum(value), 0) FROM c WHERE cid NOT IN (SELECT cid FROM j)
"""

SQL_TIME_DECAY = SQL_JOURNEYS + """,
     w AS (SELECT cid, value, channel, pow(2.0, -epoch(cat - tat) / 604800.0) AS w FROM j)
SELECT channel, sum(value * w / total) AS credit
FROM (SELECT *, sum(w) OVER (PARTITION BY cid) AS total FROM w)
GROUP BY channel
UNION ALL
SELECT '(direct)', coalesce(sum(value), 0) FROM c WHERE cid NOT IN (SELECT cid FROM j)
"""


def dk_query(con, sql):
    def run(**frames):
        for name, df in frames.items():
            con.register(name, df)
        try:
            return con.execute(sql).df()
        finally:
            for name in frames:
                con.unregister(name)

    return run


# --------------------------------------------------------------------------- agreement


def _credits(df: pd.DataFrame) -> pd.Series:
    return df.groupby("channel")["credit"].sum()


def check_agreement(con, size: int, seed: int) -> None:
    """Run both engines on a small input and compare every number."""
    events = make_events(size, seed)
    touches, conversions = make_journeys(size, seed)

    got = nm_cohort(events)
    ref = dk_query(con, SQL_COHORT)(events=events)
    ref["cohort"] = pd.to_datetime(ref["cohort"]).dt.to_period("W-SUN")
    ref = ref.pivot(index="cohort", columns="offset", values="users")
    got_cells = got.stack().dropna().astype(np.int64)
    ref_cells = ref.stack().dropna().astype(np.int64)
    got_cells = got_cells[got_cells > 0]
    got_cells.index.names = ref_cells.index.names
    pd.testing.assert_series_equal(got_cells.sort_index(), ref_cells.sort_index(), check_names=False)

    got = nm_dau_mau(events)
    ref = dk_query(con, SQL_DAU_MAU)(events=events)
    np.testing.assert_array_equal(got["days"].to_numpy(), ref["days"].to_numpy())
    np.testing.assert_array_equal(got["mau"].to_numpy(), ref["mau"].to_numpy())
    np.testing.assert_allclose(got["stickiness"].to_numpy(), ref["stickiness"].to_numpy(), rtol=1e-12)

    got = nm_trailing(events)
    ref = dk_query(con, SQL_TRAILING)(events=events)
    assert len(got) == len(ref), (len(got), len(ref))
    np.testing.assert_array_equal(got["mau"].to_numpy(), ref["mau"].to_numpy())
    np.testing.assert_allclose(got["stickiness"].to_numpy(), ref["stickiness"].to_numpy(), rtol=1e-12)

    for nm, sql in ((nm_last_touch, SQL_LAST_TOUCH), (nm_time_decay, SQL_TIME_DECAY)):
        got = nm(touches, conversions)
        got = got[got > 0]
        ref = _credits(dk_query(con, sql)(touches=touches, conversions=conversions))
        ref = ref[ref > 0]
        pd.testing.assert_series_equal(got.sort_index(), ref.sort_index(), check_names=False, rtol=1e-9)
        assert abs(got.sum() - conversions["value"].sum()) < 1e-6 * conversions["value"].sum()
    print(f"agreement check on {size:,} rows: nmops and DuckDB give the same cohorts, DAU/MAU and credits ✓", flush=True)


# --------------------------------------------------------------------------- measuring


def _rss_kb(field: str) -> int | None:
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def _reset_peak() -> bool:
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


class _Sampler:
    """Fallback peak-RSS sampler (psutil, every 5 ms) where /proc/self/clear_refs is unavailable."""

    def __init__(self):
        import psutil

        self.proc = psutil.Process()
        self.peak = self.proc.memory_info().rss
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        while not self.stop.is_set():
            self.peak = max(self.peak, self.proc.memory_info().rss)
            time.sleep(0.005)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join()


def _trim() -> None:
    """Give freed heap memory back to the OS (glibc), so RSS growth is not hidden by reused free lists."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


def measure(fn, *args, **kwargs):
    """(result, seconds, peak RSS growth in bytes) of one call."""
    gc.collect()
    _trim()
    before = _rss_kb("VmRSS")
    if before is not None and _reset_peak():
        t0 = time.perf_counter()
        out = fn(*args, **kwargs)
        secs = time.perf_counter() - t0
        peak = (_rss_kb("VmHWM") - before) * 1024
    else:
        with _Sampler() as s:
            base = s.proc.memory_info().rss
            t0 = time.perf_counter()
            out = fn(*args, **kwargs)
            secs = time.perf_counter() - t0
        peak = s.peak - base
    return out, secs, max(peak, 0)


def frame_bytes(*frames: pd.DataFrame) -> int:
    return int(sum(f.memory_usage(deep=True, index=True).sum() for f in frames))


def mb(x: float) -> str:
    return f"{x / 2**20:,.0f} MB"


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--sizes", type=int, nargs="+", default=[1_000_000, 10_000_000], help="rows of events and of touches")
    p.add_argument("--check-size", type=int, default=20_000, help="rows for the nmops-vs-DuckDB agreement check (0: skip)")
    p.add_argument("--seed", type=int, default=20240601)
    p.add_argument("--threads", type=int, default=None, help="DuckDB threads (default: DuckDB's default, all cores)")
    p.add_argument("--repeat", type=int, default=3, help="runs per engine and computation; the median time is reported")
    args = p.parse_args(argv)

    con = duckdb.connect()
    if args.threads:
        con.execute(f"SET threads = {args.threads}")
    threads = con.execute("SELECT current_setting('threads')").fetchall()[0][0]
    mem_method = "peak RSS (VmHWM reset via /proc/self/clear_refs)" if _reset_peak() else "psutil RSS sampled every 5 ms"
    print(f"nmops vs DuckDB {duckdb.__version__} ({threads} threads); pandas {pd.__version__}, numpy {np.__version__}; "
          f"{os.cpu_count()} CPUs; memory = {mem_method} growth during the call", flush=True)
    if hasattr(os, "getloadavg"):
        print(f"load average before the run: {os.getloadavg()[0]:.2f} (other processes on the machine slow both engines)", flush=True)
    print(f"times: median of {args.repeat} runs per engine; memory: the largest of those runs", flush=True)
    if args.check_size:
        check_agreement(con, args.check_size, args.seed)

    rows = []
    for n in args.sizes:
        t0 = time.perf_counter()
        print(f"\n== {n:,} rows: generating data ...", flush=True)
        events = make_events(n, args.seed)
        touches, conversions = make_journeys(n, args.seed)
        ev_bytes = frame_bytes(events)
        at_bytes = frame_bytes(touches, conversions)
        print(f"   events {len(events):,} rows ({mb(ev_bytes)}); touches {len(touches):,} + conversions "
              f"{len(conversions):,} rows ({mb(at_bytes)}); generated in {time.perf_counter() - t0:.1f} s", flush=True)
        cases = [
            ("cohort retention (weekly)", nm_cohort, SQL_COHORT, {"events": events}, ev_bytes),
            ("DAU/MAU (calendar month)", nm_dau_mau, SQL_DAU_MAU, {"events": events}, ev_bytes),
            ("DAU/MAU (trailing 30 days)", nm_trailing, SQL_TRAILING, {"events": events}, ev_bytes),
            ("attribution (last touch)", nm_last_touch, SQL_LAST_TOUCH, {"touches": touches, "conversions": conversions}, at_bytes),
            ("attribution (time decay)", nm_time_decay, SQL_TIME_DECAY, {"touches": touches, "conversions": conversions}, at_bytes),
        ]
        for name, nm, sql, frames, in_bytes in cases:
            print(f"   {name}:", end="", flush=True)
            nm_runs, dk_runs = [], []
            for _ in range(args.repeat):  # alternate the engines, so background load hits both alike
                _, secs, mem = measure(nm, *frames.values())
                nm_runs.append((secs, mem))
                print(f" nmops {secs:.2f} s,", end="", flush=True)
                _, secs, mem = measure(dk_query(con, sql), **frames)
                dk_runs.append((secs, mem))
                print(f" DuckDB {secs:.2f} s;", end="", flush=True)
            print(flush=True)
            nm_s = float(np.median([r[0] for r in nm_runs]))
            dk_s = float(np.median([r[0] for r in dk_runs]))
            nm_mem = max(r[1] for r in nm_runs)
            dk_mem = max(r[1] for r in dk_runs)
            rows.append({
                "rows": n, "computation": name, "nmops_s": nm_s, "duckdb_s": dk_s, "time_ratio": nm_s / dk_s,
                "input_MB": in_bytes / 2**20, "nmops_peak_MB": nm_mem / 2**20, "duckdb_peak_MB": dk_mem / 2**20,
                "nmops_peak_x_input": nm_mem / in_bytes,
            })
        del events, touches, conversions
        gc.collect()

    table = pd.DataFrame(rows)
    with pd.option_context("display.width", 200, "display.max_columns", 20, "display.float_format", "{:,.2f}".format):
        print("\n" + table.to_string(index=False))
    big = table[table["rows"] == table["rows"].max()]
    ok_t = bool((big["time_ratio"] <= 2).all())
    ok_m = bool((big["nmops_peak_x_input"] <= 4).all())
    print(f"\ngoal at {int(big['rows'].iloc[0]):,} rows: time ≤ 2× DuckDB: {'met' if ok_t else 'MISSED'}; "
          f"peak memory ≤ 4× input: {'met' if ok_m else 'MISSED'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
