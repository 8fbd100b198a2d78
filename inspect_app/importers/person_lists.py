"""Read the person-level lists a local area sends inspectors: XLSX or ODS with a sheet per list, or CSV files.

The file is read in memory through the shared readers (`importers/common.read_sheets`, which serves every
importer and applies the upload limits), and handed on as plain sheets: header cells and rows of text or
dates. Nothing is stored or logged here; the rules are in domain/person_lists.py.

The header is normally the first row. A template copy with a title above the header is read too: the header
is the first of the top rows that holds at least three of the template's column names.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from inspect_app.domain.person_lists import SheetInput, TemplateSpec, fold_text
from inspect_app.importers.common import FIRST_DATA_ROW, read_sheets

HEADER_SEARCH_ROWS = 10


def read_list_files(files: Iterable[tuple[str, bytes]], template: TemplateSpec) -> list[SheetInput]:
    """Return every sheet of every file as a SheetInput; a CSV file is one sheet named after the file."""
    names = {fold_text(column.name) for spec in template.lists for column in spec.columns}
    sheets = []
    for file_name, data in files:
        for sheet_name, frame in read_sheets(data, name=file_name).items():
            sheets.append(_sheet(sheet_name, frame, names))
    return sheets


def _sheet(source: str, frame: pd.DataFrame, names: set[str]) -> SheetInput:
    header = [str(column) for column in frame.columns]
    rows = [tuple(row) for row in frame.itertuples(index=False, name=None)]
    first_row = FIRST_DATA_ROW
    if _hits(header, names) < 3:
        for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
            if _hits(row, names) >= 3:
                header = ["" if cell is None else str(cell) for cell in row]
                rows = rows[index + 1 :]
                first_row = FIRST_DATA_ROW + index + 1
                break
    return SheetInput(source=source, header=tuple(header), rows=tuple(rows), first_row=first_row)


def _hits(cells: Iterable[object], names: set[str]) -> int:
    return sum(1 for cell in cells if isinstance(cell, str) and fold_text(cell) in names)
