"""Generate synthetic EHC needs assessment cases, deterministically for a seed, as dicts or as a case file CSV.

    .venv/bin/python bench/generate_cases.py --rows 200000 --seed 7 --start-year 2019 --end-year 2025 \
        --date-format uk --output bench/out/cases_200000.csv

The shapes are roughly those councils see: most requests decided in 3-10 weeks, about three in four assessed,
a few withdrawn, plans issued from about 12 weeks to over a year after the request, one in twelve assessments
ending without a plan, a few 20-week exceptions. No event is dated after `as_of` (by default the last day of
`end_year`): a case still open on that day has no later dates. Every value is made up; nothing identifies
anyone. `generate_cases` is also meant for the demo data (`inspect-app demo`): each dict has exactly the fields
of `inspect_app.domain.cases.Case`, so `Case(**row)` works.
"""

from __future__ import annotations

import argparse
import csv
import random
from collections.abc import Iterable
from datetime import date, timedelta
from pathlib import Path

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


def generate_cases(
    n: int, seed: int, start_year: int, end_year: int, *, as_of: date | None = None
) -> list[dict[str, object]]:
    """Return `n` synthetic cases requested from 1 January `start_year` to 31 December `end_year`, oldest first."""
    if end_year < start_year:
        raise ValueError("end_year must not be before start_year")
    rng = random.Random(seed)
    first = date(start_year, 1, 1)
    last = min(date(end_year, 12, 31), as_of or date(end_year, 12, 31))
    as_of = as_of or date(end_year, 12, 31)
    span = (last - first).days + 1
    offsets = sorted(rng.randrange(span) for _ in range(n))
    needs, weights = zip(*NEEDS, strict=True)
    return [
        _case(rng, f"EHC{number:07d}", first + timedelta(days=offset), as_of, needs, weights)
        for number, offset in enumerate(offsets, start=1)
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
    outcome_day = request + timedelta(days=int(rng.lognormvariate(4.85, 0.3)))
    outcome_day = max(outcome_day, decided + timedelta(days=14))
    if outcome_day > as_of:
        return case
    if rng.random() < 0.08:
        case.update(assessment_outcome="no_plan", assessment_outcome_date=outcome_day)
        return case
    final = outcome_day + timedelta(days=rng.randrange(7, 30))
    case.update(assessment_outcome="plan", assessment_outcome_date=outcome_day)
    if final <= as_of:
        case["final_plan_date"] = final
    return case


def case_file_rows(cases: Iterable[dict[str, object]], date_format: str = "uk") -> Iterable[list[str]]:
    """Yield each case as the cells of a case file row: dates in `date_format`, blanks as empty cells."""
    render = DATE_FORMATS[date_format]
    for case in cases:
        cells = []
        for column in COLUMNS:
            value = case[column]
            if value is None:
                cells.append("")
            elif isinstance(value, date):
                cells.append(render(value))
            elif isinstance(value, bool):
                cells.append("yes" if value else "no")
            else:
                cells.append(str(value))
        yield cells


def write_cases_csv(cases: Iterable[dict[str, object]], path: Path, date_format: str = "uk") -> Path:
    """Write cases as a UTF-8 case file CSV with the header of DESIGN.md's case file columns."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        writer.writerows(case_file_rows(cases, date_format))
    return path


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--start-year", type=int, default=2019)
    parser.add_argument("--end-year", type=int, default=2025)
    parser.add_argument("--date-format", choices=sorted(DATE_FORMATS), default="uk")
    parser.add_argument("--output", type=Path, default=Path("bench/out/cases.csv"))
    args = parser.parse_args(argv)
    cases = generate_cases(args.rows, args.seed, args.start_year, args.end_year)
    print(write_cases_csv(cases, args.output, args.date_format))


if __name__ == "__main__":
    main()
