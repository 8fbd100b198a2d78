"""Time importing DfE's requests.csv against plain pandas.read_csv on the same file (best of N, interleaved).

Target (issue 6): the import takes at most 3x what pandas.read_csv takes, measured in the same run. Three
things are timed in turn on every run, so a burst of load on a shared machine hits them all:

- `pandas.read_csv(path)`: the baseline;
- `read_benchmarks(path)`: reading and validating the file (no database);
- the full import, `import_benchmark_file` + commit: read the file, validate it, store the areas, the
  crosswalk, the release and every figure, write the audit event and commit, into a real database: a new
  SQLite file, or the PostgreSQL database named by DATABASE_URL (its tables are emptied first: use a
  database of your own, never one with data you need).

    .venv/bin/python bench/bench_benchmark_import.py [PATH] [--runs N]
    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/DB .venv/bin/python bench/bench_benchmark_import.py

PATH defaults to the real requests.csv (EHCP 2025 release, about 13,000 rows) in tests/fixtures/files/dfe/.
Each timed import stores a new release (labels bench-1, bench-2, …), which is then deleted outside the timing,
so every run does the same work: the path a newly published release takes.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from inspect_app.importers.benchmarks import read_benchmarks  # noqa: E402

DEFAULT_FILE = ROOT / "tests" / "fixtures" / "files" / "dfe" / "ehcp-2025" / "requests.csv"
TARGET_RATIO = 3.0
WHEN = datetime(2026, 11, 27, 12, 0)


def best_of(runs: int, *works: Callable[[], object]) -> list[float]:
    """Return the fastest of `runs` timings of each work, in seconds.

    The works take turns within each run, so a burst of load on a shared machine slows every side of the
    ratio rather than one.
    """
    best = [float("inf")] * len(works)
    for _ in range(runs):
        for position, work in enumerate(works):
            started = time.perf_counter()
            work()
            best[position] = min(best[position], time.perf_counter() - started)
    return best


class DatabaseImport:
    """The full import into a real database, one new release per call, removed again outside the timing."""

    def __init__(self, path: Path) -> None:
        os.environ.setdefault("INSPECT_APP_INSTANCE", tempfile.mkdtemp(prefix="inspect-app-bench-"))
        os.environ["INSPECT_APP_ENV"] = "test"
        from flask_migrate import upgrade

        from inspect_app import create_app
        from inspect_app.config import TestingConfig
        from inspect_app.extensions import db

        self.data = path.read_bytes()
        self.name = path.name
        self.app = create_app(TestingConfig())
        self.context = self.app.app_context()
        self.context.push()
        self.db = db
        self.engine_name = db.engine.dialect.name
        if self.engine_name == "postgresql":
            from sqlalchemy import text

            with db.engine.begin() as connection:
                connection.execute(text("DROP SCHEMA public CASCADE"))
                connection.execute(text("CREATE SCHEMA public"))
        upgrade()
        self.calls = 0

    def run(self) -> None:
        from inspect_app.services import audit, benchmark_imports

        self.calls += 1
        self.outcome = benchmark_imports.import_benchmark_file(
            self.db.session, audit.SYSTEM, self.data, file_name=self.name, release=f"bench-{self.calls}", when=WHEN
        )
        self.db.session.commit()

    def tidy(self) -> None:
        """Delete the release just stored (untimed), so the next run stores a new one into the same tables."""
        from sqlalchemy import delete

        from inspect_app.models import BenchmarkRelease, PublishedFigure

        self.db.session.execute(delete(PublishedFigure))
        self.db.session.execute(delete(BenchmarkRelease))
        self.db.session.commit()
        if self.engine_name == "postgresql":
            # Clear the deleted rows away as autovacuum would between two releases, months apart: otherwise
            # every run inserts into an index bloated by the runs before it.
            from sqlalchemy import text

            with self.db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                connection.execute(text("VACUUM published_figures, releases"))

    def close(self) -> None:
        self.db.session.remove()
        self.db.engine.dispose()
        self.context.pop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", type=Path, default=DEFAULT_FILE)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()

    result = read_benchmarks(args.path, release="2025")  # warm up imports and caches, and check the file
    if not result.ok:
        print(f"{args.path} did not import: {result.errors[0]}", file=sys.stderr)
        return 1
    rows = len(pd.read_csv(args.path))
    database = DatabaseImport(args.path)
    database.run()  # warm up the app, the connection and the statement caches
    database.tidy()

    def full_import() -> None:
        database.run()

    def baseline() -> None:
        pd.read_csv(args.path)

    def read_only() -> None:
        read_benchmarks(args.path, release="2025")

    timings = []
    for _ in range(args.runs):
        timings.append(best_of(1, baseline, read_only, full_import))
        database.tidy()
    best = [min(column) for column in zip(*timings, strict=True)]
    read_csv, read, imported = best
    stored = database.outcome.figures
    database.close()

    shown = args.path.relative_to(ROOT) if args.path.is_relative_to(ROOT) else args.path
    print(f"file: {shown} ({rows} rows); figures stored per import: {stored}, areas: {len(result.areas)}")
    print(f"database: {database.engine_name}")
    print(f"pandas.read_csv:                 {read_csv:.4f} s (best of {args.runs})")
    print(f"read_benchmarks (no database):   {read:.4f} s  ratio {read / read_csv:.2f}")
    ratio = imported / read_csv
    print(f"full import into the database:   {imported:.4f} s  ratio {ratio:.2f} (target <= {TARGET_RATIO:.0f})")
    return 0 if ratio <= TARGET_RATIO else 2


if __name__ == "__main__":
    sys.exit(main())
