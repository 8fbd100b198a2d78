"""Read case files (one row per request for an EHC needs assessment) and annual review files into plain records.

Files are CSV (UTF-8 with or without a byte-order mark, or Windows-1252 as Excel saves it) or XLSX, told apart
by their content. Column names are matched ignoring case, spaces and punctuation, under the names in
DESIGN.md ("Case file columns") or the aliases below, which include the field names of DfE's SEN2
person-level Blade export (reference/data-formats.md §7). Dates are read by `importers/dates.py`.

Every problem in every row is reported (row numbers as a spreadsheet shows them: the header is row 1) with
the column named as in the file; `rows` holds the records of the rows without problems, and callers store
nothing unless `result.ok` (imports are all-or-nothing). Personal data columns are dropped unread
(`importers/personal_data.py`) and named in `dropped_columns`; a date of birth is used only to derive
`age_at_request` and is never shown back, not even in an error. Other unknown columns are ignored and
named in `notes`.

Validation is done column by column with pandas/numpy, each distinct value of a column converted once, so a
file of 200,000 cases is read in a small multiple of the time `pandas.read_csv` takes (bench/RESULTS.md).
"""

from __future__ import annotations

import codecs
import gc
import io
import re
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, fields
from datetime import date
from itertools import repeat
from pathlib import Path
from typing import IO, Any, TypeVar

import numpy as np
import pandas as pd

from inspect_app.domain.cases import (
    ASSESSMENT_OUTCOMES,
    DECISIONS,
    PRIMARY_NEEDS,
    REVIEW_OUTCOMES,
    Case,
    Review,
)
from inspect_app.importers.common import (
    FIRST_DATA_ROW,
    FileRejected,
    ImportResult,
    RowError,
    is_xlsx,
    normalise_header,
    read_bytes,
    read_table,
)
from inspect_app.importers.dates import (
    ENTER_DAY_FIRST,
    DateColumn,
    distinct,
    parse_distinct_dates,
    whole_years_between,
)
from inspect_app.importers.personal_data import is_date_of_birth, is_personal_data

Source = str | Path | IO[bytes] | bytes
Record = TypeVar("Record")

# Other names accepted for each column, written as people write them; they are compared after
# `normalise_header`, so "Case Reference", "case_reference" and "CASE-REFERENCE" are the same name.
# The SEN2 names are DfE's Blade export field names. `persontableid` is not a case reference: one person
# can make several requests, and a case is one request.
_CASE_REF_ALIASES = (
    "case reference",
    "case id",
    "case number",
    "case no",
    "ehc case reference",
    "request id",
    "requeststableid",  # SEN2 requests module
)
CASE_ALIASES: dict[str, tuple[str, ...]] = {
    "case_ref": _CASE_REF_ALIASES,
    "request_date": (
        "receiveddate",  # SEN2
        "received date",
        "date received",
        "request received date",
        "date request received",
        "date of request",
    ),
    "decision_date": (
        "requestoutcomedate",  # SEN2
        "request outcome date",
        "decision to assess date",
        "date of decision",
    ),
    "decision": ("requestoutcome", "request outcome", "decision to assess"),  # SEN2 requestoutcome
    "assessment_outcome": ("assessmentoutcome",),  # SEN2
    "assessment_outcome_date": ("assessmentoutcomedate",),  # SEN2
    "final_plan_date": (
        "startdate",  # SEN2 named-plan: "EHC plan start date", the issue date of the final plan
        "plan start date",
        "ehc plan start date",
        "plan issue date",
        "date plan issued",
        "final plan issue date",
        "date final plan issued",
        "date initial ehc plan issued",  # Annex A list 1
    ),
    "exception": (
        "week20",  # SEN2 assessment: "20-week time limit exceptions apply"
        "week 20",
        "20 week exception",
        "exception applies",
        "exceptions apply",
    ),
    "exception_reason": ("exception reasons",),
    "primary_need": ("sentype", "sen type", "primary need type", "sen primary need"),  # SEN2 sen-need
    "age_at_request": ("age", "age at request date"),
    "setting": ("setting name", "school", "school name", "establishment", "education setting"),
}
REVIEW_ALIASES: dict[str, tuple[str, ...]] = {
    "case_ref": _CASE_REF_ALIASES,
    "meeting_date": (
        "reviewmeeting",  # SEN2 active-plans
        "review meeting",
        "review meeting date",
        "review date",
        "date of review",
        "annual review date",
    ),
    "decision_date": ("review decision date", "date decision sent", "decision sent date"),
    "outcome": ("reviewoutcome", "review outcome"),  # SEN2 active-plans
}
CASE_REQUIRED = ("case_ref", "request_date")
REVIEW_REQUIRED = ("case_ref", "meeting_date")

# Code values. DfE's SEN2 code values for request and assessment outcomes could not be verified
# (reference/data-formats.md §7), so every accepted spelling, SEN2 or local, is listed here and nowhere else.
# Keys are compared after `code_key` (lower case, spaces/underscores/hyphens as one space).
DECISION_CODES: dict[str, str] = {
    "assess": "assess",
    "yes": "assess",
    "y": "assess",
    "decided to assess": "assess",
    "agreed to assess": "assess",
    "agree to assess": "assess",
    "assessment agreed": "assess",
    "not assess": "not_assess",
    "no": "not_assess",
    "n": "not_assess",
    "decided not to assess": "not_assess",
    "not to assess": "not_assess",
    "do not assess": "not_assess",
    "refused": "not_assess",
    "assessment refused": "not_assess",
    "refused to assess": "not_assess",
    "withdrawn": "withdrawn",
    "w": "withdrawn",
    "request withdrawn": "withdrawn",
}
ASSESSMENT_OUTCOME_CODES: dict[str, str] = {
    "plan": "plan",
    "yes": "plan",
    "y": "plan",
    "ehc plan": "plan",
    "issue plan": "plan",
    "plan issued": "plan",
    "decided to issue": "plan",
    "decided to issue a plan": "plan",
    "no plan": "no_plan",
    "no": "no_plan",
    "n": "no_plan",
    "plan not issued": "no_plan",
    "decided not to issue": "no_plan",
    "decided not to issue a plan": "no_plan",
}
EXCEPTION_CODES: dict[str, bool] = {
    "": False,
    "no": False,
    "n": False,
    "false": False,
    "0": False,
    "yes": True,
    "y": True,
    "true": True,
    "1": True,
}
REVIEW_OUTCOME_CODES: dict[str, str] = {
    "maintain": "maintain",
    "maintained": "maintain",
    "maintain plan": "maintain",
    "continue": "maintain",
    "amend": "amend",
    "amended": "amend",
    "amend plan": "amend",
    "cease": "cease",
    "ceased": "cease",
    "cease plan": "cease",
    "cease to maintain": "cease",
}
MAX_AGE = 25

LABELS = {
    "case_ref": "case reference",
    "request_date": "request date",
    "decision_date": "decision date",
    "decision": "decision",
    "assessment_outcome": "assessment outcome",
    "assessment_outcome_date": "assessment outcome date",
    "final_plan_date": "final plan date",
    "exception": "exception",
    "primary_need": "primary need",
    "age_at_request": "age at request",
    "meeting_date": "meeting date",
    "outcome": "outcome",
    "date_of_birth": "date of birth",
}
DATE_OF_BIRTH = "date_of_birth"  # not a field of Case: read only to derive age_at_request


def _or(words: tuple[str, ...]) -> str:
    return f"{', '.join(words[:-1])} or {words[-1]}"


ENTER_DECISION = f"Enter a decision of {_or(DECISIONS)}"
ENTER_ASSESSMENT_OUTCOME = f"Enter an assessment outcome of {_or(ASSESSMENT_OUTCOMES)}"
ENTER_EXCEPTION = "Enter yes or no for the exception"
ENTER_PRIMARY_NEED = f"Enter a primary need as an SEN2 code: {', '.join(PRIMARY_NEEDS)}"
ENTER_AGE = f"Age at request must be a whole number from 0 to {MAX_AGE}"
ENTER_OUTCOME = f"Enter an outcome of {_or(REVIEW_OUTCOMES)}"
PLAN_NEEDS_ASSESS = "Decision must be assess when there is a final plan date"
_WHOLE_NUMBER = re.compile(r"\d{1,3}(?:\.0*)?", re.ASCII)
_CODE_SEPARATORS = re.compile(r"[\s_-]+")


@dataclass
class CaseImportResult(ImportResult[Case]):
    """Cases read from a file; `columns` says which column of the file each field came from."""

    columns: dict[str, str] = field(default_factory=dict)


@dataclass
class ReviewImportResult(ImportResult[Review]):
    """Review meetings read from a file; `columns` says which column of the file each field came from."""

    columns: dict[str, str] = field(default_factory=dict)


def code_key(text: str) -> str:
    """Return a code as the tables above spell it: lower case, runs of spaces/underscores/hyphens as one space."""
    return _CODE_SEPARATORS.sub(" ", text.strip().lower())


def read_cases(source: Source, *, today: date) -> CaseImportResult:
    """Read and check a case file; dates after `today` are errors.

    Raises FileRejected when the file is empty, unreadable, has no data rows or lacks a required column.
    """
    table = _Table.open(source, CASE_ALIASES, CASE_REQUIRED, date_of_birth=True)
    result = CaseImportResult(columns=table.fields(), dropped_columns=table.dropped, notes=table.notes)
    problems = _Problems(table)
    refs = _case_refs(table, problems)
    days = {name: _dates(table, name, today, problems) for name in _present(table, _CASE_DATES)}
    request = days["request_date"].days
    trusted = ~problems.at("request_date")  # a wrong request date is reported once, not again in each comparison
    for name in ("decision_date", "assessment_outcome_date", "final_plan_date"):
        if name in days:
            label = LABELS[name].capitalize()
            problems.add(trusted & (days[name].days < request), name, f"{label} must be on or after the request date")
    decision = _codes(table, "decision", DECISION_CODES, ENTER_DECISION, problems)
    if "decision" in table.raw and "final_plan_date" in days:
        has_plan = ~np.isnat(days["final_plan_date"].days)
        problems.add(has_plan & (decision != "assess") & ~problems.at("decision"), "decision", PLAN_NEEDS_ASSESS)
    values: dict[str, Any] = {
        "case_ref": refs,
        **{name: column.dates for name, column in days.items() if name != DATE_OF_BIRTH},
        "decision": decision,
        "assessment_outcome": _codes(
            table, "assessment_outcome", ASSESSMENT_OUTCOME_CODES, ENTER_ASSESSMENT_OUTCOME, problems
        ),
        "exception": _codes(table, "exception", EXCEPTION_CODES, ENTER_EXCEPTION, problems, blank=False),
        "exception_reason": _texts(table, "exception_reason"),
        "primary_need": _primary_needs(table, problems),
        "age_at_request": _ages(table, request, days.get(DATE_OF_BIRTH), problems),
        "setting": _texts(table, "setting"),
    }
    result.errors = problems.row_errors()
    result.rows = _records(Case, values, problems.keep())
    return result


def read_reviews(source: Source, *, today: date) -> ReviewImportResult:
    """Read and check an annual review file (one row per review meeting); dates after `today` are errors.

    Raises FileRejected when the file is empty, unreadable, has no data rows or lacks a required column.
    """
    table = _Table.open(source, REVIEW_ALIASES, REVIEW_REQUIRED, date_of_birth=False)
    result = ReviewImportResult(columns=table.fields(), dropped_columns=table.dropped, notes=table.notes)
    problems = _Problems(table)
    refs = _case_refs(table, problems, unique=False)
    meeting = _dates(table, "meeting_date", today, problems)
    decided = _dates(table, "decision_date", today, problems) if "decision_date" in table.raw else None
    if decided is not None:
        early = ~problems.at("meeting_date") & (decided.days < meeting.days)
        problems.add(early, "decision_date", "Decision date must be on or after the meeting date")
    known = (refs != "") & ~np.isnat(meeting.days)
    codes, _ = pd.MultiIndex.from_arrays([refs, meeting.days]).factorize()
    duplicate, first = _repeats(codes, known)
    messages = [f"This review (case and meeting date) is already in row {row}" for row in first.tolist()]
    problems.add_each(duplicate, "case_ref", messages)
    values: dict[str, Any] = {
        "case_ref": refs,
        "meeting_date": meeting.dates,
        "decision_date": decided.dates if decided is not None else None,
        "outcome": _codes(table, "outcome", REVIEW_OUTCOME_CODES, ENTER_OUTCOME, problems),
    }
    result.errors = problems.row_errors()
    result.rows = _records(Review, values, problems.keep())
    return result


_TEXT_FIELDS = ("case_ref", "age_at_request", "exception")  # read as strings (see _open)
_CASE_DATES = ("request_date", "decision_date", "assessment_outcome_date", "final_plan_date", DATE_OF_BIRTH)


def _present(table: _Table, names: Iterable[str]) -> list[str]:
    return [name for name in names if name in table.raw]


# Reading the file ---------------------------------------------------------------------------------------


@dataclass
class _Table:
    """The columns of a file that an import reads, and what it did with the other columns."""

    raw: dict[str, _Cells]  # field -> cells (text; `datetime` for real XLSX date cells)
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
        cls, source: Source, aliases: Mapping[str, Iterable[str]], required: Iterable[str], *, date_of_birth: bool
    ) -> _Table:
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
        frame = read_columns(positions, {matched[name] for name in _TEXT_FIELDS if name in matched})
        if frame.empty:
            raise FileRejected("The file has a header row but no rows of data")
        index = {position: number for number, position in enumerate(positions)}
        raw = {name: _Cells(frame.iloc[:, index[position]]) for name, position in matched.items()}
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


def _blank_rows(columns: Iterable[_Cells], count: int) -> np.ndarray:
    """Rows where every column read is empty (a spreadsheet's spacer or trailing rows)."""
    blank = np.ones(count, dtype=bool)
    for cells in columns:
        blank &= cells.empty()
    return blank


class _Cells:
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


class _Problems:
    """Every problem found, kept as batches of rows per column and message until the end: most rows have none."""

    def __init__(self, table: _Table):
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
                value = "" if hidden else _shown(cells[position])
                found.append((position, order, RowError(position + FIRST_DATA_ROW, header, value, message)))
        found.sort(key=lambda item: item[:2])
        return [error for _, _, error in found]


def _shown(cell: object) -> str:
    """A cell as the person would recognise it in their file."""
    if isinstance(cell, str):
        return cell
    if isinstance(cell, date):
        return cell.isoformat() if type(cell) is date else str(cell).removesuffix(" 00:00:00")
    return "" if cell is None or cell != cell else str(cell)


def _text(cell: object) -> str:
    """A cell as stripped text ('' for blank); real dates from XLSX as ISO text."""
    if isinstance(cell, str):
        return cell.strip()
    return _shown(cell).strip()


def _convert(cells: _Cells, convert: Callable[[str], object]) -> tuple[np.ndarray, np.ndarray]:
    """Convert each distinct cell once; return the value of every row and the rows whose cell was refused.

    `convert` takes stripped text and raises ValueError to refuse it.
    """
    codes, uniques = cells.distinct()
    values = np.empty(len(uniques), dtype=object)
    refused = np.zeros(len(uniques), dtype=bool)
    for position, cell in enumerate(uniques):
        try:
            values[position] = convert(_text(cell))
        except ValueError:
            refused[position] = True
    return values[codes], refused[codes]


def _case_refs(table: _Table, problems: _Problems, *, unique: bool = True) -> np.ndarray:
    cells = table.raw["case_ref"].cells()
    try:
        stripped = list(map(str.strip, cells.tolist()))  # every cell of a CSV file is text
    except TypeError:
        stripped = [_text(cell) for cell in cells.tolist()]
    refs = np.array(stripped, dtype=object)
    problems.add(refs == "", "case_ref", "Enter the case reference")
    if unique and len(set(stripped)) < table.count:  # a set is the quickest check for the usual case
        codes, _ = pd.factorize(refs)
        repeated, first_rows = _repeats(codes, (refs != "") & ~table.blank)
        messages = [f"Case reference is already used in row {row}" for row in first_rows.tolist()]
        problems.add_each(repeated, "case_ref", messages)
    return refs


def _repeats(codes: np.ndarray, eligible: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Rows whose code appeared in an earlier eligible row, and the spreadsheet row of that first one."""
    positions = np.flatnonzero(eligible)
    repeated = np.zeros(len(codes), dtype=bool)
    if not positions.size:
        return repeated, np.empty(0, dtype=np.int64)
    eligible_codes = codes[positions]
    distinct, first = np.unique(eligible_codes, return_index=True)
    first_position = np.zeros(int(eligible_codes.max()) + 1, dtype=np.int64)
    first_position[distinct] = positions[first]
    firsts = first_position[eligible_codes]
    later = firsts != positions
    repeated[positions[later]] = True
    return repeated, firsts[later] + FIRST_DATA_ROW


def _dates(table: _Table, name: str, today: date, problems: _Problems) -> DateColumn:
    column = parse_distinct_dates(*table.raw[name].distinct(), table.date_cache)
    label = LABELS[name].capitalize()
    if name in CASE_REQUIRED or name in REVIEW_REQUIRED:
        problems.add(column.blank, name, f"Enter the {LABELS[name]}")
    problems.add_messages(column.bad, column.errors_at, name)
    future = column.days > np.datetime64(today, "D")
    problems.add(future, name, f"{label} must be today or in the past")
    wrong = np.flatnonzero(column.bad)
    month_first = wrong[np.array(column.errors_at(wrong), dtype=object) == ENTER_DAY_FIRST]
    if month_first.size:
        example = _shown(table.raw[name][month_first[0]])
        table.notes.append(
            f"Some dates in column {table.headers[name]} are written month first (such as {example}). Dates that "
            "could be either, such as 01/02/2024, are always read day first: check the whole column."
        )
    return column


def _codes(
    table: _Table,
    name: str,
    mapping: Mapping[str, object],
    message: str,
    problems: _Problems,
    *,
    blank: object = None,
) -> np.ndarray | None:
    if name not in table.raw:
        return None

    def convert(text: str) -> object:
        key = code_key(text)
        if not key:
            return blank
        if key not in mapping:
            raise ValueError(text)
        return mapping[key]

    values, refused = _convert(table.raw[name], convert)
    problems.add(refused, name, message)
    return values


def _primary_needs(table: _Table, problems: _Problems) -> np.ndarray | None:
    if "primary_need" not in table.raw:
        return None

    def convert(text: str) -> str | None:
        if not text:
            return None
        if text.upper() not in PRIMARY_NEEDS:
            raise ValueError(text)
        return text.upper()

    values, refused = _convert(table.raw["primary_need"], convert)
    problems.add(refused, "primary_need", ENTER_PRIMARY_NEED)
    return values


def _age(text: str) -> int | None:
    if not text:
        return None
    if not _WHOLE_NUMBER.fullmatch(text) or int(text.split(".")[0]) > MAX_AGE:
        raise ValueError(text)
    return int(text.split(".")[0])


def _ages(table: _Table, request: np.ndarray, born: DateColumn | None, problems: _Problems) -> np.ndarray | None:
    """Ages as given; where none is given and the file has a date of birth, whole years on the request date."""
    ages: np.ndarray | None = None
    derive = np.ones(table.count, dtype=bool)
    if "age_at_request" in table.raw:
        ages, refused = _convert(table.raw["age_at_request"], _age)
        problems.add(refused, "age_at_request", ENTER_AGE)
        derive = pd.isna(ages) & ~refused
    if born is None:
        return ages
    derive &= ~np.isnat(born.days) & ~np.isnat(request) & ~problems.at(DATE_OF_BIRTH) & ~problems.at("request_date")
    after = derive & (born.days > request)
    problems.add(after, DATE_OF_BIRTH, "Date of birth must be before the request date")
    positions = np.flatnonzero(derive & ~after)
    if not positions.size:
        return ages
    years = whole_years_between(born.days[positions], request[positions]).astype(np.int64)
    too_old = np.zeros(table.count, dtype=bool)
    too_old[positions[years > MAX_AGE]] = True
    problems.add(too_old, DATE_OF_BIRTH, f"Date of birth must give an age from 0 to {MAX_AGE} on the request date")
    if ages is None:
        ages = np.full(table.count, None, dtype=object)
    fits = years <= MAX_AGE
    ages[positions[fits]] = years[fits].tolist()
    return ages


def _texts(table: _Table, name: str) -> np.ndarray | None:
    if name not in table.raw:
        return None
    values, _ = _convert(table.raw[name], lambda text: text or None)
    return values


# Building records ---------------------------------------------------------------------------------------


def _records(cls: type[Record], values: Mapping[str, np.ndarray | None], keep: np.ndarray) -> list[Record]:
    """Records of the kept rows; a field whose column is absent gets the dataclass default."""
    count = int(keep.sum())
    everything = count == len(keep)
    columns: dict[str, Iterable[object]] = {}
    for record_field in fields(cls):  # type: ignore[arg-type]
        column = values.get(record_field.name)
        if column is None:
            columns[record_field.name] = repeat(record_field.default)
        else:
            columns[record_field.name] = (column if everything else column[keep]).tolist()
    return build_records(cls, columns, count)


def build_records(cls: type[Record], columns: Mapping[str, Iterable[object]], count: int) -> list[Record]:
    """Create `count` instances of a slotted dataclass from one iterable per field, without calling __init__.

    A frozen dataclass's __init__ sets every field through object.__setattr__; for 200,000 cases of 12
    fields that alone took longer than reading the file. Creating the instances first and then filling one
    slot of every instance at a time with map() makes objects equal to those __init__ makes (the tests compare
    them) in a fraction of the time. Classes with a __post_init__ or without __slots__ get __init__.
    """
    names = [record_field.name for record_field in fields(cls)]  # type: ignore[arg-type]
    if hasattr(cls, "__post_init__") or not hasattr(cls, "__slots__"):
        rows = zip(*(columns[name] for name in names))  # noqa: B905 - defaults are endless repeat()s
        return [cls(**dict(zip(names, row, strict=True))) for row in (next(rows) for _ in range(count))]
    with garbage_collector_paused():
        records: list[Record] = list(map(object.__new__, repeat(cls, count)))
        for name in names:
            setter = cls.__dict__[name].__set__
            deque(map(setter, records, columns[name]), maxlen=0)
    return records


@contextmanager
def garbage_collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while creating many objects that hold no cycles.

    Every 700 new container objects start a collection that walks the young ones, and the growing older
    generations are walked again and again: creating 200,000 records with the collector running took more
    than twice as long. Reference counting still frees memory meanwhile. Afterwards the new records are
    moved straight to the oldest generation (`freeze` then `unfreeze`, both constant time), so that the
    first collection after the pause does not walk all of them at once.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.unfreeze()
        if was_enabled:
            gc.enable()
