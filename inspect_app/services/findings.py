"""An inspection's outcome and findings, the actions taken on them, and the cycle that follows.

A lead records the outcome (from the outcome list of the framework version the inspection was under, or the
old regime's two outcomes) and the report's link. Each area for priority action or improvement is an action
in the inspection's action plan, with an owner, a due date, a status and dated progress updates; every change
is audited. Readiness reads the actions through `follow_up_facts`; inspectors see an action only through the
progress updates a lead has shared with them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from inspect_app.domain.errors import ValidationFailed
from inspect_app.domain.framework_diff import CriterionMapping
from inspect_app.domain.frameworks import Framework, Outcome
from inspect_app.domain.inspection_cycle import (
    ACTION_STATUSES,
    AREA_SEND_2023,
    FINDING_KINDS,
    MAX_TEXT,
    REGIMES,
    Regime,
    TimelineEntry,
    cycle_timeline,
    is_overdue,
    plan_label,
)
from inspect_app.domain.inspections import INSPECTION_TYPES
from inspect_app.domain.readiness import FollowUpFact
from inspect_app.importers.common import FileRejected, ImportResult
from inspect_app.importers.findings import FindingRow, FindingsContext, read_findings
from inspect_app.models import (
    ActionCriterionLink,
    ActionEvidenceLink,
    ActionPlan,
    ActionProgress,
    EvidenceItem,
    FollowUpAction,
    FrameworkVersion,
    Inspection,
    Membership,
    User,
)
from inspect_app.reports.progress_report import ProgressLine, ProgressReport
from inspect_app.reports.sef_document import ProgressSection
from inspect_app.services import audit
from inspect_app.services.frameworks import HookReport, framework_of
from inspect_app.services.inspections import dates_of
from inspect_app.services.tenancy import get_scoped, scoped

ACTING_ROLES = ("lead", "contributor")  # an action's owner must be able to act on it
APPROVED = "approved"


# --- Outcome and report ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OutcomeDetails:
    """What a lead enters after the report: the regime, the outcome, the report's date and link."""

    regime: str
    outcome: str | None
    report_published_on: date | None = None
    report_url: str | None = None


def regime_of(inspection: Inspection) -> Regime:
    return REGIMES.get(inspection.regime, REGIMES[AREA_SEND_2023])


def outcome_choices(session: Session, inspection: Inspection, regime_id: str | None = None) -> tuple[Outcome, ...]:
    """The outcomes a lead may pick: the inspection's framework version's, or the old regime's."""
    regime = REGIMES.get(regime_id or inspection.regime, REGIMES[AREA_SEND_2023])
    if not regime.uses_framework_outcomes:
        return regime.outcomes
    version = inspection.framework_version or _version_in_force(session, inspection.notification_date)
    return framework_of(version).outcomes if version is not None else ()


def _version_in_force(session: Session, day: date) -> FrameworkVersion | None:
    """The newest loaded framework version in force on `day` (else the oldest loaded one)."""
    versions = list(session.scalars(select(FrameworkVersion).order_by(FrameworkVersion.in_force_from)))
    in_force = [version for version in versions if version.in_force_from <= day]
    if in_force:
        return in_force[-1]
    return versions[0] if versions else None


def outcome_of(session: Session, inspection: Inspection) -> Outcome | None:
    """The recorded outcome as the framework defines it, or None."""
    if inspection.outcome is None:
        return None
    return next((o for o in outcome_choices(session, inspection) if o.id == inspection.outcome), None)


def record_outcome(
    session: Session, actor: audit.Actor, inspection: Inspection, details: OutcomeDetails, *, when: datetime
) -> Inspection:
    """Record the regime, outcome and report of an inspection; the audit entry lists each change."""
    problems = []
    if details.regime not in REGIMES:
        problems.append("Select the inspection framework")
    choices = outcome_choices(session, inspection, details.regime) if details.regime in REGIMES else ()
    if details.outcome is not None and details.outcome not in {o.id for o in choices}:
        problems.append("Select the outcome from the framework's list")
    url = (details.report_url or "").strip() or None
    if url is not None and (not url.startswith(("https://", "http://")) or len(url) > 2000):
        problems.append("Enter the report's web address, starting with https://")
    if details.report_published_on is not None and details.report_published_on < inspection.notification_date:
        problems.append("The report cannot be published before the notification")
    if problems:
        raise ValidationFailed(problems)
    version_id = inspection.framework_version_id
    if REGIMES[details.regime].uses_framework_outcomes and version_id is None:
        version = _version_in_force(session, inspection.notification_date)
        version_id = version.id if version is not None else None
    if not REGIMES[details.regime].uses_framework_outcomes:
        version_id = None
    new = {
        "regime": details.regime,
        "outcome": details.outcome,
        "report_published_on": details.report_published_on,
        "report_url": url,
        "framework_version_id": version_id,
    }
    changes = {
        key: [_shown(getattr(inspection, key)), _shown(value)]
        for key, value in new.items()
        if getattr(inspection, key) != value
    }
    if not changes:
        return inspection
    for key, value in new.items():
        setattr(inspection, key, value)
    inspection.updated_at = when
    session.flush()
    session.expire(inspection, ["framework_version"])
    audit.record(
        session,
        actor,
        "inspection.outcome_recorded",
        when=when,
        partnership_id=inspection.partnership_id,
        object_type="inspection",
        object_id=inspection.id,
        details=changes,
    )
    return inspection


def _shown(value: object) -> object:
    return value.isoformat() if isinstance(value, date) else value


# --- Plans and actions -------------------------------------------------------------------------------------------


def find_plan(session: Session, inspection: Inspection) -> ActionPlan | None:
    query = scoped(ActionPlan, inspection.partnership_id).where(ActionPlan.inspection_id == inspection.id)
    return session.scalars(query).first()


def ensure_plan(session: Session, actor: audit.Actor, inspection: Inspection, *, when: datetime) -> ActionPlan:
    """Return the inspection's action plan, creating it (named as its regime and outcome name it) if needed."""
    plan = find_plan(session, inspection)
    if plan is not None:
        return plan
    title = plan_label(regime_of(inspection), outcome_of(session, inspection))
    plan = ActionPlan(
        partnership_id=inspection.partnership_id,
        inspection_id=inspection.id,
        title=title,
        created_at=when,
        updated_at=when,
    )
    session.add(plan)
    session.flush()
    audit.record(
        session,
        actor,
        "action_plan.created",
        when=when,
        partnership_id=inspection.partnership_id,
        object_type="action_plan",
        object_id=plan.id,
        details={"inspection_id": inspection.id, "title": title},
    )
    return plan


def get_action(session: Session, partnership_id: int, action_id: int) -> FollowUpAction:
    return get_scoped(session, FollowUpAction, partnership_id, action_id)


def get_progress(session: Session, partnership_id: int, progress_id: int) -> ActionProgress:
    return get_scoped(session, ActionProgress, partnership_id, progress_id)


def get_plan(session: Session, partnership_id: int, plan_id: int) -> ActionPlan:
    return get_scoped(session, ActionPlan, partnership_id, plan_id)


def owner_choices(session: Session, partnership_id: int) -> list[User]:
    """Members who can act on an action: leads and contributors, by name."""
    query = (
        select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.partnership_id == partnership_id, Membership.role.in_(ACTING_ROLES))
        .order_by(User.name)
    )
    return list(session.scalars(query))


@dataclass(frozen=True)
class ActionDetails:
    kind: str
    text: str
    reference: str | None = None
    owner_id: int | None = None
    due_on: date | None = None
    status: str = "on_track"
    criteria: tuple[str, ...] = ()
    evidence: tuple[str, ...] = ()  # evidence references, e.g. EV-0003


def _check_action(
    session: Session, partnership_id: int, details: ActionDetails, framework: Framework
) -> tuple[ActionDetails, list[EvidenceItem]]:
    problems = []
    text = details.text.strip()
    if details.kind not in FINDING_KINDS:
        problems.append("Select whether it is an area for priority action or for improvement")
    if not text:
        problems.append("Enter the finding as the report words it")
    elif len(text) > MAX_TEXT:
        problems.append(f"The finding must be {MAX_TEXT:,} characters or fewer")
    if details.status not in ACTION_STATUSES:
        problems.append("Select on track, off track or done")
    if details.owner_id is not None and details.owner_id not in {u.id for u in owner_choices(session, partnership_id)}:
        problems.append("Select an owner who is a lead or contributor of this partnership")
    known = {criterion.id for criterion in framework.criteria}
    unknown = [c for c in details.criteria if c not in known]
    if unknown:
        problems.append(f"Not a criterion of the partnership's framework: {', '.join(unknown)}")
    references = [reference.strip().upper() for reference in details.evidence if reference.strip()]
    items = list(session.scalars(scoped(EvidenceItem, partnership_id).where(EvidenceItem.reference.in_(references))))
    missing = sorted(set(references) - {item.reference for item in items})
    if missing:
        problems.append(f"No evidence item has the reference {', '.join(missing)}")
    reference = (details.reference or "").strip() or None
    if reference and len(reference) > 20:
        problems.append("The reference must be 20 characters or fewer")
    if problems:
        raise ValidationFailed(problems)
    cleaned = ActionDetails(
        kind=details.kind,
        text=text,
        reference=reference,
        owner_id=details.owner_id,
        due_on=details.due_on,
        status=details.status,
        criteria=tuple(sorted(set(details.criteria))),
        evidence=tuple(sorted({item.reference for item in items})),
    )
    return cleaned, items


def _next_reference(plan: ActionPlan, kind: str) -> str:
    prefix = "PA" if kind == "priority_action" else "AI"
    taken = {action.reference for action in plan.actions}
    number = 1
    while f"{prefix}{number}" in taken:
        number += 1
    return f"{prefix}{number}"


def _audit_details(details: ActionDetails) -> dict:
    return {k: list(v) if isinstance(v, tuple) else _shown(v) for k, v in asdict(details).items()}


def add_action(
    session: Session,
    actor: audit.Actor,
    inspection: Inspection,
    details: ActionDetails,
    *,
    framework: Framework,
    when: datetime,
) -> FollowUpAction:
    """Add a finding to the inspection's action plan (created if need be)."""
    details, items = _check_action(session, inspection.partnership_id, details, framework)
    plan = ensure_plan(session, actor, inspection, when=when)
    action = FollowUpAction(
        partnership_id=inspection.partnership_id,
        plan_id=plan.id,
        position=len(plan.actions),
        kind=details.kind,
        reference=details.reference or _next_reference(plan, details.kind),
        text=details.text,
        owner_id=details.owner_id,
        due_on=details.due_on,
        status=details.status,
        created_at=when,
        updated_at=when,
    )
    session.add(action)
    session.flush()
    _set_links(session, action, details.criteria, items)
    plan.updated_at = when
    session.expire(plan, ["actions"])
    audit.record(
        session,
        actor,
        "action.created",
        when=when,
        partnership_id=inspection.partnership_id,
        object_type="action",
        object_id=action.id,
        details={**_audit_details(details), "reference": action.reference, "plan_id": plan.id},
    )
    return action


def _set_links(
    session: Session, action: FollowUpAction, criteria: Iterable[str], items: Iterable[EvidenceItem]
) -> None:
    for link in list(action.criterion_links) + list(action.evidence_links):
        session.delete(link)
    session.flush()
    for criterion_id in criteria:
        session.add(
            ActionCriterionLink(partnership_id=action.partnership_id, action_id=action.id, criterion_id=criterion_id)
        )
    for item in items:
        session.add(
            ActionEvidenceLink(partnership_id=action.partnership_id, action_id=action.id, evidence_item_id=item.id)
        )
    session.flush()
    session.expire(action, ["criterion_links", "evidence_links"])


def details_of(action: FollowUpAction) -> ActionDetails:
    """The action as a form shows it."""
    return ActionDetails(
        kind=action.kind,
        text=action.text,
        reference=action.reference,
        owner_id=action.owner_id,
        due_on=action.due_on,
        status=action.status,
        criteria=tuple(action.criterion_ids),
        evidence=tuple(sorted(link.item.reference for link in action.evidence_links)),
    )


def update_action(
    session: Session,
    actor: audit.Actor,
    action: FollowUpAction,
    details: ActionDetails,
    *,
    framework: Framework,
    when: datetime,
) -> FollowUpAction:
    """Change an action; the audit entry lists each changed field as [before, after]."""
    details, items = _check_action(session, action.partnership_id, details, framework)
    if details.reference is None:
        details = ActionDetails(**{**asdict(details), "reference": action.reference})
    before, after = _audit_details(details_of(action)), _audit_details(details)
    changes = {key: [before[key], after[key]] for key in after if before[key] != after[key]}
    if not changes:
        return action
    for key in ("kind", "text", "reference", "owner_id", "due_on", "status"):
        setattr(action, key, getattr(details, key))
    action.updated_at = when
    _set_links(session, action, details.criteria, items)
    audit.record(
        session,
        actor,
        "action.updated",
        when=when,
        partnership_id=action.partnership_id,
        object_type="action",
        object_id=action.id,
        details=changes,
    )
    return action


@dataclass(frozen=True)
class ProgressDetails:
    recorded_on: date
    text: str
    status: str


def record_progress(
    session: Session,
    actor: audit.Actor,
    action: FollowUpAction,
    details: ProgressDetails,
    *,
    today: date,
    when: datetime,
) -> ActionProgress:
    """Add a dated progress update; the action takes the status it reports."""
    text = details.text.strip()
    problems = []
    if not text:
        problems.append("Enter what has been done")
    elif len(text) > MAX_TEXT:
        problems.append(f"The update must be {MAX_TEXT:,} characters or fewer")
    if details.status not in ACTION_STATUSES:
        problems.append("Select on track, off track or done")
    if details.recorded_on > today:
        problems.append("The date of the update must be today or in the past")
    if problems:
        raise ValidationFailed(problems)
    update = ActionProgress(
        partnership_id=action.partnership_id,
        action_id=action.id,
        recorded_on=details.recorded_on,
        text=text,
        status=details.status,
        author_id=actor.user.id if actor.user else None,
        author=actor.label,
        shared=False,
        created_at=when,
    )
    session.add(update)
    previous = action.status
    action.status = details.status
    action.updated_at = when
    session.flush()
    session.expire(action, ["progress"])
    audit.record(
        session,
        actor,
        "action.progress_recorded",
        when=when,
        partnership_id=action.partnership_id,
        object_type="action",
        object_id=action.id,
        details={
            "progress_id": update.id,
            "recorded_on": details.recorded_on.isoformat(),
            "status": [previous, details.status],
        },
    )
    return update


def share_progress(
    session: Session, actor: audit.Actor, update: ActionProgress, *, shared: bool, when: datetime
) -> ActionProgress:
    """Share a progress update with inspectors (or stop sharing it)."""
    if update.shared == shared:
        return update
    update.shared = shared
    update.shared_at = when if shared else None
    update.shared_by = actor.label if shared else None
    session.flush()
    audit.record(
        session,
        actor,
        "action.progress_shared" if shared else "action.progress_unshared",
        when=when,
        partnership_id=update.partnership_id,
        object_type="action",
        object_id=update.action_id,
        details={"progress_id": update.id},
    )
    return update


# --- Import -----------------------------------------------------------------------------------------------------


def findings_context(session: Session, partnership_id: int, framework: Framework) -> FindingsContext:
    return FindingsContext(
        criteria=frozenset(criterion.id for criterion in framework.criteria),
        owners=frozenset(user.email.lower() for user in owner_choices(session, partnership_id)),
        evidence=frozenset(
            session.scalars(select(EvidenceItem.reference).where(EvidenceItem.partnership_id == partnership_id))
        ),
    )


def import_findings(
    session: Session,
    actor: audit.Actor,
    inspection: Inspection,
    data: bytes,
    *,
    filename: str,
    framework: Framework,
    when: datetime,
) -> ImportResult[FindingRow]:
    """Add every finding in a CSV/XLSX file to the inspection's plan, or none if any row has a problem."""
    try:
        result = read_findings(data, findings_context(session, inspection.partnership_id, framework))
    except FileRejected as error:
        raise ValidationFailed(error.messages) from error
    if not result.ok:
        return result
    owners = {user.email.lower(): user.id for user in owner_choices(session, inspection.partnership_id)}
    for row in result.rows:
        add_action(
            session,
            actor,
            inspection,
            ActionDetails(
                kind=row.kind,
                text=row.text,
                reference=row.reference,
                owner_id=owners.get(row.owner_email or ""),
                due_on=row.due_on,
                status=row.status,
                criteria=row.criteria,
                evidence=row.evidence,
            ),
            framework=framework,
            when=when,
        )
    audit.record(
        session,
        actor,
        "action_plan.findings_imported",
        when=when,
        partnership_id=inspection.partnership_id,
        object_type="inspection",
        object_id=inspection.id,
        details={"filename": filename, "findings": len(result.rows)},
    )
    return result


# --- Reading: the cycle, readiness, inspectors ----------------------------------------------------------------


def timeline_for(session: Session, inspection: Inspection, *, as_of: date) -> tuple[TimelineEntry, ...]:
    """The cycle after this inspection: entered dates as they are, the rest estimated."""
    dates = dates_of(inspection)
    later = session.scalars(
        scoped(Inspection, inspection.partnership_id).where(
            Inspection.notification_date > inspection.notification_date,
            Inspection.inspection_type.in_(("monitoring", "engagement")),
        )
    )
    return cycle_timeline(
        regime=regime_of(inspection),
        outcome=outcome_of(session, inspection),
        inspection_start=dates.fieldwork_start or inspection.notification_date,
        report_published=inspection.report_published_on,
        report_estimated=dates.report_expected,
        as_of=as_of,
        recorded=tuple((i.inspection_type, i.notification_date) for i in later),
    )


def latest_plan(session: Session, partnership_id: int) -> ActionPlan | None:
    """The action plan of the most recent inspection that has one: "the last inspection's" findings."""
    query = (
        scoped(ActionPlan, partnership_id)
        .join(Inspection, Inspection.id == ActionPlan.inspection_id)
        .order_by(Inspection.notification_date.desc(), ActionPlan.id.desc())
    )
    return session.scalars(query.limit(1)).first()


def _approved_counts(session: Session, actions: list[FollowUpAction]) -> dict[int, int]:
    counts: dict[int, int] = {}
    for action in actions:
        counts[action.id] = sum(1 for link in action.evidence_links if link.item.status == APPROVED)
    return counts


def follow_up_facts(
    session: Session, partnership_id: int, *, link_prefix: str | None = None
) -> dict[str, tuple[FollowUpFact, ...]]:
    """Each criterion's findings from the last inspection, as readiness reads them."""
    plan = latest_plan(session, partnership_id)
    if plan is None:
        return {}
    counts = _approved_counts(session, plan.actions)
    facts: dict[str, list[FollowUpFact]] = {}
    for action in plan.actions:
        last = action.last_progress
        fact = FollowUpFact(
            action_id=action.id,
            title=f"{action.reference}: {action.text}",
            kind=action.kind,
            status=action.status,
            due=action.due_on,
            last_progress=last.recorded_on if last else None,
            evidence_linked=counts[action.id],
            link=f"{link_prefix}/actions/{action.id}" if link_prefix else None,
        )
        for criterion_id in action.criterion_ids:
            facts.setdefault(criterion_id, []).append(fact)
    return {criterion_id: tuple(items) for criterion_id, items in facts.items()}


@dataclass(frozen=True)
class SharedAction:
    """What an inspector sees of an action: the action and only the updates a lead shared."""

    action: FollowUpAction
    updates: list[ActionProgress] = field(default_factory=list)


def shared_actions(plan: ActionPlan) -> list[SharedAction]:
    """The actions with at least one shared progress update, each with its shared updates only."""
    shown = []
    for action in plan.actions:
        updates = [update for update in action.progress if update.shared]
        if updates:
            shown.append(SharedAction(action, updates))
    return shown


def carry_criteria(session: Session, partnership_id: int, mapping: CriterionMapping, apply: bool) -> HookReport:
    """Count (apply=False) or move (apply=True) actions' criterion links for a framework version move."""
    links = list(session.scalars(scoped(ActionCriterionLink, partnership_id)))
    by_action: dict[int, list[ActionCriterionLink]] = {}
    for link in links:
        by_action.setdefault(link.action_id, []).append(link)
    carried = dropped = 0
    for action_id, action_links in by_action.items():
        final: set[str] = set()
        for link in action_links:
            if link.criterion_id in mapping.unmapped:
                dropped += 1
                continue
            targets = mapping.targets.get(link.criterion_id)
            carried += bool(targets)
            final.update(targets or (link.criterion_id,))
        if apply and final != {link.criterion_id for link in action_links}:
            for link in action_links:
                session.delete(link)
            session.flush()
            for criterion_id in sorted(final):
                session.add(
                    ActionCriterionLink(partnership_id=partnership_id, action_id=action_id, criterion_id=criterion_id)
                )
    if apply:
        session.flush()
    return HookReport("links from inspection findings to criteria", carried=carried, dropped=dropped)


# --- Progress report and the self-evaluation's section ----------------------------------------------------------


def inspection_label(inspection: Inspection) -> str:
    """E.g. "Full inspection notified 4 March 2019 (Local area SEND inspection framework …)"."""
    kind = INSPECTION_TYPES.get(inspection.inspection_type, inspection.inspection_type)
    day = inspection.notification_date
    return f"{kind} notified {day.day} {day:%B %Y}, under the {regime_of(inspection).label}"


def _lines(session: Session, plan: ActionPlan, *, as_of: date, shared_only: bool) -> tuple[ProgressLine, ...]:
    regime = regime_of(plan.inspection)
    counts = _approved_counts(session, plan.actions)
    lines = []
    for action in plan.actions:
        updates = [u for u in action.progress if u.shared] if shared_only else list(action.progress)
        if shared_only and not updates:
            continue
        last = updates[-1] if updates else None
        lines.append(
            ProgressLine(
                reference=action.reference,
                kind_label=regime.finding_labels.get(action.kind, action.kind),
                text=action.text,
                owner=action.owner.name if action.owner else "No owner yet",
                due=action.due_on,
                status_label=ACTION_STATUSES[last.status if shared_only and last else action.status],
                overdue=is_overdue(last.status if shared_only and last else action.status, action.due_on, as_of),
                latest_update=last.text if last else "",
                latest_update_on=last.recorded_on if last else None,
                evidence=counts[action.id],
                criteria=tuple(action.criterion_ids),
            )
        )
    return tuple(lines)


def progress_report(
    session: Session,
    plan: ActionPlan,
    *,
    partnership_name: str,
    audience: str,
    as_of: date,
    generated_at: datetime,
) -> ProgressReport:
    """The one-page progress report on a plan (members only: every update, shared or not)."""
    outcome = outcome_of(session, plan.inspection)
    return ProgressReport(
        partnership_name=partnership_name,
        plan_title=plan.title,
        inspection_label=inspection_label(plan.inspection),
        outcome_label=outcome.label if outcome else "not recorded yet",
        report_url=plan.inspection.report_url,
        audience=audience,
        as_of=as_of,
        generated_at=generated_at,
        lines=_lines(session, plan, as_of=as_of, shared_only=False),
    )


def progress_section(
    session: Session, partnership_id: int, *, shared_only: bool, as_of: date
) -> ProgressSection | None:
    """The self-evaluation's "Progress since the last inspection", or None if no inspection has findings."""
    plan = latest_plan(session, partnership_id)
    if plan is None or not plan.actions:
        return None
    lines = _lines(session, plan, as_of=as_of, shared_only=shared_only)
    outcome = outcome_of(session, plan.inspection)
    summary = ProgressReport(
        partnership_name="",
        plan_title=plan.title,
        inspection_label="",
        outcome_label="",
        report_url=None,
        audience="board",
        as_of=as_of,
        generated_at=datetime.combine(as_of, datetime.min.time()),
        lines=lines,
    ).summary_text
    return ProgressSection(
        plan_title=plan.title,
        inspection_label=inspection_label(plan.inspection),
        outcome_label=outcome.label if outcome else "not recorded yet",
        summary_text=summary,
        lines=lines,
        shared_only=shared_only,
    )
