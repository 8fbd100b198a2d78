"""The readiness report as HTML (download, and the body of the readiness page) and as PDF (from print HTML)."""

from __future__ import annotations

import base64
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from inspect_app.reports.charts import criterion_scores_svg, gaps_by_severity_svg, inline_svg
from inspect_app.reports.pdf import html_to_pdf
from inspect_app.reports.templating import render_template

if TYPE_CHECKING:
    from inspect_app.reports.readiness_report import ReadinessReport

TEMPLATE = "reports/readiness.html"
BODY_TEMPLATE = "reports/_readiness_body.html"  # for a page that embeds the report under its own h1
VARIANTS = ("screen", "print")


def report_context(report: ReadinessReport, variant: str = "screen") -> dict[str, Any]:
    """Return what the report templates need: the report and its two charts as markup.

    On screen the charts are inline SVG (crisp, searchable, styled by the page); for print they are SVG images,
    which WeasyPrint draws without adding hundreds of elements to the document it lays out.
    """
    charts = {
        "scores_chart": (criterion_scores_svg(report.score_bars, report.scores_chart_title), report.scores_chart_title),
        "gaps_chart": (gaps_by_severity_svg(report.severity_bars, report.gaps_chart_title), report.gaps_chart_title),
    }
    context: dict[str, Any] = {"report": report}
    for key, (svg, title) in charts.items():
        context[key] = _svg_image(svg, title) if variant == "print" else Markup(inline_svg(svg))
    return context


def _svg_image(svg: bytes, title: str) -> Markup:
    source = "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")
    alt = f"Chart: {title}. The table after it gives the same numbers."
    return Markup('<img class="app-chart__image" src="{}" alt="{}">').format(source, alt)


def readiness_html(report: ReadinessReport, variant: str = "screen") -> str:
    """Return the report as one standalone HTML document; `variant` "print" is the PDF's source."""
    if variant not in VARIANTS:
        raise ValueError(f"variant must be one of {VARIANTS}")
    return render_template(TEMPLATE, variant=variant, **report_context(report, variant))


def render_html(report: ReadinessReport) -> bytes:
    """Render the report as a standalone, accessible HTML document (UTF-8)."""
    return readiness_html(report, "screen").encode("utf-8")


def render_pdf(report: ReadinessReport) -> bytes:
    """Render the report as PDF: cover, contents with page numbers, charts with their tables, numbered pages."""
    return html_to_pdf(readiness_html(report, "print"))
