"""The app's notion of now, so tests and demonstrations can freeze time (config FIXED_NOW)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from flask import current_app, has_app_context


def now() -> datetime:
    """Return the current time in UTC (naive), or the configured FIXED_NOW."""
    if has_app_context():
        fixed = current_app.config.get("FIXED_NOW")
        if fixed:
            return datetime.fromisoformat(fixed).replace(tzinfo=None)
    return datetime.now(UTC).replace(tzinfo=None)


def today() -> date:
    """Return today's date by the app's clock."""
    return now().date()
