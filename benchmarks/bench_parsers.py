"""Benchmark: parse_utm and parse_excel_date, element by element ("before") vs vectorised ("after").

Usage::

    python benchmarks/bench_parsers.py             # 100 000 dates per kind, the 177 171 visit URLs
    python benchmarks/bench_parsers.py --n 20000   # fewer dates

"Before" is the per-value approach nmops used until issue 9, kept here only
to measure it: ``urllib.parse.urlsplit`` + ``parse_qsl`` for every URL, and
one regular-expression match and one ``pandas.Timestamp`` per date. "After"
is the shipped code: :func:`nmops.metrics.parse_utm` parses each distinct URL
once (``pandas.factorize``), :func:`nmops.exports.parse_excel_date` converts
Excel serials with numpy and date text with pandas' C parser. Both results
are compared value by value before timing. Figures are the median of
``--repeat`` runs (``time.perf_counter``).

Measured with the old library code itself on the development machine
(2 shared cores, 2026-12-04): parse_utm 0.86-0.98 s for the visit URLs;
parse_excel_date 14.6 µs per Excel serial, 8.5 µs per date string.
"""

from __future__ import annotations

import argparse
import re
import statistics
import time
from urllib.parse import parse_qsl, urlsplit

import numpy as np
import pandas as pd

from nmops.datasets import load_visits
from nmops.exports import parse_excel_date
from nmops.metrics import UTM_FIELDS, parse_utm

# --------------------------------------------------------------------------- before (per value)


def utm_per_url(urls: pd.Series) -> pd.DataFrame:
    rows = []
    for url in urls:
        found: dict = {}
        if isinstance(url, str):
            for key, value in parse_qsl(urlsplit(url.strip()).query, keep_blank_values=True):
                if key in UTM_FIELDS and key not in found and value != "":
                    found[key] = value
        rows.append(found)
    return pd.DataFrame({f: pd.Series([r.get(f, np.nan) for r in rows], index=urls.index, dtype=str) for f in UTM_FIELDS})


_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?(?:[\sT]*(\d{1,2})\s*[:时点]\s*(\d{1,2})\s*(?:[:分]\s*(\d{1,2})\s*秒?|分)?)?")


def dates_per_value(values: pd.Series) -> pd.Series:
    out = []
    for value in values:
        if isinstance(value, str):
            y, mo, d, h, mi, s = (int(g) if g else 0 for g in _DATE.fullmatch(value.strip()).groups())
            out.append(pd.Timestamp(y, mo, d, h, mi, s))
        else:
            out.append((pd.Timestamp("1899-12-30") + pd.Timedelta(days=float(value))).round("ms"))
    return pd.Series(pd.to_datetime(pd.Series(out, dtype=object)).astype("datetime64[ns]").to_numpy(), index=values.index)


# --------------------------------------------------------------------------- measuring


def median_seconds(func, arg, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func(arg)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000, help="dates per kind")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)

    rng = np.random.default_rng(0)
    moments = pd.Series(pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 10**8, args.n), unit="s"))
    cases = [
        ("parse_utm, visit URLs", load_visits()["url"], utm_per_url, parse_utm, "URL"),
        ("parse_excel_date, Excel serials", pd.Series(45000 + np.round(rng.random(args.n) * 1000, 6)),
         dates_per_value, parse_excel_date, "value"),
        ("parse_excel_date, '2024-05-06 10:30:00'", moments.dt.strftime("%Y-%m-%d %H:%M:%S").astype(object),
         dates_per_value, parse_excel_date, "value"),
        ("parse_excel_date, '2024年05月06日 10时30分'", moments.dt.strftime("%Y年%m月%d日 %H时%M分").astype(object),
         dates_per_value, parse_excel_date, "value"),
    ]
    print(f"{'case':44} {'rows':>8} {'before':>10} {'after':>10} {'speed-up':>9}  per {'':5} before / after")
    for name, values, before, after, unit in cases:
        expected, got = before(values), after(values)
        if isinstance(got, pd.DataFrame):
            pd.testing.assert_frame_equal(got, expected)
        else:
            pd.testing.assert_series_equal(got, expected, check_names=False)
        t0, t1 = median_seconds(before, values, args.repeat), median_seconds(after, values, args.repeat)
        n = len(values)
        print(f"{name:44} {n:>8} {t0:>9.3f}s {t1:>9.3f}s {t0 / t1:>8.1f}x  {unit:5} {t0 / n * 1e6:6.2f} / {t1 / n * 1e6:.2f} µs")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
