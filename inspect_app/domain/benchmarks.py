"""Published measures and the arithmetic of comparing a local figure with England, its region and its neighbours.

Pure Python: figures in, comparisons out. Every difference is computed from numerators and denominators where a
figure has them (exact `Decimal`), never from rounded percentages; a percentage is rounded half up only when it
is shown (`display_value`). A DfE symbol is never a number: a figure with a symbol has no value and takes no
part in an average or a rank.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from inspect_app.domain.numbers import ratio_percentage, round_half_up

PERCENT = "percent"
COUNT = "count"
WEEKS = "weeks"

CALENDAR_YEAR = "calendar_year"
ACADEMIC_YEAR = "academic_year"


@dataclass(frozen=True, slots=True)
class PublishedMeasure:
    """A measure DfE publishes for England, regions and local authorities (as importers/benchmarks.py reads it)."""

    id: str
    title: str
    unit: str  # PERCENT, COUNT or WEEKS
    higher_is_better: bool | None  # None: neither direction is better, so no rank is given
    period: str  # CALENDAR_YEAR or ACADEMIC_YEAR
    source: str  # the file(s) of the publication it comes from


_MEASURES: tuple[PublishedMeasure, ...] = (
    PublishedMeasure(
        "ehcp_20wk_excl",
        "New EHC plans issued within 20 weeks, excluding exceptions",
        PERCENT,
        True,
        CALENDAR_YEAR,
        "sen2_mi.csv (to 2024 release), timeliness_20_week.csv",
    ),
    PublishedMeasure(
        "ehcp_20wk_incl",
        "New EHC plans issued within 20 weeks, including exceptions",
        PERCENT,
        True,
        CALENDAR_YEAR,
        "sen2_mi.csv (to 2024 release), timeliness_20_week.csv",
    ),
    PublishedMeasure(
        "ehcp_over_52wk_excl",
        "New EHC plans issued after more than a year, excluding exceptions",
        PERCENT,
        False,
        CALENDAR_YEAR,
        "timeliness_20_week.csv",
    ),
    PublishedMeasure(
        "ehcp_over_52wk_incl",
        "New EHC plans issued after more than a year, including exceptions",
        PERCENT,
        False,
        CALENDAR_YEAR,
        "timeliness_20_week.csv",
    ),
    PublishedMeasure(
        "ehcp_20_52wk_excl",
        "New EHC plans issued after 20 weeks but within a year, excluding exceptions",
        PERCENT,
        False,
        CALENDAR_YEAR,
        "timeliness_20_week.csv",
    ),
    PublishedMeasure(
        "avg_weeks_to_plan",
        "Average weeks from request to new EHC plan, including exceptions",
        WEEKS,
        False,
        CALENDAR_YEAR,
        "timeliness_20_week.csv (2026 release on)",
    ),
    PublishedMeasure(
        "avg_weeks_to_plan_excl",
        "Average weeks from request to new EHC plan, excluding exceptions",
        WEEKS,
        False,
        CALENDAR_YEAR,
        "timeliness_20_week.csv (2026 release on)",
    ),
    PublishedMeasure(
        "decision_6wk",
        "Decisions whether to assess made within 6 weeks",
        PERCENT,
        True,
        CALENDAR_YEAR,
        "requests.csv",
    ),
    PublishedMeasure(
        "requests_received",
        "Requests for an EHC needs assessment",
        COUNT,
        None,
        CALENDAR_YEAR,
        "sen2_mi.csv (to 2024 release), requests.csv",
    ),
    PublishedMeasure(
        "requests_refused",
        "Requests where the council decided not to assess",
        PERCENT,
        None,
        CALENDAR_YEAR,
        "sen2_mi.csv (to 2024 release), requests.csv",
    ),
    PublishedMeasure(
        "new_plans",
        "New EHC plans issued",
        COUNT,
        None,
        CALENDAR_YEAR,
        "sen2_mi.csv (to 2024 release), newplans.csv",
    ),
    PublishedMeasure(
        "decision_16wk_no_plan",
        "Decisions not to issue a plan made within 16 weeks",
        PERCENT,
        True,
        CALENDAR_YEAR,
        "assessments.csv",
    ),
    PublishedMeasure("assessments", "EHC needs assessments", COUNT, None, CALENDAR_YEAR, "assessments.csv"),
    PublishedMeasure("ehc_plans", "EHC plans in January", COUNT, None, ACADEMIC_YEAR, "caseload.csv"),
    PublishedMeasure(
        "review_decision_4wk",
        "Review decisions sent within 4 weeks",
        PERCENT,
        True,
        CALENDAR_YEAR,
        "annual_reviews.csv",
    ),
    PublishedMeasure(
        "review_completed_in_year",
        "Annual reviews completed in the year",
        PERCENT,
        True,
        CALENDAR_YEAR,
        "annual_reviews.csv (2026 release on)",
    ),
    PublishedMeasure(
        "phase_transfers_due",
        "Phase transfers due in the year",
        COUNT,
        None,
        CALENDAR_YEAR,
        "phase_transfers.csv (2026 release on)",
    ),
    PublishedMeasure(
        "phase_transfers_final",
        "Phase transfer plans finalised in the year",
        COUNT,
        None,
        CALENDAR_YEAR,
        "phase_transfers.csv (2026 release on)",
    ),
    PublishedMeasure(
        "appeal_rate",
        "SEND Tribunal appeal rate",
        PERCENT,
        False,
        CALENDAR_YEAR,
        "SEND appealable decisions rate (supporting file)",
    ),
)

PUBLISHED_MEASURES: dict[str, PublishedMeasure] = {measure.id: measure for measure in _MEASURES}

# Framework measure ids whose DfE comparator is published under another id here.
FRAMEWORK_ALIASES: dict[str, str] = {
    "refusal_rate": "requests_refused",
    "avg_weeks_to_issue": "avg_weeks_to_plan_excl",
}


def published_measure(measure_id: str) -> PublishedMeasure | None:
    """Return the published measure a framework or published measure id names, or None when DfE publishes none."""
    wanted = measure_id.strip()
    return PUBLISHED_MEASURES.get(FRAMEWORK_ALIASES.get(wanted, wanted))


class MeasureValue(Protocol):
    """Anything with a numerator, a denominator and a value: a local measure computed from case data."""

    @property
    def numerator(self) -> int | None: ...

    @property
    def denominator(self) -> int | None: ...

    @property
    def value(self) -> Decimal | float | int | None: ...


@dataclass(frozen=True, slots=True)
class Figure:
    """One figure: its parts and its value, or DfE's symbol when there is no number."""

    numerator: int | None
    denominator: int | None
    value: Decimal | None
    symbol: str | None = None

    @classmethod
    def of(cls, measured: MeasureValue) -> Figure:
        """Take a local measure (numerator, denominator, value) as a figure."""
        value = measured.value
        return cls(
            measured.numerator,
            measured.denominator,
            None if value is None else Decimal(str(value)),
            getattr(measured, "symbol", None),
        )

    @property
    def has_value(self) -> bool:
        return self.value is not None or (self.numerator is not None and bool(self.denominator))

    def exact(self, unit: str) -> Decimal | None:
        """The figure at full precision: a percentage from its numerator and denominator when it has them."""
        if unit == PERCENT and self.numerator is not None and self.denominator:
            return ratio_percentage(self.numerator, self.denominator)
        return self.value

    def display_value(self, unit: str) -> Decimal | None:
        """The figure as DfE would print it: a percentage or an average half up to one decimal, a count whole."""
        if self.value is not None:
            return self.value if unit == COUNT else round_half_up(self.value, 1)
        return round_half_up(self.exact(unit), 1)


def normalised(value: Decimal) -> Decimal:
    """Drop trailing zeros without switching to exponent notation (59.900000000000 -> 59.9, 100.0 -> 100)."""
    reduced = value.normalize()
    return reduced.quantize(Decimal(1)) if reduced == reduced.to_integral_value() else reduced


def json_number(value: Decimal | None) -> int | float | None:
    """A Decimal as a JSON number at its published precision: an int when whole, else the shortest float.

    A float's repr is the shortest text that reads back as the same float, so 59.9 prints as 59.9; every figure
    DfE publishes has far fewer than the 15 significant digits a float keeps exactly.
    """
    if value is None:
        return None
    reduced = normalised(value)
    return int(reduced) if reduced == reduced.to_integral_value() else float(reduced)


def difference(local: Figure | None, other: Figure | None, unit: str) -> Decimal | None:
    """Local minus the comparator, exact (percentage points for percentages); None when either has no number."""
    if local is None or other is None:
        return None
    mine, theirs = local.exact(unit), other.exact(unit)
    return None if mine is None or theirs is None else mine - theirs


@dataclass(frozen=True, slots=True)
class NeighbourAverage:
    """The neighbours' average: the mean of their figures (shown) and the rate pooled from their counts."""

    mean: Decimal | None  # the mean of the neighbours' figures, as DfE's benchmarking tool averages them
    pooled: Decimal | None  # summed numerators over summed denominators (percentages only)
    with_data: int
    neighbours: int

    @property
    def figure(self) -> Figure | None:
        return None if self.mean is None else Figure(None, None, self.mean)


def neighbour_average(figures: Sequence[Figure | None], unit: str) -> NeighbourAverage:
    """Average the neighbours that have a number; say how many of them had one."""
    exact = [f.exact(unit) for f in figures if f is not None]
    values = [v for v in exact if v is not None]
    mean = sum(values, Decimal(0)) / len(values) if values else None
    pooled = None
    if unit == PERCENT:
        counted = [f for f in figures if f is not None and f.numerator is not None and f.denominator is not None]
        denominator = sum(f.denominator or 0 for f in counted)
        pooled = ratio_percentage(sum(f.numerator or 0 for f in counted), denominator) if counted else None
    return NeighbourAverage(mean, pooled, len(values), len(figures))


@dataclass(frozen=True, slots=True)
class Rank:
    """A position among the local area and its neighbours with data: 1 is the best."""

    position: int
    out_of: int

    def __str__(self) -> str:
        return f"{self.position} of {self.out_of}"


def rank_among(local: Decimal | None, others: Iterable[Decimal | None], higher_is_better: bool | None) -> Rank | None:
    """Rank the local figure among the others (ties share the better place); None when no direction is better."""
    if local is None or higher_is_better is None:
        return None
    values = [v for v in others if v is not None]
    better = sum(1 for v in values if (v > local if higher_is_better else v < local))
    return Rank(better + 1, len(values) + 1)


_NUMBER = re.compile(r"\d+")


def release_order(label: str) -> tuple[int, ...]:
    """Order release labels by the numbers in them: "2022" before "2025" before "EHCP 2026"."""
    return tuple(int(part) for part in _NUMBER.findall(label))


def default_release_label(periods: Iterable[str]) -> str | None:
    """The reporting year a file's figures were published in: the year after its latest period.

    Calendar-year figures for 2024 are published in the 2025 release; academic-year snapshots for 2024/25
    (January 2025) too. None when there are no periods.
    """
    years = [int(period[:4]) for period in periods if period[:4].isdigit()]
    return str(max(years) + 1) if years else None


def period_matches(period: str, wanted: str) -> bool:
    """Tell whether a period matches a --year: 2024 matches "2024" and the academic year "2024/25"."""
    wanted = wanted.strip()
    return period == wanted or (len(wanted) == 4 and period.startswith(f"{wanted}/"))


MINUS = "\u2212"


def format_amount(value: Decimal | None, unit: str) -> str:
    """Format a number for a page: 59.9%, 12.3 weeks, 82,329 (percentages and averages half up to 1 decimal)."""
    if value is None:
        return "\u2013"
    if unit == COUNT and value == value.to_integral_value():
        return f"{int(value):,}"
    rounded = round_half_up(value, 1)
    assert rounded is not None
    text = f"{rounded:,}".replace("-", MINUS)
    return f"{text}%" if unit == PERCENT else f"{text} weeks" if unit == WEEKS else text


def format_figure(figure: Figure | None, unit: str) -> str:
    """Format a figure as published (a percentage half up to 1 decimal), or its DfE symbol, or an en dash."""
    if figure is None:
        return "\u2013"
    if figure.display_value(unit) is None:
        return figure.symbol or "\u2013"
    return format_amount(figure.display_value(unit), unit)


def format_parts(figure: Figure | None) -> str:
    """The counts behind a figure: "34,249 of 57,196", "over 60 plans" for an average, or "" when it has none."""
    if figure is None or figure.denominator is None:
        return ""
    if figure.numerator is None:
        return f"over {figure.denominator:,} plans"
    return f"{figure.numerator:,} of {figure.denominator:,}"


def format_difference(value: Decimal | None, unit: str) -> str:
    """A signed difference: +2.3 points (percentages), −1.5 weeks, +120; an en dash when there is none."""
    if value is None:
        return "\u2013"
    rounded = value if unit == COUNT and value == value.to_integral_value() else round_half_up(value, 1)
    assert rounded is not None
    sign = "+" if rounded > 0 else MINUS if rounded < 0 else ""
    magnitude = f"{abs(rounded):,}"
    suffix = " points" if unit == PERCENT else " weeks" if unit == WEEKS else ""
    return f"{sign}{magnitude}{suffix}"
