"""The demo partnership: synthetic but realistic, deterministic for a seed.

`build_demo` creates the partnership and its people, then runs DEMO_STEPS in order on one session. Each step is
one module of this package; features never import the demo. The order matters: steps that draw from the shared
generator (`DemoContext.rng`) must keep their places for the same seed to give the same data.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from inspect_app.demo import (
    benchmarks,
    cases,
    evidence,
    exports,
    feedback,
    inspection,
    previous_inspection,
    self_evaluation,
)
from inspect_app.demo.context import DEMO_PASSWORD, DEMO_SLUG, DemoContext, DemoStep
from inspect_app.demo.inspection import demo_inspector_access_end, demo_notification_date
from inspect_app.models import Partnership, User
from inspect_app.services import accounts, audit
from inspect_app.services import partnerships as partnership_service
from inspect_app.services.frameworks import load_frameworks

__all__ = [
    "DEMO_PASSWORD",
    "DEMO_PEOPLE",
    "DEMO_SLUG",
    "DEMO_STEPS",
    "DemoContext",
    "build_demo",
    "database_is_empty",
    "demo_inspector_access_end",
    "demo_notification_date",
]

# The frameworks shipped with the app (loading is idempotent, so the demo can always load them).
DEFAULT_FRAMEWORKS_DIR = Path(__file__).resolve().parents[2] / "frameworks"
DEMO_PEOPLE = [
    # email, name, role, organisation, admin
    ("lead@demo.example", "Alex Morgan (council SEND lead)", "lead", "council", False),
    ("icb.lead@demo.example", "Priya Shah (ICB designated clinical officer)", "lead", "icb", False),
    ("contributor@demo.example", "Sam Taylor (SEND data analyst)", "contributor", "council", False),
    ("viewer@demo.example", "Jo Williams (parent carer forum)", "viewer", "parent_carer_forum", False),
    ("inspector@demo.example", "Chris Evans (inspector)", "inspector", None, False),
    ("admin@demo.example", "Site administrator", None, None, True),
]

DEMO_STEPS: list[DemoStep] = [
    benchmarks.add_national_statistics,
    inspection.add_inspection,
    exports.add_exports,
    feedback.build_feedback_demo,
    self_evaluation.add_self_evaluation,
    evidence.build_demo_evidence,
    cases.add_case_data,
    previous_inspection.add_previous_inspection,
]


def database_is_empty(session: Session) -> bool:
    """Return whether no partnership exists yet (then `make run` builds the demo)."""
    return (session.scalar(select(func.count()).select_from(Partnership)) or 0) == 0


def build_demo(
    session: Session,
    *,
    seed: int,
    cases: int,
    now: datetime,
    config: Mapping[str, Any],
    frameworks_root: Path = DEFAULT_FRAMEWORKS_DIR,
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
        config=config,
        seed=seed,
    )
    for step in DEMO_STEPS:
        step(context)
    return context
