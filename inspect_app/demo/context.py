"""What every demo step is given: the session, the demo partnership and its people, a seeded generator, the
demo's clock and the app's configuration (steps never read Flask's globals)."""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from inspect_app.models import Partnership, User

DEMO_SLUG = "demo"
DEMO_PASSWORD = "demo-password-1234"  # demo data only; printed by `make run`


@dataclass
class DemoContext:
    session: Session
    partnership: Partnership
    people: dict[str, User]
    rng: random.Random
    now: datetime
    cases: int
    config: Mapping[str, Any]  # the app's configuration (Flask config or a Config's settings)
    seed: int = 0  # for steps that draw from a generator of their own, so they do not shift the others' draws
    summary: list[str] = field(default_factory=list)


DemoStep = Callable[[DemoContext], None]
