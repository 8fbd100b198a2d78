from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from inspect_app.reports.charts import (
    CountBar,
    ScoreBar,
    criterion_scores_figure,
    criterion_scores_svg,
    gaps_by_severity_svg,
    inline_svg,
    to_png,
)

SVG = "{http://www.w3.org/2000/svg}"


def texts(svg: bytes) -> str:
    root = ET.fromstring(svg)
    return " ".join(" ".join(element.itertext()) for element in root.iter(f"{SVG}text"))


def test_scores_chart_is_svg_with_a_title_axis_labels_and_a_label_on_every_bar(busy_report):
    svg = criterion_scores_svg(busy_report.score_bars, busy_report.scores_chart_title)
    root = ET.fromstring(svg)
    title = root.find(f"{SVG}title")
    words = texts(svg)

    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "scores-chart-title scores-chart-desc"
    assert title is not None and title.text == busy_report.scores_chart_title
    assert "Score (0 to 100): impact, then preparation" in words
    assert "Criterion, by section" in words
    for bar in busy_report.score_bars:
        assert bar.label in words
        # the RAG is a word, not only a colour
        assert f"Preparation {bar.preparation} {bar.preparation_rag_label}" in words
        impact = "Impact: not enough data" if bar.impact is None else f"Impact {bar.impact} {bar.impact_rag_label}"
        assert impact in words
    assert {"EXP", "LEAD", "AP"} <= set(words.split())  # section headings between the groups


def test_scores_chart_draws_amber_and_red_with_hatch_patterns_so_it_reads_in_black_and_white():
    bars = [
        ScoreBar("EXP1", "EXP", 80, "green", "Green", 60, "amber", "Amber"),
        ScoreBar("EXP2", "EXP", 20, "red", "Red", 90, "green", "Green"),
        ScoreBar("EXP3", "EXP", None, "none", "Not enough data", 40, "red", "Red"),
    ]

    figure = criterion_scores_figure(bars, "1 of 3 criteria are red")
    hatches = [patch.get_hatch() for patch in figure.axes[0].patches]

    assert hatches == [None, "///", "xxx", None, None, "xxx"]
    assert b"<pattern" in criterion_scores_svg(bars, "1 of 3 criteria are red")


def test_gaps_chart_is_svg_with_a_title_axis_labels_and_each_count(busy_report):
    svg = gaps_by_severity_svg(busy_report.severity_bars, busy_report.gaps_chart_title)
    root = ET.fromstring(svg)
    words = texts(svg)

    assert root.find(f"{SVG}title").text == busy_report.gaps_chart_title
    assert "Number of gaps" in words and "Severity" in words
    for bar in busy_report.severity_bars:
        assert bar.label in words and str(bar.count) in words


def test_charts_are_byte_for_byte_stable_and_carry_no_date(busy_report):
    first = criterion_scores_svg(busy_report.score_bars, busy_report.scores_chart_title)
    second = criterion_scores_svg(busy_report.score_bars, busy_report.scores_chart_title)

    assert first == second
    assert b"<dc:date>" not in first


def test_two_charts_share_no_ids_so_both_can_sit_in_one_html_page(busy_report):
    scores = criterion_scores_svg(busy_report.score_bars, busy_report.scores_chart_title).decode()
    gaps = gaps_by_severity_svg(busy_report.severity_bars, busy_report.gaps_chart_title).decode()
    ids = re.findall(r'\bid="([^"]+)"', scores) + re.findall(r'\bid="([^"]+)"', gaps)
    references = re.findall(r'url\(#([^)]+)\)|href="#([^"]+)"', scores + gaps)

    assert len(ids) == len(set(ids))
    assert all(i.startswith(("scores-chart-", "gaps-chart-")) for i in ids)
    assert {a or b for a, b in references} <= set(ids)


def test_inline_svg_drops_the_xml_prologue_and_fixed_size_so_it_scales():
    svg = gaps_by_severity_svg([CountBar("High", 2, "red")], "2 gaps")

    markup = inline_svg(svg)

    assert markup.startswith("<svg ")
    assert 'width="' not in markup.split(">", 1)[0]
    assert "viewBox" in markup.split(">", 1)[0]


def test_charts_with_nothing_to_show_still_draw():
    assert ET.fromstring(criterion_scores_svg([], "No criteria to score")).find(f"{SVG}title").text
    assert "0" in texts(gaps_by_severity_svg([CountBar("High", 0, "red")], "No gaps found"))


def test_chart_title_text_is_escaped_in_the_svg():
    svg = gaps_by_severity_svg([CountBar("High", 1, "red")], 'Gaps <script>alert("x")</script>')

    assert b"<script>" not in svg
    assert ET.fromstring(svg).find(f"{SVG}title").text == 'Gaps <script>alert("x")</script>'


def test_png_of_the_same_figure_is_a_png():
    assert to_png(
        criterion_scores_figure([ScoreBar("EXP1", "EXP", 50, "amber", "Amber", 80, "green", "Green")], "t")
    ).startswith(b"\x89PNG")
