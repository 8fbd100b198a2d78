"""The reports a scheduled export can produce.

A feature makes its report schedulable with one entry in REPORT_KINDS: a label, the formats it can produce, and
one of two ways to make the file:

- `build(session, partnership, format) -> bytes` for a report small enough to hold in memory (most of them);
- `prepare(session, partnership, format) -> FileWriter` for one that must be streamed (the evidence pack, which
  can be gigabytes). `prepare` does everything that needs the database and returns a function that writes the
  file to a binary stream in chunks, so the file is written after the database transaction has ended.

The scheduler, its form and its pages read only this registry. The scheduler takes every kind as a writer
(`prepare_report`; a `build` kind's bytes are written in one piece), so there is one path to disk for both.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import IO

from sqlalchemy.orm import Session

from inspect_app import clock
from inspect_app.domain.errors import ValidationFailed
from inspect_app.models import Partnership
from inspect_app.reports import tables
from inspect_app.services import audit
from inspect_app.services import partnerships as partnership_service


@dataclass(frozen=True)
class FileFormat:
    label: str
    extension: str
    media_type: str


FORMATS = {
    "csv": FileFormat("CSV", "csv", "text/csv"),
    "json": FileFormat("JSON", "json", "application/json"),
    "html": FileFormat("Web page (HTML)", "html", "text/html"),
    "pdf": FileFormat("PDF", "pdf", "application/pdf"),
    "docx": FileFormat("Word", "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "xlsx": FileFormat("Excel", "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "zip": FileFormat("ZIP", "zip", "application/zip"),
}


@dataclass(frozen=True)
class AuditNote:
    """An audit entry a report asks to have recorded with the run that wrote it, only if the run succeeds."""

    action: str
    object_type: str
    details: dict = field(default_factory=dict)


# Writes the whole file to a binary stream that cannot seek; returns what to audit about it, if anything.
FileWriter = Callable[[IO[bytes]], AuditNote | None]


@dataclass(frozen=True)
class ReportKind:
    label: str
    formats: tuple[str, ...]
    build: Callable[[Session, Partnership, str], bytes] | None = None
    prepare: Callable[[Session, Partnership, str], FileWriter] | None = None

    def __post_init__(self) -> None:
        if (self.build is None) == (self.prepare is None):
            raise TypeError(f"The {self.label} report needs either build or prepare, not both or neither")


def _audit_log(session: Session, partnership: Partnership, fmt: str) -> bytes:
    events = session.scalars(audit.audit_query(partnership.id, audit.AuditFilter()))
    return tables.audit_log_csv(events).encode("utf-8")


def _members(session: Session, partnership: Partnership, fmt: str) -> bytes:
    members = partnership_service.list_members(session, partnership.id)
    return tables.members_csv(members, clock.today()).encode("utf-8")


def _settings():  # type: ignore[no-untyped-def]
    from flask import current_app

    from inspect_app.services.readiness import ReadinessSettings

    return ReadinessSettings.from_app_config(current_app.config)


def _readiness(session: Session, partnership: Partnership, fmt: str) -> bytes:
    from inspect_app.reports import readiness_report
    from inspect_app.services import readiness

    return readiness_report.render(readiness.build_report(session, partnership, _settings()), fmt)


def _self_evaluation(session: Session, partnership: Partnership, fmt: str) -> bytes:
    """The current self-evaluation, signed off or not (a scheduled export is for the partnership itself)."""
    from inspect_app.reports import sef_document
    from inspect_app.services.sef_document import build_sef_document

    return sef_document.render(build_sef_document(session, partnership, _settings()), fmt)


def _evidence_pack(session: Session, partnership: Partnership, fmt: str) -> FileWriter:
    """The inspectors' evidence pack, the same as `inspect-app report evidence-pack` writes: approved evidence and
    the signed-off self-evaluation only, even though a scheduled export is for the partnership itself."""
    from flask import current_app

    from inspect_app.services import evidence_pack as pack_service
    from inspect_app.storage import get_store

    plan = pack_service.plan_pack(
        session,
        partnership,
        now=clock.now(),
        today=clock.today(),
        required_partners=tuple(current_app.config["SEF_SIGNOFF_PARTNERS"]),
    )
    store = get_store()

    def write(out: IO[bytes]) -> AuditNote:
        result = pack_service.write_planned_pack(plan, store, out)
        # Every pack made is an evidence_pack.built entry, whoever made it; the runner records it with the run.
        details = pack_service.built_details(plan, via="scheduled export", result=result)
        return AuditNote("evidence_pack.built", "evidence_pack", details)

    return write


REPORT_KINDS: dict[str, ReportKind] = {
    "readiness": ReportKind("Readiness report", ("pdf", "docx", "xlsx", "csv", "json", "html"), _readiness),
    "sef": ReportKind("Self-evaluation", ("pdf", "docx", "html"), _self_evaluation),
    "evidence-pack": ReportKind("Evidence pack", ("zip",), prepare=_evidence_pack),
    "audit-log": ReportKind("Audit log", ("csv",), _audit_log),
    "members": ReportKind("Members", ("csv",), _members),
}


def report_choices() -> list[tuple[str, str]]:
    """Return every (kind, format) pair as ("kind:format", "Label (FORMAT)"), in registry order."""
    return [
        (f"{kind}:{fmt}", f"{report.label} ({FORMATS[fmt].label})")
        for kind, report in REPORT_KINDS.items()
        for fmt in report.formats
    ]


def describe(kind: str, fmt: str) -> str:
    """Return "Audit log (CSV)" for a kind and format, or the raw names if the kind is no longer registered."""
    report = REPORT_KINDS.get(kind)
    file_format = FORMATS.get(fmt)
    if report is None or file_format is None:
        return f"{kind} ({fmt})"
    return f"{report.label} ({file_format.label})"


def check_report(kind: str, fmt: str) -> None:
    """Raise ValidationFailed unless the kind is registered and can be produced in this format."""
    report = REPORT_KINDS.get(kind)
    if report is None:
        raise ValidationFailed("Select a report from the list")
    if fmt not in report.formats or fmt not in FORMATS:
        raise ValidationFailed(f"{report.label} cannot be exported as {fmt}")


def _available(kind: str, fmt: str) -> ReportKind:
    if kind not in REPORT_KINDS:
        raise ValidationFailed(f"The {kind} report is not available in this version of the app")
    check_report(kind, fmt)
    return REPORT_KINDS[kind]


def build_report(session: Session, partnership: Partnership, kind: str, fmt: str) -> bytes:
    """Build one in-memory report for one partnership, or raise ValidationFailed if it is not available.

    Raises TypeError for a streamed kind (`prepare`): holding it whole in memory is what it exists to avoid.
    """
    report = _available(kind, fmt)
    if report.build is None:
        raise TypeError(f"The {report.label} is streamed to a file: use prepare_report")
    return report.build(session, partnership, fmt)


def prepare_report(session: Session, partnership: Partnership, kind: str, fmt: str) -> FileWriter:
    """Do one report's database work and return its file writer, or raise ValidationFailed if it is not available.

    The writer may be called after the session's transaction has ended.
    """
    report = _available(kind, fmt)
    if report.prepare is not None:
        return report.prepare(session, partnership, fmt)
    assert report.build is not None
    content = report.build(session, partnership, fmt)

    def write(out: IO[bytes]) -> None:
        out.write(content)

    return write
