"""Read the columns of a case or review file (CSV or XLSX) as cells, and record every problem found in them.

The machinery behind importers/cases.py, kept apart from the rules of the two files: `Table.open` reads the file
once and keeps only the columns an import reads (personal data columns are dropped unread and named), `Cells`
holds a column as each row's code into its distinct values so that every check converts each distinct value once,
and `Problems` collects the problems by column and message until the end, when they become `RowError`s in row and
column order (see importers/cases.py for why: a file of 200,000 rows in a few times what reading it takes).
"""

from __future__ import annotations

import codecs
import io
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import IO, Any

import numpy as np
import pandas as pd

from inspect_app.importers.common import (
    FIRST_DATA_ROW,
    FileRejected,
    RowError,
    is_xlsx,
    normalise_header,
    read_bytes,
    read_table,
)
from inspect_app.importers.dates import distinct
from inspect_app.importers.personal_data import is_date_of_birth, is_personal_data

Source = str | Path | IO[bytes] | bytes
DATE_OF_BIRTH = "date_of_birth"  # not a field of Case: read only to derive age_at_request


# Reading the file ---------------------------------------------------------------------------------------


@dataclass
class Table:
    """The columns of a file that an import reads, and what it did with the other columns."""

    raw: dict[str, Cells]  # field -> cells (text; `datetime` for real XLSX date cells)
    headers: dict[str, str]  # field -> column name as in the file
    positions: dict[str, int]  # field -> column position in the file (orders the errors of a row)
    blank: np.ndarray  # rows with nothing in any column read
    dropped: list[str]
    notes: list[str]
    date_cache: dict[object, Any] = field(default_factory=dict)  # shared by the date columns

    @property
    def count(self) -> int:
        return len(self.blank)

    def fields(self) -> dict[str, str]:
        """Field -> column name as in the file, for the fields of the records (not the date of birth)."""
        return {name: header for name, header in self.headers.items() if name != DATE_OF_BIRTH}

    @classmethod
    def open(
        cls,
        source: Source,
        aliases: Mapping[str, Iterable[str]],
        required: Iterable[str],
        *,
        date_of_birth: bool,
        text_fields: Iterable[str] = (),
    ) -> Table:
        """Read the file, match its header to fields, and keep only the columns the import reads.

        With `date_of_birth`, a date of birth column (personal data, so also dropped) is read as DATE_OF_BIRTH.
        """
        data = read_bytes(source)
        if data.startswith(codecs.BOM_UTF8):
            data = data[len(codecs.BOM_UTF8) :]  # pandas reads plain "utf-8" faster than "utf-8-sig"
        if not data or data.isspace():
            raise FileRejected("The file is empty")
        header, read_columns = _open(data)
        matched, dropped, ignored, born = _match_columns(header, aliases)
        missing = [name for name in required if name not in matched]
        if missing:
            raise FileRejected(_missing_message(missing, aliases, required, header))
        if date_of_birth and born is not None:
            matched[DATE_OF_BIRTH] = born
        positions = sorted(matched.values())
        frame = read_columns(positions, {matched[name] for name in text_fields if name in matched})
        if frame.empty:
            raise FileRejected("The file has a header row but no rows of data")
        index = {position: number for number, position in enumerate(positions)}
        raw = {name: Cells(frame.iloc[:, index[position]]) for name, position in matched.items()}
        notes = [f"These columns were not read: {', '.join(ignored)}"] if ignored else []
        table = cls(
            raw=raw,
            headers={name: header[position] for name, position in matched.items()},
            positions=matched,
            blank=_blank_rows(raw.values(), len(frame)),
            dropped=dropped,
            notes=notes,
        )
        if table.blank.all():
            raise FileRejected("The file has a header row but no rows of data")
        table.notes.extend(_blank_note(table.blank))
        return table


def _open(data: bytes) -> tuple[list[str], Callable[[list[int], set[int]], pd.DataFrame]]:
    """Return the header of a CSV or XLSX file and a reader of chosen columns (by position) as cells.

    CSV is read once by pandas's C parser, only the columns wanted, keeping blank lines so that row numbers
    match the spreadsheet. Columns at `text_positions` (the case reference, different in every row, and
    columns of numbers) come as Python strings; the others as pandas categories, which the parser builds in C
    from the distinct cells without making a string per cell, and the checks convert each distinct cell once.
    It is read as UTF-8 (any byte-order mark already removed) and, failing that, as Windows-1252 as Excel
    saves it.
    """
    if is_xlsx(data):
        table = read_table(data)
        header = [str(c) for c in table.columns]
        return header, lambda positions, text_positions: table.iloc[:, positions]
    try:
        encoding, header = "utf-8", _csv_header(data, "utf-8")
    except UnicodeDecodeError:
        encoding, header = "cp1252", _csv_header(data, "cp1252")

    def read_columns(positions: list[int], text_positions: set[int]) -> pd.DataFrame:
        nonlocal encoding
        dtypes = {header[p]: object if p in text_positions else "category" for p in positions}
        wanted = None if len(positions) == len(header) else positions  # usecols costs time even when all are used
        try:
            frame = _read_csv(data, encoding, wanted, dtypes)
        except UnicodeDecodeError:
            encoding = "cp1252"
            frame = _read_csv(data, encoding, wanted, dtypes)
        # pandas turns categories that all look like numbers or booleans into them ("1e1" becomes 10.0);
        # such columns are read again as text, so that every cell is checked as written.
        inferred = [
            number
            for number in range(len(positions))
            if isinstance(frame.dtypes.iloc[number], pd.CategoricalDtype)
            and not pd.api.types.is_string_dtype(frame.iloc[:, number].cat.categories.dtype)
        ]
        if inferred:
            again = _read_csv(data, encoding, [positions[n] for n in inferred], object)
            for column, number in enumerate(inferred):
                frame.isetitem(number, again.iloc[:, column])
        return frame

    return header, read_columns


def _csv_header(data: bytes, encoding: str) -> list[str]:
    return [str(c) for c in _read_csv(data, encoding, None, object, rows=0).columns]


def _read_csv(
    data: bytes, encoding: str, positions: list[int] | None, dtypes: object, rows: int | None = None
) -> pd.DataFrame:
    try:
        return pd.read_csv(
            io.BytesIO(data),
            encoding=encoding,
            dtype=dtypes,  # type: ignore[arg-type]
            keep_default_na=False,
            na_filter=False,
            skip_blank_lines=False,
            usecols=positions,
            nrows=rows,
        )
    except UnicodeDecodeError as exc:
        if encoding == "cp1252":
            raise FileRejected("The file is not text saved as UTF-8 or Windows-1252, nor an Excel workbook") from exc
        raise
    except pd.errors.EmptyDataError as exc:
        raise FileRejected("The file is empty") from exc
    except (pd.errors.ParserError, ValueError) as exc:
        raise FileRejected(f"The file could not be read as CSV: {exc}") from exc


def _match_columns(
    header: list[str], aliases: Mapping[str, Iterable[str]]
) -> tuple[dict[str, int], list[str], list[str], int | None]:
    """Return field -> column position, personal data columns dropped, unknown columns, date of birth column."""
    lookup = {normalise_header(name): field_name for field_name, names in aliases.items() for name in names}
    lookup.update({field_name: field_name for field_name in aliases})
    matched: dict[str, list[int]] = {}
    dropped: list[str] = []
    ignored: list[str] = []
    date_of_birth: int | None = None
    for position, name in enumerate(header):
        field_name = lookup.get(normalise_header(name))
        if field_name is not None:
            matched.setdefault(field_name, []).append(position)
        elif is_personal_data(name):
            dropped.append(name)
            if date_of_birth is None and is_date_of_birth(name):
                date_of_birth = position
        else:
            ignored.append(name)
    clashes = {name: positions for name, positions in matched.items() if len(positions) > 1}
    if clashes:
        name, positions = next(iter(clashes.items()))
        found = ", ".join(header[p] for p in positions)
        raise FileRejected(f"The file has {len(positions)} columns for {name} ({found}); keep one of them")
    return {name: positions[0] for name, positions in matched.items()}, dropped, ignored, date_of_birth


def _missing_message(
    missing: list[str], aliases: Mapping[str, Iterable[str]], required: Iterable[str], header: list[str]
) -> str:
    sen2 = {"case_ref": "requeststableid", "request_date": "receiveddate", "meeting_date": "reviewmeeting"}
    wanted = " and ".join(f"{name} (or {sen2[name]})" if name in sen2 else name for name in required)
    found = ", ".join(header) if header else "none"
    return (
        f"The file has no {' or '.join(missing)} column. It needs {wanted}, and may have "
        f"{', '.join(name for name in aliases if name not in required)}. Columns found: {found}"
    )


def _blank_note(blank: np.ndarray) -> list[str]:
    count = int(blank.sum())
    if not count:
        return []
    rows = ", ".join(str(row) for row in (np.flatnonzero(blank)[:10] + FIRST_DATA_ROW).tolist())
    more = " and others" if count > 10 else ""
    if count == 1:
        return [f"1 empty row was skipped (row {rows})"]
    return [f"{count} empty rows were skipped (rows {rows}{more})"]


def _blank_rows(columns: Iterable[Cells], count: int) -> np.ndarray:
    """Rows where every column read is empty (a spreadsheet's spacer or trailing rows)."""
    blank = np.ones(count, dtype=bool)
    for cells in columns:
        blank &= cells.empty()
    return blank


class Cells:
    """One column's cells: as an array of cells, or as each row's code into the distinct cells (a category)."""

    def __init__(self, column: pd.Series):
        self._cells: np.ndarray | None = None
        self._distinct: tuple[np.ndarray, np.ndarray] | None = None
        if isinstance(column.dtype, pd.CategoricalDtype):
            codes = column.cat.codes.to_numpy()
            values = column.cat.categories.to_numpy(dtype=object)
            if len(codes) and codes.min() < 0:  # a row shorter than the header: its missing cells are blank
                codes = np.where(codes < 0, len(values), codes)
                values = np.append(values, np.array([""], dtype=object))
            self._distinct = (codes, values)
        else:
            self._cells = column.to_numpy(dtype=object)

    def distinct(self) -> tuple[np.ndarray, np.ndarray]:
        """Each row's code and the distinct cells the codes index."""
        if self._distinct is None:
            self._distinct = distinct(self.cells())
        return self._distinct

    def cells(self) -> np.ndarray:
        """Every row's cell."""
        if self._cells is None:
            codes, values = self.distinct()
            self._cells = values[codes]
        return self._cells

    def __getitem__(self, position: int) -> object:
        if self._cells is not None:
            return self._cells[position]
        codes, values = self.distinct()
        return values[codes[position]]

    def empty(self) -> np.ndarray:
        """Rows whose cell is empty."""
        if self._cells is not None:
            return self._cells == ""
        codes, values = self.distinct()
        return np.array([value == "" for value in values.tolist()], dtype=bool)[codes]


# Checking columns ---------------------------------------------------------------------------------------


class Problems:
    """Every problem found, kept as batches of rows per column and message until the end: most rows have none."""

    def __init__(self, table: Table):
        self.table = table
        self.bad = np.zeros(table.count, dtype=bool)
        self._columns: dict[str, np.ndarray] = {}
        self._batches: list[tuple[np.ndarray, str, list[str]]] = []

    def add(self, mask: np.ndarray, name: str, message: str) -> None:
        """Record one message for every row in `mask` (blank rows are skipped, not reported)."""
        positions = np.flatnonzero(mask & ~self.table.blank)
        if positions.size:
            self._record(positions, name, [message] * positions.size)

    def add_each(self, mask: np.ndarray, name: str, messages: list[str]) -> None:
        """Record a message of its own for each row in `mask`, in row order."""
        positions = np.flatnonzero(mask)
        if positions.size:
            self._record(positions, name, messages)

    def add_messages(self, mask: np.ndarray, messages: Callable[[np.ndarray], list[str]], name: str) -> None:
        """Record for each row in `mask` the message `messages` gives for it (called with the row positions)."""
        positions = np.flatnonzero(mask & ~self.table.blank)
        if positions.size:
            self._record(positions, name, messages(positions))

    def _record(self, positions: np.ndarray, name: str, messages: list[str]) -> None:
        self._batches.append((positions, name, messages))
        self.bad[positions] = True
        self._columns.setdefault(name, np.zeros(self.table.count, dtype=bool))[positions] = True

    def at(self, name: str) -> np.ndarray:
        """Rows with a problem in the column of `name`."""
        return self._columns.get(name, np.zeros(self.table.count, dtype=bool))

    def keep(self) -> np.ndarray:
        """Rows to turn into records: not blank and without a problem."""
        return ~self.bad & ~self.table.blank

    def row_errors(self) -> list[RowError]:
        """Every problem as a RowError, in row order and, within a row, in the file's column order."""
        found: list[tuple[int, int, RowError]] = []
        for positions, name, messages in self._batches:
            header, cells, order = self.table.headers[name], self.table.raw[name], self.table.positions[name]
            hidden = name == DATE_OF_BIRTH  # personal data is not repeated back, even in an error
            for position, message in zip(positions.tolist(), messages, strict=True):
                value = "" if hidden else shown(cells[position])
                found.append((position, order, RowError(position + FIRST_DATA_ROW, header, value, message)))
        found.sort(key=lambda item: item[:2])
        return [error for _, _, error in found]


def shown(cell: object) -> str:
    """A cell as the person would recognise it in their file."""
    if isinstance(cell, str):
        return cell
    if isinstance(cell, date):
        return cell.isoformat() if type(cell) is date else str(cell).removesuffix(" 00:00:00")
    return "" if cell is None or cell != cell else str(cell)


def cell_text(cell: object) -> str:
    """A cell as stripped text ('' for blank); real dates from XLSX as ISO text."""
    if isinstance(cell, str):
        return cell.strip()
    return shown(cell).strip()


def convert_cells(cells: Cells, convert: Callable[[str], object]) -> tuple[np.ndarray, np.ndarray]:
    """Convert each distinct cell once; return the value of every row and the rows whose cell was refused.

    `convert` takes stripped text and raises ValueError to refuse it.
    """
    codes, uniques = cells.distinct()
    values = np.empty(len(uniques), dtype=object)
    refused = np.zeros(len(uniques), dtype=bool)
    for position, cell in enumerate(uniques):
        try:
            values[position] = convert(cell_text(cell))
        except ValueError:
            refused[position] = True
    return values[codes], refused[codes]
