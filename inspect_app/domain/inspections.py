"""An inspection's key dates, estimated from the notification (reference/framework.md §1.2 and §1.4).

Partnerships are told 8 working days before fieldwork begins and 10 working days before inspectors come on site;
the on-site week is five days; reports were published a median of 75 days after the inspection started (57 to
135, 16 inspections in 2023). These are secondary sources, so every derived date is shown as an estimate.
Working days are Monday to Friday less the bank holidays in England and Wales (domain/working_days.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from inspect_app.domain.working_days import add_working_days

MAX_NOTES = 5000  # characters of notes on an inspection

# Ofsted and CQC's kinds of inspection activity (framework.md §1.2).
INSPECTION_TYPES = {
    "full": "Full inspection",
    "monitoring": "Monitoring inspection",
    "engagement": "Engagement meeting",
    "thematic": "Thematic visit",
}
INSPECTION_TYPE_HINTS = {
    "full": "Three weeks ending in one of the three outcomes; inspectors on site in the third week",
    "monitoring": "After the lowest outcome, usually 18 months after the report; checks the areas for priority action",
    "engagement": "The annual meeting with inspectors between inspections",
    "thematic": "A visit for a national thematic review; no judgement on the area",
}

NOTICE_TO_FIELDWORK_WORKING_DAYS = 8
NOTICE_TO_ON_SITE_WORKING_DAYS = 10
ON_SITE_WORKING_DAYS = 5
REPORT_LAG_DAYS_MEDIAN = 75
REPORT_LAG_DAYS_RANGE = (57, 135)


def monday_of(day: date) -> date:
    """Return the Monday of the week containing `day`."""
    return day - timedelta(days=day.weekday())


@dataclass(frozen=True)
class KeyDates:
    """The dates a partnership plans around. `*_estimated` says which ones are derived, not entered."""

    notification: date
    fieldwork_start: date | None
    on_site_start: date | None
    on_site_end: date | None
    on_site_estimated: bool
    report_expected: date | None
    report_earliest: date | None
    report_latest: date | None


def key_dates(inspection_type: str, notification: date, on_site_week_start: date | None) -> KeyDates:
    """Return an inspection's key dates: entered ones as they are, the rest estimated for full inspections."""
    full = inspection_type == "full"
    fieldwork = add_working_days(notification, NOTICE_TO_FIELDWORK_WORKING_DAYS) if full else None
    if on_site_week_start is not None:
        on_site, estimated = on_site_week_start, False
    elif full:
        on_site, estimated = add_working_days(notification, NOTICE_TO_ON_SITE_WORKING_DAYS), True
    else:
        on_site, estimated = None, False
    on_site_end = add_working_days(on_site, ON_SITE_WORKING_DAYS - 1) if on_site else None
    start = fieldwork or notification
    return KeyDates(
        notification=notification,
        fieldwork_start=fieldwork,
        on_site_start=on_site,
        on_site_end=on_site_end,
        on_site_estimated=estimated,
        report_expected=start + timedelta(days=REPORT_LAG_DAYS_MEDIAN) if full else None,
        report_earliest=start + timedelta(days=REPORT_LAG_DAYS_RANGE[0]) if full else None,
        report_latest=start + timedelta(days=REPORT_LAG_DAYS_RANGE[1]) if full else None,
    )


def default_access_end(dates: KeyDates, days_after_on_site: int) -> date:
    """Return the default last day of inspector access: the end of the on-site week plus `days_after_on_site`."""
    return (dates.on_site_end or dates.notification) + timedelta(days=days_after_on_site)
