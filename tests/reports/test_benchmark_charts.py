"""Trend charts: SVG from matplotlib's Figure, labelled as one image, scaled by CSS, gaps left as gaps."""

from __future__ import annotations

from decimal import Decimal
from xml.etree import ElementTree

from inspect_app.reports.benchmark_charts import ChartSeries, trend_chart_svg

SVG = "{http://www.w3.org/2000/svg}"


def chart() -> str:
    return trend_chart_svg(
        "Hartlepool was below England in 2021 (46.6% against 59.9%)",
        ["2019", "2020", "2021"],
        [
            ChartSeries("Hartlepool", [Decimal("35.9"), None, Decimal("46.6")]),
            ChartSeries("England", [Decimal("60.4"), Decimal("58.0"), Decimal("59.9")]),
            ChartSeries("North East", [Decimal("69.8"), Decimal("75.9"), Decimal("71.8")]),
            ChartSeries("Statistical neighbours' average", [Decimal("73.2"), Decimal("78.1"), Decimal("80.4")]),
        ],
        "percent",
    )


def test_chart_is_an_svg_image_named_by_its_headline_for_assistive_technology():
    svg = chart()
    root = ElementTree.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("aria-label") == (
        "Hartlepool was below England in 2021 (46.6% against 59.9%). The table gives the same numbers."
    )
    assert root.get("width") is None and root.get("height") is None  # CSS scales it to the column
    assert root.get("viewBox")


def test_chart_keeps_its_text_as_text_with_the_title_legend_and_years():
    texts = ["".join(t.itertext()) for t in ElementTree.fromstring(chart()).iter(f"{SVG}text")]
    assert "Hartlepool was below England in 2021 (46.6% against 59.9%)" in texts
    for label in ("Hartlepool", "England", "North East", "Statistical neighbours' average", "2019", "2021"):
        assert label in texts
    assert "Per cent" in texts


def test_the_same_figures_give_the_same_svg():
    assert chart() == chart()


def test_a_count_chart_is_labelled_as_numbers():
    svg = trend_chart_svg("Requests", ["2023", "2024"], [ChartSeries("England", [Decimal(1), Decimal(2)])], "count")
    assert "Number" in ["".join(t.itertext()) for t in ElementTree.fromstring(svg).iter(f"{SVG}text")]
