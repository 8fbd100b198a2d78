"""Import and export the evidence register: the service between the importer/report and the library."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import IO

from sqlalchemy.orm import Session

from inspect_app.domain.evidence_register import RegisterRow
from inspect_app.domain.frameworks import Framework
from inspect_app.importers.common import ImportResult, RowError
from inspect_app.importers.evidence_register import RegisterContext, read_register
from inspect_app.models import EvidenceItem, Partnership
from inspect_app.services import audit
from inspect_app.services import evidence as evidence_service
from inspect_app.services.evidence import (
    KIND_LABELS,
    PARTNER_LABELS,
    STATUS_LABELS,
    EvidenceInvalid,
    EvidenceSettings,
    ItemFields,
)
from inspect_app.services.tenancy import scoped

Source = str | Path | IO[bytes] | bytes


def register_context(
    session: Session, partnership: Partnership, framework: Framework, *, allow_approved: bool, max_rows: int = 5000
) -> RegisterContext:
    """Return what register rows are checked against for this partnership."""
    owners = evidence_service.owner_choices(session, partnership.id)
    existing = session.scalars(scoped(EvidenceItem, partnership.id).with_only_columns(EvidenceItem.reference))
    return RegisterContext(
        evidence_types={t.id: t.title for t in framework.evidence_types},
        criteria=frozenset(c.id for c in framework.criteria),
        owner_emails=frozenset(user.email.lower() for user in owners),
        existing_references=frozenset(existing),
        kinds=KIND_LABELS,
        partners=PARTNER_LABELS,
        statuses=STATUS_LABELS,
        allow_approved=allow_approved,
        max_rows=max_rows,
    )


def import_register(
    session: Session,
    actor: audit.Actor,
    partnership: Partnership,
    source: Source,
    *,
    framework: Framework,
    settings: EvidenceSettings,
    when: datetime,
    allow_approved: bool,
    filename: str = "",
    max_rows: int = 5000,
    dry_run: bool = False,
) -> ImportResult[RegisterRow]:
    """Check a register and, if every row is valid and this is not a dry run, add every row as an item.

    The caller commits only when the result is ok (and rolls back otherwise): all or nothing.
    """
    context = register_context(session, partnership, framework, allow_approved=allow_approved, max_rows=max_rows)
    result = read_register(source, context)
    if not result.ok or dry_run:
        return result
    owners = {user.email.lower(): user.id for user in evidence_service.owner_choices(session, partnership.id)}
    references = evidence_service.reference_allocator(
        session, partnership.id, also_taken=[row.reference for row in result.rows if row.reference]
    )
    for row in result.rows:
        try:
            _import_row(session, actor, partnership, row, owners, references, framework, settings, when)
        except EvidenceInvalid as error:  # the importer checks the same rules; this is a safety net
            result.errors.extend(
                RowError(row.row, field, "", message)
                for field, messages in error.by_field.items()
                for message in messages
            )
    if result.errors:
        result.rows = []
        return result
    audit.record(
        session,
        actor,
        "evidence.register_imported",
        when=when,
        partnership_id=partnership.id,
        object_type="evidence_register",
        details={"rows": len(result.rows), "file": filename[:200]},
    )
    return result


def _import_row(session, actor, partnership, row, owners, references, framework, settings, when) -> None:  # type: ignore[no-untyped-def]
    fields = ItemFields(
        title=row.title,
        evidence_type=row.evidence_type,
        partner=row.partner,
        owner_id=owners.get(row.owner_email),
        description=row.description,
        period_from=row.period_from,
        period_to=row.period_to,
        as_at=row.as_at,
        review_by=row.review_by,
        url=row.url or None,
    )
    item = evidence_service.create_item(
        session,
        actor,
        partnership,
        fields,
        kind=row.kind,
        framework=framework,
        settings=settings,
        when=when,
        reference=row.reference or next(references),
    )
    if row.criteria:
        evidence_service.set_links(
            session, actor, item, dict(row.criteria), framework=framework, when=when, require_notes=False
        )
    if row.status != "draft":
        evidence_service.set_imported_status(session, actor, item, row.status, row.returned_reason, when=when)


def export_rows(session: Session, partnership_id: int, *, role: str | None) -> list[RegisterRow]:
    """Return the register rows of every item the role may see, by reference."""
    return [to_register_row(item) for item in evidence_service.items_for_register(session, partnership_id, role=role)]


def to_register_row(item: EvidenceItem) -> RegisterRow:
    return RegisterRow(
        reference=item.reference,
        title=item.title,
        description=item.description,
        kind=item.kind,
        evidence_type=item.evidence_type,
        partner=item.partner,
        owner_email=item.owner.email if item.owner else "",
        criteria=tuple((link.criterion_id, link.note) for link in item.current_links),
        period_from=item.period_from,
        period_to=item.period_to,
        as_at=item.as_at,
        review_by=item.review_by,
        url=item.url or "",
        status=item.status,
        returned_reason=item.returned_reason or "",
    )
