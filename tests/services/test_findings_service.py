"""Outcomes, findings, actions and progress: validated, audited, and read by readiness and inspectors."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import select

from inspect_app.domain.errors import NotFound, ValidationFailed
from inspect_app.models import AuditEvent, EvidenceItem, FollowUpAction
from inspect_app.services import audit, findings
from inspect_app.services.frameworks import framework_of
from tests.factories import create_inspection, shipped_framework

WHEN = datetime(2026, 11, 27, 10, 0)
FRAMEWORK = shipped_framework()


def make_item(session, part, *, status: str, reference: str) -> EvidenceItem:  # type: ignore[no-untyped-def]
    """An evidence item row (no file needed to be linked from an action)."""
    item = EvidenceItem(
        partnership_id=part.partnership.id,
        reference=reference,
        title=f"Item {reference}",
        kind="link",
        evidence_type="send_strategy",
        partner="council",
        review_by=date(2027, 11, 1),
        url="https://example.org/x",
        status=status,
        status_changed_at=WHEN,
        status_changed_by="lead@alpha.example",
        created_at=WHEN,
        created_by="lead@alpha.example",
        updated_at=WHEN,
    )
    session.add(item)
    session.flush()
    return item


def lead_actor(world):  # type: ignore[no-untyped-def]
    return audit.Actor.of(world.a.lead)


def actions_of(session):  # type: ignore[no-untyped-def]
    return session.scalars(select(FollowUpAction).order_by(FollowUpAction.id)).all()


def audit_actions(session):  # type: ignore[no-untyped-def]
    return [e.action for e in session.scalars(select(AuditEvent).order_by(AuditEvent.id))]


def test_outcome_comes_from_the_inspections_framework_version(session, two_partnerships):
    world = two_partnerships
    inspection = world.a.inspection
    choices = findings.outcome_choices(session, inspection)
    assert [o.id for o in choices] == ["positive", "inconsistent", "widespread_failings"]
    findings.record_outcome(
        session,
        lead_actor(world),
        inspection,
        findings.OutcomeDetails(
            "area_send_2023", "widespread_failings", date(2027, 2, 20), "https://reports.ofsted.gov.uk/x"
        ),
        when=WHEN,
    )
    assert inspection.framework_version_id == world.a.partnership.framework_version_id
    assert findings.outcome_of(session, inspection).label == "Widespread and/or systemic failings"
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "inspection.outcome_recorded")).one()
    assert event.details["outcome"] == [None, "widespread_failings"]


def test_outcome_must_be_on_the_list_and_the_link_a_web_address(session, two_partnerships):
    inspection = two_partnerships.a.inspection
    with pytest.raises(ValidationFailed) as error:
        findings.record_outcome(
            session,
            lead_actor(two_partnerships),
            inspection,
            findings.OutcomeDetails("area_send_2023", "wsoa_required", None, "javascript:alert(1)"),
            when=WHEN,
        )
    assert error.value.messages == [
        "Select the outcome from the framework's list",
        "Enter the report's web address, starting with https://",
    ]
    assert inspection.outcome is None


def test_an_old_framework_inspection_takes_the_old_regimes_outcomes(session, two_partnerships):
    world = two_partnerships
    old = create_inspection(session, world.a.partnership, notification_date=date(2019, 3, 4))
    findings.record_outcome(
        session,
        lead_actor(world),
        old,
        findings.OutcomeDetails("local_area_send_2016", "wsoa_required", date(2019, 5, 10), None),
        when=WHEN,
    )
    assert old.framework_version_id is None
    plan = findings.ensure_plan(session, lead_actor(world), old, when=WHEN)
    assert plan.title == "Written statement of action"


def test_actions_are_validated_numbered_linked_and_audited(session, two_partnerships):
    world = two_partnerships
    item = make_item(session, world.a, status="approved", reference="EV-0007")
    action = findings.add_action(
        session,
        lead_actor(world),
        world.a.inspection,
        findings.ActionDetails(
            kind="priority_action",
            text="Improve the timeliness of EHC plans.",
            owner_id=world.a.contributor.id,
            due_on=date(2027, 6, 30),
            criteria=("EXP2", "LEAD3"),
            evidence=("ev-0007",),
        ),
        framework=FRAMEWORK,
        when=WHEN,
    )
    assert (action.reference, action.criterion_ids) == ("PA1", ["EXP2", "LEAD3"])
    assert [link.evidence_item_id for link in action.evidence_links] == [item.id]
    with pytest.raises(ValidationFailed) as error:
        findings.add_action(
            session,
            lead_actor(world),
            world.a.inspection,
            findings.ActionDetails(
                kind="improvement", text=" ", owner_id=world.a.viewer.id, criteria=("NOPE1",), evidence=("EV-9999",)
            ),
            framework=FRAMEWORK,
            when=WHEN,
        )
    assert error.value.messages == [
        "Enter the finding as the report words it",
        "Select an owner who is a lead or contributor of this partnership",
        "Not a criterion of the partnership's framework: NOPE1",
        "No evidence item has the reference EV-9999",
    ]
    findings.update_action(
        session,
        lead_actor(world),
        action,
        findings.ActionDetails(kind="priority_action", text=action.text, status="off_track", criteria=("EXP2",)),
        framework=FRAMEWORK,
        when=WHEN,
    )
    update = session.scalars(select(AuditEvent).where(AuditEvent.action == "action.updated")).one()
    assert update.details["status"] == ["on_track", "off_track"]
    assert update.details["criteria"] == [["EXP2", "LEAD3"], ["EXP2"]]
    assert "action_plan.created" in audit_actions(session) and "action.created" in audit_actions(session)


def test_progress_updates_set_the_status_and_are_shared_only_by_choice(session, two_partnerships):
    world = two_partnerships
    action = findings.add_action(
        session,
        lead_actor(world),
        world.a.inspection,
        findings.ActionDetails(kind="improvement", text="Co-produce the local offer."),
        framework=FRAMEWORK,
        when=WHEN,
    )
    contributor = audit.Actor.of(world.a.contributor)
    first = findings.record_progress(
        session,
        contributor,
        action,
        findings.ProgressDetails(date(2026, 11, 1), "Forum met.", "on_track"),
        today=date(2026, 11, 27),
        when=WHEN,
    )
    findings.record_progress(
        session,
        contributor,
        action,
        findings.ProgressDetails(date(2026, 11, 20), "Slipped.", "off_track"),
        today=date(2026, 11, 27),
        when=WHEN,
    )
    assert action.status == "off_track" and action.last_progress.text == "Slipped."
    assert first.author == "contributor@alpha.example"
    plan = findings.find_plan(session, world.a.inspection)
    assert findings.shared_actions(plan) == []
    findings.share_progress(session, lead_actor(world), first, shared=True, when=WHEN)
    [shown] = findings.shared_actions(plan)
    assert [update.text for update in shown.updates] == ["Forum met."]
    with pytest.raises(ValidationFailed):
        findings.record_progress(
            session,
            contributor,
            action,
            findings.ProgressDetails(date(2026, 12, 1), "Later", "done"),
            today=date(2026, 11, 27),
            when=WHEN,
        )
    assert audit_actions(session).count("action.progress_recorded") == 2
    assert "action.progress_shared" in audit_actions(session)


def test_findings_import_is_all_or_nothing(session, two_partnerships):
    world = two_partnerships
    make_item(session, world.a, status="approved", reference="EV-0001")
    bad = (
        b"kind,text,owner_email,due_date,criteria,evidence\n"
        b"priority action,Plans on time,contributor@alpha.example,30/06/2027,EXP2,EV-0001\n"
        b"improvement,Local offer,viewer@alpha.example,2027-13-01,EXP9,EV-0404\n"
    )
    result = findings.import_findings(
        session, lead_actor(world), world.a.inspection, bad, filename="f.csv", framework=FRAMEWORK, when=WHEN
    )
    assert not result.ok
    assert {(e.row, e.column) for e in result.errors} == {
        (3, "owner_email"),
        (3, "due_date"),
        (3, "criteria"),
        (3, "evidence"),
    }
    assert actions_of(session) == []
    good = bad.replace(b"viewer@", b"lead@").replace(b"2027-13-01", b"2027-12-01").replace(b"EXP9,EV-0404", b"EXP3,")
    result = findings.import_findings(
        session, lead_actor(world), world.a.inspection, good, filename="f.csv", framework=FRAMEWORK, when=WHEN
    )
    assert result.ok
    assert [(a.reference, a.kind, a.due_on) for a in actions_of(session)] == [
        ("PA1", "priority_action", date(2027, 6, 30)),
        ("AI1", "improvement", date(2027, 12, 1)),
    ]
    with pytest.raises(ValidationFailed):
        findings.import_findings(
            session,
            lead_actor(world),
            world.a.inspection,
            b"name\nx\n",
            filename="f.csv",
            framework=FRAMEWORK,
            when=WHEN,
        )


def test_follow_up_facts_group_the_last_inspections_actions_by_criterion(session, two_partnerships):
    world = two_partnerships
    approved = make_item(session, world.a, status="approved", reference="EV-0001")
    make_item(session, world.a, status="draft", reference="EV-0002")
    action = findings.add_action(
        session,
        lead_actor(world),
        world.a.inspection,
        findings.ActionDetails(
            kind="priority_action",
            text="Plans on time",
            due_on=date(2027, 1, 31),
            criteria=("EXP2", "LEAD3"),
            evidence=("EV-0001", "EV-0002"),
        ),
        framework=FRAMEWORK,
        when=WHEN,
    )
    findings.record_progress(
        session,
        lead_actor(world),
        action,
        findings.ProgressDetails(date(2026, 11, 2), "Started", "on_track"),
        today=date(2026, 11, 27),
        when=WHEN,
    )
    facts = findings.follow_up_facts(session, world.a.partnership.id, link_prefix="/p/alpha/inspections")
    assert set(facts) == {"EXP2", "LEAD3"}
    [fact] = facts["EXP2"]
    assert (fact.kind, fact.status, fact.due, fact.last_progress, fact.evidence_linked) == (
        "priority_action",
        "on_track",
        date(2027, 1, 31),
        date(2026, 11, 2),
        1,
    )
    assert fact.link == f"/p/alpha/inspections/actions/{action.id}" and approved.status == "approved"
    assert findings.follow_up_facts(session, world.b.partnership.id) == {}


def test_another_partnerships_action_is_not_found(session, two_partnerships):
    world = two_partnerships
    action = findings.add_action(
        session,
        lead_actor(world),
        world.a.inspection,
        findings.ActionDetails(kind="improvement", text="x"),
        framework=FRAMEWORK,
        when=WHEN,
    )
    with pytest.raises(NotFound):
        findings.get_action(session, world.b.partnership.id, action.id)


def test_timeline_uses_the_recorded_outcome_and_report(session, two_partnerships):
    world = two_partnerships
    inspection = world.a.inspection
    assert findings.timeline_for(session, inspection, as_of=date(2026, 12, 1)) == ()
    findings.record_outcome(
        session,
        lead_actor(world),
        inspection,
        findings.OutcomeDetails("area_send_2023", "widespread_failings", date(2027, 2, 19), None),
        when=WHEN,
    )
    entries = {e.key: e for e in findings.timeline_for(session, inspection, as_of=date(2027, 3, 1))}
    assert entries["monitoring"].start == date(2028, 5, 19) and entries["monitoring"].end == date(2028, 11, 19)
    assert framework_of(inspection.framework_version).id == "area-send"
