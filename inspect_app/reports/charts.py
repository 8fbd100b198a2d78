"""Charts for reports: SVG (and PNG for Word) from `matplotlib.figure.Figure`, never pyplot.

Every chart states its main message in its title, labels both axes, and shows RAG and severity as a pattern and
a word as well as a colour, so it reads on a black-and-white printout and without colour vision. The report puts
a table of the same numbers beside every chart. SVG output is byte-for-byte stable for the same input: the hash
salt is fixed, the date is left out, text stays text (searchable, and read by screen readers from the <title>),
and every id is prefixed with the chart's name so two charts can sit inline in one HTML document.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from html import escape

import matplotlib
from matplotlib.figure import Figure
from matplotlib.patches import Patch

# One look for every RAG or severity: (fill, hatch, hatch colour). Green is plain, amber has diagonal lines and
# red is cross-hatched, so the three stay apart in grey; the word is printed beside every bar as well.
STYLES: dict[str, tuple[str, str | None, str]] = {
    "green": ("#00703c", None, "#0b0c0c"),
    "amber": ("#f47738", "///", "#0b0c0c"),
    "red": ("#d4351c", "xxx", "#ffffff"),
    "none": ("#f3f2f1", None, "#0b0c0c"),
}
SEVERITY_STYLES = {"high": "red", "medium": "amber", "low": "none"}
INK = "#0b0c0c"
FONT = ["Arial", "Liberation Sans", "DejaVu Sans"]
_RC = {
    "svg.hashsalt": "inspect-app",  # stable ids for clip paths and hatches
    "svg.fonttype": "none",  # text as <text>, not paths
    "font.family": "sans-serif",
    "font.sans-serif": FONT,
    "font.size": 10,
    "text.color": INK,
    "axes.edgecolor": INK,
    "axes.labelcolor": INK,
    "xtick.color": INK,
    "ytick.color": INK,
    "hatch.linewidth": 1.0,
}


@dataclass(frozen=True, slots=True)
class ScoreBar:
    """One criterion's two bars: impact (None without data) and preparation, each 0-100 with its RAG."""

    label: str
    section: str
    impact: int | None
    impact_rag: str
    impact_rag_label: str
    preparation: int
    preparation_rag: str
    preparation_rag_label: str

    @property
    def text(self) -> str:
        impact = "not enough data" if self.impact is None else f"{self.impact} {self.impact_rag_label}"
        return f"{self.label}: impact {impact}, preparation {self.preparation} {self.preparation_rag_label}"


@dataclass(frozen=True, slots=True)
class CountBar:
    """One bar of a count chart: its label, count and the RAG key of its pattern."""

    label: str
    count: int
    style: str


@contextmanager
def _chart_style() -> Iterator[None]:
    with matplotlib.rc_context(_RC):
        yield


def _score_rows(bars: Sequence[ScoreBar]) -> list[tuple[str, ScoreBar | None]]:
    rows: list[tuple[str, ScoreBar | None]] = []
    for bar in bars:
        if not rows or rows[-1][1] is None or rows[-1][1].section != bar.section:
            rows.append((bar.section, None))
        rows.append((bar.label, bar))
    return rows


def _draw_pair(axes, position: int, bar: ScoreBar) -> None:  # type: ignore[no-untyped-def]
    """Impact above, preparation below, each labelled in words so neither relies on its pattern."""
    for offset, name, score, rag, word in (
        (-0.2, "Impact", bar.impact, bar.impact_rag, bar.impact_rag_label),
        (0.2, "Preparation", bar.preparation, bar.preparation_rag, bar.preparation_rag_label),
    ):
        fill, hatch, hatch_colour = STYLES[rag]
        width = score or 0
        axes.barh(
            position + offset, width, height=0.36, color=fill, edgecolor=INK, hatch=hatch, hatchcolor=hatch_colour
        )
        text = f"{name}: not enough data" if score is None else f"{name} {score} {word}"
        axes.text(width + 1.5, position + offset, text, va="center", fontsize=8)


def criterion_scores_figure(bars: Sequence[ScoreBar], title: str) -> Figure:
    """Draw each criterion's impact and preparation as a pair of bars, grouped by section, each labelled."""
    rows = _score_rows(bars)
    height = 1.6 + 0.42 * max(len(rows), 3)
    with _chart_style():
        figure = Figure(figsize=(6.6, height), layout="constrained")
        axes = figure.add_subplot()
        positions = list(range(len(rows)))
        for position, (_, bar) in zip(positions, rows, strict=True):
            if bar is not None:
                _draw_pair(axes, position, bar)
        axes.set_yticks(positions, [label for label, _ in rows])
        for label, tick, (_, bar) in zip(axes.get_yticklabels(), axes.yaxis.get_major_ticks(), rows, strict=True):
            if bar is None:  # a section heading, not a criterion
                label.set_fontweight("bold")
                tick.tick1line.set_visible(False)
        axes.set_ylim(max(len(rows), 1) - 0.4, -0.6)
        axes.set_xlim(0, 140)
        axes.set_xticks(range(0, 101, 25))
        axes.set_xlabel("Score (0 to 100): impact, then preparation")
        axes.set_ylabel("Criterion, by section")
        axes.spines[["top", "right"]].set_visible(False)
        axes.xaxis.grid(True, color="#b1b4b6", linewidth=0.5)
        axes.set_axisbelow(True)
        if not bars:
            axes.text(50, 0, "No criteria to show", ha="center", va="center")
            axes.set_yticks([])
        _legend(axes, [(key, word) for key, word in (("green", "Green"), ("amber", "Amber"), ("red", "Red"))])
        axes.set_title(title, loc="left", fontweight="bold", fontsize=11, pad=26)
    return figure


def gaps_by_severity_figure(bars: Sequence[CountBar], title: str) -> Figure:
    """Draw the number of gaps at each severity as horizontal bars, each labelled with its count."""
    with _chart_style():
        figure = Figure(figsize=(6.6, 2.6), layout="constrained")
        axes = figure.add_subplot()
        top = max((bar.count for bar in bars), default=0)
        for position, bar in enumerate(bars):
            fill, hatch, hatch_colour = STYLES[bar.style]
            axes.barh(position, bar.count, height=0.6, color=fill, edgecolor=INK, hatch=hatch, hatchcolor=hatch_colour)
            axes.text(bar.count + max(top, 1) * 0.015, position, f"{bar.count}", va="center", fontsize=9)
        axes.set_yticks(range(len(bars)), [bar.label for bar in bars])
        axes.set_ylim(len(bars) - 0.5, -0.5)
        axes.set_xlim(0, max(top, 1) * 1.12)
        axes.xaxis.get_major_locator().set_params(integer=True)
        axes.set_xlabel("Number of gaps")
        axes.set_ylabel("Severity")
        axes.spines[["top", "right"]].set_visible(False)
        axes.xaxis.grid(True, color="#b1b4b6", linewidth=0.5)
        axes.set_axisbelow(True)
        axes.set_title(title, loc="left", fontweight="bold", fontsize=11)
    return figure


def _legend(axes, entries: Sequence[tuple[str, str]]) -> None:  # type: ignore[no-untyped-def]
    handles = []
    for key, word in entries:
        fill, hatch, hatch_colour = STYLES[key]
        handles.append(Patch(facecolor=fill, edgecolor=INK, hatch=hatch, hatchcolor=hatch_colour, label=word))
    axes.legend(
        handles=handles,
        loc="lower left",
        bbox_to_anchor=(0, 1.0),
        ncol=len(handles),
        frameon=False,
        handlelength=2.2,
        handleheight=1.2,
        borderaxespad=0.2,
    )


def to_svg(figure: Figure, *, name: str, title: str, description: str = "") -> bytes:
    """Return the figure as a standalone SVG document with a <title>, ids prefixed with `name`."""
    if not re.fullmatch(r"[a-z][a-z0-9-]*", name):
        raise ValueError(f"Chart name {name!r} must be lower-case letters, digits and hyphens")
    buffer = io.BytesIO()
    with _chart_style():
        figure.savefig(buffer, format="svg", metadata={"Date": None})
    svg = buffer.getvalue().decode("utf-8")
    svg = _prefix_ids(svg, name)
    title_id, desc_id = f"{name}-title", f"{name}-desc"
    labelled = f'role="img" aria-labelledby="{title_id}{f" {desc_id}" if description else ""}"'
    accessible = f'<title id="{title_id}">{escape(title)}</title>'
    if description:
        accessible += f'<desc id="{desc_id}">{escape(description)}</desc>'
    svg = re.sub(r"(<svg\b[^>]*?)>", lambda m: f"{m.group(1)} {labelled}>{accessible}", svg, count=1)
    return svg.encode("utf-8")


def to_png(figure: Figure, *, dpi: int = 150) -> bytes:
    """Return the figure as a PNG (for Word, which does not show SVG everywhere)."""
    buffer = io.BytesIO()
    with _chart_style():
        figure.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
    return buffer.getvalue()


def inline_svg(svg: bytes) -> str:
    """Return an SVG document as markup to place inside HTML: no XML declaration or doctype, scalable."""
    text = svg.decode("utf-8")
    text = text[text.index("<svg") :]
    return re.sub(r'(<svg\b[^>]*?)\s+width="[^"]*"\s+height="[^"]*"', r"\1", text, count=1)


# Drawing a chart costs about 150 ms and the readiness page draws two on every visit; the same scores give the
# same bytes (the SVG is stable), so a worker keeps the last few it drew.
@lru_cache(maxsize=64)
def _cached_scores_svg(bars: tuple[ScoreBar, ...], title: str) -> bytes:
    description = "; ".join(bar.text for bar in bars)
    return to_svg(criterion_scores_figure(bars, title), name="scores-chart", title=title, description=description)


@lru_cache(maxsize=64)
def _cached_gaps_svg(bars: tuple[CountBar, ...], title: str) -> bytes:
    description = "; ".join(f"{bar.label}: {bar.count}" for bar in bars)
    return to_svg(gaps_by_severity_figure(bars, title), name="gaps-chart", title=title, description=description)


def criterion_scores_svg(bars: Sequence[ScoreBar], title: str) -> bytes:
    """Return the chart of each criterion's impact and preparation as SVG."""
    return _cached_scores_svg(tuple(bars), title)


def gaps_by_severity_svg(bars: Sequence[CountBar], title: str) -> bytes:
    """Return the gaps-by-severity chart as SVG."""
    return _cached_gaps_svg(tuple(bars), title)


def _prefix_ids(svg: str, prefix: str) -> str:
    svg = re.sub(r'\bid="([^"]+)"', lambda m: f'id="{prefix}-{m.group(1)}"', svg)
    svg = re.sub(r'href="#([^"]+)"', lambda m: f'href="#{prefix}-{m.group(1)}"', svg)
    return re.sub(r"url\(#([^)]+)\)", lambda m: f"url(#{prefix}-{m.group(1)})", svg)
