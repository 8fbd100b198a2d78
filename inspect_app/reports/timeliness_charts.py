"""Charts of the timeliness dashboard: trends, how long plans took, and monthly volumes.

SVG from `matplotlib.figure.Figure` (never pyplot, which leaks in a server), placed inline in the page. Every
chart has a headline title saying what it shows, and the page always puts a table of the same numbers beside
it. Lines differ by colour, line style and marker, so they read without colour. Several charts share a
page, so each chart's element ids get a prefix of its own (the page must not repeat an id). Each SVG carries
its headline as <title> and every plotted figure in words as <desc>, so it stands on its own when saved.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from matplotlib import rc_context
from matplotlib.figure import Figure

# The Government Analysis Function's accessible categorical palette (first four colours).
COLOURS = ("#12436D", "#28A197", "#801650", "#F46A25")
LINE_STYLES = ("-", "--", "-.", ":")
MARKERS = ("o", "s", "^", "D")
GRID = "#b1b4b6"
RC = {
    "svg.fonttype": "none",  # text stays text: smaller, and searchable
    "svg.hashsalt": "inspect-app",  # the same numbers give the same SVG
    "font.family": "sans-serif",
    "font.sans-serif": ["Liberation Sans", "Arial", "DejaVu Sans"],
    "font.size": 11,
}


@dataclass(frozen=True)
class Series:
    label: str
    values: Sequence[float | int | None]  # one per category; None where there is no figure


def trend_chart(title: str, periods: Sequence[str], series: Sequence[Series], *, percent: bool, chart_id: str) -> str:
    """Draw one line per series over the periods (a gap where a value is missing); return inline SVG."""
    with rc_context(RC):
        figure = Figure(figsize=(8, 4.2), layout="constrained")
        axes = figure.add_subplot()
        positions = list(range(len(periods)))
        for index, line in enumerate(series):
            values = [float("nan") if value is None else float(value) for value in line.values]
            axes.plot(
                positions,
                values,
                label=line.label,
                color=COLOURS[index % 4],
                linestyle=LINE_STYLES[index % 4],
                marker=MARKERS[index % 4],
                linewidth=3 if index == 0 else 2,
                markersize=6,
            )
        step = max(1, len(periods) // 12)  # at most a dozen labels along the axis
        axes.set_xticks(positions[::step], list(periods)[::step])
        _finish(axes, title, percent=percent, legend=len(series) > 1)
        described = "; ".join(
            f"{line.label}: "
            + ", ".join(
                f"{period} {_figure(value, percent)}" for period, value in zip(periods, line.values, strict=True)
            )
            for line in series
        )
        return _inline(figure, title, chart_id, described)


def bar_chart(title: str, categories: Sequence[str], counts: Sequence[int], *, chart_id: str) -> str:
    """Draw one horizontal bar per category (the first at the top); return inline SVG."""
    with rc_context(RC):
        figure = Figure(figsize=(8, 0.45 * len(categories) + 1.4), layout="constrained")
        axes = figure.add_subplot()
        positions = list(range(len(categories)))
        axes.barh(positions, list(counts), color=COLOURS[0])
        axes.set_yticks(positions, list(categories))
        axes.invert_yaxis()
        for position, count in zip(positions, counts, strict=True):
            axes.annotate(
                f"{count:,}", (count, position), xytext=(4, 0), textcoords="offset points", va="center", fontsize=10
            )
        axes.set_xlabel("Number of plans")
        axes.set_title(title, loc="left", fontsize=13, fontweight="bold", wrap=True)
        axes.grid(axis="x", color=GRID, linewidth=0.5)
        axes.set_axisbelow(True)
        axes.spines[["top", "right"]].set_visible(False)
        described = "; ".join(f"{category}: {count:,}" for category, count in zip(categories, counts, strict=True))
        return _inline(figure, title, chart_id, described)


def _finish(axes, title: str, *, percent: bool, legend: bool) -> None:  # type: ignore[no-untyped-def]
    axes.set_title(title, loc="left", fontsize=13, fontweight="bold", wrap=True)
    if percent:
        axes.set_ylim(0, 100)
        axes.set_ylabel("Per cent")
    else:
        axes.set_ylim(bottom=0)
        axes.set_ylabel("Number")
    axes.grid(axis="y", color=GRID, linewidth=0.5)
    axes.set_axisbelow(True)
    axes.spines[["top", "right"]].set_visible(False)
    if legend:
        axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.1), ncol=3, frameon=False)


def _figure(value: float | int | None, percent: bool) -> str:
    """A plotted value in words, as the table beside the chart shows it."""
    if value is None:
        return "no figure"
    return f"{value:.1f}%" if percent else f"{round(value):,}"


_ID = re.compile(r'\bid="([^"]+)"')


def _inline(figure: Figure, title: str, chart_id: str, description: str) -> str:
    """Return the figure as SVG markup for a page: no XML prologue or fixed size, ids prefixed, one labelled image
    with its headline as <title> and its figures as <desc>."""
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg") :]
    svg = re.sub(r'\s(width|height)="[^"]*"', "", svg, count=2)
    for name in sorted(set(_ID.findall(svg)), key=len, reverse=True):
        fresh = f"{chart_id}-{name}"
        svg = svg.replace(f'id="{name}"', f'id="{fresh}"')
        svg = svg.replace(f'"#{name}"', f'"#{fresh}"').replace(f"url(#{name})", f"url(#{fresh})")
    label = escape(f"{title}. The table gives the same numbers.")
    svg = svg.replace("<svg", f'<svg role="img" aria-label="{label}" aria-describedby="{chart_id}-desc"', 1)
    accessible = (
        f'<title id="{chart_id}-title">{escape(title, quote=False)}</title>'
        f'<desc id="{chart_id}-desc">{escape(description, quote=False)}</desc>'
    )
    return re.sub(r"(<svg\b[^>]*>)", lambda match: match.group(1) + accessible, svg, count=1)
