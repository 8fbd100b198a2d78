"""Statutory clocks of one case: when each step was due, whether it was met, and how late it is.

Day arithmetic (DESIGN.md, framework.md §2): a limit of N weeks runs from the start date and is met when the end
date is on or before `start + 7N days` ("within 20 weeks" means `end - start <= 140 days`). The annual review is
due within "the period of 12 months starting with" the plan's (or last review's) date (Children and Families Act
2014 s.44): the last day is the day before the anniversary, so a period starting on 29 February 2024 ends on 28
February 2025 and one starting on 15 June 2023 ends on 14 June 2024. A phase transfer's amended plan must be final
*before* 15 February of the year of transfer, or before 31 March for a move from secondary school to post-16
(SEND Regulations 2014 reg 18(1)): the last day is 14 February or 30 March.

Every clock is read *as at* a date, `as_of`: a date later than `as_of` is treated as not having happened yet, so
the same data read as at an earlier date gives the clocks as they stood then (and a mistyped future date cannot
close a clock early; `data_quality` reports it).

Which clocks a case has:

- `decide_to_assess_6w` (reg 5(1)): request -> decision date, for every initial request not withdrawn (and not
  decided before the data's period: SEN2 H, whose date is not in the return).
- `decide_not_to_issue_16w` (reg 10): request -> assessment outcome date, when the outcome is not to issue.
- `final_plan_20w` (reg 13(2)): request -> the plan's issue date (`cases.plan_issue_date`), when a plan was
  issued, or while an assessment the council decided to carry out has not ended otherwise.
- `reassessment_14w` (reg 27(2)): for a re-assessment, the decision to re-assess -> the plan; a re-assessment has
  none of the three clocks of an initial request.
- No clock at all for a withdrawn request, for a historical case (its request pre-dates the data), or for a child
  who moved out of the area before the plan: the time limits no longer run (DESIGN.md). An assessment withdrawn
  before a decision stops the 16- and 20-week clocks. A refusal overturned at mediation or tribunal keeps its
  6-week clock (the refusal) but has no 16- or 20-week clock from the request: the time then runs from the
  tribunal's order or the council's agreement (reg 44, not computed here).
- An exception (reg 10(4), 13(3), 27(3); SEN2 `week20`) means the time limit does not apply to the 16-, 20- and
  14-week clocks: a clock that was not met has status `exception` ("exception: as soon as practicable"), never
  "missed" or "overdue", and is in no list of upcoming breaches. The 6-week decision is not excused by it: SEN2's
  flag is an exception to the 20-week limit, and DfE counts every 6-week decision.
- `annual_review_12m` (CFA 2014 s.44): the first review meeting within 12 months starting with the plan's start
  date; each later one within 12 months starting with the previous review's conclusion, the date the council
  notified its decision after that meeting (or, when none is recorded, the meeting date). A review deciding to
  cease the plan ends the chain, and so does the plan's cease date: a period falling due after the plan ceased is
  no longer owed, and one overdue when it ceased stays overdue as at the cease date. Reviews before the plan's
  start are ignored (a data-quality finding). For a plan whose history is not in the data (historical or
  transferred in) the chain starts at the first review the data holds, and without one there is no clock.
- `review_decision_4w` (reg 20(10)): review meeting -> decision date, for every review meeting.
- `amend_final_8w` (reg 22): the notice of proposed amendments -> the final amended plan, for a review that
  records the notice.
- `phase_transfer_15feb` / `phase_transfer_31mar` (reg 18(1)): from the phase-transfer due date to the final
  amended plan; a due date after 15 February is taken as a move from secondary school to post-16 (31 March).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from inspect_app.domain.cases import (
    HISTORICAL,
    REASSESSMENT,
    Case,
    Review,
    is_historical,
    is_overturned_refusal,
    plan_issue_date,
)

DECIDE_TO_ASSESS_6W = "decide_to_assess_6w"
DECIDE_NOT_TO_ISSUE_16W = "decide_not_to_issue_16w"
FINAL_PLAN_20W = "final_plan_20w"
REASSESSMENT_14W = "reassessment_14w"
ANNUAL_REVIEW_12M = "annual_review_12m"
REVIEW_DECISION_4W = "review_decision_4w"
AMEND_FINAL_8W = "amend_final_8w"
PHASE_TRANSFER_15FEB = "phase_transfer_15feb"
PHASE_TRANSFER_31MAR = "phase_transfer_31mar"
RULE_IDS = (
    DECIDE_TO_ASSESS_6W,
    DECIDE_NOT_TO_ISSUE_16W,
    FINAL_PLAN_20W,
    REASSESSMENT_14W,
    ANNUAL_REVIEW_12M,
    REVIEW_DECISION_4W,
    AMEND_FINAL_8W,
    PHASE_TRANSFER_15FEB,
    PHASE_TRANSFER_31MAR,
)

# Limits in days. Weeks are calendar weeks of 7 days.
DECIDE_TO_ASSESS_DAYS = 6 * 7
DECIDE_NOT_TO_ISSUE_DAYS = 16 * 7
FINAL_PLAN_DAYS = 20 * 7
REASSESSMENT_DAYS = 14 * 7
REVIEW_DECISION_DAYS = 4 * 7
AMENDMENT_DAYS = 8 * 7
OVER_52_WEEKS_DAYS = 52 * 7  # "more than 52 weeks" means more than 364 days
SCHOOL_TRANSFER_DEADLINE = (2, 15)  # (month, day) the final plan must come before
POST16_TRANSFER_DEADLINE = (3, 31)

MET = "met"
MISSED = "missed"
OPEN_OVERDUE = "open_overdue"
OPEN_DUE = "open_due"
EXCEPTION = "exception"  # an exception applies and the limit was not met: the time limit does not apply
STATUSES = (MET, MISSED, OPEN_OVERDUE, OPEN_DUE, EXCEPTION)
EXCEPTION_WORDS = "exception: as soon as practicable"


@dataclass(frozen=True, slots=True)
class Clock:
    """One statutory clock of one case, as at a date.

    `end` is the date the step happened (None while it has not). `days` is the number of days from `start` to
    `end`, or to the as-at date while the clock is open. `status`: met (end on or before due), missed (end after
    due), open_overdue (no end and the due date has passed), open_due (no end and the due date is today or later),
    exception (an exception applies and the clock was not met: the time limit does not apply).
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
        if self.status == EXCEPTION:
            return EXCEPTION_WORDS
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


def review_due(start: date) -> date:
    """Return the last day of the 12 months starting with `start`: the day before its anniversary (s.44).

    The anniversary of 29 February is 1 March in a year without one, so 29 February 2024 gives 28 February 2025.
    """
    try:
        anniversary = start.replace(year=start.year + 1)
    except ValueError:
        anniversary = date(start.year + 1, 3, 1)
    return anniversary - timedelta(days=1)


def phase_transfer_deadline(due: date) -> tuple[str, date]:
    """Return the rule and the last allowed day for the final plan of a phase transfer recorded as due on `due`.

    The transfer year is the due date's year; a due date after 15 February is read as a move from secondary
    school to post-16 (reference §A8.8: DfE records the due date, not the kind of move). The plan must be final
    *before* the deadline, so the last day is the day before it.
    """
    month, day = SCHOOL_TRANSFER_DEADLINE
    if due <= date(due.year, month, day):
        return PHASE_TRANSFER_15FEB, date(due.year, month, day) - timedelta(days=1)
    month, day = POST16_TRANSFER_DEADLINE
    return PHASE_TRANSFER_31MAR, date(due.year, month, day) - timedelta(days=1)


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
        status = MET if end <= due else EXCEPTION if exception_applies else MISSED
        days = (end - start).days
    else:
        status = EXCEPTION if exception_applies else OPEN_OVERDUE if as_of > due else OPEN_DUE
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
        + amendment_clocks(reviews, as_of)
        + phase_transfer_clocks(case, as_of)
    )


def assessment_clocks(case: Case, as_of: date) -> list[Clock]:
    """Return the 6-, 16- and 20-week clocks of an initial request, or the 14-week clock of a re-assessment."""
    request = case.request_date
    if request is None or request > as_of or is_historical(case) or case.moved_out_to is not None:
        return []
    decision, decision_date = _as_at(case.decision, case.decision_date, as_of)
    if decision == "withdrawn":
        return []
    if case.request_type == REASSESSMENT:
        return reassessment_clocks(case, as_of)
    outcome, outcome_date = _as_at(case.assessment_outcome, case.assessment_outcome_date, as_of)
    plan_date = known(plan_issue_date(case), as_of)

    def clock(rule_id: str, limit_days: int, end: date | None, exception: bool) -> Clock:
        due = request + timedelta(days=limit_days)
        return make_clock(rule_id, request, due, end, as_of, exception_applies=exception, case_ref=case.case_ref)

    # A decision to assess made before the data's period (SEN2 H) has no date to time: no 6-week clock.
    clocks = [] if decision == HISTORICAL else [clock(DECIDE_TO_ASSESS_6W, DECIDE_TO_ASSESS_DAYS, decision_date, False)]
    if is_overturned_refusal(case) or outcome == "withdrawn":
        return clocks
    if outcome == "no_plan":
        clocks.append(clock(DECIDE_NOT_TO_ISSUE_16W, DECIDE_NOT_TO_ISSUE_DAYS, outcome_date, case.exception))
    elif plan_date is not None or decision in ("assess", HISTORICAL):
        clocks.append(clock(FINAL_PLAN_20W, FINAL_PLAN_DAYS, plan_date, case.exception))
    return clocks


def reassessment_clocks(case: Case, as_of: date) -> list[Clock]:
    """Return the 14-week clock of a re-assessment: from the decision to re-assess to the plan (reg 27(2))."""
    decision, started = _as_at(case.decision, case.decision_date, as_of)
    outcome, outcome_date = _as_at(case.assessment_outcome, case.assessment_outcome_date, as_of)
    if decision != "assess" or started is None or outcome == "withdrawn":
        return []
    end = outcome_date if outcome == "no_plan" else known(plan_issue_date(case), as_of)
    due = started + timedelta(days=REASSESSMENT_DAYS)
    return [
        make_clock(REASSESSMENT_14W, started, due, end, as_of, exception_applies=case.exception, case_ref=case.case_ref)
    ]


def annual_review_clocks(case: Case, reviews: Sequence[Review], as_of: date) -> list[Clock]:
    """Return the 12-month review clocks of the case's plan (none before it starts), the last open unless ended."""
    plan_date = known(case.final_plan_date, as_of)
    if plan_date is None:
        return []
    ceased = known(case.cease_date, as_of)
    clock_as_of = as_of if ceased is None else min(as_of, ceased)  # an unheld review stays overdue at cessation
    return [
        make_clock(ANNUAL_REVIEW_12M, start, due, end, clock_as_of, case_ref=case.case_ref)
        for start, due, end in review_periods(
            plan_date, reviews, as_of, ceased=ceased, history_known=review_history_known(case)
        )
    ]


def next_review_clock(case: Case, reviews: Sequence[Review], as_of: date) -> Clock | None:
    """Return the open 12-month review clock of the case's plan (None before it starts, or once it ended)."""
    plan_date = known(case.final_plan_date, as_of)
    if plan_date is None or known(case.cease_date, as_of) is not None:
        return None
    # Only the last period can be open; a deque of one keeps it without building the others' clocks.
    last = deque(review_periods(plan_date, reviews, as_of, history_known=review_history_known(case)), maxlen=1)
    if not last:
        return None
    ((start, due, end),) = last
    if end is not None:
        return None
    return make_clock(ANNUAL_REVIEW_12M, start, due, None, as_of, case_ref=case.case_ref)


def review_history_known(case: Case) -> bool:
    """Tell whether the data can hold every review since the plan started (not for historical or transferred-in
    plans, whose earlier reviews happened before the data's period or in another council)."""
    return not is_historical(case) and case.transferred_in_from is None


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


def amendment_clocks(reviews: Iterable[Review], as_of: date) -> list[Clock]:
    """Return an 8-week clock from each notice of proposed amendments sent by `as_of` to the final amended plan."""
    clocks = []
    for review in reviews:
        notice = known(review.amendment_notice_date, as_of)
        if notice is None:
            continue
        due = notice + timedelta(days=AMENDMENT_DAYS)
        end = known(review.amended_plan_date, as_of)
        clocks.append(make_clock(AMEND_FINAL_8W, notice, due, end, as_of, case_ref=review.case_ref))
    return clocks


def phase_transfer_clocks(case: Case, as_of: date) -> list[Clock]:
    """Return the phase-transfer clock of the case's plan: its final amended plan against the reg 18(1) deadline.

    None when no transfer is recorded, or when the plan ceased before the deadline without a final plan.
    """
    due_date = case.phase_transfer_due_date
    if due_date is None or known(case.final_plan_date, as_of) is None:
        return []
    rule_id, last_day = phase_transfer_deadline(due_date)
    final = known(case.phase_transfer_final_date, as_of)
    ceased = known(case.cease_date, as_of)
    if final is None and ceased is not None and ceased <= last_day:
        return []
    return [make_clock(rule_id, due_date, last_day, final, as_of, case_ref=case.case_ref)]


def review_periods(
    plan_date: date,
    reviews: Sequence[Review],
    as_of: date,
    *,
    ceased: date | None = None,
    history_known: bool = True,
) -> Iterator[tuple[date, date, date | None]]:
    """Yield (start, due, end) for each 12-month review period of a plan, oldest first.

    `reviews` are the plan's reviews sorted by meeting date. The first period starts at the plan's start and each
    later one at the previous review's conclusion: its decision date, or its meeting date when the decision date
    is missing, after `as_of` or (impossibly) before the meeting. A period ends at the next review meeting; the
    last one is open (end None) unless a review decided to cease the plan. Meetings before the plan's start or
    after `as_of` are skipped, and so is a second meeting on the same day (a duplicate row).

    `ceased` (the plan's cease date, by `as_of`): meetings after it are ignored, and the open period is yielded
    only if it fell due before the plan ceased. Without `history_known`, the period ending at the first review the
    data holds is not yielded (its start is unknown), and nothing at all when the data holds no review.
    """
    start = plan_date
    previous_meeting: date | None = None
    judged = history_known
    for review in reviews:
        meeting = review.meeting_date
        if meeting > as_of or (ceased is not None and meeting > ceased):
            break
        if meeting < plan_date or meeting == previous_meeting:
            continue
        if judged:
            yield start, review_due(start), meeting
        judged = True
        previous_meeting = meeting
        decided = review.decision_date
        if decided is not None and (decided > as_of or decided < meeting):
            decided = None  # not yet notified as at as_of, or impossible: fall back to the meeting
        if review.outcome == "cease" and (review.decision_date is None or review.decision_date <= as_of):
            return
        start = decided or meeting
    if not judged:
        return
    due = review_due(start)
    if ceased is None or due < ceased:
        yield start, due, None


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
