"""When scheduled exports are due: UK local time in, UTC out, across the clock changes."""

from __future__ import annotations

from datetime import datetime, time

import pytest

from inspect_app.domain.schedules import LAST_DAY, Cadence, next_occurrence, parse_time_of_day


def daily(hour: int, minute: int = 0) -> Cadence:
    return Cadence("daily", time(hour, minute))


def test_daily_export_in_winter_is_due_at_the_same_utc_time():
    assert next_occurrence(daily(7), datetime(2026, 11, 27, 6, 59)) == datetime(2026, 11, 27, 7, 0)


def test_daily_export_in_summer_is_due_an_hour_earlier_in_utc():
    assert next_occurrence(daily(7), datetime(2026, 7, 1, 5, 0)) == datetime(2026, 7, 1, 6, 0)


def test_next_occurrence_is_strictly_after_the_given_time():
    assert next_occurrence(daily(7), datetime(2026, 11, 27, 7, 0)) == datetime(2026, 11, 28, 7, 0)


def test_a_missed_window_gives_only_the_next_occurrence_after_now():
    # Due ten days ago; the machine was off. The next one is tomorrow, not ten catch-up runs.
    assert next_occurrence(daily(7), datetime(2026, 11, 27, 10, 0)) == datetime(2026, 11, 28, 7, 0)


def test_weekly_export_runs_on_its_weekday():
    monday = Cadence("weekly", time(7, 0), weekday=0)
    # Friday 27 November 2026 -> Monday 30 November.
    assert next_occurrence(monday, datetime(2026, 11, 27, 10, 0)) == datetime(2026, 11, 30, 7, 0)


def test_weekly_export_just_after_uk_midnight_uses_the_uk_date():
    # 00:30 on Saturday 1 August 2026 in the UK is 23:30 UTC on Friday 31 July.
    saturday = Cadence("weekly", time(0, 30), weekday=5)
    assert next_occurrence(saturday, datetime(2026, 7, 31, 12, 0)) == datetime(2026, 7, 31, 23, 30)


@pytest.mark.parametrize(
    ("day", "after", "expected"),
    [
        (15, datetime(2026, 11, 27, 0, 0), datetime(2026, 12, 15, 18, 0)),
        (LAST_DAY, datetime(2027, 2, 1, 0, 0), datetime(2027, 2, 28, 18, 0)),
        (LAST_DAY, datetime(2028, 2, 1, 0, 0), datetime(2028, 2, 29, 18, 0)),
        (LAST_DAY, datetime(2027, 4, 30, 18, 0), datetime(2027, 5, 31, 17, 0)),  # BST in May
    ],
)
def test_monthly_export_runs_on_its_day_or_the_last_day(day, after, expected):
    assert next_occurrence(Cadence("monthly", time(18, 0), day_of_month=day), after) == expected


def test_a_time_skipped_by_the_spring_clock_change_runs_an_hour_later():
    # 28 March 2027: clocks go from 01:00 GMT to 02:00 BST; 01:30 does not exist and runs at 02:30 BST.
    assert next_occurrence(daily(1, 30), datetime(2027, 3, 28, 0, 0)) == datetime(2027, 3, 28, 1, 30)


def test_a_time_repeated_by_the_autumn_clock_change_runs_once():
    # 25 October 2026: 01:30 happens twice (BST, then GMT). It runs at the first, then the next day.
    first = next_occurrence(daily(1, 30), datetime(2026, 10, 24, 12, 0))
    assert first == datetime(2026, 10, 25, 0, 30)
    assert next_occurrence(daily(1, 30), first) == datetime(2026, 10, 26, 1, 30)


@pytest.mark.parametrize(
    ("cadence", "problem"),
    [
        (Cadence("hourly", time(7, 0)), "Select how often the export runs"),
        (Cadence("weekly", time(7, 0)), "Select the day of the week"),
        (Cadence("weekly", time(7, 0), weekday=7), "Select the day of the week"),
        (Cadence("monthly", time(7, 0), day_of_month=29), "Select the day of the month: 1 to 28, or the last day"),
        (Cadence("monthly", time(7, 0)), "Select the day of the month: 1 to 28, or the last day"),
    ],
)
def test_invalid_cadences_say_what_is_missing(cadence, problem):
    assert cadence.problems() == [problem]
    with pytest.raises(ValueError, match=problem):
        next_occurrence(cadence, datetime(2026, 11, 27))


@pytest.mark.parametrize(("text", "expected"), [("06:30", time(6, 30)), ("6:30", time(6, 30)), ("18.05", time(18, 5))])
def test_times_are_read_on_the_24_hour_clock(text, expected):
    assert parse_time_of_day(text) == expected


@pytest.mark.parametrize("text", ["24:00", "7:60", "7am", "", "0630"])
def test_times_that_are_not_real_are_refused(text):
    with pytest.raises(ValueError):
        parse_time_of_day(text)


def test_cadences_describe_themselves_in_words():
    assert Cadence("weekly", time(7, 0), weekday=0).describe() == "Every Monday at 7:00am"
    assert Cadence("daily", time(18, 30)).describe() == "Every day at 6:30pm"
    assert Cadence("monthly", time(0, 5), day_of_month=LAST_DAY).describe() == (
        "On the last day of every month at 12:05am"
    )
    assert Cadence("monthly", time(12, 0), day_of_month=1).describe() == "On day 1 of every month at 12:00pm"
