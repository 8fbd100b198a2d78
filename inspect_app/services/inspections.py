"""Inspection records and the inspector access granted from them."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, datetime

from sqlalchemy.orm import Session

from inspect_app.domain.errors import ValidationFailed
from inspect_app.domain.inspections import INSPECTION_TYPES, MAX_NOTES, KeyDates, default_access_end, key_dates
from inspect_app.models import Inspection, Membership, Partnership
from inspect_app.services import audit
from inspect_app.services import partnerships as partnership_service
from inspect_app.services.accounts import find_user_by_email
from inspect_app.services.tenancy import get_scoped, scoped


@dataclass(frozen=True)
class InspectionDetails:
    """What a lead enters about an inspection."""

    inspection_type: str
    notification_date: date
    on_site_week_start: date | None = None
    lead_inspector: str | None = None
    notes: str = ""

    def problems(self) -> list[str]:
        """Return what is wrong, one GOV.UK-style sentence each."""
        problems = []
        if self.inspection_type not in INSPECTION_TYPES:
            problems.append("Select the type of inspection")
        if self.on_site_week_start is not None:
            if self.on_site_week_start.weekday() != 0:
                problems.append("The on-site week must start on a Monday")
            elif self.on_site_week_start < self.notification_date:
                problems.append("The on-site week must start after the notification date")
        if self.lead_inspector and len(self.lead_inspector) > 200:
            problems.append("Lead inspector must be 200 characters or fewer")
        if len(self.notes) > MAX_NOTES:
            problems.append(f"Notes must be {MAX_NOTES:,} characters or fewer")
        return problems


def list_inspections(session: Session, partnership_id: int) -> list[Inspection]:
    """Return the partnership's inspections, the latest notification first."""
    query = scoped(Inspection, partnership_id).order_by(Inspection.notification_date.desc(), Inspection.id.desc())
    return list(session.scalars(query))


def latest_inspection(session: Session, partnership_id: int) -> Inspection | None:
    """Return the inspection with the latest notification date, or None."""
    query = scoped(Inspection, partnership_id).order_by(Inspection.notification_date.desc(), Inspection.id.desc())
    return session.scalars(query.limit(1)).first()


def get_inspection(session: Session, partnership_id: int, inspection_id: int) -> Inspection:
    """Return one of the partnership's inspections or raise NotFound."""
    return get_scoped(session, Inspection, partnership_id, inspection_id)


def dates_of(inspection: Inspection) -> KeyDates:
    """Return the inspection's key dates (entered and estimated)."""
    return key_dates(inspection.inspection_type, inspection.notification_date, inspection.on_site_week_start)


def _clean(details: InspectionDetails) -> InspectionDetails:
    details = InspectionDetails(
        inspection_type=details.inspection_type,
        notification_date=details.notification_date,
        on_site_week_start=details.on_site_week_start,
        lead_inspector=(details.lead_inspector or "").strip() or None,
        notes=(details.notes or "").strip(),
    )
    if details.problems():
        raise ValidationFailed(details.problems())
    return details


def _audit_values(details: InspectionDetails) -> dict:
    return {k: v.isoformat() if isinstance(v, date) else v for k, v in asdict(details).items()}


def create_inspection(
    session: Session, actor: audit.Actor, partnership: Partnership, details: InspectionDetails, *, when: datetime
) -> Inspection:
    """Record an inspection for the partnership."""
    details = _clean(details)
    inspection = Inspection(partnership_id=partnership.id, created_at=when, updated_at=when, **asdict(details))
    session.add(inspection)
    session.flush()
    audit.record(
        session,
        actor,
        "inspection.created",
        when=when,
        partnership_id=partnership.id,
        object_type="inspection",
        object_id=inspection.id,
        details=_audit_values(details),
    )
    return inspection


def update_inspection(
    session: Session, actor: audit.Actor, inspection: Inspection, details: InspectionDetails, *, when: datetime
) -> Inspection:
    """Change an inspection record; the audit entry lists each changed field as [before, after]."""
    details = _clean(details)
    before = _audit_values(
        InspectionDetails(
            inspection.inspection_type,
            inspection.notification_date,
            inspection.on_site_week_start,
            inspection.lead_inspector,
            inspection.notes,
        )
    )
    after = _audit_values(details)
    changes = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
    if not changes:
        return inspection
    for name, value in asdict(details).items():
        setattr(inspection, name, value)
    inspection.updated_at = when
    session.flush()
    audit.record(
        session,
        actor,
        "inspection.updated",
        when=when,
        partnership_id=inspection.partnership_id,
        object_type="inspection",
        object_id=inspection.id,
        details=changes,
    )
    return inspection


def default_access_end_for(inspection: Inspection, days_after_on_site: int) -> date:
    """Return the suggested last day of inspector access for this inspection."""
    return default_access_end(dates_of(inspection), days_after_on_site)


def list_inspector_grants(session: Session, partnership_id: int) -> list[Membership]:
    """Return the partnership's inspector memberships (current and ended), latest end date first."""
    members = partnership_service.list_members(session, partnership_id)
    inspectors = [m for m in members if m.role == "inspector"]
    return sorted(inspectors, key=lambda m: (m.expires_on or date.max), reverse=True)


def grant_inspector_access(
    session: Session,
    actor: audit.Actor,
    partnership: Partnership,
    *,
    email: str,
    expires_on: date,
    when: datetime,
) -> Membership:
    """Give an existing account inspector access until `expires_on` (or change the end of an existing grant)."""
    user = find_user_by_email(session, email)
    if user is None:
        raise ValidationFailed(
            f"There is no account for {email.strip()}. Ask the site administrator to create one, then come back here"
        )
    existing = partnership_service.find_membership(session, partnership.id, user.id)
    if existing is not None and existing.role != "inspector":
        raise ValidationFailed(
            f"{user.email} is already a {existing.role} of this partnership. An inspector needs an account of their own"
        )
    return partnership_service.grant(
        session, actor, partnership, email=user.email, role="inspector", expires_on=expires_on, when=when
    )
