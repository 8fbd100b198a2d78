"""Plain factory functions: persisted rows with sensible defaults (flushed, committed by the caller)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from pathlib import Path

from inspect_app.models import ExportRun, ExportSchedule, Inspection, Membership, Partnership, User
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


def create_inspection(session, partnership: Partnership, **overrides) -> Inspection:  # type: ignore[no-untyped-def]
    values = {
        "inspection_type": "full",
        "notification_date": date(2026, 11, 23),
        "on_site_week_start": None,
        "lead_inspector": "Jordan Blake HMI",
        "notes": "",
        "created_at": NOW,
        "updated_at": NOW,
        **overrides,
    }
    inspection = Inspection(partnership_id=partnership.id, **values)
    session.add(inspection)
    session.flush()
    return inspection


def create_export_schedule(session, partnership: Partnership, **overrides) -> ExportSchedule:  # type: ignore[no-untyped-def]
    values = {
        "report_kind": "members",
        "format": "csv",
        "cadence": "daily",
        "weekday": None,
        "day_of_month": None,
        "time_of_day": time(7, 0),
        "destination": "daily",
        "keep_last": 5,
        "enabled": True,
        "next_due_at": NOW + timedelta(days=1),
        "consecutive_failures": 0,
        "created_by": "lead@example.org",
        "created_at": NOW,
        "updated_at": NOW,
        **overrides,
    }
    schedule = ExportSchedule(partnership_id=partnership.id, **values)
    session.add(schedule)
    session.flush()
    return schedule


def create_export_run(session, schedule: ExportSchedule, **overrides) -> ExportRun:  # type: ignore[no-untyped-def]
    values = {
        "due_at": NOW,
        "runner_id": "test",
        "started_at": NOW,
        "finished_at": NOW,
        "status": "succeeded",
        "file_path": f"members-{schedule.id}.csv",
        "sha256": "0" * 64,
        "size_bytes": 10,
        **overrides,
    }
    run = ExportRun(partnership_id=schedule.partnership_id, schedule_id=schedule.id, **values)
    session.add(run)
    session.flush()
    return run


@dataclass
class PartnershipWorld:
    partnership: Partnership
    lead: User
    contributor: User
    viewer: User
    inspector: User
    memberships: dict[str, Membership]
    inspection: Inspection | None = None
    export_schedule: ExportSchedule | None = None
    export_run: ExportRun | None = None


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
    schedule = create_export_schedule(session, partnership)
    return PartnershipWorld(
        partnership=partnership,
        memberships=memberships,
        inspection=create_inspection(session, partnership),
        export_schedule=schedule,
        export_run=create_export_run(session, schedule),
        **people,
    )


FRAMEWORKS_DIR = Path(__file__).resolve().parent.parent / "frameworks"
# The newest shipped version (what a new partnership works against).
LATEST_FRAMEWORK_DIR = max((FRAMEWORKS_DIR / "area-send").iterdir(), key=lambda p: p.name)


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


FEEDBACK_FILES = Path(__file__).resolve().parent / "fixtures" / "files" / "feedback"


@dataclass
class FeedbackObjects:
    survey_id: int
    wave_id: int
    comment_id: int
    entry_id: int
    upload_id: str


def create_feedback(session, partnership, *, survey_name: str = "Parent survey"):  # type: ignore[no-untyped-def]
    """Import the Google Forms fixture as a wave of a new survey, with a "you said, we did" entry; commit."""
    from inspect_app.domain.feedback import mapping_from_yaml
    from inspect_app.services import audit
    from inspect_app.services import feedback as feedback_service
    from inspect_app.services import feedback_comments as comment_service
    from inspect_app.services.frameworks import partnership_framework

    _, framework = partnership_framework(session, partnership)
    survey = feedback_service.create_survey(
        session, audit.SYSTEM, partnership.id, name=survey_name, audience="parents_carers", when=NOW
    )
    mapping = mapping_from_yaml((FEEDBACK_FILES / "google_forms_mapping.yml").read_text())
    outcome = feedback_service.import_wave(
        session,
        audit.SYSTEM,
        survey,
        data=(FEEDBACK_FILES / "google_forms.csv").read_bytes(),
        file_name="google_forms.csv",
        mapping=mapping,
        framework=framework,
        label="Summer 2024",
        when=NOW,
    )
    assert outcome.ok, outcome.result.errors[:3]
    comment = comment_service.list_comments(session, partnership.id, comment_service.CommentFilter())[0]
    entry = comment_service.create_entry(
        session,
        audit.SYSTEM,
        partnership.id,
        said="Waits are too long",
        did="We added a drop-in",
        criterion="EXP1",
        done_on=None,
        owner="SEND lead",
        comment_id=comment.id,
        framework=framework,
        when=NOW,
    )
    session.commit()
    return survey, outcome.wave, comment, entry


def feedback_objects(world) -> FeedbackObjects:  # type: ignore[no-untyped-def]
    """Partnership B's survey, wave, comment, entry and a pending upload (made once per world)."""
    cached = getattr(world, "_feedback_b", None)
    if cached is None:
        from flask import current_app

        from inspect_app.extensions import db
        from inspect_app.storage.pending_uploads import PendingUploads

        survey, wave, comment, entry = create_feedback(db.session, world.b.partnership)
        upload_id = PendingUploads(current_app.config["PENDING_UPLOADS_DIR"]).save(
            world.b.partnership.id, b"Timestamp\n", {"survey_id": survey.id}, now=NOW
        )
        cached = FeedbackObjects(survey.id, wave.id, comment.id, entry.id, upload_id)
        world._feedback_b = cached
    return cached


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


SEF_GRADES = ("strong", "secure", "developing", "weak")


def write_sef_entry(session, world_part, criterion_id: str, content, *, sign: bool, when: datetime) -> None:  # type: ignore[no-untyped-def]
    """Save a self-evaluation entry as the partnership's lead and, with `sign`, have it signed off by a council
    lead and an ICB lead (the partnership's ICB lead, added the first time it is needed); commit."""
    from sqlalchemy import select

    from inspect_app.services import audit
    from inspect_app.services import self_evaluation as sef
    from inspect_app.services.frameworks import partnership_framework

    _, framework = partnership_framework(session, world_part.partnership)
    entry = sef.save_entry(
        session,
        audit.Actor.of(world_part.lead),
        world_part.partnership,
        framework,
        criterion_id,
        content,
        grades=SEF_GRADES,
        when=when,
    )
    if sign:
        council = world_part.memberships["lead"]
        council.organisation = "council"
        icb = session.scalars(
            select(Membership).where(
                Membership.partnership_id == world_part.partnership.id,
                Membership.role == "lead",
                Membership.organisation == "icb",
            )
        ).first()
        if icb is None:
            email = f"icb.lead@{world_part.partnership.slug}.example"
            icb = add_member(session, world_part.partnership, create_user(session, email=email), "lead")
            icb.organisation = "icb"
        session.flush()
        for membership in (council, icb):
            sef.sign_off(
                session,
                audit.Actor.of(membership.user),
                membership,
                entry,
                version=entry.current_version,
                required=("council", "icb"),
                when=when,
            )
    session.commit()
