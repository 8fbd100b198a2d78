"""Unconfirmed choices computed both ways, the exceptions check and reconciliation, with hand-worked numbers."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from inspect_app.domain.cases import Case, Review
from inspect_app.domain.measure_choices import (
    CHOICES,
    ExceptionsCheck,
    choice_outcomes,
    exceptions_implausible,
    reconcile,
)
from inspect_app.domain.measures import EHCP_20WK_EXCL, EHCP_20WK_INCL, MEASURE_IDS, MeasureValue

AS_OF = date(2025, 12, 31)


def plan_after(ref: str, days: int, *, start_after: int = 0, requested: date = date(2024, 1, 1), **fields) -> Case:
    issued = requested + timedelta(days=days)
    return Case(
        ref,
        requested,
        requested + timedelta(days=20),
        "assess",
        "plan",
        issued,
        issued + timedelta(days=start_after),
        **fields,
    )


def outcome(choice_id: str, cases, reviews=(), year: int = 2024):
    (found,) = [o for o in choice_outcomes(cases, reviews, AS_OF, year) if o.choice.id == choice_id]
    return found


def parts(value: MeasureValue) -> tuple[int, int, float | None]:
    return value.numerator, value.denominator, value.value


def test_every_choice_names_a_measure_design_lists_and_a_tag():
    assert {choice.measure_id for choice in CHOICES} <= set(MEASURE_IDS)
    assert {choice.tag for choice in CHOICES} <= {"P", "U"}
    assert len({choice.id for choice in CHOICES}) == len(CHOICES)


def test_20_week_boundary_lists_only_the_plan_on_day_140():
    cases = [plan_after("A", 139), plan_after("B", 140), plan_after("C", 141)]
    found = outcome("ehcp_20wk_excl_boundary", cases)
    assert parts(found.used) == (2, 3, 66.7)
    assert parts(found.alternative) == (1, 3, 33.3)
    assert found.case_refs == ("B",)


def test_20_week_end_date_lists_plans_whose_start_date_changes_the_result_or_the_year():
    cases = [
        plan_after("A", 130, start_after=5),  # 135 either way: no change
        plan_after("B", 135, start_after=10),  # within by issue date, 145 by start date: changes
        plan_after("C", 360, start_after=10, requested=date(2023, 1, 5)),  # issued 31 Dec 2023, starts 2024
    ]
    found = outcome("ehcp_20wk_excl_end_date", cases)
    assert parts(found.used) == (2, 2, 100.0)  # A and B issued in 2024
    assert parts(found.alternative) == (1, 3, 33.3)  # A, B and C start in 2024; only A within
    assert found.case_refs == ("B", "C")


def test_disputes_choice_lists_the_cases_design_leaves_out():
    cases = [plan_after("A", 100), plan_after("B", 200, assessment_tribunal=True)]
    found = outcome("ehcp_20wk_incl_disputes", cases)
    assert (parts(found.used), parts(found.alternative)) == ((1, 1, 100.0), (1, 2, 50.0))
    assert found.case_refs == ("B",)


def test_6_week_cohort_choice_lists_decisions_on_requests_from_another_year():
    def decided(ref: str, requested: date, on: date) -> Case:
        return Case(ref, requested, on, "assess")

    cases = [
        decided("A", date(2024, 3, 1), date(2024, 3, 20)),  # in both cohorts
        decided("B", date(2023, 12, 20), date(2024, 1, 10)),  # decided in 2024 only
        decided("C", date(2024, 12, 20), date(2025, 2, 20)),  # received in 2024 only, late
    ]
    found = outcome("decision_6wk_cohort", cases)
    assert parts(found.used) == (2, 2, 100.0)
    assert parts(found.alternative) == (1, 2, 50.0)
    assert found.case_refs == ("B", "C")


def test_6_week_boundary_and_withdrawn_choices():
    cases = [
        Case("A", date(2024, 1, 1), date(2024, 2, 12), "assess"),  # day 42
        Case("B", date(2024, 1, 1), date(2024, 1, 20), "withdrawn"),
    ]
    assert outcome("decision_6wk_boundary", cases).case_refs == ("A",)
    withdrawn = outcome("decision_6wk_withdrawn", cases)
    assert (parts(withdrawn.used), parts(withdrawn.alternative)) == ((1, 1, 100.0), (2, 2, 100.0))
    assert withdrawn.case_refs == ("B",)


def test_review_boundary_choice_lists_decisions_on_day_28():
    reviews = [Review("A", date(2024, 2, 15), date(2024, 3, 14)), Review("B", date(2024, 2, 15), date(2024, 3, 1))]
    found = outcome("review_decision_4wk_boundary", [], reviews)
    assert (parts(found.used), parts(found.alternative)) == ((2, 2, 100.0), (1, 2, 50.0))
    assert found.case_refs == ("A",)


def test_no_case_on_a_boundary_means_the_choice_changes_nothing():
    found = outcome("ehcp_20wk_excl_boundary", [plan_after("A", 100)])
    assert not found.changes_result
    assert parts(found.used) == parts(found.alternative)


# EXCEPTIONS_IMPLAUSIBLE


def year(incl: tuple[int, int], excl: tuple[int, int]) -> dict[str, MeasureValue]:
    return {
        EHCP_20WK_INCL: MeasureValue(EHCP_20WK_INCL, "2025", *incl, None),
        EHCP_20WK_EXCL: MeasureValue(EHCP_20WK_EXCL, "2025", *excl, None),
    }


def test_exceptions_for_most_plans_are_implausible():
    reason = exceptions_implausible(year((40, 100), (5, 30)), ExceptionsCheck())
    assert reason is not None
    assert "70 of the 100 plans issued in 2025 (70%)" in reason
    assert "more than the 50% this check allows" in reason


def test_exceptions_at_the_threshold_are_not_flagged():
    assert exceptions_implausible(year((40, 100), (20, 50)), ExceptionsCheck()) is None


def test_rate_without_exceptions_below_the_rate_with_them_is_implausible():
    # 60 of 100 within 20 weeks with exceptions, 50 of 90 without: 55.6% < 60%.
    reason = exceptions_implausible(year((60, 100), (50, 90)), ExceptionsCheck())
    assert reason is not None
    assert "(55.6%) is below the rate with them (60%)" in reason


def test_too_few_plans_or_no_exceptions_are_not_judged():
    assert exceptions_implausible(year((1, 4), (0, 1)), ExceptionsCheck()) is None
    assert exceptions_implausible(year((10, 20), (10, 20)), ExceptionsCheck()) is None
    assert exceptions_implausible({}, ExceptionsCheck()) is None


def test_exceptions_check_reads_its_thresholds_from_settings():
    check = ExceptionsCheck.from_settings({"max_share": 0.2, "min_plans": 50})
    assert check == ExceptionsCheck(Decimal("0.2"), 50)
    assert exceptions_implausible(year((40, 100), (35, 75)), check) is not None  # 25% > 20%
    assert ExceptionsCheck.from_settings(None) == ExceptionsCheck()


# Reconciliation with the council's published figure


def test_reconciliation_flags_a_difference_of_more_than_the_threshold_exactly():
    local = MeasureValue(EHCP_20WK_EXCL, "2025", 163, 417, 39.1)  # 39.0887...%
    flagged = reconcile(local, Decimal("41.1"), Decimal(2))
    close = reconcile(local, Decimal("41.0"), Decimal(2))
    assert flagged is not None and flagged.flagged
    assert round(flagged.difference, 4) == Decimal("-2.0113")
    assert close is not None and not close.flagged


def test_reconciliation_needs_both_figures():
    assert reconcile(MeasureValue(EHCP_20WK_EXCL, "2025", 0, 0, None), Decimal(40), Decimal(2)) is None
    assert reconcile(MeasureValue(EHCP_20WK_EXCL, "2025", 1, 2, 50.0), None, Decimal(2)) is None
