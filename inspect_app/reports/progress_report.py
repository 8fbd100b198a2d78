"""A one-page progress report on an inspection's findings, for the partnership board or DfE and NHS England.

Built from a `ProgressReport` (services/findings.py fills it) as HTML, an A4 PDF from the same HTML, or an
editable Word document. Each finding takes one line: its reference, what the report said (shortened to fit the
page at a sentence end), owner, due date, status and the latest progress update. A plan too long for one page
is cut to its first page in the PDF; the HTML and Word versions keep everything.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import date, datetime

from inspect_app.reports.pdf import html_to_pdf, html_to_pdf_within
from inspect_app.reports.templating import render_template

AUDIENCES = {"board": "For the partnership board", "dfe-nhse": "For DfE and NHS England"}
FORMATS = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
SHORT_TEXT = 220  # characters of a finding or an update shown on the one page


@dataclass(frozen=True, slots=True)
class ProgressLine:
    reference: str
    kind_label: str
    text: str
    owner: str
    due: date | None
    status_label: str
    overdue: bool
    latest_update: str
    latest_update_on: date | None
    evidence: int
    criteria: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ProgressReport:
    partnership_name: str
    plan_title: str
    inspection_label: str
    outcome_label: str
    report_url: str | None
    audience: str
    as_of: date
    generated_at: datetime
    lines: tuple[ProgressLine, ...]

    @property
    def audience_label(self) -> str:
        return AUDIENCES[self.audience]

    def count(self, status_label: str) -> int:
        return sum(1 for line in self.lines if line.status_label == status_label)

    @property
    def overdue(self) -> int:
        return sum(1 for line in self.lines if line.overdue)

    @property
    def summary_text(self) -> str:
        return (
            f"{len(self.lines)} findings: {self.count('On track')} on track, {self.count('Off track')} off track, "
            f"{self.count('Done')} done; {self.overdue} past their due date and not done."
        )


def shorten(text: str, limit: int = SHORT_TEXT) -> str:
    """Cut text at the last sentence (else word) end within `limit` characters, marking the cut with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit]
    sentence = max((m.end() for m in re.finditer(r"[.!?](?=\s)", cut)), default=0)
    if sentence > limit // 2:
        return cut[:sentence] + " …"
    return cut.rsplit(" ", 1)[0] + " …"


def format_day(day: date | None) -> str:
    return f"{day.day} {day:%B %Y}" if day else "No date"


def progress_html(report: ProgressReport) -> str:
    """The standalone HTML document (also the PDF's source)."""
    return render_template("reports/progress-report.html", report=report, shorten=shorten, format_day=format_day)


def render_pdf(report: ProgressReport) -> bytes:
    """One A4 page (landscape); a plan that does not fit is cut to its first page."""
    html = progress_html(report)
    return html_to_pdf_within(html, 1, keep_first=True) or html_to_pdf(html)


def render_docx(report: ProgressReport) -> bytes:
    """An editable Word version: a heading, the counts, and one table row per finding."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.shared import Mm, Pt

    word = Document()
    section = word.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(12))
    word.core_properties.title = f"{report.plan_title}: progress – {report.partnership_name}"
    word.core_properties.language = "en-GB"
    word.styles["Normal"].font.name = "Arial"
    word.styles["Normal"].font.size = Pt(9)
    word.add_heading(f"{report.plan_title}: progress", level=1)
    word.add_paragraph(f"{report.partnership_name}. {report.audience_label}. As at {format_day(report.as_of)}.")
    word.add_paragraph(f"{report.inspection_label}. Outcome: {report.outcome_label}.")
    word.add_paragraph(report.summary_text)
    headers = ("Ref", "Finding", "Owner", "Due", "Status", "Latest progress", "Evidence")
    table = word.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, header in zip(table.rows[0].cells, headers, strict=True):
        cell.text = header
        cell.paragraphs[0].runs[0].bold = True
    for line in report.lines:
        cells = table.add_row().cells
        status = line.status_label + (" (overdue)" if line.overdue else "")
        update = f"{format_day(line.latest_update_on)}: {line.latest_update}" if line.latest_update_on else "None yet"
        values = (line.reference, line.text, line.owner, format_day(line.due), status, update, str(line.evidence))
        for cell, value in zip(cells, values, strict=True):
            cell.text = value
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


def render(report: ProgressReport, file_format: str) -> bytes:
    if file_format == "html":
        return progress_html(report).encode("utf-8")
    if file_format == "pdf":
        return render_pdf(report)
    if file_format == "docx":
        return render_docx(report)
    raise ValueError(f"Unknown format {file_format!r}")


def filename(report: ProgressReport, slug: str, file_format: str) -> str:
    return f"{slug}-findings-progress-{report.as_of.isoformat()}-{report.audience}.{file_format}"
