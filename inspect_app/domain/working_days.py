"""Working days in England and Wales: Monday to Friday, less the bank holidays.

Inspection notice periods are counted in working days, and every estimate in the inspection cycle runs up to
five years ahead. The bank holidays come from the `holidays` package (PyPI, released monthly) rather than a
list kept here: it computes the regular ones for any year from their rules (Easter, the first and last
Mondays of May, substitute days when Christmas falls at a weekend), so an estimate for 2030 is right without
anybody remembering to extend a file, and its releases add one-off days (the 2022 Platinum Jubilee, the 2023
Coronation) as they are announced. England and Wales share one list; Scotland and Northern Ireland differ.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def bank_holidays(year: int) -> frozenset[date]:
    """Return the bank holidays in England and Wales in `year`."""
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year).keys())


def bank_holiday_name(day: date) -> str | None:
    """Return the name of the bank holiday on `day`, or None."""
    names = holidays.country_holidays("GB", subdiv="ENG", years=day.year)
    return names.get(day)


def is_working_day(day: date) -> bool:
    """Monday to Friday and not a bank holiday in England and Wales."""
    return day.weekday() < 5 and day not in bank_holidays(day.year)


def add_working_days(start: date, days: int) -> date:
    """Return the date `days` working days after `start` (`start` itself never counts)."""
    current = start
    remaining = days
    while remaining > 0:
        current += timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current


def skipped_holidays(start: date, end: date) -> tuple[date, ...]:
    """Bank holidays on weekdays after `start` up to `end`: the days an estimate stepped over."""
    days = []
    current = start + timedelta(days=1)
    while current <= end:
        if current.weekday() < 5 and current in bank_holidays(current.year):
            days.append(current)
        current += timedelta(days=1)
    return tuple(days)
