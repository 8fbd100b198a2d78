"""The readiness report as an editable Word document (python-docx).

Partnerships edit this file, so everything is real Word structure: the Title style, Heading 1/2/3 (which
give Word's navigation pane and a contents field), tables in a built-in table style with a repeating header
row, list styles, and plain text throughout. The charts are PNGs drawn from the same matplotlib figures as the
SVGs, each with alternative text and followed by a table of its numbers.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import _Cell

from inspect_app.reports.charts import criterion_scores_figure, gaps_by_severity_figure, to_png
from inspect_app.reports.readiness_about import PROVISIONAL

if TYPE_CHECKING:
    from docx.document import Document as DocumentObject
    from docx.table import Table
    from matplotlib.figure import Figure

    from inspect_app.reports.readiness_report import CriterionDetail, ReadinessReport

TABLE_STYLE = "Light Grid"  # built in, black and grey: prints the same in black and white
FONT = "Arial"
INK = RGBColor(0x0B, 0x0C, 0x0C)
CHART_WIDTH = Cm(16)


def render_docx(report: ReadinessReport) -> bytes:
    """Render the report as a Word document: title page, contents field, sections as in the HTML report."""
    document = Document()
    _set_up(document, report)
    _title_page(document, report)
    _overall(document, report)
    _next_actions(document, report)
    _criteria(document, report)
    _gap_register(document, report)
    for section in report.sections:
        document.add_heading(section.title, level=1)
        for detail in section.criteria:
            _criterion(document, detail)
    _about(document, report)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# --- Document set-up ---------------------------------------------------------------------------------------


def _set_up(document: DocumentObject, report: ReadinessReport) -> None:
    properties = document.core_properties
    properties.title = f"{report.title}: {report.partnership_name}"
    properties.subject = f"Area SEND inspection readiness as of {report.as_of_text}"
    properties.author = report.partnership_name
    properties.comments = report.caveat
    properties.keywords = "readiness; gaps; area SEND inspection"
    properties.created = report.generated_at.replace(tzinfo=None)
    properties.modified = report.generated_at.replace(tzinfo=None)
    properties.last_modified_by = report.service_name
    properties.language = "en-GB"

    styles = document.styles
    normal = styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(10.5)
    for name in ("Title", "Subtitle", "Heading 1", "Heading 2", "Heading 3", "Intense Quote", "Caption"):
        style = styles[name]
        style.font.name = FONT
        style.font.color.rgb = INK
    styles["Title"].font.size = Pt(30)
    styles["Heading 1"].font.size = Pt(18)
    styles["Heading 2"].font.size = Pt(14)
    styles["Heading 3"].font.size = Pt(12)

    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2))
    section.different_first_page_header_footer = True
    header = section.header.paragraphs[0]
    header.text = f"{report.partnership_name} – readiness report, as of {report.as_of_text}"
    footer = section.footer.paragraphs[0]
    footer.text = f"{report.caveat}\t\t"
    footer.add_run("Page ")
    _field(footer, "PAGE", "1")
    footer.add_run(" of ")
    _field(footer, "NUMPAGES", "1")


def _title_page(document: DocumentObject, report: ReadinessReport) -> None:
    document.add_paragraph(report.title, style="Title")
    document.add_paragraph(report.partnership_name, style="Subtitle")
    for label, value in (
        ("Position as of", report.as_of_text),
        ("Generated", report.generated_text),
        ("Local authority code", report.la_code),
        ("Framework", report.framework_label),
        ("Overall position", report.overall.label),
    ):
        _labelled(document, label, value)
    caveat = document.add_paragraph(style="Intense Quote")
    caveat.add_run(f"{report.caveat}.").bold = True
    caveat.add_run(f" {report.overall.reason}")
    document.add_paragraph(
        f"Made with {report.service_name}, a tool for local area partnerships. It is not a government service."
    )
    document.add_heading("Contents", level=1)
    contents = document.add_paragraph()
    _field(
        contents,
        r'TOC \o "1-2" \h \z \u',
        "Right-click here and choose Update Field to show the contents with page numbers.",
    )
    _update_fields_on_open(document)
    contents.add_run().add_break(WD_BREAK.PAGE)


# --- Sections ----------------------------------------------------------------------------------------------


def _overall(document: DocumentObject, report: ReadinessReport) -> None:
    overall = report.overall
    document.add_heading("Overall position", level=1)
    position = document.add_paragraph()
    position.add_run(overall.label).bold = True
    document.add_paragraph(overall.reason)
    caveat = document.add_paragraph()
    caveat.add_run(f"{overall.caveat}.").italic = True
    _table(
        document,
        ("Question", "Score", "RAG"),
        [
            ("Impact: what the data and families say", overall.impact_text, overall.impact_rag_label),
            ("Preparation: can the partnership show it", overall.preparation_text, overall.preparation_rag_label),
            ("Overall score", overall.score_text, ""),
        ],
        widths=(Cm(9), Cm(4.5), Cm(3.5)),
    )
    document.add_paragraph(overall.summary)
    document.add_heading("Gaps by severity", level=2)
    _chart(document, gaps_by_severity_figure(report.severity_bars, report.gaps_chart_title), report.gaps_chart_title)
    _table(
        document,
        ("Severity", "Gaps"),
        [*((c.label, c.count) for c in overall.gaps), ("Total", overall.gaps_total)],
        numeric={1},
        widths=(Cm(5), Cm(3)),
    )


def _next_actions(document: DocumentObject, report: ReadinessReport) -> None:
    document.add_heading("Next actions", level=1)
    if not report.next_actions:
        document.add_paragraph("There are no gaps to close.")
        return
    document.add_paragraph(
        "The most severe gaps first, one for each criterion and rule. The gap register lists every gap."
    )
    for gap in report.next_actions:
        item = document.add_paragraph(style="List Number")
        item.add_run(f"{gap.criterion_id} ({gap.severity_label}): ").bold = True
        item.add_run(gap.action)
        item.add_run(f" Why: {gap.message}").italic = True


def _title_with_wording(row) -> str:  # type: ignore[no-untyped-def]
    return f"{row.title} ({row.wording_label.lower()})" if row.provisional else row.title


def _criteria(document: DocumentObject, report: ReadinessReport) -> None:
    document.add_heading("Criteria: impact and preparation", level=1)
    _chart(document, criterion_scores_figure(report.score_bars, report.scores_chart_title), report.scores_chart_title)
    _table(
        document,
        ("Criterion", "Title", "Impact", "Preparation", "Score", "RAG"),
        [
            (
                row.id,
                _title_with_wording(row),
                f"{row.impact_text} ({row.impact_rag_label})" if row.impact_score is not None else row.impact_text,
                f"{row.preparation_text} ({row.preparation_rag_label})",
                row.score_text,
                row.rag_label,
            )
            for row in report.criteria
        ],
        widths=(Cm(1.8), Cm(6.2), Cm(2.6), Cm(2.6), Cm(2.2), Cm(1.6)),
        caption="Impact and preparation of each criterion (the numbers in the chart)",
    )
    _table(
        document,
        ("Criterion", "Self-evaluation", "Evidence linked", "Approved", "Stale", "Families", "Practitioners", "Gaps"),
        [
            (
                row.id,
                f"{row.grade_label}; {row.self_evaluation.lower()}",
                row.evidence_linked,
                row.evidence_approved,
                row.evidence_stale,
                row.family_text,
                row.practitioners_text,
                row.gaps_total,
            )
            for row in report.criteria
        ],
        numeric={2, 3, 4, 7},
        caption="Self-evaluation, evidence, survey answers and gaps for each criterion",
    )


def _gap_register(document: DocumentObject, report: ReadinessReport) -> None:
    document.add_heading("Gap register", level=1)
    if not report.gap_register:
        document.add_paragraph("No gaps were found.")
        return
    document.add_paragraph("Every gap, most severe first, then in framework order.")
    _table(
        document,
        ("Criterion", "Severity", "What is wrong", "What to do"),
        [(g.criterion_id, g.severity_label, g.message, g.action) for g in report.gap_register],
        widths=(Cm(1.9), Cm(1.9), Cm(6.6), Cm(6.6)),
    )


def _parts(document: DocumentObject, parts, total: str) -> None:  # type: ignore[no-untyped-def]
    _table(
        document,
        ("Part", "Weight", "Earned", "Points", "Why"),
        [
            *((p.label, p.weight_text, p.earned_text, p.points_text, p.detail) for p in parts),
            ("Score", "", "", total, ""),
        ],
        numeric={1, 2, 3},
        widths=(Cm(4.5), Cm(1.6), Cm(2.4), Cm(1.6), Cm(6.9)),
    )


def _measures(document: DocumentObject, detail: CriterionDetail) -> None:
    row = detail.row
    if not detail.measures:
        document.add_paragraph(f"No measures are linked to {row.id}.")
        return
    _table(
        document,
        ("Measure", "Period", "Value", "Rated against", "RAG"),
        [
            (
                f"{m.title} ({m.kind_text.lower()})" if m.duty else m.title,
                m.period_text,
                f"{m.value_text} ({m.counts_text})" if m.counts_text else m.value_text,
                m.rated_against_text,
                m.rag_label,
            )
            for m in detail.measures
        ],
        widths=(Cm(6.4), Cm(1.6), Cm(3.2), Cm(3.8), Cm(2)),
    )
    comparisons = [(m, c) for m in detail.measures for c in m.comparisons]
    if comparisons:
        _table(
            document,
            ("Measure", "Compared with", "Year", "Partnership", "Comparator", "Difference"),
            [(m.title, c.name, c.period, c.local_text, c.value_text, c.difference_text) for m, c in comparisons],
            widths=(Cm(5), Cm(3.4), Cm(1.4), Cm(2.2), Cm(2.2), Cm(2.8)),
            caption=f"Comparisons for {row.id}, each for the same year",
        )
    for m in detail.measures:
        if m.note:
            document.add_paragraph(f"{m.title}: {m.note}")


def _criterion(document: DocumentObject, detail: CriterionDetail) -> None:
    row = detail.row
    document.add_heading(f"{row.id}: {row.title}", level=2)
    if row.provisional:
        _labelled(document, PROVISIONAL, "the framework has not confirmed this criterion's wording yet")
    document.add_paragraph(detail.score_sentence)

    document.add_heading("Impact: what the data and families say", level=3)
    _parts(document, detail.impact_parts, row.impact_text)
    _measures(document, detail)
    _labelled(document, "Families (parents and carers, children and young people)", row.family_text)
    _labelled(document, "Practitioners say", row.practitioners_text)

    document.add_heading("Preparation: can the partnership show it", level=3)
    _parts(document, detail.preparation_parts, row.preparation_text)
    _labelled(document, "Self-evaluation", f"{row.grade_label}; {row.self_evaluation.lower()}")
    _labelled(
        document,
        "Evidence",
        f"{row.evidence_linked} linked, {row.evidence_approved} approved, {row.evidence_stale} stale",
    )
    _labelled(document, "Follow-up of the last inspection", row.follow_up_text)

    document.add_heading("Gaps and actions", level=3)
    if detail.gaps:
        _table(
            document,
            ("Severity", "What is wrong", "What to do"),
            [(g.severity_label, g.message, g.action) for g in detail.gaps],
            widths=(Cm(2), Cm(7.5), Cm(7.5)),
        )
    else:
        document.add_paragraph(f"No gaps were found for {row.id}.")


def _about(document: DocumentObject, report: ReadinessReport) -> None:
    document.add_heading("About this report", level=1)
    for paragraph in report.about:
        document.add_paragraph(paragraph)
    document.add_paragraph(
        "RAG ratings and severities are written as words. In the charts, green bars are plain, amber bars have "
        "diagonal lines and red bars are cross-hatched, so the report reads in black and white."
    )
    if report.rules:
        _table(
            document,
            ("Rule", "Usual severity", "What it checks", "Gaps"),
            [(r.code, r.severity_label, r.explanation, r.count) for r in report.rules],
            numeric={3},
            widths=(Cm(4.4), Cm(2.2), Cm(9), Cm(1.4)),
            caption="The rules that found gaps in this report",
        )
    document.add_paragraph(
        f"Framework: {report.framework_label}. Framework text is Crown copyright, used under the Open Government "
        "Licence v3.0."
    )


# --- Building blocks ---------------------------------------------------------------------------------------


def _labelled(document: DocumentObject, label: str, value: str) -> None:
    paragraph = document.add_paragraph()
    paragraph.add_run(f"{label}: ").bold = True
    paragraph.add_run(value)
    paragraph.paragraph_format.space_after = Pt(2)


def _table(
    document: DocumentObject,
    headers: Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    numeric: set[int] | frozenset[int] = frozenset(),
    widths: Sequence[Cm] | None = None,
    caption: str | None = None,
) -> Table:
    """Add a table in TABLE_STYLE: a bold header row that repeats on every page, then one row per item."""
    if caption:
        document.add_paragraph(caption, style="Caption")
    rows = list(rows)
    table = document.add_table(rows=1 + len(rows), cols=len(headers))
    table.style = document.styles[TABLE_STYLE]
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    # Rows and cells straight from the XML: python-docx's row.cells rebuilds the whole grid on every call.
    for row_index, tr in enumerate(table._tbl.tr_lst):
        values = headers if row_index == 0 else rows[row_index - 1]
        for position, (tc, value) in enumerate(zip(tr.tc_lst, values, strict=True)):
            paragraph = _Cell(tc, table).paragraphs[0]
            run = paragraph.add_run("" if value is None else str(value))
            if row_index == 0:
                run.bold = True
            if position in numeric:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _repeat_as_header(table.rows[0])
    if widths:
        for tr in table._tbl.tr_lst:
            for tc, width in zip(tr.tc_lst, widths, strict=True):
                tc.width = width
    document.add_paragraph()
    return table


def _chart(document: DocumentObject, figure: Figure, title: str) -> None:
    paragraph = document.add_paragraph()
    shape = paragraph.add_run().add_picture(io.BytesIO(to_png(figure)), width=CHART_WIDTH)
    properties = shape._inline.docPr  # python-docx has no API for alternative text yet
    properties.set("title", title)
    properties.set("descr", f"Chart: {title}. The table after it gives the same numbers.")


def _repeat_as_header(row) -> None:  # type: ignore[no-untyped-def]
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def _field(paragraph, instruction: str, placeholder: str) -> None:  # type: ignore[no-untyped-def]
    """Add a Word field (page number, contents) that Word fills in; the placeholder shows until it does."""
    begin, separate, end = (OxmlElement("w:fldChar") for _ in range(3))
    begin.set(qn("w:fldCharType"), "begin")
    begin.set(qn("w:dirty"), "true")
    separate.set(qn("w:fldCharType"), "separate")
    end.set(qn("w:fldCharType"), "end")
    code = OxmlElement("w:instrText")
    code.set(qn("xml:space"), "preserve")
    code.text = f" {instruction} "
    for element in (begin, code, separate):
        paragraph.add_run()._r.append(element)
    paragraph.add_run(placeholder)
    paragraph.add_run()._r.append(end)


def _update_fields_on_open(document: DocumentObject) -> None:
    settings = document.settings.element
    if settings.find(qn("w:updateFields")) is None:
        update = OxmlElement("w:updateFields")
        update.set(qn("w:val"), "true")
        settings.append(update)
