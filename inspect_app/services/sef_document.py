"""Build the self-evaluation document: what each criterion's entry says, with its live measures and feedback.

Members get the current version of each entry with its sign-off status; inspectors and evidence packs
(`signed_off_only`) get only the newest version every partner signed, and only approved evidence.
The measures and the feedback sentence are the readiness report's, so the two documents never disagree.
A one-page summary of a criterion (`build_criterion_summary`) is the same document built for that criterion alone.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from inspect_app import clock
from inspect_app.config import Config
from inspect_app.domain.frameworks import CONFIRMED
from inspect_app.domain.partners import PARTNERS
from inspect_app.domain.self_evaluation import EntryContent
from inspect_app.filters import format_date
from inspect_app.models import EvidenceItem, Partnership
from inspect_app.reports.sef_document import (
    TITLE,
    CriterionPage,
    EvidenceLine,
    MeasureLine,
    QuoteLine,
    SectionPages,
    SefDocument,
    StepLine,
    paragraphs,
    uk_time,
)
from inspect_app.reports.sef_summary import CriterionSummary
from inspect_app.services import feedback, findings, readiness
from inspect_app.services import self_evaluation as sef
from inspect_app.services.evidence import STATUS_LABELS
from inspect_app.services.frameworks import partnership_framework

MAX_QUOTES = 3
NO_SIGNED_OFF = "No signed-off evaluation"


def build_sef_document(
    session: Session,
    partnership: Partnership,
    settings: readiness.ReadinessSettings,
    *,
    signed_off_only: bool = False,
    generated_at: datetime | None = None,
    service_name: str = Config.SERVICE_NAME,
    criterion_ids: Collection[str] | None = None,
) -> SefDocument:
    """Build the self-evaluation document; with `criterion_ids`, only those criteria (in framework order).

    Raises NotFound for a criterion id the partnership's framework version does not have.
    """
    generated_at = generated_at or clock.now()
    _, framework = partnership_framework(session, partnership)
    if criterion_ids is None:
        chosen = {criterion.id for criterion in framework.criteria}
    else:
        chosen = {framework.criterion(criterion_id).id for criterion_id in criterion_ids}
    # The whole report even for one criterion: its measures and feedback sentence must be the report's own, and
    # the readiness service assesses a partnership, not a criterion (its main cost, the case-data snapshot, is
    # the partnership's whichever criteria are asked for).
    report = readiness.build_report(session, partnership, settings, generated_at=generated_at)
    required = settings.signoff_partners
    entries = sef.list_entries(session, partnership.id)
    shown: dict[str, tuple[EntryContent | None, int | None, str, bool]] = {}
    for criterion in framework.criteria:
        if criterion.id in chosen:
            shown[criterion.id] = _shown(entries.get(criterion.id), required, signed_off_only)
    wanted_ids = {i for content, _, _, _ in shown.values() if content for i in content.evidence_ids}
    items = _evidence(session, partnership.id, wanted_ids, approved_only=signed_off_only)
    family = feedback.criterion_feedback(session, partnership.id, [c.id for c in framework.criteria if c.id in chosen])
    sections = []
    for section in framework.sections:
        pages = []
        for criterion in section.criteria:
            if criterion.id not in chosen:
                continue
            content, version, status_text, _ = shown[criterion.id]
            detail = report.detail(criterion.id)
            assert detail is not None  # the report is built from the same framework
            written = content is not None and not content.is_empty
            quotes = family[criterion.id].quotes[:MAX_QUOTES] if criterion.id in family else ()
            pages.append(
                CriterionPage(
                    id=criterion.id,
                    title=criterion.title,
                    written=written,
                    version=version,
                    status_text=status_text,
                    grade_label=(content.grade or "").capitalize() if content and content.grade else "Not graded",
                    strengths=paragraphs(content.strengths) if content else (),
                    areas_for_development=paragraphs(content.areas_for_development) if content else (),
                    impact=paragraphs(content.impact) if content else (),
                    next_steps=tuple(
                        StepLine(step.text, step.owner, format_date(step.due) if step.due else "")
                        for step in (content.next_steps if content else ())
                    ),
                    evidence=tuple(items[i] for i in (content.evidence_ids if content else ()) if i in items),
                    measures=tuple(
                        MeasureLine(m.title, m.period_text, m.value_text, m.counts_text, m.england_text)
                        for m in detail.measures
                    ),
                    feedback_text=detail.row.family_text,
                    quotes=tuple(QuoteLine(q.text, f"{q.survey_name}, {q.wave_label}") for q in quotes),
                    provisional=criterion.status != CONFIRMED,
                )
            )
        if pages or criterion_ids is None:  # the whole document lists every section, even one with no criteria
            sections.append(SectionPages(section.id, section.title, tuple(pages)))
    every = [page for s in sections for page in s.criteria]
    generated = generated_at.replace(tzinfo=UTC) if generated_at.tzinfo is None else generated_at.astimezone(UTC)
    return SefDocument(
        title=TITLE,
        service_name=service_name,
        partnership_name=partnership.name,
        partnership_slug=partnership.slug,
        framework_label=report.framework_label,
        as_of=report.as_of,
        generated_at=generated,
        generated_text=uk_time(generated),
        signed_off_only=signed_off_only,
        criteria_total=len(every),
        criteria_written=sum(1 for page in every if page.written),
        criteria_signed_off=sum(1 for *_, signed in shown.values() if signed),
        sections=tuple(sections),
        progress=(
            findings.progress_section(session, partnership.id, shared_only=signed_off_only, as_of=report.as_of)
            if criterion_ids is None
            else None
        ),
    )


def build_criterion_summary(
    session: Session,
    partnership: Partnership,
    settings: readiness.ReadinessSettings,
    criterion_id: str,
    *,
    signed_off_only: bool = False,
    generated_at: datetime | None = None,
    service_name: str = Config.SERVICE_NAME,
) -> CriterionSummary:
    """Build one criterion's page of the self-evaluation document with what the framework expects of it.

    Raises NotFound for a criterion id the partnership's framework version does not have.
    """
    _, framework = partnership_framework(session, partnership)
    criterion = framework.criterion(criterion_id)
    document = build_sef_document(
        session,
        partnership,
        settings,
        signed_off_only=signed_off_only,
        generated_at=generated_at,
        service_name=service_name,
        criterion_ids=(criterion.id,),
    )
    (section,) = document.sections
    (page,) = section.criteria
    return CriterionSummary(
        document=document,
        section_title=section.title,
        page=page,
        criterion_confirmed=criterion.status == CONFIRMED,
        expectations=tuple(indicator.text for indicator in criterion.indicators),
        expectations_confirmed=all(indicator.status == CONFIRMED for indicator in criterion.indicators),
    )


def _shown(entry, required, signed_off_only):  # type: ignore[no-untyped-def]
    """The content to show for one entry, its version number, a sentence about its sign-off, and whether the
    version shown is signed off by every partner."""
    partners = " and ".join(PARTNERS.get(p, p) for p in required)
    if signed_off_only:
        # Inspectors learn nothing about drafts: unwritten and unsigned read the same.
        version = sef.latest_signed_off(entry, required) if entry is not None else None
        if version is None:
            return None, None, NO_SIGNED_OFF, False
        content = EntryContent.from_dict(version.content)
        return content, version.number, f"Signed off by {partners} (version {version.number})", True
    if entry is None or not entry.current_version:
        return None, None, "Not written", False
    content = sef.content_of(entry)
    status = sef.status_of(entry, required)
    if status.complete:
        return content, entry.current_version, f"Signed off by {partners} (version {entry.current_version})", True
    waiting = " and ".join(PARTNERS.get(p, p) for p in status.missing)
    draft = f"Version {entry.current_version}, a draft waiting for sign-off by {waiting}"
    return content, entry.current_version, draft, False


def _evidence(session: Session, partnership_id: int, ids: set[int], *, approved_only: bool) -> dict[int, EvidenceLine]:
    if not ids:
        return {}
    query = select(EvidenceItem).where(EvidenceItem.partnership_id == partnership_id, EvidenceItem.id.in_(ids))
    if approved_only:
        query = query.where(EvidenceItem.status == "approved")
    return {
        item.id: EvidenceLine(item.reference, item.title, STATUS_LABELS.get(item.status, item.status))
        for item in session.scalars(query)
    }
