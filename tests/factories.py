"""Plain factory functions: persisted rows with sensible defaults (flushed, committed by the caller)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from pathlib import Path

from inspect_app.models import Membership, Partnership, User
from inspect_app.services.accounts import hash_password

PASSWORD = "correct horse battery staple"
_PASSWORD_HASH = hash_password(PASSWORD)  # hashed once: argon2 is deliberately slow
NOW = datetime(2026, 11, 27, 10, 0, 0)


def create_user(session, *, email: str, name: str | None = None, is_admin: bool = False) -> User:  # type: ignore[no-untyped-def]
    user = User(
        email=email,
        name=name or email.split("@")[0].title(),
        password_hash=_PASSWORD_HASH,
        is_admin=is_admin,
        created_at=NOW,
    )
    session.add(user)
    session.flush()
    return user


def create_partnership(  # type: ignore[no-untyped-def]
    session, *, slug: str, name: str | None = None, la_code: str = "805", framework_version_id: int | None = None
) -> Partnership:
    partnership = Partnership(
        slug=slug,
        name=name or f"{slug.title()} Partnership",
        la_code=la_code,
        icb_name=f"{slug.title()} ICB",
        created_at=NOW,
        framework_version_id=framework_version_id,
    )
    session.add(partnership)
    session.flush()
    return partnership


def add_member(
    session,
    partnership: Partnership,
    user: User,
    role: str,  # type: ignore[no-untyped-def]
    expires_on: date | None = None,
) -> Membership:
    membership = Membership(
        partnership_id=partnership.id, user_id=user.id, role=role, expires_on=expires_on, created_at=NOW
    )
    session.add(membership)
    session.flush()
    return membership


@dataclass
class PartnershipWorld:
    partnership: Partnership
    lead: User
    contributor: User
    viewer: User
    inspector: User
    memberships: dict[str, Membership]


@dataclass
class World:
    a: PartnershipWorld
    b: PartnershipWorld
    admin: User


def _populate(session, slug: str, la_code: str, version_id: int | None) -> PartnershipWorld:  # type: ignore[no-untyped-def]
    partnership = create_partnership(session, slug=slug, la_code=la_code, framework_version_id=version_id)
    people = {
        role: create_user(session, email=f"{role}@{slug}.example")
        for role in ("lead", "contributor", "viewer", "inspector")
    }
    memberships = {
        role: add_member(
            session,
            partnership,
            user,
            role,
            expires_on=date.today() + timedelta(days=30) if role == "inspector" else None,
        )
        for role, user in people.items()
    }
    return PartnershipWorld(partnership=partnership, memberships=memberships, **people)


FRAMEWORKS_DIR = Path(__file__).resolve().parent.parent / "frameworks"


@lru_cache(maxsize=1)
def shipped_framework():  # type: ignore[no-untyped-def]
    """The framework version shipped in frameworks/ (parsed once per test run)."""
    from inspect_app.domain.frameworks import discover_frameworks, load_framework

    return load_framework(discover_frameworks(FRAMEWORKS_DIR)[-1])


def load_shipped_framework(session):  # type: ignore[no-untyped-def]
    """Store the shipped framework version and return its row."""
    from inspect_app.services import audit
    from inspect_app.services.frameworks import get_version, store_framework

    framework = shipped_framework()
    store_framework(session, audit.SYSTEM, framework, when=NOW)
    return get_version(session, framework.id, framework.version)


def create_world(session) -> World:  # type: ignore[no-untyped-def]
    """Create partnerships A and B (on the shipped framework) with one member per role, and an admin; commit."""
    version = load_shipped_framework(session)
    world = World(
        a=_populate(session, "alpha", "805", version.id),
        b=_populate(session, "beta", "806", version.id),
        admin=create_user(session, email="admin@site.example", is_admin=True),
    )
    session.commit()
    return world


CASE_FILES = Path(__file__).resolve().parent / "fixtures" / "files" / "cases"


def import_case_file(session, partnership: Partnership, data: bytes | str, *, kind: str = "cases", when=NOW):  # type: ignore[no-untyped-def]
    """Import a case or review file (bytes, or the name of a file in fixtures/files/cases) as the real service
    does, commit, and return the import record."""
    from inspect_app.services import audit, case_imports

    if isinstance(data, str):
        data = (CASE_FILES / data).read_bytes()
    record = case_imports.create_import(
        session, audit.SYSTEM, partnership, kind=kind, filename=f"{kind}.csv", data=data, when=when
    )
    case_imports.mark_running(record, when=when)
    case_imports.run_import(session, record, data, today=when.date(), when=when)
    session.commit()
    return record
