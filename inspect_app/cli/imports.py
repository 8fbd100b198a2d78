"""`inspect-app import …`: data files into a partnership, all or nothing, with the row errors on stderr.

The case and review commands are kept in functions of their own (`import_cases`, `import_reviews`), so other
features can add their own commands to the same group.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask.cli import with_appcontext

from inspect_app import clock
from inspect_app.cli.common import unit_of_work
from inspect_app.extensions import db
from inspect_app.services import audit, case_imports
from inspect_app.services import partnerships as partnership_service
from inspect_app.services.case_imports import ImportSummary


@click.group("import")
def import_group() -> None:
    """Import data files: case and review records, …"""


# Cases and annual reviews ---------------------------------------------------------------------------------------

_FILE = click.argument("file", type=click.Path(exists=True, dir_okay=False, readable=True, path_type=Path))
_PARTNERSHIP = click.option("--partnership", "slug", required=True, help="The partnership's slug.")
_DRY_RUN = click.option("--dry-run", is_flag=True, help="Check the file and say what would change; store nothing.")


@import_group.command("cases")
@_FILE
@_PARTNERSHIP
@_DRY_RUN
@with_appcontext
def import_cases(file: Path, slug: str, dry_run: bool) -> None:
    """Import a case file (CSV or XLSX, one row per request for an EHC needs assessment)."""
    _import_case_file("cases", file, slug, dry_run)


@import_group.command("reviews")
@_FILE
@_PARTNERSHIP
@_DRY_RUN
@with_appcontext
def import_reviews(file: Path, slug: str, dry_run: bool) -> None:
    """Import an annual review file (CSV or XLSX, one row per review meeting)."""
    _import_case_file("reviews", file, slug, dry_run)


class _ProgressBar:
    """A progress bar on stderr over the two stages: checking every row, then comparing and saving."""

    CHECKING = 40  # of 100: the share of the bar the reading and checking stands for

    def __init__(self, file: Path) -> None:
        self.file = file
        self.bar = click.progressbar(length=100, label=f"Checking {file.name}", file=sys.stderr, show_eta=False)
        self.bar.__enter__()
        self.shown = 0

    def __call__(self, stage: str, done: int, total: int) -> None:
        if stage == "saving":
            self.bar.label = f"Saving {self.file.name}"
            self._show(self.CHECKING + (100 - self.CHECKING) * done // max(total, 1))

    def _show(self, position: int) -> None:
        if position > self.shown:
            self.bar.update(position - self.shown)
            self.shown = position

    def close(self) -> None:
        self.bar.__exit__(None, None, None)


def _import_case_file(kind: str, file: Path, slug: str, dry_run: bool) -> None:
    with unit_of_work():
        partnership = partnership_service.get_partnership_by_slug(db.session, slug)
    data = file.read_bytes()
    progress = _ProgressBar(file)
    try:
        if dry_run:
            summary = case_imports.import_file(
                db.session,
                partnership.id,
                kind,
                data,
                today=clock.today(),
                when=clock.now(),
                dry_run=True,
                progress=progress,
            )
            db.session.rollback()
        else:
            summary = _run(kind, file, data, partnership, progress)
    finally:
        progress.close()
    _report(summary, file, partnership.slug)


def _run(kind: str, file: Path, data: bytes, partnership, progress: _ProgressBar) -> ImportSummary:  # type: ignore[no-untyped-def]
    """Import for real, recording the import (succeeded or failed, with its errors) like an upload."""
    with unit_of_work():
        record = case_imports.create_import(
            db.session, audit.SYSTEM, partnership, kind=kind, filename=file.name, data=data, when=clock.now()
        )
        case_imports.mark_running(record, when=clock.now())
    try:
        summary = case_imports.run_import(
            db.session, record, data, today=clock.today(), when=clock.now(), progress=progress
        )
        db.session.commit()
    except Exception:
        db.session.rollback()
        case_imports.fail_import(db.session, record, message=case_imports.INTERRUPTED, when=clock.now())
        db.session.commit()
        raise
    return summary


def _report(summary: ImportSummary, file: Path, slug: str) -> None:
    if not summary.ok:
        if summary.message:
            click.echo(f"Error: {file}: {summary.message}", err=True)
        for error in summary.errors:
            click.echo(f"{file}: {error}", err=True)
        if summary.errors:
            rows = len({error.row for error in summary.errors})
            click.echo(
                f"Error: nothing was imported: {rows:,} {'row has' if rows == 1 else 'rows have'} problems "
                f"({len(summary.errors):,} in all). Correct them and import the whole file again.",
                err=True,
            )
        raise SystemExit(1)
    if summary.dry_run:
        click.echo(f"{file.name} into {slug}: {summary.describe()}")
    else:
        click.echo(f"Imported {file.name} into {slug}: {summary.describe()}")
    if summary.dropped_columns:
        click.echo(f"Columns dropped as personal data (never stored): {', '.join(summary.dropped_columns)}")
    for note in summary.notes:
        click.echo(f"Note: {note}")
