"""Every state of the EHC journey DESIGN.md lists, through the clocks and the measures, worked out by hand."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from inspect_app.domain.cases import Case, Review, plan_issue_date, state_descriptions
from inspect_app.domain.clocks import (
    AMEND_FINAL_8W,
    ANNUAL_REVIEW_12M,
    DECIDE_NOT_TO_ISSUE_16W,
    DECIDE_TO_ASSESS_6W,
    EXCEPTION,
    FINAL_PLAN_20W,
    MET,
    MISSED,
    OPEN_DUE,
    OPEN_OVERDUE,
    PHASE_TRANSFER_15FEB,
    PHASE_TRANSFER_31MAR,
    REASSESSMENT_14W,
    REVIEW_DECISION_4W,
    case_clocks,
    phase_transfer_deadline,
)
from inspect_app.domain.measures import compute_annual_measures, upcoming_breaches

LATER = date(2026, 12, 31)


def case(**fields) -> Case:
    values = {"case_ref": "C1", "request_date": date(2024, 1, 1)}
    values.update(fields)
    return Case(**values)


def rules(clocks) -> list[str]:
    return [clock.rule_id for clock in clocks]


def only(clocks, rule_id):
    (found,) = [clock for clock in clocks if clock.rule_id == rule_id]
    return found


def annual(cases, reviews=(), as_of=LATER):
    return {
        (v.measure_id, v.period): (v.numerator, v.denominator) for v in compute_annual_measures(cases, reviews, as_of)
    }


# Requests that end early leave no open clock


def test_assessment_withdrawn_before_a_decision_to_issue_stops_the_20_week_clock():
    withdrawn = case(
        decision="assess",
        decision_date=date(2024, 2, 1),
        assessment_outcome="withdrawn",
        assessment_outcome_date=date(2024, 4, 1),
    )
    clocks = case_clocks(withdrawn, [], LATER)
    assert rules(clocks) == [DECIDE_TO_ASSESS_6W]  # the decision, made on day 31, is met
    assert not [clock for clock in clocks if clock.is_open]


def test_child_who_moved_out_before_the_plan_has_no_clock_at_all():
    moved = case(decision="assess", decision_date=date(2024, 2, 1), moved_out_to="936")
    assert case_clocks(moved, [], LATER) == []
    assert "Moved out of the area (to council 936) before the plan: the clocks stopped." in state_descriptions(moved)


def test_refusal_overturned_at_tribunal_keeps_its_6_week_clock_and_has_no_20_week_clock():
    overturned = case(
        decision="not_assess",
        decision_date=date(2024, 2, 12),  # day 42: met
        request_tribunal=True,
        assessment_outcome="plan",
        assessment_outcome_date=date(2024, 11, 1),
        final_plan_date=date(2024, 11, 1),
    )
    clocks = case_clocks(overturned, [], date(2024, 10, 1))
    assert [(clock.rule_id, clock.status) for clock in clocks] == [(DECIDE_TO_ASSESS_6W, MET)]
    assert any("overturned" in state for state in state_descriptions(overturned))


def test_overturned_refusal_still_under_assessment_has_no_open_clock():
    overturned = case(decision="not_assess", decision_date=date(2024, 2, 1), request_mediation=True)
    assert not [clock for clock in case_clocks(overturned, [], LATER) if clock.is_open]


# Re-assessments: their own 14-week clock from the decision to re-assess (reg 27(2))


def reassessment(days_to_plan: int | None, **fields) -> Case:
    decided = date(2024, 3, 1)
    plan = decided + timedelta(days=days_to_plan) if days_to_plan is not None else None
    values = {
        "request_type": "reassessment",
        "request_date": date(2024, 2, 20),
        "decision": "assess",
        "decision_date": decided,
        "assessment_outcome": "plan" if plan else None,
        "assessment_outcome_date": plan,
        "final_plan_date": plan,
    }
    values.update(fields)
    return case(**values)


def test_reassessment_has_only_the_14_week_clock_met_on_day_98_and_missed_on_day_99():
    on_time = [c for c in case_clocks(reassessment(98), [], date(2024, 6, 30)) if c.rule_id != ANNUAL_REVIEW_12M]
    late = only(case_clocks(reassessment(99), [], date(2024, 6, 30)), REASSESSMENT_14W)
    assert rules(on_time) == [REASSESSMENT_14W]  # no 6-week clock: it is not an initial request
    assert (on_time[0].start, on_time[0].due, on_time[0].status) == (date(2024, 3, 1), date(2024, 6, 7), MET)
    assert (late.status, late.description) == (MISSED, "missed by 1 day")


def test_reassessment_open_before_its_plan_and_excused_by_an_exception():
    open_clock = only(case_clocks(reassessment(None), [], date(2024, 6, 1)), REASSESSMENT_14W)
    excused = only(case_clocks(reassessment(None, exception=True), [], date(2024, 7, 1)), REASSESSMENT_14W)
    assert (open_clock.status, open_clock.description) == (OPEN_DUE, "due in 6 days")
    assert (excused.status, excused.description) == (EXCEPTION, "exception: as soon as practicable")


def test_reassessment_measure_counts_plans_issued_in_the_year_leaving_out_exceptions_and_initial_measures():
    cases = [
        reassessment(98, case_ref="R1"),
        reassessment(99, case_ref="R2"),
        reassessment(200, case_ref="R3", exception=True),
    ]
    values = annual(cases)
    assert values["reassessment_14wk", "2024"] == (1, 2)
    assert values["requests_received", "2024"] == (0, 0)
    assert values["ehcp_20wk_incl", "2024"] == (0, 0)
    assert values["new_plans", "2024"] == (0, 0)


# Historical plans (SEN2 H): in no timeliness cohort


def historical(**fields) -> Case:
    values = {
        "request_date": None,
        "decision": "historical",
        "assessment_outcome": "historical",
        "final_plan_date": date(2019, 5, 1),
    }
    values.update(fields)
    return case(**values)


def test_historical_plan_has_no_assessment_clock_and_no_review_clock_without_a_known_review():
    assert case_clocks(historical(), [], LATER) == []


def test_historical_plan_review_chain_starts_at_the_first_review_the_data_holds():
    reviews = [Review("C1", date(2025, 3, 1), date(2025, 3, 20), "maintain")]
    clocks = [c for c in case_clocks(historical(), reviews, date(2025, 6, 1)) if c.rule_id == ANNUAL_REVIEW_12M]
    # The period ending at the 2025 meeting started before the data: only the next one is timed.
    assert [(c.start, c.due, c.end, c.status) for c in clocks] == [
        (date(2025, 3, 20), date(2026, 3, 19), None, OPEN_DUE)
    ]


def test_historical_cases_are_in_no_request_or_plan_measure_but_in_review_measures():
    reviews = [Review("C1", date(2025, 3, 1), date(2025, 3, 20), "maintain")]
    values = annual([historical()], reviews, date(2025, 12, 31))
    assert values["requests_received", "2025"] == (0, 0)
    assert values.get(("new_plans", "2019"), (0, 0)) == (0, 0)
    assert values["new_plans", "2025"] == (0, 0)
    assert values["review_decision_4wk", "2025"] == (1, 1)
    assert values["review_completed_in_year", "2025"] == (1, 1)


def test_request_decided_before_the_period_with_a_plan_in_it_keeps_its_20_week_clock_but_no_6_week_clock():
    older = case(
        request_date=date(2024, 12, 1),
        decision="historical",
        assessment_outcome="plan",
        assessment_outcome_date=date(2025, 4, 20),  # day 140
        final_plan_date=date(2025, 4, 20),
    )
    clocks = case_clocks(older, [], LATER)
    assert [(c.rule_id, c.status) for c in clocks if c.rule_id != ANNUAL_REVIEW_12M] == [(FINAL_PLAN_20W, MET)]
    assert annual([older])["ehcp_20wk_excl", "2025"] == (1, 1)


# Mediation and tribunal: out of the 20-week cohort (DfE, reference §A8.5), the clock still runs


def test_case_with_a_tribunal_on_another_decision_keeps_its_20_week_clock_but_leaves_the_20_week_measures():
    disputed = case(
        decision="assess",
        decision_date=date(2024, 2, 1),
        assessment_outcome="plan",
        assessment_outcome_date=date(2024, 5, 21),  # day 141
        final_plan_date=date(2024, 5, 21),
        other_tribunal=True,
    )
    assert only(case_clocks(disputed, [], LATER), FINAL_PLAN_20W).status == MISSED
    values = annual([disputed])
    assert values["ehcp_20wk_incl", "2024"] == (0, 0)
    assert values["new_plans", "2024"] == (1, 1)


# The 20-week issue date and the 16-week decision not to issue


def test_20_week_measure_ends_at_the_assessment_outcome_date_not_the_later_start_date():
    issued = case(
        decision="assess",
        decision_date=date(2024, 2, 1),
        assessment_outcome="plan",
        assessment_outcome_date=date(2024, 5, 20),  # day 140: within
        final_plan_date=date(2024, 6, 3),  # day 154: the plan's start
    )
    assert plan_issue_date(issued) == date(2024, 5, 20)
    assert only(case_clocks(issued, [], LATER), FINAL_PLAN_20W).status == MET
    assert annual([issued])["ehcp_20wk_excl", "2024"] == (1, 1)


def test_decision_16wk_no_plan_counts_day_112_in_time_and_leaves_out_overturned_refusals():
    def no_plan(ref: str, told: date, **fields) -> Case:
        values = {"decision": "assess", "decision_date": date(2024, 2, 1)}
        values.update(fields)
        return case(case_ref=ref, assessment_outcome="no_plan", assessment_outcome_date=told, **values)

    cases = [
        no_plan("A", date(2024, 4, 22)),  # day 112 (31 Jan day 30, 29 Feb day 59, 31 Mar day 90, +22)
        no_plan("B", date(2024, 4, 23)),  # day 113
        no_plan("C", date(2024, 4, 1), decision="not_assess", request_tribunal=True),  # overturned
        no_plan("D", date(2024, 4, 1), moved_out_to="XXX"),
    ]
    assert only(case_clocks(cases[0], [], LATER), DECIDE_NOT_TO_ISSUE_16W).status == MET
    assert annual(cases)["decision_16wk_no_plan", "2024"] == (1, 2)


# Plans ceased or transferred


def plan(start: date, **fields) -> Case:
    values = {
        "request_date": start - timedelta(days=120),
        "decision": "assess",
        "decision_date": start - timedelta(days=90),
        "assessment_outcome": "plan",
        "assessment_outcome_date": start,
        "final_plan_date": start,
    }
    values.update(fields)
    return case(**values)


def test_plan_ceased_before_its_review_fell_due_owes_no_review():
    ceased = plan(date(2023, 6, 1), cease_date=date(2024, 3, 1), cease_reason="5")
    assert [c for c in case_clocks(ceased, [], LATER) if c.rule_id == ANNUAL_REVIEW_12M] == []
    assert "Plan ceased on 1 March 2024: transferred to another council in England." in state_descriptions(ceased)


def test_review_overdue_when_the_plan_ceased_stays_overdue_as_at_the_cease_date():
    ceased = plan(date(2023, 6, 1), cease_date=date(2024, 7, 1), cease_reason="2")
    clock = only(case_clocks(ceased, [], LATER), ANNUAL_REVIEW_12M)
    assert (clock.due, clock.status, clock.description) == (date(2024, 5, 31), OPEN_OVERDUE, "overdue by 31 days")
    assert annual([ceased])["annual_review_on_time", "2024"] == (0, 1)


def test_transferred_in_plan_is_not_a_new_plan_and_times_reviews_from_the_first_one_held_here():
    transferred = plan(date(2024, 3, 1), transferred_in_from="936", assessment_outcome="historical", request_date=None)
    reviews = [Review("C1", date(2024, 9, 1), date(2024, 9, 10), "maintain")]
    values = annual([transferred], reviews)
    assert values["new_plans", "2024"] == (0, 0)
    assert values["annual_review_on_time", "2025"] == (0, 1)  # due 9 Sep 2025, not held by 31 Dec 2026
    assert "Plan transferred in from council 936." in state_descriptions(transferred)


# Phase transfers (reg 18(1)): final before 15 February, or before 31 March from secondary to post-16


@pytest.mark.parametrize(
    ("due", "rule", "last_day"),
    [
        (date(2026, 2, 15), PHASE_TRANSFER_15FEB, date(2026, 2, 14)),
        (date(2026, 1, 31), PHASE_TRANSFER_15FEB, date(2026, 2, 14)),
        (date(2026, 3, 31), PHASE_TRANSFER_31MAR, date(2026, 3, 30)),
        (date(2026, 2, 16), PHASE_TRANSFER_31MAR, date(2026, 3, 30)),
    ],
)
def test_phase_transfer_deadline_is_the_day_before_15_february_or_31_march(due, rule, last_day):
    assert phase_transfer_deadline(due) == (rule, last_day)


def test_phase_transfer_final_on_14_february_is_on_time_and_on_15_february_late():
    on_time = plan(
        date(2023, 1, 10), phase_transfer_due_date=date(2026, 2, 15), phase_transfer_final_date=date(2026, 2, 14)
    )
    late = plan(
        date(2023, 1, 10),
        case_ref="C2",
        phase_transfer_due_date=date(2026, 2, 15),
        phase_transfer_final_date=date(2026, 2, 15),
    )
    assert only(case_clocks(on_time, [], LATER), PHASE_TRANSFER_15FEB).status == MET
    assert only(case_clocks(late, [], LATER), PHASE_TRANSFER_15FEB).description == "missed by 1 day"
    assert annual([on_time, late])["phase_transfer_on_time", "2026"] == (1, 2)


def test_post_16_transfer_open_until_30_march_then_overdue_and_counted_late():
    transfer = plan(date(2023, 1, 10), phase_transfer_due_date=date(2026, 3, 31))
    assert only(case_clocks(transfer, [], date(2026, 3, 30)), PHASE_TRANSFER_31MAR).status == OPEN_DUE
    assert only(case_clocks(transfer, [], date(2026, 3, 31)), PHASE_TRANSFER_31MAR).status == OPEN_OVERDUE
    assert annual([transfer], (), date(2026, 3, 30))["phase_transfer_on_time", "2026"] == (0, 0)
    assert annual([transfer], (), date(2026, 3, 31))["phase_transfer_on_time", "2026"] == (0, 1)


def test_plan_ceased_before_its_transfer_deadline_has_no_transfer_clock():
    ceased = plan(
        date(2023, 1, 10), phase_transfer_due_date=date(2026, 2, 15), cease_date=date(2025, 12, 1), cease_reason="7"
    )
    assert PHASE_TRANSFER_15FEB not in rules(case_clocks(ceased, [], LATER))
    assert annual([ceased])["phase_transfer_on_time", "2026"] == (0, 0)


# Amendments (reg 22): final amended plan within 8 weeks of the notice


def test_amended_plan_on_day_56_is_on_time_and_day_57_late_counted_in_the_year_it_was_issued():
    reviews = [
        Review("C1", date(2024, 2, 1), date(2024, 2, 20), "amend", None, date(2024, 2, 20), date(2024, 4, 16)),
        Review("C1", date(2025, 1, 10), date(2025, 2, 1), "amend", None, date(2025, 11, 10), date(2026, 1, 6)),
    ]
    clocks = [c for c in case_clocks(plan(date(2023, 3, 1)), reviews, LATER) if c.rule_id == AMEND_FINAL_8W]
    assert [(c.start, c.due, c.status) for c in clocks] == [
        (date(2024, 2, 20), date(2024, 4, 16), MET),  # 9 days of Feb, 31 Mar, 16 Apr: 56
        (date(2025, 11, 10), date(2026, 1, 5), MISSED),  # 20 days of Nov, 31 Dec, 6 Jan: 57
    ]
    values = annual([plan(date(2023, 3, 1))], reviews)
    assert values["amended_plan_8wk", "2024"] == (1, 1)
    assert values["amended_plan_8wk", "2025"] == (0, 0)
    assert values["amended_plan_8wk", "2026"] == (0, 1)


# review_completed_in_year (DfE 2026): plans started before the year and not ceased by its end


def test_review_completed_in_year_counts_plans_expected_and_those_with_a_decision_in_the_year():
    cases = [
        plan(date(2023, 5, 1), case_ref="A"),  # expected 2024, decided in 2024
        plan(date(2023, 12, 31), case_ref="B"),  # expected 2024, decision in 2025 only
        plan(date(2024, 1, 1), case_ref="C"),  # started in 2024: not expected in 2024
        plan(date(2022, 5, 1), case_ref="D", cease_date=date(2024, 11, 30), cease_reason="1"),  # ceased in 2024
    ]
    reviews = [
        Review("A", date(2024, 4, 1), date(2024, 4, 20), "maintain"),
        Review("B", date(2024, 12, 10), date(2025, 1, 5), "maintain"),
        Review("D", date(2024, 4, 1), date(2024, 4, 10), "cease"),
    ]
    values = annual(cases, reviews, date(2025, 12, 31))
    assert values["review_completed_in_year", "2024"] == (1, 2)
    assert values["review_completed_in_year", "2025"] == (1, 3)  # A, B, C expected; B decided 5 January


def test_review_completed_in_the_current_year_is_counted_to_date():
    cases = [plan(date(2023, 5, 1), case_ref="A"), plan(date(2023, 6, 1), case_ref="B")]
    reviews = [Review("A", date(2025, 2, 1), date(2025, 2, 20), "maintain")]
    assert annual(cases, reviews, date(2025, 3, 1))["review_completed_in_year", "2025"] == (1, 2)


# Exceptions are out of breach lists


def test_exception_case_falling_due_soon_is_not_an_upcoming_breach():
    excused = case(decision="assess", decision_date=date(2024, 1, 20), exception=True)
    plain = case(case_ref="C2", decision="assess", decision_date=date(2024, 1, 20))
    breaches = upcoming_breaches([excused, plain], [], date(2024, 5, 10), within_days=14)
    assert [(c.case_ref, c.rule_id) for c in breaches] == [("C2", FINAL_PLAN_20W)]


def test_review_meetings_of_ceased_plans_still_get_their_decision_clock():
    reviews = [Review("C1", date(2024, 4, 1), None, None)]
    ceased = plan(date(2023, 5, 1), cease_date=date(2024, 6, 1), cease_reason="9")
    assert only(case_clocks(ceased, reviews, date(2024, 5, 1)), REVIEW_DECISION_4W).status == OPEN_OVERDUE
