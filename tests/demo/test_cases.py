"""The demo's case data: generated for the seed, imported through the real import service, realistic figures."""

from __future__ import annotations

import random
from datetime import date, datetime

import pytest
from flask import current_app
from sqlalchemy import func, select

from inspect_app import demo
from inspect_app.demo import cases as case_demo
from inspect_app.demo.context import DemoContext
from inspect_app.domain.cases import Case, Review
from inspect_app.domain.data_quality import data_quality_findings
from inspect_app.domain.measures import compute_annual_measures
from inspect_app.domain.synthetic_cases import (
    add_data_quality_problems,
    case_file,
    generate_cases,
    generate_reviews,
    review_file,
)
from inspect_app.importers.cases import read_cases, read_reviews
from inspect_app.models import AuditEvent, CaseRecord, DataImport, ReviewRecord
from inspect_app.services import timeliness
from tests.factories import FRAMEWORKS_DIR, NOW, create_partnership

TODAY = NOW.date()


@pytest.fixture(autouse=True)
def _fresh_cache():  # type: ignore[no-untyped-def]
    timeliness.clear_cache()
    yield
    timeliness.clear_cache()


def test_demo_imports_its_cases_and_reviews_as_the_contributor_through_the_import_service(app, session):
    context = demo.build_demo(
        session, config=current_app.config, seed=2026, cases=400, now=NOW, frameworks_root=FRAMEWORKS_DIR
    )
    pid = context.partnership.id
    assert session.scalar(select(func.count()).select_from(CaseRecord).where(CaseRecord.partnership_id == pid)) == 400
    reviews = session.scalar(select(func.count()).select_from(ReviewRecord).where(ReviewRecord.partnership_id == pid))
    assert reviews > 100
    imports = session.scalars(select(DataImport).order_by(DataImport.id)).all()
    assert [(i.kind, i.status, i.filename, i.created_by) for i in imports] == [
        ("cases", "succeeded", "case-system-extract.csv", "contributor@demo.example"),
        ("reviews", "succeeded", "annual-reviews.csv", "contributor@demo.example"),
    ]
    assert (imports[0].added, imports[1].added) == (400, reviews)
    actions = session.scalars(select(AuditEvent.action).where(AuditEvent.object_type == "data_import")).all()
    assert actions == ["case_import.queued", "case_import.succeeded"] * 2
    assert any(line.startswith("Case data: 400 requests for assessment (2022 to 2026)") for line in context.summary)
    values = timeliness.annual_measures(session, pid, TODAY)
    assert {value.period for value in values} == {"2022", "2023", "2024", "2025", "2026"}
    latest = session.scalar(select(func.max(CaseRecord.request_date)).where(CaseRecord.partnership_id == pid))
    assert latest <= TODAY


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
    assert session.scalar(select(func.count()).select_from(CaseRecord)) == 50


def test_the_demo_generator_gives_the_same_files_for_a_seed_and_others_for_another():
    def files(seed: int) -> tuple[bytes, bytes]:
        cases = generate_cases(300, seed, 2022, 2026, as_of=TODAY)
        reviews = generate_reviews(cases, seed + 1, TODAY)
        add_data_quality_problems(cases, reviews, seed + 2, TODAY)
        return case_file(cases), review_file(reviews)

    assert files(2026) == files(2026)
    assert files(2026) != files(2027)


@pytest.fixture(scope="module")
def demo_records() -> tuple[list[Case], list[Review], dict[str, int]]:
    """The default demo's 3,000 cases, read back by the real importer."""
    cases = generate_cases(3000, 2026, 2022, 2026, as_of=TODAY)
    reviews = generate_reviews(cases, 2027, TODAY)
    spoiled = add_data_quality_problems(cases, reviews, 2028, TODAY)
    read, read_back = read_cases(case_file(cases), today=TODAY), read_reviews(review_file(reviews), today=TODAY)
    assert read.errors == [] and read_back.errors == []  # an import accepts every generated row
    return read.rows, read_back.rows, spoiled


def test_demo_volumes_rise_a_little_each_year(demo_records):
    cases, _, _ = demo_records
    per_year = {year: sum(1 for case in cases if case.request_date.year == year) for year in range(2022, 2026)}
    assert 450 <= per_year[2022] < per_year[2025] <= 800
    assert all(case.request_date <= TODAY for case in cases)


def test_demo_timeliness_is_around_and_a_little_below_england(demo_records):
    cases, reviews, _ = demo_records
    values = {(v.measure_id, v.period): v for v in compute_annual_measures(cases, reviews, TODAY)}
    for year in ("2023", "2024", "2025"):
        within = values[("ehcp_20wk_excl", year)]
        assert 38.0 <= within.value <= 55.0, (year, within)  # England: 46.4% in 2024, 50.3% in 2023
        assert 0 < values[("ehcp_over_52wk_excl", year)].numerator  # a few take more than a year
        assert 40.0 <= values[("decision_6wk", year)].value <= 75.0
        assert 50.0 <= values[("annual_review_on_time", year)].value <= 90.0
        assert 40.0 <= values[("review_decision_4wk", year)].value <= 85.0
    exceptions = sum(case.exception for case in cases)
    assert 0.03 * len(cases) <= exceptions <= 0.07 * len(cases)
    assert {case.decision for case in cases} >= {"assess", "not_assess", "withdrawn", None}


def test_demo_has_a_few_data_quality_problems(demo_records):
    cases, reviews, spoiled = demo_records
    findings = data_quality_findings(cases, reviews, TODAY)
    spoiled_cases = {finding.case_ref for finding in findings}
    assert 3 <= len(spoiled_cases) <= 0.02 * len(cases)
    codes = {finding.code for finding in findings}
    assert codes <= {"PLAN_BEFORE_OUTCOME", "OUTCOME_BEFORE_DECISION", "DECISION_TYPE_MISSING", "REVIEW_BEFORE_PLAN"}
    assert len(codes) >= 3
    assert sum(spoiled.values()) == len(findings)


def test_generated_reviews_never_postdate_the_as_at_day_and_follow_their_plan():
    cases = generate_cases(500, 1, 2020, 2024, as_of=date(2024, 12, 31))
    plans = {case["case_ref"]: case["final_plan_date"] for case in cases}
    reviews = generate_reviews(cases, 1, date(2024, 12, 31))
    assert reviews
    for review in reviews:
        assert plans[review["case_ref"]] < review["meeting_date"] <= date(2024, 12, 31)
        assert review["decision_date"] is None or review["meeting_date"] <= review["decision_date"] <= date(
            2024, 12, 31
        )


def test_a_demo_built_for_a_later_day_than_the_machines_clock_still_imports(app, session):
    later = datetime(2031, 3, 1, 9, 0)  # every case up to 2031 would be "in the future" by the real clock
    context = demo.build_demo(
        session, config=current_app.config, seed=1, cases=60, now=later, frameworks_root=FRAMEWORKS_DIR
    )
    assert session.scalar(select(func.count()).select_from(CaseRecord)) == 60
    assert any(line.startswith("Case data: 60 requests") for line in context.summary)
