"""The demo partnership: synthetic but realistic, deterministic for a seed.

Each feature adds a step to DEMO_STEPS; `build_demo` runs them in order on one session.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from inspect_app.models import Partnership, User
from inspect_app.services import accounts, audit
from inspect_app.services import partnerships as partnership_service
from inspect_app.services.benchmark_demo import add_national_statistics
from inspect_app.services.frameworks import load_frameworks

DEMO_SLUG = "demo"
DEMO_PASSWORD = "demo-password-1234"  # demo data only; printed by `make run`
DEMO_PEOPLE = [
    # email, name, role, admin
    ("lead@demo.example", "Alex Morgan (council SEND lead)", "lead", False),
    ("icb.lead@demo.example", "Priya Shah (ICB designated clinical officer)", "lead", False),
    ("contributor@demo.example", "Sam Taylor (SEND data analyst)", "contributor", False),
    ("viewer@demo.example", "Jo Williams (parent carer forum)", "viewer", False),
    ("inspector@demo.example", "Chris Evans (inspector)", "inspector", False),
    ("admin@demo.example", "Site administrator", None, True),
]


@dataclass
class DemoContext:
    session: Session
    partnership: Partnership
    people: dict[str, User]
    rng: random.Random
    now: datetime
    cases: int
    summary: list[str] = field(default_factory=list)


DemoStep = Callable[[DemoContext], None]
DEMO_STEPS: list[DemoStep] = [add_national_statistics]


def database_is_empty(session: Session) -> bool:
    """Return whether no partnership exists yet (then `make run` builds the demo)."""
    return (session.scalar(select(func.count()).select_from(Partnership)) or 0) == 0


def build_demo(
    session: Session, *, seed: int, cases: int, now: datetime, frameworks_root: Path | None = None
) -> DemoContext:
    """Create the demo partnership, its people and every feature's demo data."""
    actor = audit.SYSTEM
    if frameworks_root is not None:
        load_frameworks(session, actor, frameworks_root, when=now)
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
    for email, name, role, is_admin in DEMO_PEOPLE:
        user = accounts.find_user_by_email(session, email) or accounts.create_user(
            session, actor, email=email, name=name, password=DEMO_PASSWORD, is_admin=is_admin, when=now
        )
        people[email] = user
        if role:
            expires = (now + timedelta(days=30)).date() if role == "inspector" else None
            partnership_service.grant(session, actor, partnership, email=email, role=role, expires_on=expires, when=now)
    context = DemoContext(
        session=session, partnership=partnership, people=people, rng=random.Random(seed), now=now, cases=cases
    )
    for step in DEMO_STEPS:
        step(context)
    return context
