"""The evidence pack for inspectors: gather what an inspector may see, then stream it into a ZIP.

What goes in is what the partnership chose to share, never its own preparation: approved evidence only
(`visible_items` with the inspector role), the current revision of each file, and the newest fully signed-off
version of each criterion's self-evaluation, always; then the items of `PACK_EXTRAS`, and only those: the
self-evaluation as a PDF, the timeliness measures by year (figures only: no case references, no dates of birth,
nothing about a child), the published national figures, and the family-feedback summaries in each survey's own
wording. A lead chooses among the extras, with a preview of every file, before handing the pack over. Nothing of
the readiness model (scores, ratings, gaps, draft titles) is ever in a pack.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from importlib import metadata
from typing import IO

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from inspect_app.domain.areas import ENGLAND_CODE
from inspect_app.domain.errors import InspectAppError, NotFound, ValidationFailed
from inspect_app.domain.feedback import AUDIENCES
from inspect_app.domain.file_types import FILE_TYPES
from inspect_app.domain.frameworks import Framework
from inspect_app.domain.measures import MeasureValue
from inspect_app.domain.numbers import round_half_up
from inspect_app.domain.readiness import FAMILY_AUDIENCES
from inspect_app.domain.self_evaluation import EntryContent
from inspect_app.models import EvidenceItem, Partnership
from inspect_app.reports import sef_document
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
from inspect_app.services import audit, benchmarks, feedback, timeliness
from inspect_app.services import evidence as evidence_service
from inspect_app.services import self_evaluation as sef_service
from inspect_app.services.frameworks import partnership_framework
from inspect_app.services.readiness import ReadinessSettings
from inspect_app.services.sef_document import build_sef_document
from inspect_app.storage import BlobNotFound, BlobStore

TIMELINESS_PATH = "data/timeliness-summary.csv"
TIMELINESS_COLUMNS = ("id", "period", "value", "numerator", "denominator")
NATIONAL_COLUMNS = (
    "measure", "measure_title", "area_code", "area_name", "period", "value", "numerator", "denominator", "symbol",
    "release",
)  # fmt: skip
FEEDBACK_COLUMNS = ("survey", "audience", "wave", "question", "answers", "agree_pct")
INSPECTOR = "inspector"  # the pack holds what an inspector may see


@dataclass(frozen=True)
class PackContext:
    """What building an extra needs besides the session and the partnership."""

    today: date
    settings: ReadinessSettings


@dataclass(frozen=True)
class PackExtra:
    """An item a lead may add to the pack: what it is, where it goes in the pack, and how it is built."""

    key: str
    title: str
    description: str
    path: str
    kind: str  # report | data
    build: Callable[[Session, Partnership, PackContext], bytes]


def _self_evaluation_pdf(session: Session, partnership: Partnership, context: PackContext) -> bytes:
    """The self-evaluation as inspectors may see it: only versions every partner signed, only approved evidence."""
    document = build_sef_document(session, partnership, context.settings, signed_off_only=True)
    return sef_document.render(document, "pdf")


def _timeliness(session: Session, partnership: Partnership, context: PackContext) -> bytes:
    return timeliness_csv(timeliness.annual_measures(session, partnership.id, context.today))


def _national_figures(session: Session, partnership: Partnership, context: PackContext) -> bytes:
    _, framework = partnership_framework(session, partnership)
    titles = {m.id: m.title for m in framework.measures}
    table = benchmarks.comparison_table(session, partnership, [m.id for m in framework.measures])
    return national_figures_csv(table, titles)


def _family_feedback(session: Session, partnership: Partnership, context: PackContext) -> bytes:
    _, framework = partnership_framework(session, partnership)
    return family_feedback_csv(session, partnership, framework, context.settings.config.feedback_suppress_below)


# Everything a lead may add to a pack, in the order the index lists them; nothing else can be added.
PACK_EXTRAS: tuple[PackExtra, ...] = (
    PackExtra(
        "self_evaluation",
        "Self-evaluation as signed off (PDF)",
        "Each criterion's newest version signed off by every partner, laid out for reading and printing.",
        "reports/self-evaluation.pdf",
        "report",
        _self_evaluation_pdf,
    ),
    PackExtra(
        "timeliness",
        "Timeliness measures by year (CSV)",
        "Each measure worked out from the case records, by year: value, numerator and denominator; no case-level "
        "or personal data.",
        TIMELINESS_PATH,
        "data",
        _timeliness,
    ),
    PackExtra(
        "national_figures",
        "Published national figures (CSV)",
        "DfE's published figures for the local authority, its region, its statistical neighbours and England, "
        "each with its year and release.",
        "data/national-figures.csv",
        "data",
        _national_figures,
    ),
    PackExtra(
        "family_feedback",
        "Family feedback summaries (CSV)",
        "Each family survey's questions in the survey's own wording, with the number of answers and the share "
        "who agree in its latest wave (not shown for very few answers).",
        "data/family-feedback.csv",
        "data",
        _family_feedback,
    ),
)
EXTRA_KEYS: tuple[str, ...] = tuple(extra.key for extra in PACK_EXTRAS)


def chosen_extras(keys: Iterable[str] | None) -> tuple[PackExtra, ...]:
    """Return the extras named (all of them for None), in list order; an unknown name raises ValidationFailed."""
    if keys is None:
        return PACK_EXTRAS
    wanted = list(dict.fromkeys(keys))
    unknown = [key for key in wanted if key not in EXTRA_KEYS]
    if unknown:
        raise ValidationFailed(f"Choose what to add to the pack from the list, not {', '.join(unknown)}")
    return tuple(extra for extra in PACK_EXTRAS if extra.key in wanted)


def national_figures_csv(table: benchmarks.ComparisonTable, titles: dict[str, str]) -> bytes:
    """Return every published figure of the table as CSV, rounded as DfE rounds; DfE's symbol where it has none."""
    area = table.area
    names = {area.la.code: area.la.name, ENGLAND_CODE: "England", **{n.code: n.name for n in area.neighbours}}
    if area.region is not None:
        names[area.region.code] = area.region.name
    by_published = {view.id: (measure_id, view) for measure_id, view in table.measures.items()}
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(NATIONAL_COLUMNS)
    for (published, code, period), value in sorted(table.values.items()):
        if published not in by_published:
            continue
        measure_id, view = by_published[published]
        shown = value.figure.display_value(view.unit)
        writer.writerow(
            [
                measure_id, titles.get(measure_id, view.title), code, names.get(code, code), period,
                "" if shown is None else f"{shown}", value.figure.numerator, value.figure.denominator,
                value.figure.symbol or "", value.release,
            ]
        )  # fmt: skip
    return text.getvalue().encode("utf-8")


def family_feedback_csv(session: Session, partnership: Partnership, framework: Framework, min_n: int) -> bytes:
    """Return each family survey's latest wave, question by question in the survey's own wording.

    The question is the column heading of the survey's export, as families read it; the tool's mapping to
    criteria is its own reading and stays out. Agreement is left blank below `min_n` answers.
    """
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(FEEDBACK_COLUMNS)
    for listing in feedback.list_surveys(session, partnership.id):
        survey = listing.survey
        if survey.audience not in FAMILY_AUDIENCES:
            continue
        analysis = feedback.analyse_survey(session, survey, framework, min_n=min_n, chart=False)
        if analysis.wave is None:
            continue
        for row in analysis.items:
            stats = row.stats
            shown = stats.n >= min_n and stats.agree_pct is not None
            for column in row.summary.columns:
                writer.writerow(
                    [
                        survey.name, AUDIENCES.get(survey.audience, survey.audience), analysis.wave.label, column,
                        stats.n, f"{round_half_up(stats.agree_pct, 1)}" if shown else "",
                    ]
                )  # fmt: skip
    return text.getvalue().encode("utf-8")


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


def _extras(
    session: Session, partnership: Partnership, extras: Sequence[PackExtra], context: PackContext
) -> tuple[list[PackDocument], list[Omission]]:
    documents, omitted = [], []
    for extra in extras:
        try:
            data = extra.build(session, partnership, context)
        except InspectAppError as error:
            omitted.append(Omission(extra.path, f"{extra.title} could not be built: {error}"))
            continue
        documents.append(PackDocument(extra.path, data, extra.kind, extra.title, extra.description))
    return documents, omitted


def plan_pack(
    session: Session,
    partnership: Partnership,
    *,
    now: datetime,
    today: date,
    settings: ReadinessSettings,
    extras: Iterable[str] | None = None,
    build_extras: bool = True,
) -> PackPlan:
    """Gather everything the pack will hold: the extras named (all of them for None) are built here, evidence
    files are only referenced. Without `build_extras`, the plan only names the extras (for a quick summary).
    """
    chosen = chosen_extras(extras)
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
    documents: list[PackDocument] = []
    omitted: list[Omission] = []
    if build_extras:
        documents, omitted = _extras(session, partnership, chosen, PackContext(today, settings))
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
        extras=tuple(extra.key for extra in chosen),
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
        "extras": list(plan.extras),
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
    extras: Iterable[str] | None = None,
) -> PackSummary:
    """Gather, write and audit a pack (flushes; the caller commits)."""
    plan = plan or plan_pack(session, partnership, now=now, today=today, settings=settings, extras=extras)
    result = write_planned_pack(plan, store, out, progress)
    record_built(session, actor, partnership, plan, when=now, via=via, result=result)
    return PackSummary(result=result, plan=plan)
