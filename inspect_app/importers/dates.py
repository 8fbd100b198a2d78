"""Read dates from case files the way councils write them, and never guess month-first.

Accepted (after trimming spaces):

- `2024-12-31`, also with a time: `2024-12-31 00:00:00` or `2024-12-31T00:00:00` (ISO, year first);
- `31/12/2024` and `1/2/2024` (day first; `-` or `.` may separate instead of `/`), also with a time
  (`31/12/2024 00:00`, as Excel writes a date-time cell to CSV);
- `2022-Sep-28 00:00:00` (DfE's SEN2 Blade export), with or without the time;
- `28 Sep 2022`, `28-Sep-2022`, `28 September 2022`;
- real dates in XLSX cells (`datetime`/`date` values, the time of day ignored).

A slash date is always day first. When the second number cannot be a month but the first can (`09/28/2022`)
the date was written month first and is refused rather than swapped, as is a two-digit year: guessing a
century or a field order would put a case in the wrong year of the statistics.

Columns are parsed once per distinct value (a pandas category, or `pd.factorize`), not once per row: a case
file of 200,000 rows spanning a few years holds only a few thousand distinct dates per column, so the same
strict scalar parser serves single values and whole columns alike, and the per-row work is numpy indexing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

import numpy as np
import pandas as pd

EXAMPLE = "31/12/2024"
ENTER_A_DATE = f"Enter a date in the format {EXAMPLE}"
ENTER_DAY_FIRST = f"Enter the date as day/month/year, for example {EXAMPLE}"
ENTER_FULL_YEAR = f"Enter the year in full, for example {EXAMPLE}"
ENTER_REAL_DATE = f"Enter a real date, for example {EXAMPLE}"

MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}

_TIME = r"(?:[ T](?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:\.\d{1,6})?)?)?"
_ISO = re.compile(r"(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})" + _TIME, re.ASCII)
_DAY_FIRST = re.compile(r"(?P<day>\d{1,2})(?P<sep>[/.-])(?P<month>\d{1,2})(?P=sep)(?P<year>\d{4})" + _TIME, re.ASCII)
_BLADE = re.compile(r"(?P<year>\d{4})-(?P<month>[A-Za-z]{3})-(?P<day>\d{1,2})" + _TIME, re.ASCII)
_WORDS = re.compile(r"(?P<day>\d{1,2})(?P<sep>[ -])(?P<month>[A-Za-z]{3,9})(?P=sep)(?P<year>\d{4})", re.ASCII)
_TWO_DIGIT_YEAR = re.compile(r"\d{1,2}([/.-])\d{1,2}\1\d{2}(?:\s.*)?|\d{1,2}[ -][A-Za-z]{3,9}[ -]\d{2}", re.ASCII)


_EPOCH = date(1970, 1, 1).toordinal()
_NAT = np.iinfo(np.int64).min  # numpy's NaT as an integer


class DateError(ValueError):
    """A value that is not an acceptable date; the message says what to enter instead."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


@dataclass(frozen=True)
class DateColumn:
    """A parsed column, row by row: the date (None when blank or wrong), the same as numpy days (NaT), and
    `bad` marking the rows whose value is wrong; `errors_at` gives their messages."""

    dates: np.ndarray  # object: date | None
    days: np.ndarray  # datetime64[D], NaT where dates is None
    bad: np.ndarray  # bool
    codes: np.ndarray  # each row's index into `messages`
    messages: np.ndarray  # object: the message of each distinct value, None for a good or blank one

    @property
    def blank(self) -> np.ndarray:
        return np.isnat(self.days) & ~self.bad

    @property
    def errors(self) -> np.ndarray:
        """The message of every row (None for a good or blank value)."""
        return self.messages[self.codes]

    def errors_at(self, rows: np.ndarray) -> list[str]:
        """The messages of the rows given by position."""
        return self.messages[self.codes[rows]].tolist()


def parse_date(value: object) -> date | None:
    """Return the date a cell holds, None for a blank cell; raise DateError for anything else."""
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, float) and value != value:  # NaN from a spreadsheet reader
        return None
    if not isinstance(value, str):
        raise DateError(ENTER_A_DATE)
    text = value.strip()
    if not text:
        return None
    return _parse_text(text)


def _parse_text(text: str) -> date:
    match = _ISO.fullmatch(text) or _BLADE.fullmatch(text)
    if match:
        return _build(match)
    match = _DAY_FIRST.fullmatch(text)
    if match:
        day, month = int(match["day"]), int(match["month"])
        if month > 12 and 1 <= day <= 12 and month <= 31:
            raise DateError(ENTER_DAY_FIRST)
        return _build(match)
    match = _WORDS.fullmatch(text)
    if match:
        return _build(match)
    if _TWO_DIGIT_YEAR.fullmatch(text):
        raise DateError(ENTER_FULL_YEAR)
    raise DateError(ENTER_A_DATE)


def _build(match: re.Match[str]) -> date:
    month_text = match["month"]
    month = int(month_text) if month_text.isdigit() else MONTHS.get(month_text.lower())
    if month is None:
        raise DateError(ENTER_A_DATE)
    groups = match.groupdict()
    hour, minute, second = (int(groups.get(name) or 0) for name in ("hour", "minute", "second"))
    if hour > 23 or minute > 59 or second > 59:
        raise DateError(ENTER_A_DATE)
    try:
        return date(int(match["year"]), month, int(match["day"]))
    except ValueError:
        raise DateError(ENTER_REAL_DATE) from None


def parse_date_column(
    values: pd.Series | np.ndarray | list[object], cache: dict[object, date | str | None] | None = None
) -> DateColumn:
    """Parse a whole column: each distinct value once, then spread back to the rows by numpy indexing.

    `cache` (value -> date, None or error message) may be shared by the date columns of one file, which
    mostly hold the same few thousand dates.
    """
    return parse_distinct_dates(*distinct(values), cache)


def parse_distinct_dates(
    codes: np.ndarray, uniques: np.ndarray, cache: dict[object, date | str | None] | None = None
) -> DateColumn:
    """Parse a column given as the distinct values and each row's code (index) into them."""
    cache = {} if cache is None else cache
    outcomes = [cache[value] if value in cache else _remember(cache, value) for value in uniques]
    bad = np.array([isinstance(outcome, str) for outcome in outcomes], dtype=bool)
    parsed = [None if isinstance(outcome, str) else outcome for outcome in outcomes]
    messages = np.array([outcome if isinstance(outcome, str) else None for outcome in outcomes], dtype=object)
    # days since 1970-01-01 from ordinals: numpy converts date objects one by one ten times slower
    days = np.array([_NAT if d is None else d.toordinal() - _EPOCH for d in parsed], dtype=np.int64)
    return DateColumn(
        dates=np.array(parsed, dtype=object)[codes],
        days=days.view("datetime64[D]")[codes],
        bad=bad[codes],
        codes=codes,
        messages=messages,
    )


def distinct(values: pd.Series | np.ndarray | list[object]) -> tuple[np.ndarray, np.ndarray]:
    """Return the code of each value (an index into the distinct values) and the distinct values.

    Missing values (None, NaN) come back as the blank string. `pd.factorize(use_na_sentinel=False)` would do
    the same but first scans the whole column for missing values, which costs as much as the factorizing.
    """
    codes, uniques = pd.factorize(np.asarray(values, dtype=object))
    uniques = np.asarray(uniques, dtype=object)
    if len(codes) and codes.min() < 0:
        codes = np.where(codes < 0, len(uniques), codes)
        uniques = np.append(uniques, np.array([""], dtype=object))
    return codes, uniques


def _remember(cache: dict[object, date | str | None], value: object) -> date | str | None:
    try:
        outcome: date | str | None = parse_date(value)
    except DateError as error:
        outcome = error.message
    cache[value] = outcome
    return outcome


def whole_years_between(born: np.ndarray, on: np.ndarray) -> np.ndarray:
    """Return each age in whole years on a day (float, NaN where either day is NaT) for numpy day arrays."""
    born_index, on_index = pd.DatetimeIndex(born), pd.DatetimeIndex(on)
    years = on_index.year - born_index.year
    before_birthday = (on_index.month < born_index.month) | (
        (on_index.month == born_index.month) & (on_index.day < born_index.day)
    )
    return np.asarray(years, dtype=float) - np.asarray(before_birthday, dtype=float)
