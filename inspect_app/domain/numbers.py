"""Exact arithmetic for published-style figures.

DfE publishes percentages rounded half up to one decimal place (45/144 = 31.25 -> 31.3). Python's round()
rounds half to even, which disagrees on tens of published rows, so every percentage shown or compared with a
publication goes through these helpers.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal


def ratio_percentage(numerator: int, denominator: int) -> Decimal | None:
    """Return numerator/denominator as an exact percentage, or None when the denominator is zero."""
    if denominator == 0:
        return None
    return Decimal(numerator) * 100 / Decimal(denominator)


def round_half_up(value: Decimal | float | int | None, places: int = 1) -> Decimal | None:
    """Round a value half up to `places` decimals (None stays None)."""
    if value is None:
        return None
    exponent = Decimal(1).scaleb(-places)
    return Decimal(str(value)).quantize(exponent, rounding=ROUND_HALF_UP)


def display_percentage(numerator: int, denominator: int, places: int = 1) -> float | None:
    """Return the percentage as DfE would publish it (half up to `places` decimals), as a float for JSON."""
    exact = ratio_percentage(numerator, denominator)
    rounded = round_half_up(exact, places)
    return None if rounded is None else float(rounded)
