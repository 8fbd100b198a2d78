"""Demo step: a full inspection notified for next week, and the inspector's access that follows from it."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from inspect_app.config import Config
from inspect_app.demo.context import DemoContext
from inspect_app.domain.inspections import default_access_end, key_dates, monday_of
from inspect_app.services import audit, inspections


def demo_notification_date(now: datetime) -> date:
    """Return the demo inspection's notification: the Monday of next week (always in the near future)."""
    return monday_of(now.date() + timedelta(days=7))


def demo_inspector_access_end(now: datetime) -> date:
    """Return the demo inspector's last day: the end of the demo inspection's on-site week plus the usual days."""
    dates = key_dates("full", demo_notification_date(now), None)
    return default_access_end(dates, Config.INSPECTOR_ACCESS_DAYS_AFTER_ON_SITE)


def add_inspection(ctx: DemoContext) -> None:
    """Record the demo partnership's coming full inspection."""
    notification = demo_notification_date(ctx.now)
    inspections.create_inspection(
        ctx.session,
        audit.SYSTEM,
        ctx.partnership,
        inspections.InspectionDetails(
            inspection_type="full",
            notification_date=notification,
            lead_inspector="Jordan Blake HMI (synthetic)",
            notes="Local Area Nominated Officer: Alex Morgan. Set-up meeting on the notification day.",
        ),
        when=ctx.now,
    )
    ctx.summary.append(f"A full inspection notified on {notification:%d %B %Y}; the demo inspector has access.")
