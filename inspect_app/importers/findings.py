"""Read an inspection's findings from CSV or XLSX: one row per area for priority action or improvement.

Columns (names matched case-insensitively, spaces or dashes for underscores): `kind` (priority action,
improvement; also "area for priority action", "area of significant weakness", "API", "AFI"), `text`
(required), `reference` (default PA1…/AI1…), `owner_email`, `due_date`, `status` (on track, off track, done;
default on track), `criteria` (ids separated by ; , or new lines) and `evidence` (references such as EV-0003).
Every problem is reported by row and column; the caller stores nothing unless there are none.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date

from inspect_app.domain.inspection_cycle import ACTION_STATUSES
from inspect_app.importers.common import (
    FIRST_DATA_ROW,
    FileRejected,
    ImportResult,
    RowError,
    normalise_header,
    read_table,
)
from inspect_app.importers.dates import DateError, parse_date

COLUMNS = ("kind", "reference", "text", "owner_email", "due_date", "status", "criteria", "evidence")
REQUIRED = ("kind", "text")
ALIASES = {"finding": "text", "area": "text", "description": "text", "owner": "owner_email", "due": "due_date"}
KINDS = {
    "priority action": "priority_action",
    "priority_action": "priority_action",
    "area for priority action": "priority_action",
    "api": "priority_action",
    "area of significant weakness": "priority_action",
    "significant weakness": "priority_action",
    "improvement": "improvement",
    "area for improvement": "improvement",
    "afi": "improvement",
}
STATUSES = {label.lower(): key for key, label in ACTION_STATUSES.items()} | {key: key for key in ACTION_STATUSES}
MAX_TEXT = 5000


@dataclass(frozen=True)
class FindingRow:
    row: int
    kind: str
    reference: str | None
    text: str
    owner_email: str | None
    due_on: date | None
    status: str
    criteria: tuple[str, ...]
    evidence: tuple[str, ...]


@dataclass(frozen=True)
class FindingsContext:
    """What a row is checked against: the framework's criteria, the members who can own, the evidence held."""

    criteria: frozenset[str]
    owners: frozenset[str]  # e-mail addresses, lower case
    evidence: frozenset[str]  # references, upper case


def _split(value: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in re.split(r"[;,\n]+", value) if part.strip())


def read_findings(data: bytes, context: FindingsContext) -> ImportResult[FindingRow]:
    """Return every valid row and every problem; nothing is kept unless there are no problems."""
    frame = read_table(data)
    columns = {}
    for name in frame.columns:
        key = normalise_header(name)
        key = ALIASES.get(key, key)
        if key in COLUMNS and key not in columns:
            columns[key] = name
    missing = [column for column in REQUIRED if column not in columns]
    if missing:
        raise FileRejected(f"The file needs the column{'s' if len(missing) > 1 else ''} {', '.join(missing)}")
    result: ImportResult[FindingRow] = ImportResult()
    for offset, record in enumerate(frame.to_dict(orient="records")):
        row = FIRST_DATA_ROW + offset
        cells = {key: record[name] for key, name in columns.items()}
        if all(_text(value) == "" for value in cells.values()):
            continue
        errors: list[RowError] = []
        finding = _read_row(row, cells, context, errors)
        result.errors.extend(errors)
        if finding is not None and not errors:
            result.rows.append(finding)
    if not result.rows and not result.errors:
        raise FileRejected("The file has no findings in it")
    return result


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


def _read_row(
    row: int, cells: Mapping[str, object], context: FindingsContext, errors: list[RowError]
) -> FindingRow | None:
    def fail(column: str, message: str) -> None:
        errors.append(RowError(row, column, _text(cells.get(column)), message))

    kind = KINDS.get(_text(cells.get("kind")).lower())
    if kind is None:
        fail("kind", "Enter priority action or improvement")
    text = _text(cells.get("text"))
    if not text:
        fail("text", "Enter the finding as the report words it")
    elif len(text) > MAX_TEXT:
        fail("text", f"The finding must be {MAX_TEXT:,} characters or fewer")
    owner = _text(cells.get("owner_email")).lower() or None
    if owner is not None and owner not in context.owners:
        fail("owner_email", "Enter the email address of a lead or contributor of this partnership")
    due = _date(cells.get("due_date"), lambda message: fail("due_date", message))
    status = STATUSES.get(_text(cells.get("status")).lower() or "on_track")
    if status is None:
        fail("status", "Enter on track, off track or done")
    criteria, evidence = _links(cells, context, fail)
    reference = _text(cells.get("reference")) or None
    if reference and len(reference) > 20:
        fail("reference", "The reference must be 20 characters or fewer")
    if errors or kind is None or status is None:
        return None
    return FindingRow(row, kind, reference, text, owner, due, status, criteria, evidence)


def _links(
    cells: Mapping[str, object], context: FindingsContext, fail: Callable[[str, str], None]
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The criteria and evidence a row names, each checked against what the partnership has."""
    criteria = tuple(part.upper() for part in _split(_text(cells.get("criteria"))))
    unknown = [criterion for criterion in criteria if criterion not in context.criteria]
    if unknown:
        fail("criteria", f"Not a criterion of the partnership's framework: {', '.join(unknown)}")
    evidence = tuple(part.upper() for part in _split(_text(cells.get("evidence"))))
    missing = [reference for reference in evidence if reference not in context.evidence]
    if missing:
        fail("evidence", f"No evidence item has the reference {', '.join(missing)}")
    return criteria, evidence


def _date(value: object, fail: Callable[[str], None]) -> date | None:
    try:
        return parse_date(value)
    except DateError as error:
        fail(error.message)
        return None
