"""Synthetic EHC needs assessment cases and annual reviews, deterministic for a seed (the demo and the benchmarks).

The shapes are roughly those councils see: requests rising a few per cent a year, most decided in 3 to 10 weeks,
about three in four assessed, a few withdrawn, plans issued from about 12 weeks to over a year after the request
(around half within 20 weeks, a little below England's 46 to 50 per cent excluding exceptions), one in twelve
assessments ending without a plan, a few 20-week exceptions. Reviews of each plan fall around its anniversary,
most on time, and most decisions follow within 4 weeks. No event is dated after `as_of`: a case still open on
that day has no later dates. Every value is made up; nothing identifies anyone.

`generate_cases` gives dicts with exactly the fields of `domain.cases.Case` (so `Case(**row)` works);
`generate_reviews` the fields of `Review`; `add_data_quality_problems` spoils a few records the way case systems
do, in ways an import accepts and the data-quality page reports; `case_file`/`review_file` write them as the CSV a
case system exports (the same columns as DESIGN.md's case and review files).
"""

from __future__ import annotations

import csv
import io
import random
from collections.abc import Iterable, Sequence
from datetime import date, timedelta

COLUMNS = (
    "case_ref",
    "request_date",
    "decision_date",
    "decision",
    "assessment_outcome",
    "assessment_outcome_date",
    "final_plan_date",
    "exception",
    "exception_reason",
    "primary_need",
    "age_at_request",
    "setting",
)
REVIEW_COLUMNS = ("case_ref", "meeting_date", "decision_date", "outcome")
DATE_COLUMNS = ("request_date", "decision_date", "assessment_outcome_date", "final_plan_date")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
DATE_FORMATS = {  # written by hand, not strftime, so that no locale changes a month name
    "uk": lambda d: f"{d.day:02d}/{d.month:02d}/{d.year}",  # 31/12/2024, as most case systems export
    "iso": lambda d: d.isoformat(),
    "blade": lambda d: f"{d.year}-{_MONTHS[d.month - 1]}-{d.day:02d} 00:00:00",  # DfE SEN2 Blade export
}
# Roughly the national mix of primary needs among new plans (ASD, SEMH and SLCN lead).
NEEDS = (
    ("ASD", 30),
    ("SEMH", 18),
    ("SLCN", 20),
    ("MLD", 7),
    ("SPLD", 4),
    ("SLD", 4),
    ("PMLD", 2),
    ("PD", 4),
    ("HI", 2),
    ("VI", 1),
    ("MSI", 1),
    ("DS", 1),
    ("OTH", 6),
)
# Regulation 13(3) of the SEND Regulations 2014: when the 20-week limit does not apply.
EXCEPTION_REASONS = (
    "School or college closed for at least 4 weeks",
    "Exceptional personal circumstances of the child or parent",
    "Child or parent absent from the area for at least 4 weeks",
    "Child or young person did not attend an appointment",
)
SETTINGS = tuple(
    f"{place} {kind}"
    for place in ("Oakfield", "Riverside", "St Anne’s", "Hillview", "Brookmead", "Castle Vale", "Ashgrove", "Linden")
    for kind in ("Primary School", "Academy", "Nursery", "College", "Special School")
)
YEARLY_GROWTH = 1.07  # requests for assessment have risen by several per cent a year nationally
LONG_DELAY = 0.04  # share of assessments held up for months (advice, tribunal, a move): plans after a year
REVIEW_OUTCOMES = (("maintain", 55), ("amend", 40), ("cease", 5))
PROBLEM_SHARE = 0.004  # records spoiled by add_data_quality_problems


def generate_cases(
    n: int, seed: int, start_year: int, end_year: int, *, as_of: date | None = None
) -> list[dict[str, object]]:
    """Return `n` synthetic cases requested from 1 January `start_year` to 31 December `end_year` (or `as_of`,
    if earlier), oldest first, each year's volume a little above the last."""
    if end_year < start_year:
        raise ValueError("end_year must not be before start_year")
    rng = random.Random(seed)
    first = date(start_year, 1, 1)
    last = min(date(end_year, 12, 31), as_of or date(end_year, 12, 31))
    as_of = as_of or date(end_year, 12, 31)
    if last < first:
        raise ValueError("as_of must not be before the start year")
    # Each day's weight grows through the years, so a part year gets its share of a growing volume.
    years = range(first.year, last.year + 1)
    spans = [((min(last, date(year, 12, 31)) - max(first, date(year, 1, 1))).days + 1) for year in years]
    weights = [span * YEARLY_GROWTH**index for index, span in enumerate(spans)]
    chosen = sorted(rng.choices(range(len(spans)), weights=weights, k=n))
    starts = [max(first, date(year, 1, 1)) for year in years]
    days = sorted(starts[index] + timedelta(days=rng.randrange(spans[index])) for index in chosen)
    needs, needs_weights = zip(*NEEDS, strict=True)
    return [
        _case(rng, f"EHC{number:07d}", request, as_of, needs, needs_weights)
        for number, request in enumerate(days, start=1)
    ]


def _case(
    rng: random.Random, case_ref: str, request: date, as_of: date, needs: tuple[str, ...], weights: tuple[int, ...]
) -> dict[str, object]:
    case: dict[str, object] = dict.fromkeys(COLUMNS)
    exception = rng.random() < 0.05
    case.update(
        case_ref=case_ref,
        request_date=request,
        exception=exception,
        exception_reason=rng.choice(EXCEPTION_REASONS) if exception else None,
        primary_need=rng.choices(needs, weights)[0],
        age_at_request=min(25, max(0, int(rng.gauss(9, 4.5)))),
        setting=rng.choice(SETTINGS) if rng.random() < 0.9 else None,
    )
    decided = request + timedelta(days=int(rng.triangular(14, 75, 38)))
    if decided > as_of:
        return case
    roll = rng.random()
    case["decision_date"] = decided
    case["decision"] = "withdrawn" if roll < 0.03 else "not_assess" if roll < 0.25 else "assess"
    if case["decision"] != "assess":
        return case
    outcome_day = request + timedelta(days=int(rng.lognormvariate(4.98, 0.3)))
    outcome_day = max(outcome_day, decided + timedelta(days=14))
    if rng.random() < LONG_DELAY:
        outcome_day += timedelta(days=rng.randrange(120, 300))
    if outcome_day > as_of:
        return case
    if rng.random() < 0.08:
        case.update(assessment_outcome="no_plan", assessment_outcome_date=outcome_day)
        return case
    # The outcome date of a plan is the day it was issued (SEN2 item 3.2); most plans start that day, a few later.
    final = outcome_day + timedelta(days=rng.choice((0, 0, 0, 0, 0, 0, 3, 7, 14, 21)))
    case.update(assessment_outcome="plan", assessment_outcome_date=outcome_day)
    if final <= as_of:
        case["final_plan_date"] = final
    return case


def generate_reviews(cases: Iterable[dict[str, object]], seed: int, as_of: date) -> list[dict[str, object]]:
    """Return the annual review meetings of every plan among `cases`, held by `as_of`, in case order.

    The first meeting falls around the plan's first anniversary, each later one around a year after the previous
    review's decision; about three in four are on time, and a decision follows in one to nine weeks (most
    within 4). A review deciding to cease the plan ends its reviews.
    """
    rng = random.Random(seed)
    outcomes, weights = zip(*REVIEW_OUTCOMES, strict=True)
    reviews: list[dict[str, object]] = []
    for case in cases:
        issued = case["final_plan_date"]
        if not isinstance(issued, date):
            continue
        anchor = issued
        while True:
            meeting = anchor + timedelta(days=365 + int(rng.triangular(-70, 75, -12)))
            if meeting > as_of:
                break
            decided: date | None = meeting + timedelta(days=int(rng.triangular(3, 65, 16)))
            outcome: str | None = rng.choices(outcomes, weights)[0]
            if decided is not None and decided > as_of:
                decided, outcome = None, None  # the decision is still to come
            reviews.append(
                {"case_ref": case["case_ref"], "meeting_date": meeting, "decision_date": decided, "outcome": outcome}
            )
            if outcome == "cease" or decided is None:
                break
            anchor = decided
    return reviews


def add_data_quality_problems(
    cases: Sequence[dict[str, object]], reviews: list[dict[str, object]], seed: int, as_of: date
) -> dict[str, int]:
    """Spoil a few records in place as case systems do, in ways an import accepts; return how many of each.

    A plan dated before its assessment outcome, an outcome dated before the decision, a decision date with no
    decision recorded, and a review dated before its plan was issued: each is a finding on the data-quality page.
    """
    rng = random.Random(seed)
    counts = {"plan_before_outcome": 0, "outcome_before_decision": 0, "decision_missing": 0, "review_before_plan": 0}
    for case in cases:
        if rng.random() >= PROBLEM_SHARE:
            continue
        plan, outcome, decided = case["final_plan_date"], case["assessment_outcome_date"], case["decision_date"]
        request = case["request_date"]
        assert isinstance(request, date)
        if isinstance(plan, date) and isinstance(outcome, date) and (plan - request).days > 40 and plan < as_of:
            kind = rng.choice(("plan_before_outcome", "outcome_before_decision", "review_before_plan"))
            if kind == "plan_before_outcome":
                case["assessment_outcome_date"] = min(as_of, plan + timedelta(days=rng.randrange(3, 20)))
            elif kind == "outcome_before_decision" and isinstance(decided, date) and (decided - request).days > 2:
                case["assessment_outcome_date"] = request + timedelta(days=(decided - request).days // 2)
            elif kind == "review_before_plan":
                meeting = plan - timedelta(days=rng.randrange(1, 20))
                reviews.append({"case_ref": case["case_ref"], "meeting_date": meeting, "decision_date": None})
            else:
                continue
            counts[kind] += 1
        elif isinstance(decided, date) and plan is None and case["assessment_outcome"] is None:
            case["decision"] = None  # the date was typed, the decision never recorded
            counts["decision_missing"] += 1
    return counts


def case_file_rows(
    cases: Iterable[dict[str, object]], date_format: str = "uk", columns: Sequence[str] = COLUMNS
) -> Iterable[list[str]]:
    """Yield each record as the cells of a file row: dates in `date_format`, blanks as empty cells."""
    render = DATE_FORMATS[date_format]
    for case in cases:
        cells = []
        for column in columns:
            value = case.get(column)
            if value is None:
                cells.append("")
            elif isinstance(value, date):
                cells.append(render(value))
            elif isinstance(value, bool):
                cells.append("yes" if value else "no")
            else:
                cells.append(str(value))
        yield cells


def case_file(cases: Iterable[dict[str, object]], date_format: str = "uk") -> bytes:
    """Return cases as a UTF-8 case file CSV with the header of DESIGN.md's case file columns."""
    return _csv(COLUMNS, case_file_rows(cases, date_format))


def review_file(reviews: Iterable[dict[str, object]], date_format: str = "uk") -> bytes:
    """Return review meetings as a UTF-8 review file CSV (case_ref, meeting_date, decision_date, outcome)."""
    return _csv(REVIEW_COLUMNS, case_file_rows(reviews, date_format, REVIEW_COLUMNS))


def _csv(header: Sequence[str], rows: Iterable[list[str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")
