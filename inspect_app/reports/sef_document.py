"""The self-evaluation as one document: a page per criterion, laid out the way inspectors read it.

`SefDocument` is built once (by `services.sef_document`) and laid out as HTML (download), PDF (from the same
HTML with the print stylesheet: a cover, contents with page numbers, one criterion per page) or Word (real
headings, tables and list styles, so a partnership can edit it). Each criterion page holds what the partnership
wrote (grade, strengths, areas for development, impact, next steps with owners and dates, the evidence chosen)
and what the tool pulled live: the criterion's measures beside England and what families said.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from inspect_app.reports.pdf import html_to_pdf
from inspect_app.reports.progress_report import ProgressLine, format_day, shorten
from inspect_app.reports.templating import render_template

TITLE = "Self-evaluation"
UK = ZoneInfo("Europe/London")


@dataclass(frozen=True, slots=True)
class StepLine:
    text: str
    owner: str
    due_text: str


@dataclass(frozen=True, slots=True)
class EvidenceLine:
    reference: str
    title: str
    status_label: str


@dataclass(frozen=True, slots=True)
class MeasureLine:
    title: str
    period_text: str
    value_text: str
    counts_text: str
    england_text: str  # England's figure for the same year (or the latest year both have, named)


@dataclass(frozen=True, slots=True)
class QuoteLine:
    text: str
    source: str


@dataclass(frozen=True, slots=True)
class CriterionPage:
    id: str
    title: str
    written: bool
    version: int | None
    status_text: str  # "Signed off by … (version 3)", "Draft: waiting for …", "Not written"
    grade_label: str
    strengths: tuple[str, ...]  # paragraphs
    areas_for_development: tuple[str, ...]
    impact: tuple[str, ...]
    next_steps: tuple[StepLine, ...]
    evidence: tuple[EvidenceLine, ...]
    measures: tuple[MeasureLine, ...]
    feedback_text: str
    quotes: tuple[QuoteLine, ...]
    provisional: bool = False  # the framework has not confirmed the criterion's wording

    @property
    def anchor(self) -> str:
        return f"criterion-{self.id}"


PROVISIONAL_NOTE = "Provisional wording: not yet confirmed against the inspection handbook."


@dataclass(frozen=True, slots=True)
class SectionPages:
    id: str
    title: str
    criteria: tuple[CriterionPage, ...]

    @property
    def anchor(self) -> str:
        return f"section-{self.id}"


@dataclass(frozen=True, slots=True)
class ProgressSection:
    """Progress since the last inspection: its plan's findings with their status and latest update."""

    plan_title: str
    inspection_label: str
    outcome_label: str
    summary_text: str
    lines: tuple[ProgressLine, ...]
    shared_only: bool  # inspectors' copy: only updates a lead shared with them

    anchor = "progress-since-last-inspection"
    title = "Progress since the last inspection"


@dataclass(frozen=True, slots=True)
class SefDocument:
    title: str
    service_name: str
    partnership_name: str
    partnership_slug: str
    framework_label: str
    as_of: date
    generated_at: datetime  # aware, UTC
    generated_text: str
    signed_off_only: bool  # True for inspectors and evidence packs: only versions every partner signed
    criteria_total: int
    criteria_written: int
    criteria_signed_off: int
    sections: tuple[SectionPages, ...]
    progress: ProgressSection | None = None

    @property
    def filename_stem(self) -> str:
        return f"self-evaluation-{self.partnership_slug}-{self.as_of.isoformat()}"

    @property
    def summary(self) -> str:
        if self.signed_off_only:
            return (
                f"{self.criteria_signed_off} of {self.criteria_total} criteria have a version signed off by every "
                f"partner; only signed-off versions are shown."
            )
        return (
            f"{self.criteria_written} of {self.criteria_total} criteria written; {self.criteria_signed_off} signed "
            f"off by every partner."
        )


def paragraphs(text: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in text.split("\n") if line.strip())


def uk_time(moment: datetime) -> str:
    local = (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(UK)
    return f"{local.day} {local:%B %Y} at {local:%H:%M}"


# --- HTML and PDF -------------------------------------------------------------------------------------------


def sef_html(document: SefDocument, variant: str = "screen") -> str:
    return render_template("reports/self-evaluation.html", document=document, variant=variant, format_day=format_day)


def render_html(document: SefDocument) -> bytes:
    return sef_html(document, "screen").encode("utf-8")


def render_pdf(document: SefDocument) -> bytes:
    return html_to_pdf(sef_html(document, "print"))


# --- Word ---------------------------------------------------------------------------------------------------


def render_docx(document: SefDocument) -> bytes:
    """An editable Word document: Title, Heading 1 per section, Heading 2 per criterion (each on a new page)."""
    from docx import Document
    from docx.shared import Pt

    word = Document()
    properties = word.core_properties
    properties.title = f"{document.title}: {document.partnership_name}"
    properties.author = document.partnership_name
    properties.language = "en-GB"
    properties.created = document.generated_at.replace(tzinfo=None)
    for name in ("Normal", "Title", "Subtitle", "Heading 1", "Heading 2", "Heading 3"):
        word.styles[name].font.name = "Arial"
    word.styles["Normal"].font.size = Pt(10.5)

    word.add_paragraph(document.title, style="Title")
    word.add_paragraph(document.partnership_name, style="Subtitle")
    word.add_paragraph(f"Against {document.framework_label}. Generated {document.generated_text}.")
    word.add_paragraph(document.summary)
    if document.progress is not None:
        _docx_progress(word, document.progress)
    for section in document.sections:
        word.add_heading(section.title, level=1)
        for page in section.criteria:
            _docx_criterion(word, page)
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


def _docx_progress(word: Any, progress: ProgressSection) -> None:
    word.add_heading(progress.title, level=1)
    word.add_paragraph(f"{progress.inspection_label}. Outcome: {progress.outcome_label}. {progress.summary_text}")
    rows = [
        (
            f"{line.reference}: {shorten(line.text)}",
            line.owner,
            format_day(line.due),
            line.status_label + (" (overdue)" if line.overdue else ""),
            f"{format_day(line.latest_update_on)}: {shorten(line.latest_update, 160)}"
            if line.latest_update_on
            else "None yet",
        )
        for line in progress.lines
    ]
    _docx_table(word, ("Finding", "Owner", "Due", "Status", "Latest progress"), rows, "No findings to show.")


def _docx_criterion(word, page: CriterionPage) -> None:  # type: ignore[no-untyped-def]
    from docx.enum.text import WD_BREAK

    heading = word.add_heading(f"{page.id}: {page.title}", level=2)
    heading.paragraph_format.page_break_before = True
    if page.provisional:
        word.add_paragraph(PROVISIONAL_NOTE)
    word.add_paragraph(f"{page.status_text}. Grade: {page.grade_label}.")
    if page.written:
        for label, texts in (
            ("Strengths", page.strengths),
            ("Areas for development", page.areas_for_development),
            ("Impact on children and young people", page.impact),
        ):
            word.add_heading(label, level=3)
            for text in texts or ("Not written yet.",):
                word.add_paragraph(text)
        word.add_heading("Next steps", level=3)
        _docx_table(
            word, ("Step", "Owner", "By"), [(s.text, s.owner, s.due_text) for s in page.next_steps], "None recorded."
        )
        word.add_heading("Evidence", level=3)
        for item in page.evidence:
            word.add_paragraph(f"{item.reference} {item.title} ({item.status_label})", style="List Bullet")
        if not page.evidence:
            word.add_paragraph("No evidence selected.")
    word.add_heading("Measures (from the data, as at the date of this document)", level=3)
    rows = [
        (
            m.title,
            m.period_text,
            f"{m.value_text} ({m.counts_text})" if m.counts_text else m.value_text,
            m.england_text,
        )
        for m in page.measures
    ]
    _docx_table(word, ("Measure", "Period", "Local", "England"), rows, "No measures are linked to this criterion.")
    word.add_heading("What families say", level=3)
    word.add_paragraph(page.feedback_text)
    for quote in page.quotes:
        paragraph = word.add_paragraph(style="Intense Quote")
        paragraph.add_run(f"“{quote.text}”")
        paragraph.add_run().add_break(WD_BREAK.LINE)
        paragraph.add_run(quote.source).italic = True


def _docx_table(word, headers: tuple[str, ...], rows: list[tuple[str, ...]], empty: str) -> None:  # type: ignore[no-untyped-def]
    """A table in a built-in style (black and grey: prints the same in black and white), or a sentence if empty."""
    if not rows:
        word.add_paragraph(empty)
        return
    table = word.add_table(rows=1, cols=len(headers))
    table.style = "Light Grid"
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        cell.text = text
    for row in rows:
        for cell, text in zip(table.add_row().cells, row, strict=True):
            cell.text = text


RENDERERS: dict[str, Callable[[SefDocument], bytes]] = {
    "html": render_html,
    "pdf": render_pdf,
    "docx": render_docx,
}
MEDIA_TYPES = {
    "html": "text/html",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def render(document: SefDocument, fmt: str) -> bytes:
    if fmt not in RENDERERS:
        raise ValueError(f"The self-evaluation cannot be rendered as {fmt}; choose one of {', '.join(RENDERERS)}")
    return RENDERERS[fmt](document)


def filename(document: SefDocument, fmt: str) -> str:
    return f"{document.filename_stem}.{fmt}"
