"""The readiness report as spreadsheets: an Excel workbook (openpyxl) and one CSV file.

The workbook has one sheet per table ("Summary", "Criteria", "Gap register", "Measures", "Comparisons"), each
with a bold header row frozen in place, a filter over its data and column widths that fit. Numbers are stored
as numbers, rounded half up to one decimal place as DfE publishes them, and dates as dates, so people can sort,
filter and chart them. Every comparison keeps its own year. Text is always stored as text, never as a formula,
whatever it starts with.

The CSV holds the same model in one table, a `record` column saying what each row is: `overall` (the position
in the tool's own words, its reason and both scores), `caveat`, one `criterion` row each (impact, preparation
and the combined score), then one `gap` row per gap (the gap register, with the link where it is acted on).
It is for Excel users first: UTF-8 with a byte-order mark (so Excel reads accents and curly quotes correctly)
and CRLF line ends. A cell that starts with = + - @ or a tab gets a leading apostrophe, so a spreadsheet never
runs it as a formula.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

    from inspect_app.reports.readiness_report import ReadinessReport

CSV_COLUMNS = (
    "record",
    "criterion",
    "title",
    "wording",
    "score",
    "rag",
    "impact_score",
    "impact_rag",
    "preparation_score",
    "preparation_rag",
    "code",
    "severity",
    "message",
    "action",
    "owner",
    "link",
)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
MIN_WIDTH, MAX_WIDTH, WRAP_WIDTH = 8, 60, 60
HEADER_FONT = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")


@dataclass(frozen=True, slots=True)
class Column:
    """A sheet column: its header, and an Excel number format for its numbers or dates."""

    header: str
    number_format: str | None = None
    wrap: bool = False


Cell = str | int | float | date | datetime | None


def render_xlsx(report: ReadinessReport) -> bytes:
    """Render the report as an Excel workbook: Summary, Criteria, Gap register, Measures and Comparisons."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    properties = workbook.properties
    properties.title = f"{report.title}: {report.partnership_name}"
    properties.creator = report.service_name
    properties.description = report.caveat
    # Fixed times, so the same report gives the same workbook.
    properties.created = properties.modified = report.generated_at.replace(tzinfo=None)
    _sheet(workbook, "Summary", _SUMMARY_COLUMNS, _summary_rows(report))
    _sheet(workbook, "Criteria", _CRITERIA_COLUMNS, _criteria_rows(report))
    _sheet(workbook, "Gap register", _GAP_COLUMNS, _gap_rows(report))
    _sheet(workbook, "Measures", _MEASURE_COLUMNS, _measure_rows(report))
    _sheet(workbook, "Comparisons", _COMPARISON_COLUMNS, _comparison_rows(report))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_rows(report: ReadinessReport) -> list[tuple[Cell, ...]]:
    """The CSV's rows after its header: overall, caveat, each criterion, then each gap."""
    overall = report.overall
    blank: tuple[Cell, ...] = ("",) * 4
    rows: list[tuple[Cell, ...]] = [
        (
            "overall", "", overall.label, "", overall.score, "", overall.impact_score, overall.impact_rag,
            overall.preparation_score, overall.preparation_rag, overall.position, "", overall.reason, *blank[:3],
        ),
        ("caveat", *("",) * 11, report.caveat, *blank[:3]),
    ]  # fmt: skip
    rows += [
        (
            "criterion", row.id, row.title, "provisional" if row.provisional else "verified", row.score, row.rag,
            row.impact_score, row.impact_rag, row.preparation_score, row.preparation_rag, *("",) * 6,
        )
        for row in report.criteria
    ]  # fmt: skip
    rows += [
        (
            "gap", gap.criterion_id, gap.criterion_title, *("",) * 7, gap.code, gap.severity, gap.message,
            gap.action, gap.owner or "", gap.link or "",
        )
        for gap in report.gap_register
    ]  # fmt: skip
    return rows


def render_csv(report: ReadinessReport) -> bytes:
    """Render the report as one CSV table: overall, caveat, a row per criterion, then the gap register."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)  # CRLF line ends, as RFC 4180 and Excel expect
    writer.writerow(CSV_COLUMNS)
    for row in csv_rows(report):
        writer.writerow([_csv_safe(v) if isinstance(v, str) else ("" if v is None else v) for v in row])
    return buffer.getvalue().encode("utf-8-sig")


# --- Sheets ------------------------------------------------------------------------------------------------

_SUMMARY_COLUMNS = (Column("Item"), Column("Value", wrap=True))
_CRITERIA_COLUMNS = (
    Column("Section"),
    Column("Criterion"),
    Column("Title", wrap=True),
    Column("Wording"),
    Column("Impact score", "0"),
    Column("Impact RAG"),
    Column("Preparation score", "0"),
    Column("Preparation RAG"),
    Column("Score", "0"),
    Column("RAG"),
    Column("Self-evaluation grade"),
    Column("Self-evaluation"),
    Column("Evidence linked", "0"),
    Column("Evidence approved", "0"),
    Column("Evidence stale", "0"),
    Column("Family responses", "0"),
    Column("Families agreeing (%)", "0.0"),
    Column("Practitioner responses", "0"),
    Column("Practitioners agreeing (%)", "0.0"),
    Column("Actions from the last inspection", "0"),
    Column("Actions off track", "0"),
    Column("High gaps", "0"),
    Column("Medium gaps", "0"),
    Column("Low gaps", "0"),
    Column("Total gaps", "0"),
)
_GAP_COLUMNS = (
    Column("Criterion"),
    Column("Criterion title", wrap=True),
    Column("Severity"),
    Column("Code"),
    Column("What is wrong", wrap=True),
    Column("What to do", wrap=True),
    Column("Owner"),
    Column("Where to do it"),
    Column("Rule", wrap=True),
)
_MEASURE_COLUMNS = (
    Column("Criterion"),
    Column("Measure id"),
    Column("Measure", wrap=True),
    Column("Unit"),
    Column("Statutory duty"),
    Column("Law"),
    Column("Period"),
    Column("Value", "#,##0.0"),
    Column("Numerator", "#,##0"),
    Column("Denominator", "#,##0"),
    Column("Rated against"),
    Column("RAG"),
    Column("Note", wrap=True),
)
_COMPARISON_COLUMNS = (
    Column("Criterion"),
    Column("Measure id"),
    Column("Measure", wrap=True),
    Column("Comparator"),
    Column("Area code"),
    Column("Period"),
    Column("Partnership", "#,##0.0"),
    Column("Comparator figure", "#,##0.0"),
    Column("Difference"),
    Column("The partnership's latest period"),
)


def _summary_rows(report: ReadinessReport) -> list[Sequence[Cell]]:
    overall = report.overall
    rows: list[Sequence[Cell]] = [
        ("Partnership", report.partnership_name),
        ("Local authority code", report.la_code),
        ("Framework", report.framework_label),
        ("Position as of", report.as_of),
        ("Generated (UTC)", report.generated_at.replace(tzinfo=None)),
        ("Overall position", overall.label),
        ("Why", overall.reason),
        ("Caveat", report.caveat),
        ("Impact score (0 to 100)", overall.impact_score),
        ("Impact RAG", overall.impact_rag_label),
        ("Preparation score (0 to 100)", overall.preparation_score),
        ("Preparation RAG", overall.preparation_rag_label),
        ("Overall score (0 to 100)", overall.score),
        ("Criteria", overall.criteria),
        ("Criteria green", overall.criteria_green),
        ("Criteria amber", overall.criteria_amber),
        ("Criteria red", overall.criteria_red),
        ("Criteria without enough data", overall.criteria_no_data),
        ("Criteria with provisional wording", ", ".join(row.id for row in report.provisional) or "None"),
    ]
    rows += [(f"{count.label} severity gaps", count.count) for count in overall.gaps]
    rows.append(("Total gaps", overall.gaps_total))
    return rows


def _criteria_rows(report: ReadinessReport) -> list[Sequence[Cell]]:
    return [
        (
            row.section_id,
            row.id,
            row.title,
            "Provisional" if row.provisional else "Verified",
            row.impact_score,
            row.impact_rag_label,
            row.preparation_score,
            row.preparation_rag_label,
            row.score,
            row.rag_label,
            row.grade_label,
            row.self_evaluation,
            row.evidence_linked,
            row.evidence_approved,
            row.evidence_stale,
            row.family_responses,
            row.family_agree_pct,
            row.practitioners_responses,
            row.practitioners_agree_pct,
            row.follow_up_actions,
            row.follow_up_off_track,
            row.gaps_high,
            row.gaps_medium,
            row.gaps_low,
            row.gaps_total,
        )
        for row in report.criteria
    ]


def _gap_rows(report: ReadinessReport) -> list[Sequence[Cell]]:
    return [
        (
            g.criterion_id, g.criterion_title, g.severity_label, g.code, g.message, g.action, g.owner, g.link,
            g.explanation,
        )
        for g in report.gap_register
    ]  # fmt: skip


def _measure_rows(report: ReadinessReport) -> list[Sequence[Cell]]:
    return [
        (
            m.criterion_id, m.id, m.title, m.unit, "Yes" if m.duty else "No", m.basis, m.period, m.value,
            m.numerator, m.denominator, m.rated_against_text, m.rag_label, m.note,
        )
        for m in report.measures
    ]  # fmt: skip


def _comparison_rows(report: ReadinessReport) -> list[Sequence[Cell]]:
    return [
        (
            m.criterion_id, m.id, m.title, c.name, c.area_code, c.period, c.local_value, c.value, c.difference_text,
            "Yes" if c.latest else "No",
        )
        for m, c in report.comparisons
    ]  # fmt: skip


def _sheet(workbook: Workbook, title: str, columns: Sequence[Column], rows: Sequence[Sequence[Cell]]) -> Worksheet:
    sheet = workbook.create_sheet(title)
    sheet.append([column.header for column in columns])
    for cell in sheet[1]:
        cell.font = HEADER_FONT
        cell.alignment = TOP
    widths = [len(column.header) for column in columns]
    for values in rows:
        sheet.append(list(values))
        for position, (cell, value, column) in enumerate(zip(sheet[sheet.max_row], values, columns, strict=True)):
            if isinstance(value, str):
                cell.data_type = "s"  # never a formula, even when the text starts with "="
                widths[position] = max(widths[position], max((len(line) for line in value.splitlines()), default=0))
            elif value is not None:
                widths[position] = max(widths[position], len(str(value)))
            if column.number_format and isinstance(value, int | float) and not isinstance(value, bool):
                cell.number_format = column.number_format
            elif isinstance(value, datetime):
                cell.number_format = "d mmmm yyyy hh:mm"
            elif isinstance(value, date):
                cell.number_format = "d mmmm yyyy"
            cell.alignment = WRAP if column.wrap else TOP
    for position, (column, width) in enumerate(zip(columns, widths, strict=True), start=1):
        limit = WRAP_WIDTH if column.wrap else MAX_WIDTH
        sheet.column_dimensions[get_column_letter(position)].width = min(max(width + 2, MIN_WIDTH), limit)
    sheet.freeze_panes = "A2"
    last_row = max(sheet.max_row, 1)
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{last_row}"
    return sheet


def _csv_safe(value: str) -> str:
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value
