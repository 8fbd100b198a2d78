"""The readiness report as spreadsheets: an Excel workbook (openpyxl) and the gap register as CSV.

The workbook has one sheet per table ("Summary", "Criteria", "Gap register", "Measures"), each with a bold
header row frozen in place, a filter over its data and column widths that fit. Numbers are stored as numbers
and dates as dates, so people can sort, filter and chart them. Text is always stored as text, never as a
formula, whatever it starts with.

The CSV is for Excel users first: UTF-8 with a byte-order mark (so Excel reads accents and curly quotes
correctly) and CRLF line ends. A cell that starts with = + - @ or a tab gets a leading apostrophe, so a
spreadsheet never runs it as a formula.
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

CSV_COLUMNS = ("criterion", "code", "severity", "message", "action", "owner")
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
    """Render the report as an Excel workbook with Summary, Criteria, Gap register and Measures sheets."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    properties = workbook.properties
    properties.title = f"{report.title}: {report.partnership_name}"
    properties.creator = report.service_name
    properties.description = report.estimate_label
    # Fixed times, so the same report gives the same workbook.
    properties.created = properties.modified = report.generated_at.replace(tzinfo=None)
    _sheet(workbook, "Summary", _SUMMARY_COLUMNS, _summary_rows(report))
    _sheet(workbook, "Criteria", _CRITERIA_COLUMNS, _criteria_rows(report))
    _sheet(workbook, "Gap register", _GAP_COLUMNS, _gap_rows(report))
    _sheet(workbook, "Measures", _MEASURE_COLUMNS, _measure_rows(report))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def render_csv(report: ReadinessReport) -> bytes:
    """Render the gap register as CSV: criterion, code, severity, message, action, owner; one row per gap."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)  # CRLF line ends, as RFC 4180 and Excel expect
    writer.writerow(CSV_COLUMNS)
    for gap in report.gap_register:
        writer.writerow(
            [_csv_safe(v) for v in (gap.criterion_id, gap.code, gap.severity, gap.message, gap.action, gap.owner or "")]
        )
    return buffer.getvalue().encode("utf-8-sig")


# --- Sheets ------------------------------------------------------------------------------------------------

_SUMMARY_COLUMNS = (Column("Item"), Column("Value", wrap=True))
_CRITERIA_COLUMNS = (
    Column("Section"),
    Column("Criterion"),
    Column("Title", wrap=True),
    Column("Score", "0"),
    Column("RAG"),
    Column("Self-evaluation grade"),
    Column("Self-evaluation"),
    Column("Signed off"),
    Column("Evidence linked", "0"),
    Column("Evidence approved", "0"),
    Column("Evidence stale", "0"),
    Column("Family responses", "0"),
    Column("Families agreeing (%)", "0.0"),
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
    Column("Rule", wrap=True),
)
_MEASURE_COLUMNS = (
    Column("Criterion"),
    Column("Measure id"),
    Column("Measure", wrap=True),
    Column("Unit"),
    Column("Period"),
    Column("Value", "#,##0.0##"),
    Column("Numerator", "#,##0"),
    Column("Denominator", "#,##0"),
    Column("England", "#,##0.0##"),
    Column("RAG"),
)


def _summary_rows(report: ReadinessReport) -> list[Sequence[Cell]]:
    overall = report.overall
    rows: list[Sequence[Cell]] = [
        ("Partnership", report.partnership_name),
        ("Local authority code", report.la_code),
        ("Framework", report.framework_label),
        ("Position as of", report.as_of),
        ("Generated (UTC)", report.generated_at.replace(tzinfo=None)),
        ("Overall score (0 to 100)", overall.score),
        ("Overall RAG", overall.rag_label),
        ("Indicative outcome", overall.indicative_outcome_label),
        ("About the indicative outcome", f"{overall.estimate_label}. {overall.outcome_reason}"),
        ("Criteria", overall.criteria),
        ("Criteria green", overall.criteria_green),
        ("Criteria amber", overall.criteria_amber),
        ("Criteria red", overall.criteria_red),
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
            row.score,
            row.rag_label,
            row.grade_label,
            row.self_evaluation,
            "Yes" if row.signed_off else "No",
            row.evidence_linked,
            row.evidence_approved,
            row.evidence_stale,
            row.feedback_responses,
            row.feedback_agree_pct,
            row.gaps_high,
            row.gaps_medium,
            row.gaps_low,
            row.gaps_total,
        )
        for row in report.criteria
    ]


def _gap_rows(report: ReadinessReport) -> list[Sequence[Cell]]:
    return [
        (g.criterion_id, g.criterion_title, g.severity_label, g.code, g.message, g.action, g.owner, g.explanation)
        for g in report.gap_register
    ]


def _measure_rows(report: ReadinessReport) -> list[Sequence[Cell]]:
    return [
        (m.criterion_id, m.id, m.title, m.unit, m.period, m.value, m.numerator, m.denominator, m.england, m.rag_label)
        for m in report.measures
    ]


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
