"""Moving a partnership to another version of its framework, carrying every feature's criterion-keyed rows.

Each feature whose rows are keyed by criterion id has a carry function: given the old -> new criterion mapping
it counts (preview) or rewrites (move) the partnership's rows and reports a line for the person moving. They are
listed here, once, in the order the preview shows them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.orm import Session

from inspect_app.domain.errors import ValidationFailed
from inspect_app.domain.framework_diff import CriterionMapping, FrameworkDiff, diff_frameworks, map_criteria
from inspect_app.models import FrameworkVersion, Partnership
from inspect_app.services import audit
from inspect_app.services.evidence import carry_links
from inspect_app.services.feedback import carry_criteria
from inspect_app.services.findings import carry_criteria as carry_finding_criteria
from inspect_app.services.frameworks import HookReport, framework_of, partnership_framework
from inspect_app.services.self_evaluation import carry_entries

CarryFunction = Callable[[Session, int, CriterionMapping, bool], HookReport]

CARRIES: tuple[CarryFunction, ...] = (carry_criteria, carry_entries, carry_links, carry_finding_criteria)


@dataclass(frozen=True)
class MovePlan:
    current: FrameworkVersion
    target: FrameworkVersion
    diff: FrameworkDiff
    mapping: CriterionMapping
    reports: list[HookReport] = field(default_factory=list)


def plan_move(
    session: Session, partnership: Partnership, target: FrameworkVersion, *, carries: Sequence[CarryFunction] = CARRIES
) -> MovePlan:
    """Show what moving the partnership to `target` would change, without changing anything."""
    current, old = partnership_framework(session, partnership)
    if target.id == current.id:
        raise ValidationFailed(f"{partnership.name} already works against {target.label}")
    if target.framework_id != current.framework_id:
        raise ValidationFailed("A partnership can only move to another version of the same framework")
    new = framework_of(target)
    mapping = map_criteria(old, new)
    reports = [carry(session, partnership.id, mapping, False) for carry in carries]
    return MovePlan(current=current, target=target, diff=diff_frameworks(old, new), mapping=mapping, reports=reports)


def move_partnership(
    session: Session,
    actor: audit.Actor,
    partnership: Partnership,
    target: FrameworkVersion,
    *,
    when: datetime,
    carries: Sequence[CarryFunction] = CARRIES,
) -> MovePlan:
    """Move the partnership to `target`, carrying criterion-keyed rows across by the version's mapping."""
    plan = plan_move(session, partnership, target, carries=carries)
    reports = [carry(session, partnership.id, plan.mapping, True) for carry in carries]
    partnership.framework_version_id = target.id
    partnership.framework_version = target
    session.flush()
    audit.record(
        session,
        actor,
        "framework.partnership_moved",
        when=when,
        partnership_id=partnership.id,
        object_type="framework_version",
        object_id=target.id,
        details={
            "from": plan.current.label,
            "to": target.label,
            "carried": {r.what: r.carried for r in reports},
            "dropped": {r.what: r.dropped for r in reports},
        },
    )
    return MovePlan(current=plan.current, target=target, diff=plan.diff, mapping=plan.mapping, reports=reports)
