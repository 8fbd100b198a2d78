"""Charts of family feedback: diverging stacked bars, as SVG text ready to put in a page.

Disagreement runs left of zero and agreement right, with "neither" split across the middle, so the balance of
each statement reads at a glance. Colours are a colour-blind-safe red-blue pair with grey for neither; the
page always shows a table of the same numbers beside the chart, which is the chart's text alternative.
Built with `matplotlib.figure.Figure` (never pyplot, which keeps global state in a server).
"""

from __future__ import annotations

import io
import re
import textwrap
from collections.abc import Sequence
from html import escape

import matplotlib

matplotlib.use("Agg")  # no display in a server; set before anything draws

from matplotlib.figure import Figure

from inspect_app.domain.feedback import DivergingBars

# (point, legend label, colour): RdBu from ColorBrewer, readable with the common colour-vision deficiencies.
SEGMENTS = (
    ("strongly_disagree", "Strongly disagree", "#b2182b"),
    ("disagree", "Disagree", "#ef8a62"),
    ("neither", "Neither", "#bababa"),
    ("agree", "Agree", "#67a9cf"),
    ("strongly_agree", "Strongly agree", "#2166ac"),
)
LABEL_WIDTH = 38  # characters per line of a statement beside its bar


def diverging_bar_chart(labels: Sequence[str], bars: DivergingBars, title: str, *, chart_id: str = "chart") -> str:
    """Draw one horizontal diverging bar per statement and return the chart as an inline-ready <svg> element.

    `labels` are the words shown for each bar (in the order of `bars`); the first is drawn at the top.
    """
    if len(labels) != len(bars.labels):
        raise ValueError("give one label per bar")
    count = len(labels)
    wrapped = [textwrap.fill(label, LABEL_WIDTH, max_lines=3, placeholder="…") for label in labels]
    figure = Figure(figsize=(8.5, 1.6 + 0.62 * max(count, 1)), layout="constrained")
    axes = figure.add_subplot()
    positions = list(range(count))[::-1]
    half_neither = [value / 2 for value in bars.neither]
    # Left side, from the middle outwards: half of neither, disagree, strongly disagree.
    left_edges = [-h for h in half_neither]
    for point, legend, colour in SEGMENTS:
        values = [abs(v) for v in getattr(bars, point)]
        if point == "neither":
            starts = [-h for h in half_neither]
        elif point in ("agree", "strongly_agree"):
            starts = _right_starts(bars, point, half_neither)
        else:
            starts = _left_starts(bars, point, left_edges)
        axes.barh(positions, values, left=starts, color=colour, label=legend, height=0.6, edgecolor="white")
    axes.axvline(0, color="#0b0c0c", linewidth=1)
    axes.set_yticks(positions, wrapped, fontsize=9)
    axes.set_xlim(-100, 100)
    axes.set_xticks(range(-100, 101, 25), [f"{abs(t)}%" for t in range(-100, 101, 25)], fontsize=9)
    axes.set_xlabel("Share of answers on the agree scale (don't know and not applicable left out)", fontsize=9)
    axes.set_title(textwrap.fill(title, 80), fontsize=11, loc="left", fontweight="bold")
    axes.spines[["top", "right"]].set_visible(False)
    axes.legend(
        loc="upper center", bbox_to_anchor=(0.5, -0.18 if count > 2 else -0.35), ncol=5, fontsize=8, frameon=False
    )
    return figure_to_svg(figure, title, chart_id)


def _left_starts(bars: DivergingBars, point: str, left_edges: list[float]) -> list[float]:
    """Disagree sits just left of neither; strongly disagree left of that."""
    disagree = [abs(v) for v in bars.disagree]
    if point == "disagree":
        return [edge - value for edge, value in zip(left_edges, disagree, strict=True)]
    strongly = [abs(v) for v in bars.strongly_disagree]
    return [edge - d - s for edge, d, s in zip(left_edges, disagree, strongly, strict=True)]


def _right_starts(bars: DivergingBars, point: str, half_neither: list[float]) -> list[float]:
    """Agree starts where neither ends; strongly agree after agree."""
    if point == "agree":
        return list(half_neither)
    return [h + a for h, a in zip(half_neither, bars.agree, strict=True)]


def figure_to_svg(figure: Figure, title: str, chart_id: str) -> str:
    """Render a figure as an <svg> element with a <title>, role="img" and ids unique to this chart."""
    buffer = io.StringIO()
    settings = {
        "svg.fonttype": "none",  # text stays text: smaller, sharper, and the page's Arial is used
        "svg.hashsalt": chart_id,  # the same chart gives the same SVG
        "font.family": "sans-serif",
        "font.sans-serif": ["Arial", "Liberation Sans", "DejaVu Sans"],
    }
    with matplotlib.rc_context(settings):
        figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg") :]
    svg = re.sub(r"<metadata>.*?</metadata>\s*", "", svg, flags=re.DOTALL)
    # matplotlib's stylesheet is a page-wide `*{...}` rule once inlined: the shapes carry their own styles.
    svg = re.sub(r"<defs>\s*<style[^>]*>.*?</style>\s*</defs>\s*", "", svg, flags=re.DOTALL)
    # Two charts on one page must not share an id (matplotlib numbers them from 1 in every figure).
    svg = re.sub(r'id="([^"]+)"', rf'id="{chart_id}-\1"', svg)
    svg = re.sub(r"url\(#([^)]+)\)", rf"url(#{chart_id}-\1)", svg)
    svg = re.sub(r'xlink:href="#([^"]+)"', rf'xlink:href="#{chart_id}-\1"', svg)
    title_id = f"{chart_id}-title"
    svg = svg.replace("<svg ", f'<svg role="img" aria-labelledby="{title_id}" focusable="false" ', 1)
    opening_end = svg.index(">") + 1
    return svg[:opening_end] + f'<title id="{title_id}">{escape(title)}</title>' + svg[opening_end:]
