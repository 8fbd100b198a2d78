"""The readiness service: facts gathered from every feature of one partnership, never another's."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from inspect_app.domain.readiness import GAP_CODES
from inspect_app.domain.self_evaluation import EntryContent
from inspect_app.services import audit, readiness, timeliness
from inspect_app.services import self_evaluation as sef
from inspect_app.services.frameworks import partnership_framework
from tests.benchmark_data import import_real_statistics
from tests.evidence_factories import make_item
from tests.factories import create_feedback, import_case_file

SCHEMA = json.loads(
    (Path(__file__).resolve().parents[2] / "inspect_app/reports/schemas/readiness-1.schema.json").read_text()
)

# Four plans issued in 2021: one within 20 weeks (106 days), three late (211 days) -> 25% against England's 59.9%.
HEADER = (
    "case_ref,request_date,decision_date,decision,assessment_outcome,assessment_outcome_date,final_plan_date,exception"
)
CASES_2021 = HEADER + """
A1,2021-01-04,2021-02-01,assess,plan,2021-04-01,2021-04-20,no
B1,2020-11-02,2020-12-01,assess,plan,2021-05-01,2021-06-01,no
B2,2020-11-02,2020-12-01,assess,plan,2021-05-01,2021-06-01,no
B3,2020-11-02,2020-12-01,assess,plan,2021-05-01,2021-06-01,no
"""


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


def test_a_partnership_with_no_data_gets_every_criterion_with_its_gaps(session, two_partnerships, settings):
    a = two_partnerships.a.partnership
    report = readiness.build_report(session, a, settings)
    result = report.result
    assert len(result.criteria) == 15
    for criterion in result.criteria:
        codes = {g.code for g in criterion.gaps}
        assert {"NO_EVIDENCE", "NO_SELF_EVALUATION", "NO_FAMILY_VOICE"} <= codes, criterion.id
    document = report.to_json()
    Draft202012Validator(SCHEMA).validate(document)
    assert document["partnership"] == {"slug": "alpha", "name": a.name, "la_code": "805"}
    assert {g["code"] for g in document["gaps"]} <= set(GAP_CODES)


def test_unapproved_evidence_is_a_gap_that_names_its_owner_and_other_partnerships_evidence_never_counts(
    session, two_partnerships, settings, app
):
    from inspect_app.storage import store_from_config

    store = store_from_config(app.config)
    make_item(session, store, two_partnerships.a, title="Draft strategy", links={"LEAD1": "Sets out the priorities."})
    make_item(
        session, store, two_partnerships.b, title="Beta's plan", links={"LEAD2": "Co-production."}, status="approved"
    )
    session.commit()

    result = readiness.assess(session, two_partnerships.a.partnership, settings)
    lead1 = _criterion(result, "LEAD1")
    assert lead1.evidence_linked == 1 and lead1.evidence_approved == 0
    unapproved = [g for g in lead1.gaps if g.code == "UNAPPROVED_EVIDENCE"]
    assert len(unapproved) == 1
    assert '"Draft strategy"' in unapproved[0].message
    assert unapproved[0].owner == two_partnerships.a.contributor.name
    lead2 = _criterion(result, "LEAD2")
    assert lead2.evidence_linked == 0
    assert "NO_EVIDENCE" in {g.code for g in lead2.gaps}


def test_case_data_measure_is_compared_with_englands_published_figure_for_the_same_year(
    app, session, two_partnerships, settings
):
    app.config["FIXED_NOW"] = "2022-03-01T09:00:00"
    import_real_statistics(session)
    import_case_file(session, two_partnerships.a.partnership, CASES_2021.encode())

    result = readiness.assess(session, two_partnerships.a.partnership, settings, as_of=date(2022, 3, 1))
    measure = _measure(result, "EXP1", "ehcp_20wk_excl")
    assert (measure.period, measure.numerator, measure.denominator, measure.value) == ("2021", 1, 4, 25.0)
    assert measure.england == pytest.approx(100 * 34249 / 57196)  # England 2021 in sen2_mi.csv: 59.9
    assert measure.england_period == "2021"
    assert measure.rag == "red"
    below = [g for g in _criterion(result, "EXP1").gaps if g.code == "MEASURE_BELOW_ENGLAND"]
    assert [g.message for g in below] == [
        "New EHC plans issued within 20 weeks, excluding exceptions (ehcp_20wk_excl) was 25.0% in 2021 against 59.9% "
        "for England: 34.9 percentage points worse.",
        "New EHC plans issued within 20 weeks, including exceptions (ehcp_20wk_incl) was 25.0% in 2021 against 57.9% "
        "for England: 32.9 percentage points worse.",
    ]
    # Partnership B imported nothing: its measure has no figure.
    other = readiness.assess(session, two_partnerships.b.partnership, settings, as_of=date(2022, 3, 1))
    assert _measure(other, "EXP1", "ehcp_20wk_excl").value is None


def test_englands_older_figure_is_used_and_named_when_the_local_year_is_not_published_yet(
    app, session, two_partnerships, settings
):
    app.config["FIXED_NOW"] = "2026-03-01T09:00:00"
    import_real_statistics(session)
    cases = CASES_2021.replace("2021-", "2025-").replace("2020-", "2024-")
    import_case_file(session, two_partnerships.a.partnership, cases.encode())

    report = readiness.build_report(session, two_partnerships.a.partnership, settings)
    measure = _measure(report.result, "EXP1", "ehcp_20wk_excl")
    assert (measure.period, measure.england_period) == ("2025", "2021")
    row = next(m for m in report.measures if m.criterion_id == "EXP1" and m.id == "ehcp_20wk_excl")
    assert row.england_text == "59.9% (2021)"
    below = [g for g in _criterion(report.result, "EXP1").gaps if g.code == "MEASURE_BELOW_ENGLAND"]
    assert any("for England in 2021" in g.message for g in below)


def test_a_strong_grade_over_red_data_is_a_conflict_and_sign_off_is_read_from_the_self_evaluation(
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
    answered = [c for c in b_result.criteria if c.feedback_responses]
    assert answered, "the fixture survey maps questions to criteria"
    assert all(c.feedback_responses == 0 for c in a_result.criteria)
