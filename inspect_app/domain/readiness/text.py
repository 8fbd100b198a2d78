"""Small helpers the readiness rules and scores share: exact arithmetic and the wording of figures.

Figures are written as DfE writes them: percentages and averages rounded half up to one decimal place.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from fractions import Fraction

from inspect_app.domain.numbers import round_half_up
from inspect_app.domain.readiness.model import COUNT, PERCENT, WEEKS


def dec(value: float | int | Decimal) -> Decimal:
    # Through str(), so 46.4 - 41.4 is exactly 5.0 and boundaries behave as a reader expects.
    return Decimal(str(value))


def frac(value: float | int | Decimal) -> Fraction:
    return Fraction(str(value))


def to_decimal(value: Fraction) -> Decimal:
    return Decimal(value.numerator) / Decimal(value.denominator)


def round_int(value: Fraction | Decimal) -> int:
    exact = to_decimal(value) if isinstance(value, Fraction) else value
    return int(round_half_up(exact, 0) or 0)


def one_decimal(value: float | Decimal | None) -> float | None:
    """Round half up to one decimal place, as DfE publishes (for JSON and spreadsheets)."""
    rounded = round_half_up(value, 1)
    return None if rounded is None else float(rounded)


def number(value: float | Decimal) -> str:
    """Write a number half up to one decimal place, without a trailing .0."""
    rounded = round_half_up(value, 1)
    return f"{rounded:,}".removesuffix(".0")


def figure(value: float | Decimal | None, unit: str = PERCENT) -> str:
    """Write a measure's value in its unit: 39.1%, 21.4 weeks, 612."""
    if value is None:
        return "no figure"
    if unit == PERCENT:
        return f"{number(value)}%"
    if unit == WEEKS:
        return f"{number(value)} weeks"
    if unit == COUNT:
        return f"{int(round_half_up(value, 0) or 0):,}"
    return number(value)


def difference(value: Decimal, unit: str = PERCENT) -> str:
    """Write a difference between two figures of a unit: 7 percentage points, 2.5 weeks."""
    text = number(value)
    if unit == PERCENT:
        return f"{text} percentage {'point' if text == '1' else 'points'}"
    if unit == WEEKS:
        return f"{text} {'week' if text == '1' else 'weeks'}"
    return text


def pct(value: float | Decimal | None) -> str:
    return figure(value, PERCENT)


def plural(count: int, noun: str, many: str | None = None) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {many or noun + 's'}"


def share_text(share: float) -> str:
    return f"{number(Decimal(str(share)) * 100)}%"


def in_period(period: str | None) -> str:
    return f" in {period}" if period else ""


def long_date(day: date | None) -> str:
    return "" if day is None else f"{day.day} {day:%B %Y}"


def add_months(day: date, months: int) -> date:
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def norm(grade: str) -> str:
    return grade.strip().casefold()


def quoted_list(titles: Sequence[str], limit: int = 3) -> str:
    """Quote up to `limit` titles and say how many more there are."""
    named = ", ".join(f'"{title}"' for title in titles[:limit])
    more = len(titles) - limit
    return f"{named} and {more} more" if more > 0 else named
