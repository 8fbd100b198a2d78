"""Like with like: pair a local figure with each comparator's for the same period, and rate a measure.

A local figure is compared only with a comparator's figure for the same period. When a comparator has not
published the local figure's period yet (DfE publishes a year or more after the local data), the latest period
both have is compared instead, and the measure says the newer local figure has no published comparator yet.
Nothing here ever pairs two different periods.

A statutory duty is rated against the law (the share of cases within the time limit against the configured
bands); England, the region and the neighbours are context for it. Any other measure with a better direction
is rated against England for the period compared.
"""

from __future__ import annotations

from decimal import Decimal

from inspect_app.domain.readiness.model import ComparatorSeries, Comparison, MeasureFact
from inspect_app.domain.readiness.text import dec
from inspect_app.domain.readiness_config import ReadinessConfig


def pair(measure: MeasureFact, series: ComparatorSeries) -> Comparison | None:
    """Return the local and comparator figures for the same period, the latest such period first choice."""
    periods = measure.local_periods
    if not periods:
        return None
    common = [p for p in periods if series.value_at(p) is not None]
    if not common:
        return None
    period = common[-1]
    local, value = measure.local_at(period), series.value_at(period)
    assert local is not None and value is not None  # both chosen for having a figure
    return Comparison(
        area_code=series.area_code,
        name=series.name,
        kind=series.kind,
        period=period,
        value=value,
        local_value=local,
        latest=period == measure.period,
    )


def comparisons(measure: MeasureFact) -> tuple[Comparison, ...]:
    """Every comparator the measure can be compared with, each for a period both have."""
    return tuple(c for series in measure.comparators if (c := pair(measure, series)) is not None)


def comparison_note(measure: MeasureFact, found: tuple[Comparison, ...]) -> str | None:
    """Say which comparisons are for an earlier year than the local figure's, or that nothing can be compared."""
    if not measure.comparators:
        return None
    earlier = [c for c in found if not c.latest]
    if earlier:
        return earlier_note(measure, found, earlier)
    if not found and measure.value is not None:
        return (
            f"No comparator has a figure for a year the partnership has one; the {measure.period} figure stands "
            f"alone."
        )
    return None


def earlier_note(measure: MeasureFact, found: tuple[Comparison, ...], earlier: list[Comparison]) -> str:
    """Name the comparisons made in an earlier year because the local figure's own year is not published yet."""
    years = ", ".join(sorted({c.period for c in earlier}))
    names = " and ".join(dict.fromkeys(c.name for c in earlier))
    if measure.value is None or measure.period is None:
        when = f" for {measure.period}" if measure.period else ""
        return f"There is no local figure{when}; it is compared with {names} in {years}, the latest year both have."
    if all(not c.latest for c in found):
        return (
            f"The {measure.period} figure has no published comparator yet; it is compared with {names} in {years}, "
            f"the latest year both have."
        )
    verb = "has" if len({c.name for c in earlier}) == 1 else "have"
    return (
        f"{names} {verb} not published a figure for {measure.period} yet; {'it is' if verb == 'has' else 'they are'} "
        f"compared in {years}, the latest year both have."
    )


def worse_by(comparison: Comparison, higher_is_better: bool) -> Decimal:
    """How far the local figure is worse than the comparator's for the same period (negative when better)."""
    gap = dec(comparison.local_value) - dec(comparison.value)
    return -gap if higher_is_better else gap


def within_limit(measure: MeasureFact) -> Decimal | None:
    """The share of cases within the time limit: the value, or its complement for a measure of cases beyond it."""
    if measure.value is None or measure.higher_is_better is None:
        return None
    return dec(measure.value) if measure.higher_is_better else 100 - dec(measure.value)


def duty_rag(measure: MeasureFact, config: ReadinessConfig) -> str:
    """Rate a statutory duty against the law: green, amber or red by the configured bands; none without a figure."""
    share = within_limit(measure)
    if share is None:
        return "none"
    if share >= dec(config.duty_green_min):
        return "green"
    if share >= dec(config.duty_amber_min):
        return "amber"
    return "red"


def england(found: tuple[Comparison, ...]) -> Comparison | None:
    return next((c for c in found if c.kind == "england"), None)


def comparator_rag(measure: MeasureFact, found: tuple[Comparison, ...], config: ReadinessConfig) -> str:
    """Rate a measure that is not a duty against England for the period compared; none without both figures."""
    against = england(found)
    if against is None or measure.higher_is_better is None:
        return "none"
    shortfall = worse_by(against, measure.higher_is_better)
    if shortfall <= dec(config.measure_green_margin_pp):
        return "green"
    if shortfall <= dec(config.measure_amber_margin_pp):
        return "amber"
    return "red"


def rate(measure: MeasureFact, found: tuple[Comparison, ...], config: ReadinessConfig) -> tuple[str, str]:
    """Return the measure's RAG and what it is rated against: "law", "england" or "none"."""
    if measure.value is None or measure.higher_is_better is None:
        return "none", "none"
    if measure.duty:
        return duty_rag(measure, config), "law"
    rag = comparator_rag(measure, found, config)
    return rag, "england" if rag != "none" else "none"
