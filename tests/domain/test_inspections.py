"""An inspection's key dates, estimated from the notification (framework.md §1.4)."""

from __future__ import annotations

from datetime import date

from inspect_app.domain.inspections import add_working_days, default_access_end, key_dates, monday_of


def test_working_days_skip_the_weekend():
    friday = date(2026, 11, 27)
    assert add_working_days(friday, 1) == date(2026, 11, 30)
    assert add_working_days(friday, 0) == friday


def test_full_inspection_dates_are_estimated_from_a_monday_notification():
    dates = key_dates("full", date(2026, 11, 23), None)
    assert dates.fieldwork_start == date(2026, 12, 3)  # 8 working days later
    assert dates.on_site_start == date(2026, 12, 7)  # 10 working days later: the Monday of week 3
    assert dates.on_site_end == date(2026, 12, 11)  # five days on site
    assert dates.on_site_estimated is True
    assert dates.report_expected == date(2027, 2, 16)  # median 75 days after fieldwork begins
    assert (dates.report_earliest, dates.report_latest) == (date(2027, 1, 29), date(2027, 4, 17))


def test_an_entered_on_site_week_replaces_the_estimate():
    dates = key_dates("full", date(2026, 11, 23), date(2026, 12, 14))
    assert (dates.on_site_start, dates.on_site_end, dates.on_site_estimated) == (
        date(2026, 12, 14),
        date(2026, 12, 18),
        False,
    )


def test_other_inspection_types_get_no_estimates():
    dates = key_dates("engagement", date(2026, 11, 23), None)
    assert (dates.fieldwork_start, dates.on_site_start, dates.report_expected) == (None, None, None)


def test_default_access_ends_a_week_after_the_on_site_week():
    assert default_access_end(key_dates("full", date(2026, 11, 23), None), 7) == date(2026, 12, 18)
    # Without an on-site week, count from the notification.
    assert default_access_end(key_dates("thematic", date(2026, 11, 23), None), 7) == date(2026, 11, 30)


def test_monday_of_a_week():
    assert monday_of(date(2026, 11, 29)) == date(2026, 11, 23)
