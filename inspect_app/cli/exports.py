"""`inspect-app exports`: run the scheduled exports that are due (for cron or a systemd timer), list schedules."""

from __future__ import annotations

import json
import logging
import os
import socket

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import sessionmaker

from inspect_app import clock
from inspect_app.cli.common import unit_of_work
from inspect_app.domain.schedules import to_uk
from inspect_app.extensions import db
from inspect_app.services import exports as export_service
from inspect_app.services import partnerships as partnership_service
from inspect_app.services.report_kinds import describe

log = logging.getLogger(__name__)


@click.group("exports")
def exports_group() -> None:
    """Run and list scheduled exports."""


@exports_group.command("run-due")
@click.option("--runner-id", default=None, help="This runner's name in the run records (default: host:process id).")
@with_appcontext
def run_due(runner_id: str | None) -> None:
    """Run every scheduled export that is due, once, then exit.

    Safe to start on several hosts at once against one database: each due export is produced once. Exit 0 when
    every export succeeded (or none was due), 1 when any failed (each failure is on stderr and retried by a later
    run), so cron and systemd can alert on it.
    """
    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    runner = (runner_id or f"{socket.gethostname()}:{os.getpid()}")[:120]
    factory = sessionmaker(bind=db.engine)
    try:
        summary = export_service.run_due(
            factory, clock.now(), runner, export_service.runner_settings(current_app.config)
        )
    except SQLAlchemyError:
        log.exception("The export runner could not use the database")
        click.echo("Error: the database could not be used to claim exports; nothing was run (see the log)", err=True)
        raise SystemExit(1) from None
    for outcome in summary.succeeded:
        click.echo(f"succeeded  {outcome.partnership}  {outcome.report}  {outcome.file_path}")
    for outcome in summary.failed:
        click.echo(
            f"Error: failed  {outcome.partnership}  {outcome.report}  run {outcome.run_id}: {outcome.error}", err=True
        )
    if summary.abandoned:
        click.echo(f"{summary.abandoned} abandoned run(s) from stopped runners marked failed and retried")
    total = len(summary.outcomes)
    click.echo(
        f"{total} due export{'s' if total != 1 else ''} run by {runner}: "
        f"{len(summary.succeeded)} succeeded, {len(summary.failed)} failed"
    )
    if summary.failed:
        raise SystemExit(1)


@exports_group.command("list")
@click.option("--partnership", "slug", required=True, help="The partnership's slug.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON, one object per schedule.")
@with_appcontext
def list_exports(slug: str, as_json: bool) -> None:
    """List a partnership's scheduled exports, when each is next due (UK time) and how its last run went."""
    with unit_of_work():
        partnership = partnership_service.get_partnership_by_slug(db.session, slug)
        rows = export_service.list_schedules(db.session, partnership.id)
    if as_json:
        click.echo(json.dumps([_as_json(row) for row in rows], indent=2))
        return
    if not rows:
        click.echo(f"{slug} has no scheduled exports")
        return
    for row in rows:
        s, last = row.schedule, row.last_run
        state = f"next {to_uk(s.next_due_at):%Y-%m-%d %H:%M %Z}" if s.enabled else "disabled"
        last_text = f"last run {last.status}" if last else "never run"
        folder = f"{slug}/{s.destination}" if s.destination else slug
        click.echo(
            f"{s.id}\t{describe(s.report_kind, s.format)}\t{export_service.cadence_label(s)}\t"
            f"{state}\t{folder}\tkeep {s.keep_last}\t{last_text}"
        )


def _as_json(row: export_service.ScheduleRow) -> dict:
    s, last = row.schedule, row.last_run
    return {
        "id": s.id,
        "report": s.report_kind,
        "format": s.format,
        "cadence": s.cadence,
        "weekday": s.weekday,
        "day_of_month": s.day_of_month,
        "time_of_day": s.time_of_day.strftime("%H:%M"),
        "description": export_service.cadence_label(s),
        "destination": s.destination,
        "keep_last": s.keep_last,
        "enabled": s.enabled,
        "next_due_at": s.next_due_at.isoformat(timespec="seconds") + "Z",
        "last_run": None
        if last is None
        else {
            "id": last.id,
            "status": last.status,
            "started_at": last.started_at.isoformat(timespec="seconds") + "Z",
            "file": last.file_path,
            "sha256": last.sha256,
            "error": last.error,
        },
    }
