"""Working days in England and Wales skip weekends and bank holidays, in every estimate."""

from __future__ import annotations

from datetime import date

from inspect_app.domain.inspections import key_dates
from inspect_app.domain.working_days import (
    add_working_days,
    bank_holiday_name,
    bank_holidays,
    is_working_day,
    skipped_holidays,
)


def test_bank_holidays_include_substitute_days_and_one_offs():
    # Christmas 2026 is a Friday, so Boxing Day (Saturday) is made up on Monday 28 December.
    assert {date(2026, 12, 25), date(2026, 12, 28)} <= bank_holidays(2026)
    assert date(2023, 5, 8) in bank_holidays(2023)  # the Coronation
    assert date(2022, 9, 19) in bank_holidays(2022)  # the State Funeral
    assert bank_holiday_name(date(2027, 3, 29)) == "Easter Monday"
    assert bank_holiday_name(date(2027, 3, 30)) is None


def test_scottish_only_holidays_are_not_skipped():
    assert is_working_day(date(2027, 1, 4))  # 2 January's substitute is a Scottish holiday only
    assert is_working_day(date(2026, 8, 3))  # the Scottish summer holiday


def test_a_mid_december_notification_steps_over_christmas_and_new_year():
    notified = date(2026, 12, 14)  # Monday
    dates = key_dates("full", notified, None)
    assert dates.fieldwork_start == date(2026, 12, 24)  # 8 working days: no holiday yet
    # 10 working days: 25 and 28 December are bank holidays, so Wednesday 30 December, not Monday 28th.
    assert dates.on_site_start == date(2026, 12, 30)
    # Five days on site: 1 January is skipped too.
    assert dates.on_site_end == date(2027, 1, 6)
    assert skipped_holidays(notified, dates.on_site_end) == (date(2026, 12, 25), date(2026, 12, 28), date(2027, 1, 1))


def test_without_holidays_working_days_are_weekdays():
    assert add_working_days(date(2026, 11, 27), 1) == date(2026, 11, 30)
    assert add_working_days(date(2026, 11, 23), 10) == date(2026, 12, 7)
    assert skipped_holidays(date(2026, 11, 23), date(2026, 12, 7)) == ()


def test_easter_moves_a_spring_estimate():
    # Notified Monday 22 March 2027: Good Friday 26 March and Easter Monday 29 March are skipped.
    assert add_working_days(date(2027, 3, 22), 10) == date(2027, 4, 7)
