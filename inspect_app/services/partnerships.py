"""Partnerships and memberships: creating tenants, granting roles, keeping at least one lead."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from inspect_app.domain.errors import NotFound, ValidationFailed
from inspect_app.domain.partners import PARTNERS
from inspect_app.domain.roles import EDITING_ROLES
from inspect_app.models import ROLES, Membership, Partnership, User
from inspect_app.services import audit
from inspect_app.services.accounts import find_user_by_email

SLUG_PATTERN = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$")
LA_CODE_PATTERN = re.compile(r"^\d{3}$")



def get_partnership_by_slug(session: Session, slug: str) -> Partnership:
    """Return the partnership with this slug or raise NotFound."""
    partnership = session.scalars(select(Partnership).where(Partnership.slug == slug)).first()
    if partnership is None:
        raise NotFound(f"No partnership {slug!r}")
    return partnership


def list_partnerships(session: Session) -> list[Partnership]:
    """Return every partnership, by name."""
    return list(session.scalars(select(Partnership).order_by(Partnership.name)))


def create_partnership(
    session: Session, actor: audit.Actor, *, slug: str, name: str, la_code: str, icb_name: str | None, when: datetime
) -> Partnership:
    """Create a partnership after checking its slug and DfE LA code."""
    slug = slug.strip().lower()
    problems = []
    if not SLUG_PATTERN.match(slug):
        problems.append("Slug must be lower-case letters, numbers and hyphens, like north-shire")
    if not name.strip():
        problems.append("Enter the partnership's name")
    if not LA_CODE_PATTERN.match(la_code.strip()):
        problems.append("LA code must be DfE's 3-digit local authority code, like 805")
    if not problems and session.scalars(select(Partnership).where(Partnership.slug == slug)).first():
        problems.append(f"A partnership with the slug {slug} already exists")
    if problems:
        raise ValidationFailed(problems)
    from inspect_app.services.frameworks import latest_version  # frameworks import partnerships' models

    framework = latest_version(session)
    partnership = Partnership(
        slug=slug,
        name=name.strip(),
        la_code=la_code.strip(),
        icb_name=(icb_name or "").strip() or None,
        created_at=when,
        framework_version_id=framework.id if framework else None,
    )
    session.add(partnership)
    session.flush()
    audit.record(
        session,
        actor,
        "partnership.created",
        when=when,
        partnership_id=partnership.id,
        object_type="partnership",
        object_id=partnership.id,
        details={"slug": slug, "name": partnership.name, "la_code": partnership.la_code},
    )
    return partnership


def find_membership(session: Session, partnership_id: int, user_id: int) -> Membership | None:
    """Return a user's membership of a partnership (current or lapsed), or None."""
    return session.scalars(
        select(Membership).where(Membership.partnership_id == partnership_id, Membership.user_id == user_id)
    ).first()


def list_members(session: Session, partnership_id: int) -> list[Membership]:
    """Return a partnership's memberships, leads first, then by name."""
    order = {role: i for i, role in enumerate(ROLES)}
    members = session.scalars(
        select(Membership).join(User).where(Membership.partnership_id == partnership_id).order_by(User.name)
    )
    return sorted(members, key=lambda m: order.get(m.role, 99))


def _check_role(role: str, expires_on: date | None, today: date) -> None:
    if role not in ROLES:
        raise ValidationFailed(f"Select a role: {', '.join(ROLES)}")
    if role == "inspector" and expires_on is None:
        raise ValidationFailed("Enter the last day of the inspector's access")
    if expires_on is not None and role != "inspector":
        raise ValidationFailed("Only inspector access has an end date")
    if expires_on is not None and expires_on < today:
        raise ValidationFailed("The last day of access must be today or in the future")


def _lead_count(session: Session, partnership_id: int) -> int:
    return (
        session.scalar(
            select(func.count())
            .select_from(Membership)
            .where(Membership.partnership_id == partnership_id, Membership.role == "lead")
        )
        or 0
    )


def grant(
    session: Session,
    actor: audit.Actor,
    partnership: Partnership,
    *,
    email: str,
    role: str,
    expires_on: date | None,
    when: datetime,
    organisation: str | None = None,
) -> Membership:
    """Give an existing user a role in the partnership (or change the role they have)."""
    if organisation is not None and organisation not in PARTNERS:
        raise ValidationFailed(f"Select an organisation: {', '.join(PARTNERS)}")
    _check_role(role, expires_on, when.date())
    user = find_user_by_email(session, email)
    if user is None:
        raise ValidationFailed(f"There is no account for {email.strip()}; create the account first")
    membership = find_membership(session, partnership.id, user.id)
    if membership is None:
        membership = Membership(
            partnership_id=partnership.id,
            user_id=user.id,
            role=role,
            expires_on=expires_on,
            organisation=organisation,
            created_at=when,
        )
        session.add(membership)
        action, before = "member.added", None
    else:
        if membership.role == "lead" and role != "lead" and _lead_count(session, partnership.id) <= 1:
            raise ValidationFailed("A partnership must keep at least one lead")
        action, before = "member.role_changed", membership.role
        membership.role, membership.expires_on, membership.organisation = role, expires_on, organisation
    session.flush()
    audit.record(
        session,
        actor,
        action,
        when=when,
        partnership_id=partnership.id,
        object_type="membership",
        object_id=membership.id,
        details={
            "email": user.email,
            "role": role,
            "previous_role": before,
            "expires_on": expires_on.isoformat() if expires_on else None,
            "organisation": organisation,
        },
    )
    return membership


def get_membership(session: Session, partnership_id: int, membership_id: int) -> Membership:
    """Return one of the partnership's memberships or raise NotFound."""
    membership = session.scalars(
        select(Membership).where(Membership.partnership_id == partnership_id, Membership.id == membership_id)
    ).first()
    if membership is None:
        raise NotFound("Membership not found")
    return membership


def change_role(
    session: Session,
    actor: audit.Actor,
    membership: Membership,
    *,
    role: str,
    expires_on: date | None,
    when: datetime,
    organisation: str | None = None,
) -> Membership:
    """Change a member's role (and organisation), refusing to demote the last lead."""
    return grant(
        session,
        actor,
        membership.partnership,
        email=membership.user.email,
        role=role,
        expires_on=expires_on,
        when=when,
        organisation=organisation,
    )


def remove_member(session: Session, actor: audit.Actor, membership: Membership, *, when: datetime) -> None:
    """Remove a member from the partnership, never the last lead."""
    if membership.role == "lead" and _lead_count(session, membership.partnership_id) <= 1:
        raise ValidationFailed("You cannot remove the last lead; make someone else a lead first")
    details = {"email": membership.user.email, "role": membership.role}
    partnership_id, membership_id = membership.partnership_id, membership.id
    session.delete(membership)
    session.flush()
    audit.record(
        session,
        actor,
        "member.removed",
        when=when,
        partnership_id=partnership_id,
        object_type="membership",
        object_id=membership_id,
        details=details,
    )


@dataclass(frozen=True)
class Access:
    """What the signed-in user may do in one partnership."""

    partnership: Partnership
    membership: Membership | None

    @property
    def role(self) -> str | None:
        return self.membership.role if self.membership else None

    @property
    def can_edit(self) -> bool:
        return self.role in EDITING_ROLES

    @property
    def is_lead(self) -> bool:
        return self.role == "lead"

    @property
    def is_inspector(self) -> bool:
        return self.role == "inspector"


def memberships_for_user(session: Session, user: User, today: date) -> list[Membership]:
    """Return the user's current memberships (lapsed inspector grants left out), by partnership name."""
    rows = session.scalars(
        select(Membership).join(Partnership).where(Membership.user_id == user.id).order_by(Partnership.name)
    )
    return [m for m in rows if m.is_current(today)]
