"""Write synthetic EHC needs assessment cases (and their annual reviews) as case and review file CSVs.

    .venv/bin/python bench/generate_cases.py --rows 200000 --seed 7 --start-year 2019 --end-year 2025 \
        --date-format uk --output bench/out/cases_200000.csv [--reviews bench/out/reviews_200000.csv]

The generator is the app's own, `inspect_app/domain/synthetic_cases.py`, which the demo (`inspect-app demo`) uses
too, so the benchmarks and the demo read the same kind of file. This script only writes it to disk.
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections.abc import Iterable
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from inspect_app.domain.synthetic_cases import (  # noqa: E402
    COLUMNS,
    DATE_COLUMNS,
    DATE_FORMATS,
    case_file_rows,
    generate_cases,
    generate_reviews,
    review_file,
)

__all__ = ["COLUMNS", "DATE_COLUMNS", "DATE_FORMATS", "case_file_rows", "generate_cases", "write_cases_csv"]


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
    parser.add_argument("--reviews", type=Path, default=None, help="Also write the plans' annual reviews here.")
    args = parser.parse_args(argv)
    cases = generate_cases(args.rows, args.seed, args.start_year, args.end_year)
    print(write_cases_csv(cases, args.output, args.date_format))
    if args.reviews:
        args.reviews.parent.mkdir(parents=True, exist_ok=True)
        args.reviews.write_bytes(review_file(generate_reviews(cases, args.seed, date(args.end_year, 12, 31))))
        print(args.reviews)


if __name__ == "__main__":
    main()
