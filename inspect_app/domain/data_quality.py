"""Data-quality findings: case and review records whose dates or codes cannot all be true.

Each finding names the case reference, a stable UPPER_SNAKE code (the readiness rules and exports key on it) and a
plain-English sentence saying what is wrong. The measures still count such records by their stated cohorts; these
findings are how people see which records to correct, and feed the `DATA_QUALITY` gap.

Impossible orders are reported once per date, against the earliest step it contradicts: a plan dated before the
request is PLAN_BEFORE_REQUEST only, not also PLAN_BEFORE_DECISION.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from inspect_app.domain.cases import (
    ASSESSMENT_OUTCOMES,
    CEASE_REASONS,
    DECISIONS,
    HISTORICAL,
    REVIEW_OUTCOMES,
    Case,
    Review,
    is_overturned_refusal,
)
from inspect_app.domain.clocks import review_history_known

# Codes with what each means, in the order findings of one record are reported.
FINDING_CODES = {
    "DUPLICATE_CASE_REF": "the same case reference is used by more than one request",
    "UNRECOGNISED_DECISION": "the decision is not assess, not_assess, withdrawn or historical",
    "UNRECOGNISED_OUTCOME": "the assessment outcome is not plan, no_plan, withdrawn or historical",
    "UNRECOGNISED_CEASE_REASON": "the reason a plan ceased is not one of SEN2's codes 1 to 9",
    "REQUEST_DATE_MISSING": "a request that is not historical has no date it was received",
    "DATE_AFTER_AS_OF": "a date is later than the date the data is read as at",
    "DECISION_BEFORE_REQUEST": "the decision is dated before the request",
    "DECISION_DATE_MISSING": "a decision is recorded without its date",
    "DECISION_TYPE_MISSING": "a decision date is recorded without the decision",
    "DECISION_MISSING": "an assessment outcome or plan is recorded but no decision to assess",
    "OUTCOME_BEFORE_REQUEST": "the assessment outcome is dated before the request",
    "OUTCOME_BEFORE_DECISION": "the assessment outcome is dated before the decision to assess",
    "OUTCOME_DATE_MISSING": "an assessment outcome is recorded without its date",
    "OUTCOME_WITHOUT_ASSESS_DECISION": "an assessment outcome follows a decision not to assess, or a withdrawal",
    "PLAN_BEFORE_REQUEST": "the final plan is dated before the request",
    "PLAN_BEFORE_DECISION": "the final plan is dated before the decision to assess",
    "PLAN_BEFORE_OUTCOME": "the final plan is dated before the assessment outcome",
    "PLAN_WITHOUT_ASSESS_DECISION": "a final plan follows a decision not to assess, or a withdrawal",
    "PLAN_WITHOUT_PLAN_OUTCOME": "a final plan is recorded but the assessment outcome is not to issue a plan",
    "PLAN_AFTER_MOVE": "a plan is recorded for a child who moved out of the area before the plan",
    "CEASE_BEFORE_PLAN": "the plan is recorded as ceased before it started",
    "CEASE_REASON_MISSING": "a ceased plan has no reason, or a reason has no cease date",
    "PHASE_TRANSFER_FINAL_WITHOUT_DUE": "a phase transfer's final plan is recorded without the transfer's due date",
    "REVIEW_HISTORY_MISSING": "a plan older than the data has no review recorded, so its review cannot be timed",
    "REVIEW_WITH_NO_PLAN": "a review is recorded for a case that is unknown or has no final plan",
    "REVIEW_BEFORE_PLAN": "a review meeting is dated before the plan was issued",
    "REVIEW_AFTER_CEASE": "a review meeting is dated after a review decided to cease the plan",
    "DUPLICATE_REVIEW": "the same case has more than one review meeting on one day",
    "UNRECOGNISED_REVIEW_OUTCOME": "the review outcome is not maintain, amend or cease",
    "REVIEW_DECISION_BEFORE_MEETING": "the review decision is dated before the review meeting",
    "REVIEW_DECISION_DATE_MISSING": "a review outcome is recorded without the date the decision was sent",
    "REVIEW_AFTER_PLAN_CEASED": "a review meeting is dated after the plan ceased",
    "AMENDED_PLAN_WITHOUT_NOTICE": "a final amended plan is recorded without the date the amendments were proposed",
    "AMENDED_PLAN_BEFORE_NOTICE": "a final amended plan is dated before the amendments were proposed",
}
_CODE_ORDER = {code: index for index, code in enumerate(FINDING_CODES)}


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem with one case's records."""

    case_ref: str
    code: str
    message: str


def data_quality_findings(cases: Iterable[Case], reviews: Iterable[Review], as_of: date) -> list[Finding]:
    """Return every data-quality finding in the cases and reviews, by case reference."""
    cases = list(cases)
    findings: list[Finding] = []
    by_ref: dict[str, Case] = {}
    for ref, count in Counter(case.case_ref for case in cases).items():
        if count > 1:
            findings.append(Finding(ref, "DUPLICATE_CASE_REF", f"The case reference is used by {count} requests."))
    for case in cases:
        by_ref.setdefault(case.case_ref, case)
        findings.extend(case_findings(case, as_of))
    reviews = list(reviews)
    findings.extend(review_findings(reviews, by_ref, as_of))
    findings.extend(history_findings(by_ref.values(), {review.case_ref for review in reviews}, as_of))
    return sorted(findings, key=lambda finding: (finding.case_ref, _CODE_ORDER[finding.code]))


def history_findings(cases: Iterable[Case], reviewed: set[str], as_of: date) -> list[Finding]:
    """Return REVIEW_HISTORY_MISSING for each plan from before the data (or transferred in) with no review."""
    return [
        Finding(
            case.case_ref,
            "REVIEW_HISTORY_MISSING",
            "The plan started before the period of the data (or came from another council) and no review of it is "
            "recorded, so when its next review is due cannot be worked out.",
        )
        for case in cases
        if case.final_plan_date is not None
        and case.final_plan_date <= as_of
        and case.cease_date is None
        and not review_history_known(case)
        and case.case_ref not in reviewed
    ]


def case_findings(case: Case, as_of: date) -> list[Finding]:
    """Return the findings in one case's own dates and codes."""
    findings: list[Finding] = []
    for check in (_codes, _future_dates, _decision, _outcome, _plan, _plan_states):
        findings.extend(Finding(case.case_ref, code, message) for code, message in check(case, as_of))
    return findings


def review_findings(reviews: Iterable[Review], cases_by_ref: dict[str, Case], as_of: date) -> list[Finding]:
    """Return the findings in the reviews, checked against the case (first row) of each case reference."""
    findings: list[Finding] = []
    by_case: dict[str, list[Review]] = {}
    for review in reviews:
        by_case.setdefault(review.case_ref, []).append(review)
    for case_ref, own in by_case.items():
        own.sort(key=lambda review: review.meeting_date)
        problems = _review_links(own, cases_by_ref.get(case_ref))
        for review in own:
            problems.extend(_review_dates(review, as_of))
        findings.extend(Finding(case_ref, code, message) for code, message in problems)
    return findings


_Problems = list[tuple[str, str]]


def _codes(case: Case, as_of: date) -> _Problems:
    problems = []
    if case.decision is not None and case.decision not in DECISIONS:
        problems.append(
            (
                "UNRECOGNISED_DECISION",
                f"The decision {case.decision!r} is not assess, not_assess, withdrawn or historical.",
            )
        )
    if case.assessment_outcome is not None and case.assessment_outcome not in ASSESSMENT_OUTCOMES:
        problems.append(
            (
                "UNRECOGNISED_OUTCOME",
                f"The assessment outcome {case.assessment_outcome!r} is not plan, no_plan, withdrawn or historical.",
            )
        )
    if case.cease_reason is not None and case.cease_reason not in CEASE_REASONS:
        problems.append(
            ("UNRECOGNISED_CEASE_REASON", f"The cease reason {case.cease_reason!r} is not one of SEN2's codes 1 to 9.")
        )
    if case.request_date is None and case.decision != HISTORICAL and case.assessment_outcome != HISTORICAL:
        problems.append(("REQUEST_DATE_MISSING", "The request has no received date and is not marked historical."))
    return problems


def _future_dates(case: Case, as_of: date) -> _Problems:
    dated = (
        ("request", case.request_date),
        ("decision", case.decision_date),
        ("assessment outcome", case.assessment_outcome_date),
        ("final plan", case.final_plan_date),
        ("cease", case.cease_date),
        ("phase transfer final plan", case.phase_transfer_final_date),
    )
    return [_after_as_of(what, day, as_of) for what, day in dated if day is not None and day > as_of]


def _decision(case: Case, as_of: date) -> _Problems:
    problems = []
    decided = case.decision_date
    if decided is not None and case.request_date is not None and decided < case.request_date:
        problems.append(
            (
                "DECISION_BEFORE_REQUEST",
                f"The decision ({_day(decided)}) is dated before the request ({_day(case.request_date)}).",
            )
        )
    if case.decision is not None and case.decision != HISTORICAL and decided is None:
        problems.append(("DECISION_DATE_MISSING", f"{_decision_phrase(case.decision)} is recorded without a date."))
    if case.decision is None and decided is not None:
        problems.append(
            ("DECISION_TYPE_MISSING", f"A decision is dated {_day(decided)} but the decision is not recorded.")
        )
    if case.decision is None and (case.final_plan_date is not None or case.assessment_outcome is not None):
        later = "a final plan" if case.final_plan_date is not None else "an assessment outcome"
        problems.append(("DECISION_MISSING", f"The case has {later} but no decision to assess is recorded."))
    return problems


def _outcome(case: Case, as_of: date) -> _Problems:
    problems = []
    outcome, outcome_date = case.assessment_outcome, case.assessment_outcome_date
    if outcome_date is not None:
        anchor = _earliest_contradicted(case, outcome_date, include_outcome=False)
        if anchor is not None:
            what, day = anchor
            problems.append(
                (
                    f"OUTCOME_BEFORE_{what.upper()}",
                    f"The assessment outcome ({_day(outcome_date)}) is dated before the {what} ({_day(day)}).",
                )
            )
    if outcome in ("plan", "no_plan") and outcome_date is None:
        problems.append(("OUTCOME_DATE_MISSING", f"The assessment outcome ({outcome}) has no date."))
    if outcome is not None and case.decision in ("not_assess", "withdrawn") and not is_overturned_refusal(case):
        problems.append(
            (
                "OUTCOME_WITHOUT_ASSESS_DECISION",
                f"An assessment outcome is recorded but the decision was {_decision_words(case.decision)}.",
            )
        )
    return problems


def _plan(case: Case, as_of: date) -> _Problems:
    plan = case.final_plan_date
    if plan is None:
        return []
    problems = []
    anchor = _earliest_contradicted(case, plan, include_outcome=True)
    if anchor is not None:
        what, day = anchor
        code = "PLAN_BEFORE_OUTCOME" if what == "assessment outcome" else f"PLAN_BEFORE_{what.upper()}"
        problems.append((code, f"The final plan ({_day(plan)}) is dated before the {what} ({_day(day)})."))
    if case.decision in ("not_assess", "withdrawn") and not is_overturned_refusal(case):
        problems.append(
            (
                "PLAN_WITHOUT_ASSESS_DECISION",
                f"A final plan is recorded but the decision was {_decision_words(case.decision)}.",
            )
        )
    if case.assessment_outcome not in ("plan", HISTORICAL):
        recorded = "not recorded" if case.assessment_outcome is None else f"{case.assessment_outcome!r}"
        problems.append(
            (
                "PLAN_WITHOUT_PLAN_OUTCOME",
                f"A final plan is recorded but the assessment outcome is {recorded}, not plan.",
            )
        )
    return problems


def _plan_states(case: Case, as_of: date) -> _Problems:
    problems = []
    plan = case.final_plan_date
    if case.moved_out_to is not None and plan is not None:
        problems.append(
            (
                "PLAN_AFTER_MOVE",
                f"A plan ({_day(plan)}) is recorded although the child moved out of the area before it; the case is "
                "left out of the timeliness measures.",
            )
        )
    ceased = case.cease_date
    if ceased is not None and plan is not None and ceased < plan:
        problems.append(
            (
                "CEASE_BEFORE_PLAN",
                f"The plan is recorded as ceased on {_day(ceased)}, before it started ({_day(plan)}).",
            )
        )
    if (ceased is None) != (case.cease_reason is None):
        problems.append(
            (
                "CEASE_REASON_MISSING",
                "A cease date is recorded without a reason."
                if ceased
                else "A cease reason is recorded without a date.",
            )
        )
    if case.phase_transfer_final_date is not None and case.phase_transfer_due_date is None:
        problems.append(
            (
                "PHASE_TRANSFER_FINAL_WITHOUT_DUE",
                f"A phase transfer's final plan is dated {_day(case.phase_transfer_final_date)} but the transfer's due "
                "date is not recorded, so it cannot be timed.",
            )
        )
    return problems


def _earliest_contradicted(case: Case, day: date, *, include_outcome: bool) -> tuple[str, date] | None:
    """Return the earliest earlier step (request, decision, assessment outcome) dated after `day`, if any."""
    steps: list[tuple[str, date | None]] = [("request", case.request_date), ("decision", case.decision_date)]
    if include_outcome:
        steps.append(("assessment outcome", case.assessment_outcome_date))
    for what, step_date in steps:
        if step_date is not None and day < step_date:
            return what, step_date
    return None


def _review_links(own: list[Review], case: Case | None) -> _Problems:
    """Check a case's reviews (in meeting order) against its plan and each other."""
    plan = case.final_plan_date if case is not None else None
    if plan is None or case is None:
        why = "is not in the case data" if case is None else "has no final plan date"
        return [
            ("REVIEW_WITH_NO_PLAN", f"A review meeting on {_day(review.meeting_date)} is recorded but the case {why}.")
            for review in own
        ]
    problems = []
    plan_ceased = case.cease_date
    ceased: date | None = None
    for meeting, count in Counter(review.meeting_date for review in own).items():
        if count > 1:
            problems.append(("DUPLICATE_REVIEW", f"{count} review meetings are recorded on {_day(meeting)}."))
    for review in own:
        meeting = review.meeting_date
        if meeting < plan:
            problems.append(
                (
                    "REVIEW_BEFORE_PLAN",
                    f"A review meeting on {_day(meeting)} is before the plan was issued ({_day(plan)}).",
                )
            )
        elif plan_ceased is not None and meeting > plan_ceased:
            problems.append(
                (
                    "REVIEW_AFTER_PLAN_CEASED",
                    f"A review meeting on {_day(meeting)} is after the plan ceased ({_day(plan_ceased)}).",
                )
            )
        elif ceased is not None and meeting > ceased:
            problems.append(
                (
                    "REVIEW_AFTER_CEASE",
                    f"A review meeting on {_day(meeting)} follows the review on {_day(ceased)} that ceased the plan.",
                )
            )
        if review.outcome == "cease" and ceased is None:
            ceased = meeting
    return problems


def _review_dates(review: Review, as_of: date) -> _Problems:
    problems = []
    meeting, decided = review.meeting_date, review.decision_date
    notice, amended = review.amendment_notice_date, review.amended_plan_date
    dated = (
        ("review meeting", meeting),
        ("review decision", decided),
        ("draft amended plan", review.draft_date),
        ("amendment notice", notice),
        ("final amended plan", amended),
    )
    for what, day in dated:
        if day is not None and day > as_of:
            problems.append(_after_as_of(what, day, as_of))
    if amended is not None and notice is None:
        problems.append(
            (
                "AMENDED_PLAN_WITHOUT_NOTICE",
                f"The final amended plan after the review on {_day(meeting)} ({_day(amended)}) has no date for the "
                "notice of the proposed amendments, so the 8-week limit cannot be timed.",
            )
        )
    elif amended is not None and notice is not None and amended < notice:
        problems.append(
            (
                "AMENDED_PLAN_BEFORE_NOTICE",
                f"The final amended plan ({_day(amended)}) is dated before the amendments were proposed "
                f"({_day(notice)}).",
            )
        )
    if review.outcome is not None and review.outcome not in REVIEW_OUTCOMES:
        problems.append(
            (
                "UNRECOGNISED_REVIEW_OUTCOME",
                f"The outcome {review.outcome!r} of the review on {_day(meeting)} is not maintain, amend or cease.",
            )
        )
    if decided is not None and decided < meeting:
        problems.append(
            (
                "REVIEW_DECISION_BEFORE_MEETING",
                f"The decision after the review on {_day(meeting)} is dated before it ({_day(decided)}).",
            )
        )
    if review.outcome is not None and decided is None:
        problems.append(
            (
                "REVIEW_DECISION_DATE_MISSING",
                f"The review on {_day(meeting)} has an outcome ({review.outcome}) but no decision date.",
            )
        )
    return problems


def _after_as_of(what: str, day: date, as_of: date) -> tuple[str, str]:
    return (
        "DATE_AFTER_AS_OF",
        f"The {what} date {_day(day)} is after {_day(as_of)}, the date the data is read as at, so it is ignored.",
    )


def _decision_phrase(decision: str) -> str:
    phrases = {"assess": "A decision to assess", "not_assess": "A decision not to assess", "withdrawn": "A withdrawal"}
    return phrases.get(decision, f"A decision ({decision})")


def _decision_words(decision: str | None) -> str:
    return "not to assess" if decision == "not_assess" else "withdrawn" if decision == "withdrawn" else str(decision)


def _day(day: date) -> str:
    return f"{day.day} {day:%B %Y}"
