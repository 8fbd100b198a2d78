"""The diverging bar chart: valid SVG with a title, accessible, ids unique to the chart, no page-wide styles."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from inspect_app.domain.feedback import FeedbackResponse, LikertAnswer, diverging_bars, summarise_items
from inspect_app.reports.feedback_charts import diverging_bar_chart

SVG = "{http://www.w3.org/2000/svg}"


def bars():  # type: ignore[no-untyped-def]
    points = ["strongly_agree", "agree", "agree", "neither", "disagree", "strongly_disagree", "dont_know"]
    responses = [
        FeedbackResponse(
            respondent_key=str(index),
            submitted_at=None,
            groups={},
            answers=(
                LikertAnswer("a", "item_a", "EXP1", points[index % 7]),
                LikertAnswer("b", "item_b", None, "agree"),
            ),
        )
        for index in range(21)
    ]
    return diverging_bars(summarise_items(responses))


def test_the_chart_is_svg_with_a_title_role_and_the_statements_as_text():
    svg = diverging_bar_chart(
        ["Needs were identified early & well", "Item B"], bars(), "Most agree <really>", chart_id="items"
    )
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg" and root.get("role") == "img" and root.get("aria-labelledby") == "items-title"
    title = root.find(f"{SVG}title")
    assert title is not None and title.text == "Most agree <really>" and title.get("id") == "items-title"
    texts = " ".join(t.text or "" for t in root.iter(f"{SVG}text"))
    assert "Needs were identified early & well" in texts and "Strongly disagree" in texts and "100%" in texts
    assert "<style" not in svg and "<metadata" not in svg


def test_two_charts_on_one_page_share_no_id():
    first = diverging_bar_chart(["A", "B"], bars(), "One", chart_id="one")
    second = diverging_bar_chart(["A", "B"], bars(), "Two", chart_id="two")
    ids_one = set(re.findall(r'id="([^"]+)"', first))
    ids_two = set(re.findall(r'id="([^"]+)"', second))
    assert ids_one and not ids_one & ids_two
    assert all(ref.startswith("one-") for ref in re.findall(r"url\(#([^)]+)\)", first))


def test_the_same_data_gives_the_same_svg():
    assert diverging_bar_chart(["A", "B"], bars(), "T", chart_id="c") == diverging_bar_chart(
        ["A", "B"], bars(), "T", chart_id="c"
    )


def test_one_label_is_needed_per_bar():
    with pytest.raises(ValueError, match="one label per bar"):
        diverging_bar_chart(["A"], bars(), "T")
