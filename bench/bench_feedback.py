"""Time importing and summarising 20,000 survey responses, against pandas.read_csv of the same file.

    .venv/bin/python bench/bench_feedback.py [--responses N] [--runs R]

Builds a SmartSurvey-layout CSV (8 agree-scale statements, 4 group questions, free text in about half the
rows: ~10 answers a response) with the demo's generator, then measures, best of R:

- pandas.read_csv of the file (the baseline);
- read_feedback: reading, validating and redacting it (importers/feedback.py);
- import_wave: the whole import into the database, as the page and the command do it;
- analyse_survey: loading the wave back and building the survey page (items, criteria, groups, chart);
- criterion_feedback: the per-criterion figures readiness uses (counted by the database).

The database is a fresh SQLite file in a temporary instance folder, or the PostgreSQL server in DATABASE_URL.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("INSPECT_APP_INSTANCE", tempfile.mkdtemp(prefix="bench-feedback-"))
os.environ["INSPECT_APP_ENV"] = "test"

import pandas as pd  # noqa: E402

NOW = datetime(2026, 11, 27, 10, 0)


def best(runs: int, work) -> tuple[float, object]:  # type: ignore[no-untyped-def]
    fastest, result = float("inf"), None
    for _ in range(runs):
        started = time.perf_counter()
        result = work()
        fastest = min(fastest, time.perf_counter() - started)
    return fastest, result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--responses", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    from flask_migrate import upgrade
    from sqlalchemy import text

    from inspect_app import create_app
    from inspect_app.config import TestingConfig
    from inspect_app.extensions import db
    from inspect_app.importers.feedback import read_feedback
    from inspect_app.services import audit
    from inspect_app.services import feedback as service
    from inspect_app.services.feedback_demo import smartsurvey_export
    from inspect_app.services.frameworks import load_frameworks, partnership_framework
    from inspect_app.services.partnerships import create_partnership

    app = create_app(TestingConfig())
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as connection:
                connection.execute(text("DROP SCHEMA public CASCADE"))
                connection.execute(text("CREATE SCHEMA public"))
        upgrade()
        load_frameworks(db.session, audit.SYSTEM, ROOT / "frameworks", when=NOW)
        partnership = create_partnership(db.session, audit.SYSTEM, slug="bench", name="Bench", la_code="805",
                                         icb_name=None, when=NOW)
        _, framework = partnership_framework(db.session, partnership)
        statements = {item.id: item.statement for item in framework.survey_items}
        data = smartsurvey_export(random.Random(7), statements, NOW, args.responses, False)
        path = Path(os.environ["INSPECT_APP_INSTANCE"]) / "bench-export.csv"
        path.write_bytes(data)
        survey = service.create_survey(db.session, audit.SYSTEM, partnership.id, name="Bench survey",
                                       audience="parents_carers", when=NOW)
        mapping = service.check_mapping(service.propose_mapping(survey, data, framework).mapping, framework)
        db.session.commit()

        baseline, frame = best(args.runs, lambda: pd.read_csv(path))
        reading, result = best(args.runs, lambda: read_feedback(data, mapping))
        assert result.ok, result.errors[:3]

        def import_once():  # type: ignore[no-untyped-def]
            for wave in service.list_waves(db.session, survey):
                service.delete_wave(db.session, audit.SYSTEM, wave, when=NOW)
            db.session.commit()
            outcome = service.import_wave(db.session, audit.SYSTEM, survey, data=data, file_name=path.name,
                                          mapping=mapping, framework=framework, label="Bench", when=NOW)
            db.session.commit()
            return outcome

        importing, outcome = best(args.runs, import_once)
        analysing, analysis = best(args.runs, lambda: service.analyse_survey(db.session, survey, framework))
        loading, _ = best(args.runs, lambda: service.load_responses(db.session, survey))
        per_criterion, results = best(args.runs, lambda: service.criterion_feedback(db.session, partnership.id))
        dialect = db.engine.dialect.name
        db.session.remove()
        db.engine.dispose()

    wave = outcome.wave
    print(f"database: {dialect}; file: {len(frame):,} responses, {len(frame.columns)} columns, "
          f"{len(data) / 1e6:.1f} MB; stored {wave.answers:,} answers and {wave.comments:,} comments")
    print(f"pandas.read_csv      {baseline:8.3f} s   (baseline)")
    print(f"read_feedback        {reading:8.3f} s   {reading / baseline:6.1f}x read_csv")
    print(f"import_wave          {importing:8.3f} s   {importing / baseline:6.1f}x read_csv")
    print(f"load_responses       {loading:8.3f} s")
    print(f"analyse_survey       {analysing:8.3f} s   (load, summaries, 4 group tables, chart)")
    print(f"criterion_feedback   {per_criterion:8.3f} s   ({len(results)} criteria)")
    print(f"items on the page: {len(analysis.items)}; EXP1: {results['EXP1'].responses:,} responses, "
          f"{results['EXP1'].agree_pct}% agree")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
