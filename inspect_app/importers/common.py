"""Shared pieces of every importer: row errors, results and reading CSV/XLSX files as text.

Every importer is all-or-nothing: it returns every problem it found, and callers store nothing unless the
error list is empty. Row numbers are the numbers a person sees in a spreadsheet: the header is row 1, the
first data row is row 2.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Generic, TypeVar

import pandas as pd

from inspect_app.domain.errors import ValidationFailed

T = TypeVar("T")

XLSX_MAGIC = b"PK\x03\x04"
FIRST_DATA_ROW = 2  # spreadsheet row number of the first data row (row 1 is the header)


@dataclass(frozen=True)
class RowError:
    """One problem in one cell (or one row when `column` is empty), phrased for the person who fixes it."""

    row: int
    column: str
    value: str
    message: str

    def __str__(self) -> str:
        where = f"Row {self.row}" + (f", column {self.column}" if self.column else "")
        shown = f" (value {self.value!r})" if self.value != "" else ""
        return f"{where}{shown}: {self.message}"


@dataclass
class ImportResult(Generic[T]):
    """Validated rows plus every row error; `ok` only when there are no errors."""

    rows: list[T] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    dropped_columns: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


class FileRejected(ValidationFailed):
    """The file as a whole cannot be read (empty, wrong format, missing columns)."""


def errors_to_csv(errors: list[RowError]) -> str:
    """Render row errors as CSV (row, column, value, message) for download."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["row", "column", "value", "message"])
    for error in errors:
        writer.writerow([error.row, error.column, error.value, error.message])
    return buffer.getvalue()


def read_bytes(source: str | Path | IO[bytes] | bytes) -> bytes:
    """Return the raw bytes of a path, a binary stream or bytes."""
    if isinstance(source, bytes):
        return source
    if isinstance(source, str | Path):
        return Path(source).read_bytes()
    return source.read()


def decode_text(data: bytes) -> str:
    """Decode CSV bytes: UTF-8 (with or without a byte-order mark), else Windows-1252 as Excel saves it."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252")


def is_xlsx(data: bytes) -> bool:
    """Tell an XLSX workbook (a ZIP file) from text by its first bytes, not by its name."""
    return data[:4] == XLSX_MAGIC


def read_table(source: str | Path | IO[bytes] | bytes, *, header_rows: int = 1) -> pd.DataFrame:
    """Read a CSV or XLSX file into a DataFrame of strings, keeping every cell as published.

    Cells are text (empty string for blank), except that real dates in XLSX cells stay `datetime` values so
    that importers can accept them without guessing a text format. Column names are kept as in the file;
    importers normalise them. With `header_rows=2` (SurveyMonkey) the two header rows are returned as the
    first data row for the caller to combine.
    """
    data = read_bytes(source)
    if not data.strip():
        raise FileRejected("The file is empty")
    if is_xlsx(data):
        try:
            # keep_default_na=False: "N/A", "NA", "None" are answers people typed, not missing cells.
            frame = pd.read_excel(
                io.BytesIO(data), dtype=object, header=0, engine="openpyxl", keep_default_na=False, na_filter=False
            )
        except Exception as exc:  # openpyxl raises many types for a damaged workbook
            raise FileRejected("The file looks like an Excel workbook but could not be read") from exc
        frame = frame.astype(object).where(frame.notna(), "")
        for column in frame.columns:
            frame[column] = frame[column].map(_xlsx_cell)
    else:
        text = decode_text(data)
        try:
            frame = pd.read_csv(
                io.StringIO(text), dtype=str, keep_default_na=False, na_filter=False, skipinitialspace=False
            )
        except pd.errors.ParserError as exc:
            raise FileRejected(f"The file could not be read as CSV: {exc}") from exc
        except pd.errors.EmptyDataError as exc:
            raise FileRejected("The file is empty") from exc
    frame.columns = [str(c) for c in frame.columns]
    return frame


def _xlsx_cell(value: object) -> object:
    """Keep dates as dates, render whole-number floats without '.0', everything else as text."""
    if value == "" or value is None:
        return ""
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if hasattr(value, "year") and hasattr(value, "month"):
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def normalise_header(name: str) -> str:
    """Return a header in comparable form: stripped, lower case, runs of space/dash/dot as one underscore."""
    cleaned = name.strip().lstrip("\ufeff").lower()
    out = []
    previous_sep = False
    for char in cleaned:
        if char.isalnum():
            out.append(char)
            previous_sep = False
        elif not previous_sep:
            out.append("_")
            previous_sep = True
    return "".join(out).strip("_")


# --- Workbooks with several sheets (person-level lists: one sheet per list) ------------------------------------

ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"


def is_ods(data: bytes) -> bool:
    """An OpenDocument spreadsheet is a ZIP whose first member, stored uncompressed, names its type."""
    return data[:4] == XLSX_MAGIC and data[30:38] == b"mimetype" and ODS_MIMETYPE in data[38:120]


def read_sheets(source: str | Path | IO[bytes] | bytes, *, name: str = "file") -> dict[str, pd.DataFrame]:
    """Read every sheet of an XLSX or ODS workbook, or a CSV file as one sheet called `name`.

    Cells are kept as `read_table` keeps them: text (empty string for blank), real dates as `datetime`.
    """
    data = read_bytes(source)
    if not data.strip():
        raise FileRejected("The file is empty")
    if not is_xlsx(data):
        return {name: read_table(data)}
    engine, kind = ("odf", "OpenDocument spreadsheet") if is_ods(data) else ("openpyxl", "Excel workbook")
    try:
        frames = pd.read_excel(
            io.BytesIO(data),
            sheet_name=None,
            dtype=object,
            header=0,
            engine=engine,
            keep_default_na=False,
            na_filter=False,
        )
    except Exception as exc:  # both readers raise many types for a damaged file
        raise FileRejected(f"The file looks like an {kind} but could not be read") from exc
    sheets = {}
    for sheet_name, frame in frames.items():
        frame = frame.astype(object).where(frame.notna(), "")
        for column in frame.columns:
            frame[column] = frame[column].map(_xlsx_cell)
        frame.columns = ["" if str(c).startswith("Unnamed: ") else str(c) for c in frame.columns]
        sheets[str(sheet_name)] = frame
    return sheets
