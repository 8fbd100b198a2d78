"""Local timeliness measures over many cases: calendar years, rolling 12 months, distributions and volumes.

Every measure id in DESIGN.md "Measure ids" is computed with the cohort DESIGN.md states, which follows DfE's own
derivations (reference/sen2-and-person-level-lists.md §A8), as at a date `as_of` (dates after it are treated as not
having happened yet, as in `clocks`). "Initial cohort" below means initial requests (not re-assessments), not
historical, and not from a child who moved out of the area before the plan (`cases.in_initial_cohorts`).

- `requests_received`: initial requests received in the period (every outcome, withdrawn and undecided too; a
  move out of the area does not undo a request). Historical cases have no request date.
- `decision_6wk`: initial-cohort decisions to assess or not to assess *dated* in the period, whenever the request
  came in (DfE counts decisions made in the year, §A8.2); met when `decision_date - request_date <= 42 days`.
  Withdrawn and undecided requests are left out.
- `decision_16wk_no_plan`: initial-cohort assessments ending in a decision not to issue a plan, outcome dated in
  the period, except refusals overturned at mediation or tribunal (§A8.4); met within 112 days of the request.
- `ehcp_20wk_incl`: initial-cohort plans *issued* in the period (issue date: `cases.plan_issue_date`), leaving out
  cases with any mediation or tribunal (DfE's cohort, §A8.5); within 20 weeks when `issued - request <= 140
  days`. `ehcp_20wk_excl` and `ehcp_over_52wk_excl` also leave out cases with an exception; over 52 weeks means
  more than 364 days.
- `new_plans`: plans whose start date (`final_plan_date`) falls in the period, leaving out re-assessments, plans
  transferred in and historical plans (§A8.6).
- `reassessment_14wk`: re-assessments whose plan was issued in the period, without an exception; met within 98
  days of the decision to re-assess (reg 27(2)).
- `annual_review_on_time`: the review periods of `clocks.review_periods` (with the plan's cease date and whether
  its review history is in the data) whose due date falls in the period *and* on or before `as_of`. On time when
  the meeting that ends the period was held on or before the due date (the day before the anniversary, s.44). A
  due date that passed (before `as_of`, and before the plan ceased) with no meeting counts as not on time; one
  falling due on `as_of` itself with no meeting yet is left out until the day has passed. A plan that stays
  unreviewed counts once, in the period its review fell due, not again on later anniversaries.
- `review_completed_in_year` (DfE 2026, §A8.7): of the plans that started before the period and had not ceased by
  its end, those with a review decision dated in the period. Not a sum of months: a rolling 12 months is judged at
  its own start and end.
- `review_decision_4wk`: review decisions dated in the period (DfE's 2026 split covers reviews completed in the
  year); met when `decision_date - meeting_date <= 28 days`. Every review row counts, whether or not its plan is
  in the case data: the rule needs only its own two dates.
- `amended_plan_8wk`: final amended plans issued in the period whose review recorded the amendment notice; met
  within 56 days of the notice (reg 22).
- `phase_transfer_on_time`: phase transfers whose deadline (`clocks.phase_transfer_deadline`) falls in the period,
  counted once the final plan is dated or the deadline has passed (unless the plan ceased before it); on time when
  the final plan came before the deadline.

Counts (`requests_received`, `new_plans`) carry the count as numerator, denominator and value, so "denominator
0" means "no data" for every measure. Percentages keep numerator and denominator and are rounded half up to one
decimal only in `value` (None when the denominator is 0).

Records with impossible dates are counted by these cohorts like any other (a plan dated before its request is
"within 20 weeks"); `data_quality` reports them so they can be corrected. Where DfE's rule is unconfirmed, the
alternative is computed by `measure_choices`.

Speed: one pass over the cases and one over the reviews tally every measure by day (`MeasureTally`); a year or
a rolling 12 months is then a sum of months, never a rescan of the cases.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from operator import attrgetter

from inspect_app.domain.cases import (
    HISTORICAL,
    INITIAL,
    REASSESSMENT,
    Case,
    Review,
    in_initial_cohorts,
    is_overturned_refusal,
    plan_issue_date,
)
from inspect_app.domain.clocks import (
    AMENDMENT_DAYS,
    DECIDE_NOT_TO_ISSUE_DAYS,
    DECIDE_TO_ASSESS_DAYS,
    FINAL_PLAN_DAYS,
    OPEN_DUE,
    OVER_52_WEEKS_DAYS,
    REASSESSMENT_DAYS,
    REVIEW_DECISION_DAYS,
    RULE_IDS,
    Clock,
    amendment_clocks,
    assessment_clocks,
    next_review_clock,
    phase_transfer_clocks,
    phase_transfer_deadline,
    review_decision_clocks,
    review_due,
    review_history_known,
    sort_reviews,
)
from inspect_app.domain.numbers import display_percentage

EHCP_20WK_EXCL = "ehcp_20wk_excl"
EHCP_20WK_INCL = "ehcp_20wk_incl"
EHCP_OVER_52WK_EXCL = "ehcp_over_52wk_excl"
DECISION_6WK = "decision_6wk"
REQUESTS_RECEIVED = "requests_received"
NEW_PLANS = "new_plans"
ANNUAL_REVIEW_ON_TIME = "annual_review_on_time"
REVIEW_DECISION_4WK = "review_decision_4wk"
DECISION_16WK_NO_PLAN = "decision_16wk_no_plan"
REASSESSMENT_14WK = "reassessment_14wk"
REVIEW_COMPLETED_IN_YEAR = "review_completed_in_year"
AMENDED_PLAN_8WK = "amended_plan_8wk"
PHASE_TRANSFER_ON_TIME = "phase_transfer_on_time"
MEASURE_IDS = (
    EHCP_20WK_EXCL,
    EHCP_20WK_INCL,
    EHCP_OVER_52WK_EXCL,
    DECISION_6WK,
    REQUESTS_RECEIVED,
    NEW_PLANS,
    ANNUAL_REVIEW_ON_TIME,
    REVIEW_DECISION_4WK,
    DECISION_16WK_NO_PLAN,
    REASSESSMENT_14WK,
    REVIEW_COMPLETED_IN_YEAR,
    AMENDED_PLAN_8WK,
    PHASE_TRANSFER_ON_TIME,
)
COUNT_MEASURES = frozenset({REQUESTS_RECEIVED, NEW_PLANS})
# Judged at the end of a period rather than summed over its months (plans expected to be reviewed in a period).
WINDOW_MEASURES = frozenset({REVIEW_COMPLETED_IN_YEAR})

# Bands of weeks from request to final plan, by upper bound (inclusive: "up to 6 weeks" is up to 42 days).
PLAN_WEEK_BANDS = (6, 12, 16, 20, 26, 39, 52)
_PLAN_BAND_DAYS = tuple(weeks * 7 for weeks in PLAN_WEEK_BANDS)
_DECISIONS_MADE = frozenset({"assess", "not_assess"})
_MEETING_DATE = attrgetter("meeting_date")
_ByDay = defaultdict[date, int]
_Pair = tuple[_ByDay, _ByDay]  # [late, in time]


@dataclass(frozen=True, slots=True)
class MeasureValue:
    """One measure for one period: "2024" is a calendar year, "2024-03" the 12 months ending 31 March 2024."""

    measure_id: str
    period: str
    numerator: int
    denominator: int
    value: float | None


@dataclass(frozen=True, slots=True)
class WeeksBand:
    """Plans issued within a band of weeks from request: over `from_weeks`, up to `to_weeks` (None: no limit)."""

    label: str
    from_weeks: int
    to_weeks: int | None
    count: int


@dataclass(frozen=True, slots=True)
class PlanWeeksDistribution:
    """How long new plans issued in a year took, in bands and in DfE's three buckets."""

    year: int
    bands: tuple[WeeksBand, ...]
    within_20_weeks: int  # up to 140 days
    over_20_up_to_52_weeks: int  # 141 to 364 days
    over_52_weeks: int  # more than 364 days
    total: int


@dataclass(frozen=True, slots=True)
class MonthlyVolume:
    """Requests received, decisions made (assess or not) and final plans issued in one month ("2024-01")."""

    month: str
    requests: int
    decisions: int
    plans: int


@dataclass(frozen=True, slots=True)
class _Plan:
    """What the annual-review tallies need of one case's plan."""

    start: date
    ceased: date | None  # by as_of
    history_known: bool


def _pair() -> _Pair:
    return defaultdict(int), defaultdict(int)


class MeasureTally:
    """Counts by day behind every measure, from one pass over the cases and one over the reviews.

    Build it with `tally_measures`; `annual()` and `rolling()` then sum days into periods without another pass,
    so a caller that needs both pays for the pass once. Each fact is counted once, in the bucket it falls in
    (a plan: exception or not, and within 20 weeks / 20 to 52 / over 52), and the numerators and denominators of
    the measures are sums of buckets.
    """

    def __init__(self, as_of: date) -> None:
        self.as_of = as_of
        self.requests: _ByDay = defaultdict(int)  # by request date
        self.new_plans: _ByDay = defaultdict(int)  # by plan start date
        # [late, in time] pairs, each keyed by the date its cohort is defined by
        self.decisions = _pair()  # decision date
        self.no_plans = _pair()  # assessment outcome date
        self.reassessments = _pair()  # plan issue date
        self.review_decisions = _pair()  # review decision date
        self.reviews_due = _pair()  # review due date
        self.amendments = _pair()  # final amended plan date
        self.transfers = _pair()  # last day before the phase-transfer deadline
        # [no exception, exception][within 20 weeks, over 20 up to 52, over 52], by plan issue date
        self.plans: tuple[tuple[_ByDay, ...], ...] = tuple(
            tuple(defaultdict(int) for _band in range(3)) for _exception in range(2)
        )
        # review_completed_in_year, by the month index a 12-month window ends in: (completed, expected); and for the
        # calendar year of as_of, from 1 January to as_of: (completed, expected)
        self.review_windows: tuple[dict[int, int], dict[int, int]] = ({}, {})
        self.review_year_to_date: list[int] = [0, 0]
        self._monthly: dict[str, tuple[dict[int, int], dict[int, int]]] | None = None

    def annual(self) -> list[MeasureValue]:
        """Return every measure for every calendar year from the first with data to the year of `as_of`."""
        monthly = self._by_month()
        months = [month for _numerators, denominators in monthly.values() for month in denominators]
        if not months:
            return []
        return [
            self._year_to_date(str(year))
            if measure_id in WINDOW_MEASURES and year == self.as_of.year and self._year_unfinished
            else _measure_value(measure_id, str(year), monthly[measure_id], range(year * 12, year * 12 + 12))
            for year in range(min(months) // 12, self.as_of.year + 1)
            for measure_id in MEASURE_IDS
        ]

    @property
    def _year_unfinished(self) -> bool:
        return (self.as_of.month, self.as_of.day) != (12, 31)

    def _year_to_date(self, period: str) -> MeasureValue:
        """`review_completed_in_year` for the year of as_of so far: plans started before it and not ceased by
        as_of, completed when a review decision is dated from 1 January to as_of."""
        completed, expected = self.review_year_to_date
        return MeasureValue(
            REVIEW_COMPLETED_IN_YEAR, period, completed, expected, display_percentage(completed, expected)
        )

    def rolling(self, months: int = 24) -> list[MeasureValue]:
        """Return every measure for the 12 months ending at each of the last `months` month-ends by `as_of`."""
        monthly = self._by_month()
        as_of = self.as_of
        last = _month_index(as_of) - (0 if (as_of + timedelta(days=1)).day == 1 else 1)
        return [
            _measure_value(measure_id, _month_label(end), monthly[measure_id], range(end - 11, end + 1))
            for end in range(last - months + 1, last + 1)
            for measure_id in MEASURE_IDS
        ]

    def _by_month(self) -> dict[str, tuple[dict[int, int], dict[int, int]]]:
        """Return (numerators, denominators) by month index for every measure id."""
        if self._monthly is None:
            (within, mid, over), (within_ex, mid_ex, over_ex) = (
                [_sum_by_month(counts) for counts in bands] for bands in self.plans
            )
            no_exception = _add(within, mid, over)
            every_plan = _add(no_exception, within_ex, mid_ex, over_ex)
            requests = _sum_by_month(self.requests)
            new_plans = _sum_by_month(self.new_plans)
            self._monthly = {
                EHCP_20WK_EXCL: (within, no_exception),
                EHCP_20WK_INCL: (_add(within, within_ex), every_plan),
                EHCP_OVER_52WK_EXCL: (over, no_exception),
                DECISION_6WK: _late_and_in_time(self.decisions),
                REQUESTS_RECEIVED: (requests, requests),
                NEW_PLANS: (new_plans, new_plans),
                ANNUAL_REVIEW_ON_TIME: _late_and_in_time(self.reviews_due),
                REVIEW_DECISION_4WK: _late_and_in_time(self.review_decisions),
                DECISION_16WK_NO_PLAN: _late_and_in_time(self.no_plans),
                REASSESSMENT_14WK: _late_and_in_time(self.reassessments),
                REVIEW_COMPLETED_IN_YEAR: self.review_windows,
                AMENDED_PLAN_8WK: _late_and_in_time(self.amendments),
                PHASE_TRANSFER_ON_TIME: _late_and_in_time(self.transfers),
            }
        return self._monthly


def tally_measures(cases: Iterable[Case], reviews: Iterable[Review], as_of: date) -> MeasureTally:
    """Tally every measure as at `as_of` in one pass over the cases and one over the reviews."""
    tally = MeasureTally(as_of)
    plans = _tally_cases(tally, cases, as_of)
    by_case = _tally_reviews(tally, reviews, as_of)
    _tally_annual_reviews(tally, plans, by_case, as_of)
    _tally_review_windows(tally, plans, by_case, as_of)
    return tally


def compute_annual_measures(cases: Iterable[Case], reviews: Iterable[Review], as_of: date) -> list[MeasureValue]:
    """Return every measure for every calendar year from the first with data to the year of `as_of`."""
    return tally_measures(cases, reviews, as_of).annual()


def compute_rolling_measures(
    cases: Iterable[Case], reviews: Iterable[Review], as_of: date, months: int = 24
) -> list[MeasureValue]:
    """Return every measure for the rolling 12 months ending at each of the last `months` month-ends by `as_of`."""
    return tally_measures(cases, reviews, as_of).rolling(months)


def in_20_week_cohort(case: Case) -> bool:
    """Tell whether a case's plan counts in the 20-week measures (the initial cohort, no mediation or tribunal)."""
    return in_initial_cohorts(case) and not _disputed(case)


def plan_weeks_distribution(
    cases: Iterable[Case], year: int, *, include_exceptions: bool = True
) -> PlanWeeksDistribution:
    """Count the plans of the 20-week cohort issued in `year` by weeks from request to issue."""
    counts = [0] * (len(_PLAN_BAND_DAYS) + 1)
    within_20 = over_20 = over_52 = 0
    for case in cases:
        issued = plan_issue_date(case)
        if issued is None or issued.year != year or (case.exception and not include_exceptions):
            continue
        request = case.request_date
        if request is None or not in_20_week_cohort(case):
            continue
        days = (issued - request).days
        counts[bisect_left(_PLAN_BAND_DAYS, days)] += 1
        if days <= FINAL_PLAN_DAYS:
            within_20 += 1
        elif days <= OVER_52_WEEKS_DAYS:
            over_20 += 1
        else:
            over_52 += 1
    return PlanWeeksDistribution(year, _bands(counts), within_20, over_20, over_52, sum(counts))


def monthly_volumes(cases: Iterable[Case], year: int) -> list[MonthlyVolume]:
    """Count initial requests, decisions to assess or not, and new plans (by start date) in each month of `year`."""
    requests, decisions, plans = [0] * 12, [0] * 12, [0] * 12
    for case in cases:
        request = case.request_date
        if request is not None and request.year == year and case.request_type == INITIAL:
            requests[request.month - 1] += 1
        decided = case.decision_date
        if decided is not None and decided.year == year and case.decision in _DECISIONS_MADE:
            if in_initial_cohorts(case):
                decisions[decided.month - 1] += 1
        plan = case.final_plan_date
        if plan is not None and plan.year == year and _is_new_plan(case):
            plans[plan.month - 1] += 1
    return [
        MonthlyVolume(f"{year}-{month + 1:02d}", requests[month], decisions[month], plans[month]) for month in range(12)
    ]


def upcoming_breaches(cases: Iterable[Case], reviews: Iterable[Review], as_of: date, within_days: int) -> list[Clock]:
    """Return the open clocks falling due from `as_of` to `within_days` days later, soonest first.

    Clocks an exception applies to are never listed: their time limit does not apply.
    """
    horizon = as_of + timedelta(days=within_days)
    # A clock still open and due on or after as_of started at most its limit before as_of: skip the rest unbuilt.
    recent_requests = as_of - timedelta(days=FINAL_PLAN_DAYS)
    recent_meetings = as_of - timedelta(days=REVIEW_DECISION_DAYS)
    recent_notices = as_of - timedelta(days=AMENDMENT_DAYS)
    by_case: dict[str, list[Review]] = {}
    clocks: list[Clock] = []
    for review in reviews:
        by_case.setdefault(review.case_ref, []).append(review)
        if review.meeting_date >= recent_meetings:
            clocks.extend(review_decision_clocks([review], as_of))
        notice = review.amendment_notice_date
        if notice is not None and notice >= recent_notices:
            clocks.extend(amendment_clocks([review], as_of))
    for case in cases:
        request = case.request_date
        if request is not None and request >= recent_requests:
            clocks.extend(assessment_clocks(case, as_of))
        elif case.request_type == REASSESSMENT:
            clocks.extend(assessment_clocks(case, as_of))
        if case.final_plan_date is not None:
            review_clock = next_review_clock(case, sort_reviews(by_case.get(case.case_ref, ())), as_of)
            if review_clock is not None:
                clocks.append(review_clock)
            if case.phase_transfer_due_date is not None:
                clocks.extend(phase_transfer_clocks(case, as_of))
    upcoming = [clock for clock in clocks if clock.status == OPEN_DUE and clock.due <= horizon]
    rule_order = {rule_id: index for index, rule_id in enumerate(RULE_IDS)}
    return sorted(upcoming, key=lambda clock: (clock.due, clock.case_ref, rule_order[clock.rule_id], clock.start))


# The tallies below are the hot path (200,000 cases in about a second): they key counts by the date itself (its
# hash is cached) rather than computing a month per row, and bind everything to locals.


def _disputed(case: Case) -> bool:
    return (
        case.request_mediation
        or case.request_tribunal
        or case.assessment_mediation
        or case.assessment_tribunal
        or case.other_mediation
        or case.other_tribunal
    )


def _is_new_plan(case: Case) -> bool:
    """A plan that DfE's new-plans count takes: not a re-assessment's, not transferred in, not historical."""
    return case.request_type == INITIAL and case.transferred_in_from is None and case.assessment_outcome != HISTORICAL


def _tally_cases(tally: MeasureTally, cases: Iterable[Case], as_of: date) -> dict[str, _Plan]:
    """Tally the measures of requests and plans; return the plan of every case whose plan started by as_of."""
    requests, new_plans, transfers = tally.requests, tally.new_plans, tally.transfers
    plans: dict[str, _Plan] = {}
    for case in cases:
        request = case.request_date
        outcome = case.assessment_outcome
        initial = case.request_type == INITIAL
        if request is not None and outcome != HISTORICAL:
            if initial and request <= as_of:
                requests[request] += 1
            if case.moved_out_to is None:
                if initial:
                    _tally_initial(tally, case, request, as_of)
                else:
                    _tally_reassessment(tally, case, as_of)
        start = case.final_plan_date
        if start is None or start > as_of:
            continue
        if initial and case.transferred_in_from is None and outcome != HISTORICAL:
            new_plans[start] += 1
        ceased = case.cease_date
        if ceased is not None and ceased > as_of:
            ceased = None
        plans[case.case_ref] = _Plan(start, ceased, review_history_known(case))
        due = case.phase_transfer_due_date
        if due is not None:
            _tally_transfer(transfers, due, case.phase_transfer_final_date, ceased, as_of)
    return plans


def _issued(case: Case) -> date | None:
    """`cases.plan_issue_date`, inlined for the hot path."""
    issued = case.assessment_outcome_date if case.assessment_outcome == "plan" else None
    return case.final_plan_date if issued is None else issued


def _tally_initial(tally: MeasureTally, case: Case, request: date, as_of: date) -> None:
    """Tally the 6-, 16- and 20-week measures of one case of the initial cohort."""
    decided = case.decision_date
    if decided is not None and decided <= as_of and case.decision in _DECISIONS_MADE:
        tally.decisions[(decided - request).days <= DECIDE_TO_ASSESS_DAYS][decided] += 1
    if case.assessment_outcome == "no_plan":
        told = case.assessment_outcome_date
        if told is not None and told <= as_of and not is_overturned_refusal(case):
            tally.no_plans[(told - request).days <= DECIDE_NOT_TO_ISSUE_DAYS][told] += 1
    issued = _issued(case)
    if issued is not None and issued <= as_of and not _disputed(case):
        days = (issued - request).days
        band = 0 if days <= FINAL_PLAN_DAYS else 1 if days <= OVER_52_WEEKS_DAYS else 2
        tally.plans[case.exception][band][issued] += 1


def _tally_reassessment(tally: MeasureTally, case: Case, as_of: date) -> None:
    """Tally the 14-week measure of one re-assessment (exception cases are left out: the limit does not apply)."""
    issued = _issued(case)
    decided = case.decision_date
    if issued is None or issued > as_of or decided is None or decided > as_of:
        return
    if case.decision != "assess" or case.exception:
        return
    tally.reassessments[(issued - decided).days <= REASSESSMENT_DAYS][issued] += 1


def _tally_transfer(transfers: _Pair, due: date, final: date | None, ceased: date | None, as_of: date) -> None:
    """Count one phase transfer against its deadline, as `clocks.phase_transfer_clocks` times it."""
    late, in_time = transfers
    _rule, last_day = phase_transfer_deadline(due)
    if final is not None and final <= as_of:
        (in_time if final <= last_day else late)[last_day] += 1
    elif last_day < as_of and (ceased is None or ceased > last_day):
        late[last_day] += 1


def _tally_reviews(tally: MeasureTally, reviews: Iterable[Review], as_of: date) -> dict[str, list[Review]]:
    """Tally review decisions and amendments; return the reviews held by as_of grouped by case, in meeting order."""
    late, in_time = tally.review_decisions
    late_amendments, timely_amendments = tally.amendments
    by_case: defaultdict[str, list[Review]] = defaultdict(list)
    for review in reviews:
        meeting = review.meeting_date
        if meeting > as_of:
            continue
        by_case[review.case_ref].append(review)
        decided = review.decision_date
        if decided is not None and decided <= as_of:
            if (decided - meeting).days <= REVIEW_DECISION_DAYS:
                in_time[decided] += 1
            else:
                late[decided] += 1
        amended = review.amended_plan_date
        notice = review.amendment_notice_date
        if amended is not None and notice is not None and amended <= as_of and notice <= as_of:
            if (amended - notice).days <= AMENDMENT_DAYS:
                timely_amendments[amended] += 1
            else:
                late_amendments[amended] += 1
    for own in by_case.values():
        if len(own) > 1:
            own.sort(key=_MEETING_DATE)
    return by_case


def _tally_annual_reviews(
    tally: MeasureTally, plans: dict[str, _Plan], by_case: dict[str, list[Review]], as_of: date
) -> None:
    """Tally review periods by due date, exactly as `clocks.review_periods` defines them (a test holds them equal)."""
    late, on_time = tally.reviews_due
    dues: dict[date, date] = {}  # review_due is the costly step, and a few thousand dates recur

    def due_of(start: date) -> date:
        return dues.get(start) or dues.setdefault(start, review_due(start))

    reviews_of = by_case.get
    for case_ref, plan in plans.items():
        start, judged = _tally_plan_reviews(plan, reviews_of(case_ref) or (), as_of, due_of, late, on_time)
        if start is not None and judged:  # the open period counts, as not on time, once its due date has passed
            due = due_of(start)
            if due < as_of and (plan.ceased is None or due < plan.ceased):
                late[due] += 1


def _tally_plan_reviews(
    plan: _Plan,
    own: Iterable[Review],
    as_of: date,
    due_of: Callable[[date], date],
    late: defaultdict[date, int],
    on_time: defaultdict[date, int],
) -> tuple[date | None, bool]:
    """Tally one plan's closed review periods; return the start of its open period (None: the chain ended) and
    whether that period can be judged (its start is known)."""
    start: date | None = plan.start
    ceased = plan.ceased
    judged = plan.history_known
    previous = None
    for review in own:  # all held by as_of
        meeting = review.meeting_date
        if ceased is not None and meeting > ceased:
            break
        if meeting < plan.start or meeting == previous:
            continue
        if judged:
            assert start is not None  # set to None only when the chain ends (break)
            due = due_of(start)
            if due <= as_of:
                (on_time if meeting <= due else late)[due] += 1
        judged = True
        previous = meeting
        decided = review.decision_date
        if review.outcome == "cease" and (decided is None or decided <= as_of):
            return None, judged
        start = decided if decided is not None and meeting <= decided <= as_of else meeting
    return start, judged


def _tally_review_windows(
    tally: MeasureTally, plans: dict[str, _Plan], by_case: dict[str, list[Review]], as_of: date
) -> None:
    """Tally `review_completed_in_year` for every 12-month window ending at a month-end up to as_of's month.

    A plan is expected in the window ending in month m when it started before the window (month index <= m - 12)
    and had not ceased by its end (cease month > m); completed when a review decision of the plan, made by as_of,
    is dated in the window (months m - 11 to m). Difference arrays over months keep it one pass per plan.
    """
    completed, expected = tally.review_windows
    year_to_date = tally.review_year_to_date
    last = _month_index(as_of)
    january = as_of.year * 12
    expected_change: defaultdict[int, int] = defaultdict(int)
    completed_change: defaultdict[int, int] = defaultdict(int)
    reviews_of = by_case.get
    for case_ref, plan in plans.items():
        decided_months = sorted(
            {
                _month_index(review.decision_date)
                for review in reviews_of(case_ref) or ()
                if review.decision_date is not None and review.decision_date <= as_of
            }
        )
        if plan.ceased is None and _month_index(plan.start) < january:
            year_to_date[1] += 1
            year_to_date[0] += bool(decided_months) and decided_months[-1] >= january
        first = _month_index(plan.start) + 12
        stop = min(last + 1, _month_index(plan.ceased) if plan.ceased is not None else last + 1)
        if first >= stop:
            continue
        expected_change[first] += 1
        expected_change[stop] -= 1
        for low, high in _covered_months(decided_months, first, stop):
            completed_change[low] += 1
            completed_change[high] -= 1
    for changes, counts in ((expected_change, expected), (completed_change, completed)):
        running = 0
        for month in range(min(changes, default=0), max(changes, default=-1) + 1):
            running += changes.get(month, 0)
            if running:
                counts[month] = running


def _measure_value(
    measure_id: str, period: str, monthly: tuple[dict[int, int], dict[int, int]], months: range
) -> MeasureValue:
    numerators, denominators = monthly
    if measure_id in WINDOW_MEASURES:
        end = months[-1]
        numerator, denominator = numerators.get(end, 0), denominators.get(end, 0)
        return MeasureValue(measure_id, period, numerator, denominator, display_percentage(numerator, denominator))
    denominator = sum(denominators.get(month, 0) for month in months)
    if measure_id in COUNT_MEASURES:
        return MeasureValue(measure_id, period, denominator, denominator, denominator)
    numerator = sum(numerators.get(month, 0) for month in months)
    return MeasureValue(measure_id, period, numerator, denominator, display_percentage(numerator, denominator))


def _sum_by_month(by_day: dict[date, int]) -> dict[int, int]:
    by_month: defaultdict[int, int] = defaultdict(int)
    for day, count in by_day.items():
        by_month[day.year * 12 + day.month - 1] += count
    return dict(by_month)


def _add(*counts: dict[int, int]) -> dict[int, int]:
    total: defaultdict[int, int] = defaultdict(int)
    for by_month in counts:
        for month, count in by_month.items():
            total[month] += count
    return dict(total)


def _late_and_in_time(pair: tuple[dict[date, int], dict[date, int]]) -> tuple[dict[int, int], dict[int, int]]:
    late, in_time = (_sum_by_month(counts) for counts in pair)
    return in_time, _add(late, in_time)


def _bands(counts: list[int]) -> tuple[WeeksBand, ...]:
    bands = []
    lower = 0
    for upper, count in zip((*PLAN_WEEK_BANDS, None), counts, strict=True):
        if upper is None:
            label = f"Over {lower} weeks"
        elif lower == 0:
            label = f"Up to {upper} weeks"
        else:
            label = f"Over {lower} and up to {upper} weeks"
        bands.append(WeeksBand(label, lower, upper, count))
        lower = upper or lower
    return tuple(bands)


def _covered_months(decided_months: list[int], first: int, stop: int) -> list[tuple[int, int]]:
    """Windows ending in months m with a decision in m - 11 .. m: the union of [d, d + 12) over the sorted decision
    months d, within [first, stop), as disjoint half-open spans."""
    spans: list[tuple[int, int]] = []
    for month in decided_months:
        low, high = max(month, first), min(month + 12, stop)
        if low >= high:
            continue
        if spans and low <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(spans[-1][1], high))
        else:
            spans.append((low, high))
    return spans


def _month_index(day: date) -> int:
    return day.year * 12 + day.month - 1


def _month_label(index: int) -> str:
    return f"{index // 12}-{index % 12 + 1:02d}"
