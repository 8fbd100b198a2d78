"""Write the evidence register as CSV or XLSX (the same columns the register import reads)."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import date

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from inspect_app.domain.evidence_register import COLUMNS, DATE_COLUMNS, RegisterRow, to_cells

WIDTHS = {"title": 40, "description": 50, "criteria": 60, "url": 40, "owner_email": 30, "returned_reason": 40}


def register_csv(rows: Sequence[RegisterRow]) -> bytes:
    """Return the register as UTF-8 CSV with a byte-order mark (so Excel shows accents), dates as YYYY-MM-DD."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in rows:
        cells = to_cells(row)
        writer.writerow([_csv_cell(cells[column]) for column in COLUMNS])
    return buffer.getvalue().encode("utf-8-sig")


def _csv_cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def register_xlsx(rows: Sequence[RegisterRow], *, title: str = "Evidence register") -> bytes:
    """Return the register as an XLSX workbook: one sheet, real date cells, the header frozen."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Evidence register"
    workbook.properties.title = title
    sheet.append(list(COLUMNS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        cells = to_cells(row)
        sheet.append([cells[column] if cells[column] not in (None,) else None for column in COLUMNS])
    for index, column in enumerate(COLUMNS, start=1):
        letter = sheet.cell(row=1, column=index).column_letter
        sheet.column_dimensions[letter].width = WIDTHS.get(column, 16)
        if column in DATE_COLUMNS:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = "yyyy-mm-dd"
        if column in ("criteria", "description"):
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
