"""Importing case and review files: check every row, then store all of them or none.

The same steps serve the command line (`inspect-app import cases|reviews`) and the upload page:

- `import_file` reads and checks a file (importers/cases.py), compares it with what is stored and, unless it
  is a dry run, writes it (services/case_store.py), reporting progress as it goes. It flushes; the caller
  commits once, so any problem leaves nothing stored.
- A `DataImport` row records an import from upload to outcome: `create_import` (queued), `mark_running`,
  `finish_import` (counts, dropped columns, notes, or every row error). Its state is in the database, so any
  worker can show the status page.
- `start_import` runs an uploaded file in a background thread of the worker that received it, with its own
  app context and session (or inline, with TIMELINESS_IMPORT_INLINE). The thread needs only the import's id
  and the path of the uploaded file, which it deletes when done. Progress is written on a separate
  connection so the page can show it while the import's own transaction is still open.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import IO

from flask import Flask
from sqlalchemy import func, update
from sqlalchemy.orm import Session

from inspect_app.domain.errors import NotFound, ValidationFailed
from inspect_app.importers.cases import read_cases, read_reviews
from inspect_app.importers.common import FileRejected, RowError
from inspect_app.importers.personal_data import is_date_of_birth
from inspect_app.importers.sen2 import DEFAULT_MAX_BYTES as DEFAULT_SEN2_MAX_BYTES
from inspect_app.importers.sen2 import describe_error as describe_sen2_error
from inspect_app.models import DataImport, ImportRowError, Partnership, User
from inspect_app.models.timeliness import IMPORT_KINDS
from inspect_app.services import audit, case_store, planner, sen2_imports
from inspect_app.services.tenancy import get_scoped, scoped

log = logging.getLogger(__name__)

# Stages of an import, in order; the status page lists them with the current one in progress.
STAGES = ("queued", "reading", "saving", "finished")
STAGE_LABELS = {
    "reading": "Read the file and check every row",
    "saving": "Compare with the records already stored and save the differences",
}
NOUNS = {"cases": ("case", "cases"), "reviews": ("review", "reviews"), "sen2": ("case", "cases")}
INTERRUPTED = "The import stopped because of an unexpected problem. Nothing was stored: try again."

Progress = Callable[[str, int, int], None]  # (stage, rows compared and saved so far, rows in the file)


def _no_progress(stage: str, done: int, total: int) -> None:
    return None


@dataclass
class ImportSummary:
    """What an import did, or would do (a dry run), or why it stored nothing."""

    kind: str
    rows_read: int = 0
    added: int = 0
    changed: int = 0
    unchanged: int = 0
    not_in_file: int = 0
    dropped_columns: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    message: str | None = None  # the whole file was refused (empty, unreadable, a required column missing)
    dry_run: bool = False
    reviews: tuple[int, int, int] | None = None  # a SEN2 return's reviews: added, changed, unchanged

    @property
    def ok(self) -> bool:
        return not self.errors and self.message is None

    def describe(self) -> str:
        """One sentence for people: what was (or would be) stored."""
        one, many = NOUNS[self.kind]
        counts = (
            f"{self.added:,} {one if self.added == 1 else many} added, {self.changed:,} changed, "
            f"{self.unchanged:,} unchanged"
        )
        if self.reviews is not None:
            added, changed, unchanged = self.reviews
            noun = "review" if added == 1 else "reviews"
            counts += f"; {added:,} {noun} added, {changed:,} changed, {unchanged:,} unchanged"
        if self.dry_run:
            return f"Dry run: nothing was stored. Importing would give {counts}."
        return f"{counts[0].upper()}{counts[1:]}."


def describe_row_error(kind: str, error: RowError) -> str:
    """One problem as a sentence: "Row 3, column …" for a case or review file; "Person 12, Requests 2 › …" or
    "<module file>, row 5, column …" for a SEN2 return."""
    return describe_sen2_error(error) if kind == "sen2" else str(error)


def check_kind(kind: str) -> str:
    """Return the kind of import if it is one the app knows, else refuse it."""
    if kind not in IMPORT_KINDS:
        raise ValidationFailed(f"Choose what the file holds: {' or '.join(IMPORT_KINDS)}")
    return kind


def import_file(
    session: Session,
    partnership_id: int,
    kind: str,
    data: bytes | Path,
    *,
    today: date,
    when: datetime,
    import_id: int | None = None,
    dry_run: bool = False,
    progress: Progress = _no_progress,
    max_bytes: int = DEFAULT_SEN2_MAX_BYTES,
) -> ImportSummary:
    """Check a case or review file or a SEN2 return and, unless it is a dry run or anything is wrong, store every
    row (flushes). A SEN2 return may be given as a path, read as it streams; the others are read whole."""
    summary = ImportSummary(check_kind(kind), dry_run=dry_run)
    progress("reading", 0, 0)
    if kind == "sen2":
        return _import_sen2(session, partnership_id, data, summary, today, when, import_id, progress, max_bytes)
    if isinstance(data, Path):
        data = data.read_bytes()
    reader = read_cases if kind == "cases" else read_reviews
    try:
        result = reader(data, today=today)
    except FileRejected as refused:
        summary.message = " ".join(refused.messages)
        return summary
    summary.dropped_columns = list(result.dropped_columns)
    summary.notes = list(result.notes) + _date_of_birth_note(result.dropped_columns, result.columns)
    summary.rows_read = len(result.rows) + len({error.row for error in result.errors})
    if not result.ok:
        summary.errors = list(result.errors)
        return summary
    rows = result.rows
    del result  # only the records are needed from here
    progress("saving", 0, len(rows))
    stored = case_store.store(
        session,
        partnership_id,
        case_store.KINDS[kind],
        rows,
        import_id=import_id,
        when=when,
        dry_run=dry_run,
        progress=lambda done, count: progress("saving", done, count),
    )
    summary.added, summary.changed, summary.unchanged = stored.added, stored.changed, stored.unchanged
    if not dry_run and (stored.added or stored.changed):
        planner.refresh_statistics(session, case_store.KINDS[kind].table.name)
    summary.not_in_file = stored.not_in_file
    if stored.not_in_file:
        one, many = NOUNS[kind]
        were = "was" if stored.not_in_file == 1 else "were"
        summary.notes.append(
            f"{stored.not_in_file:,} {one if stored.not_in_file == 1 else many} already stored {were} not in this "
            "file and stayed as they were."
        )
    session.flush()
    return summary


def _import_sen2(
    session: Session,
    partnership_id: int,
    data: bytes | Path,
    summary: ImportSummary,
    today: date,
    when: datetime,
    import_id: int | None,
    progress: Progress,
    max_bytes: int,
) -> ImportSummary:
    partnership = session.get(Partnership, partnership_id)
    if partnership is None:
        raise NotFound("No such partnership")
    stored = sen2_imports.import_sen2(
        session,
        partnership,
        data,
        today=today,
        when=when,
        import_id=import_id,
        dry_run=summary.dry_run,
        progress=progress,
        max_bytes=max_bytes,
    )
    result = stored.result
    summary.message = stored.message
    summary.dropped_columns = list(result.dropped_columns)
    summary.rows_read = result.people
    summary.errors = list(result.errors)
    if not summary.ok or stored.cases is None or stored.reviews is None:
        return summary
    cases, reviews = stored.cases, stored.reviews
    summary.added, summary.changed, summary.unchanged = cases.added, cases.changed, cases.unchanged
    summary.not_in_file = cases.not_in_file
    summary.reviews = (reviews.added, reviews.changed, reviews.unchanged)
    summary.notes = [
        f"SEN2 return for {result.collection_year} ({result.source_format}) from local authority {result.la_code}: "
        f"{result.people:,} people, {len(result.rows):,} requests, {len(result.reviews):,} annual reviews.",
        "Names, dates of birth, UPNs, ULNs, postcodes, sex and ethnicity were read only to make the pseudonymous "
        "case references (and the age at the request) and were not stored.",
        *result.notes,
    ]
    if stored.tied:
        summary.notes.append(
            f"{stored.tied:,} plans recorded as historical were matched to the cases stored from an earlier return "
            "(the same request, or the same person's plan with the same start date, or the person's only request "
            "still being assessed) and updated."
        )
    if not summary.dry_run and (cases.added or cases.changed):
        planner.refresh_statistics(session, case_store.CASES.table.name)
    if not summary.dry_run and (reviews.added or reviews.changed):
        planner.refresh_statistics(session, case_store.REVIEWS.table.name)
    if cases.not_in_file:
        were = "was" if cases.not_in_file == 1 else "were"
        summary.notes.append(
            f"{cases.not_in_file:,} {'case' if cases.not_in_file == 1 else 'cases'} already stored {were} not in this "
            "return and stayed as they were."
        )
    session.flush()
    return summary


def _date_of_birth_note(dropped: list[str], columns: dict[str, str]) -> list[str]:
    births = [name for name in dropped if is_date_of_birth(name)]
    if not births or "request_date" not in columns:
        return []
    where = "Where the file gave no age at request, it" if "age_at_request" in columns else "Age at request"
    return [f"{where} was worked out from column {births[0]}; no date of birth was stored."]


# The import's record -------------------------------------------------------------------------------------------


def create_import(
    session: Session,
    actor: audit.Actor,
    partnership: Partnership,
    *,
    kind: str,
    filename: str,
    data: bytes | None = None,
    sha256: str | None = None,
    when: datetime,
) -> DataImport:
    """Record a new import, queued (flushes; audited). Give the file's bytes, or its SHA-256 when it was saved
    without being held in memory (`save_upload_stream`)."""
    if sha256 is None:
        if data is None:
            raise ValueError("create_import needs the file's bytes or its SHA-256")
        sha256 = hashlib.sha256(data).hexdigest()
    record = DataImport(
        partnership_id=partnership.id,
        kind=check_kind(kind),
        filename=(Path(filename or "").name or "unnamed file")[:255],
        sha256=sha256,
        token=secrets.token_hex(16),
        status="queued",
        stage="queued",
        progress_done=0,
        progress_total=0,
        rows_read=0,
        added=0,
        changed=0,
        unchanged=0,
        not_in_file=0,
        error_count=0,
        dropped_columns=[],
        notes=[],
        created_at=when,
        user_id=actor.user.id if actor.user else None,
        created_by=actor.label,
    )
    session.add(record)
    session.flush()
    audit.record(
        session,
        actor,
        "case_import.queued",
        when=when,
        partnership_id=partnership.id,
        object_type="data_import",
        object_id=record.id,
        details={"kind": record.kind, "file": record.filename, "sha256": record.sha256},
    )
    return record


def mark_running(record: DataImport, *, when: datetime) -> None:
    """Note that the import has started (the caller commits, so the status page sees it)."""
    record.status, record.stage, record.started_at = "running", "reading", when


def run_import(
    session: Session,
    record: DataImport,
    data: bytes | Path,
    *,
    today: date,
    when: datetime,
    progress: Progress = _no_progress,
    max_bytes: int = DEFAULT_SEN2_MAX_BYTES,
) -> ImportSummary:
    """Import the file of a running import and record the outcome on it (flushes; the caller commits)."""
    summary = import_file(
        session,
        record.partnership_id,
        record.kind,
        data,
        today=today,
        when=when,
        import_id=record.id,
        progress=progress,
        max_bytes=max_bytes,
    )
    earlier = _earlier_import_of_the_same_file(session, record)
    if earlier is not None:
        day = earlier.finished_at or earlier.created_at
        summary.notes.append(f"The same file was imported before, on {day.day} {day:%B %Y} (import {earlier.id}).")
    finish_import(session, record, summary, when=when)
    return summary


def _earlier_import_of_the_same_file(session: Session, record: DataImport) -> DataImport | None:
    query = (
        scoped(DataImport, record.partnership_id)
        .where(
            DataImport.sha256 == record.sha256,
            DataImport.kind == record.kind,
            DataImport.status == "succeeded",
            DataImport.id != record.id,
        )
        .order_by(DataImport.id.desc())
    )
    return session.scalars(query).first()


def finish_import(session: Session, record: DataImport, summary: ImportSummary, *, when: datetime) -> None:
    """Record what an import did, or every error that stopped it (flushes; audited)."""
    record.status = "succeeded" if summary.ok else "failed"
    record.stage, record.finished_at = "finished", when
    record.rows_read = summary.rows_read
    record.added, record.changed, record.unchanged = summary.added, summary.changed, summary.unchanged
    record.not_in_file = summary.not_in_file
    record.progress_done = record.progress_total = summary.added + summary.changed + summary.unchanged
    record.dropped_columns, record.notes = list(summary.dropped_columns), list(summary.notes)
    record.message, record.error_count = summary.message, len(summary.errors)
    session.flush()
    if summary.errors:
        case_store.bulk_insert(
            session,
            ImportRowError.__tablename__,
            ("partnership_id", "import_id", "row", "column", "value", "message"),
            [(record.partnership_id, record.id, e.row, e.column, e.value, e.message) for e in summary.errors],
        )
    details: dict[str, object] = {"kind": record.kind, "file": record.filename}
    if summary.ok:
        details.update(added=summary.added, changed=summary.changed, unchanged=summary.unchanged)
        if summary.dropped_columns:
            details["dropped_columns"] = summary.dropped_columns
    else:
        details.update(errors=len(summary.errors), message=summary.message)
    audit.record(
        session,
        _actor_of(session, record),
        f"case_import.{record.status}",
        when=when,
        partnership_id=record.partnership_id,
        object_type="data_import",
        object_id=record.id,
        details=details,
    )


def fail_import(session: Session, record: DataImport, *, message: str, when: datetime) -> None:
    """Record that an import stopped for a reason other than its rows (flushes; audited)."""
    finish_import(session, record, ImportSummary(record.kind, message=message), when=when)


def _actor_of(session: Session, record: DataImport) -> audit.Actor:
    user = session.get(User, record.user_id) if record.user_id else None
    return audit.Actor(user=user, label=record.created_by)


# Reading imports back ------------------------------------------------------------------------------------------


def get_import(session: Session, partnership_id: int, import_id: int) -> DataImport:
    """Return one of the partnership's imports, or raise NotFound."""
    return get_scoped(session, DataImport, partnership_id, import_id)


def list_imports(session: Session, partnership_id: int, *, limit: int, offset: int = 0) -> tuple[list[DataImport], int]:
    """Return a page of the partnership's imports, newest first, and how many there are."""
    query = scoped(DataImport, partnership_id)
    total = session.scalar(query.with_only_columns(func.count()).order_by(None)) or 0
    rows = session.scalars(query.order_by(DataImport.id.desc()).limit(limit).offset(offset))
    return list(rows), total


def latest_import(session: Session, partnership_id: int) -> DataImport | None:
    """Return the partnership's latest successful import (its token keys the caches of measures)."""
    query = scoped(DataImport, partnership_id).where(DataImport.status == "succeeded")
    return session.scalars(query.order_by(DataImport.id.desc()).limit(1)).first()


def row_errors(session: Session, record: DataImport, *, limit: int | None = None, offset: int = 0) -> list[RowError]:
    """Return an import's row errors in row order (a page of them with `limit`)."""
    query = (
        scoped(ImportRowError, record.partnership_id)
        .where(ImportRowError.import_id == record.id)
        .order_by(ImportRowError.id)
        .with_only_columns(ImportRowError.row, ImportRowError.column, ImportRowError.value, ImportRowError.message)
        .limit(limit)
        .offset(offset)
    )
    return [RowError(*row) for row in session.execute(query)]


def is_stale(record: DataImport, *, now: datetime, minutes: int) -> bool:
    """Tell whether an unfinished import has gone quiet for so long that its worker must have stopped."""
    if record.is_finished:
        return False
    started = record.started_at or record.created_at
    return (now - started).total_seconds() > minutes * 60


# Running an uploaded file --------------------------------------------------------------------------------------


def save_upload(folder: Path, data: bytes) -> Path:
    """Keep an uploaded file under a random name until its import has run (the uploaded name is never a path)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{secrets.token_hex(16)}.upload"
    path.write_bytes(data)
    path.chmod(0o600)
    return path


def save_upload_stream(folder: Path, stream: IO[bytes], *, chunk: int = 1 << 20) -> tuple[Path, str, int]:
    """Save an upload as it is read, 1 MB at a time; return its path, SHA-256 and size (a SEN2 return can be
    hundreds of megabytes: it is never held in a web worker's memory)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{secrets.token_hex(16)}.upload"
    digest, size = hashlib.sha256(), 0
    with path.open("wb") as out:
        path.chmod(0o600)
        while block := stream.read(chunk):
            digest.update(block)
            size += len(block)
            out.write(block)
    return path, digest.hexdigest(), size


_THREADS: dict[int, threading.Thread] = {}


def start_import(app: Flask, import_id: int, path: Path) -> None:
    """Run a committed, queued import: in a background thread, or at once when TIMELINESS_IMPORT_INLINE is set."""
    if app.config.get("TIMELINESS_IMPORT_INLINE"):
        run_import_job(app, import_id, path, inline=True)
        return
    thread = threading.Thread(
        target=run_import_job, args=(app, import_id, path), name=f"case-import-{import_id}", daemon=True
    )
    _THREADS[import_id] = thread
    thread.start()


def wait_for_import(import_id: int, timeout: float = 60.0) -> None:
    """Wait for an import this process started in a thread (tests and the command line)."""
    thread = _THREADS.get(import_id)
    if thread is not None:
        thread.join(timeout)


def run_import_job(app: Flask, import_id: int, path: Path, *, inline: bool = False) -> None:
    """Run one import from start to outcome, committing its state; the uploaded file is deleted afterwards.

    This is a unit-of-work boundary like a view or a command: it commits. With `inline` it runs within the
    upload request (whose session it shares); otherwise within its own app context and session.
    """
    from inspect_app import clock
    from inspect_app.extensions import db

    context = app.app_context()
    if not inline:
        context.push()
    try:
        session = db.session
        record = session.get(DataImport, import_id)
        if record is None or record.status != "queued":
            return
        mark_running(record, when=clock.now())
        session.commit()
        recorder: Progress = _no_progress if inline else _DatabaseProgress(import_id)
        try:
            # A SEN2 return is read from its file as it streams; case and review files are read whole.
            data: bytes | Path = path if record.kind == "sen2" else path.read_bytes()
            summary = run_import(
                session,
                record,
                data,
                today=clock.today(),
                when=clock.now(),
                progress=recorder,
                max_bytes=app.config.get("SEN2_MAX_BYTES", DEFAULT_SEN2_MAX_BYTES),
            )
            session.commit()
        except Exception:
            log.exception("Import %s stopped", import_id)
            session.rollback()
            record = session.get(DataImport, import_id)
            if record is not None:
                fail_import(session, record, message=INTERRUPTED, when=clock.now())
                session.commit()
        else:
            if summary.ok:
                store_summary_after_import(session, record.partnership_id)
    finally:
        path.unlink(missing_ok=True)
        _THREADS.pop(import_id, None)
        if not inline:
            db.session.remove()
            context.pop()


def store_summary_after_import(session: Session, partnership_id: int) -> None:
    """Work out and store today's timeliness summary for the new import, after the import has committed.

    Its own short transaction: the import stands whatever happens here, and a page that finds no stored
    summary works it out itself, so a failure is only logged.
    """
    from inspect_app import clock
    from inspect_app.services import timeliness  # timeliness reads imports: imported here, not at the top

    try:
        timeliness.store_summary(session, partnership_id, clock.today(), when=clock.now())
        session.commit()
    except Exception:
        log.warning("Could not store the timeliness summary of partnership %s", partnership_id, exc_info=True)
        session.rollback()


class _DatabaseProgress:
    """Write an import's stage and progress on a connection of its own, at most a few times a second.

    The import's transaction stays open until everything is written, so progress is committed separately
    for the status page to read. SQLite allows one writer at a time, so there progress is written only
    between stages, while the import's transaction holds no write lock, never while rows are being saved.
    """

    INTERVAL = 0.5

    def __init__(self, import_id: int) -> None:
        from inspect_app.extensions import db

        self.engine = db.engine
        self.import_id = import_id
        self.live_while_saving = self.engine.dialect.name != "sqlite"
        self.stage = ""
        self.written_at = 0.0

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        if stage == self.stage and (not self.live_while_saving or now - self.written_at < self.INTERVAL):
            return
        if stage == "saving" and done and not self.live_while_saving:
            return
        self.stage, self.written_at = stage, now
        table = DataImport.__table__
        statement = (
            update(table)
            .where(table.c.id == self.import_id, table.c.status == "running")
            .values(stage=stage, progress_done=done, progress_total=total)
        )
        try:
            with self.engine.begin() as connection:
                connection.execute(statement)
        except Exception:  # progress is a courtesy: never let it stop the import
            log.warning("Could not record the progress of import %s", self.import_id, exc_info=True)
