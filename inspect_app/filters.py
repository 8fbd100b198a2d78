"""Pure formatting functions, registered as Jinja filters."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from flask import Flask

from inspect_app.domain.numbers import round_half_up
from inspect_app.domain.partners import PARTNERS


def format_date(value: date | datetime | None) -> str:
    """Format a date the GOV.UK way: 5 January 2026."""
    if value is None:
        return ""
    return f"{value.day} {value:%B %Y}"


def format_datetime(value: datetime | None) -> str:
    """Format a timestamp as 5 January 2026 at 2:05pm."""
    if value is None:
        return ""
    hour = value.hour % 12 or 12
    return f"{format_date(value)} at {hour}:{value:%M}{'am' if value.hour < 12 else 'pm'}"


def format_uk_datetime(value: datetime | None) -> str:
    """Format a stored UTC timestamp in UK time (GMT or BST): 5 January 2026 at 2:05pm."""
    if value is None:
        return ""
    from inspect_app.domain.schedules import to_uk

    return format_datetime(to_uk(value))


def format_percentage(value: float | Decimal | None, places: int = 1) -> str:
    """Format a percentage rounded half up, or an en dash when there is none."""
    rounded = round_half_up(value, places)
    return "–" if rounded is None else f"{rounded}%"


def format_number(value: int | float | None) -> str:
    """Format a count with thousands separators."""
    if value is None:
        return "–"
    return f"{value:,}"


def partner_name(key: str | None) -> str:
    """Name a partner organisation ("icb" -> "Integrated care board (NHS)")."""
    return PARTNERS.get(key or "", key or "–")


def register(app: Flask) -> None:
    for function in (format_date, format_datetime, format_uk_datetime, format_percentage, format_number, partner_name):
        app.add_template_filter(function)
