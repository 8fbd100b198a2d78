"""The trend chart of one measure's published figures: which lines to draw and the headline that says what they show.

The drawing itself is `reports/benchmark_charts.trend_chart_svg` (data in, SVG out).
"""

from __future__ import annotations

from decimal import Decimal

from inspect_app.domain.benchmarks import format_figure
from inspect_app.reports.benchmark_charts import ChartSeries, trend_chart_svg
from inspect_app.services.benchmarks import PublishedValue, Trend


def trend_headline(trend: Trend) -> str:
    """The chart's title: the main message of the latest year, not just what is plotted."""
    latest = trend.latest
    name = trend.area.la.name
    if latest is None:
        return f"{trend.measure.title}: no published figures"
    unit = trend.measure.unit
    local, england, gap = latest.published_local, latest.england, latest.difference_from_england
    if local is not None and england is not None and gap is not None:
        position = "above" if gap > 0 else "below" if gap < 0 else "level with"
        shown = f"{format_figure(local.figure, unit)} against {format_figure(england.figure, unit)}"
        return f"{name} was {position} England in {latest.period} ({shown})"
    return f"{trend.measure.title}: {name} and England, {trend.comparisons[0].period} to {latest.period}"


def trend_chart(trend: Trend) -> str:
    """The local authority, England, its region and its neighbours' average over every published year."""
    unit = trend.measure.unit

    def shown(value: PublishedValue | None) -> Decimal | None:
        return value.figure.display_value(unit) if value else None

    comparisons = trend.comparisons
    series = [
        ChartSeries(trend.area.la.name, [shown(c.published_local) for c in comparisons]),
        ChartSeries("England", [shown(c.england) for c in comparisons]),
    ]
    if trend.area.region:
        series.append(ChartSeries(trend.area.region.name, [shown(c.region) for c in comparisons]))
    if trend.area.neighbours:
        series.append(ChartSeries("Statistical neighbours' average", [c.average.mean for c in comparisons]))
    return trend_chart_svg(trend_headline(trend), [c.period for c in comparisons], series, unit)
