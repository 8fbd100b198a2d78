"""Local measures: cohorts, boundary days, periods and rounding, with numerators and denominators worked by hand.

The last tests compare the fast tally with a slow reference built from the per-case clocks and plain per-year
filters, on random data, so the two definitions cannot drift apart.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from inspect_app.domain.cases import (
    DISPUTE_FIELDS,
    Case,
    Review,
    has_dispute,
    in_initial_cohorts,
    is_overturned_refusal,
    plan_issue_date,
)
from inspect_app.domain.clocks import (
    AMEND_FINAL_8W,
    ANNUAL_REVIEW_12M,
    DECIDE_TO_ASSESS_6W,
    OPEN_DUE,
    PHASE_TRANSFER_15FEB,
    PHASE_TRANSFER_31MAR,
    REASSESSMENT_14W,
    REVIEW_DECISION_4W,
    amendment_clocks,
    case_clocks,
    review_decision_clocks,
)
from inspect_app.domain.measures import (
    MEASURE_IDS,
    MeasureValue,
    compute_annual_measures,
    compute_rolling_measures,
    monthly_volumes,
    plan_weeks_distribution,
    tally_measures,
    upcoming_breaches,
)

AS_OF = date(2025, 6, 30)
_refs = iter(range(1_000_000))


def request(on: date, **fields) -> Case:
    return Case(case_ref=fields.pop("case_ref", f"R{next(_refs)}"), request_date=on, **fields)


def plan_after(days: int, *, requested: date = date(2024, 1, 1), exception: bool = False, **fields) -> Case:
    """A case whose final plan was issued `days` after its request."""
    plan = requested + timedelta(days=days)
    return request(
        requested,
        decision="assess",
        decision_date=requested + timedelta(days=30),
        assessment_outcome="plan",
        assessment_outcome_date=plan,
        final_plan_date=plan,
        exception=exception,
        **fields,
    )


def annual(cases, reviews=(), as_of=AS_OF) -> dict[tuple[str, str], MeasureValue]:
    return {(value.measure_id, value.period): value for value in compute_annual_measures(cases, reviews, as_of)}


def figures(value: MeasureValue) -> tuple[int, int, float | None]:
    return value.numerator, value.denominator, value.value


# requests_received and decision_6wk (cohort: calendar year of request)


def test_requests_received_counts_every_request_in_the_year_including_withdrawn():
    cases = [
        request(date(2024, 1, 1)),
        request(date(2024, 12, 31), decision="withdrawn", decision_date=date(2025, 1, 5)),
        request(date(2024, 6, 1), decision="not_assess", decision_date=date(2024, 7, 1)),
        request(date(2023, 12, 31)),
        request(date(2025, 1, 1)),
    ]
    values = annual(cases)
    assert figures(values["requests_received", "2024"]) == (3, 3, 3)
    assert figures(values["requests_received", "2023"]) == (1, 1, 1)
    assert figures(values["requests_received", "2025"]) == (1, 1, 1)


def test_decision_6wk_counts_decisions_on_day_42_as_in_time_and_day_43_as_late():
    cases = [
        request(date(2024, 1, 1), decision="assess", decision_date=date(2024, 2, 12)),  # day 42
        request(date(2024, 1, 1), decision="assess", decision_date=date(2024, 2, 13)),  # day 43
        request(date(2024, 3, 1), decision="not_assess", decision_date=date(2024, 3, 11)),  # day 10
    ]
    assert figures(annual(cases)["decision_6wk", "2024"]) == (2, 3, 66.7)


def test_decision_6wk_leaves_out_withdrawn_undecided_and_undated_decisions():
    cases = [
        request(date(2024, 1, 1), decision="assess", decision_date=date(2024, 1, 20)),
        request(date(2024, 1, 1), decision="withdrawn", decision_date=date(2024, 1, 10)),
        request(date(2024, 1, 1), decision="assess"),
        request(date(2024, 1, 1)),
        request(date(2024, 1, 1), decision_date=date(2024, 1, 10)),  # a date with no decision
    ]
    assert figures(annual(cases)["decision_6wk", "2024"]) == (1, 1, 100.0)


def test_decision_6wk_counts_a_decision_in_the_year_it_was_made_whenever_the_request_came_in():
    # DfE counts decisions made in the year (reference §A8.2), so a December request decided in January counts
    # in January's year.
    cases = [request(date(2023, 12, 1), decision="assess", decision_date=date(2024, 1, 12))]  # day 42
    values = annual(cases)
    assert figures(values["decision_6wk", "2023"]) == (0, 0, None)
    assert figures(values["decision_6wk", "2024"]) == (1, 1, 100.0)
    assert figures(values["requests_received", "2023"]) == (1, 1, 1)


def test_decision_6wk_leaves_out_a_decision_dated_after_as_of():
    cases = [request(date(2025, 6, 1), decision="assess", decision_date=date(2025, 7, 1))]
    assert figures(annual(cases)["decision_6wk", "2025"]) == (0, 0, None)


# ehcp_20wk_excl, ehcp_20wk_incl, ehcp_over_52wk_excl, new_plans (cohort: calendar year of issue)


def test_ehcp_20wk_counts_day_140_as_within_and_day_141_as_not():
    values = annual([plan_after(140), plan_after(141)])
    assert figures(values["ehcp_20wk_incl", "2024"]) == (1, 2, 50.0)
    assert figures(values["ehcp_20wk_excl", "2024"]) == (1, 2, 50.0)


def test_ehcp_20wk_excl_leaves_out_exception_cases_and_incl_keeps_them():
    cases = [
        plan_after(140),
        plan_after(141),
        plan_after(60),
        plan_after(100, exception=True),
        plan_after(300, exception=True),
    ]
    values = annual(cases)
    assert figures(values["ehcp_20wk_excl", "2024"]) == (2, 3, 66.7)  # 140 and 60 of 140, 141, 60
    assert figures(values["ehcp_20wk_incl", "2024"]) == (3, 5, 60.0)  # 140, 60 and 100 of all five
    assert figures(values["new_plans", "2024"]) == (5, 5, 5)


def test_ehcp_over_52wk_excl_counts_day_365_as_over_and_day_364_as_not():
    cases = [plan_after(364), plan_after(365), plan_after(400, exception=True)]
    values = annual(cases)
    # 1 Jan 2024 + 364 days is 30 Dec 2024 and + 365 is 31 Dec 2024 (2024 has 366 days): both issued in 2024.
    assert figures(values["ehcp_over_52wk_excl", "2024"]) == (1, 2, 50.0)
    assert figures(values["ehcp_20wk_excl", "2024"]) == (0, 2, 0.0)


def test_plans_count_in_the_year_of_issue_when_the_request_was_the_year_before():
    cases = [plan_after(100, requested=date(2023, 11, 1))]  # issued 9 February 2024
    values = annual(cases)
    assert figures(values["new_plans", "2024"]) == (1, 1, 1)
    assert figures(values["new_plans", "2023"]) == (0, 0, 0)
    assert figures(values["requests_received", "2023"]) == (1, 1, 1)


def test_all_exception_year_has_a_zero_denominator_and_no_value_for_the_excl_measures():
    values = annual([plan_after(100, exception=True)])
    assert figures(values["ehcp_20wk_excl", "2024"]) == (0, 0, None)
    assert figures(values["ehcp_over_52wk_excl", "2024"]) == (0, 0, None)
    assert figures(values["ehcp_20wk_incl", "2024"]) == (1, 1, 100.0)


def test_plan_dated_after_as_of_is_not_yet_counted():
    values = annual([plan_after(100, requested=date(2025, 4, 1))])  # issued 10 July 2025
    assert figures(values["new_plans", "2025"]) == (0, 0, 0)
    assert figures(values["requests_received", "2025"]) == (1, 1, 1)


def test_percentages_round_half_up_to_one_decimal():
    cases = [plan_after(100)] + [plan_after(200) for _ in range(15)]  # 1/16 = 6.25%
    assert annual(cases)["ehcp_20wk_incl", "2024"].value == 6.3


# periods


def test_annual_measures_cover_every_year_from_the_first_with_data_to_as_of_with_every_measure():
    values = compute_annual_measures([request(date(2022, 5, 1))], [], AS_OF)
    assert [v.period for v in values] == [year for year in ("2022", "2023", "2024", "2025") for _ in MEASURE_IDS]
    assert [v.measure_id for v in values[: len(MEASURE_IDS)]] == list(MEASURE_IDS)


def test_year_without_data_has_zero_counts_and_no_percentages():
    values = annual([request(date(2022, 5, 1)), request(date(2024, 5, 1))])
    assert figures(values["requests_received", "2023"]) == (0, 0, 0)
    assert figures(values["decision_6wk", "2023"]) == (0, 0, None)
    assert figures(values["annual_review_on_time", "2023"]) == (0, 0, None)


def test_no_cases_and_no_reviews_give_no_measures():
    assert compute_annual_measures([], [], AS_OF) == []


def test_requests_after_as_of_are_not_counted():
    assert compute_annual_measures([request(date(2025, 7, 1))], [], AS_OF) == []


def test_rolling_periods_end_at_the_last_complete_month_end():
    values = compute_rolling_measures([], [], date(2024, 3, 15), months=3)
    assert sorted({v.period for v in values}) == ["2023-12", "2024-01", "2024-02"]
    assert len(values) == 3 * len(MEASURE_IDS)


def test_rolling_periods_include_the_month_ending_on_as_of():
    values = compute_rolling_measures([], [], date(2024, 2, 29), months=2)
    assert sorted({v.period for v in values}) == ["2024-01", "2024-02"]


def test_rolling_period_is_the_twelve_months_ending_on_its_month_end():
    cases = [
        plan_after(0, requested=date(2023, 3, 31)),
        plan_after(0, requested=date(2023, 4, 1)),
        plan_after(0, requested=date(2024, 3, 31)),
        plan_after(0, requested=date(2024, 4, 1)),
    ]
    values = {
        v.period: v
        for v in compute_rolling_measures(cases, [], date(2024, 4, 30), months=2)
        if v.measure_id == "new_plans"
    }
    assert values["2024-03"].value == 2  # 1 April 2023 to 31 March 2024
    assert values["2024-04"].value == 2  # 1 May 2023 to 30 April 2024


def test_rolling_percentages_carry_their_numerators_and_denominators():
    cases = [plan_after(140, requested=date(2023, 6, 1)), plan_after(141, requested=date(2023, 6, 1))]
    values = {
        v.period: v
        for v in compute_rolling_measures(cases, [], date(2024, 12, 31), months=12)
        if v.measure_id == "ehcp_20wk_excl"
    }
    # Issued 19 and 20 October 2023: inside every 12 months ending January to September 2024, not after.
    assert figures(values["2024-09"]) == (1, 2, 50.0)
    assert figures(values["2024-10"]) == (0, 0, None)


def test_one_tally_gives_the_same_annual_and_rolling_measures_as_the_two_calls():
    cases = [plan_after(100), request(date(2024, 2, 1)), plan_after(200, requested=date(2023, 5, 5))]
    reviews = [Review(cases[0].case_ref, date(2025, 3, 1), date(2025, 3, 10))]
    tally = tally_measures(cases, reviews, AS_OF)
    assert tally.annual() == compute_annual_measures(cases, reviews, AS_OF)
    assert tally.rolling(6) == compute_rolling_measures(cases, reviews, AS_OF, months=6)


# annual_review_on_time: review periods whose due date falls in the period, by as_of


def test_annual_review_on_time_counts_each_review_period_in_the_year_it_fell_due():
    a = plan_after(100, requested=date(2021, 11, 30), case_ref="A")  # plan 10 March 2022
    b = request(date(2023, 11, 1), case_ref="B", decision="assess", final_plan_date=date(2024, 2, 29))
    c = request(date(2024, 5, 1), case_ref="C", decision="assess", final_plan_date=date(2024, 9, 1))
    d = request(date(2023, 1, 1), case_ref="D", decision="assess", final_plan_date=date(2023, 5, 1))
    reviews = [
        # A: due 10 Mar 2023, met 1 Mar; next from 20 Mar 2023, due 20 Mar 2024, missed 25 Mar;
        # next from 5 Apr 2024, due 5 Apr 2025, no meeting by 30 June 2025: not on time (2025).
        Review("A", date(2023, 3, 1), date(2023, 3, 20), "maintain"),
        Review("A", date(2024, 3, 25), date(2024, 4, 5), "amend"),
        # B: plan 29 Feb 2024, due 28 Feb 2025, met on the day.
        Review("B", date(2025, 2, 28), date(2025, 3, 5), "maintain"),
        # C: due 1 Sep 2025, after as_of: held early but not in any cohort yet.
        Review("C", date(2025, 6, 1)),
        # D: due 1 May 2024, met 20 Apr 2024; the plan ceased, so nothing falls due after.
        Review("D", date(2024, 4, 20), date(2024, 5, 1), "cease"),
        # A review for a case not in the data has no plan to time it from.
        Review("Z", date(2024, 1, 10)),
    ]
    values = annual([a, b, c, d], reviews)
    assert figures(values["annual_review_on_time", "2023"]) == (1, 1, 100.0)
    assert figures(values["annual_review_on_time", "2024"]) == (1, 2, 50.0)  # A late, D on time
    assert figures(values["annual_review_on_time", "2025"]) == (1, 2, 50.0)  # A overdue, B on time


def test_annual_review_due_on_as_of_with_no_meeting_is_left_out_until_the_day_has_passed():
    # The 12 months starting with 30 June 2024 end on 29 June 2025 (s.44).
    cases = [request(date(2024, 2, 1), case_ref="P", decision="assess", final_plan_date=date(2024, 6, 30))]
    on_the_day = annual(cases, [], date(2025, 6, 29))
    day_after = annual(cases, [], date(2025, 6, 30))
    assert figures(on_the_day["annual_review_on_time", "2025"]) == (0, 0, None)
    assert figures(day_after["annual_review_on_time", "2025"]) == (0, 1, 0.0)


def test_annual_review_held_on_the_due_date_which_is_as_of_counts_as_on_time():
    cases = [request(date(2024, 2, 1), case_ref="P", decision="assess", final_plan_date=date(2024, 6, 30))]
    values = annual(cases, [Review("P", date(2025, 6, 29))], date(2025, 6, 29))
    assert figures(values["annual_review_on_time", "2025"]) == (1, 1, 100.0)


def test_unreviewed_plan_counts_once_not_on_every_later_anniversary():
    cases = [request(date(2021, 1, 4), case_ref="P", decision="assess", final_plan_date=date(2021, 6, 1))]
    values = annual(cases, [], AS_OF)
    assert [figures(values["annual_review_on_time", year]) for year in ("2022", "2023", "2024")] == [
        (0, 1, 0.0),
        (0, 0, None),
        (0, 0, None),
    ]


# review_decision_4wk: decisions dated in the period (DfE 2026: the 4-week split covers reviews completed in the year)


def test_review_decision_4wk_counts_day_28_as_in_time_and_leaves_out_meetings_without_a_decision():
    reviews = [
        Review("A", date(2024, 2, 15), date(2024, 3, 14)),  # day 28: in time
        Review("B", date(2024, 2, 15), date(2024, 3, 15)),  # day 29: late
        Review("C", date(2024, 4, 1)),  # no decision yet: not completed, not counted
        Review("E", date(2024, 5, 20), date(2024, 5, 25)),  # day 5: in time
    ]
    values = annual([], reviews, date(2024, 5, 29))
    assert figures(values["review_decision_4wk", "2024"]) == (2, 3, 66.7)


def test_review_decision_4wk_counts_a_decision_in_the_year_it_was_sent():
    values = annual([request(date(2024, 3, 1))], [Review("A", date(2024, 12, 20), date(2025, 1, 10))])  # day 21
    assert figures(values["review_decision_4wk", "2024"]) == (0, 0, None)
    assert figures(values["review_decision_4wk", "2025"]) == (1, 1, 100.0)


def test_review_decision_4wk_treats_a_decision_after_as_of_as_not_yet_sent():
    values = annual([request(date(2025, 3, 1))], [Review("A", date(2025, 5, 1), date(2025, 7, 1))], AS_OF)
    assert figures(values["review_decision_4wk", "2025"]) == (0, 0, None)


# plan_weeks_distribution, monthly_volumes, upcoming_breaches


def test_plan_weeks_distribution_puts_boundary_days_in_the_lower_band():
    cases = [plan_after(days) for days in (42, 43, 140, 141, 364, 365)] + [plan_after(10, exception=True)]
    distribution = plan_weeks_distribution(cases, 2024)
    assert [(band.label, band.count) for band in distribution.bands] == [
        ("Up to 6 weeks", 2),  # days 42 and 10
        ("Over 6 and up to 12 weeks", 1),
        ("Over 12 and up to 16 weeks", 0),
        ("Over 16 and up to 20 weeks", 1),
        ("Over 20 and up to 26 weeks", 1),
        ("Over 26 and up to 39 weeks", 0),
        ("Over 39 and up to 52 weeks", 1),
        ("Over 52 weeks", 1),
    ]
    assert (distribution.within_20_weeks, distribution.over_20_up_to_52_weeks, distribution.over_52_weeks) == (4, 2, 1)
    assert distribution.total == 7


def test_plan_weeks_distribution_can_leave_out_exception_cases():
    cases = [plan_after(42), plan_after(10, exception=True)]
    assert plan_weeks_distribution(cases, 2024, include_exceptions=False).total == 1


def test_plan_weeks_distribution_counts_only_plans_issued_in_the_year():
    cases = [plan_after(365), plan_after(366)]  # 31 December 2024 and 1 January 2025
    assert plan_weeks_distribution(cases, 2024).total == 1


def test_monthly_volumes_count_requests_decisions_and_plans_by_their_own_month():
    cases = [
        plan_after(100, requested=date(2024, 1, 15)),  # decided 14 Feb, plan 24 Apr
        request(date(2024, 1, 20), decision="not_assess", decision_date=date(2024, 2, 1)),
        request(date(2024, 2, 1), decision="withdrawn", decision_date=date(2024, 2, 10)),
        request(date(2023, 12, 1), decision="assess", decision_date=date(2024, 1, 5)),
    ]
    volumes = {v.month: (v.requests, v.decisions, v.plans) for v in monthly_volumes(cases, 2024)}
    assert len(volumes) == 12
    assert volumes["2024-01"] == (2, 1, 0)
    assert volumes["2024-02"] == (1, 2, 0)
    assert volumes["2024-04"] == (0, 0, 1)
    assert volumes["2024-12"] == (0, 0, 0)


def test_upcoming_breaches_lists_open_clocks_due_within_the_window_soonest_first():
    as_of = date(2024, 2, 1)
    cases = [
        request(date(2024, 1, 1), case_ref="A"),  # 6 weeks due 12 Feb: in
        request(date(2024, 1, 10), case_ref="B"),  # 6 weeks due 21 Feb: outside 14 days
        request(date(2023, 12, 1), case_ref="C"),  # 6 weeks due 12 Jan: already overdue, not listed
        request(date(2023, 10, 1), case_ref="D", decision="assess", final_plan_date=date(2023, 12, 1)),
        request(date(2024, 1, 1), case_ref="E", decision="assess", decision_date=date(2024, 1, 20)),
    ]
    reviews = [Review("D", date(2024, 1, 10)), Review("X", date(2024, 1, 5))]  # decisions due 7 Feb and 2 Feb
    breaches = upcoming_breaches(cases, reviews, as_of, within_days=14)
    assert [(c.case_ref, c.rule_id, c.due) for c in breaches] == [
        ("X", REVIEW_DECISION_4W, date(2024, 2, 2)),
        ("D", REVIEW_DECISION_4W, date(2024, 2, 7)),
        ("A", DECIDE_TO_ASSESS_6W, date(2024, 2, 12)),
    ]


def test_upcoming_breaches_include_a_clock_due_on_the_last_day_of_the_window_and_today():
    cases = [request(date(2024, 1, 1), case_ref="A"), request(date(2023, 12, 21), case_ref="B")]
    breaches = upcoming_breaches(cases, [], date(2024, 2, 1), within_days=11)
    assert [(c.case_ref, c.due) for c in breaches] == [("B", date(2024, 2, 1)), ("A", date(2024, 2, 12))]


def test_upcoming_breaches_include_an_annual_review_falling_due_in_the_window():
    cases = [
        request(date(2022, 10, 1), case_ref="P", decision="assess", final_plan_date=date(2023, 2, 10)),
        request(date(2022, 10, 1), case_ref="Q", decision="assess", final_plan_date=date(2023, 3, 10)),
    ]
    breaches = upcoming_breaches(cases, [], date(2024, 2, 1), within_days=28)
    # P's 12 months end on 9 February 2024; Q's on 9 March, outside the 28 days.
    assert [(c.case_ref, c.rule_id, c.due) for c in breaches] == [("P", ANNUAL_REVIEW_12M, date(2024, 2, 9))]


# the fast tally agrees with the per-case clocks


def random_case(rng: random.Random, ref: str, start: date) -> Case:
    """A case in any of the states DESIGN.md lists, with its dates in order."""
    requested = start + timedelta(days=rng.randrange(2400))
    decided = requested + timedelta(days=rng.randrange(20, 60))
    decision = rng.choice(["assess", "assess", "assess", "not_assess", "withdrawn", None, "historical"])
    kind = "reassessment" if rng.random() < 0.1 else "initial"
    outcome_roll = rng.random()
    outcome = None
    if decision in ("assess", "historical"):
        outcome = (
            "plan"
            if outcome_roll < 0.75
            else "no_plan"
            if outcome_roll < 0.85
            else "withdrawn"
            if outcome_roll < 0.9
            else None
        )
    flags = {name: rng.random() < 0.03 for name in DISPUTE_FIELDS}
    if decision == "not_assess" and rng.random() < 0.2:  # a refusal overturned on appeal
        flags["request_tribunal"] = True
        outcome = "plan"
    issued = requested + timedelta(days=rng.randrange(100, 420)) if outcome in ("plan", "no_plan") else None
    started = issued + timedelta(days=rng.choice([0, 0, 0, 3, 12])) if outcome == "plan" and issued else None
    historical = decision == "historical" and rng.random() < 0.5
    ceased = started + timedelta(days=rng.randrange(200, 900)) if started and rng.random() < 0.15 else None
    transfer_due = None
    if started and rng.random() < 0.2:
        transfer_due = date(started.year + rng.randrange(1, 3), *rng.choice([(2, 15), (3, 31)]))
    transfer_final = (
        transfer_due + timedelta(days=rng.randrange(-60, 40)) if transfer_due and rng.random() < 0.7 else None
    )
    return Case(
        ref,
        None if historical and rng.random() < 0.7 else requested,
        decided if decision not in (None, "historical") else None,
        decision,
        "historical" if historical else outcome,
        issued,
        started,
        exception=rng.random() < 0.15,
        request_type=kind,
        moved_out_to="XXX" if started is None and rng.random() < 0.05 else None,
        transferred_in_from="999" if historical and rng.random() < 0.3 else None,
        cease_date=ceased,
        cease_reason=rng.choice(list("123456789")) if ceased else None,
        phase_transfer_due_date=transfer_due,
        phase_transfer_final_date=transfer_final,
        **flags,
    )


def random_data(seed: int) -> tuple[list[Case], list[Review]]:
    rng = random.Random(seed)
    start = date(2019, 1, 1)
    cases, reviews = [], []
    for number in range(500):
        ref = f"C{number}"
        case = random_case(rng, ref, start)
        cases.append(case)
        meeting = (case.final_plan_date or case.request_date or start) + timedelta(days=rng.randrange(-30, 420))
        for _ in range(rng.randrange(4)):
            decision_date = meeting + timedelta(days=rng.randrange(0, 45)) if rng.random() < 0.85 else None
            outcome = rng.choice(["maintain", "amend", "cease", None]) if rng.random() < 0.9 else None
            notice = amended = None
            if outcome == "amend" and decision_date and rng.random() < 0.7:
                notice = decision_date
                amended = notice + timedelta(days=rng.randrange(20, 90)) if rng.random() < 0.8 else None
            owner = ref if rng.random() < 0.95 else f"X{number}"
            reviews.append(Review(owner, meeting, decision_date, outcome, None, notice, amended))
            if rng.random() < 0.1:
                reviews.append(Review(ref, meeting))  # a duplicate row on the same day
            meeting = meeting + timedelta(days=rng.randrange(250, 450))
    rng.shuffle(reviews)
    return cases, reviews


def reference_by_year(cases: list[Case], reviews: list[Review], as_of: date, year: int) -> dict[str, tuple[int, int]]:
    """Each measure as (numerator, denominator), by a plain scan of the cases and the per-case clocks."""

    def in_year(day: date | None) -> bool:
        return day is not None and day.year == year and day <= as_of

    initial = [c for c in cases if in_initial_cohorts(c)]
    plans = [c for c in initial if in_year(plan_issue_date(c)) and not has_dispute(c)]
    no_exception = [c for c in plans if not c.exception]
    decided = [c for c in initial if in_year(c.decision_date) and c.decision in ("assess", "not_assess")]
    no_plan = [
        c
        for c in initial
        if c.assessment_outcome == "no_plan" and in_year(c.assessment_outcome_date) and not is_overturned_refusal(c)
    ]
    new_plans = [
        c
        for c in cases
        if in_year(c.final_plan_date)
        and c.request_type == "initial"
        and c.transferred_in_from is None
        and c.assessment_outcome != "historical"
    ]

    def days(case: Case, end: date | None) -> int:
        return (end - case.request_date).days

    known = {c.case_ref for c in cases}
    clocks = [clock for case in cases for clock in case_clocks(case, reviews, as_of)]
    strays = [r for r in reviews if r.case_ref not in known]
    clocks += review_decision_clocks(strays, as_of) + amendment_clocks(strays, as_of)
    by_ref = {c.case_ref: c for c in cases}

    def met(rule: str, *, by: str = "due", every_year_day: bool = False) -> tuple[int, int]:
        chosen = []
        for clock in clocks:
            if clock.rule_id != rule:
                continue
            day = getattr(clock, by)
            if every_year_day:
                if day is None or day.year != year or clock.status == OPEN_DUE:
                    continue
            elif not in_year(day) or clock.status == OPEN_DUE:
                continue
            chosen.append(clock)
        return sum(c.status == "met" for c in chosen), len(chosen)

    reassessment = [
        c
        for c in clocks
        if c.rule_id == REASSESSMENT_14W
        and in_year(c.end)
        and not by_ref[c.case_ref].exception
        and by_ref[c.case_ref].assessment_outcome != "no_plan"
    ]
    expected = [
        c
        for c in cases
        if c.final_plan_date is not None
        and c.final_plan_date <= as_of
        and c.final_plan_date.year < year
        and (c.cease_date is None or c.cease_date > as_of or c.cease_date.year > year)
    ]
    completed = [
        c
        for c in expected
        if any(r.case_ref == c.case_ref and r.meeting_date <= as_of and in_year(r.decision_date) for r in reviews)
    ]
    requests = sum(
        in_year(c.request_date) and c.request_type == "initial" and c.assessment_outcome != "historical" for c in cases
    )
    return {
        "ehcp_20wk_excl": (sum(days(c, plan_issue_date(c)) <= 140 for c in no_exception), len(no_exception)),
        "ehcp_20wk_incl": (sum(days(c, plan_issue_date(c)) <= 140 for c in plans), len(plans)),
        "ehcp_over_52wk_excl": (sum(days(c, plan_issue_date(c)) > 364 for c in no_exception), len(no_exception)),
        "decision_6wk": (sum(days(c, c.decision_date) <= 42 for c in decided), len(decided)),
        "requests_received": (requests, requests),
        "new_plans": (len(new_plans), len(new_plans)),
        "annual_review_on_time": met(ANNUAL_REVIEW_12M),
        "review_decision_4wk": met(REVIEW_DECISION_4W, by="end"),
        "decision_16wk_no_plan": (sum(days(c, c.assessment_outcome_date) <= 112 for c in no_plan), len(no_plan)),
        "reassessment_14wk": (sum(c.status == "met" for c in reassessment), len(reassessment)),
        "review_completed_in_year": (len(completed), len(expected)),
        "amended_plan_8wk": met(AMEND_FINAL_8W, by="end"),
        "phase_transfer_on_time": tuple(
            a + b
            for a, b in zip(
                met(PHASE_TRANSFER_15FEB, every_year_day=True),
                met(PHASE_TRANSFER_31MAR, every_year_day=True),
                strict=True,
            )
        ),
    }


@pytest.mark.parametrize(
    ("seed", "as_of"),
    [(1, date(2025, 6, 30)), (2, date(2023, 2, 28)), (3, date(2024, 12, 31)), (5, date(2026, 3, 1))],
)
def test_annual_measures_agree_with_a_plain_scan_of_the_clocks(seed, as_of):
    cases, reviews = random_data(seed)
    values = compute_annual_measures(cases, reviews, as_of)
    years = sorted({int(v.period) for v in values})
    assert years[-1] == as_of.year
    for year in years:
        expected = reference_by_year(cases, reviews, as_of, year)
        got = {v.measure_id: (v.numerator, v.denominator) for v in values if v.period == str(year)}
        assert got == expected, year


def test_random_data_reaches_every_measure_with_a_denominator():
    cases, reviews = random_data(1)
    values = compute_annual_measures(cases, reviews, date(2025, 6, 30))
    assert {v.measure_id for v in values if v.denominator} == set(MEASURE_IDS)


def test_rolling_measures_agree_with_the_sum_of_the_months_they_cover():
    cases, reviews = random_data(4)
    as_of = date(2024, 12, 31)
    calendar_year = {(v.measure_id, v.period): v for v in compute_annual_measures(cases, reviews, as_of)}
    rolling = {(v.measure_id, v.period): v for v in compute_rolling_measures(cases, reviews, as_of, months=24)}
    for measure_id in MEASURE_IDS:
        for year in ("2023", "2024"):
            assert figures(rolling[measure_id, f"{year}-12"]) == figures(calendar_year[measure_id, year])
