"""Statutory clocks of one case: when each step was due, whether it was met, and how late it is.

Day arithmetic (DESIGN.md, framework.md §2): a limit of N weeks runs from the start date and is met when the end
date is on or before `start + 7N days` ("within 20 weeks" means `end - start <= 140 days`). Twelve months means on
or before the same calendar date a year later, and 29 February falls due on 28 February.

Every clock is read *as at* a date, `as_of`: a date later than `as_of` is treated as not having happened yet, so
the same data read as at an earlier date gives the clocks as they stood then (and a mistyped future date cannot
close a clock early; `data_quality` reports it).

Which clocks a case has:

- `decide_to_assess_6w`: request -> decision date, for every request not withdrawn.
- `decide_not_to_issue_16w`: request -> assessment outcome date, when the outcome is a decision not to issue.
- `final_plan_20w`: request -> final plan, when a plan was issued, or while an assessment the council decided to
  carry out has not ended in a decision not to issue. A decision not to assess means no 20-week clock.
- A withdrawn request has none of the three: the request no longer exists, so no limit applies to it.
- The three carry `exception_applies` when the case has a 20-week exception (reg 5(4), 10(4), 13(3)); the clock
  still reports so people can see it, and the `_excl` measures leave the case out.
- `annual_review_12m`: the first review meeting is due within 12 months of the plan's issue; each later one
  within 12 months of the previous review's conclusion, which is the date the council notified its decision after
  that meeting (the review's `decision_date`) or, when no decision date is recorded, the meeting date. A review
  whose outcome is to cease the plan ends the chain. Reviews before the plan's issue date are ignored (they are a
  data-quality finding).
- `review_decision_4w`: review meeting -> decision date, for every review meeting of the case.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from inspect_app.domain.cases import Case, Review

DECIDE_TO_ASSESS_6W = "decide_to_assess_6w"
DECIDE_NOT_TO_ISSUE_16W = "decide_not_to_issue_16w"
FINAL_PLAN_20W = "final_plan_20w"
ANNUAL_REVIEW_12M = "annual_review_12m"
REVIEW_DECISION_4W = "review_decision_4w"
RULE_IDS = (DECIDE_TO_ASSESS_6W, DECIDE_NOT_TO_ISSUE_16W, FINAL_PLAN_20W, ANNUAL_REVIEW_12M, REVIEW_DECISION_4W)

# Limits in days. Weeks are calendar weeks of 7 days.
DECIDE_TO_ASSESS_DAYS = 6 * 7
DECIDE_NOT_TO_ISSUE_DAYS = 16 * 7
FINAL_PLAN_DAYS = 20 * 7
REVIEW_DECISION_DAYS = 4 * 7
OVER_52_WEEKS_DAYS = 52 * 7  # "more than 52 weeks" means more than 364 days

MET = "met"
MISSED = "missed"
OPEN_OVERDUE = "open_overdue"
OPEN_DUE = "open_due"
STATUSES = (MET, MISSED, OPEN_OVERDUE, OPEN_DUE)


@dataclass(frozen=True, slots=True)
class Clock:
    """One statutory clock of one case, as at a date.

    `end` is the date the step happened (None while it has not). `days` is the number of days from `start` to
    `end`, or to the as-at date while the clock is open. `status`: met (end on or before due), missed (end after
    due), open_overdue (no end and the due date has passed), open_due (no end and the due date is today or later).
    """

    rule_id: str
    start: date
    due: date
    end: date | None
    status: str
    days: int
    exception_applies: bool = False
    case_ref: str = ""

    @property
    def is_open(self) -> bool:
        return self.end is None

    @property
    def description(self) -> str:
        """Say how the clock stands: "met", "missed by 12 days", "overdue by 5 days", "due in 9 days"."""
        # `days` counts from start to end (or to the as-at date), so the gap to the due date follows from it.
        beyond_due = self.days - (self.due - self.start).days
        if self.status == MET:
            return "met"
        if self.status == MISSED:
            return f"missed by {_days(beyond_due)}"
        if self.status == OPEN_OVERDUE:
            return f"overdue by {_days(beyond_due)}"
        return "due today" if beyond_due == 0 else f"due in {_days(-beyond_due)}"


def one_year_after(day: date) -> date:
    """Return the same calendar date a year later; 29 February gives 28 February."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # only 29 February has no counterpart
        return date(day.year + 1, 2, 28)


def make_clock(
    rule_id: str,
    start: date,
    due: date,
    end: date | None,
    as_of: date,
    *,
    exception_applies: bool = False,
    case_ref: str = "",
) -> Clock:
    """Build a clock, working out its status and days from the dates."""
    if end is not None:
        status = MET if end <= due else MISSED
        days = (end - start).days
    else:
        status = OPEN_OVERDUE if as_of > due else OPEN_DUE
        days = (as_of - start).days
    return Clock(rule_id, start, due, end, status, days, exception_applies, case_ref)


def case_clocks(case: Case, reviews: Iterable[Review], as_of: date) -> list[Clock]:
    """Return every clock that applies to the case as at `as_of` (reviews of other cases are ignored)."""
    own = [review for review in reviews if review.case_ref == case.case_ref]
    return clocks_for_case(case, sort_reviews(own), as_of)


def clocks_for_case(case: Case, reviews: Sequence[Review], as_of: date) -> list[Clock]:
    """Return the case's clocks, given only its own reviews already sorted by meeting date (see `sort_reviews`)."""
    return (
        assessment_clocks(case, as_of)
        + annual_review_clocks(case, reviews, as_of)
        + review_decision_clocks(reviews, as_of)
    )


def assessment_clocks(case: Case, as_of: date) -> list[Clock]:
    """Return the 6-, 16- and 20-week clocks of a request (none once it is withdrawn)."""
    request = case.request_date
    if request > as_of:
        return []
    decision, decision_date = _as_at(case.decision, case.decision_date, as_of)
    if decision == "withdrawn":
        return []
    outcome, outcome_date = _as_at(case.assessment_outcome, case.assessment_outcome_date, as_of)
    plan_date = known(case.final_plan_date, as_of)

    def clock(rule_id: str, limit_days: int, end: date | None) -> Clock:
        due = request + timedelta(days=limit_days)
        return make_clock(rule_id, request, due, end, as_of, exception_applies=case.exception, case_ref=case.case_ref)

    clocks = [clock(DECIDE_TO_ASSESS_6W, DECIDE_TO_ASSESS_DAYS, decision_date)]
    if outcome == "no_plan":
        clocks.append(clock(DECIDE_NOT_TO_ISSUE_16W, DECIDE_NOT_TO_ISSUE_DAYS, outcome_date))
    if plan_date is not None or (decision == "assess" and outcome != "no_plan"):
        clocks.append(clock(FINAL_PLAN_20W, FINAL_PLAN_DAYS, plan_date))
    return clocks


def annual_review_clocks(case: Case, reviews: Sequence[Review], as_of: date) -> list[Clock]:
    """Return the 12-month review clocks of the case's plan (none before it is issued), the last open unless ceased."""
    plan_date = known(case.final_plan_date, as_of)
    if plan_date is None:
        return []
    return [
        make_clock(ANNUAL_REVIEW_12M, start, due, end, as_of, case_ref=case.case_ref)
        for start, due, end in review_periods(plan_date, reviews, as_of)
    ]


def next_review_clock(case: Case, reviews: Sequence[Review], as_of: date) -> Clock | None:
    """Return the open 12-month review clock of the case's plan (None before issue or after it ceased)."""
    plan_date = known(case.final_plan_date, as_of)
    if plan_date is None:
        return None
    # Only the last period can be open; a deque of one keeps it without building the others' clocks.
    ((start, due, end),) = deque(review_periods(plan_date, reviews, as_of), maxlen=1)
    if end is not None:
        return None
    return make_clock(ANNUAL_REVIEW_12M, start, due, None, as_of, case_ref=case.case_ref)


def review_decision_clocks(reviews: Iterable[Review], as_of: date) -> list[Clock]:
    """Return a 4-week decision clock for every review meeting held by `as_of`."""
    return [
        make_clock(
            REVIEW_DECISION_4W,
            review.meeting_date,
            review.meeting_date + timedelta(days=REVIEW_DECISION_DAYS),
            known(review.decision_date, as_of),
            as_of,
            case_ref=review.case_ref,
        )
        for review in reviews
        if review.meeting_date <= as_of
    ]


def review_periods(plan_date: date, reviews: Sequence[Review], as_of: date) -> Iterator[tuple[date, date, date | None]]:
    """Yield (start, due, end) for each 12-month review period of a plan, oldest first (always at least one).

    `reviews` are the plan's reviews sorted by meeting date. The first period starts at the plan's issue and each
    later one at the previous review's conclusion: its decision date, or its meeting date when the decision date
    is missing, after `as_of` or (impossibly) before the meeting. A period ends at the next review meeting; the
    last one is open (end None) unless a review decided to cease the plan. Meetings before the plan's issue or
    after `as_of` are skipped, and so is a second meeting on the same day (a duplicate row).
    """
    start = plan_date
    previous_meeting: date | None = None
    for review in reviews:
        meeting = review.meeting_date
        if meeting > as_of:
            break
        if meeting < plan_date or meeting == previous_meeting:
            continue
        yield start, one_year_after(start), meeting
        previous_meeting = meeting
        decided = review.decision_date
        if decided is not None and (decided > as_of or decided < meeting):
            decided = None  # not yet notified as at as_of, or impossible: fall back to the meeting
        if review.outcome == "cease" and (review.decision_date is None or review.decision_date <= as_of):
            return
        start = decided or meeting
    yield start, one_year_after(start), None


def sort_reviews(reviews: Iterable[Review]) -> list[Review]:
    """Return reviews in meeting-date order (the order `review_periods` needs)."""
    return sorted(reviews, key=_meeting_date)


def known(day: date | None, as_of: date) -> date | None:
    """Return the date if it had happened by `as_of`, else None."""
    return day if day is not None and day <= as_of else None


def _as_at(value: str | None, day: date | None, as_of: date) -> tuple[str | None, date | None]:
    # A decision dated after as_of had not been made yet; an undated one is taken as made (date unknown).
    if day is not None and day > as_of:
        return None, None
    return value, day


def _meeting_date(review: Review) -> date:
    return review.meeting_date


def _days(count: int) -> str:
    return "1 day" if count == 1 else f"{count} days"
