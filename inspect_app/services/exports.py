"""Scheduled exports: the schedules leads keep, and the runner that produces each due export exactly once.

The runner (`run_due`) is started by cron or a systemd timer, on any number of hosts at once, against one
database. It claims one due schedule at a time in a short transaction of its own, and in that same transaction
moves the schedule's `next_due_at` to its next regular time after `now` and inserts a "running" ExportRun:

- PostgreSQL: `SELECT … FOR UPDATE SKIP LOCKED LIMIT 1`, so concurrent runners never wait for, or take, a row
  another runner is claiming;
- SQLite (no SKIP LOCKED): an atomic claim, `UPDATE … SET next_due_at = :next WHERE id = :id AND next_due_at =
  :seen`, which only one runner's UPDATE can match (rowcount 1).

The report's database work is done in a session of its own, then its file is written outside any lock and any
transaction: to a temporary file in the destination folder, hashed and counted as the bytes go past (a streamed
report such as the evidence pack is never held in memory, nor read back), then renamed. The outcome is recorded in
a new transaction. Because the claim moves `next_due_at` past `now`, a schedule that missed several windows (the
machine was off) runs once, and one invocation never runs a schedule twice.

A failure is recorded (a one-sentence error on the run; the traceback goes to the log) and never stops the other
schedules. The failed schedule is made due again after EXPORT_RETRY_FIRST, doubling with each consecutive failure
up to EXPORT_RETRY_MAX and never later than its next regular time, so the next `run-due` after that retries it.
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
import re
import uuid
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import IO, Any

from sqlalchemy import func, select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from inspect_app import clock
from inspect_app.domain.errors import InspectAppError, NotFound, ValidationFailed
from inspect_app.domain.schedules import MAX_KEEP_LAST, Cadence, next_occurrence, to_uk
from inspect_app.models import ExportRun, ExportSchedule, Partnership
from inspect_app.services import audit, report_kinds
from inspect_app.services.report_kinds import FORMATS, ReportSettings, check_report
from inspect_app.services.tenancy import get_scoped, scoped

log = logging.getLogger(__name__)

RUNNER = audit.Actor(user=None, label="scheduled export")
MAX_DESTINATION = 200
MAX_ERROR = 1000
_FOLDER_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ._-]*$")


# --- Where files go -------------------------------------------------------------------------------------------


def check_destination(text: str | None) -> str:
    """Return a destination folder in normal form ("weekly/audit", "" for the partnership's own folder).

    Raise ValidationFailed for anything that could leave the export folder: an absolute path, `..`, a drive
    letter, a backslash, or a hidden folder name.
    """
    value = (text or "").strip()
    if not value:
        return ""
    if "\\" in value:
        raise ValidationFailed("Use / between folder names, like weekly/audit")
    if value.startswith(("/", "~")) or re.match(r"^[A-Za-z]:", value):
        raise ValidationFailed("Enter a folder inside the export folder, like weekly/audit, not a full path")
    parts = [p for p in value.split("/") if p not in ("", ".")]
    if ".." in parts:
        raise ValidationFailed("The folder must not contain .. (it must stay inside the export folder)")
    for part in parts:
        if not _FOLDER_NAME.match(part):
            raise ValidationFailed(
                "Folder names can only contain letters, numbers, spaces, full stops, hyphens and underscores, "
                "and must start with a letter or number"
            )
    normal = "/".join(parts)
    if len(normal) > MAX_DESTINATION:
        raise ValidationFailed(f"The folder must be {MAX_DESTINATION} characters or fewer")
    return normal


def destination_folder(export_root: Path, slug: str, destination: str) -> Path:
    """Return EXPORT_ROOT/<slug>/<destination>, refusing one that a symbolic link leads out of."""
    destination = check_destination(destination)
    base = export_root / slug
    folder = base.joinpath(*destination.split("/")) if destination else base
    root_real = export_root.resolve()
    base_real = base.resolve()
    if not base_real.is_relative_to(root_real) or not folder.resolve().is_relative_to(base_real):
        raise ValidationFailed("The folder leads outside the export folder through a symbolic link")
    return folder


# --- Schedules --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScheduleDetails:
    """What a lead chooses for a scheduled export."""

    report_kind: str
    format: str
    cadence: str
    time_of_day: time
    weekday: int | None = None
    day_of_month: int | None = None
    destination: str = ""
    keep_last: int = 10

    def as_cadence(self) -> Cadence:
        return Cadence(self.cadence, self.time_of_day, self.weekday, self.day_of_month)


def cadence_of(schedule: ExportSchedule) -> Cadence:
    """Return a schedule's cadence."""
    return Cadence(schedule.cadence, schedule.time_of_day, schedule.weekday, schedule.day_of_month)


def _clean(details: ScheduleDetails, export_root: Path | None, slug: str) -> ScheduleDetails:
    problems: list[str] = []
    try:
        check_report(details.report_kind, details.format)
    except ValidationFailed as error:
        problems += error.messages
    cadence = Cadence(
        details.cadence,
        details.time_of_day,
        details.weekday if details.cadence == "weekly" else None,
        details.day_of_month if details.cadence == "monthly" else None,
    )
    problems += cadence.problems()
    destination = details.destination
    try:
        destination = check_destination(details.destination)
        if export_root is not None:
            destination_folder(export_root, slug, destination)
    except ValidationFailed as error:
        problems += error.messages
    if not 1 <= details.keep_last <= MAX_KEEP_LAST:
        problems.append(f"The number of files to keep must be between 1 and {MAX_KEEP_LAST}")
    if problems:
        raise ValidationFailed(problems)
    return ScheduleDetails(
        report_kind=details.report_kind,
        format=details.format,
        cadence=cadence.kind,
        time_of_day=cadence.time_of_day.replace(second=0, microsecond=0),
        weekday=cadence.weekday,
        day_of_month=cadence.day_of_month,
        destination=destination,
        keep_last=details.keep_last,
    )


def _audit_values(details: ScheduleDetails) -> dict:
    values = asdict(details)
    values["time_of_day"] = details.time_of_day.strftime("%H:%M")
    return values


def details_of(schedule: ExportSchedule) -> ScheduleDetails:
    """Return a schedule's details as the form edits them."""
    return ScheduleDetails(
        report_kind=schedule.report_kind,
        format=schedule.format,
        cadence=schedule.cadence,
        time_of_day=schedule.time_of_day,
        weekday=schedule.weekday,
        day_of_month=schedule.day_of_month,
        destination=schedule.destination,
        keep_last=schedule.keep_last,
    )


def create_schedule(
    session: Session,
    actor: audit.Actor,
    partnership: Partnership,
    details: ScheduleDetails,
    *,
    export_root: Path | None,
    when: datetime,
) -> ExportSchedule:
    """Create a scheduled export, first due at its next regular time after `when`.

    With `export_root`, the folder is also checked on disk (symbolic links); the runner checks again each time.
    """
    details = _clean(details, export_root, partnership.slug)
    schedule = ExportSchedule(
        partnership_id=partnership.id,
        **asdict(details),
        enabled=True,
        next_due_at=next_occurrence(details.as_cadence(), when),
        consecutive_failures=0,
        created_by=actor.label,
        created_at=when,
        updated_at=when,
    )
    session.add(schedule)
    session.flush()
    audit.record(
        session,
        actor,
        "export.schedule_created",
        when=when,
        partnership_id=partnership.id,
        object_type="export_schedule",
        object_id=schedule.id,
        details={**_audit_values(details), "next_due_at": schedule.next_due_at.isoformat(timespec="minutes")},
    )
    return schedule


def update_schedule(
    session: Session,
    actor: audit.Actor,
    schedule: ExportSchedule,
    details: ScheduleDetails,
    *,
    export_root: Path,
    when: datetime,
) -> ExportSchedule:
    """Change a schedule; a changed cadence makes it next due at its new regular time after `when`."""
    partnership = session.get(Partnership, schedule.partnership_id)
    assert partnership is not None
    details = _clean(details, export_root, partnership.slug)
    before, after = _audit_values(details_of(schedule)), _audit_values(details)
    changes = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
    if not changes:
        return schedule
    for name, value in asdict(details).items():
        setattr(schedule, name, value)
    if {"cadence", "time_of_day", "weekday", "day_of_month"} & changes.keys():
        schedule.next_due_at = next_occurrence(details.as_cadence(), when)
        changes["next_due_at"] = schedule.next_due_at.isoformat(timespec="minutes")
    schedule.updated_at = when
    session.flush()
    audit.record(
        session,
        actor,
        "export.schedule_changed",
        when=when,
        partnership_id=schedule.partnership_id,
        object_type="export_schedule",
        object_id=schedule.id,
        details=changes,
    )
    return schedule


def set_enabled(
    session: Session, actor: audit.Actor, schedule: ExportSchedule, enabled: bool, *, when: datetime
) -> ExportSchedule:
    """Turn a schedule off, or back on (then next due at its next regular time after `when`, no catching up)."""
    if schedule.enabled == enabled:
        return schedule
    schedule.enabled = enabled
    if enabled:
        schedule.next_due_at = next_occurrence(cadence_of(schedule), when)
        schedule.consecutive_failures = 0
    schedule.updated_at = when
    session.flush()
    audit.record(
        session,
        actor,
        "export.schedule_enabled" if enabled else "export.schedule_disabled",
        when=when,
        partnership_id=schedule.partnership_id,
        object_type="export_schedule",
        object_id=schedule.id,
        details={"next_due_at": schedule.next_due_at.isoformat(timespec="minutes")} if enabled else {},
    )
    return schedule


def get_schedule(session: Session, partnership_id: int, schedule_id: int) -> ExportSchedule:
    """Return one of the partnership's schedules or raise NotFound."""
    return get_scoped(session, ExportSchedule, partnership_id, schedule_id)


@dataclass(frozen=True)
class ScheduleRow:
    schedule: ExportSchedule
    last_run: ExportRun | None


def list_schedules(session: Session, partnership_id: int) -> list[ScheduleRow]:
    """Return the partnership's schedules (enabled first, then by next due time) with each one's latest run."""
    schedules = session.scalars(
        scoped(ExportSchedule, partnership_id).order_by(
            ExportSchedule.enabled.desc(), ExportSchedule.next_due_at, ExportSchedule.id
        )
    ).all()
    latest_ids = (
        select(func.max(ExportRun.id))
        .where(ExportRun.partnership_id == partnership_id)
        .group_by(ExportRun.schedule_id)
        .scalar_subquery()
    )
    runs = {
        r.schedule_id: r for r in session.scalars(scoped(ExportRun, partnership_id).where(ExportRun.id.in_(latest_ids)))
    }
    return [ScheduleRow(s, runs.get(s.id)) for s in schedules]


def count_runs(session: Session, schedule: ExportSchedule) -> int:
    """Return how many runs a schedule has had."""
    query = (
        select(func.count())
        .select_from(ExportRun)
        .where(ExportRun.partnership_id == schedule.partnership_id, ExportRun.schedule_id == schedule.id)
    )
    return session.scalar(query) or 0


def list_runs(session: Session, schedule: ExportSchedule, *, limit: int, offset: int = 0) -> list[ExportRun]:
    """Return a schedule's runs, newest first."""
    query = (
        scoped(ExportRun, schedule.partnership_id)
        .where(ExportRun.schedule_id == schedule.id)
        .order_by(ExportRun.started_at.desc(), ExportRun.id.desc())
        .limit(limit)
        .offset(offset)
    )
    return list(session.scalars(query))


def get_run(session: Session, partnership_id: int, run_id: int) -> ExportRun:
    """Return one of the partnership's export runs or raise NotFound."""
    return get_scoped(session, ExportRun, partnership_id, run_id)


def run_file(export_root: Path, run: ExportRun) -> Path:
    """Return the file a run produced, or raise NotFound if there is none (failed, pruned or removed)."""
    if run.status != "succeeded" or not run.file_path or run.pruned_at is not None:
        raise NotFound("This run has no file")
    path = export_root / run.file_path
    if not path.resolve().is_relative_to(export_root.resolve()) or not path.is_file():
        raise NotFound("The file is no longer in the export folder")
    return path


def record_download(session: Session, actor: audit.Actor, run: ExportRun, *, when: datetime) -> None:
    """Audit that someone downloaded an exported file."""
    audit.record(
        session,
        actor,
        "export.downloaded",
        when=when,
        partnership_id=run.partnership_id,
        object_type="export_run",
        object_id=run.id,
        details={"file": run.file_path, "sha256": run.sha256},
    )


# --- The runner -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RunnerSettings:
    export_root: Path
    reports: ReportSettings  # what building the reports needs from the configuration
    retry_first: timedelta = timedelta(minutes=1)
    retry_max: timedelta = timedelta(hours=1)
    abandoned_after: timedelta = timedelta(hours=1)


@dataclass(frozen=True)
class RunOutcome:
    run_id: int
    schedule_id: int
    partnership: str
    report: str
    status: str
    file_path: str | None = None
    sha256: str | None = None
    error: str | None = None


@dataclass
class RunSummary:
    runner_id: str
    outcomes: list[RunOutcome] = field(default_factory=list)
    abandoned: int = 0  # runs found still "running" long after their runner stopped, marked failed

    @property
    def succeeded(self) -> list[RunOutcome]:
        return [o for o in self.outcomes if o.status == "succeeded"]

    @property
    def failed(self) -> list[RunOutcome]:
        return [o for o in self.outcomes if o.status == "failed"]


@dataclass(frozen=True)
class _Claim:
    run_id: int
    schedule_id: int
    partnership_id: int
    slug: str
    report_kind: str
    format: str
    destination: str
    keep_last: int
    consecutive_failures: int
    next_regular: datetime
    started_at: datetime

    @property
    def report(self) -> str:
        return f"{self.report_kind} ({self.format})"


SessionFactory = Callable[[], Session]
Timer = Callable[[], datetime]


def run_due(
    session_factory: SessionFactory,
    now: datetime,
    runner_id: str,
    settings: RunnerSettings,
    *,
    timer: Timer = clock.now,
) -> RunSummary:
    """Run every schedule due at `now` (naive UTC) once, each in its own transactions; return what happened.

    `timer` stamps started/finished times. Errors in one export are recorded and never stop the others; an
    error reaching the database itself (claiming) is raised.
    """
    summary = RunSummary(runner_id=runner_id)
    summary.abandoned = _recover_abandoned(session_factory, now, settings, timer)
    while (claim := _claim_next(session_factory, now, runner_id, timer)) is not None:
        summary.outcomes.append(_produce(session_factory, claim, now, runner_id, settings, timer))
    return summary


def _due(now: datetime):  # type: ignore[no-untyped-def]
    return (
        select(ExportSchedule)
        .where(ExportSchedule.enabled.is_(True), ExportSchedule.next_due_at <= now)
        .order_by(ExportSchedule.next_due_at, ExportSchedule.id)
        .limit(1)
    )


def _claim_next(session_factory: SessionFactory, now: datetime, runner_id: str, timer: Timer) -> _Claim | None:
    with session_factory() as session:
        if session.get_bind().dialect.name == "postgresql":
            with session.begin():
                schedule = session.scalars(_due(now).with_for_update(skip_locked=True)).first()
                if schedule is None:
                    return None
                seen = schedule.next_due_at
                next_regular = next_occurrence(cadence_of(schedule), now)
                schedule.next_due_at = next_regular
                schedule.claimed_by, schedule.claimed_at = runner_id, timer()
                return _start_run(session, schedule, seen, next_regular, runner_id, timer)
        while True:  # SQLite: read a candidate, then claim it only if nobody moved it since
            schedule = session.scalars(_due(now)).first()
            if schedule is None:
                session.rollback()
                return None
            seen = schedule.next_due_at
            next_regular = next_occurrence(cadence_of(schedule), now)
            claimed = session.execute(
                update(ExportSchedule)
                .where(
                    ExportSchedule.id == schedule.id,
                    ExportSchedule.next_due_at == seen,
                    ExportSchedule.enabled.is_(True),
                )
                .values(next_due_at=next_regular, claimed_by=runner_id, claimed_at=timer())
                .execution_options(synchronize_session=False)
            )
            if claimed.rowcount != 1:
                session.rollback()  # another runner claimed it first: look for the next one
                session.expire_all()
                continue
            claim = _start_run(session, schedule, seen, next_regular, runner_id, timer)
            session.commit()
            return claim


def _start_run(
    session: Session, schedule: ExportSchedule, due_at: datetime, next_regular: datetime, runner_id: str, timer: Timer
) -> _Claim:
    started = timer()
    run = ExportRun(
        partnership_id=schedule.partnership_id,
        schedule_id=schedule.id,
        due_at=due_at,
        runner_id=runner_id,
        started_at=started,
        status="running",
    )
    session.add(run)
    session.flush()
    slug = session.scalars(select(Partnership.slug).where(Partnership.id == schedule.partnership_id)).one()
    return _Claim(
        run_id=run.id,
        schedule_id=schedule.id,
        partnership_id=schedule.partnership_id,
        slug=slug,
        report_kind=schedule.report_kind,
        format=schedule.format,
        destination=schedule.destination,
        keep_last=schedule.keep_last,
        consecutive_failures=schedule.consecutive_failures,
        next_regular=next_regular,
        started_at=started,
    )


def _recover_abandoned(session_factory: SessionFactory, now: datetime, settings: RunnerSettings, timer: Timer) -> int:
    """Mark runs left "running" by a runner that died as failed, and make their schedules due again."""
    cutoff = now - settings.abandoned_after
    message = "The runner stopped before the export finished; it is retried"
    with session_factory() as session, session.begin():
        finished = timer()
        # UPDATE … RETURNING: when two runners recover at once, each row is taken by exactly one of them.
        rows = session.execute(
            update(ExportRun)
            .where(ExportRun.status == "running", ExportRun.started_at < cutoff)
            .values(status="failed", finished_at=finished, error=message)
            .returning(ExportRun.id, ExportRun.schedule_id, ExportRun.partnership_id)
            .execution_options(synchronize_session=False)
        ).all()
        for run_id, schedule_id, partnership_id in rows:
            session.execute(
                update(ExportSchedule)
                .where(ExportSchedule.id == schedule_id, ExportSchedule.next_due_at > now)
                .values(next_due_at=now)
                .execution_options(synchronize_session=False)
            )
            audit.record(
                session,
                RUNNER,
                "export.run_failed",
                when=finished,
                partnership_id=partnership_id,
                object_type="export_run",
                object_id=run_id,
                details={"schedule_id": schedule_id, "error": message},
            )
    return len(rows)


def file_name(claim: _Claim, extension: str) -> str:
    """Return the file name for a run: <kind>-<UK date>-<UK time>-<run id>.<ext>, unique by the run id."""
    return f"{claim.report_kind}-{to_uk(claim.started_at):%Y-%m-%d-%H%M}-{claim.run_id}.{extension}"


class _HashingStream(io.RawIOBase):
    """Pass bytes on to a file, hashing and counting them on the way.

    It cannot seek, on purpose: a writer that could seek back and rewrite bytes already passed on (zipfile patches
    each entry's header that way) would make the hash differ from the file; told the stream cannot seek, zipfile
    writes data descriptors instead, as it does for a streamed download.
    """

    def __init__(self, target: IO[bytes]) -> None:
        self._target = target
        self._digest = hashlib.sha256()
        self.size = 0

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:  # type: ignore[no-untyped-def,override]
        self._target.write(data)
        self._digest.update(data)
        written = memoryview(data).nbytes
        self.size += written
        return written

    def tell(self) -> int:
        return self.size

    @property
    def sha256(self) -> str:
        return self._digest.hexdigest()


@dataclass(frozen=True)
class WrittenFile:
    sha256: str
    size: int
    note: report_kinds.AuditNote | None = None  # what the report asked to have audited with the run


def write_atomically(path: Path, write: report_kinds.FileWriter) -> WrittenFile:
    """Write a file so readers see all of it or none of it: a temporary file in the same folder, then a rename.

    `write` streams the content; its SHA-256 and size are taken as it passes. On any error nothing is left behind.
    """
    temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    try:
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o640)
        with os.fdopen(descriptor, "wb") as handle:
            stream = _HashingStream(handle)
            note = write(stream)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
    return WrittenFile(stream.sha256, stream.size, note)


def describe_error(error: BaseException) -> str:
    """Return one sentence for the run record; never a traceback, SQL or a file system path."""
    if isinstance(error, InspectAppError):
        text = "; ".join(getattr(error, "messages", None) or [str(error)])
    elif isinstance(error, SQLAlchemyError):
        text = "A database error stopped the export; the details are in the runner's log"
    elif isinstance(error, OSError):
        text = f"The file could not be written: {error.strerror or type(error).__name__}"
    else:
        first_line = (str(error).strip().splitlines() or [""])[0][:300]
        text = f"The report could not be built ({type(error).__name__}{': ' + first_line if first_line else ''})"
    return text[:MAX_ERROR]


def _produce(
    session_factory: SessionFactory,
    claim: _Claim,
    now: datetime,
    runner_id: str,
    settings: RunnerSettings,
    timer: Timer,
) -> RunOutcome:
    """Build, write and record one claimed export. Never raises: every failure becomes a failed run."""
    try:
        with session_factory() as session:
            partnership = session.get(Partnership, claim.partnership_id)
            if partnership is None:
                raise NotFound("The partnership no longer exists")
            write = report_kinds.prepare_report(
                session, partnership, claim.report_kind, claim.format, settings.reports
            )
            session.rollback()  # the writer has all it needs: no transaction stays open while a large file is written
        folder = destination_folder(settings.export_root, claim.slug, claim.destination)
        folder.mkdir(parents=True, exist_ok=True)
        destination_folder(settings.export_root, claim.slug, claim.destination)  # still inside after mkdir
        path = folder / file_name(claim, FORMATS[claim.format].extension)
        written = write_atomically(path, write)
    except Exception as error:
        log.exception("Scheduled export failed: run %s, schedule %s, %s", claim.run_id, claim.schedule_id, claim.report)
        return _record_failure(session_factory, claim, now, runner_id, settings, timer, describe_error(error))
    relative = path.relative_to(settings.export_root).as_posix()
    try:
        return _record_success(session_factory, claim, runner_id, settings, timer, relative, written)
    except Exception as error:
        log.exception("Could not record the success of export run %s", claim.run_id)
        path.unlink(missing_ok=True)  # not recorded, so never pruned: remove it; the run is retried
        return _record_failure(session_factory, claim, now, runner_id, settings, timer, describe_error(error))


def _record_success(
    session_factory: SessionFactory,
    claim: _Claim,
    runner_id: str,
    settings: RunnerSettings,
    timer: Timer,
    relative: str,
    written: WrittenFile,
) -> RunOutcome:
    digest, size = written.sha256, written.size
    with session_factory() as session, session.begin():
        finished = timer()
        session.execute(
            update(ExportRun)
            .where(ExportRun.id == claim.run_id)
            .values(status="succeeded", finished_at=finished, file_path=relative, sha256=digest, size_bytes=size)
            .execution_options(synchronize_session=False)
        )
        session.execute(
            update(ExportSchedule)
            .where(ExportSchedule.id == claim.schedule_id)
            .values(consecutive_failures=0)
            .execution_options(synchronize_session=False)
        )
        audit.record(
            session,
            RUNNER,
            "export.run_succeeded",
            when=finished,
            partnership_id=claim.partnership_id,
            object_type="export_run",
            object_id=claim.run_id,
            details={
                "schedule_id": claim.schedule_id,
                "report": claim.report,
                "file": relative,
                "sha256": digest,
                "size_bytes": size,
                "runner": runner_id,
            },
        )
        if written.note is not None:
            note = written.note
            audit.record(
                session,
                RUNNER,
                note.action,
                when=finished,
                partnership_id=claim.partnership_id,
                object_type=note.object_type,
                details={**note.details, "export_run_id": claim.run_id, "file": relative},
            )
        _prune(session, claim, settings, finished)
    return RunOutcome(claim.run_id, claim.schedule_id, claim.slug, claim.report, "succeeded", relative, digest)


def _record_failure(
    session_factory: SessionFactory,
    claim: _Claim,
    now: datetime,
    runner_id: str,
    settings: RunnerSettings,
    timer: Timer,
    message: str,
) -> RunOutcome:
    failures = claim.consecutive_failures + 1
    wait = min(settings.retry_first * 2 ** min(failures - 1, 20), settings.retry_max)
    retry_at = min(now + wait, claim.next_regular)
    try:
        with session_factory() as session, session.begin():
            finished = timer()
            session.execute(
                update(ExportRun)
                .where(ExportRun.id == claim.run_id)
                .values(status="failed", finished_at=finished, error=message)
                .execution_options(synchronize_session=False)
            )
            session.execute(
                update(ExportSchedule)
                .where(ExportSchedule.id == claim.schedule_id)
                .values(consecutive_failures=failures)
                .execution_options(synchronize_session=False)
            )
            # Bring the schedule forward for a retry, unless someone changed it since the claim.
            session.execute(
                update(ExportSchedule)
                .where(ExportSchedule.id == claim.schedule_id, ExportSchedule.next_due_at == claim.next_regular)
                .values(next_due_at=retry_at)
                .execution_options(synchronize_session=False)
            )
            audit.record(
                session,
                RUNNER,
                "export.run_failed",
                when=finished,
                partnership_id=claim.partnership_id,
                object_type="export_run",
                object_id=claim.run_id,
                details={
                    "schedule_id": claim.schedule_id,
                    "report": claim.report,
                    "error": message,
                    "retry_after": retry_at.isoformat(timespec="seconds"),
                    "runner": runner_id,
                },
            )
    except Exception:
        # The run stays "running"; the next runner after EXPORT_ABANDONED_AFTER marks it failed and retries it.
        log.exception("Could not record the failure of export run %s", claim.run_id)
    return RunOutcome(claim.run_id, claim.schedule_id, claim.slug, claim.report, "failed", error=message)


def _prune(session: Session, claim: _Claim, settings: RunnerSettings, when: datetime) -> None:
    """Delete this schedule's files beyond its newest `keep_last` (only files its own runs recorded)."""
    old_runs = session.execute(
        select(ExportRun.id, ExportRun.file_path)
        .where(
            ExportRun.schedule_id == claim.schedule_id,
            ExportRun.status == "succeeded",
            ExportRun.file_path.is_not(None),
            ExportRun.pruned_at.is_(None),
        )
        .order_by(ExportRun.started_at.desc(), ExportRun.id.desc())
        .offset(claim.keep_last)
    ).all()
    root = settings.export_root.resolve()
    for run_id, file_path in old_runs:
        path = settings.export_root / file_path
        if path.resolve().is_relative_to(root):
            path.unlink(missing_ok=True)
        session.execute(
            update(ExportRun)
            .where(ExportRun.id == run_id)
            .values(pruned_at=when)
            .execution_options(synchronize_session=False)
        )


def runner_settings(config: Mapping[str, Any]) -> RunnerSettings:
    """Return the runner's settings from the app's configuration."""
    return RunnerSettings(
        export_root=Path(config["EXPORT_ROOT"]),
        reports=ReportSettings.from_config(config),
        retry_first=config["EXPORT_RETRY_FIRST"],
        retry_max=config["EXPORT_RETRY_MAX"],
        abandoned_after=config["EXPORT_ABANDONED_AFTER"],
    )


def cadence_label(schedule: ExportSchedule) -> str:
    """Return "Every Monday at 7:00am" for a schedule."""
    return cadence_of(schedule).describe()
