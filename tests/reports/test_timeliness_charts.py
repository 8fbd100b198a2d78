"""Timeliness dashboard charts: each is an SVG image with a <title> and <desc>, and its table has the same numbers.

The charts are built as the dashboard builds them, from the hand-worked file of tests/case_data.py read by the
real importer (no database, no app). Each chart's numbers are read back three ways and compared with its table:
the <desc> in words, the plotted geometry (a line's points against the y axis; a bar's label), and the axis labels.
"""

from __future__ import annotations

import re
from xml.etree import ElementTree

import pytest

from inspect_app.importers.cases import read_cases, read_reviews
from inspect_app.reports.timeliness_charts import COLOURS, Series, bar_chart, trend_chart
from inspect_app.services.timeliness import Snapshot
from inspect_app.services.timeliness_dashboard import Chart, Dashboard, build_dashboard, measure_titles
from tests.case_data import AS_OF, CASES, REVIEWS

SVG = "{http://www.w3.org/2000/svg}"
XLINK = "{http://www.w3.org/1999/xlink}"


@pytest.fixture(scope="module")
def dashboard() -> Dashboard:
    cases = read_cases(CASES, today=AS_OF)
    reviews = read_reviews(REVIEWS, today=AS_OF)
    assert cases.ok and reviews.ok
    snap = Snapshot(list(range(1, len(cases.rows) + 1)), cases.rows, reviews.rows, AS_OF)
    return build_dashboard(snap, 2024, measure_titles(None))


def _charts(dashboard: Dashboard) -> dict[str, Chart]:
    return {
        "trend": dashboard.trend,
        "rolling": dashboard.rolling,
        "distribution": dashboard.distribution,
        "volumes": dashboard.volumes,
    }


def _texts(root: ElementTree.Element) -> list[str]:
    return ["".join(node.itertext()) for node in root.iter(f"{SVG}text")]


def _cells(chart: Chart) -> list[list[str]]:
    return [[cell.text for cell in row] for row in chart.table.rows]


@pytest.mark.parametrize("name", ["trend", "rolling", "distribution", "volumes"])
def test_each_chart_is_an_svg_image_with_its_headline_as_title_and_its_figures_as_desc(dashboard, name):
    chart = _charts(dashboard)[name]
    root = ElementTree.fromstring(chart.svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("aria-label") == f"{chart.title}. The table gives the same numbers."
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert list(root)[:2] == [title, desc]  # first, where assistive technology looks
    assert title.text == chart.title == chart.table.caption
    assert (title.get("id"), desc.get("id"), root.get("aria-describedby")) == (f"{name}-title", *[f"{name}-desc"] * 2)
    assert desc.text
    drawn = " ".join(" ".join(_texts(root)).split())
    assert " ".join(chart.title.split()) in drawn  # the headline is drawn as text too (wrapped over lines)
    ids = [node.get("id") for node in root.iter() if node.get("id")]
    assert len(ids) == len(set(ids)) and all(i.startswith(f"{name}-") for i in ids)  # unique across the page


def test_trend_chart_plots_the_numbers_of_its_table(dashboard):
    chart = dashboard.trend
    assert chart.title == "50.0% of new plans were issued within 20 weeks in 2024, down from 100.0% in 2023"
    head, rows = chart.table.head, _cells(chart)
    assert rows == [["2023", "100.0%", "100.0%", "100.0%"], ["2024", "50.0%", "66.7%", "80.0%"]]
    root = ElementTree.fromstring(chart.svg)
    expected = {series: [_number(row[i]) for row in rows] for i, series in enumerate(head[1:], start=1)}
    assert _described(root) == {
        series: dict(zip(["2023", "2024"], values, strict=True)) for series, values in expected.items()
    }
    assert _plotted(root, len(expected), [row[0] for row in rows]) == list(expected.values())
    for label in ("2023", "2024", *head[1:], "Per cent"):
        assert label in _texts(root)


def test_volumes_chart_plots_the_monthly_counts_of_its_table(dashboard):
    chart = dashboard.volumes
    assert chart.title == "7 requests, 5 decisions whether to assess and 3 new plans in 2024"
    head, rows = chart.table.head, _cells(chart)
    months, total = rows[:-1], rows[-1]
    assert [row[0] for row in months][:3] == ["Jan 2024", "Feb 2024", "Mar 2024"] and len(months) == 12
    assert total == ["Total", "7", "5", "3"]
    expected = [[_number(row[i]) for row in months] for i in range(1, 4)]
    assert [sum(column) for column in expected] == [7, 5, 3]
    root = ElementTree.fromstring(chart.svg)
    labels = [row[0].split()[0] for row in months]
    assert _plotted(root, 3, labels) == expected
    described = _described(root)
    assert list(described) == head[1:]
    assert [list(values.values()) for values in described.values()] == expected


def test_distribution_chart_bars_carry_the_counts_of_its_table(dashboard):
    chart = dashboard.distribution
    assert chart.title == "2 of 3 new plans in 2024 were issued within 20 weeks; 0 took more than a year"
    rows = _cells(chart)
    bands, total = rows[:-1], rows[-1]
    assert total == ["All new plans", "3", "100.0%"]
    root = ElementTree.fromstring(chart.svg)
    texts = _texts(root)
    counts = [row[1] for row in bands]
    assert sum(int(count) for count in counts) == 3
    # a label beside each bar, and each band's name on the axis, in the table's order
    assert [text for text in texts if re.fullmatch(r"\d+", text)] == counts
    assert [t for t in texts if t in {row[0] for row in bands}] == [row[0] for row in bands]
    assert root.find(f"{SVG}desc").text == "; ".join(f"{row[0]}: {row[1]}" for row in bands)
    assert _bar_lengths(root, len(bands)) == pytest.approx([int(c) for c in counts], abs=0.01)


def test_rolling_chart_describes_the_months_its_table_lists(dashboard):
    chart = dashboard.rolling
    rows = list(reversed(_cells(chart)))  # the table lists the newest month first; the chart runs oldest first
    described = _described(ElementTree.fromstring(chart.svg))
    assert list(described) == chart.table.head[1:]
    for column, series in enumerate(described.values(), start=1):
        shown = {row[0]: row[column] for row in rows}
        assert {month: _words(value) for month, value in series.items()} == {month: shown[month] for month in series}
    assert rows[-1][0] == "Jun 2025" and rows[-1][1] == "0.0%"


def test_a_count_chart_is_labelled_in_numbers_and_a_missing_figure_is_a_gap():
    svg = trend_chart("Requests", ["2023", "2024"], [Series("Requests", [3, None])], percent=False, chart_id="c")
    root = ElementTree.fromstring(svg)
    assert "Number" in _texts(root)
    assert root.find(f"{SVG}desc").text == "Requests: 2023 3, 2024 no figure"
    assert trend_chart("Requests", ["2023"], [Series("Requests", [3])], percent=False, chart_id="c") == trend_chart(
        "Requests", ["2023"], [Series("Requests", [3])], percent=False, chart_id="c"
    )


def test_markup_in_a_title_is_escaped():
    svg = bar_chart('Plans <b>"late"</b> & early', ["A & B"], [1], chart_id="x")
    root = ElementTree.fromstring(svg)
    assert root.find(f"{SVG}title").text == 'Plans <b>"late"</b> & early'
    assert root.find(f"{SVG}desc").text == "A & B: 1"


# Reading a chart back ------------------------------------------------------------------------------------------


def _number(text: str) -> float | None:
    return None if text == "–" else float(text.rstrip("%").replace(",", ""))


def _words(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}%"


def _described(root: ElementTree.Element) -> dict[str, dict[str, float | None]]:
    """The <desc> of a line chart as {series: {period: value}}."""
    described: dict[str, dict[str, float | None]] = {}
    for part in root.find(f"{SVG}desc").text.split("; "):
        label, _, points = part.rpartition(": ")
        values = {}
        for point in points.split(", "):
            period, _, value = point.rpartition(" ")
            if value == "figure":  # "no figure"
                period, value = period.removesuffix(" no"), "–"
            values[period] = _number(value)
        described[label] = values
    return described


def _ticks(root: ElementTree.Element, axis: str) -> list[tuple[str, float]]:
    """(label, position) of each tick on the x or y axis."""
    ticks = []
    for group in root.iter(f"{SVG}g"):
        if re.search(rf"-{axis}tick_\d+$", group.get("id", "")):
            mark = next(group.iter(f"{SVG}use"))
            ticks.append(("".join(next(group.iter(f"{SVG}text")).itertext()), float(mark.get(axis))))
    return ticks


def _plotted(root: ElementTree.Element, lines: int, periods: list[str]) -> list[list[float | None]]:
    """Each data line's value at each period, read from its path against the y axis's tick labels."""
    y_ticks = [(float(label.replace("\N{MINUS SIGN}", "-")), position) for label, position in _ticks(root, "y")]
    (v0, y0), (v1, y1) = y_ticks[0], y_ticks[-1]
    x_of = dict(_ticks(root, "x"))
    values = []
    for colour in COLOURS[:lines]:
        path = next(
            node
            for node in root.iter(f"{SVG}path")
            if f"stroke: {colour.lower()}" in node.get("style", "") and node.get("clip-path")
        )
        points = {round(float(x), 1): float(y) for x, y in re.findall(r"[ML] ([-\d.]+) ([-\d.]+)", path.get("d", ""))}
        line = []
        for period in periods:
            y = points.get(round(x_of[period], 1))
            line.append(None if y is None else round(v0 + (y - y0) * (v1 - v0) / (y1 - y0), 1))
        values.append(line)
    return values


def _bar_lengths(root: ElementTree.Element, bars: int) -> list[float]:
    """Each bar's length in units of the x axis (read against its first two tick labels)."""
    x_ticks = [(float(label), position) for label, position in _ticks(root, "x")]
    (v0, x0), (v1, x1) = x_ticks[0], x_ticks[1]
    rects = [
        node
        for node in root.iter(f"{SVG}path")
        if f"fill: {COLOURS[0].lower()}" in node.get("style", "") and node.get("clip-path")
    ]
    assert len(rects) == bars
    lengths = []
    for rect in rects:
        xs = [float(x) for x, _ in re.findall(r"[MLz]? ?([-\d.]+) ([-\d.]+)", rect.get("d", ""))]
        lengths.append(round((max(xs) - min(xs)) * (v1 - v0) / (x1 - x0), 3))
    return lengths
