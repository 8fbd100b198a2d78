"""The readiness service: facts gathered from every feature of one partnership, never another's."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from inspect_app.domain.readiness import GAP_CODES, TARGET_KINDS, Gap, Target
from inspect_app.domain.self_evaluation import EntryContent
from inspect_app.services import audit, readiness, timeliness
from inspect_app.services import self_evaluation as sef
from inspect_app.services.frameworks import partnership_framework
from tests.benchmark_data import import_real_statistics
from tests.evidence_factories import make_item
from tests.factories import NOW, create_feedback, import_case_file

SCHEMA = json.loads(
    (Path(__file__).resolve().parents[2] / "inspect_app/reports/schemas/readiness-2.schema.json").read_text()
)
FEEDBACK_FILES = Path(__file__).resolve().parents[1] / "fixtures" / "files" / "feedback"

# Four plans issued in 2021: one within 20 weeks (106 days), three late (211 days) -> 25%, against the law's 20 weeks.
HEADER = (
    "case_ref,request_date,decision_date,decision,assessment_outcome,assessment_outcome_date,final_plan_date,exception"
)
CASES_2021 = (
    HEADER
    + """
A1,2021-01-04,2021-02-01,assess,plan,2021-04-01,2021-04-20,no
B1,2020-11-02,2020-12-01,assess,plan,2021-05-01,2021-06-01,no
B2,2020-11-02,2020-12-01,assess,plan,2021-05-01,2021-06-01,no
B3,2020-11-02,2020-12-01,assess,plan,2021-05-01,2021-06-01,no
"""
)


@pytest.fixture
def settings(app) -> readiness.ReadinessSettings:  # type: ignore[no-untyped-def]
    return readiness.ReadinessSettings.from_app_config(app.config)


@pytest.fixture(autouse=True)
def _fresh_snapshots():  # type: ignore[no-untyped-def]
    timeliness.clear_cache()
    yield
    timeliness.clear_cache()


def _criterion(result, criterion_id):  # type: ignore[no-untyped-def]
    return next(c for c in result.criteria if c.id == criterion_id)


def _measure(result, criterion_id, measure_id):  # type: ignore[no-untyped-def]
    return next(m for m in _criterion(result, criterion_id).measures if m.id == measure_id)


def test_a_partnership_with_no_data_reads_not_enough_data_yet_with_every_criterion_and_its_gaps(
    session, two_partnerships, settings
):
    a = two_partnerships.a.partnership
    report = readiness.build_report(session, a, settings)
    result = report.result
    assert len(result.criteria) == 15
    for criterion in result.criteria:
        codes = {g.code for g in criterion.gaps}
        assert {"NO_EVIDENCE", "NO_SELF_EVALUATION", "NO_FAMILY_VOICE"} <= codes, criterion.id
        assert criterion.rag == "none" and criterion.score is None
    assert result.overall.position == "not_enough_data"
    assert report.overall.label == "Not enough data yet"
    document = report.to_json()
    Draft202012Validator(SCHEMA).validate(document)
    assert document["partnership"] == {"slug": "alpha", "name": a.name, "la_code": "805"}
    assert {g["code"] for g in document["gaps"]} <= set(GAP_CODES)
    assert all(g["link"] and g["link"].startswith("/p/alpha/") for g in document["gaps"])


def test_wording_comes_from_the_framework_status_of_each_criterion(session, two_partnerships, settings):
    result = readiness.assess(session, two_partnerships.a.partnership, settings)
    _, framework = partnership_framework(session, two_partnerships.a.partnership)

    assert {c.id: c.wording for c in result.criteria} == {
        c.id: "verified" if c.status == "C" else "provisional" for c in framework.criteria
    }
    assert [u.id for u in result.overall.units][-1] == "AP"  # the placeholder AP criteria count once


def test_unapproved_evidence_is_a_gap_that_names_its_owner_links_the_item_and_other_partnerships_never_count(
    session, two_partnerships, settings, app
):
    from inspect_app.storage import store_from_config

    store = store_from_config(app.config)
    item = make_item(
        session, store, two_partnerships.a, title="Draft strategy", links={"LEAD1": "Sets out the priorities."}
    )
    make_item(
        session, store, two_partnerships.b, title="Beta's plan", links={"LEAD2": "Co-production."}, status="approved"
    )
    session.commit()

    report = readiness.build_report(session, two_partnerships.a.partnership, settings)
    lead1 = _criterion(report.result, "LEAD1")
    assert lead1.evidence_linked == 1 and lead1.evidence_approved == 0
    [unapproved] = [g for g in report.gap_register if g.criterion_id == "LEAD1" and g.code == "UNAPPROVED_EVIDENCE"]
    assert '"Draft strategy"' in unapproved.message
    assert unapproved.owner == two_partnerships.a.contributor.name
    assert unapproved.link == f"/p/alpha/evidence/items/{item.id}"
    lead2 = _criterion(report.result, "LEAD2")
    assert lead2.evidence_linked == 0
    assert "NO_EVIDENCE" in {g.code for g in lead2.gaps}


def test_a_statutory_duty_is_rated_against_the_law_with_england_for_the_same_year_as_context(
    app, session, two_partnerships, settings
):
    app.config["FIXED_NOW"] = "2022-03-01T09:00:00"
    import_real_statistics(session)
    import_case_file(session, two_partnerships.a.partnership, CASES_2021.encode())

    result = readiness.assess(session, two_partnerships.a.partnership, settings, as_of=date(2022, 3, 1))
    measure = _measure(result, "EXP1", "ehcp_20wk_excl")
    assert (measure.period, measure.numerator, measure.denominator, measure.value) == ("2021", 1, 4, 25.0)
    assert measure.duty and measure.basis == "SEND Regulations 2014 reg 13(2)"
    assert (measure.rag, measure.rated_against) == ("red", "law")
    england = next(c for c in measure.comparisons if c.kind == "england")
    assert (england.period, england.local_value) == ("2021", 25.0)
    assert england.value == pytest.approx(100 * 34249 / 57196)  # England 2021 in sen2_mi.csv: 59.9
    assert all(c.period == "2021" for c in measure.comparisons)
    gaps = {(g.code, g.severity) for g in _criterion(result, "EXP1").gaps}
    assert ("DUTY_BELOW_LAW", "high") in gaps
    worse = [g for g in _criterion(result, "EXP1").gaps if g.code == "MEASURE_WORSE_THAN_COMPARATORS"]
    assert worse[0].message.startswith(
        "New EHC plans issued within 20 weeks, excluding exceptions: 25% against 59.9% for England in 2021, "
        "34.9 percentage points worse"
    )
    # Partnership B imported nothing: its measure has no figure.
    other = readiness.assess(session, two_partnerships.b.partnership, settings, as_of=date(2022, 3, 1))
    assert _measure(other, "EXP1", "ehcp_20wk_excl").value is None


def test_a_local_year_england_has_not_published_is_never_compared_with_an_older_year(
    app, session, two_partnerships, settings
):
    app.config["FIXED_NOW"] = "2026-03-01T09:00:00"
    import_real_statistics(session)
    cases = CASES_2021.replace("2021-", "2025-").replace("2020-", "2024-")
    import_case_file(session, two_partnerships.a.partnership, cases.encode())

    report = readiness.build_report(session, two_partnerships.a.partnership, settings)
    measure = _measure(report.result, "EXP1", "ehcp_20wk_excl")
    assert measure.period == "2025"
    assert measure.comparisons == ()  # England's newest 20-week figure here is 2021: not a comparison
    assert "stands alone" in (measure.note or "")
    codes = {g.code for g in _criterion(report.result, "EXP1").gaps}
    assert "DUTY_BELOW_LAW" in codes
    assert "MEASURE_WORSE_THAN_COMPARATORS" not in codes
    for _row, comparison in report.comparisons:
        assert comparison.period == comparison.local_period


def test_a_strong_grade_over_a_duty_red_against_the_law_is_a_conflict_and_sign_off_is_read_from_the_sef(
    app, session, two_partnerships, settings
):
    app.config["FIXED_NOW"] = "2022-03-01T09:00:00"
    import_real_statistics(session)
    a = two_partnerships.a
    import_case_file(session, a.partnership, CASES_2021.encode())
    _, framework = partnership_framework(session, a.partnership)
    sef.save_entry(
        session,
        audit.Actor.of(a.lead),
        a.partnership,
        framework,
        "EXP1",
        EntryContent(grade="strong", strengths="Everything is timely."),
        grades=settings.grade_scale,
        when=datetime(2022, 3, 1, 9),
    )
    session.commit()

    result = readiness.assess(session, a.partnership, settings, as_of=date(2022, 3, 1))
    exp1 = _criterion(result, "EXP1")
    codes = {g.code for g in exp1.gaps}
    assert "SEF_DATA_CONFLICT" in codes
    assert "SEF_NOT_SIGNED_OFF" in codes
    assert "NO_SELF_EVALUATION" not in codes
    assert exp1.grade == "strong" and exp1.signed_off is False


def test_family_feedback_is_counted_per_criterion_for_its_own_partnership_only(session, two_partnerships, settings):
    create_feedback(session, two_partnerships.b.partnership)
    b_result = readiness.assess(session, two_partnerships.b.partnership, settings)
    a_result = readiness.assess(session, two_partnerships.a.partnership, settings)
    answered = [c for c in b_result.criteria if c.family_voice.responses]
    assert answered, "the fixture survey maps questions to criteria"
    assert all(c.family_voice.audiences == ("parents_carers",) for c in answered)
    assert all(c.family_voice.responses == 0 for c in a_result.criteria)


def _import_staff_survey(session, partnership) -> None:  # type: ignore[no-untyped-def]
    from inspect_app.domain.feedback import mapping_from_yaml
    from inspect_app.services import feedback as feedback_service

    _, framework = partnership_framework(session, partnership)
    survey = feedback_service.create_survey(
        session, audit.SYSTEM, partnership.id, name="Staff survey", audience="practitioners", when=NOW
    )
    outcome = feedback_service.import_wave(
        session,
        audit.SYSTEM,
        survey,
        data=(FEEDBACK_FILES / "google_forms.csv").read_bytes(),
        file_name="google_forms.csv",
        mapping=mapping_from_yaml((FEEDBACK_FILES / "google_forms_mapping.yml").read_text()),
        framework=framework,
        label="Summer 2024",
        when=NOW,
    )
    assert outcome.ok
    session.commit()


def test_practitioners_answers_are_reported_apart_and_never_count_as_family_voice(session, two_partnerships, settings):
    _import_staff_survey(session, two_partnerships.a.partnership)

    result = readiness.assess(session, two_partnerships.a.partnership, settings)

    answered = [c for c in result.criteria if c.practitioners.responses]
    assert answered
    for criterion in answered:
        assert criterion.family_voice.responses == 0
        assert "NO_FAMILY_VOICE" in {g.code for g in criterion.gaps}
        assert {p.name: p.fraction for p in criterion.impact.parts}["family_voice"] is None


def test_families_and_practitioners_answering_the_same_questions_are_kept_apart(session, two_partnerships, settings):
    create_feedback(session, two_partnerships.a.partnership)
    _import_staff_survey(session, two_partnerships.a.partnership)

    result = readiness.assess(session, two_partnerships.a.partnership, settings)

    both = [c for c in result.criteria if c.family_voice.responses and c.practitioners.responses]
    assert both
    for criterion in both:  # the same file imported twice: the same number each side, never pooled
        assert criterion.family_voice.responses == criterion.practitioners.responses


# --- Where a gap is acted on -------------------------------------------------------------------------------

TARGETS = {
    "evidence_new": (Target("evidence_new", "EXP1", filters=(("evidence_type", "jsna"),)), "evidence.create_evidence"),
    "evidence_list": (Target("evidence_list", "EXP1", filters=(("status", "draft"),)), "evidence.list_evidence"),
    "evidence_item": (Target("evidence_item", "EXP1", item_id=12), "evidence.view_evidence"),
    "sef_edit": (Target("sef_edit", "EXP1"), "self_evaluation.edit_sef_entry"),
    "sef_entry": (Target("sef_entry", "EXP1"), "self_evaluation.view_sef_entry"),
    "comments": (Target("comments", "EXP1"), "feedback.list_comments"),
    "surveys": (Target("surveys", "EXP1"), "feedback.list_surveys"),
    "case_import": (Target("case_import", "EXP1"), "timeliness.new_import"),
    "data_quality": (Target("data_quality", "EXP1"), "timeliness.view_data_quality"),
    "measure": (Target("measure", "EXP1"), "timeliness.view_dashboard"),
    "follow_up": (Target("follow_up", "EXP1", item_id=3), "findings.view_action"),
}


def test_every_kind_of_gap_target_has_a_path_to_a_real_page(app):
    adapter = app.url_map.bind("localhost")
    assert set(TARGETS) == set(TARGET_KINDS)
    for kind, (target, endpoint) in TARGETS.items():
        path = readiness.gap_path("alpha", Gap("EXP1", "X", "high", "m", "a", "e", target=target))
        assert path is not None, kind
        matched, args = adapter.match(path.split("?")[0])
        assert matched == endpoint, kind
        assert args["slug"] == "alpha"


def test_gap_paths_carry_the_filters_of_the_list_they_open():
    def path(target: Target) -> str | None:
        return readiness.gap_path("alpha", Gap("EXP1", "X", "high", "m", "a", "e", target=target))

    assert path(TARGETS["evidence_list"][0]) == "/p/alpha/evidence/?criterion=EXP1&status=draft"
    assert (
        path(Target("evidence_list", "EXP1", filters=(("stale", "1"),)))
        == "/p/alpha/evidence/?criterion=EXP1&due=stale"
    )
    assert path(TARGETS["evidence_new"][0]) == "/p/alpha/evidence/new?criterion=EXP1&type=jsna"
    assert path(TARGETS["comments"][0]) == "/p/alpha/feedback/comments?theme=EXP1"
    assert path(Target("follow_up", "EXP1", href="/p/alpha/inspections/4")) == "/p/alpha/inspections/4"
    assert path(TARGETS["sef_edit"][0]) == "/p/alpha/self-evaluation/EXP1/edit"
    assert readiness.gap_path("alpha", Gap("EXP1", "X", "high", "m", "a", "e")) is None


# Five plans issued in 2021: two within 20 weeks, three late -> 40%.
CASES_40_PERCENT = (
    HEADER
    + """
A1,2021-01-04,2021-02-01,assess,plan,2021-04-01,2021-04-20,no
A2,2021-01-04,2021-02-01,assess,plan,2021-04-01,2021-04-20,no
B1,2020-11-02,2020-12-01,assess,plan,2021-05-01,2021-06-01,no
B2,2020-11-02,2020-12-01,assess,plan,2021-05-01,2021-06-01,no
B3,2020-11-02,2020-12-01,assess,plan,2021-05-01,2021-06-01,no
"""
)


def test_excellent_paperwork_with_40_percent_timeliness_is_not_green(app, session, two_partnerships, settings):
    from tests.factories import write_sef_entry

    app.config["FIXED_NOW"] = "2022-03-01T09:00:00"
    a = two_partnerships.a
    import_case_file(session, a.partnership, CASES_40_PERCENT.encode())
    _, framework = partnership_framework(session, a.partnership)
    from inspect_app.storage import store_from_config

    store = store_from_config(app.config)
    for evidence_type in framework.criterion("EXP1").evidence_types:
        make_item(
            session, store, a, title=f"Current {evidence_type}", evidence_type=evidence_type,
            links={"EXP1": "Shows it."}, status="approved",
        )  # fmt: skip
    session.commit()
    write_sef_entry(
        session, a, "EXP1", EntryContent(grade="developing", strengths="Honest."), sign=True, when=datetime(2022, 3, 1)
    )

    exp1 = _criterion(readiness.assess(session, a.partnership, settings, as_of=date(2022, 3, 1)), "EXP1")

    assert _measure_value(exp1, "ehcp_20wk_excl") == 40.0
    assert exp1.preparation.rag == "green"
    assert exp1.impact.rag == "red"
    assert exp1.rag == "red"
    assert ("DUTY_BELOW_LAW", "high") in {(g.code, g.severity) for g in exp1.gaps}


def _measure_value(criterion, measure_id):  # type: ignore[no-untyped-def]
    return next(m.value for m in criterion.measures if m.id == measure_id)


def test_actions_from_the_last_inspection_feed_the_follow_up_gaps_with_a_link_to_the_action(
    session, two_partnerships, settings
):
    from inspect_app.services import findings
    from tests.factories import shipped_framework

    a = two_partnerships.a
    late = findings.add_action(
        session,
        audit.Actor.of(a.lead),
        a.inspection,
        findings.ActionDetails(
            kind="priority_action", text="Plans on time", due_on=date(2026, 1, 31), criteria=("EXP1",)
        ),
        framework=shipped_framework(),
        when=datetime(2025, 12, 1),
    )
    session.commit()

    report = readiness.build_report(session, a.partnership, settings, generated_at=datetime(2026, 3, 1, 9))
    exp1 = _criterion(report.result, "EXP1")

    assert (exp1.follow_up.actions, exp1.follow_up.off_track) == (1, 1)
    [gap] = [g for g in report.gap_register if g.code == "FOLLOW_UP_OFF_TRACK"]
    assert gap.severity == "high" and "Plans on time" in gap.message
    assert gap.link == f"/p/alpha/inspections/actions/{late.id}"
    assert {p.name: p.fraction for p in exp1.preparation.parts}["follow_up"] == 0.0
    assert all(c.follow_up.actions == 0 for c in report.result.criteria if c.id != "EXP1")
