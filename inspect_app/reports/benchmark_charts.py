"""Trend charts of published figures: the local authority beside England, its region and its neighbours.

SVG from `matplotlib.figure.Figure` (never pyplot, which leaks in a server). Each line differs by colour, line
style and marker, so it reads without colour; the page always shows a table of the same numbers beside it.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from matplotlib import rc_context
from matplotlib.figure import Figure

# The Government Analysis Function's accessible categorical palette (first four colours).
STYLES = (
    {"color": "#12436D", "linestyle": "-", "marker": "o", "linewidth": 3},  # the local authority: heaviest
    {"color": "#28A197", "linestyle": "--", "marker": "s", "linewidth": 2},
    {"color": "#801650", "linestyle": "-.", "marker": "^", "linewidth": 2},
    {"color": "#F46A25", "linestyle": ":", "marker": "D", "linewidth": 2},
)
PERCENT = "percent"
RC = {
    "svg.fonttype": "none",  # text stays text: smaller, searchable, read by assistive technology if exposed
    "svg.hashsalt": "inspect-app",  # the same figures give the same SVG
    "font.family": "sans-serif",
    "font.sans-serif": ["Liberation Sans", "Arial", "DejaVu Sans"],
    "font.size": 11,
}


@dataclass(frozen=True)
class ChartSeries:
    label: str
    values: Sequence[Decimal | None]  # one per period; None where there is no published number


def trend_chart_svg(title: str, periods: Sequence[str], series: Sequence[ChartSeries], unit: str) -> str:
    """Draw one line per series over the periods and return the SVG markup, ready to place inside a page.

    Gaps stay gaps: a period without a number (a DfE symbol) breaks the line rather than joining across it.
    """
    with rc_context(RC):
        figure = Figure(figsize=(8, 4.2), layout="constrained")
        axes = figure.add_subplot()
        positions = list(range(len(periods)))
        for index, line in enumerate(series):
            style = STYLES[index % len(STYLES)]
            values = [float("nan") if v is None else float(v) for v in line.values]
            axes.plot(positions, values, label=line.label, markersize=6, **style)
        axes.set_title(title, loc="left", fontsize=13, fontweight="bold", wrap=True)
        axes.set_xticks(positions, list(periods))
        if unit == PERCENT:
            axes.set_ylim(0, 100)
            axes.set_ylabel("Per cent")
        else:
            axes.set_ylim(bottom=0)
            axes.set_ylabel("Weeks" if unit == "weeks" else "Number")
        axes.grid(axis="y", color="#b1b4b6", linewidth=0.5)
        axes.spines[["top", "right"]].set_visible(False)
        axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=2, frameon=False)
        buffer = io.StringIO()
        figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    return _inline(buffer.getvalue(), title)


def _inline(svg: str, title: str) -> str:
    """Strip the XML prologue, drop the fixed size (CSS scales it), and label it as one image."""
    svg = svg[svg.index("<svg") :]
    svg = re.sub(r'\s(width|height)="[^"]*"', "", svg, count=2)
    label = title.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
    return svg.replace("<svg", f'<svg role="img" aria-label="{label}. The table gives the same numbers."', 1)
