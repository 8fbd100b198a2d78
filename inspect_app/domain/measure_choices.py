"""Where DfE's rule is unconfirmed: both answers, the one DESIGN.md uses, and the cases the choice decides.

reference/sen2-and-person-level-lists.md §A8 tags some of DfE's derivations [P] (inferred) or [U] (unverified):
whether a decision on the boundary day counts as in time, which date ends the 20-week clock, which decisions the
6-week measure counts. The measures (domain/measures.py) use DESIGN.md's answer; `choice_outcomes` works out each
measure both ways for a year and names the cases whose result the choice changes, so the data-quality page can
show them and a reader can judge whether the difference matters. `exceptions_implausible` and `reconcile` are the
two other checks of a local figure that page shows: exceptions claimed for too many plans, and a local figure far
from the council's own published one.

Each choice is written as an evaluator that says, for one case (or review) and one year, whether it is in the
measure's cohort and within the limit under DESIGN's answer and under the alternative.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from inspect_app.domain.cases import (
    Case,
    Review,
    has_dispute,
    in_initial_cohorts,
    is_overturned_refusal,
    plan_issue_date,
)
from inspect_app.domain.clocks import (
    DECIDE_NOT_TO_ISSUE_DAYS,
    DECIDE_TO_ASSESS_DAYS,
    FINAL_PLAN_DAYS,
    OVER_52_WEEKS_DAYS,
    REVIEW_DECISION_DAYS,
)
from inspect_app.domain.measures import (
    DECISION_6WK,
    DECISION_16WK_NO_PLAN,
    EHCP_20WK_EXCL,
    EHCP_20WK_INCL,
    EHCP_OVER_52WK_EXCL,
    REVIEW_DECISION_4WK,
    MeasureValue,
)
from inspect_app.domain.numbers import display_percentage, ratio_percentage, round_half_up

# (in the cohort, within the limit) under DESIGN's answer, and under the alternative; None: not in either.
Verdict = tuple[tuple[bool, bool], tuple[bool, bool]]
_OUT: tuple[bool, bool] = (False, False)


@dataclass(frozen=True)
class Choice:
    """One unconfirmed part of how DfE derives a measure, as plain-English question and answers."""

    id: str
    measure_id: str
    tag: str  # "P" (inferred) or "U" (unverified), as the reference tags it
    question: str
    used: str  # DESIGN.md's answer, which the measures use
    alternative: str
    evaluate_case: Callable[[Case, int, date], Verdict | None] | None = None
    evaluate_review: Callable[[Review, int, date], Verdict | None] | None = None


@dataclass(frozen=True)
class ChoiceOutcome:
    """One choice for one year: the measure both ways, and the cases whose result the choice changes."""

    choice: Choice
    year: int
    used: MeasureValue
    alternative: MeasureValue
    case_refs: tuple[str, ...]

    @property
    def changes_result(self) -> bool:
        return bool(self.case_refs)


def _in_year(day: date | None, year: int, as_of: date) -> bool:
    return day is not None and day.year == year and day <= as_of


# decision_6wk ------------------------------------------------------------------------------------------------


def _decided(case: Case, as_of: date) -> tuple[date, date] | None:
    """(request, decision date) of an initial-cohort decision to assess or not, made by as_of."""
    request, decided = case.request_date, case.decision_date
    if request is None or decided is None or decided > as_of or not in_initial_cohorts(case):
        return None
    return request, decided


def _decision_boundary(case: Case, year: int, as_of: date) -> Verdict | None:
    found = _decided(case, as_of)
    if found is None or case.decision not in ("assess", "not_assess") or found[1].year != year:
        return None
    days = (found[1] - found[0]).days
    return (True, days <= DECIDE_TO_ASSESS_DAYS), (True, days < DECIDE_TO_ASSESS_DAYS)


def _decision_cohort(case: Case, year: int, as_of: date) -> Verdict | None:
    found = _decided(case, as_of)
    if found is None or case.decision not in ("assess", "not_assess"):
        return None
    request, decided = found
    if request.year != year and decided.year != year:
        return None
    met = (decided - request).days <= DECIDE_TO_ASSESS_DAYS
    return (decided.year == year, met), (request.year == year, met)


def _decision_withdrawn(case: Case, year: int, as_of: date) -> Verdict | None:
    found = _decided(case, as_of)
    if found is None or found[1].year != year or case.decision not in ("assess", "not_assess", "withdrawn"):
        return None
    met = (found[1] - found[0]).days <= DECIDE_TO_ASSESS_DAYS
    return (case.decision != "withdrawn", met), (True, met)


# decision_16wk_no_plan ---------------------------------------------------------------------------------------


def _no_plan_boundary(case: Case, year: int, as_of: date) -> Verdict | None:
    request, told = case.request_date, case.assessment_outcome_date
    if (
        case.assessment_outcome != "no_plan"
        or request is None
        or not _in_year(told, year, as_of)
        or not in_initial_cohorts(case)
        or is_overturned_refusal(case)
    ):
        return None
    assert told is not None
    days = (told - request).days
    return (True, days <= DECIDE_NOT_TO_ISSUE_DAYS), (True, days < DECIDE_NOT_TO_ISSUE_DAYS)


# the 20-week measures ----------------------------------------------------------------------------------------


def _plan_verdict(
    case: Case, issued: date | None, year: int, as_of: date, *, excl: bool, disputes_out: bool = True
) -> tuple[bool, bool]:
    """(in the cohort, within 20 weeks) of a case for a year, taking `issued` as the plan's issue date."""
    request = case.request_date
    if (
        request is None
        or not _in_year(issued, year, as_of)
        or not in_initial_cohorts(case)
        or (disputes_out and has_dispute(case))
        or (excl and case.exception)
    ):
        return _OUT
    assert issued is not None
    return True, (issued - request).days <= FINAL_PLAN_DAYS


def _end_date(excl: bool) -> Callable[[Case, int, date], Verdict | None]:
    def evaluate(case: Case, year: int, as_of: date) -> Verdict | None:
        if case.assessment_outcome != "plan" or case.assessment_outcome_date is None or case.final_plan_date is None:
            return None
        used = _plan_verdict(case, plan_issue_date(case), year, as_of, excl=excl)
        alternative = _plan_verdict(case, case.final_plan_date, year, as_of, excl=excl)
        return None if used == alternative == _OUT else (used, alternative)

    return evaluate


def _plan_boundary(excl: bool) -> Callable[[Case, int, date], Verdict | None]:
    def evaluate(case: Case, year: int, as_of: date) -> Verdict | None:
        issued = plan_issue_date(case)
        used = _plan_verdict(case, issued, year, as_of, excl=excl)
        if used == _OUT:
            return None
        assert issued is not None and case.request_date is not None
        return used, (True, (issued - case.request_date).days < FINAL_PLAN_DAYS)

    return evaluate


def _disputes(excl: bool) -> Callable[[Case, int, date], Verdict | None]:
    def evaluate(case: Case, year: int, as_of: date) -> Verdict | None:
        issued = plan_issue_date(case)
        used = _plan_verdict(case, issued, year, as_of, excl=excl)
        alternative = _plan_verdict(case, issued, year, as_of, excl=excl, disputes_out=False)
        return None if used == alternative == _OUT else (used, alternative)

    return evaluate


def _over_52_boundary(case: Case, year: int, as_of: date) -> Verdict | None:
    issued = plan_issue_date(case)
    used = _plan_verdict(case, issued, year, as_of, excl=True)
    if used == _OUT:
        return None
    assert issued is not None and case.request_date is not None
    days = (issued - case.request_date).days
    return (True, days > OVER_52_WEEKS_DAYS), (True, days >= OVER_52_WEEKS_DAYS)


# review_decision_4wk -----------------------------------------------------------------------------------------


def _review_boundary(review: Review, year: int, as_of: date) -> Verdict | None:
    decided = review.decision_date
    if not _in_year(decided, year, as_of) or review.meeting_date > as_of:
        return None
    assert decided is not None
    days = (decided - review.meeting_date).days
    return (True, days <= REVIEW_DECISION_DAYS), (True, days < REVIEW_DECISION_DAYS)


_BOUNDARY_QUESTION = "Does a step on the last day of the time limit count as in time?"
_END_DATE = (
    "Which date ends the 20-week clock?",
    "The assessment outcome date, which DfE's guide gives as the date the plan was issued",
    "The plan's start date",
)
_DISPUTES = (
    "Are plans whose case went to mediation or tribunal counted?",
    "No: DfE's 2024 footnote leaves them out",
    "Yes",
)

CHOICES: tuple[Choice, ...] = (
    Choice(
        "decision_6wk_cohort",
        DECISION_6WK,
        "P",
        "Which decisions count in a year?",
        "Decisions dated in the year, whenever the request came in",
        "Decisions on requests received in the year",
        evaluate_case=_decision_cohort,
    ),
    Choice(
        "decision_6wk_boundary",
        DECISION_6WK,
        "U",
        _BOUNDARY_QUESTION,
        "Yes: a decision on day 42 is within 6 weeks",
        "No: only up to day 41",
        evaluate_case=_decision_boundary,
    ),
    Choice(
        "decision_6wk_withdrawn",
        DECISION_6WK,
        "U",
        "Does a request withdrawn with a decision date count?",
        "No: only decisions to assess or not to assess",
        "Yes",
        evaluate_case=_decision_withdrawn,
    ),
    Choice(
        "decision_16wk_boundary",
        DECISION_16WK_NO_PLAN,
        "U",
        _BOUNDARY_QUESTION,
        "Yes: a decision on day 112 is within 16 weeks",
        "No: only up to day 111",
        evaluate_case=_no_plan_boundary,
    ),
    Choice("ehcp_20wk_excl_end_date", EHCP_20WK_EXCL, "P", *_END_DATE, evaluate_case=_end_date(excl=True)),
    Choice("ehcp_20wk_incl_end_date", EHCP_20WK_INCL, "P", *_END_DATE, evaluate_case=_end_date(excl=False)),
    Choice(
        "ehcp_20wk_excl_boundary",
        EHCP_20WK_EXCL,
        "U",
        _BOUNDARY_QUESTION,
        "Yes: a plan on day 140 is within 20 weeks",
        "No: only up to day 139",
        evaluate_case=_plan_boundary(excl=True),
    ),
    Choice(
        "ehcp_20wk_incl_boundary",
        EHCP_20WK_INCL,
        "U",
        _BOUNDARY_QUESTION,
        "Yes: a plan on day 140 is within 20 weeks",
        "No: only up to day 139",
        evaluate_case=_plan_boundary(excl=False),
    ),
    Choice("ehcp_20wk_excl_disputes", EHCP_20WK_EXCL, "P", *_DISPUTES, evaluate_case=_disputes(excl=True)),
    Choice("ehcp_20wk_incl_disputes", EHCP_20WK_INCL, "P", *_DISPUTES, evaluate_case=_disputes(excl=False)),
    Choice(
        "ehcp_over_52wk_boundary",
        EHCP_OVER_52WK_EXCL,
        "U",
        "Is a plan issued exactly 52 weeks (364 days) after the request more than 52 weeks?",
        "No: only from day 365",
        "Yes: from day 364",
        evaluate_case=_over_52_boundary,
    ),
    Choice(
        "review_decision_4wk_boundary",
        REVIEW_DECISION_4WK,
        "U",
        _BOUNDARY_QUESTION,
        "Yes: a decision on day 28 is within 4 weeks",
        "No: only up to day 27",
        evaluate_review=_review_boundary,
    ),
)


def choice_outcomes(
    cases: Iterable[Case], reviews: Iterable[Review], as_of: date, year: int, choices: Iterable[Choice] = CHOICES
) -> list[ChoiceOutcome]:
    """Work out every choice's measure both ways for `year`, and the cases whose result the choice changes."""
    cases, reviews = list(cases), list(reviews)
    outcomes = []
    for choice in choices:
        tallies = [[0, 0], [0, 0]]  # [used, alternative] x [numerator, denominator]
        changed: list[str] = []
        verdicts: Iterable[tuple[str, Verdict | None]]
        if choice.evaluate_case is not None:
            by_case = choice.evaluate_case
            verdicts = ((case.case_ref, by_case(case, year, as_of)) for case in cases)
        else:
            by_review = choice.evaluate_review
            assert by_review is not None
            verdicts = ((review.case_ref, by_review(review, year, as_of)) for review in reviews)
        for case_ref, verdict in verdicts:
            if verdict is None:
                continue
            for tally, (counted, met) in zip(tallies, verdict, strict=True):
                tally[0] += counted and met
                tally[1] += counted
            if verdict[0] != verdict[1]:
                changed.append(case_ref)
        used, alternative = (
            _value(choice.measure_id, year, numerator, denominator) for numerator, denominator in tallies
        )
        outcomes.append(ChoiceOutcome(choice, year, used, alternative, tuple(sorted(set(changed)))))
    return outcomes


def _value(measure_id: str, year: int, numerator: int, denominator: int) -> MeasureValue:
    return MeasureValue(measure_id, str(year), numerator, denominator, display_percentage(numerator, denominator))


# Exceptions claimed for an implausible share of plans ----------------------------------------------------------


@dataclass(frozen=True)
class ExceptionsCheck:
    """Thresholds of `exceptions_implausible` (configuration: EXCEPTIONS_IMPLAUSIBLE)."""

    max_share: Decimal = Decimal("0.5")  # a larger share of a year's plans with an exception is implausible
    min_plans: int = 5  # fewer plans than this in a year are too few to judge

    @classmethod
    def from_settings(cls, settings: Mapping[str, object] | None) -> ExceptionsCheck:
        """Build the check from a settings mapping (`max_share`, `min_plans`); missing keys keep the defaults."""
        settings = settings or {}
        share = settings.get("max_share", cls.max_share)
        plans = settings.get("min_plans", cls.min_plans)
        return cls(Decimal(str(share)), int(str(plans)))


def exceptions_implausible(year_figures: Mapping[str, MeasureValue], config: ExceptionsCheck) -> str | None:
    """Say why a year's exceptions look implausible, or None when they do not (the EXCEPTIONS_IMPLAUSIBLE check).

    `year_figures` maps measure ids to one year's values; the check reads `ehcp_20wk_incl` and `ehcp_20wk_excl`.
    Implausible: exceptions claimed for more than `config.max_share` of the year's plans (DfE suppresses councils
    that class nearly every plan as an exception, reference §A8.5), or the rate leaving out exceptions below the
    rate with them (plans with an exception were on time more often than the others, so the exception was not
    what held them up).
    """
    incl, excl = year_figures.get(EHCP_20WK_INCL), year_figures.get(EHCP_20WK_EXCL)
    if incl is None or excl is None or incl.denominator < config.min_plans:
        return None
    claimed = incl.denominator - excl.denominator
    if not claimed:
        return None
    share = Decimal(claimed) / Decimal(incl.denominator)
    if share > config.max_share:
        return (
            f"An exception is recorded for {claimed:,} of the {incl.denominator:,} plans issued in {incl.period} "
            f"({_percent(ratio_percentage(claimed, incl.denominator))}), more than the "
            f"{_percent(config.max_share * 100)} this check allows. DfE leaves out of its figures councils that "
            "class nearly every plan as an exception."
        )
    with_them, without_them = (ratio_percentage(v.numerator, v.denominator) for v in (incl, excl))
    if without_them is not None and with_them is not None and without_them < with_them:
        return (
            f"In {incl.period} the plans with an exception were issued within 20 weeks more often than the others: "
            f"the rate leaving out exceptions ({_percent(without_them)}) is below the rate with them "
            f"({_percent(with_them)}). An exception should explain a delay, so check that each is recorded only "
            "where the time limit could not be met."
        )
    return None


def _percent(value: Decimal | None) -> str:
    """A percentage half up to one decimal, without a trailing .0 (45.0 -> 45%, 45.25 -> 45.3%)."""
    rounded = round_half_up(value, 1)
    if rounded is None:
        return "no figure"
    return f"{rounded.quantize(Decimal(1))}%" if rounded == rounded.to_integral_value() else f"{rounded}%"


# Reconciliation with the council's own published figure -------------------------------------------------------


@dataclass(frozen=True)
class Reconciliation:
    """A local figure beside the council's published one for the same measure and year."""

    measure_id: str
    period: str
    local: MeasureValue
    published: Decimal  # DfE's figure (a percentage)
    difference: Decimal  # local minus published, in percentage points, exact
    flagged: bool  # more than the threshold apart

    @property
    def local_exact(self) -> Decimal | None:
        return ratio_percentage(self.local.numerator, self.local.denominator)


def reconcile(local: MeasureValue, published: Decimal | None, threshold_points: Decimal) -> Reconciliation | None:
    """Compare a local percentage with the council's published one; None when either has no figure.

    The local figure is exact (from its numerator and denominator), the published one as DfE printed it, so the
    difference is in percentage points; more than `threshold_points` apart is flagged (DESIGN.md: 2 points).
    """
    mine = ratio_percentage(local.numerator, local.denominator)
    if mine is None or published is None:
        return None
    difference = mine - published
    flagged = abs(difference) > threshold_points
    return Reconciliation(local.measure_id, local.period, local, published, difference, flagged)
