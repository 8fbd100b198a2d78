"""The evidence register as a table: its columns and how a row's cells are written and read.

The register is what partnerships keep today in a spreadsheet beside their shared drive. The app exports it
(XLSX and CSV) and imports it with the same columns, so an exported register imports back unchanged.
Criteria go in one cell, one criterion per line, each with what the item shows for it: `EXP1: The audit shows
…`. A hand-made register may instead list bare ids separated by commas or semicolons (`EXP1; LEAD2`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

COLUMNS = (
    "reference",
    "title",
    "description",
    "kind",
    "evidence_type",
    "partner",
    "owner_email",
    "criteria",
    "period_from",
    "period_to",
    "as_at",
    "review_by",
    "url",
    "status",
    "returned_reason",
)
REQUIRED = ("title", "evidence_type", "partner", "owner_email")
DATE_COLUMNS = ("period_from", "period_to", "as_at", "review_by")

# Other names people give these columns (compared after normalise_header).
ALIASES = {
    "ref": "reference",
    "id": "reference",
    "name": "title",
    "type": "evidence_type",
    "evidence_type_id": "evidence_type",
    "source": "partner",
    "partner_organisation": "partner",
    "owner": "owner_email",
    "owner_e_mail": "owner_email",
    "criteria_ids": "criteria",
    "criterion": "criteria",
    "criterion_ids": "criteria",
    "link": "url",
    "web_address": "url",
    "data_as_at": "as_at",
    "as_at_date": "as_at",
    "review_by_date": "review_by",
    "review_date": "review_by",
    "from": "period_from",
    "to": "period_to",
    "period_start": "period_from",
    "period_end": "period_to",
    "reason_returned": "returned_reason",
    "return_reason": "returned_reason",
}

CRITERION_LINE = re.compile(r"^\s*([A-Za-z][A-Za-z0-9_.-]{0,39})\s*(?::\s*(.*?))?\s*$")


@dataclass(frozen=True)
class RegisterRow:
    """One evidence item as the register holds it (ids, not labels; dates as dates)."""

    title: str
    evidence_type: str
    partner: str
    owner_email: str
    reference: str = ""
    description: str = ""
    kind: str = "document"
    criteria: tuple[tuple[str, str], ...] = ()  # (criterion id, what it shows)
    period_from: date | None = None
    period_to: date | None = None
    as_at: date | None = None
    review_by: date | None = None
    url: str = ""
    status: str = "draft"
    returned_reason: str = ""
    row: int = 0  # spreadsheet row number when read from a file


def format_criteria(criteria: tuple[tuple[str, str], ...]) -> str:
    """Write criteria links as one cell: a line per criterion, `ID: what it shows`."""
    return "\n".join(f"{cid}: {' '.join(note.split())}" if note.strip() else cid for cid, note in criteria)


def parse_criteria(cell: str) -> tuple[list[tuple[str, str]], list[str]]:
    """Read a criteria cell; return the (id, note) pairs and the pieces that could not be read."""
    text = cell.strip()
    if not text:
        return [], []
    lines = [line for line in text.splitlines() if line.strip()]
    if len(lines) == 1 and ":" not in lines[0]:
        lines = [part for part in re.split(r"[;,]", lines[0]) if part.strip()]
    pairs, bad = [], []
    for line in lines:
        match = CRITERION_LINE.match(line)
        if match is None:
            bad.append(line.strip())
        else:
            pairs.append((match.group(1).upper(), " ".join((match.group(2) or "").split())))
    return pairs, bad


def to_cells(row: RegisterRow) -> dict[str, object]:
    """Return the row as cells by column (dates stay dates; the writer formats them)."""
    return {
        "reference": row.reference,
        "title": row.title,
        "description": row.description,
        "kind": row.kind,
        "evidence_type": row.evidence_type,
        "partner": row.partner,
        "owner_email": row.owner_email,
        "criteria": format_criteria(row.criteria),
        "period_from": row.period_from,
        "period_to": row.period_to,
        "as_at": row.as_at,
        "review_by": row.review_by,
        "url": row.url,
        "status": row.status,
        "returned_reason": row.returned_reason,
    }
