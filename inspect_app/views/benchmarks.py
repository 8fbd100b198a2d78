"""National statistics as a partnership sees them: its local authority beside England, its region and neighbours."""

from __future__ import annotations

from flask import Blueprint, render_template, request, url_for

from inspect_app.domain import benchmarks as published
from inspect_app.domain.errors import NotFound
from inspect_app.domain.symbols import describe_symbol
from inspect_app.extensions import db
from inspect_app.navigation import (
    CriterionBadge,
    DashboardCard,
)
from inspect_app.services import benchmark_charts, benchmarks
from inspect_app.services.partnerships import Access
from inspect_app.views.access import EVERYONE, allow, current_access, protect_partnership_blueprint

bp = Blueprint("benchmarks", __name__, url_prefix="/p/<slug>/benchmarks")
protect_partnership_blueprint(bp)

# The measure the dashboard card leads with: DfE's headline timeliness figure.
HEADLINE_MEASURE = "ehcp_20wk_excl"


@bp.app_template_filter("format_figure")
def format_figure_filter(figure: published.Figure | None, unit: str) -> str:
    return published.format_figure(figure, unit)


@bp.app_template_filter("format_parts")
def format_parts_filter(figure: published.Figure | None) -> str:
    return published.format_parts(figure)


@bp.app_template_filter("format_difference")
def format_difference_filter(value, unit: str) -> str:  # type: ignore[no-untyped-def]
    return published.format_difference(value, unit)


@bp.app_template_filter("symbol_meaning")
def symbol_meaning_filter(symbol: str) -> str:
    return describe_symbol(symbol)


@bp.app_template_filter("difference_from")
def difference_from_filter(local: published.Figure | None, other: published.Figure | None, unit: str):  # type: ignore[no-untyped-def]
    return published.difference(local, other, unit)


@bp.app_template_filter("format_amount")
def format_amount_filter(value, unit: str) -> str:  # type: ignore[no-untyped-def]
    return published.format_amount(value, unit)


@bp.route("/")
@allow(*EVERYONE)
def view_benchmarks():  # type: ignore[no-untyped-def]
    access = current_access()
    comparisons = benchmarks.latest_comparisons(db.session, access.partnership)
    area = benchmarks.local_area(db.session, access.partnership)
    return render_template("benchmarks/index.html", access=access, comparisons=comparisons, area=area)


@bp.route("/<measure_id>")
@allow(*EVERYONE)
def view_benchmark_measure(measure_id: str):  # type: ignore[no-untyped-def]
    access = current_access()
    if published.published_measure(measure_id) is None:
        raise NotFound(f"No published measure {measure_id}")
    trend = benchmarks.trend(db.session, access.partnership, measure_id)
    periods = [c.period for c in trend.comparisons]
    chosen = trend.at(request.args.get("year", "")) or trend.latest
    return render_template(
        "benchmarks/measure.html",
        access=access,
        trend=trend,
        measure=trend.measure,
        area=trend.area,
        chosen=chosen,
        periods=periods,
        chart=benchmark_charts.trend_chart(trend) if trend.comparisons else None,
        symbols=trend.symbols_used(),
    )


def dashboard_card(access: Access) -> DashboardCard:
    """The dashboard card: the headline timeliness figure beside England and the neighbours."""
    href = url_for("benchmarks.view_benchmarks", slug=access.partnership.slug)
    comparisons = {c.measure.id: c for c in benchmarks.latest_comparisons(db.session, access.partnership)}
    if not comparisons:
        return DashboardCard("National statistics", href, "No national statistics have been imported yet.")
    headline = comparisons.get(HEADLINE_MEASURE) or next(iter(comparisons.values()))
    unit = headline.measure.unit
    parts = [f"{headline.measure.title}, {headline.period}:"]
    if headline.published_local is not None:
        parts.append(f"{headline.area.la.name} {published.format_figure(headline.published_local.figure, unit)},")
    parts.append(f"England {published.format_figure(headline.england.figure if headline.england else None, unit)}")
    if headline.rank is not None:
        parts[-1] += ","
        parts.append(f"ranked {headline.rank} among its statistical neighbours")
    return DashboardCard("National statistics", href, " ".join(parts) + ".")


def criterion_badges(access: Access, framework) -> dict[str, list[CriterionBadge]]:  # type: ignore[no-untyped-def]
    """Per criterion: the published local figure of each of its measures beside England's."""
    comparisons = {c.measure.id: c for c in benchmarks.latest_comparisons(db.session, access.partnership)}
    badges: dict[str, list[CriterionBadge]] = {}
    for criterion in framework.criteria:
        for measure_id in criterion.measures:
            measure = published.published_measure(measure_id)
            comparison = comparisons.get(measure.id) if measure else None
            if comparison is None or comparison.published_local is None:
                continue
            unit = comparison.measure.unit
            england = published.format_figure(comparison.england.figure if comparison.england else None, unit)
            local = published.format_figure(comparison.published_local.figure, unit)
            text = f"{comparison.measure.title} {comparison.period}: {local} (England {england})"
            href = url_for("benchmarks.view_benchmark_measure", slug=access.partnership.slug, measure_id=measure.id)
            badges.setdefault(criterion.id, []).append(CriterionBadge(text, href))
    return badges
