"""The demo's case data: generated for the seed, written as SEN2 returns, imported through the real import service."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, datetime

import pytest
from flask import current_app
from sqlalchemy import func, select

from inspect_app import demo
from inspect_app.demo import cases as case_demo
from inspect_app.demo.context import DemoContext
from inspect_app.domain.cases import Case, Review, merge_historical
from inspect_app.domain.clocks import case_clocks
from inspect_app.domain.data_quality import data_quality_findings
from inspect_app.domain.measures import compute_annual_measures
from inspect_app.domain.sen2_returns import write_xml
from inspect_app.domain.synthetic_cases import add_data_quality_problems, generate_cases, generate_reviews
from inspect_app.domain.synthetic_sen2 import add_journey_states, collection_years, returns_for
from inspect_app.importers.sen2 import read_sen2
from inspect_app.models import AuditEvent, CaseRecord, DataImport, ReviewRecord
from inspect_app.services import timeliness
from tests.factories import FRAMEWORKS_DIR, NOW, create_partnership

TODAY = NOW.date()
FIRST_YEAR = TODAY.year - 4


@pytest.fixture(autouse=True)
def _fresh_cache():  # type: ignore[no-untyped-def]
    timeliness.clear_cache()
    yield
    timeliness.clear_cache()


def demo_returns(count: int, seed: int) -> list[tuple[int, bytes]]:
    """The demo's returns for `count` requests, as the demo step makes them."""
    cases = generate_cases(count, seed, FIRST_YEAR, TODAY.year, as_of=TODAY)
    reviews = generate_reviews(cases, seed + 1, TODAY)
    add_journey_states(cases, reviews, seed + 3, TODAY, FIRST_YEAR)
    add_data_quality_problems(cases, reviews, seed + 2, TODAY)
    years = collection_years(FIRST_YEAR, TODAY)
    return [
        (header.year, write_xml(header, people)) for header, people in returns_for(cases, reviews, "805", years, TODAY)
    ]


def test_demo_imports_its_returns_as_the_contributor_through_the_import_service(app, session):
    context = demo.build_demo(
        session, config=current_app.config, seed=2026, cases=400, now=NOW, frameworks_root=FRAMEWORKS_DIR
    )
    pid = context.partnership.id
    cases = session.scalar(select(func.count()).select_from(CaseRecord).where(CaseRecord.partnership_id == pid))
    assert 400 < cases < 460  # the requests, a few re-assessments and some plans older than the data
    reviews = session.scalar(select(func.count()).select_from(ReviewRecord).where(ReviewRecord.partnership_id == pid))
    assert reviews > 100
    imports = session.scalars(select(DataImport).order_by(DataImport.id)).all()
    years = list(range(FIRST_YEAR + 1, TODAY.year + 2))
    assert [(i.kind, i.status, i.filename, i.created_by) for i in imports] == [
        ("sen2", "succeeded", f"sen2-{year}-805.xml", "contributor@demo.example") for year in years
    ]
    assert imports[0].added > 0 and imports[-1].changed > 0  # later returns update the earlier ones' cases
    actions = session.scalars(select(AuditEvent.action).where(AuditEvent.object_type == "data_import")).all()
    assert actions == ["case_import.queued", "case_import.succeeded"] * len(years)
    assert any(line.startswith(f"Case data: 400 requests for assessment ({FIRST_YEAR} to") for line in context.summary)
    values = timeliness.annual_measures(session, pid, TODAY)
    assert {str(year) for year in range(FIRST_YEAR, TODAY.year + 1)} <= {value.period for value in values}
    historical = session.scalar(
        select(func.count())
        .select_from(CaseRecord)
        .where(CaseRecord.partnership_id == pid, CaseRecord.request_date.is_(None))
    )
    assert historical > 0
    assert session.scalar(select(func.max(CaseRecord.request_date)).where(CaseRecord.partnership_id == pid)) <= TODAY


def test_demo_with_no_cases_adds_none(app, session):
    context = demo.build_demo(
        session, config=current_app.config, seed=2026, cases=0, now=NOW, frameworks_root=FRAMEWORKS_DIR
    )
    assert session.scalar(select(func.count()).select_from(CaseRecord)) == 0
    assert "Case data: none (--cases 0)" in context.summary


def test_the_case_step_draws_from_its_own_generator_never_the_shared_one(app, session):
    """Later steps (evidence, feedback) draw the same numbers however many cases the demo makes."""
    partnership = create_partnership(session, slug="other")
    shared = random.Random(5)
    before = shared.getstate()
    context = DemoContext(session, partnership, {}, shared, NOW, cases=50, config=current_app.config, seed=5)
    case_demo.add_case_data(context)
    assert shared.getstate() == before
    assert session.scalar(select(func.count()).select_from(CaseRecord)) >= 50


def test_the_demo_generator_gives_the_same_returns_for_a_seed_and_others_for_another():
    assert demo_returns(300, 2026) == demo_returns(300, 2026)
    assert demo_returns(300, 2026) != demo_returns(300, 2027)


@pytest.fixture(scope="module")
def demo_records() -> tuple[list[Case], list[Review]]:
    """The default demo's 3,000 requests, read back from its returns by the real reader, each later return tying
    its H records to the earlier ones' cases as the import service does."""
    stored: dict[str, Case] = {}
    reviews: dict[tuple[str, date], Review] = {}
    for _year, data in demo_returns(3000, 2026):
        result = read_sen2(data, today=TODAY, secret=b"demo-test-key", la_code="805")
        assert result.errors == []  # every generated return imports cleanly
        by_plan = {(c.person_ref, c.final_plan_date): c.case_ref for c in stored.values() if c.final_plan_date}
        renamed: dict[str, str] = {}
        historical = set(result.historical)
        for position, case in enumerate(result.rows):
            if position in historical:
                ref = case.case_ref if case.case_ref in stored else by_plan.get((case.person_ref, case.final_plan_date))
                if ref is not None:
                    renamed[case.case_ref] = ref
                    case = merge_historical(stored[ref], case)
            stored[case.case_ref] = case
        for review in result.reviews:
            review = replace(review, case_ref=renamed.get(review.case_ref, review.case_ref))
            reviews[review.case_ref, review.meeting_date] = review
    return list(stored.values()), list(reviews.values())


def test_demo_volumes_rise_a_little_each_year(demo_records):
    cases, _ = demo_records
    initial = [case for case in cases if case.request_date and case.request_type == "initial"]
    per_year = {year: sum(case.request_date.year == year for case in initial) for year in range(FIRST_YEAR, TODAY.year)}
    assert 450 <= per_year[FIRST_YEAR] < per_year[TODAY.year - 1] <= 800


def test_demo_timeliness_is_around_and_a_little_below_england(demo_records):
    cases, reviews = demo_records
    values = {(v.measure_id, v.period): v for v in compute_annual_measures(cases, reviews, TODAY)}
    for year in (str(TODAY.year - 3), str(TODAY.year - 2), str(TODAY.year - 1)):
        within = values[("ehcp_20wk_excl", year)]
        assert 35.0 <= within.value <= 55.0, (year, within)  # England: 46.4% in 2024, 46.1% in 2025
        assert 0 < values[("ehcp_over_52wk_excl", year)].numerator  # a few take more than a year
        assert 40.0 <= values[("decision_6wk", year)].value <= 75.0
        assert 40.0 <= values[("annual_review_on_time", year)].value <= 90.0
        assert 40.0 <= values[("review_decision_4wk", year)].value <= 85.0
    assert values[("phase_transfer_on_time", str(TODAY.year - 1))].denominator > 0
    assert values[("review_completed_in_year", str(TODAY.year - 1))].denominator > 0


def test_demo_shows_every_state_of_the_journey(demo_records):
    cases, reviews = demo_records
    assert {case.decision for case in cases} >= {"assess", "not_assess", "withdrawn", "historical", None}
    assert {case.assessment_outcome for case in cases} >= {"plan", "no_plan", "withdrawn", "historical", None}
    assert any(case.moved_out_to for case in cases)
    assert any(case.decision == "not_assess" and case.request_tribunal and case.assessment_outcome for case in cases)
    assert any(case.request_type == "reassessment" for case in cases)
    assert any(case.cease_date and case.cease_reason for case in cases)
    assert any(case.transferred_in_from for case in cases)
    assert any(case.phase_transfer_due_date for case in cases)
    assert any(case.exception for case in cases)
    assert any(case.assessment_mediation or case.assessment_tribunal or case.other_tribunal for case in cases)
    by_case: dict[str, list[Review]] = {}
    for review in reviews:
        by_case.setdefault(review.case_ref, []).append(review)
    for case in cases:
        if case.moved_out_to or case.decision == "withdrawn" or case.assessment_outcome == "withdrawn":
            clocks = case_clocks(case, by_case.get(case.case_ref, []), TODAY)
            assert not [c for c in clocks if c.is_open and c.rule_id != "annual_review_12m"], case


def test_demo_has_a_few_data_quality_problems(demo_records):
    cases, reviews = demo_records
    findings = data_quality_findings(cases, reviews, TODAY)
    spoiled_cases = {finding.case_ref for finding in findings}
    assert 3 <= len(spoiled_cases) <= 0.05 * len(cases)


def test_a_demo_built_for_a_later_day_than_the_machines_clock_still_imports(app, session):
    later = datetime(2031, 3, 1, 9, 0)  # every case up to 2031 would be "in the future" by the real clock
    context = demo.build_demo(
        session, config=current_app.config, seed=1, cases=60, now=later, frameworks_root=FRAMEWORKS_DIR
    )
    assert session.scalar(select(func.count()).select_from(CaseRecord)) >= 60
    assert any(line.startswith("Case data: 60 requests") for line in context.summary)
