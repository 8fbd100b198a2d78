"""One criterion of the self-evaluation on one page, laid out the way an inspector reads it.

The summary is the self-evaluation document built for one criterion (`services.sef_document.
build_criterion_summary`), with what the framework expects of the criterion. In order: the criterion and what the
framework expects; the grade and sign-off; the evidence of impact (impact, then strengths, then areas for
development); the measures against England; what families say; the evidence cited; the next steps.

To fit on one page, long texts are cut at the end of a sentence and marked "continued in the full
self-evaluation". The web page uses the full budget (`FULL`); the PDF uses the full budget when it lays out on one
A4 page, and otherwise searches for the largest share of it that does, so a long evaluation is cut only as much as
the page needs.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from inspect_app.reports.pdf import html_to_pdf_within
from inspect_app.reports.sef_document import CriterionPage, EvidenceLine, QuoteLine, SefDocument, StepLine
from inspect_app.reports.templating import render_template

# A sentence ends at . ! or ? (after any closing quotes or brackets) followed by a space or the end.
_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*(?=\s|$)")
# An owner is a name or a role: about what fits on one line of the next steps table's owner column.
OWNER_LIMIT = 28
# A paragraph break takes about as much room on the page as this many characters of text.
_PARAGRAPH_COST = 60


@dataclass(frozen=True, slots=True)
class CriterionSummary:
    document: SefDocument  # the self-evaluation document holding this criterion alone
    section_title: str
    page: CriterionPage
    criterion_confirmed: bool  # the criterion's wording is confirmed against the handbook
    expectations: tuple[str, ...]  # what inspectors look for, from the framework
    expectations_confirmed: bool

    @property
    def filename_stem(self) -> str:
        return f"self-evaluation-{self.document.partnership_slug}-{self.page.id}-summary-{self.document.as_of}"

    @property
    def absent_text(self) -> str:
        """Why there is no evaluation to summarise ("" when there is one)."""
        if self.page.written:
            return ""
        if self.document.signed_off_only:
            return "No signed-off evaluation."
        return f"{self.page.id} has not been written yet."


@dataclass(frozen=True, slots=True)
class Budget:
    """How much of each part fits: characters of text, and how many list items."""

    impact: int
    strengths: int
    areas_for_development: int
    quotes: int
    quote: int
    step: int
    evidence: int
    expectation: int

    def scaled(self, share: float) -> Budget:
        """This budget cut to a share of itself; at least one quote and a sentence-sized piece of each text."""
        return Budget(
            impact=max(round(self.impact * share), 120),
            strengths=max(round(self.strengths * share), 90),
            areas_for_development=max(round(self.areas_for_development * share), 90),
            quotes=max(round(self.quotes * share), 1),
            quote=max(round(self.quote * share), 80),
            step=max(round(self.step * share), 50),
            evidence=max(round(self.evidence * share), 2),
            expectation=max(round(self.expectation * share), 90),
        )


# What the web page shows, and the PDF whenever it fits on the page.
FULL = Budget(
    impact=1100, strengths=800, areas_for_development=700, quotes=3, quote=280, step=200, evidence=8, expectation=400
)
SMALLEST_SHARE = 0.1  # every part at its minimum (see Budget.scaled)
SEARCH_STEPS = 4  # halvings between the smallest share and the full budget: within 6% of the best fit


@dataclass(frozen=True, slots=True)
class Excerpt:
    paragraphs: tuple[str, ...]
    cut: bool  # something was left out: say it continues in the full self-evaluation


@dataclass(frozen=True, slots=True)
class SummaryLayout:
    """The summary's texts cut to one budget."""

    expectations: tuple[str, ...]
    expectations_cut: bool
    impact: Excerpt
    strengths: Excerpt
    areas_for_development: Excerpt
    quotes: tuple[QuoteLine, ...]
    quotes_cut: bool
    next_steps: tuple[StepLine, ...]
    next_steps_cut: bool
    evidence: tuple[EvidenceLine, ...]
    evidence_left_out: int


def excerpt(paragraphs: Sequence[str], limit: int) -> Excerpt:
    """Keep whole paragraphs, then whole sentences, up to `limit` characters.

    A first sentence longer than the limit is cut at a word and ends with an ellipsis: an excerpt is never empty
    when there was text.
    """
    kept: list[str] = []
    used = 0
    for paragraph in paragraphs:
        if used + len(paragraph) <= limit:
            kept.append(paragraph)
            used += len(paragraph) + _PARAGRAPH_COST
            continue
        head = _sentences_within(paragraph, limit - used)
        if head:
            kept.append(head)
        elif not kept:
            kept.append(shorten(paragraph, limit))
        return Excerpt(tuple(kept), cut=True)
    return Excerpt(tuple(kept), cut=False)


def shorten(text: str, limit: int) -> str:
    """Cut one line of text at the last sentence end (or else word) within `limit` characters."""
    if len(text) <= limit:
        return text
    head = _sentences_within(text, limit)
    if head:
        return head
    words = text[: max(limit - 1, 1)].rsplit(" ", 1)[0].rstrip(" ,;:–-")
    return f"{words}…"


def _sentences_within(text: str, room: int) -> str:
    ends = [match.end() for match in _SENTENCE_END.finditer(text) if match.end() <= room]
    return text[: ends[-1]] if ends else ""


def lay_out(summary: CriterionSummary, budget: Budget) -> SummaryLayout:
    """Cut the summary's texts to a budget."""
    page = summary.page
    expectations = tuple(shorten(text, budget.expectation) for text in summary.expectations)
    quotes = tuple(QuoteLine(shorten(q.text, budget.quote), q.source) for q in page.quotes[: budget.quotes])
    steps = tuple(
        StepLine(shorten(s.text, budget.step), shorten(s.owner, OWNER_LIMIT), s.due_text) for s in page.next_steps
    )
    evidence = tuple(
        EvidenceLine(e.reference, shorten(e.title, max(budget.step, 80)), e.status_label)
        for e in page.evidence[: budget.evidence]
    )
    return SummaryLayout(
        expectations=expectations,
        expectations_cut=expectations != summary.expectations,
        impact=excerpt(page.impact, budget.impact),
        strengths=excerpt(page.strengths, budget.strengths),
        areas_for_development=excerpt(page.areas_for_development, budget.areas_for_development),
        quotes=quotes,
        quotes_cut=[q.text for q in quotes] != [q.text for q in page.quotes],
        next_steps=steps,
        next_steps_cut=steps != page.next_steps,
        evidence=evidence,
        evidence_left_out=len(page.evidence) - len(evidence),
    )


def summary_html(summary: CriterionSummary, layout: SummaryLayout) -> str:
    """The standalone page the PDF is made from (styles inline, no links out)."""
    return render_template("reports/sef-summary.html", summary=summary, layout=layout, continued_href=None)


def render_pdf(summary: CriterionSummary) -> bytes:
    """One A4 page: the full budget if it fits, else the largest share of it found that fits."""

    def one_page(share: float) -> bytes | None:
        return html_to_pdf_within(summary_html(summary, lay_out(summary, FULL.scaled(share))), pages=1)

    best = one_page(1.0)
    if best is not None:
        return best
    fits, too_long = SMALLEST_SHARE, 1.0
    for _ in range(SEARCH_STEPS):
        share = (fits + too_long) / 2
        pdf = one_page(share)
        if pdf is None:
            too_long = share
        else:
            fits, best = share, pdf
    if best is None:
        # Only a framework with very many measures or expectations gets here: the smallest share, and if even
        # that runs over, its first page. The page footer says the full self-evaluation has everything, so a
        # page that stops early does not mislead.
        layout = lay_out(summary, FULL.scaled(SMALLEST_SHARE))
        best = html_to_pdf_within(summary_html(summary, layout), pages=1, keep_first=True)
    assert best is not None
    return best


def filename(summary: CriterionSummary) -> str:
    return f"{summary.filename_stem}.pdf"
