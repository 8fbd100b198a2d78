"""Write and read the append-only audit log."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from inspect_app.models import AuditEvent, User

COMMAND_LINE_ACTOR = "command line"


@dataclass(frozen=True)
class Actor:
    """Who is acting: a signed-in user, or the command line / scheduler (user None)."""

    user: User | None
    label: str

    @classmethod
    def of(cls, user: User | None) -> Actor:
        return cls(user=user, label=user.email if user else COMMAND_LINE_ACTOR)


SYSTEM = Actor(user=None, label=COMMAND_LINE_ACTOR)


def record(
    session: Session,
    actor: Actor,
    action: str,
    *,
    when: datetime,
    partnership_id: int | None = None,
    object_type: str | None = None,
    object_id: object = None,
    details: dict | None = None,
) -> AuditEvent:
    """Append one audit event (flushes; the caller commits with the change it describes)."""
    event = AuditEvent(
        occurred_at=when,
        user_id=actor.user.id if actor.user else None,
        actor=actor.label,
        partnership_id=partnership_id,
        action=action,
        object_type=object_type,
        object_id=None if object_id is None else str(object_id),
        details=details or {},
    )
    session.add(event)
    session.flush()
    return event


@dataclass(frozen=True)
class AuditFilter:
    action: str | None = None
    action_prefix: str | None = None  # "inspector." gives every inspector.* action
    actor: str | None = None
    object_type: str | None = None
    date_from: datetime | None = None
    date_to: datetime | None = None


def audit_query(partnership_id: int, filters: AuditFilter) -> Select[tuple[AuditEvent]]:
    """Return the query for one partnership's audit events, newest first, narrowed by `filters`."""
    query = select(AuditEvent).where(AuditEvent.partnership_id == partnership_id)
    if filters.action:
        query = query.where(AuditEvent.action == filters.action)
    if filters.action_prefix:
        query = query.where(AuditEvent.action.startswith(filters.action_prefix, autoescape=True))
    if filters.actor:
        query = query.where(AuditEvent.actor.ilike(f"%{filters.actor.strip()}%"))
    if filters.object_type:
        query = query.where(AuditEvent.object_type == filters.object_type)
    if filters.date_from:
        query = query.where(AuditEvent.occurred_at >= filters.date_from)
    if filters.date_to:
        query = query.where(AuditEvent.occurred_at < filters.date_to)
    return query.order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())


@dataclass(frozen=True)
class EventPage:
    """One page of audit events, newest first, and how many match in all."""

    events: list[AuditEvent]
    total: int
    page: int
    size: int

    @property
    def pages(self) -> int:
        return max((self.total + self.size - 1) // self.size, 1)


def page_of_events(session: Session, partnership_id: int, filters: AuditFilter, *, page: int, size: int) -> EventPage:
    """Return page `page` (from 1; a page past the end is empty) of a partnership's events matching `filters`."""
    query = audit_query(partnership_id, filters)
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    page = max(page, 1)
    events = list(session.scalars(query.limit(size).offset((page - 1) * size)))
    return EventPage(events=events, total=total, page=page, size=size)


def iter_events(session: Session, partnership_id: int, filters: AuditFilter) -> Iterator[AuditEvent]:
    """Yield every event of the partnership matching `filters`, newest first (for downloads)."""
    yield from session.scalars(audit_query(partnership_id, filters))


def list_actions(session: Session, partnership_id: int) -> list[str]:
    """Return the distinct action names recorded for a partnership (for the filter drop-down)."""
    rows = session.scalars(
        select(AuditEvent.action)
        .where(AuditEvent.partnership_id == partnership_id)
        .distinct()
        .order_by(AuditEvent.action)
    )
    return list(rows)


@dataclass(frozen=True)
class ActorActivity:
    actor: str
    entries: int
    first: datetime
    last: datetime


def activity_by_actor(session: Session, partnership_id: int, action_prefix: str) -> list[ActorActivity]:
    """Return, per person, how many entries with this action prefix they have and when they were first and last
    seen, the most recently active first."""
    rows = session.execute(
        select(AuditEvent.actor, func.count(), func.min(AuditEvent.occurred_at), func.max(AuditEvent.occurred_at))
        .where(
            AuditEvent.partnership_id == partnership_id,
            AuditEvent.action.startswith(action_prefix, autoescape=True),
        )
        .group_by(AuditEvent.actor)
        .order_by(func.max(AuditEvent.occurred_at).desc())
    ).all()
    return [ActorActivity(*row) for row in rows]
