"""The demo partnership: synthetic but realistic, deterministic for a seed.

Each feature adds a step to DEMO_STEPS; `build_demo` runs them in order on one session.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from inspect_app.config import Config
from inspect_app.domain.inspections import default_access_end, key_dates, monday_of
from inspect_app.domain.schedules import LAST_DAY
from inspect_app.models import Partnership, User
from inspect_app.services import accounts, audit, exports, inspections
from inspect_app.services import partnerships as partnership_service
from inspect_app.services.benchmark_demo import add_national_statistics
from inspect_app.services.frameworks import load_frameworks

# The frameworks shipped with the app (loading is idempotent, so the demo can always load them).
DEFAULT_FRAMEWORKS_DIR = Path(__file__).resolve().parents[2] / "frameworks"
DEMO_SLUG = "demo"
DEMO_PASSWORD = "demo-password-1234"  # demo data only; printed by `make run`
DEMO_PEOPLE = [
    # email, name, role, organisation, admin
    ("lead@demo.example", "Alex Morgan (council SEND lead)", "lead", "council", False),
    ("icb.lead@demo.example", "Priya Shah (ICB designated clinical officer)", "lead", "icb", False),
    ("contributor@demo.example", "Sam Taylor (SEND data analyst)", "contributor", "council", False),
    ("viewer@demo.example", "Jo Williams (parent carer forum)", "viewer", "parent_carer_forum", False),
    ("inspector@demo.example", "Chris Evans (inspector)", "inspector", None, False),
    ("admin@demo.example", "Site administrator", None, None, True),
]


@dataclass
class DemoContext:
    session: Session
    partnership: Partnership
    people: dict[str, User]
    rng: random.Random
    now: datetime
    cases: int
    seed: int = 0  # for steps that draw from a generator of their own, so they do not shift the others' draws
    summary: list[str] = field(default_factory=list)


DemoStep = Callable[[DemoContext], None]
DEMO_STEPS: list[DemoStep] = [add_national_statistics]


def demo_notification_date(now: datetime) -> date:
    """Return the demo inspection's notification: the Monday of next week (always in the near future)."""
    return monday_of(now.date() + timedelta(days=7))


def demo_inspector_access_end(now: datetime) -> date:
    """Return the demo inspector's last day: the end of the demo inspection's on-site week plus the usual days."""
    dates = key_dates("full", demo_notification_date(now), None)
    return default_access_end(dates, Config.INSPECTOR_ACCESS_DAYS_AFTER_ON_SITE)


def _demo_inspection(ctx: DemoContext) -> None:
    notification = demo_notification_date(ctx.now)
    inspections.create_inspection(
        ctx.session,
        audit.SYSTEM,
        ctx.partnership,
        inspections.InspectionDetails(
            inspection_type="full",
            notification_date=notification,
            lead_inspector="Jordan Blake HMI (synthetic)",
            notes="Local Area Nominated Officer: Alex Morgan. Set-up meeting on the notification day.",
        ),
        when=ctx.now,
    )
    ctx.summary.append(f"A full inspection notified on {notification:%d %B %Y}; the demo inspector has access.")


def _demo_exports(ctx: DemoContext) -> None:
    schedules = [
        exports.ScheduleDetails("audit-log", "csv", "weekly", time(7, 0), weekday=0, destination="weekly", keep_last=8),
        exports.ScheduleDetails(
            "members", "csv", "monthly", time(18, 0), day_of_month=LAST_DAY, destination="monthly", keep_last=12
        ),
    ]
    for details in schedules:
        exports.create_schedule(ctx.session, audit.SYSTEM, ctx.partnership, details, export_root=None, when=ctx.now)
    ctx.summary.append("Two scheduled exports: the audit log weekly, the member list monthly.")


DEMO_STEPS.extend([_demo_inspection, _demo_exports])


def database_is_empty(session: Session) -> bool:
    """Return whether no partnership exists yet (then `make run` builds the demo)."""
    return (session.scalar(select(func.count()).select_from(Partnership)) or 0) == 0


def build_demo(
    session: Session, *, seed: int, cases: int, now: datetime, frameworks_root: Path = DEFAULT_FRAMEWORKS_DIR
) -> DemoContext:
    """Create the demo partnership, its people and every feature's demo data."""
    actor = audit.SYSTEM
    load_frameworks(session, actor, frameworks_root, when=now)  # idempotent: a loaded version is left as it is
    partnership = partnership_service.create_partnership(
        session,
        actor,
        slug=DEMO_SLUG,
        name="Demoshire SEND Partnership (synthetic data)",
        la_code="805",
        icb_name="Demoshire and Coast Integrated Care Board",
        when=now,
    )
    people: dict[str, User] = {}
    for email, name, role, organisation, is_admin in DEMO_PEOPLE:
        user = accounts.find_user_by_email(session, email) or accounts.create_user(
            session, actor, email=email, name=name, password=DEMO_PASSWORD, is_admin=is_admin, when=now
        )
        people[email] = user
        if role:
            expires = demo_inspector_access_end(now) if role == "inspector" else None
            partnership_service.grant(
                session,
                actor,
                partnership,
                email=email,
                role=role,
                expires_on=expires,
                when=now,
                organisation=organisation,
            )
    context = DemoContext(
        session=session,
        partnership=partnership,
        people=people,
        rng=random.Random(seed),
        now=now,
        cases=cases,
        seed=seed,
    )
    for step in DEMO_STEPS:
        step(context)
    return context
