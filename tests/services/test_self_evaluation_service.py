from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import select

from inspect_app.domain.errors import NotFound, PermissionDenied, ValidationFailed
from inspect_app.domain.self_evaluation import EntryContent
from inspect_app.models import AuditEvent
from inspect_app.services import audit
from inspect_app.services import self_evaluation as sef
from tests.factories import LATEST_FRAMEWORK_DIR, add_member, create_user, shipped_framework

GRADES = ("strong", "secure", "developing", "weak")
REQUIRED = ("council", "icb")
WHEN = datetime(2026, 11, 27, 9, 0)


def _save(session, world, text, grade="secure", criterion="EXP1"):  # type: ignore[no-untyped-def]
    return sef.save_entry(
        session,
        audit.Actor.of(world.a.contributor),
        world.a.partnership,
        shipped_framework(),
        criterion,
        EntryContent(grade=grade, strengths=text),
        grades=GRADES,
        when=WHEN,
    )


def _leads(session, world):  # type: ignore[no-untyped-def]
    council = world.a.memberships["lead"]
    council.organisation = "council"
    icb_user = create_user(session, email="icb.lead@alpha.example")
    icb = add_member(session, world.a.partnership, icb_user, "lead")
    icb.organisation = "icb"
    session.flush()
    return council, icb


def test_each_save_makes_a_version_and_identical_saves_make_none(session, two_partnerships):
    entry = _save(session, two_partnerships, "First.")
    assert entry.current_version == 1
    assert _save(session, two_partnerships, "First.").current_version == 1
    assert _save(session, two_partnerships, "Second.").current_version == 2
    assert [v.number for v in entry.versions] == [1, 2]
    events = session.scalars(select(AuditEvent).where(AuditEvent.action == "sef.saved")).all()
    assert [e.details["version"] for e in events] == [1, 2]


def test_a_save_started_from_an_older_version_is_refused_and_saves_nothing(session, two_partnerships):
    world = two_partnerships
    _save(session, world, "First.")
    _save(session, world, "Second, from another tab.")

    def save_from(version: int, text: str):  # type: ignore[no-untyped-def]
        return sef.save_entry(
            session,
            audit.Actor.of(world.a.contributor),
            world.a.partnership,
            shipped_framework(),
            "EXP1",
            EntryContent(grade="secure", strengths=text),
            grades=GRADES,
            when=WHEN,
            editing_version=version,
        )

    with pytest.raises(sef.StaleVersion, match="Someone saved a newer version"):
        save_from(1, "Third, from the tab opened at version 1.")
    kept = sef.content_of(sef.find_entry(session, world.a.partnership.id, "EXP1"))
    assert kept.strengths == "Second, from another tab."
    assert save_from(2, "Third.").current_version == 3
    with pytest.raises(sef.StaleVersion):
        sef.save_entry(
            session, audit.Actor.of(world.a.contributor), world.a.partnership, shipped_framework(), "EXP2",
            EntryContent(strengths="New."), grades=GRADES, when=WHEN, editing_version=1,
        )  # fmt: skip


def test_saving_against_an_unknown_criterion_fails(session, two_partnerships):
    with pytest.raises(NotFound):
        _save(session, two_partnerships, "x", criterion="NOPE")


def test_joint_sign_off_needs_council_and_icb_and_any_edit_resets_it(session, two_partnerships):
    world = two_partnerships
    council, icb = _leads(session, world)
    entry = _save(session, world, "Draft.")
    status = sef.sign_off(
        session, audit.Actor.of(world.a.lead), council, entry, version=1, required=REQUIRED, when=WHEN
    )
    assert status.missing == ("icb",)
    status = sef.sign_off(session, audit.Actor.of(icb.user), icb, entry, version=1, required=REQUIRED, when=WHEN)
    assert status.complete
    assert sef.latest_signed_off(entry, REQUIRED).number == 1
    _save(session, world, "Edited after sign-off.")
    assert not sef.status_of(entry, REQUIRED).complete
    assert sef.latest_signed_off(entry, REQUIRED).number == 1  # inspectors still see the signed version


def test_sign_off_refuses_non_leads_other_partners_stale_versions_and_repeats(session, two_partnerships):
    world = two_partnerships
    council, _ = _leads(session, world)
    entry = _save(session, world, "Draft.")
    with pytest.raises(PermissionDenied):
        sef.sign_off(
            session, audit.SYSTEM, world.a.memberships["contributor"], entry, version=1, required=REQUIRED, when=WHEN
        )
    world.a.memberships["lead"].organisation = "parent_carer_forum"
    with pytest.raises(ValidationFailed, match="Sign-off is by a lead of the"):
        sef.sign_off(session, audit.SYSTEM, council, entry, version=1, required=REQUIRED, when=WHEN)
    council.organisation = "council"
    with pytest.raises(ValidationFailed, match="has changed since you opened it"):
        sef.sign_off(session, audit.SYSTEM, council, entry, version=0, required=REQUIRED, when=WHEN)
    sef.sign_off(session, audit.SYSTEM, council, entry, version=1, required=REQUIRED, when=WHEN)
    with pytest.raises(ValidationFailed, match="already signed off"):
        sef.sign_off(session, audit.SYSTEM, council, entry, version=1, required=REQUIRED, when=WHEN)


def test_sef_facts_feed_the_readiness_rules(session, two_partnerships):
    world = two_partnerships
    council, icb = _leads(session, world)
    entry = _save(session, world, "Text.", grade="strong")
    for member in (council, icb):
        sef.sign_off(session, audit.SYSTEM, member, entry, version=1, required=REQUIRED, when=WHEN)
    facts = sef.sef_facts(session, world.a.partnership.id, REQUIRED)
    assert set(facts) == {"EXP1"}
    assert (facts["EXP1"].grade, facts["EXP1"].signed_off, facts["EXP1"].has_text) == ("strong", True, True)
    assert sef.sef_facts(session, world.b.partnership.id, REQUIRED) == {}


def test_moving_framework_version_carries_entries_to_split_criteria(session, two_partnerships, tmp_path):
    import shutil

    from inspect_app.domain.frameworks import load_framework
    from inspect_app.services import framework_moves
    from inspect_app.services import frameworks as framework_service

    world = two_partnerships
    _save(session, world, "About needs.", criterion="EXP1")
    _save(session, world, "About help.", criterion="EXP3")
    source = LATEST_FRAMEWORK_DIR
    new = tmp_path / "area-send" / "2099-01-01"
    shutil.copytree(source, new)
    fw = new / "framework.yml"
    fw.write_text(fw.read_text().replace(source.name, "2099-01-01"))
    # Split EXP3 into EXP3 (kept) and EXP3B (new, continuing EXP3).
    exp3b = (new / "criteria" / "EXP3.yml").read_text().replace("id: EXP3", "id: EXP3B")
    exp3b = exp3b.replace("replaces: []", "replaces: [EXP3]")
    (new / "criteria" / "EXP3B.yml").write_text(exp3b)
    sections = (new / "sections.yml").read_text()
    (new / "sections.yml").write_text(
        sections.replace("EXP3, ", "EXP3, EXP3B, ", 1).replace("- EXP3\n", "- EXP3\n      - EXP3B\n", 1)
    )
    framework = load_framework(new)
    framework_service.store_framework(session, audit.SYSTEM, framework, when=WHEN)
    target = framework_service.get_version(session, "area-send", "2099-01-01")
    plan = framework_moves.plan_move(session, world.a.partnership, target)
    assert plan.mapping.targets["EXP3"] == ("EXP3", "EXP3B")
    report = next(r for r in plan.reports if r.what == "self-evaluation entries")
    assert (report.carried, report.dropped) == (2, 0)
    framework_moves.move_partnership(session, audit.SYSTEM, world.a.partnership, target, when=WHEN)
    entries = sef.list_entries(session, world.a.partnership.id)
    assert set(entries) == {"EXP1", "EXP3", "EXP3B"}
    assert sef.content_of(entries["EXP3B"]).strengths == "About help."
    assert entries["EXP3B"].versions[0].note == "Carried over from EXP3"
