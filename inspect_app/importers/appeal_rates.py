"""Read DfE's "SEND appealable decisions rate" supporting file: the SEND Tribunal appeal rate by local authority.

A supporting file of the "Education, health and care plans" release (reporting year 2026 on; reference
data-formats.md §2c): a spreadsheet saved as CSV, not a tidy EES file. A title, the table's name and its sources
come first; then a row of year groups (`,,2024,,,2025,,`) over a row of headings (`Old LA code, Appeals registered,
Total Appealable Decisions, SEND Tribunal Appeal Rate2, …`, with footnote digits glued on); then the local
authorities under region headings in capitals, an `England Total` row, and the footnotes. Rates are printed with a
per cent sign (`6.10%`); ` x ` means no figure and ` - ` no appeals.

Each year group gives one `appeal_rate` figure per area: appeals over appealable decisions (refused requests,
assessments not leading to a plan, plans held in January, plans ceased because needs are met without one), with
DfE's rate as published. Local authorities are keyed on the 3-digit code printed beside them; where the name
beside a code is another authority's in DfE's own list, the figure stays under the printed code and a note names
the mismatch (the 2024-2025 file prints Cambridgeshire and Central Bedfordshire against each other's codes).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from inspect_app.domain.areas import ENGLAND_CODE, ENGLAND_NAME, LOCAL_AUTHORITY, NATIONAL, OLD_LA_CODE, Area
from inspect_app.domain.areas import find_local_authority as find_authority
from inspect_app.domain.symbols import find_symbol
from inspect_app.importers.common import FileRejected, RowError, decode_text, is_xlsx

FILE_KIND = "appeal_rates"
GENERATION = "SEND appealable decisions rate (supporting file, 2026 release on)"
MEASURE = "appeal_rate"
_YEAR = re.compile(r"(19|20)\d{2}")
_FOOTNOTE = re.compile(r"\d+$")


def is_appeal_rate_file(data: bytes) -> bool:
    """Tell the supporting file from an EES file by its first lines (title and headings), not its name."""
    if is_xlsx(data):
        return False
    head = data[:4000].decode("utf-8", errors="ignore").lower()
    return "appealable decisions" in head and "appeal rate" in head


@dataclass(frozen=True, slots=True)
class AppealRate:
    """One area's appeal rate for one calendar year, as printed (`rate` None when DfE shows a symbol)."""

    area: Area
    period: str
    appeals: int | None
    decisions: int | None
    rate: Decimal | None
    symbol: str | None


def read_appeal_rates(data: bytes) -> tuple[list[AppealRate], list[Area], list[RowError], list[str]]:
    """Return (rates, areas, row errors, notes) from the file; raises FileRejected when the layout is not found."""
    rows = list(csv.reader(io.StringIO(decode_text(data))))
    heading_at = next((n for n, row in enumerate(rows) if any("appealable" in c.lower() for c in row[2:])), None)
    if heading_at is None or heading_at == 0:
        raise FileRejected("The file looks like DfE's appeal rate file but has no row of headings with the years")
    years = _year_columns(rows[heading_at - 1], rows[heading_at])
    if not years:
        raise FileRejected("The appeal rate file's year row (2024, 2025, …) was not found above its headings")
    figures: list[AppealRate] = []
    errors: list[RowError] = []
    notes: list[str] = []
    areas: dict[str, Area] = {}
    periods = tuple(year for year, _columns in years)
    for number, row in enumerate(rows[heading_at + 1 :], start=heading_at + 2):
        name = _FOOTNOTE.sub("", row[0].strip()) if row else ""
        code = row[1].strip() if len(row) > 1 else ""
        if name.lower() == "england total":
            area = Area(ENGLAND_CODE, ENGLAND_NAME, NATIONAL, periods=periods)
        elif OLD_LA_CODE.fullmatch(code):
            area = _authority(code, name, periods, number, notes)
        else:
            if name.lower().startswith("footnotes"):
                break
            continue  # a region heading, a blank row
        areas[area.code] = area
        for year, (appeals_at, decisions_at, rate_at) in years:
            cells = [row[i].strip() if i < len(row) else "" for i in (appeals_at, decisions_at, rate_at)]
            figure = _figure(cells, number, rows[heading_at], (appeals_at, decisions_at, rate_at), errors, notes)
            if figure is None:
                continue
            figures.append(AppealRate(area, year, *figure))
    return figures, list(areas.values()), errors, notes


def _year_columns(years_row: list[str], headings: list[str]) -> list[tuple[str, tuple[int, int, int]]]:
    """(year, (appeals, decisions, rate) column positions) for each year group."""
    found = []
    for position, cell in enumerate(years_row):
        if _YEAR.fullmatch(cell.strip()) and position + 2 < len(headings):
            found.append((cell.strip(), (position, position + 1, position + 2)))
    return found


def _authority(code: str, name: str, periods: tuple[str, ...], number: int, notes: list[str]) -> Area:
    known = find_authority(code)
    if known is None:
        return Area(code, name, LOCAL_AUTHORITY, periods=periods)
    if not _same_name(name, known.name):
        notes.append(
            f"Row {number}: {name} is printed with code {code}, which is {known.name} in DfE's list of local "
            f"authorities; the figures were kept under code {code} as published"
        )
    return Area(
        code,
        known.name,
        LOCAL_AUTHORITY,
        known.region_code,
        tuple(sorted(known.nine_char_codes)),
        periods,
    )


def _same_name(printed: str, listed: str) -> bool:
    def simple(text: str) -> str:
        return re.sub(r"[^a-z]", "", text.lower().replace("&", "and"))

    a, b = simple(printed), simple(listed)
    return bool(a) and (a in b or b in a)


def _figure(
    cells: list[str],
    number: int,
    headings: list[str],
    positions: tuple[int, int, int],
    errors: list[RowError],
    notes: list[str],
) -> tuple[int | None, int | None, Decimal | None, str | None] | None:
    appeals_text, decisions_text, rate_text = cells
    if not any(cells):
        return None
    values: list[int | None] = []
    for text, position in ((appeals_text, positions[0]), (decisions_text, positions[1])):
        if text == "-":
            values.append(0)  # no appeals: DfE prints a dash where the count is nil
            continue
        if text.isdigit():
            values.append(int(text))
            continue
        if find_symbol(text) is None:
            errors.append(RowError(number, headings[position].strip(), text, "enter a whole number, - or x"))
        values.append(None)
    rate, symbol = None, None
    if rate_text.endswith("%"):
        try:
            rate = Decimal(rate_text[:-1].strip())
        except InvalidOperation:
            errors.append(RowError(number, headings[positions[2]].strip(), rate_text, "enter a percentage like 6.10%"))
    else:
        symbol = find_symbol(rate_text)
        if symbol is None and rate_text:
            errors.append(RowError(number, headings[positions[2]].strip(), rate_text, "enter a percentage like 6.10%"))
    if values[0] == 0 and appeals_text == "-" and rate == 0:
        notes.append(f"Row {number}: appeals shown as '-' were read as 0 (the rate is 0.00%)")
    return values[0], values[1], rate, symbol
