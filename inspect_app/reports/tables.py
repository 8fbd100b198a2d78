"""Plain tables as CSV: the audit log and the member list (shared by pages, commands and scheduled exports)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any, Protocol

AUDIT_COLUMNS = ["when", "who", "action", "object_type", "object_id", "details"]
MEMBER_COLUMNS = ["name", "email", "role", "access_until", "current", "member_since"]
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: object) -> str:
    """Return a cell's text, with a leading apostrophe if a spreadsheet would run it as a formula."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(_FORMULA_STARTS) else text


class AuditEntry(Protocol):
    """What an audit row needs of an audit event (models.AuditEvent has it)."""

    occurred_at: datetime
    actor: str
    action: str
    object_type: str | None
    object_id: str | None
    details: Mapping[str, Any] | None


class Person(Protocol):
    name: str
    email: str


class Member(Protocol):
    """What a member-list row needs of a membership (models.Membership has it)."""

    user: Person
    role: str
    expires_on: date | None
    created_at: datetime

    def is_current(self, today: date) -> bool: ...


def _csv(header: list[str], rows: Iterable[list[object]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow([spreadsheet_safe(cell) for cell in row])
    return buffer.getvalue()


def audit_log_csv(events: Iterable[AuditEntry]) -> str:
    """Return audit events as CSV text, one row each, details as sorted key=value pairs."""
    return _csv(
        AUDIT_COLUMNS,
        (
            [
                event.occurred_at.isoformat(timespec="seconds"),
                event.actor,
                event.action,
                event.object_type or "",
                event.object_id or "",
                "; ".join(f"{k}={v}" for k, v in sorted((event.details or {}).items())),
            ]
            for event in events
        ),
    )


def members_csv(memberships: Iterable[Member], today: date) -> str:
    """Return a partnership's members as CSV text: who, their role, and until when inspectors have access."""
    return _csv(
        MEMBER_COLUMNS,
        (
            [
                m.user.name,
                m.user.email,
                m.role,
                m.expires_on.isoformat() if m.expires_on else "",
                "yes" if m.is_current(today) else "no",
                m.created_at.date().isoformat(),
            ]
            for m in memberships
        ),
    )
