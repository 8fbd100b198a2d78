"""When a scheduled export is due.

People say "every Monday at 7am" in UK time; the database stores and compares instants in UTC (naive). Every
conversion goes through this module, with the IANA zone Europe/London (zoneinfo), so the clock change is
handled once: a time that does not exist on the spring-forward day (01:30) runs an hour later (02:30 BST), and
a time that happens twice on the autumn day runs once, the first time (BST).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

MAX_KEEP_LAST = 1000  # files a schedule keeps at most

UK = ZoneInfo("Europe/London")

CADENCES = {"daily": "Every day", "weekly": "Every week", "monthly": "Every month"}
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
LAST_DAY = -1  # day_of_month meaning "the last day of the month" (days 1-28 exist in every month)
MAX_DAY_OF_MONTH = 28

_TIME = re.compile(r"^\s*(\d{1,2})[:.](\d{2})\s*$")


@dataclass(frozen=True)
class Cadence:
    """How often an export runs: daily, weekly on a weekday (0 = Monday), or monthly on a day (or LAST_DAY)."""

    kind: str
    time_of_day: time
    weekday: int | None = None
    day_of_month: int | None = None

    def problems(self) -> list[str]:
        """Return what is wrong with this cadence, one GOV.UK-style sentence each (empty when valid)."""
        if self.kind not in CADENCES:
            return ["Select how often the export runs"]
        if self.kind == "weekly" and (self.weekday is None or not 0 <= self.weekday <= 6):
            return ["Select the day of the week"]
        if self.kind == "monthly" and (
            self.day_of_month is None
            or not (self.day_of_month == LAST_DAY or 1 <= self.day_of_month <= MAX_DAY_OF_MONTH)
        ):
            return ["Select the day of the month: 1 to 28, or the last day"]
        return []

    def runs_on(self, day: date) -> bool:
        """Return whether the cadence fires on this local calendar day."""
        if self.kind == "daily":
            return True
        if self.kind == "weekly":
            return day.weekday() == self.weekday
        if self.day_of_month == LAST_DAY:
            return day.day == calendar.monthrange(day.year, day.month)[1]
        return day.day == self.day_of_month

    def describe(self) -> str:
        """Return the cadence in words: "Every Monday at 7:00am"."""
        at = f"at {format_time(self.time_of_day)}"
        if self.kind == "daily":
            return f"Every day {at}"
        if self.kind == "weekly" and self.weekday is not None:
            return f"Every {WEEKDAYS[self.weekday]} {at}"
        if self.day_of_month == LAST_DAY:
            return f"On the last day of every month {at}"
        return f"On day {self.day_of_month} of every month {at}"


def format_time(value: time) -> str:
    """Format a time of day the GOV.UK way: 7:00am, 12:30pm."""
    hour = value.hour % 12 or 12
    return f"{hour}:{value:%M}{'am' if value.hour < 12 else 'pm'}"


def parse_time_of_day(text: str) -> time:
    """Parse "06:30", "6:30" or "18.05" (24-hour clock) or raise ValueError with a GOV.UK message."""
    match = _TIME.match(text or "")
    if not match:
        raise ValueError("Enter the time on the 24-hour clock, like 06:30 or 18:00")
    hour, minute = int(match.group(1)), int(match.group(2))
    if hour > 23 or minute > 59:
        raise ValueError("Time must be a real time on the 24-hour clock, from 00:00 to 23:59")
    return time(hour, minute)


def to_utc(local: datetime) -> datetime:
    """Return a UK wall-clock time (naive) as a naive UTC instant."""
    return local.replace(tzinfo=UK).astimezone(UTC).replace(tzinfo=None)


def to_uk(instant: datetime) -> datetime:
    """Return a naive UTC instant as an aware UK local time."""
    return instant.replace(tzinfo=UTC).astimezone(UK)


def next_occurrence(cadence: Cadence, after: datetime) -> datetime:
    """Return the first time strictly after `after` (naive UTC) that the cadence fires, as naive UTC.

    Only the next one: a schedule that missed several windows (the machine was off) is due once, not once per
    missed period.
    """
    if cadence.problems():
        raise ValueError(cadence.problems()[0])
    # Start a day early: the UK date of `after` can differ from its UTC date around midnight.
    day = to_uk(after).date() - timedelta(days=1)
    for _ in range(370):  # a monthly cadence fires at least once in any 31 days; this is a safety bound
        if cadence.runs_on(day):
            candidate = to_utc(datetime.combine(day, cadence.time_of_day))
            if candidate > after:
                return candidate
        day += timedelta(days=1)
    raise ValueError("The schedule never runs")  # unreachable for a valid cadence
