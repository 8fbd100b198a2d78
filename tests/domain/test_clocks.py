"""Statutory clocks of one case. Every expected date here is worked out by hand in the comment beside it."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from inspect_app.domain.cases import Case, Review
from inspect_app.domain.clocks import (
    ANNUAL_REVIEW_12M,
    DECIDE_NOT_TO_ISSUE_16W,
    DECIDE_TO_ASSESS_6W,
    EXCEPTION,
    FINAL_PLAN_20W,
    MET,
    MISSED,
    OPEN_DUE,
    OPEN_OVERDUE,
    REVIEW_DECISION_4W,
    Clock,
    case_clocks,
    next_review_clock,
    one_year_after,
    review_due,
)

REQUEST = date(2024, 1, 1)
LATER = date(2026, 1, 1)  # an as-at date after everything in these cases


def make_case(**overrides) -> Case:
    fields = {"case_ref": "C1", "request_date": REQUEST}
    fields.update(overrides)
    return Case(**fields)


def assessed(days_to_plan: int | None = None, **overrides) -> Case:
    """A request decided (assess) on day 30, with a final plan on the given day."""
    plan = REQUEST + timedelta(days=days_to_plan) if days_to_plan is not None else None
    fields = {
        "decision": "assess",
        "decision_date": date(2024, 1, 31),
        "assessment_outcome": "plan" if plan else None,
        "assessment_outcome_date": plan,
        "final_plan_date": plan,
    }
    fields.update(overrides)
    return make_case(**fields)


def only(clocks: list[Clock], rule_id: str) -> Clock:
    matching = [clock for clock in clocks if clock.rule_id == rule_id]
    assert len(matching) == 1, matching
    return matching[0]


def rules(clocks: list[Clock]) -> list[str]:
    return [clock.rule_id for clock in clocks]


# one_year_after: "12 months" is the same calendar date a year later


def test_one_year_after_gives_the_same_calendar_date_next_year():
    assert one_year_after(date(2023, 6, 15)) == date(2024, 6, 15)


def test_one_year_after_29_february_gives_28_february():
    assert one_year_after(date(2024, 2, 29)) == date(2025, 2, 28)


def test_one_year_after_28_february_stays_28_february_when_next_year_is_leap():
    assert one_year_after(date(2023, 2, 28)) == date(2024, 2, 28)


def test_one_year_after_1_march_of_a_leap_year_gives_1_march():
    assert one_year_after(date(2024, 3, 1)) == date(2025, 3, 1)


def test_one_year_after_31_december_crosses_the_year_end():
    assert one_year_after(date(2024, 12, 31)) == date(2025, 12, 31)


# decide_to_assess_6w


def test_decision_clock_falls_due_42_days_after_the_request():
    clock = only(case_clocks(make_case(), [], LATER), DECIDE_TO_ASSESS_6W)
    assert clock.start == date(2024, 1, 1)
    assert clock.due == date(2024, 2, 12)  # 30 days to 31 January, 12 more


def test_decision_clock_met_on_day_42():
    clock = only(
        case_clocks(make_case(decision="assess", decision_date=date(2024, 2, 12)), [], LATER), DECIDE_TO_ASSESS_6W
    )
    assert (clock.status, clock.days, clock.end) == (MET, 42, date(2024, 2, 12))
    assert clock.description == "met"


def test_decision_clock_missed_on_day_43():
    clock = only(
        case_clocks(make_case(decision="not_assess", decision_date=date(2024, 2, 13)), [], LATER), DECIDE_TO_ASSESS_6W
    )
    assert (clock.status, clock.days) == (MISSED, 43)
    assert clock.description == "missed by 1 day"


def test_decision_clock_missed_by_12_days():
    clock = only(
        case_clocks(make_case(decision="assess", decision_date=date(2024, 2, 24)), [], LATER), DECIDE_TO_ASSESS_6W
    )
    assert clock.description == "missed by 12 days"


def test_decision_clock_open_and_due_in_9_days_before_its_due_date():
    clock = only(case_clocks(make_case(), [], date(2024, 2, 3)), DECIDE_TO_ASSESS_6W)
    assert (clock.status, clock.end, clock.days) == (OPEN_DUE, None, 33)
    assert clock.description == "due in 9 days"


def test_decision_clock_due_today_on_day_42_without_a_decision():
    clock = only(case_clocks(make_case(), [], date(2024, 2, 12)), DECIDE_TO_ASSESS_6W)
    assert clock.status == OPEN_DUE
    assert clock.description == "due today"


def test_decision_clock_overdue_by_5_days_when_undecided_after_its_due_date():
    clock = only(case_clocks(make_case(), [], date(2024, 2, 17)), DECIDE_TO_ASSESS_6W)
    assert (clock.status, clock.days) == (OPEN_OVERDUE, 47)
    assert clock.description == "overdue by 5 days"


def test_decision_clock_overdue_by_1_day_on_day_43_without_a_decision():
    clock = only(case_clocks(make_case(), [], date(2024, 2, 13)), DECIDE_TO_ASSESS_6W)
    assert clock.description == "overdue by 1 day"


def test_decision_clock_treats_a_decision_dated_after_as_of_as_not_yet_made():
    case = make_case(decision="assess", decision_date=date(2024, 2, 20))
    clock = only(case_clocks(case, [], date(2024, 2, 10)), DECIDE_TO_ASSESS_6W)
    assert (clock.status, clock.end) == (OPEN_DUE, None)


def test_decision_clock_spans_the_year_end():
    case = make_case(request_date=date(2023, 12, 1), decision="assess", decision_date=date(2024, 1, 12))
    clock = only(case_clocks(case, [], LATER), DECIDE_TO_ASSESS_6W)
    assert clock.due == date(2024, 1, 12)  # 30 days to 31 December, 12 more
    assert clock.status == MET


def test_decision_clock_stays_open_when_a_decision_has_no_date():
    clock = only(case_clocks(make_case(decision="assess"), [], date(2024, 3, 1)), DECIDE_TO_ASSESS_6W)
    assert clock.status == OPEN_OVERDUE


def test_case_has_no_clocks_when_the_request_is_after_as_of():
    assert case_clocks(make_case(), [], date(2023, 12, 31)) == []


# withdrawn requests


def test_withdrawn_request_has_no_assessment_clocks():
    case = make_case(decision="withdrawn", decision_date=date(2024, 3, 1))
    assert case_clocks(case, [], LATER) == []


def test_withdrawn_request_has_no_clocks_even_when_the_withdrawal_is_undated():
    assert case_clocks(make_case(decision="withdrawn"), [], LATER) == []


def test_withdrawn_request_clock_runs_until_the_withdrawal_date():
    case = make_case(decision="withdrawn", decision_date=date(2024, 3, 1))
    clock = only(case_clocks(case, [], date(2024, 2, 20)), DECIDE_TO_ASSESS_6W)
    assert clock.status == OPEN_OVERDUE


# decide_not_to_issue_16w


def test_not_to_issue_clock_met_on_day_112():
    case = assessed(assessment_outcome="no_plan", assessment_outcome_date=date(2024, 4, 22))
    clock = only(case_clocks(case, [], LATER), DECIDE_NOT_TO_ISSUE_16W)
    assert clock.due == date(2024, 4, 22)  # 31 Jan is day 30, 29 Feb day 59, 31 Mar day 90, +22
    assert (clock.status, clock.days) == (MET, 112)


def test_not_to_issue_clock_missed_on_day_113():
    case = assessed(assessment_outcome="no_plan", assessment_outcome_date=date(2024, 4, 23))
    clock = only(case_clocks(case, [], LATER), DECIDE_NOT_TO_ISSUE_16W)
    assert (clock.status, clock.days) == (MISSED, 113)


def test_not_to_issue_clock_only_applies_when_the_outcome_is_no_plan():
    assert DECIDE_NOT_TO_ISSUE_16W not in rules(case_clocks(assessed(100), [], LATER))
    assert DECIDE_NOT_TO_ISSUE_16W not in rules(case_clocks(assessed(), [], LATER))


def test_no_plan_outcome_means_no_20_week_clock():
    case = assessed(assessment_outcome="no_plan", assessment_outcome_date=date(2024, 4, 1))
    assert rules(case_clocks(case, [], LATER)) == [DECIDE_TO_ASSESS_6W, DECIDE_NOT_TO_ISSUE_16W]


# final_plan_20w


def test_final_plan_clock_falls_due_140_days_after_the_request_in_a_leap_year():
    clock = only(case_clocks(assessed(), [], LATER), FINAL_PLAN_20W)
    assert clock.due == date(2024, 5, 20)  # 31 Jan day 30, 29 Feb day 59, 31 Mar day 90, 30 Apr day 120, +20


def test_final_plan_clock_falls_due_140_days_after_the_request_in_a_common_year():
    case = assessed(request_date=date(2023, 1, 1), decision_date=date(2023, 1, 31))
    clock = only(case_clocks(case, [], LATER), FINAL_PLAN_20W)
    assert clock.due == date(2023, 5, 21)  # 31 Jan day 30, 28 Feb day 58, 31 Mar day 89, 30 Apr day 119, +21


def test_final_plan_clock_met_on_day_140():
    clock = only(case_clocks(assessed(140), [], LATER), FINAL_PLAN_20W)
    assert (clock.status, clock.days, clock.end) == (MET, 140, date(2024, 5, 20))


def test_final_plan_clock_missed_on_day_141():
    clock = only(case_clocks(assessed(141), [], LATER), FINAL_PLAN_20W)
    assert (clock.status, clock.days) == (MISSED, 141)
    assert clock.description == "missed by 1 day"


def test_final_plan_clock_open_while_an_assessment_is_under_way():
    clock = only(case_clocks(assessed(), [], date(2024, 5, 1)), FINAL_PLAN_20W)
    assert (clock.status, clock.days) == (OPEN_DUE, 121)
    assert clock.description == "due in 19 days"


def test_final_plan_clock_treats_a_plan_dated_after_as_of_as_not_yet_issued():
    clock = only(case_clocks(assessed(150), [], date(2024, 5, 25)), FINAL_PLAN_20W)
    assert (clock.status, clock.end) == (OPEN_OVERDUE, None)
    assert clock.description == "overdue by 5 days"


def test_not_assess_decision_means_no_20_week_clock():
    case = make_case(decision="not_assess", decision_date=date(2024, 1, 20))
    assert rules(case_clocks(case, [], LATER)) == [DECIDE_TO_ASSESS_6W]


def test_undecided_request_has_only_the_decision_clock():
    assert rules(case_clocks(make_case(), [], LATER)) == [DECIDE_TO_ASSESS_6W]


def test_final_plan_clock_applies_to_an_issued_plan_even_without_a_recorded_decision():
    case = make_case(final_plan_date=date(2024, 5, 1))
    assert FINAL_PLAN_20W in rules(case_clocks(case, [], LATER))


# exceptions (reg 5(4), 10(4), 13(3))


def test_exception_applies_to_the_20_week_clock_but_not_the_6_week_decision():
    case = assessed(150, exception=True, exception_reason="family circumstances")
    clocks = case_clocks(case, [Review("C1", date(2025, 5, 1))], LATER)
    flagged = {clock.rule_id: clock.exception_applies for clock in clocks}
    assert flagged == {
        DECIDE_TO_ASSESS_6W: False,
        FINAL_PLAN_20W: True,
        ANNUAL_REVIEW_12M: False,
        REVIEW_DECISION_4W: False,
    }


def test_exception_case_past_20_weeks_says_the_time_limit_does_not_apply_never_missed():
    clock = only(case_clocks(assessed(150, exception=True), [], LATER), FINAL_PLAN_20W)
    assert clock.status == EXCEPTION
    assert clock.description == "exception: as soon as practicable"


def test_exception_case_still_open_is_neither_due_nor_overdue():
    before, after = (
        only(case_clocks(assessed(exception=True), [], as_of), FINAL_PLAN_20W)
        for as_of in (date(2024, 5, 1), date(2024, 8, 1))
    )
    assert (before.status, after.status) == (EXCEPTION, EXCEPTION)
    assert after.description == "exception: as soon as practicable"


def test_exception_case_met_within_20_weeks_is_simply_met():
    assert only(case_clocks(assessed(100, exception=True), [], LATER), FINAL_PLAN_20W).status == MET


def test_exception_is_flagged_on_the_16_week_clock():
    case = assessed(exception=True, assessment_outcome="no_plan", assessment_outcome_date=date(2024, 4, 1))
    assert only(case_clocks(case, [], LATER), DECIDE_NOT_TO_ISSUE_16W).exception_applies


def test_clocks_carry_the_case_reference():
    assert {clock.case_ref for clock in case_clocks(assessed(100), [Review("C1", date(2025, 1, 1))], LATER)} == {"C1"}


# annual_review_12m


def plan_case(plan: date) -> Case:
    return make_case(
        request_date=plan - timedelta(days=120),
        decision="assess",
        decision_date=plan - timedelta(days=90),
        assessment_outcome="plan",
        assessment_outcome_date=plan,
        final_plan_date=plan,
    )


def review_clocks(case: Case, reviews: list[Review], as_of: date) -> list[Clock]:
    return [clock for clock in case_clocks(case, reviews, as_of) if clock.rule_id == ANNUAL_REVIEW_12M]


def test_first_review_of_a_plan_issued_29_february_is_due_28_february():
    (clock,) = review_clocks(plan_case(date(2024, 2, 29)), [], date(2024, 6, 1))
    assert (clock.start, clock.due) == (date(2024, 2, 29), date(2025, 2, 28))


def test_first_review_met_when_held_on_28_february_after_a_29_february_plan():
    first, _next = review_clocks(plan_case(date(2024, 2, 29)), [Review("C1", date(2025, 2, 28))], date(2025, 3, 1))
    assert (first.status, first.end, first.days) == (MET, date(2025, 2, 28), 365)


def test_first_review_missed_when_held_on_1_march_after_a_29_february_plan():
    first, _next = review_clocks(plan_case(date(2024, 2, 29)), [Review("C1", date(2025, 3, 1))], date(2025, 3, 2))
    assert first.status == MISSED
    assert first.description == "missed by 1 day"


def test_first_review_met_the_day_before_the_anniversary_and_missed_on_it():
    # s.44: the 12 months starting with 15 June 2023 end on 14 June 2024.
    plan = date(2023, 6, 15)
    day_before, _ = review_clocks(plan_case(plan), [Review("C1", date(2024, 6, 14))], LATER)
    on_day, _ = review_clocks(plan_case(plan), [Review("C1", date(2024, 6, 15))], LATER)
    assert day_before.due == date(2024, 6, 14)
    assert (day_before.status, on_day.status) == (MET, MISSED)
    assert on_day.description == "missed by 1 day"


def test_review_period_starting_29_february_ends_28_february_and_one_starting_1_march_ends_28_february():
    assert review_due(date(2024, 2, 29)) == date(2025, 2, 28)
    assert review_due(date(2024, 3, 1)) == date(2025, 2, 28)
    assert review_due(date(2023, 2, 28)) == date(2024, 2, 27)
    assert review_due(date(2023, 3, 1)) == date(2024, 2, 29)  # 2024 is a leap year


def test_next_review_period_starts_at_the_previous_review_decision_date():
    reviews = [Review("C1", date(2024, 6, 1), decision_date=date(2024, 6, 20), outcome="maintain")]
    _first, second = review_clocks(plan_case(date(2023, 7, 1)), reviews, date(2024, 7, 1))
    assert (second.start, second.due, second.end) == (date(2024, 6, 20), date(2025, 6, 19), None)
    assert second.status == OPEN_DUE


def test_next_review_period_starts_at_the_meeting_when_no_decision_date_is_recorded():
    _first, second = review_clocks(plan_case(date(2023, 7, 1)), [Review("C1", date(2024, 6, 1))], date(2024, 7, 1))
    assert (second.start, second.due) == (date(2024, 6, 1), date(2025, 5, 31))


def test_next_review_period_starts_at_the_meeting_while_the_decision_is_after_as_of():
    reviews = [Review("C1", date(2024, 6, 1), decision_date=date(2024, 6, 20))]
    _first, second = review_clocks(plan_case(date(2023, 7, 1)), reviews, date(2024, 6, 10))
    assert second.start == date(2024, 6, 1)


def test_review_chain_follows_each_conclusion_and_leaves_the_last_period_open():
    reviews = [
        Review("C1", date(2023, 3, 1), decision_date=date(2023, 3, 20)),
        Review("C1", date(2024, 3, 25), decision_date=date(2024, 4, 5)),
    ]
    clocks = review_clocks(plan_case(date(2022, 3, 10)), reviews, date(2025, 6, 30))
    assert [(c.start, c.due, c.end, c.status) for c in clocks] == [
        (date(2022, 3, 10), date(2023, 3, 9), date(2023, 3, 1), MET),
        (date(2023, 3, 20), date(2024, 3, 19), date(2024, 3, 25), MISSED),
        (date(2024, 4, 5), date(2025, 4, 4), None, OPEN_OVERDUE),
    ]
    assert clocks[-1].description == "overdue by 87 days"  # 26 days of April, 31 May, 30 June


def test_review_chain_takes_reviews_in_meeting_order_whatever_order_they_arrive_in():
    reviews = [Review("C1", date(2024, 3, 25)), Review("C1", date(2023, 3, 1))]
    clocks = review_clocks(plan_case(date(2022, 3, 10)), reviews, date(2024, 4, 1))
    assert [c.end for c in clocks] == [date(2023, 3, 1), date(2024, 3, 25), None]


def test_review_deciding_to_cease_the_plan_ends_the_chain():
    reviews = [Review("C1", date(2024, 5, 1), decision_date=date(2024, 5, 10), outcome="cease")]
    clocks = review_clocks(plan_case(date(2023, 6, 1)), reviews, LATER)
    assert [(c.end, c.status) for c in clocks] == [(date(2024, 5, 1), MET)]


def test_cease_decision_after_as_of_does_not_end_the_chain_yet():
    reviews = [Review("C1", date(2024, 5, 1), decision_date=date(2024, 5, 10), outcome="cease")]
    clocks = review_clocks(plan_case(date(2023, 6, 1)), reviews, date(2024, 5, 5))
    assert len(clocks) == 2


def test_reviews_before_the_plan_was_issued_are_ignored():
    reviews = [Review("C1", date(2023, 1, 1)), Review("C1", date(2024, 5, 1))]
    clocks = review_clocks(plan_case(date(2023, 6, 1)), reviews, date(2024, 6, 1))
    assert [c.end for c in clocks] == [date(2024, 5, 1), None]


def test_a_second_review_row_on_the_same_day_does_not_close_a_period():
    reviews = [Review("C1", date(2024, 5, 1)), Review("C1", date(2024, 5, 1))]
    clocks = review_clocks(plan_case(date(2023, 6, 1)), reviews, date(2024, 6, 1))
    assert [c.end for c in clocks] == [date(2024, 5, 1), None]


def test_reviews_after_as_of_are_not_yet_held():
    clocks = review_clocks(plan_case(date(2023, 6, 1)), [Review("C1", date(2024, 5, 1))], date(2024, 4, 1))
    assert [(c.end, c.status) for c in clocks] == [(None, OPEN_DUE)]


def test_no_review_clock_before_the_plan_is_issued():
    case = plan_case(date(2024, 6, 1))
    assert review_clocks(case, [], date(2024, 5, 31)) == []


def test_case_clocks_ignore_reviews_of_other_cases():
    clocks = case_clocks(plan_case(date(2023, 6, 1)), [Review("OTHER", date(2024, 5, 1))], date(2024, 6, 1))
    assert REVIEW_DECISION_4W not in rules(clocks)
    assert only(clocks, ANNUAL_REVIEW_12M).end is None


def test_next_review_clock_is_the_open_period_of_the_chain():
    reviews = [Review("C1", date(2024, 5, 1), decision_date=date(2024, 5, 10))]
    clock = next_review_clock(plan_case(date(2023, 6, 1)), reviews, date(2024, 6, 1))
    assert (clock.start, clock.due, clock.status) == (date(2024, 5, 10), date(2025, 5, 9), OPEN_DUE)
    assert clock.description == "due in 342 days"  # 1 June 2024 to 9 May 2025


def test_next_review_clock_is_none_once_a_review_ceased_the_plan():
    reviews = [Review("C1", date(2024, 5, 1), decision_date=date(2024, 5, 10), outcome="cease")]
    assert next_review_clock(plan_case(date(2023, 6, 1)), reviews, date(2024, 6, 1)) is None


def test_next_review_clock_is_none_before_the_plan_is_issued():
    assert next_review_clock(plan_case(date(2024, 6, 1)), [], date(2024, 5, 31)) is None


# review_decision_4w


def decision_clock(meeting: date, decided: date | None, as_of: date = LATER) -> Clock:
    return only(case_clocks(plan_case(date(2023, 3, 1)), [Review("C1", meeting, decided)], as_of), REVIEW_DECISION_4W)


def test_review_decision_clock_met_on_day_28():
    clock = decision_clock(date(2024, 2, 15), date(2024, 3, 14))
    assert clock.due == date(2024, 3, 14)  # 14 days to 29 February, 14 more
    assert (clock.status, clock.days) == (MET, 28)


def test_review_decision_clock_missed_on_day_29():
    clock = decision_clock(date(2024, 2, 15), date(2024, 3, 15))
    assert (clock.status, clock.days) == (MISSED, 29)


def test_review_decision_clock_open_due_on_day_28_and_overdue_on_day_29():
    assert decision_clock(date(2024, 2, 15), None, date(2024, 3, 14)).status == OPEN_DUE
    assert decision_clock(date(2024, 2, 15), None, date(2024, 3, 15)).status == OPEN_OVERDUE


def test_every_review_meeting_has_its_own_decision_clock():
    reviews = [Review("C1", date(2024, 2, 1), date(2024, 2, 10)), Review("C1", date(2025, 1, 10))]
    clocks = case_clocks(plan_case(date(2023, 3, 1)), reviews, date(2025, 1, 20))
    assert [(c.start, c.status) for c in clocks if c.rule_id == REVIEW_DECISION_4W] == [
        (date(2024, 2, 1), MET),
        (date(2025, 1, 10), OPEN_DUE),
    ]


@pytest.mark.parametrize(
    ("clock", "description"),
    [
        (Clock(DECIDE_TO_ASSESS_6W, date(2024, 1, 1), date(2024, 2, 12), date(2024, 2, 1), MET, 31), "met"),
        (
            Clock(DECIDE_TO_ASSESS_6W, date(2024, 1, 1), date(2024, 2, 12), date(2024, 2, 24), MISSED, 54),
            "missed by 12 days",
        ),
        (Clock(DECIDE_TO_ASSESS_6W, date(2024, 1, 1), date(2024, 2, 12), None, OPEN_OVERDUE, 43), "overdue by 1 day"),
        (Clock(DECIDE_TO_ASSESS_6W, date(2024, 1, 1), date(2024, 2, 12), None, OPEN_DUE, 41), "due in 1 day"),
    ],
)
def test_clock_description_reads_in_plain_english(clock, description):
    assert clock.description == description
