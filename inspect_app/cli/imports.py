"""`inspect-app import …`: one group for every importer; each command is its own function below.

Each command reads a file, imports it all-or-nothing through the same service as the pages, and on any problem
prints every message to stderr, naming the file, row and column, and exits 1 having changed nothing.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path
from typing import NoReturn

import click
from flask import current_app
from flask.cli import with_appcontext

from inspect_app import clock
from inspect_app.cli.common import unit_of_work
from inspect_app.domain.errors import InspectAppError
from inspect_app.domain.feedback import AUDIENCES
from inspect_app.extensions import db
from inspect_app.services import audit, benchmark_imports, case_imports
from inspect_app.services import partnerships as partnership_service
from inspect_app.services.case_imports import ImportSummary


@click.group("import")
def import_group() -> None:
    """Import data files (all or nothing): survey exports, evidence registers, DfE statistics, neighbours."""


def fail(file: Path, messages: list[str]) -> NoReturn:
    """Print each message to stderr prefixed with the file, roll back, and exit 1."""
    db.session.rollback()
    for message in messages:
        click.echo(f"{file}: {message}", err=True)
    raise SystemExit(1)


@import_group.command("feedback")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--partnership", "slug", required=True, help="The partnership's short name (slug).")
@click.option("--survey", "survey_name", required=True, help="The survey's name; created if it is new.")
@click.option(
    "--mapping",
    "mapping_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Column mapping YAML. Without it, the survey's saved mapping is used.",
)
@click.option(
    "--audience",
    type=click.Choice(list(AUDIENCES)),
    default="parents_carers",
    show_default=True,
    help="Who a new survey is for (ignored for an existing survey).",
)
@click.option("--wave", "label", default=None, help="Name of the wave, e.g. 'Spring 2026' (default: its months).")
@with_appcontext
def import_feedback(
    file: Path, slug: str, survey_name: str, mapping_file: Path | None, audience: str, label: str | None
) -> None:
    """Import a survey export (Microsoft Forms, Google Forms, SurveyMonkey, SmartSurvey; CSV or XLSX)."""
    from inspect_app.domain.feedback import mapping_from_yaml, mapping_to_yaml
    from inspect_app.services import feedback as feedback_service
    from inspect_app.services.frameworks import partnership_framework
    from inspect_app.services.partnerships import get_partnership_by_slug

    data = file.read_bytes()
    try:
        partnership = get_partnership_by_slug(db.session, slug)
        _, framework = partnership_framework(db.session, partnership)
        survey = feedback_service.find_survey_by_name(db.session, partnership.id, survey_name)
        if mapping_file is not None:
            mapping = mapping_from_yaml(mapping_file.read_text(encoding="utf-8"))
        elif survey is not None and survey.mapping_yaml:
            mapping = feedback_service.saved_mapping(survey)
        else:
            proposal = feedback_service.propose_mapping(
                survey or _unsaved_survey(partnership.id, audience), data, framework
            )
            click.echo(mapping_to_yaml(proposal.mapping), err=True)
            fail(
                file,
                [
                    f"no column mapping for survey {survey_name!r}: the suggested mapping is printed above. Review it, "
                    "save it to a file and run the command again with --mapping FILE"
                ],
            )
            return
    except InspectAppError as error:
        fail(file, list(getattr(error, "messages", None) or [str(error)]))
    bar = _LazyProgress("Storing responses")
    try:
        if survey is None:
            survey = feedback_service.create_survey(
                db.session, audit.SYSTEM, partnership.id, name=survey_name, audience=audience, when=clock.now()
            )
        outcome = feedback_service.import_wave(
            db.session,
            audit.SYSTEM,
            survey,
            data=data,
            file_name=file.name,
            mapping=mapping,
            framework=framework,
            label=label,
            when=clock.now(),
            progress=bar.advance,
        )
    except InspectAppError as error:
        bar.close()
        fail(file, list(getattr(error, "messages", None) or [str(error)]))
    bar.close()
    if not outcome.ok:
        fail(file, [str(error) for error in outcome.result.errors])
    db.session.commit()  # the survey and the wave together
    wave = outcome.wave
    click.echo(
        f"Imported {wave.respondents} responses into {survey.name!r} as wave {wave.label!r} "
        f"({feedback_service.SOURCE_LABELS.get(wave.source, wave.source)})."
    )
    click.echo(f"{feedback_service.redaction_summary(wave.redactions)}.")
    for note in outcome.result.notes:
        click.echo(f"Note: {note}")


class _LazyProgress:
    """A progress bar on stderr that appears once there is something to count."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.bar = None

    def advance(self, count: int, total: int) -> None:
        if self.bar is None:
            self.bar = click.progressbar(length=total, label=self.label, file=sys.stderr)
            self.bar.__enter__()
        self.bar.update(count)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


def _unsaved_survey(partnership_id: int, audience: str):  # type: ignore[no-untyped-def]
    """A survey not yet stored, for suggesting a mapping without creating anything."""
    from inspect_app.models import Survey

    return Survey(partnership_id=partnership_id, name="", audience=audience, mapping_yaml=None)


# --- DfE published statistics (issue 6) ------------------------------------------------------------------------


@import_group.command("benchmarks")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--release",
    default=None,
    help="The release the file is from, like 2025. Default: the year after the file's latest period.",
)
@with_appcontext
def import_benchmarks(path: Path, release: str | None) -> None:
    """Import a DfE "Education, health and care plans" file (any generation, recognised from its header)."""
    with unit_of_work():
        outcome = benchmark_imports.import_benchmark_file(
            db.session, audit.SYSTEM, path.read_bytes(), file_name=path.name, release=release, when=clock.now()
        )
    click.echo(outcome.describe())
    click.echo(f"  file: {outcome.release.generation}")
    click.echo(f"  measures: {', '.join(outcome.measures)}")
    for note in outcome.notes:
        click.echo(f"  note: {note}")


# --- Statistical neighbours (issue 6) --------------------------------------------------------------------------


@import_group.command("neighbours")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--model", default=None, help="A name for the neighbour model, like 'LAIT 2025'. Default: the file name.")
@with_appcontext
def import_neighbours(path: Path, model: str | None) -> None:
    """Import statistical neighbours (ONS codes are resolved to DfE's 3-digit codes)."""
    with unit_of_work():
        outcome = benchmark_imports.import_neighbours_file(
            db.session, audit.SYSTEM, path.read_bytes(), file_name=path.name, model=model, when=clock.now()
        )
    click.echo(outcome.describe())
    for note in outcome.notes:
        click.echo(f"  note: {note}")


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


@import_group.command("sen2")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, readable=True, path_type=Path))
@_PARTNERSHIP
@_DRY_RUN
@with_appcontext
def import_sen2(path: Path, slug: str, dry_run: bool) -> None:
    """Import a SEN2 person-level return: the XML as submitted (2023-2026 layouts) or a ZIP of its Blade CSVs."""
    _import_case_file("sen2", path, slug, dry_run)


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
    # A SEN2 return streams from its file (it can be hundreds of megabytes); the others are read whole.
    data: bytes | Path = file if kind == "sen2" else file.read_bytes()
    max_bytes = current_app.config["SEN2_MAX_BYTES"]
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
                max_bytes=max_bytes,
            )
            db.session.rollback()
        else:
            summary = _run(kind, file, data, partnership, progress, max_bytes)
    finally:
        progress.close()
    _report(summary, file, partnership.slug)


def _run(  # type: ignore[no-untyped-def]
    kind: str, file: Path, data: bytes | Path, partnership, progress: _ProgressBar, max_bytes: int
) -> ImportSummary:
    """Import for real, recording the import (succeeded or failed, with its errors) like an upload."""
    if isinstance(data, Path):
        with data.open("rb") as stream:
            digest = hashlib.file_digest(stream, "sha256").hexdigest()
    else:
        digest = hashlib.sha256(data).hexdigest()
    with unit_of_work():
        record = case_imports.create_import(
            db.session, audit.SYSTEM, partnership, kind=kind, filename=file.name, sha256=digest, when=clock.now()
        )
        case_imports.mark_running(record, when=clock.now())
    try:
        summary = case_imports.run_import(
            db.session, record, data, today=clock.today(), when=clock.now(), progress=progress, max_bytes=max_bytes
        )
        db.session.commit()
    except Exception:
        db.session.rollback()
        case_imports.fail_import(db.session, record, message=case_imports.INTERRUPTED, when=clock.now())
        db.session.commit()
        raise
    if summary.ok:
        case_imports.store_summary_after_import(db.session, partnership.id)
    return summary


def _report(summary: ImportSummary, file: Path, slug: str) -> None:
    if not summary.ok:
        if summary.message:
            click.echo(f"Error: {file}: {summary.message}", err=True)
        sen2 = summary.kind == "sen2"
        for error in summary.errors:
            click.echo(f"{file}: {case_imports.describe_row_error(summary.kind, error)}", err=True)
        if summary.errors:
            rows = len({error.row for error in summary.errors})
            if sen2:
                where = "person or row has" if rows == 1 else "people or rows have"
            else:
                where = "row has" if rows == 1 else "rows have"
            click.echo(
                f"Error: nothing was imported: {rows:,} {where} problems "
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
