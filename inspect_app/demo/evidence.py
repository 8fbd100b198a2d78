"""Demo evidence: about fifty items across every criterion, with real small files and every status.

Deterministic for the demo seed. Documents are generated (a hand-written PDF, DOCX, XLSX, CSV), some items are
web links, two are data snapshots; most are approved, some wait for review, some are drafts, some were
returned with a reason, and some are past or near their review-by date.
"""

from __future__ import annotations

from datetime import date, timedelta

from inspect_app.demo.context import DemoContext
from inspect_app.domain.frameworks import EvidenceType
from inspect_app.models import EvidenceItem
from inspect_app.reports.sample_documents import csv_bytes, docx_bytes, minimal_pdf, xlsx_bytes
from inspect_app.services import audit
from inspect_app.services import evidence as evidence_service
from inspect_app.services.evidence import EvidenceSettings, ItemFields, Upload
from inspect_app.services.frameworks import partnership_framework
from inspect_app.storage import store_from_config

PER_CRITERION = 3  # expected types per criterion given an item
LINK_TYPES = {"local_offer", "jsna", "short_breaks_statement", "send_strategy"}
RETURN_REASONS = (
    "The figures stop in December: add the last quarter before we share it.",
    "This is the draft version; upload the one the board signed off.",
    "Say which schools the audit covered and how they were chosen.",
)


def _partner(type_id: str) -> str:
    if type_id.startswith("health") or type_id in {"jsna", "waiting_list_extract", "health_commissioning_template"}:
        return "icb"
    if "feedback" in type_id or "coproduction" in type_id or "family" in type_id:
        return "parent_carer_forum"
    if "school" in type_id or "exclusion" in type_id or "attendance" in type_id:
        return "school_college"
    return "council"


def _file(evidence_type: EvidenceType, title: str, index: int, as_at: date) -> tuple[str, bytes]:
    lines = [
        f"Demoshire SEND Partnership: {evidence_type.title}.",
        evidence_type.description,
        f"Data as at {as_at:%d %B %Y}. Synthetic demonstration content.",
    ]
    slug = evidence_type.id.replace("_", "-")
    match index % 4:
        case 0:
            return f"{slug}.pdf", minimal_pdf(title, lines)
        case 1:
            return f"{slug}.docx", docx_bytes(title, lines)
        case 2:
            rows = [[f"Q{q} {as_at.year}", 40 + (index * 7 + q * 3) % 50, 100] for q in range(1, 5)]
            return f"{slug}.xlsx", xlsx_bytes("Figures", ["period", "numerator", "denominator"], rows)
        case _:
            rows = [[f"{as_at.year}-{m:02d}", 30 + (index + m * 5) % 60] for m in range(1, 7)]
            return f"{slug}.csv", csv_bytes(["month", "value"], rows)


def build_demo_evidence(ctx: DemoContext) -> None:
    """Add the demo partnership's evidence library."""
    session, rng, partnership = ctx.session, ctx.rng, ctx.partnership
    _, framework = partnership_framework(session, partnership)
    settings = EvidenceSettings.from_config(ctx.config)
    store = store_from_config(ctx.config)
    lead = audit.Actor.of(ctx.people["lead@demo.example"])
    owners = [
        ctx.people[e]
        for e in ("lead@demo.example", "icb.lead@demo.example", "contributor@demo.example", "viewer@demo.example")
    ]
    today = ctx.now.date()
    by_type: dict[str, EvidenceItem] = {}
    links: dict[int, dict[str, str]] = {}
    items: list[EvidenceItem] = []
    for criterion in framework.criteria:
        for type_id in criterion.evidence_types[:PER_CRITERION]:
            reuse = by_type.get(type_id)
            if reuse is not None and rng.random() < 0.35:
                links[reuse.id][criterion.id] = _shows(criterion, len(links[reuse.id]))
                continue
            evidence_type = framework.evidence_type(type_id)
            owner = owners[len(items) % len(owners)]
            months_old = rng.choice([1, 2, 3, 5, 8, 11, 11, 12, 14, 17])
            as_at = today - timedelta(days=30 * months_old + rng.randint(0, 20))
            kind = "link" if type_id in LINK_TYPES and rng.random() < 0.7 else "document"
            fields = ItemFields(
                title=f"{evidence_type.title} ({as_at:%B %Y})",
                evidence_type=type_id,
                partner=_partner(type_id),
                owner_id=owner.id,
                description=f"{evidence_type.description} Prepared for {criterion.id}.",
                period_from=date(as_at.year - 1, 4, 1) if as_at.month < 4 else date(as_at.year, 4, 1),
                period_to=as_at,
                as_at=as_at,
                url=f"https://demoshire.example/send/{type_id.replace('_', '-')}" if kind == "link" else None,
            )
            who = audit.Actor.of(owner)
            item = evidence_service.create_item(
                session, who, partnership, fields, kind=kind, framework=framework, settings=settings, when=ctx.now
            )
            if kind == "document":
                name, data = _file(evidence_type, fields.title, len(items), as_at)
                evidence_service.add_revision(
                    session, store, who, item, Upload(name, _bytes(data)), settings=settings, when=ctx.now
                )
            by_type[type_id] = item
            links[item.id] = {criterion.id: _shows(criterion, len(items))}
            items.append(item)
    items += _snapshots(ctx, framework, settings, store, lead, links)
    for item in items:
        evidence_service.set_links(
            session, audit.Actor.of(item.owner), item, links[item.id], framework=framework, when=ctx.now
        )
    _statuses(ctx, items, lead)
    ctx.summary.append(f"{len(items)} evidence items across {len(framework.criteria)} criteria")


def _shows(criterion, index: int) -> str:  # type: ignore[no-untyped-def]
    """A sentence on what an item shows: one of the things inspectors look for under the criterion."""
    indicator = criterion.indicators[index % len(criterion.indicators)].text.strip().rstrip(".")
    return f"Shows that {indicator[0].lower()}{indicator[1:]}."


def _bytes(data: bytes):  # type: ignore[no-untyped-def]
    import io

    return io.BytesIO(data)


def _snapshots(ctx, framework, settings, store, lead, links) -> list[EvidenceItem]:  # type: ignore[no-untyped-def]
    """Two data snapshots, as the timeliness pages will generate them."""
    made = []
    today = ctx.now.date()
    for title, type_id, criterion_id in (
        ("EHC plan timeliness snapshot (20 weeks, excluding exceptions)", "sen2_return", "EXP1"),
        ("Annual review timeliness snapshot", "sen2_return", "EXP2"),
    ):
        if type_id not in {t.id for t in framework.evidence_types}:
            continue
        rows = [[year, 40 + ctx.rng.randint(0, 30), 100] for year in range(today.year - 3, today.year)]
        fields = ItemFields(
            title=title,
            evidence_type=type_id,
            partner="council",
            owner_id=ctx.people["contributor@demo.example"].id,
            description="Generated by Inspect from the imported case records.",
            as_at=today,
        )
        item = evidence_service.record_snapshot(
            ctx.session,
            store,
            lead,
            ctx.partnership,
            fields,
            data=csv_bytes(["year", "numerator", "denominator"], rows),
            filename="snapshot.csv",
            framework=framework,
            settings=settings,
            when=ctx.now,
        )
        links[item.id] = {criterion_id: "The statutory timeliness measure, computed from case records."}
        made.append(item)
    return made


def _statuses(ctx: DemoContext, items: list[EvidenceItem], lead: audit.Actor) -> None:
    for index, item in enumerate(items):
        roll = ctx.rng.random()
        if roll < 0.2:
            continue  # stays a draft
        who = audit.Actor.of(item.owner)
        evidence_service.submit_for_review(ctx.session, who, item, when=ctx.now)
        if roll < 0.35:
            continue  # waiting for review
        if roll < 0.45:
            reason = RETURN_REASONS[index % len(RETURN_REASONS)]
            evidence_service.return_item(ctx.session, lead, item, reason, when=ctx.now)
        else:
            evidence_service.approve(ctx.session, lead, item, when=ctx.now)
