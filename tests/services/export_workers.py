"""Runner processes for the concurrency tests (a module of its own so `spawn` can import it in the child).

Each process builds its own app and engine from the environment (DATABASE_URL, INSPECT_APP_INSTANCE), as a
runner started by cron on another host would, waits at the barrier so they all start together, and reports
what it did through the queue.
"""

from __future__ import annotations

import time
from dataclasses import replace
from datetime import datetime
from pathlib import Path

SLOW_KIND = "test-slow"


def _slow_report(session, partnership, fmt, settings) -> bytes:  # type: ignore[no-untyped-def]
    time.sleep(0.02)  # long enough for the runners' claims to interleave
    return f"{partnership.slug},{time.time_ns()}\n".encode()


def register_slow_report() -> None:
    from inspect_app.services.report_kinds import REPORT_KINDS, ReportKind

    REPORT_KINDS[SLOW_KIND] = ReportKind("Slow test report", ("csv",), _slow_report)


def run_worker(runner_id: str, now: datetime, export_root: str, barrier, results) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy.orm import sessionmaker

    from inspect_app import create_app
    from inspect_app.config import TestingConfig
    from inspect_app.extensions import db
    from inspect_app.services.exports import run_due, runner_settings

    register_slow_report()
    app = create_app(TestingConfig())
    with app.app_context():
        factory = sessionmaker(bind=db.engine)
        barrier.wait(timeout=60)
        try:
            settings = replace(runner_settings(app.config), export_root=Path(export_root))
            summary = run_due(factory, now, runner_id, settings)
            results.put((runner_id, [(o.schedule_id, o.status, o.file_path, o.error) for o in summary.outcomes], None))
        except Exception as error:  # reported to the test, which fails with it
            results.put((runner_id, [], repr(error)))
        finally:
            db.engine.dispose()
