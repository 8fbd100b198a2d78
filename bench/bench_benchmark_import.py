"""Time importing DfE's requests.csv against plain pandas.read_csv on the same file (best of 5).

Target (issue 6): the import takes at most 3x what pandas.read_csv takes, measured in the same run.

    .venv/bin/python bench/bench_benchmark_import.py [PATH]

PATH defaults to the real requests.csv (EHCP 2025 release, about 13,000 rows) in tests/fixtures/files/dfe/.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from inspect_app.importers.benchmarks import read_benchmarks  # noqa: E402

DEFAULT_FILE = ROOT / "tests" / "fixtures" / "files" / "dfe" / "ehcp-2025" / "requests.csv"
TARGET_RATIO = 3.0


def best_of(runs: int, *works: Callable[[], object]) -> list[float]:
    """Return the fastest of `runs` timings of each work, in seconds.

    The works take turns within each run, so a burst of load on a shared machine slows both sides of the
    ratio rather than one.
    """
    best = [float("inf")] * len(works)
    for _ in range(runs):
        for position, work in enumerate(works):
            started = time.perf_counter()
            work()
            best[position] = min(best[position], time.perf_counter() - started)
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", type=Path, default=DEFAULT_FILE)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    result = read_benchmarks(args.path, release="2025")  # warm up imports and caches, and check the file
    if not result.ok:
        print(f"{args.path} did not import: {result.errors[0]}", file=sys.stderr)
        return 1
    rows = len(pd.read_csv(args.path))
    baseline, imported = best_of(
        args.runs, lambda: pd.read_csv(args.path), lambda: read_benchmarks(args.path, release="2025")
    )
    ratio = imported / baseline
    print(f"file: {args.path.relative_to(ROOT) if args.path.is_relative_to(ROOT) else args.path} ({rows} rows)")
    print(f"figures: {len(result.rows)}, areas: {len(result.areas)}")
    print(f"pandas.read_csv: {baseline:.4f} s (best of {args.runs})")
    print(f"read_benchmarks: {imported:.4f} s (best of {args.runs})")
    print(f"ratio: {ratio:.2f} (target <= {TARGET_RATIO:.0f})")
    return 0 if ratio <= TARGET_RATIO else 2


if __name__ == "__main__":
    sys.exit(main())
