"""Read an evidence register (CSV or XLSX) into validated rows, with every problem as a row error.

Columns are matched case-insensitively, ignoring spaces and punctuation, with the aliases in
domain/evidence_register.py ("type", "owner", "criteria ids", ...). Values may be the app's ids or the labels
people see (an evidence type's title, "Parent carer forum", "Ready for review"). Dates: YYYY-MM-DD,
DD/MM/YYYY or real dates in XLSX cells; never month-first. Nothing is stored here: the service imports the rows
only if there is no error at all.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import IO

from inspect_app.domain.evidence_register import (
    ALIASES,
    COLUMNS,
    DATE_COLUMNS,
    REQUIRED,
    RegisterRow,
    parse_criteria,
)
from inspect_app.importers.common import (
    FIRST_DATA_ROW,
    FileRejected,
    ImportResult,
    RowError,
    normalise_header,
    read_table,
)

Source = str | Path | IO[bytes] | bytes
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%Y-%m-%d %H:%M:%S", "%d-%m-%Y", "%d.%m.%Y")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True)
class RegisterContext:
    """What the rows are checked against: the partnership's framework, members and existing references."""

    evidence_types: Mapping[str, str]  # id -> title
    criteria: frozenset[str]
    owner_emails: frozenset[str]  # lower case: members who may own evidence
    existing_references: frozenset[str] = frozenset()
    kinds: Mapping[str, str] = field(default_factory=dict)  # id -> label
    partners: Mapping[str, str] = field(default_factory=dict)
    statuses: Mapping[str, str] = field(default_factory=dict)
    allow_approved: bool = True  # False: only a lead may import approved evidence
    max_rows: int = 5000


def _lookup(value: str, choices: Mapping[str, str]) -> str | None:
    """Match an id or a label, ignoring case, spaces, hyphens and underscores."""
    key = normalise_header(value)
    for choice_id, label in choices.items():
        if key in (normalise_header(choice_id), normalise_header(label)):
            return choice_id
    return None


def parse_date(value: object) -> date | None:
    """Return a date from an XLSX date cell or text in an accepted format; raise ValueError if not a date."""
    if value in ("", None):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(text)


def _columns(headers: list[str]) -> tuple[dict[str, str], list[str]]:
    """Map canonical column -> header in the file; return also the headers that are ignored."""
    found: dict[str, str] = {}
    ignored = []
    for header in headers:
        key = normalise_header(header)
        canonical = key if key in COLUMNS else ALIASES.get(key)
        if canonical and canonical not in found:
            found[canonical] = header
        elif header.strip() and not header.startswith("Unnamed:"):
            ignored.append(header)
    return found, ignored


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value).strip()


class _RowReader:
    """Checks one row, collecting errors with the spreadsheet row number and the column as the file names it."""

    def __init__(self, context: RegisterContext, headers: dict[str, str], number: int, cells: dict[str, object]):
        self.context, self.headers, self.number, self.cells = context, headers, number, cells
        self.errors: list[RowError] = []

    def error(self, column: str, message: str, value: object = "") -> None:
        self.errors.append(RowError(self.number, self.headers.get(column, column), _text(value), message))

    def text(self, column: str) -> str:
        return _text(self.cells.get(column, ""))

    def choice(self, column: str, choices: Mapping[str, str], message: str, default: str = "") -> str:
        raw = self.text(column)
        if not raw:
            return default
        found = _lookup(raw, choices)
        if found is None:
            self.error(column, message, raw)
            return default
        return found

    def day(self, column: str) -> date | None:
        raw = self.cells.get(column, "")
        try:
            return parse_date(raw)
        except ValueError:
            self.error(column, "Enter a date like 2026-03-31 or 31/03/2026", raw)
            return None


def _read_row(reader: _RowReader) -> RegisterRow | None:
    ctx = reader.context
    for column in REQUIRED:
        if not reader.text(column):
            reader.error(column, f"Enter the {column.replace('_', ' ')}")
    title = reader.text("title")
    if len(title) > 300:
        reader.error("title", "Title must be 300 characters or fewer", title[:40] + "…")
    evidence_type = reader.choice("evidence_type", ctx.evidence_types, "Use an evidence type from the framework")
    partner = reader.choice(
        "partner", ctx.partners, "Use council, icb, parent_carer_forum, school_college, provider or other"
    )
    owner = reader.text("owner_email").lower()
    if owner and owner not in ctx.owner_emails:
        reader.error("owner_email", "The owner must be a member of the partnership (not an inspector)", owner)
    kind, url = _kind_and_url(reader)
    status, reason = _status(reader)
    criteria = _criteria(reader)
    dates = {column: reader.day(column) for column in DATE_COLUMNS}
    if dates["period_from"] and dates["period_to"] and dates["period_from"] > dates["period_to"]:
        reader.error("period_to", "The end of the period must be the same as or after its start", dates["period_to"])
    reference = reader.text("reference")
    if reference and not re.match(r"^[A-Za-z0-9][A-Za-z0-9._/-]{0,39}$", reference):
        reader.error("reference", "Reference must be letters, numbers and - . / _ only", reference)
    elif reference in ctx.existing_references:
        reader.error("reference", "An item with this reference is already in the library", reference)
    if reader.errors:
        return None
    return RegisterRow(
        title=title,
        evidence_type=evidence_type,
        partner=partner,
        owner_email=owner,
        reference=reference,
        description=reader.text("description"),
        kind=kind,
        criteria=criteria,
        url=url,
        status=status,
        returned_reason=reason,
        row=reader.number,
        **dates,
    )


def _kind_and_url(reader: _RowReader) -> tuple[str, str]:
    url = reader.text("url")
    kind = reader.choice(
        "kind", reader.context.kinds, "Use document, link or snapshot", default="link" if url else "document"
    )
    if kind == "link" and not url:
        reader.error("url", "Enter the web address of a link")
    elif kind == "link" and not re.match(r"^https?://[^\s/]+", url, re.IGNORECASE):
        reader.error("url", "Enter a web address that starts with https:// or http://", url)
    elif kind != "link" and url:
        reader.error("url", "Only a link has a web address: leave it blank or set kind to link", url)
    return kind, url


def _status(reader: _RowReader) -> tuple[str, str]:
    status = reader.choice(
        "status", reader.context.statuses, "Use draft, ready_for_review, approved or returned", default="draft"
    )
    if status == "approved" and not reader.context.allow_approved:
        reader.error("status", "Only a lead can import approved evidence", status)
    reason = reader.text("returned_reason")
    if status == "returned" and not reason:
        reader.error("returned_reason", "Give the reason the evidence was returned")
    return status, reason if status == "returned" else ""


def _criteria(reader: _RowReader) -> tuple[tuple[str, str], ...]:
    criteria, unreadable = parse_criteria(reader.text("criteria"))
    for piece in unreadable:
        reader.error("criteria", "Write each criterion on its own line as ID: what it shows", piece)
    for criterion_id, _ in criteria:
        if criterion_id not in reader.context.criteria:
            reader.error("criteria", "There is no such criterion in the framework", criterion_id)
    if len({cid for cid, _ in criteria}) != len(criteria):
        reader.error("criteria", "A criterion is listed twice", reader.text("criteria"))
    return tuple(criteria)


def read_register(source: Source, context: RegisterContext) -> ImportResult[RegisterRow]:
    """Read and check every row of a register; the result has rows only if it has no errors."""
    frame = read_table(source)
    headers, ignored = _columns(list(frame.columns))
    missing = [column for column in REQUIRED if column not in headers]
    if missing:
        raise FileRejected(
            f"The file has no {', '.join(missing)} column{'s' if len(missing) > 1 else ''}. "
            f"Use the columns of an exported register: {', '.join(COLUMNS)}"
        )
    result: ImportResult[RegisterRow] = ImportResult()
    if ignored:
        result.notes.append(f"Columns not used: {', '.join(ignored)}")
    records = frame.to_dict(orient="records")
    rows = [
        (number, {column: record[header] for column, header in headers.items()})
        for number, record in enumerate(records, start=FIRST_DATA_ROW)
        if any(_text(value) for value in record.values())
    ]
    if not rows:
        raise FileRejected("The file has no rows of evidence")
    if len(rows) > context.max_rows:
        raise FileRejected(f"The file has {len(rows)} rows; import at most {context.max_rows} at a time")
    seen: dict[str, int] = {}
    for number, cells in rows:
        reader = _RowReader(context, headers, number, cells)
        row = _read_row(reader)
        reference = reader.text("reference")
        if reference:
            if reference in seen:
                reader.error("reference", f"The same reference is on row {seen[reference]}", reference)
                row = None
            seen.setdefault(reference, number)
        result.errors.extend(reader.errors)
        if row is not None:
            result.rows.append(row)
    if result.errors:
        result.rows = []
    return result
