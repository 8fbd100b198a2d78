"""The evidence pack for inspectors: gather what an inspector may see, then stream it into a ZIP.

What goes in is exactly what an inspector sees in the app: approved evidence only (`visible_items` with the
inspector role), the current revision of each file, the newest fully signed-off version of each criterion's
self-evaluation, the readiness report and the self-evaluation as PDF from the report registry, and the annual
timeliness measures (figures only: no case references, no dates of birth, nothing about a child).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from importlib import metadata
from typing import IO

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from inspect_app.domain.errors import InspectAppError, NotFound
from inspect_app.domain.file_types import FILE_TYPES
from inspect_app.domain.measures import MeasureValue
from inspect_app.domain.self_evaluation import EntryContent
from inspect_app.models import EvidenceItem, Partnership
from inspect_app.reports import readiness_report, sef_document
from inspect_app.reports.evidence_pack import (
    UNLINKED_FOLDER,
    CriterionEvidence,
    Omission,
    PackCriterion,
    PackDocument,
    PackEvidence,
    PackPlan,
    PackResult,
    Progress,
    Verification,
    evidence_path,
    write_pack,
)
from inspect_app.services import audit, readiness, timeliness
from inspect_app.services import evidence as evidence_service
from inspect_app.services import self_evaluation as sef_service
from inspect_app.services.frameworks import partnership_framework
from inspect_app.services.readiness import ReadinessSettings
from inspect_app.services.sef_document import build_sef_document
from inspect_app.storage import BlobNotFound, BlobStore


def _readiness_pdf(session: Session, partnership: Partnership, settings: ReadinessSettings) -> bytes:
    return readiness_report.render(readiness.build_report(session, partnership, settings), "pdf")


def _signed_off_self_evaluation_pdf(session: Session, partnership: Partnership, settings: ReadinessSettings) -> bytes:
    """The self-evaluation as inspectors may see it: only versions every partner signed, only approved evidence."""
    document = build_sef_document(session, partnership, settings, signed_off_only=True)
    return sef_document.render(document, "pdf")


# The reports the pack holds: (name, path in the pack, builder).
PACK_REPORTS: tuple[tuple[str, str, Callable[[Session, Partnership, ReadinessSettings], bytes]], ...] = (
    ("readiness", "reports/readiness.pdf", _readiness_pdf),
    ("self-evaluation", "reports/self-evaluation.pdf", _signed_off_self_evaluation_pdf),
)
TIMELINESS_PATH = "data/timeliness-summary.csv"
TIMELINESS_COLUMNS = ("id", "period", "value", "numerator", "denominator")
INSPECTOR = "inspector"  # the pack holds what an inspector may see


def app_version() -> str:
    try:
        return metadata.version("inspect-app")
    except metadata.PackageNotFoundError:
        return "unknown"


def timeliness_csv(values: Sequence[MeasureValue]) -> bytes:
    """Return the annual measures as CSV (id, period, value, numerator, denominator): figures only."""
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(TIMELINESS_COLUMNS)
    for value in values:
        shown = "" if value.denominator == 0 or value.value is None else value.value
        writer.writerow([value.measure_id, value.period, shown, value.numerator, value.denominator])
    return text.getvalue().encode("utf-8")


def _approved_items(session: Session, partnership_id: int) -> list[EvidenceItem]:
    query = (
        evidence_service.visible_items(partnership_id, INSPECTOR)
        .options(selectinload(EvidenceItem.links), selectinload(EvidenceItem.revisions))
        .order_by(EvidenceItem.reference, EvidenceItem.id)
    )
    return list(session.scalars(query))


def _pack_evidence(items: list[EvidenceItem], order: dict[str, int], taken: set[str]) -> list[PackEvidence]:
    """Place each item: a file linked to several criteria is stored once, under its first criterion."""
    placed = []
    for item in items:
        links = sorted(
            (link for link in item.current_links if link.criterion_id in order),
            key=lambda link: order[link.criterion_id],
        )
        criteria = tuple(link.criterion_id for link in links)
        revision = item.latest_revision if item.kind != "link" else None
        path = None
        if revision is not None:
            file_type = FILE_TYPES[revision.file_type]
            folder = criteria[0] if criteria else UNLINKED_FOLDER
            path = evidence_path(folder, item.reference, revision.filename, file_type.extension, taken)
        placed.append(
            PackEvidence(
                evidence_id=item.id,
                reference=item.reference,
                title=item.title,
                kind=item.kind,
                criteria=criteria,
                url=item.url if item.kind == "link" else None,
                sha256=revision.sha256 if revision else None,
                size=revision.size if revision else None,
                revision=revision.number if revision else None,
                file_label=FILE_TYPES[revision.file_type].label if revision else None,
                path=path,
            )
        )
    return placed


def _reports(
    session: Session, partnership: Partnership, settings: ReadinessSettings
) -> tuple[list[PackDocument], list[Omission]]:
    documents, omitted = [], []
    for kind, path, build in PACK_REPORTS:
        try:
            documents.append(PackDocument(path, build(session, partnership, settings), "report"))
        except InspectAppError as error:
            omitted.append(Omission(path, f"the {kind} report could not be built: {error}"))
    return documents, omitted


def plan_pack(
    session: Session,
    partnership: Partnership,
    *,
    now: datetime,
    today: date,
    settings: ReadinessSettings,
    include_reports: bool = True,
) -> PackPlan:
    """Gather everything the pack will hold (the reports are built here; evidence files are only referenced)."""
    version_row, framework = partnership_framework(session, partnership)
    order = {criterion.id: index for index, criterion in enumerate(framework.criteria)}
    taken: set[str] = set()
    items = _approved_items(session, partnership.id)
    evidence = _pack_evidence(items, order, taken)
    by_id = {e.evidence_id: e for e in evidence}
    per_criterion: dict[str, list[CriterionEvidence]] = {}
    for item in items:
        for link in item.current_links:
            if link.criterion_id in order:
                per_criterion.setdefault(link.criterion_id, []).append(CriterionEvidence(by_id[item.id], link.note))
    entries = sef_service.list_entries(session, partnership.id)
    sections = {c.id: s.title for s in framework.sections for c in s.criteria}
    criteria = []
    for criterion in framework.criteria:
        version = sef_service.latest_signed_off(entries.get(criterion.id), settings.signoff_partners)
        content = EntryContent.from_dict(version.content) if version else EntryContent()
        criteria.append(
            PackCriterion(
                id=criterion.id,
                title=criterion.title,
                section=sections[criterion.id],
                grade=content.grade if version else None,
                signed_off_version=version.number if version else None,
                strengths=content.strengths,
                areas_for_development=content.areas_for_development,
                impact=content.impact,
                evidence=tuple(
                    sorted(per_criterion.get(criterion.id, []), key=lambda row: row.evidence.reference.lower())
                ),
            )
        )
    documents, omitted = _reports(session, partnership, settings) if include_reports else ([], [])
    values = timeliness.annual_measures(session, partnership.id, today)
    documents.append(PackDocument(TIMELINESS_PATH, timeliness_csv(values), "data"))
    return PackPlan(
        partnership={"slug": partnership.slug, "name": partnership.name, "la_code": partnership.la_code},
        framework={"id": framework.id, "version": framework.version, "title": framework.title},
        generated_at=now,
        app_version=app_version(),
        criteria=criteria,
        evidence=evidence,
        unlinked=[e for e in evidence if not e.criteria],
        documents=documents,
        omitted=omitted,
    )


@dataclass(frozen=True)
class PackSummary:
    result: PackResult
    plan: PackPlan

    @property
    def line(self) -> str:
        links = sum(1 for e in self.plan.evidence if e.kind == "link")
        return (
            f"{len(self.result.entries)} files ({self.result.evidence_files} evidence files, {links} web links "
            f"listed, {len(self.plan.omitted)} omitted), {self.result.content_bytes} bytes; "
            f"manifest sha256 {self.result.manifest_sha256}"
        )


def evidence_opener(plan: PackPlan, store: BlobStore) -> Callable[[str], IO[bytes]]:
    """Open a planned evidence file from the store by its sha256 (every way of writing a pack reads through this).

    Raises NotFound, naming the evidence item, when an approved item's file is missing from the store.
    """

    def open_blob(sha256: str) -> IO[bytes]:
        try:
            return store.open(sha256)
        except BlobNotFound:
            references = ", ".join(e.reference for e in plan.files if e.sha256 == sha256)
            raise NotFound(f"The file of evidence {references} is missing from the evidence store") from None

    return open_blob


def write_planned_pack(
    plan: PackPlan, store: BlobStore, out: IO[bytes], progress: Progress | None = None
) -> PackResult:
    """Stream a gathered pack into `out`, reading each evidence file from the store in chunks."""
    return write_pack(plan, evidence_opener(plan, store), out, progress)


def built_details(plan: PackPlan, *, via: str, result: PackResult | None = None) -> dict[str, object]:
    """Return what the audit says about a pack: how it was made and what it held (the manifest's digest once it
    is written)."""
    details: dict[str, object] = {
        "via": via,
        "evidence_items": len(plan.evidence),
        "evidence_files": len(plan.files),
        "bytes": plan.total_bytes,
        "omitted": [o.path for o in plan.omitted],
    }
    if result is not None:
        details["manifest_sha256"] = result.manifest_sha256
        details["files"] = len(result.entries)
    return details


def record_built(
    session: Session,
    actor: audit.Actor,
    partnership: Partnership,
    plan: PackPlan,
    *,
    when: datetime,
    via: str,
    result: PackResult | None = None,
) -> None:
    """Audit a pack: who made it, how, and what it held."""
    audit.record(
        session,
        actor,
        "evidence_pack.built",
        when=when,
        partnership_id=partnership.id,
        object_type="evidence_pack",
        details=built_details(plan, via=via, result=result),
    )


def record_verified(
    session: Session, actor: audit.Actor, file_name: str, result: Verification, *, when: datetime
) -> None:
    """Audit a verification against the partnership the manifest names (if this database has it)."""
    partnership = None
    if result.partnership_slug:
        partnership = session.scalars(select(Partnership).where(Partnership.slug == result.partnership_slug)).first()
    audit.record(
        session,
        actor,
        "evidence_pack.verified",
        when=when,
        partnership_id=partnership.id if partnership else None,
        object_type="evidence_pack",
        details={
            "file": file_name,
            "ok": result.ok,
            "files_matching": result.checked,
            "problems": result.problems[:20],
            "manifest_sha256": result.manifest_sha256,
        },
    )


def build_pack(
    session: Session,
    actor: audit.Actor,
    partnership: Partnership,
    out: IO[bytes],
    *,
    store: BlobStore,
    now: datetime,
    today: date,
    settings: ReadinessSettings,
    via: str = "command line",
    progress: Progress | None = None,
    plan: PackPlan | None = None,
) -> PackSummary:
    """Gather, write and audit a pack (flushes; the caller commits)."""
    plan = plan or plan_pack(session, partnership, now=now, today=today, settings=settings)
    result = write_planned_pack(plan, store, out, progress)
    record_built(session, actor, partnership, plan, when=now, via=via, result=result)
    return PackSummary(result=result, plan=plan)
