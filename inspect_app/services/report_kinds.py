"""The reports a scheduled export can produce: each kind's label, its formats and how it is built.

A feature makes its report schedulable with one entry in REPORT_KINDS, with one of two ways to make the file:

- `build(session, partnership, format, settings) -> bytes` for a report small enough to hold in memory;
- `prepare(session, partnership, format, settings) -> FileWriter` for one that must be streamed (the evidence
  pack, which can be gigabytes). `prepare` does everything that needs the database and returns a function that
  writes the file to a binary stream in chunks, so the file is written after the database transaction has ended.

The export form, pages and checks read only this list. The runner takes every kind as a writer
(`prepare_report`; a `build` kind's bytes are written in one piece), so there is one path to disk for both.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import IO, Any

from sqlalchemy.orm import Session

from inspect_app import clock
from inspect_app.domain.errors import ValidationFailed
from inspect_app.models import Partnership
from inspect_app.reports import readiness_render, sef_document, tables
from inspect_app.services import audit, readiness
from inspect_app.services import evidence_pack as pack_service
from inspect_app.services import partnerships as partnership_service
from inspect_app.services.readiness import ReadinessSettings
from inspect_app.services.sef_document import build_sef_document
from inspect_app.storage import BlobStore, store_from_config


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
class ReportSettings:
    """What building a report needs from the app's configuration."""

    readiness: ReadinessSettings
    store: BlobStore

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> ReportSettings:
        return cls(readiness=ReadinessSettings.from_app_config(config), store=store_from_config(config))


@dataclass(frozen=True)
class ReportKind:
    label: str
    formats: tuple[str, ...]
    build: Callable[[Session, Partnership, str, ReportSettings], bytes] | None = None
    prepare: Callable[[Session, Partnership, str, ReportSettings], FileWriter] | None = None

    def __post_init__(self) -> None:
        if (self.build is None) == (self.prepare is None):
            raise TypeError(f"The {self.label} report needs either build or prepare, not both or neither")


def _audit_log(session: Session, partnership: Partnership, fmt: str, settings: ReportSettings) -> bytes:
    events = session.scalars(audit.audit_query(partnership.id, audit.AuditFilter()))
    return tables.audit_log_csv(events).encode("utf-8")


def _members(session: Session, partnership: Partnership, fmt: str, settings: ReportSettings) -> bytes:
    members = partnership_service.list_members(session, partnership.id)
    return tables.members_csv(members, clock.today()).encode("utf-8")


def _readiness(session: Session, partnership: Partnership, fmt: str, settings: ReportSettings) -> bytes:
    return readiness_render.render(readiness.build_report(session, partnership, settings.readiness), fmt)


def _self_evaluation(session: Session, partnership: Partnership, fmt: str, settings: ReportSettings) -> bytes:
    """The current self-evaluation, signed off or not (a scheduled export is for the partnership itself)."""
    return sef_document.render(build_sef_document(session, partnership, settings.readiness), fmt)


def _evidence_pack(session: Session, partnership: Partnership, fmt: str, settings: ReportSettings) -> FileWriter:
    """The inspectors' evidence pack, the same as `inspect-app report evidence-pack` writes: approved evidence and
    the signed-off self-evaluation only, even though a scheduled export is for the partnership itself."""
    plan = pack_service.plan_pack(
        session, partnership, now=clock.now(), today=clock.today(), settings=settings.readiness
    )

    def write(out: IO[bytes]) -> AuditNote:
        result = pack_service.write_planned_pack(plan, settings.store, out)
        # Every pack made is an evidence_pack.built entry, whoever made it; the runner records it with the run.
        details = pack_service.built_details(plan, via="scheduled export", result=result)
        return AuditNote("evidence_pack.built", "evidence_pack", details)

    return write


# In the order the export form lists them.
REPORT_KINDS: dict[str, ReportKind] = {
    "readiness": ReportKind("Readiness report", ("pdf", "docx", "xlsx", "csv", "json", "html"), _readiness),
    "sef": ReportKind("Self-evaluation", ("pdf", "docx", "html"), _self_evaluation),
    "evidence-pack": ReportKind("Evidence pack", ("zip",), prepare=_evidence_pack),
    "audit-log": ReportKind("Audit log", ("csv",), _audit_log),
    "members": ReportKind("Members", ("csv",), _members),
}


def report_choices() -> list[tuple[str, str]]:
    """Return every (kind, format) pair as ("kind:format", "Label (FORMAT)"), in list order."""
    return [
        (f"{kind}:{fmt}", f"{report.label} ({FORMATS[fmt].label})")
        for kind, report in REPORT_KINDS.items()
        for fmt in report.formats
    ]


def describe(kind: str, fmt: str) -> str:
    """Return "Audit log (CSV)" for a kind and format, or the raw names if the kind is no longer offered."""
    report = REPORT_KINDS.get(kind)
    file_format = FORMATS.get(fmt)
    if report is None or file_format is None:
        return f"{kind} ({fmt})"
    return f"{report.label} ({file_format.label})"


def check_report(kind: str, fmt: str) -> None:
    """Raise ValidationFailed unless the kind exists and can be produced in this format."""
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


def build_report(session: Session, partnership: Partnership, kind: str, fmt: str, settings: ReportSettings) -> bytes:
    """Build one in-memory report for one partnership, or raise ValidationFailed if it is not available.

    Raises TypeError for a streamed kind (`prepare`): holding it whole in memory is what it exists to avoid.
    """
    report = _available(kind, fmt)
    if report.build is None:
        raise TypeError(f"The {report.label} is streamed to a file: use prepare_report")
    return report.build(session, partnership, fmt, settings)


def prepare_report(
    session: Session, partnership: Partnership, kind: str, fmt: str, settings: ReportSettings
) -> FileWriter:
    """Do one report's database work and return its file writer, or raise ValidationFailed if it is not available.

    The writer may be called after the session's transaction has ended.
    """
    report = _available(kind, fmt)
    if report.prepare is not None:
        return report.prepare(session, partnership, fmt, settings)
    assert report.build is not None
    content = report.build(session, partnership, fmt, settings)

    def write(out: IO[bytes]) -> None:
        out.write(content)

    return write
