"""Write checked person-level lists in the template's layout (XLSX or ODS), and the check's findings as CSV.

The clean file has one sheet per list, named as the template names it, the template's exact headers in its
order, codes in its spelling and dates as real date cells shown DD/MM/YYYY. Text cells stay text: a value
starting with "=" is written as a string cell in both formats, never as a formula, and nothing is altered.

The findings CSV holds the validation summary only (rule, list, row, column, what is wrong): no value from
the lists, so it can be kept or shared without personal data.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import date

from odf.number import DateStyle, Day, Month, Text, Year
from odf.opendocument import OpenDocumentSpreadsheet
from odf.style import Style, TableColumnProperties
from odf.table import Table, TableCell, TableColumn, TableRow
from odf.text import P
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from inspect_app.domain.person_lists import RULES, CheckedList, CheckResult, Issue

DATE_FORMAT = "DD/MM/YYYY"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ODS_TYPE = "application/vnd.oasis.opendocument.spreadsheet"
FORMATS = {"xlsx": XLSX_TYPE, "ods": ODS_TYPE}


def lists_file(result: CheckResult, file_format: str) -> bytes:
    """Return the checked lists as an XLSX or ODS workbook in the template's layout."""
    if file_format == "xlsx":
        return lists_xlsx(result.lists)
    if file_format == "ods":
        return lists_ods(result.lists)
    raise ValueError(f"Unknown format {file_format!r}: use xlsx or ods")


def lists_xlsx(lists: Sequence[CheckedList]) -> bytes:
    """The lists as XLSX: one sheet per list, header bold and frozen, dates as date cells."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for checked in lists:
        sheet = workbook.create_sheet(checked.spec.sheet_name)
        sheet.append([column.name for column in checked.spec.columns])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for row_index, values in enumerate(checked.rows, start=2):
            for column_index, column in enumerate(checked.spec.columns, start=1):
                value = values.get(column.key)
                if value is None:
                    continue
                cell = sheet.cell(row=row_index, column=column_index, value=value)
                if isinstance(value, date):
                    cell.number_format = DATE_FORMAT
                elif isinstance(value, str):
                    cell.data_type = "s"  # a leading "=" stays text, never a formula
        for column_index, column in enumerate(checked.spec.columns, start=1):
            letter = sheet.cell(row=1, column=column_index).column_letter
            sheet.column_dimensions[letter].width = max(12, min(40, len(column.name) + 2))
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def lists_ods(lists: Sequence[CheckedList]) -> bytes:
    """The lists as ODS (the template's own format): one table per list, dates shown DD/MM/YYYY."""
    document = OpenDocumentSpreadsheet()
    date_style = DateStyle(name="day-month-year")
    for part in (Day(style="long"), Text(text="/"), Month(style="long"), Text(text="/"), Year(style="long")):
        date_style.addElement(part)
    document.automaticstyles.addElement(date_style)
    date_cell = Style(name="date-cell", family="table-cell", datastylename="day-month-year")
    document.automaticstyles.addElement(date_cell)
    wide = Style(name="wide-column", family="table-column")
    wide.addElement(TableColumnProperties(columnwidth="4cm"))
    document.automaticstyles.addElement(wide)
    for checked in lists:
        table = Table(name=checked.spec.sheet_name)
        table.addElement(TableColumn(numbercolumnsrepeated=len(checked.spec.columns), stylename=wide))
        header = TableRow()
        for column in checked.spec.columns:
            header.addElement(_ods_cell(column.name, date_cell))
        table.addElement(header)
        for values in checked.rows:
            row = TableRow()
            for column in checked.spec.columns:
                row.addElement(_ods_cell(values.get(column.key), date_cell))
            table.addElement(row)
        document.spreadsheet.addElement(table)
    buffer = io.BytesIO()
    document.write(buffer)
    return buffer.getvalue()


def _ods_cell(value: object, date_cell: Style) -> TableCell:
    if value is None:
        return TableCell()
    if isinstance(value, date):
        cell = TableCell(valuetype="date", datevalue=value.isoformat(), stylename=date_cell)
        cell.addElement(P(text=value.strftime("%d/%m/%Y")))
        return cell
    if isinstance(value, int | float) and not isinstance(value, bool):
        cell = TableCell(valuetype="float", value=value)
        cell.addElement(P(text=f"{value:g}"))
        return cell
    cell = TableCell(valuetype="string")
    cell.addElement(P(text=str(value)))
    return cell


def findings_csv(issues: Sequence[Issue], list_titles: dict[str, str]) -> bytes:
    """The check's findings, one line per list row and rule: no value from the lists."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["severity", "rule", "list", "row", "column", "problem"])
    for issue in issues:
        writer.writerow(
            [
                issue.severity,
                issue.code,
                list_titles.get(issue.list_id or "", ""),
                issue.row or "",
                issue.column,
                RULES[issue.code].description,
            ]
        )
    return buffer.getvalue().encode("utf-8-sig")
