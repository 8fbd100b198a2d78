"""Local timeliness measures over many cases: calendar years, rolling 12 months, distributions and volumes.

Every measure id in DESIGN.md "Measure ids" is computed with the cohort DESIGN.md states, as at a date `as_of`
(dates after it are treated as not having happened yet, as in `clocks`):

- `requests_received`: cases whose request date falls in the period.
- `decision_6wk`: cases whose request date falls in the period and that have a decision to assess or not to
  assess with a date; met when `decision_date - request_date <= 42 days`.
- `new_plans`, `ehcp_20wk_incl`: cases whose final plan date falls in the period; within 20 weeks when
  `final_plan_date - request_date <= 140 days`. `ehcp_20wk_excl` and `ehcp_over_52wk_excl` leave out cases with
  an exception; over 52 weeks means more than 364 days.
- `annual_review_on_time`: the review periods of `clocks.review_periods` (plan issue -> first review meeting,
  then each review's conclusion -> the next meeting) whose due date falls in the period *and* on or before
  `as_of`. On time when the meeting that ends the period was held on or before the due date. A due date that
  passed (before `as_of`) with no meeting counts as not on time; one falling due on `as_of` itself with no meeting
  yet is left out until the day has passed. A plan that stays unreviewed counts once, in the period its review
  fell due, not again on later anniversaries (the case data holds no cease date, so repeating would count plans
  that quietly ended for ever).
- `review_decision_4wk`: review meetings held in the period (by `as_of`) that either have a decision by `as_of`
  or whose 4 weeks have passed (`as_of > meeting + 28 days`); met when `decision_date - meeting_date <= 28 days`.
  Every review row counts, whether or not its plan is in the case data: the rule needs only its own two dates.

Counts (`requests_received`, `new_plans`) carry the count as numerator, denominator and value, so "denominator
0" means "no data" for every measure. Percentages keep numerator and denominator and are rounded half up to one
decimal only in `value` (None when the denominator is 0).

Records with impossible dates are counted by these cohorts like any other (a plan dated before its request is
"within 20 weeks"); `data_quality` reports them so they can be corrected.

Speed: one pass over the cases and one over the reviews tally every measure by day (`MeasureTally`); a year or
a rolling 12 months is then a sum of months, never a rescan of the cases.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from operator import attrgetter

from inspect_app.domain.cases import Case, Review
from inspect_app.domain.clocks import (
    DECIDE_TO_ASSESS_DAYS,
    FINAL_PLAN_DAYS,
    OPEN_DUE,
    OVER_52_WEEKS_DAYS,
    REVIEW_DECISION_DAYS,
    RULE_IDS,
    Clock,
    assessment_clocks,
    next_review_clock,
    one_year_after,
    review_decision_clocks,
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
MEASURE_IDS = (
    EHCP_20WK_EXCL,
    EHCP_20WK_INCL,
    EHCP_OVER_52WK_EXCL,
    DECISION_6WK,
    REQUESTS_RECEIVED,
    NEW_PLANS,
    ANNUAL_REVIEW_ON_TIME,
    REVIEW_DECISION_4WK,
)
COUNT_MEASURES = frozenset({REQUESTS_RECEIVED, NEW_PLANS})

# Bands of weeks from request to final plan, by upper bound (inclusive: "up to 6 weeks" is up to 42 days).
PLAN_WEEK_BANDS = (6, 12, 16, 20, 26, 39, 52)
_PLAN_BAND_DAYS = tuple(weeks * 7 for weeks in PLAN_WEEK_BANDS)
_DECISIONS_MADE = frozenset({"assess", "not_assess"})
_MEETING_DATE = attrgetter("meeting_date")
_ByDay = defaultdict[date, int]


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
        # [late, in time]: decisions by request date, review decisions by meeting date, reviews by due date
        self.decisions: tuple[_ByDay, _ByDay] = (defaultdict(int), defaultdict(int))
        self.review_decisions: tuple[_ByDay, _ByDay] = (defaultdict(int), defaultdict(int))
        self.reviews_due: tuple[_ByDay, _ByDay] = (defaultdict(int), defaultdict(int))
        # [no exception, exception][within 20 weeks, over 20 up to 52, over 52], by final plan date
        self.plans: tuple[tuple[_ByDay, ...], ...] = tuple(
            tuple(defaultdict(int) for _band in range(3)) for _exception in range(2)
        )
        self._monthly: dict[str, tuple[dict[int, int], dict[int, int]]] | None = None

    def annual(self) -> list[MeasureValue]:
        """Return every measure for every calendar year from the first with data to the year of `as_of`."""
        monthly = self._by_month()
        months = [month for _numerators, denominators in monthly.values() for month in denominators]
        if not months:
            return []
        return [
            _measure_value(measure_id, str(year), monthly[measure_id], range(year * 12, year * 12 + 12))
            for year in range(min(months) // 12, self.as_of.year + 1)
            for measure_id in MEASURE_IDS
        ]

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
            self._monthly = {
                EHCP_20WK_EXCL: (within, no_exception),
                EHCP_20WK_INCL: (_add(within, within_ex), every_plan),
                EHCP_OVER_52WK_EXCL: (over, no_exception),
                DECISION_6WK: _late_and_in_time(self.decisions),
                REQUESTS_RECEIVED: (requests, requests),
                NEW_PLANS: (every_plan, every_plan),
                ANNUAL_REVIEW_ON_TIME: _late_and_in_time(self.reviews_due),
                REVIEW_DECISION_4WK: _late_and_in_time(self.review_decisions),
            }
        return self._monthly


def tally_measures(cases: Iterable[Case], reviews: Iterable[Review], as_of: date) -> MeasureTally:
    """Tally every measure as at `as_of` in one pass over the cases and one over the reviews."""
    tally = MeasureTally(as_of)
    plans = _tally_cases(tally, cases, as_of)
    by_case = _tally_review_decisions(tally, reviews, as_of)
    _tally_annual_reviews(tally, plans, by_case, as_of)
    return tally


def compute_annual_measures(cases: Iterable[Case], reviews: Iterable[Review], as_of: date) -> list[MeasureValue]:
    """Return every measure for every calendar year from the first with data to the year of `as_of`."""
    return tally_measures(cases, reviews, as_of).annual()


def compute_rolling_measures(
    cases: Iterable[Case], reviews: Iterable[Review], as_of: date, months: int = 24
) -> list[MeasureValue]:
    """Return every measure for the rolling 12 months ending at each of the last `months` month-ends by `as_of`."""
    return tally_measures(cases, reviews, as_of).rolling(months)


def plan_weeks_distribution(
    cases: Iterable[Case], year: int, *, include_exceptions: bool = True
) -> PlanWeeksDistribution:
    """Count the new plans issued in `year` by weeks from request to issue."""
    counts = [0] * (len(_PLAN_BAND_DAYS) + 1)
    within_20 = over_20 = over_52 = 0
    for case in cases:
        plan = case.final_plan_date
        if plan is None or plan.year != year or (case.exception and not include_exceptions):
            continue
        days = (plan - case.request_date).days
        counts[bisect_left(_PLAN_BAND_DAYS, days)] += 1
        if days <= FINAL_PLAN_DAYS:
            within_20 += 1
        elif days <= OVER_52_WEEKS_DAYS:
            over_20 += 1
        else:
            over_52 += 1
    return PlanWeeksDistribution(year, _bands(counts), within_20, over_20, over_52, sum(counts))


def monthly_volumes(cases: Iterable[Case], year: int) -> list[MonthlyVolume]:
    """Count requests, decisions to assess or not, and final plans in each month of `year`."""
    requests, decisions, plans = [0] * 12, [0] * 12, [0] * 12
    for case in cases:
        if case.request_date.year == year:
            requests[case.request_date.month - 1] += 1
        decided = case.decision_date
        if decided is not None and decided.year == year and case.decision in _DECISIONS_MADE:
            decisions[decided.month - 1] += 1
        plan = case.final_plan_date
        if plan is not None and plan.year == year:
            plans[plan.month - 1] += 1
    return [
        MonthlyVolume(f"{year}-{month + 1:02d}", requests[month], decisions[month], plans[month]) for month in range(12)
    ]


def upcoming_breaches(cases: Iterable[Case], reviews: Iterable[Review], as_of: date, within_days: int) -> list[Clock]:
    """Return the open clocks falling due from `as_of` to `within_days` days later, soonest first."""
    horizon = as_of + timedelta(days=within_days)
    # A clock still open and due on or after as_of started at most its limit before as_of: skip the rest unbuilt.
    recent_requests = as_of - timedelta(days=FINAL_PLAN_DAYS)
    recent_meetings = as_of - timedelta(days=REVIEW_DECISION_DAYS)
    by_case: dict[str, list[Review]] = {}
    clocks: list[Clock] = []
    for review in reviews:
        by_case.setdefault(review.case_ref, []).append(review)
        if review.meeting_date >= recent_meetings:
            clocks.extend(review_decision_clocks([review], as_of))
    for case in cases:
        if case.request_date >= recent_requests:
            clocks.extend(assessment_clocks(case, as_of))
        if case.final_plan_date is not None:
            review = next_review_clock(case, sort_reviews(by_case.get(case.case_ref, ())), as_of)
            if review is not None:
                clocks.append(review)
    upcoming = [clock for clock in clocks if clock.status == OPEN_DUE and clock.due <= horizon]
    rule_order = {rule_id: index for index, rule_id in enumerate(RULE_IDS)}
    return sorted(upcoming, key=lambda clock: (clock.due, clock.case_ref, rule_order[clock.rule_id], clock.start))


# The three tallies below are the hot path (200,000 cases in well under a second): they key counts by the date
# itself (its hash is cached) rather than computing a month per row, and bind everything to locals.


def _tally_cases(tally: MeasureTally, cases: Iterable[Case], as_of: date) -> dict[str, date]:
    """Tally requests, decisions and plans; return the plan date of every case with a plan issued by as_of."""
    requests, decisions, plan_counts = tally.requests, tally.decisions, tally.plans
    decisions_made = _DECISIONS_MADE
    plans: dict[str, date] = {}
    for case in cases:
        request = case.request_date
        if request <= as_of:
            requests[request] += 1
            decided = case.decision_date
            if decided is not None and decided <= as_of and case.decision in decisions_made:
                decisions[(decided - request).days <= DECIDE_TO_ASSESS_DAYS][request] += 1
        plan = case.final_plan_date
        if plan is not None and plan <= as_of:
            plans[case.case_ref] = plan
            days = (plan - request).days
            band = 0 if days <= FINAL_PLAN_DAYS else 1 if days <= OVER_52_WEEKS_DAYS else 2
            plan_counts[case.exception][band][plan] += 1
    return plans


def _tally_review_decisions(tally: MeasureTally, reviews: Iterable[Review], as_of: date) -> dict[str, list[Review]]:
    """Tally the 4-week review decisions; return the reviews held by as_of grouped by case, in meeting order."""
    late, in_time = tally.review_decisions
    by_case: defaultdict[str, list[Review]] = defaultdict(list)
    for review in reviews:
        meeting = review.meeting_date
        if meeting > as_of:
            continue
        by_case[review.case_ref].append(review)
        decided = review.decision_date
        if decided is not None and decided <= as_of:
            if (decided - meeting).days <= REVIEW_DECISION_DAYS:
                in_time[meeting] += 1
            else:
                late[meeting] += 1
        elif (as_of - meeting).days > REVIEW_DECISION_DAYS:
            late[meeting] += 1
    for own in by_case.values():
        if len(own) > 1:
            own.sort(key=_MEETING_DATE)
    return by_case


def _tally_annual_reviews(
    tally: MeasureTally, plans: dict[str, date], by_case: dict[str, list[Review]], as_of: date
) -> None:
    """Tally review periods by due date, exactly as `clocks.review_periods` defines them (a test holds them equal)."""
    late, on_time = tally.reviews_due
    anniversaries: dict[date, date] = {}  # one_year_after is the costly step, and a few thousand dates recur
    reviews_of = by_case.get
    for case_ref, plan in plans.items():
        start: date | None = plan
        own = reviews_of(case_ref)
        if own is not None:
            previous = None
            for review in own:  # all held by as_of
                meeting = review.meeting_date
                if meeting < plan or meeting == previous:
                    continue
                due = anniversaries.get(start) or anniversaries.setdefault(start, one_year_after(start))
                if due <= as_of:
                    (on_time if meeting <= due else late)[due] += 1
                previous = meeting
                decided = review.decision_date
                if review.outcome == "cease" and (decided is None or decided <= as_of):
                    start = None
                    break
                start = decided if decided is not None and meeting <= decided <= as_of else meeting
        if start is not None:  # the open period counts, as not on time, once its due date has passed
            due = anniversaries.get(start) or anniversaries.setdefault(start, one_year_after(start))
            if due < as_of:
                late[due] += 1


def _measure_value(
    measure_id: str, period: str, monthly: tuple[dict[int, int], dict[int, int]], months: range
) -> MeasureValue:
    numerators, denominators = monthly
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


def _month_index(day: date) -> int:
    return day.year * 12 + day.month - 1


def _month_label(index: int) -> str:
    return f"{index // 12}-{index % 12 + 1:02d}"
