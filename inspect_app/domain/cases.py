"""Case-level records of the EHC process, as the clocks and measures see them.

A case is one request for an EHC needs assessment (or, for a plan older than the data, the plan itself: a
historical case), identified by the council's case reference or, for a SEN2 return, by a pseudonym of the person
and the date the request was received. Only dates, codes and derived facts are held: never names, dates of
birth, addresses or pupil numbers.

The states a case can be in (DESIGN.md "Measure ids", reference/sen2-and-person-level-lists.md §A5), with the
SEN2 codes they come from:

- the decision whether to assess: assess (Y), not_assess (N), withdrawn (W), not yet decided (A, None), or
  historical (H: the decision was made before the data's period, so there is no request date);
- the assessment outcome: plan (Y), no_plan (N), withdrawn (W), not yet decided (A, None), historical (H, which
  from 2024 also covers a plan transferred in from another council);
- moved out of the area before the plan (`moved_out_to`, SEN2 `Exported`: the receiving council's code, or
  XXX when unknown);
- mediation or tribunal on the request, the assessment or another appealable decision (six flags);
- a refusal overturned at mediation or tribunal: decision not to assess, a mediation or tribunal flag on the
  request, and an assessment under it anyway;
- a re-assessment of an existing plan (`request_type`), which has its own 14-week clock;
- a plan transferred in (`transferred_in_from`, SEN2 `TransferLA`), ceased (`cease_date`, `cease_reason` 1-9,
  5 being a transfer to another council), and its phase transfer (`phase_transfer_due_date`,
  `phase_transfer_final_date`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

DECISIONS = ("assess", "not_assess", "withdrawn", "historical")
ASSESSMENT_OUTCOMES = ("plan", "no_plan", "withdrawn", "historical")
REVIEW_OUTCOMES = ("maintain", "amend", "cease")
REQUEST_TYPES = ("initial", "reassessment")
INITIAL = "initial"
REASSESSMENT = "reassessment"
HISTORICAL = "historical"
# SEN2 primary type of need codes (reference/data-formats.md §7). DS is new in the 2025 collection.
PRIMARY_NEEDS = ("SPLD", "MLD", "SLD", "PMLD", "SEMH", "SLCN", "HI", "VI", "MSI", "PD", "ASD", "DS", "OTH")
# SEN2 CeaseReason (reference §A5.3), stable 2023-2026; paraphrased.
CEASE_REASONS = {
    "1": "reached the maximum age",
    "2": "needs met without a plan",
    "3": "moved on to higher education",
    "4": "moved on to paid employment",
    "5": "transferred to another council in England",
    "6": "no longer wishes to engage in education or training",
    "7": "moved outside England",
    "8": "died",
    "9": "another reason",
}
TRANSFERRED_OUT = "5"
UNKNOWN_AREA = "XXX"  # SEN2's code for a council that is not known, or outside the UK
DISPUTE_FIELDS = (
    "request_mediation",
    "request_tribunal",
    "assessment_mediation",
    "assessment_tribunal",
    "other_mediation",
    "other_tribunal",
)


@dataclass(frozen=True, slots=True)
class Case:
    """One request for an EHC needs assessment and what followed it (see the module docstring for the states)."""

    case_ref: str
    request_date: date | None  # None only for a historical case (SEN2 H), whose request pre-dates the data
    decision_date: date | None = None
    decision: str | None = None  # one of DECISIONS; None while undecided
    assessment_outcome: str | None = None  # one of ASSESSMENT_OUTCOMES; None while undecided
    assessment_outcome_date: date | None = None  # for a plan: the date it was issued (SEN2 item 3.2)
    final_plan_date: date | None = None  # the plan's start date (SEN2 NamedPlan StartDate)
    exception: bool = False  # a 20-week exception applies (SEN2 `week20`)
    exception_reason: str | None = None
    primary_need: str | None = None  # one of PRIMARY_NEEDS
    age_at_request: int | None = None
    setting: str | None = None
    request_type: str = INITIAL  # one of REQUEST_TYPES
    moved_out_to: str | None = None  # SEN2 Exported
    request_mediation: bool = False
    request_tribunal: bool = False
    assessment_mediation: bool = False
    assessment_tribunal: bool = False
    other_mediation: bool = False
    other_tribunal: bool = False
    transferred_in_from: str | None = None  # SEN2 TransferLA
    cease_date: date | None = None
    cease_reason: str | None = None  # one of CEASE_REASONS
    phase_transfer_due_date: date | None = None
    phase_transfer_final_date: date | None = None
    person_ref: str | None = None  # a pseudonym of the person (SEN2 imports): links a person's requests


@dataclass(frozen=True, slots=True)
class Review:
    """One annual review meeting of an EHC plan, the council's decision after it, and any amendment that followed.

    `draft_date` is the date a draft amended plan was issued after the review (SEN2 `ReviewDraft`). The 8-week
    amendment clock (reg 22) runs from `amendment_notice_date`, the date the proposed amendments were sent, to
    `amended_plan_date`, the final amended plan; a SEN2 return records neither, so its reviews have no such clock.
    """

    case_ref: str
    meeting_date: date
    decision_date: date | None = None
    outcome: str | None = None  # one of REVIEW_OUTCOMES
    draft_date: date | None = None
    amendment_notice_date: date | None = None
    amended_plan_date: date | None = None


def has_dispute(case: Case) -> bool:
    """Tell whether any mediation or tribunal took place on the request, the assessment or another decision."""
    return (
        case.request_mediation
        or case.request_tribunal
        or case.assessment_mediation
        or case.assessment_tribunal
        or case.other_mediation
        or case.other_tribunal
    )


def is_historical(case: Case) -> bool:
    """Tell whether the case's plan or request pre-dates the data, so it belongs in no timeliness cohort.

    That is a case with no request date, or an assessment outcome H (a decision to issue made before the period,
    or a plan transferred in). A request whose *decision to assess* was H but whose plan was issued in the period
    keeps its 20-week clock and cohort: only its 6-week decision pre-dates the data.
    """
    return case.request_date is None or case.assessment_outcome == HISTORICAL


def is_overturned_refusal(case: Case) -> bool:
    """Tell whether a decision not to assess was taken to mediation or tribunal and an assessment followed."""
    return (
        case.decision == "not_assess"
        and (case.request_mediation or case.request_tribunal)
        and case.assessment_outcome is not None
    )


def in_initial_cohorts(case: Case) -> bool:
    """Tell whether the case can count in the initial-request timeliness measures (6, 16 and 20 weeks).

    Historical cases, re-assessments and requests from children who moved out of the area before the plan are
    left out of every one of them (DESIGN.md).
    """
    return case.request_type == INITIAL and case.moved_out_to is None and not is_historical(case)


def plan_issue_date(case: Case) -> date | None:
    """The date the plan was issued: the assessment outcome date for "plan", else the plan's start date.

    DESIGN.md's choice for the 20-week measures (reference §A8.5: which date DfE uses is [P]); the start date is
    the alternative `measure_choices` compares it with.
    """
    if case.assessment_outcome == "plan" and case.assessment_outcome_date is not None:
        return case.assessment_outcome_date
    return case.final_plan_date


def merge_historical(stored: Case, incoming: Case) -> Case:
    """Tie a record of a later SEN2 return that says H (decided before its period) to the case already stored.

    A later return holds a request whose decision (or plan) came before its period as H, without the dates an
    earlier return gave. The stored case keeps what the earlier return said about those stages (the decision and
    its date, the assessment and its outcome, the request's flags); everything the later return says about later
    stages and about the plan now (its outcome in the period, cease date and reason, phase transfer, setting and
    need, a move or a transfer) is taken from it.
    """
    merged = incoming
    if incoming.request_date is None or incoming.decision == HISTORICAL:
        merged = replace(
            merged,
            request_date=stored.request_date or incoming.request_date,
            decision=stored.decision if stored.decision != HISTORICAL else incoming.decision,
            decision_date=stored.decision_date or incoming.decision_date,
            request_mediation=stored.request_mediation or incoming.request_mediation,
            request_tribunal=stored.request_tribunal or incoming.request_tribunal,
            request_type=stored.request_type,
            age_at_request=stored.age_at_request if stored.age_at_request is not None else incoming.age_at_request,
        )
    if incoming.assessment_outcome == HISTORICAL and stored.assessment_outcome not in (None, HISTORICAL):
        merged = replace(
            merged,
            assessment_outcome=stored.assessment_outcome,
            assessment_outcome_date=stored.assessment_outcome_date,
            exception=stored.exception,
            assessment_mediation=stored.assessment_mediation,
            assessment_tribunal=stored.assessment_tribunal,
            other_mediation=stored.other_mediation,
            other_tribunal=stored.other_tribunal,
        )
    return replace(
        merged,
        case_ref=stored.case_ref,
        final_plan_date=stored.final_plan_date or incoming.final_plan_date,
        primary_need=incoming.primary_need or stored.primary_need,
        setting=incoming.setting or stored.setting,
        moved_out_to=stored.moved_out_to or incoming.moved_out_to,
        transferred_in_from=stored.transferred_in_from or incoming.transferred_in_from,
        person_ref=stored.person_ref or incoming.person_ref,
    )


def state_descriptions(case: Case) -> list[str]:
    """Plain-English sentences for the states of a case beyond its dates (for the case page)."""
    return [*_request_states(case), *_assessment_states(case), *_plan_states(case)]


def _request_states(case: Case) -> list[str]:
    states: list[str] = []
    if is_historical(case):
        states.append(
            "Historical: the plan was agreed before the period of the data (or transferred in), so the case is in "
            "none of the measures of requests, assessments and plans issued. Its annual reviews are counted."
        )
    elif case.decision == HISTORICAL:
        states.append("The decision to assess was made before the period of the data, so it has no 6-week clock.")
    if case.request_type == REASSESSMENT:
        states.append(
            "Re-assessment of an existing plan: it has its own 14-week clock and is left out of the measures of "
            "initial requests."
        )
    if case.decision == "withdrawn":
        states.append("Request withdrawn before a decision whether to assess: no time limit applies to it any more.")
    return states


def _assessment_states(case: Case) -> list[str]:
    states: list[str] = []
    if case.assessment_outcome == "withdrawn":
        states.append("Assessment withdrawn or ended before a decision whether to issue a plan: the clocks stopped.")
    if case.moved_out_to is not None:
        where = "to an area not known" if case.moved_out_to == UNKNOWN_AREA else f"to council {case.moved_out_to}"
        states.append(f"Moved out of the area ({where}) before the plan: the clocks stopped.")
    if is_overturned_refusal(case):
        states.append(
            "Refusal to assess overturned after mediation or tribunal: an assessment followed. The 16- and "
            "20-week limits from the request do not apply, and the case is left out of the 20-week measures."
        )
    disputes = _disputes(case)
    if disputes:
        states.append(f"Mediation or tribunal: {disputes}.")
    if case.exception:
        states.append(
            "A 20-week exception applies: the time limit does not apply to this case, which must still be "
            "finished as soon as practicable."
        )
    return states


def _plan_states(case: Case) -> list[str]:
    states: list[str] = []
    if case.transferred_in_from is not None:
        source = case.transferred_in_from
        named = "another council" if source == UNKNOWN_AREA else f"council {source}"
        states.append(f"Plan transferred in from {named}.")
    if case.cease_date is not None or case.cease_reason is not None:
        reason = CEASE_REASONS.get(case.cease_reason or "", "no reason recorded")
        when = f" on {_day(case.cease_date)}" if case.cease_date else ""
        states.append(f"Plan ceased{when}: {reason}.")
    return states


def _disputes(case: Case) -> str:
    stages = (
        ("the decision whether to assess", case.request_mediation, case.request_tribunal),
        ("the decision whether to issue a plan", case.assessment_mediation, case.assessment_tribunal),
        ("another decision", case.other_mediation, case.other_tribunal),
    )
    parts = []
    for stage, mediation, tribunal in stages:
        kinds = " and ".join(kind for kind, flag in (("mediation", mediation), ("an appeal", tribunal)) if flag)
        if kinds:
            parts.append(f"{kinds} about {stage}")
    return "; ".join(parts)


def _day(day: date) -> str:
    return f"{day.day} {day:%B %Y}"
