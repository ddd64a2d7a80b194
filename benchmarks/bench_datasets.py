"""Benchmark of the sample data (示例数据基准): load time of every table and shipped size.

Run: ``python benchmarks/bench_datasets.py [--repeat 5] [--generate]``.
Prints the best of ``--repeat`` load times per table (budget: every table
together under 2 s), the size of every shipped file (budget: 25 MB in all)
and, with ``--generate``, how long the generator takes to write a fresh year
(budget: 30 s).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from importlib import resources
from pathlib import Path

import nmops.datasets as ds
from nmops.datasets.generate import generate

LOAD_BUDGET_S = 2.0  # all tables together
SIZE_BUDGET_B = 25 * 1024 * 1024
GENERATE_BUDGET_S = 30.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="load each table this many times, keep the best")
    parser.add_argument("--generate", action="store_true", help="also time the generator")
    args = parser.parse_args()

    print(f"{'table':<18}{'rows':>10}{'best load (s)':>16}")
    together = 0.0
    loaders = {name: getattr(ds, f"load_{name}") for name in ds.TABLE_NAMES}
    loaders["facebook_metrics"] = ds.load_facebook_metrics
    for name, load in loaders.items():
        times = []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            df = load()
            times.append(time.perf_counter() - t0)
        best = min(times)
        together += best
        print(f"{name:<18}{len(df):>10,}{best:>16.3f}")

    root = Path(str(resources.files("nmops.datasets").joinpath("data")))
    files = sorted(p for p in root.rglob("*") if p.is_file())
    total = sum(p.stat().st_size for p in files)
    print()
    print(f"{'shipped file':<44}{'KB':>10}")
    for p in files:
        print(f"{p.relative_to(root).as_posix():<44}{p.stat().st_size / 1024:>10,.1f}")
    print(f"{'total':<44}{total / 1024:>10,.1f}  ({total / 1024 / 1024:.2f} MB of {SIZE_BUDGET_B / 1024 / 1024:.0f} MB)")
    print(f"all tables together: {together:.3f} s (budget {LOAD_BUDGET_S:.1f} s)")
    ok = together <= LOAD_BUDGET_S and total <= SIZE_BUDGET_B

    if args.generate:
        with tempfile.TemporaryDirectory() as tmp:
            t0 = time.perf_counter()
            generate(out=tmp)
            took = time.perf_counter() - t0
            print(f"generator (shipped seed, one year): {took:.1f} s (budget {GENERATE_BUDGET_S:.0f} s)")
            ok = ok and took <= GENERATE_BUDGET_S
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
