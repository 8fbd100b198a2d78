"""The timeliness service over imported files: scoping, measures worked out by hand, filters, case detail, cache.

The file and its expected measures are in tests/case_data.py, read as at 30 June 2025.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

import pytest
from sqlalchemy import event, select

from inspect_app.domain.clocks import ANNUAL_REVIEW_12M, DECIDE_TO_ASSESS_6W, FINAL_PLAN_20W, REVIEW_DECISION_4W
from inspect_app.domain.errors import NotFound
from inspect_app.domain.measures import MEASURE_IDS
from inspect_app.extensions import db
from inspect_app.models import TimelinessSummary
from inspect_app.services import audit, case_imports, timeliness
from inspect_app.services.timeliness import CaseFilter
from tests.case_data import AS_OF, CASES, EXPECTED, REVIEWS, WHEN
from tests.factories import import_case_file, shipped_framework


@pytest.fixture(autouse=True)
def _frozen_clock(app):  # type: ignore[no-untyped-def]
    app.config["FIXED_NOW"] = WHEN.isoformat()
    timeliness.clear_cache()
    yield
    timeliness.clear_cache()


@pytest.fixture
def world(session, two_partnerships):  # type: ignore[no-untyped-def]
    """Partnership A holds the file above; partnership B holds other cases, some under the same references."""
    import_case_file(session, two_partnerships.a.partnership, CASES, when=WHEN)
    import_case_file(session, two_partnerships.a.partnership, REVIEWS, kind="reviews", when=WHEN)
    other = (
        b"case_ref,request_date,decision_date,decision,final_plan_date\n"
        b"A1,2022-03-01,2022-05-30,assess,2023-11-01\nB1,2024-02-02,,,\nB2,2025-01-01,,,\n"
    )
    import_case_file(session, two_partnerships.b.partnership, other, when=WHEN)
    import_case_file(
        session, two_partnerships.b.partnership, b"case_ref,meeting_date\nA1,2023-10-01\n", kind="reviews", when=WHEN
    )
    return two_partnerships


def _by_key(values):  # type: ignore[no-untyped-def]
    return {(value.measure_id, int(value.period)): value for value in values}


# Loading and scoping -------------------------------------------------------------------------------------------


def test_load_cases_returns_only_the_partnerships_own_cases_oldest_request_first(session, world):
    ids, cases = timeliness.load_cases(session, world.a.partnership.id)
    assert [case.case_ref for case in cases] == ["A9", "A1", "A2", "A3", "A4", "A5", "A6", "A7", "A8"]
    assert len(ids) == len(set(ids)) == 9
    a1 = cases[1]
    assert (a1.request_date, a1.final_plan_date, a1.primary_need, a1.age_at_request) == (
        date(2024, 1, 10),
        date(2024, 5, 29),
        "ASD",
        6,
    )
    other_ids, other = timeliness.load_cases(session, world.b.partnership.id)
    assert [case.case_ref for case in other] == ["A1", "B1", "B2"]
    assert not set(ids) & set(other_ids)


def test_load_cases_leaves_fields_not_asked_for_at_their_defaults(session, world):
    _, cases = timeliness.load_cases(session, world.a.partnership.id, ("case_ref", "request_date"))
    assert cases[0].case_ref == "A9"
    assert (cases[0].decision, cases[0].final_plan_date, cases[0].exception, cases[0].age_at_request) == (
        None,
        None,
        False,
        None,
    )


def test_load_reviews_returns_only_the_partnerships_reviews_in_meeting_order(session, world):
    reviews = timeliness.load_reviews(session, world.a.partnership.id)
    assert [(r.case_ref, r.meeting_date) for r in reviews] == [
        ("A9", date(2024, 8, 20)),
        ("A9", date(2025, 3, 3)),
        ("A1", date(2025, 6, 10)),
    ]
    assert [r.meeting_date for r in timeliness.load_reviews(session, world.a.partnership.id, "A1")] == [
        date(2025, 6, 10)
    ]
    # B's review of its own A1 never shows among A's, nor A's among B's
    assert [(r.case_ref, r.meeting_date) for r in timeliness.load_reviews(session, world.b.partnership.id)] == [
        ("A1", date(2023, 10, 1))
    ]


def test_count_rows_counts_each_partnerships_own_rows(session, world):
    assert timeliness.count_rows(session, world.a.partnership.id) == (9, 3)
    assert timeliness.count_rows(session, world.b.partnership.id) == (3, 1)


# Measures ------------------------------------------------------------------------------------------------------


def test_annual_measures_match_the_numbers_worked_out_by_hand(session, world):
    values = timeliness.annual_measures(session, world.a.partnership.id, AS_OF)
    assert [value.period for value in values[:: len(MEASURE_IDS)]] == ["2023", "2024", "2025"]
    found = _by_key(values)
    for measure_id, years in EXPECTED.items():
        for year, expected in years.items():
            value = found[(measure_id, year)]
            assert (value.numerator, value.denominator, value.value) == expected, (measure_id, year)


def test_snapshot_holds_the_same_annual_values_and_rolling_twelve_months(session, world):
    snap = timeliness.snapshot(session, world.a.partnership.id, AS_OF)
    assert snap.annual == timeliness.annual_measures(session, world.a.partnership.id, AS_OF)
    assert snap.years == [2023, 2024, 2025]
    assert snap.default_year == 2024  # the last complete calendar year
    rolling = {(v.measure_id, v.period): v for v in snap.rolling}
    # the 12 months to June 2025 (the as-at date is the month's last day): requests A7 and A8 (A6 came on 3 June
    # 2024, a month too early); plans A5 (July 2024) and A4 (March 2025)
    assert (rolling[("requests_received", "2025-06")].numerator, rolling[("new_plans", "2025-06")].numerator) == (2, 2)
    june = rolling[("ehcp_20wk_excl", "2025-06")]
    assert (june.numerator, june.denominator) == (0, 1)  # A5 has an exception, A4 took 374 days
    assert max(v.period for v in snap.rolling) == "2025-06"


def test_annual_measures_for_one_year_and_for_a_year_without_data(session, world):
    year = timeliness.annual_measures(session, world.a.partnership.id, AS_OF, 2024)
    assert [value.measure_id for value in year] == list(MEASURE_IDS)
    assert {value.period for value in year} == {"2024"}
    empty = timeliness.annual_measures(session, world.a.partnership.id, AS_OF, 2019)
    assert [(v.measure_id, v.period, v.numerator, v.denominator, v.value) for v in empty] == [
        (measure_id, "2019", 0, 0, None) for measure_id in MEASURE_IDS
    ]


def test_another_partnerships_cases_never_reach_the_measures(session, world):
    b = _by_key(timeliness.annual_measures(session, world.b.partnership.id, AS_OF))
    assert sorted({year for _, year in b}) == [2022, 2023, 2024, 2025]
    assert (b[("requests_received", 2024)].numerator, b[("new_plans", 2023)].numerator) == (1, 1)
    a = _by_key(timeliness.annual_measures(session, world.a.partnership.id, AS_OF))
    assert (a[("new_plans", 2023)].numerator, a[("requests_received", 2025)].numerator) == (1, 1)


def test_measures_json_gives_null_for_an_empty_denominator(session, world):
    values = timeliness.annual_measures(session, world.a.partnership.id, AS_OF, 2023)
    document = timeliness.measures_json(world.a.partnership, values)
    assert document["partnership"] == "alpha"
    rows = {row["id"]: row for row in document["measures"]}
    assert rows["annual_review_on_time"] == {
        "id": "annual_review_on_time",
        "period": "2023",
        "value": None,
        "numerator": 0,
        "denominator": 0,
    }
    assert rows["decision_6wk"]["value"] == 100.0


def test_measure_facts_gives_every_case_data_measure_of_the_framework_for_every_year(session, world):
    framework = shipped_framework()
    facts = timeliness.measure_facts(session, world.a.partnership, framework)
    wanted = [m.id for m in framework.measures if m.source == "case_data" and m.id in MEASURE_IDS]
    assert list(facts) == wanted
    assert "ehcp_20wk_excl" in facts and "avg_weeks_to_issue" not in facts  # no rule for it in the case data
    assert [(v.period, v.numerator, v.denominator) for v in facts["ehcp_20wk_excl"]] == [
        ("2023", 1, 1),
        ("2024", 1, 2),
        ("2025", 0, 1),
    ]


def test_latest_value_prefers_the_year_asked_for_then_the_latest_with_data(session, world):
    values = timeliness.annual_measures(session, world.a.partnership.id, AS_OF)
    assert timeliness.latest_value(values, "annual_review_on_time", 2023).period == "2025"
    assert timeliness.latest_value(values, "decision_6wk", 2024).period == "2024"
    assert timeliness.latest_value([], "decision_6wk") is None


def test_the_summary_counts_cases_with_findings_in_the_partnership_only(session, world):
    assert timeliness.summary(session, world.a.partnership.id, AS_OF).cases_with_findings == 1  # A5
    findings = timeliness.snapshot(session, world.a.partnership.id, AS_OF).findings()
    assert [(f.case_ref, f.code) for f in findings] == [("A5", "PLAN_BEFORE_OUTCOME")]  # plan before its outcome
    # B's review of A1 is dated before A1's plan in B's data
    assert timeliness.summary(session, world.b.partnership.id, AS_OF).cases_with_findings == 1


# Case lists ----------------------------------------------------------------------------------------------------


def _refs(snap, wanted: CaseFilter) -> list[str]:  # type: ignore[no-untyped-def]
    return [snap.cases[p].case_ref for p in timeliness.filter_cases(snap, wanted)]


def test_filter_cases_by_status_exception_need_and_year_newest_request_first(session, world):
    snap = timeliness.snapshot(session, world.a.partnership.id, AS_OF)
    assert _refs(snap, CaseFilter()) == ["A8", "A7", "A6", "A5", "A4", "A3", "A2", "A1", "A9"]
    # missed a clock: A2 (6 and 20 weeks), A4 (20 weeks), A1 (its review), A9 (its second review's decision)
    assert _refs(snap, CaseFilter(status="late")) == ["A4", "A2", "A1", "A9"]
    # open past the due date: A8 (20 weeks), A6 (6 weeks), A2 (its first review)
    assert _refs(snap, CaseFilter(status="overdue")) == ["A8", "A6", "A2"]
    assert _refs(snap, CaseFilter(exception=True)) == ["A5"]
    assert "A5" not in _refs(snap, CaseFilter(exception=False))
    assert _refs(snap, CaseFilter(need="ASD")) == ["A6", "A3", "A1", "A9"]
    assert _refs(snap, CaseFilter(year=2024)) == ["A7", "A6", "A5", "A4", "A3", "A2", "A1"]
    assert _refs(snap, CaseFilter(status="late", need="SEMH", year=2024)) == ["A2"]
    assert _refs(snap, CaseFilter(need="HI")) == []
    assert CaseFilter(year=2024).active and not CaseFilter().active


def test_case_rows_carry_each_cases_id_and_clock_status(session, world):
    snap = timeliness.snapshot(session, world.a.partnership.id, AS_OF)
    positions = timeliness.filter_cases(snap, CaseFilter(need="SEMH"))
    rows = timeliness.case_rows(snap, positions)
    assert [(row.case.case_ref, row.status.late, row.status.overdue) for row in rows] == [
        ("A8", 0, 1),
        ("A2", 2, 1),
    ]
    assert [row.id for row in rows] == [snap.case_ids()["A8"], snap.case_ids()["A2"]]
    assert snap.statuses()[snap.cases.index(rows[1].case)] == rows[1].status


# One case ------------------------------------------------------------------------------------------------------


def test_case_detail_gives_the_cases_reviews_clocks_and_findings(session, world):
    snap = timeliness.snapshot(session, world.a.partnership.id, AS_OF)
    detail = timeliness.case_detail(session, world.a.partnership.id, snap.case_ids()["A9"], AS_OF)
    assert detail.case.case_ref == "A9" and detail.record.age_at_request == 9
    assert [r.meeting_date for r in detail.reviews] == [date(2024, 8, 20), date(2025, 3, 3)]
    clocks = [(c.rule_id, c.status, c.description) for c in detail.clocks]
    assert clocks == [
        (DECIDE_TO_ASSESS_6W, "met", "met"),
        (FINAL_PLAN_20W, "met", "met"),
        (ANNUAL_REVIEW_12M, "met", "met"),
        (ANNUAL_REVIEW_12M, "met", "met"),
        (ANNUAL_REVIEW_12M, "open_due", "due in 287 days"),  # 13 April 2026, the day before a year after it
        (REVIEW_DECISION_4W, "met", "met"),
        (REVIEW_DECISION_4W, "missed", "missed by 14 days"),
    ]
    assert detail.findings == []
    a5 = timeliness.case_detail(session, world.a.partnership.id, snap.case_ids()["A5"], AS_OF)
    assert [f.code for f in a5.findings] == ["PLAN_BEFORE_OUTCOME"]
    assert all(clock.exception_applies for clock in a5.clocks if clock.rule_id == FINAL_PLAN_20W)


def test_case_detail_of_another_partnerships_case_is_not_found(session, world):
    b_ids, _ = timeliness.load_cases(session, world.b.partnership.id)
    with pytest.raises(NotFound):
        timeliness.case_detail(session, world.a.partnership.id, b_ids[0], AS_OF)


# The cache -----------------------------------------------------------------------------------------------------


def test_snapshot_is_kept_until_a_new_import_or_a_new_day(session, world):
    pid = world.a.partnership.id
    first = timeliness.snapshot(session, pid, AS_OF)
    assert timeliness.snapshot(session, pid, AS_OF) is first
    assert timeliness.snapshot(session, pid, date(2025, 7, 1)) is not first
    newer = CASES + b"A10,2025-06-02,,,,,,no,VI,3\n"
    import_case_file(session, world.a.partnership, newer, when=WHEN)
    after = timeliness.snapshot(session, pid, AS_OF)
    assert after is not first
    assert _by_key(after.annual)[("requests_received", 2025)].numerator == 2
    assert timeliness.snapshot(session, pid, AS_OF) is after
    timeliness.clear_cache()
    rebuilt = timeliness.snapshot(session, pid, AS_OF)
    assert rebuilt is not after and rebuilt.annual == after.annual


def test_a_failed_import_leaves_the_cached_snapshot_in_use(session, world):
    pid = world.a.partnership.id
    first = timeliness.snapshot(session, pid, AS_OF)
    record = import_case_file(session, world.a.partnership, b"case_ref,request_date\nA11,31/02/2025\n", when=WHEN)
    assert record.status == "failed"
    assert timeliness.snapshot(session, pid, AS_OF) is first


def test_snapshots_of_two_partnerships_are_kept_apart(session, world):
    a = timeliness.snapshot(session, world.a.partnership.id, AS_OF)
    b = timeliness.snapshot(session, world.b.partnership.id, AS_OF)
    assert a is not b
    assert {case.case_ref for case in b.cases} == {"A1", "B1", "B2"}


# Stored summaries ----------------------------------------------------------------------------------------------


@contextmanager
def statements() -> Iterator[list[str]]:
    """Collect the SQL the app's engine runs inside the block."""
    seen: list[str] = []

    def collect(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", collect)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", collect)


def _reads_cases(seen: list[str]) -> bool:
    return any(re.search(r"\bFROM (cases|annual_reviews)\b", statement) for statement in seen)


def _rows(session, partnership_id: int) -> list[TimelinessSummary]:  # type: ignore[no-untyped-def]
    session.expire_all()
    query = select(TimelinessSummary).where(TimelinessSummary.partnership_id == partnership_id)
    return list(session.scalars(query))


def test_a_stored_summary_is_read_back_after_a_restart_without_loading_a_case(session, world):
    pid = world.a.partnership.id
    expected = timeliness.snapshot(session, pid, AS_OF)
    assert timeliness.store_summary(session, pid, AS_OF, when=WHEN) is True
    session.commit()
    timeliness.clear_cache()  # as after a restart, or in another worker
    with statements() as seen:
        read = timeliness.summary(session, pid, AS_OF)
    assert not _reads_cases(seen)
    assert read.annual == tuple(expected.annual)
    assert (read.cases_with_findings, read.default_year, read.as_of) == (1, 2024, AS_OF)
    assert _by_key(read.annual)[("ehcp_20wk_excl", 2024)] == _by_key(expected.annual)[("ehcp_20wk_excl", 2024)]


def test_a_summary_of_another_day_or_an_earlier_import_is_never_used(session, world):
    pid = world.a.partnership.id
    timeliness.store_summary(session, pid, AS_OF, when=WHEN)
    session.commit()
    timeliness.clear_cache()
    next_day = date(2025, 7, 1)
    with statements() as seen:
        read = timeliness.summary(session, pid, next_day)
    assert _reads_cases(seen)  # worked out for the new day...
    assert read.annual == tuple(timeliness.snapshot(session, pid, next_day).annual)
    assert len(_rows(session, pid)) == 1  # ...and not stored by a read

    import_case_file(session, world.a.partnership, CASES + b"A10,2025-06-02,,,,,,no,VI,3\n", when=WHEN)
    timeliness.clear_cache()
    after = timeliness.summary(session, pid, AS_OF)
    assert _by_key(after.annual)[("requests_received", 2025)].numerator == 2  # the new import's cases

    assert timeliness.store_summary(session, pid, AS_OF, when=WHEN) is True
    session.commit()
    rows = _rows(session, pid)
    assert len(rows) == 1  # the earlier import's row is replaced, not kept
    assert rows[0].import_token == case_imports.latest_import(session, pid).token


def test_storing_a_summary_twice_stores_it_once_and_leaves_other_partnerships_alone(session, world):
    a, b = world.a.partnership.id, world.b.partnership.id
    assert timeliness.store_summary(session, a, AS_OF, when=WHEN) is True
    assert timeliness.store_summary(session, a, AS_OF, when=WHEN) is False
    assert timeliness.store_summary(session, b, AS_OF, when=WHEN) is True
    session.commit()
    assert len(_rows(session, a)) == len(_rows(session, b)) == 1
    timeliness.clear_cache()
    assert _by_key(timeliness.summary(session, b, AS_OF).annual)[("requests_received", 2025)].numerator == 1
    assert _by_key(timeliness.summary(session, a, AS_OF).annual)[("requests_received", 2025)].numerator == 1


def test_a_partnership_without_imports_has_an_empty_summary_and_stores_none(session, two_partnerships):
    pid = two_partnerships.a.partnership.id
    with statements() as seen:
        empty = timeliness.summary(session, pid, AS_OF)
    assert (empty.annual, empty.cases_with_findings, empty.default_year) == ((), 0, 2025)
    assert not _reads_cases(seen)
    assert timeliness.store_summary(session, pid, AS_OF, when=WHEN) is False
    assert _rows(session, pid) == []


def test_an_import_job_stores_the_summary_of_its_day_once_committed(app, session, two_partnerships, tmp_path):
    partnership = two_partnerships.a.partnership
    record = case_imports.create_import(
        session, audit.SYSTEM, partnership, kind="cases", filename="cases.csv", data=CASES, when=WHEN
    )
    session.commit()
    upload = tmp_path / "cases.upload"
    upload.write_bytes(CASES)
    case_imports.run_import_job(app, record.id, upload, inline=True)
    rows = _rows(session, partnership.id)
    assert [(row.import_token, row.as_of, row.cases_with_findings) for row in rows] == [(record.token, AS_OF, 1)]
    timeliness.clear_cache()
    assert timeliness.summary(session, partnership.id, AS_OF).annual == tuple(
        timeliness.snapshot(session, partnership.id, AS_OF).annual
    )

    failing = case_imports.create_import(
        session, audit.SYSTEM, partnership, kind="cases", filename="bad.csv", data=b"x", when=WHEN
    )
    session.commit()
    upload.write_bytes(b"case_ref,request_date\nZ1,31/02/2025\n")
    case_imports.run_import_job(app, failing.id, upload, inline=True)
    assert [row.import_token for row in _rows(session, partnership.id)] == [record.token]  # a failure stores none
