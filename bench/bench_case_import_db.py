"""Time the whole case import into the database (read, check, compare, write, commit) against pandas.read_csv.

    .venv/bin/python bench/bench_case_import_db.py [--rows 200000] [--seed 7] [--repeat 3] \
        [--database-url postgresql+psycopg://postgres@127.0.0.1:5432/DBNAME]

The database named by --database-url is EMPTIED (its schema is dropped and rebuilt by the migrations); without
it a new SQLite file in a temporary folder is used. The case file is bench/generate_cases.py's (the same file
bench/bench_case_import.py times), written into bench/out/ (not committed), and a review file with a review
meeting about once a year after each plan is written beside it.

Timed, each `--repeat` times, taking turns so that load on a shared machine hits every side alike, best time
kept:

- baseline: `pandas.read_csv(path)` with its defaults, in the same run;
- first import: `case_imports.import_file` of the whole file into a partnership with no cases (every row
  added), then COMMIT, starting from the path (the file's bytes are read inside the timing);
- re-import: the same file again (every row compared and unchanged), then COMMIT;
- newer extract: a file in which one case in ten has changed (a decision or plan date filled in), then COMMIT.

Then, in fresh processes: the peak memory (VmHWM) of a first import of the file into an empty partnership,
and the time to load the 200,000 cases and their reviews from the database and compute every measure for every
calendar year (and the 24 rolling 12-month periods), which is what the dashboard does when its cache is cold.
Targets (issue 5): import at most 3x pandas.read_csv; peak memory under 1 GB; measures under 2 seconds.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import pandas as pd  # noqa: E402

from bench.bench_case_import import case_file, load_average  # noqa: E402
from bench.generate_cases import COLUMNS  # noqa: E402

TODAY = date(2026, 1, 1)
NOW = datetime(2026, 1, 1, 9, 0)
RATIO_TARGET = 3.0
MEMORY_TARGET_MB = 1024
MEASURES_TARGET_SECONDS = 2.0


def review_file(cases_path: Path, seed: int) -> Path:
    """Write a review file for the plans in the case file (a meeting about once a year after each plan)."""
    path = cases_path.with_name(cases_path.stem + "_reviews.csv")
    if path.exists():
        return path
    rng = random.Random(seed)
    with cases_path.open(newline="", encoding="utf-8") as source, path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["case_ref", "meeting_date", "decision_date", "outcome"])
        for row in csv.DictReader(source):
            if not row["final_plan_date"]:
                continue
            conclusion = datetime.strptime(row["final_plan_date"], "%d/%m/%Y").date()
            while True:
                meeting = conclusion + timedelta(days=int(rng.triangular(280, 430, 350)))
                if meeting >= TODAY:
                    break
                decided = meeting + timedelta(days=int(rng.triangular(3, 60, 20)))
                outcome = "cease" if rng.random() < 0.05 else rng.choice(("maintain", "amend"))
                shown = decided if decided < TODAY else None
                writer.writerow(
                    [row["case_ref"], f"{meeting:%d/%m/%Y}", f"{shown:%d/%m/%Y}" if shown else "", outcome]
                )
                if outcome == "cease":
                    break
                conclusion = shown or meeting
    return path


def newer_extract(cases_path: Path, seed: int) -> Path:
    """Write the case file with one case in ten changed, as a later extract of the same system would be."""
    path = cases_path.with_name(cases_path.stem + "_newer.csv")
    if path.exists():
        return path
    rng = random.Random(seed + 1)
    with cases_path.open(newline="", encoding="utf-8") as source, path.open("w", newline="", encoding="utf-8") as out:
        reader = csv.reader(source)
        writer = csv.writer(out)
        writer.writerow(next(reader))
        setting = COLUMNS.index("setting")
        for row in reader:
            if rng.random() < 0.1:
                row[setting] = "Moved to Linden Special School"
            writer.writerow(row)
    return path


def make_app(url: str):  # type: ignore[no-untyped-def]
    """The app on the bench database, schema rebuilt from the migrations."""
    os.environ["INSPECT_APP_ENV"] = "test"
    os.environ.setdefault("INSPECT_APP_INSTANCE", tempfile.mkdtemp(prefix="bench-instance-"))
    os.environ["DATABASE_URL"] = url
    from flask_migrate import upgrade
    from sqlalchemy import MetaData, text

    from inspect_app import create_app
    from inspect_app.config import TestingConfig
    from inspect_app.extensions import db

    app = create_app(TestingConfig())
    with app.app_context():
        with db.engine.begin() as connection:
            if db.engine.dialect.name == "postgresql":
                connection.execute(text("DROP SCHEMA public CASCADE"))
                connection.execute(text("CREATE SCHEMA public"))
            else:
                metadata = MetaData()
                metadata.reflect(connection)
                metadata.drop_all(connection)
                connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
        upgrade()
    return app


def new_partnership(session, number: int) -> int:  # type: ignore[no-untyped-def]
    from inspect_app.models import Partnership

    partnership = Partnership(slug=f"bench-{number}", name=f"Bench {number}", la_code="805", created_at=NOW)
    session.add(partnership)
    session.commit()
    return partnership.id


def timed_import(session, partnership_id: int, path: Path, kind: str = "cases"):  # type: ignore[no-untyped-def]
    """Import a file from its path and commit; return (seconds, summary, seconds per stage)."""
    from inspect_app.services.case_imports import import_file

    stages: list[tuple[str, float]] = []

    def progress(stage: str, done: int, total: int) -> None:
        if not stages or stages[-1][0] != stage:
            stages.append((stage, time.perf_counter()))

    start = time.perf_counter()
    summary = import_file(
        session, partnership_id, kind, path.read_bytes(), today=TODAY, when=NOW, import_id=None, progress=progress
    )
    session.commit()
    end = time.perf_counter()
    if not summary.ok:
        raise SystemExit(f"The bench file has errors: {summary.message or summary.errors[0]}")
    marks = [*stages, ("commit", end)]
    split = {name: later - at for (name, at), (_, later) in zip(marks, marks[1:], strict=False)}
    return end - start, summary, split


def child(code: str, url: str) -> dict:
    """Run bench code in a fresh process (its own peak memory), returning the JSON it prints."""
    prelude = (
        "import json, os, sys, time\n"
        f"sys.path.insert(0, {str(ROOT)!r})\n"
        f"os.environ['DATABASE_URL'] = {url!r}\n"
        "os.environ['INSPECT_APP_ENV'] = 'test'\n"
        "import tempfile; os.environ.setdefault('INSPECT_APP_INSTANCE', tempfile.mkdtemp())\n"
        "from datetime import date, datetime\n"
        "from inspect_app import create_app\n"
        "from inspect_app.config import TestingConfig\n"
        "from inspect_app.extensions import db\n"
        "app = create_app(TestingConfig())\n"
        "def peak_mb():\n"
        "    status = open('/proc/self/status').read()\n"
        "    return int(status.split('VmHWM:')[1].split()[0]) / 1024\n"
    )
    output = subprocess.run([sys.executable, "-c", prelude + code], check=True, capture_output=True, text=True)
    return json.loads(output.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--database-url", default=None, help="a database the bench may EMPTY (default: SQLite)")
    args = parser.parse_args(argv)
    url = args.database_url or f"sqlite:///{tempfile.mkdtemp(prefix='bench-db-')}/bench.sqlite"

    path = case_file(args.rows, args.seed, "uk")
    reviews = review_file(path, args.seed)
    newer = newer_extract(path, args.seed)
    app = make_app(url)
    from inspect_app.extensions import db

    best = {"read_csv": float("inf"), "first": float("inf"), "again": float("inf"), "newer": float("inf")}
    stages: dict[str, float] = {}
    counts = {}
    with app.app_context():
        session = db.session
        dialect = db.engine.dialect.name
        for run in range(args.repeat):
            start = time.perf_counter()
            pd.read_csv(path)
            best["read_csv"] = min(best["read_csv"], time.perf_counter() - start)
            partnership_id = new_partnership(session, run)
            seconds, summary, split = timed_import(session, partnership_id, path)
            if seconds < best["first"]:
                best["first"], stages = seconds, split
            counts["first"] = summary.added
            seconds, summary, _ = timed_import(session, partnership_id, path)
            best["again"] = min(best["again"], seconds)
            counts["again"] = summary.unchanged
            seconds, summary, _ = timed_import(session, partnership_id, newer)
            best["newer"] = min(best["newer"], seconds)
            counts["newer"] = (summary.changed, summary.unchanged)
        measured_partnership = new_partnership(session, 999)
        timed_import(session, measured_partnership, path)
        _, review_summary, _ = timed_import(session, measured_partnership, reviews, "reviews")

    memory = child(
        "with app.app_context():\n"
        "    from inspect_app.models import Partnership\n"
        "    from inspect_app.services.case_imports import import_file\n"
        "    p = Partnership(slug='bench-memory', name='Memory', la_code='805', created_at=datetime(2026, 1, 1))\n"
        "    db.session.add(p); db.session.commit()\n"
        f"    with open({str(path)!r}, 'rb') as handle: data = handle.read()\n"
        "    s = import_file(db.session, p.id, 'cases', data, today=date(2026, 1, 1), when=datetime(2026, 1, 1))\n"
        "    db.session.commit()\n"
        "    print(json.dumps({'peak_mb': peak_mb(), 'added': s.added}))\n",
        url,
    )
    measures = child(
        "from inspect_app.services import timeliness\n"
        "best = {}\n"
        "with app.app_context():\n"
        f"    for _ in range({args.repeat}):\n"
        "        start = time.perf_counter()\n"
        f"        ids, cases = timeliness.load_cases(db.session, {measured_partnership}, timeliness.SNAPSHOT_FIELDS)\n"
        f"        reviews = timeliness.load_reviews(db.session, {measured_partnership})\n"
        "        loaded = time.perf_counter()\n"
        "        snap = timeliness.Snapshot(ids, cases, reviews, date(2026, 1, 1))\n"
        "        done = time.perf_counter()\n"
        "        if not best or done - start < best['total']:\n"
        "            best = {'total': done - start, 'load': loaded - start, 'compute': done - loaded,\n"
        "                    'cases': len(cases), 'reviews': len(reviews), 'values': len(snap.annual),\n"
        "                    'years': snap.years[-1] - snap.years[0] + 1}\n"
        "print(json.dumps(best))\n",
        url,
    )

    ratio = best["first"] / best["read_csv"]
    print(f"database: {dialect}; file: {path.relative_to(ROOT)} ({path.stat().st_size / 1e6:.1f} MB)")
    print(f"best of {args.repeat} runs, wall seconds:")
    print(f"  pandas.read_csv (baseline)        {best['read_csv']:7.3f}")
    print(f"  first import, {counts['first']:,} added   {best['first']:7.3f}  ({ratio:.2f}x, target <= {RATIO_TARGET})")
    print("    of which " + ", ".join(f"{name} {seconds:.3f}" for name, seconds in stages.items()))
    again, newer_ratio = best["again"] / best["read_csv"], best["newer"] / best["read_csv"]
    print(f"  re-import, {counts['again']:,} unchanged  {best['again']:7.3f}  ({again:.2f}x)")
    changed, unchanged = counts["newer"]
    print(f"  newer extract, {changed:,} changed   {best['newer']:7.3f}  ({newer_ratio:.2f}x; {unchanged:,} unchanged)")
    print(f"peak memory of a first import: {memory['peak_mb']:.0f} MB (target < {MEMORY_TARGET_MB} MB)")
    print(
        f"measures from the database ({measures['cases']:,} cases, {measures['reviews']:,} reviews, "
        f"{review_summary.added:,} reviews imported): {measures['total']:.3f} s "
        f"(load {measures['load']:.3f}, compute {measures['compute']:.3f}; {measures['values']} annual values over "
        f"{measures['years']} years + 24 rolling periods; target < {MEASURES_TARGET_SECONDS} s)"
    )
    print(f"load average: {load_average():.2f} (1 minute; figures from a busy machine are worth less)")
    if ratio > RATIO_TARGET or memory["peak_mb"] >= MEMORY_TARGET_MB or measures["total"] >= MEASURES_TARGET_SECONDS:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
