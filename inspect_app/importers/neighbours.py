"""Import statistical neighbours: for each local authority, its ordered closest authorities as DfE 3-digit codes.

Two layouts of DfE's Children's Services Statistical Neighbour Benchmarking Tool are read (reference/
data-formats.md §4), recognised by their columns:

- wide, one row per LA (Data to Insight's `Provider_data_lookup.csv`): `la_code` and `stat_neighbours`, a quoted
  list of ten 3-digit codes ("807, 394, …"), and/or `stat_neighbours_la_code`, the same neighbours as
  9-character ONS codes;
- long, one row per neighbour: `la_code, la_name, SN, SN_code, SN_name, SN_prox` (SN 1-10; SN_prox is
  "Very close", "Close " with a trailing space, …).

Neighbours are given in ONS codes while DfE's statistics use DfE codes: North Yorkshire is E06000065 in the tool
but 815/E10000023 in the EHCP files, Somerset E06000066 but 933/E10000027. Every code is resolved through
domain/areas.py, so a neighbour always joins to DfE's figures.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import pandas as pd

from inspect_app.domain.areas import OLD_LA_CODE, find_local_authority, find_old_la_code
from inspect_app.importers.common import (
    FIRST_DATA_ROW,
    FileRejected,
    ImportResult,
    RowError,
    normalise_header,
    read_table,
)

NEIGHBOURS_PER_LA = 10
WIDE = "wide"
LONG = "long"
WIDE_LIST = "stat_neighbours"
WIDE_ONS_LIST = "stat_neighbours_la_code"
LONG_COLUMNS = ("la_code", "sn", "sn_code")
LA_CODE_MESSAGE = "enter a local authority's 3-digit DfE code, like 805, or its 9-character ONS code"


@dataclass(frozen=True, slots=True)
class Neighbour:
    """One statistical neighbour, in rank order (1 is the closest)."""

    rank: int
    la_code: str  # DfE 3-digit code
    name: str
    proximity: str | None  # "Very close", "Close", … (long layout only)
    source_code: str  # the code as the file gives it (the ONS code where the file has one)


@dataclass(frozen=True, slots=True)
class StatisticalNeighbours:
    """A local authority and its statistical neighbours, closest first."""

    la_code: str  # DfE 3-digit code
    la_name: str
    neighbours: tuple[Neighbour, ...]

    @property
    def codes(self) -> tuple[str, ...]:
        """The neighbours' DfE 3-digit codes, closest first."""
        return tuple(neighbour.la_code for neighbour in self.neighbours)


@dataclass
class NeighbourImportResult(ImportResult[StatisticalNeighbours]):
    """Neighbour sets (one per LA), row errors and notes; `layout` says which layout the file had."""

    layout: str = ""

    def find(self, code: str) -> StatisticalNeighbours | None:
        """Return the neighbour set of an LA given by its 3-digit or 9-character code, or None."""
        wanted = find_old_la_code(code)
        return next((row for row in self.rows if row.la_code == wanted), None)


def read_neighbours(source: str | Path | IO[bytes] | bytes) -> NeighbourImportResult:
    """Read a statistical neighbour file (wide or long layout) into neighbour sets keyed on DfE 3-digit codes.

    Raises FileRejected when the file is empty, unreadable, or has neither layout's columns.
    """
    frame = read_table(source)
    original = [str(c) for c in frame.columns]
    frame.columns = [normalise_header(c) for c in original]
    display = dict(zip(frame.columns, original, strict=True))
    columns = set(frame.columns)
    if "la_code" in columns and (WIDE_LIST in columns or WIDE_ONS_LIST in columns):
        result = NeighbourImportResult(layout=WIDE)
        _read_wide(frame.astype(str), display, result)
    elif all(c in columns for c in LONG_COLUMNS):
        result = NeighbourImportResult(layout=LONG)
        _read_long(frame.astype(str), display, result)
    else:
        raise FileRejected(
            [
                "This is not a statistical neighbour file that inspect_app can import. It reads two layouts:",
                "one row per local authority with la_code and stat_neighbours (3-digit codes) "
                "or stat_neighbours_la_code (9-character codes), as in Provider_data_lookup.csv",
                "one row per neighbour with la_code, SN, SN_code (and la_name, SN_name, SN_prox)",
            ]
        )
    if result.errors:
        result.rows = []
    return result


def _read_wide(frame: pd.DataFrame, display: dict[str, str], result: NeighbourImportResult) -> None:
    name_column = next((c for c in ("local_authority_ons_name", "la_name") if c in frame.columns), None)
    without: list[str] = []
    seen: set[str] = set()
    for index, record in zip(frame.index, frame.to_dict("records"), strict=True):
        row = int(index) + FIRST_DATA_ROW
        la_code = _resolve(record["la_code"], row, display["la_code"], result)
        if la_code is None:
            continue
        name = record[name_column].strip() if name_column else ""
        name = name or _name_of(la_code)
        dfe_codes = _split(record.get(WIDE_LIST, ""))
        ons_codes = _split(record.get(WIDE_ONS_LIST, ""))
        if not dfe_codes and not ons_codes:
            without.append(f"{name} ({la_code})")
            continue
        if la_code in seen:
            result.errors.append(RowError(row, display["la_code"], la_code, "this local authority is listed twice"))
            continue
        seen.add(la_code)
        neighbours = _wide_neighbours(dfe_codes, ons_codes, row, display, result)
        if neighbours is not None:
            _add(result, StatisticalNeighbours(la_code, name, neighbours), row, display["la_code"])
    if without:
        result.notes.append(f"No neighbours are listed for {', '.join(without)}; they were skipped")


def _wide_neighbours(
    dfe_codes: list[str], ons_codes: list[str], row: int, display: dict[str, str], result: NeighbourImportResult
) -> tuple[Neighbour, ...] | None:
    """Resolve one wide row's lists; when both are given they must name the same authorities in the same order."""
    errors_before = len(result.errors)
    for code in dfe_codes:
        if not OLD_LA_CODE.fullmatch(code):
            result.errors.append(RowError(row, display[WIDE_LIST], code, "enter 3-digit DfE codes separated by commas"))
    resolved_ons = [_resolve(code, row, display.get(WIDE_ONS_LIST, WIDE_ONS_LIST), result) for code in ons_codes]
    if len(result.errors) > errors_before:
        return None
    if dfe_codes and ons_codes and dfe_codes != resolved_ons:
        result.errors.append(
            RowError(
                row,
                display[WIDE_ONS_LIST],
                ", ".join(ons_codes),
                f"these codes name different authorities ({', '.join(map(str, resolved_ons))}) from "
                f"{display[WIDE_LIST]} ({', '.join(dfe_codes)})",
            )
        )
        return None
    codes = dfe_codes or [code for code in resolved_ons if code]
    sources = ons_codes or dfe_codes
    return tuple(
        Neighbour(rank, code, _name_of(code), None, source)
        for rank, (code, source) in enumerate(zip(codes, sources, strict=True), start=1)
    )


def _read_long(frame: pd.DataFrame, display: dict[str, str], result: NeighbourImportResult) -> None:
    grouped: dict[str, list[tuple[int, Neighbour]]] = {}
    names: dict[str, str] = {}
    first_row: dict[str, int] = {}
    for index, record in zip(frame.index, frame.to_dict("records"), strict=True):
        row = int(index) + FIRST_DATA_ROW
        la_code = _resolve(record["la_code"], row, display["la_code"], result)
        neighbour_code = _resolve(record["sn_code"], row, display["sn_code"], result)
        rank_text = record["sn"].strip()
        if not re.fullmatch(r"\d{1,2}", rank_text) or int(rank_text) == 0:
            result.errors.append(RowError(row, display["sn"], rank_text, "enter the neighbour's rank, 1 to 10"))
            continue
        if la_code is None or neighbour_code is None:
            continue
        name = record.get("sn_name", "").strip() or _name_of(neighbour_code)
        proximity = record.get("sn_prox", "").strip() or None
        neighbour = Neighbour(int(rank_text), neighbour_code, name, proximity, record["sn_code"].strip())
        grouped.setdefault(la_code, []).append((row, neighbour))
        names.setdefault(la_code, record.get("la_name", "").strip() or _name_of(la_code))
        first_row.setdefault(la_code, row)
    for la_code, entries in grouped.items():
        ranks = [neighbour.rank for _, neighbour in entries]
        for row, neighbour in entries:
            if ranks.count(neighbour.rank) > 1:
                result.errors.append(
                    RowError(row, display["sn"], str(neighbour.rank), f"rank {neighbour.rank} is given twice")
                )
        ordered = tuple(neighbour for _, neighbour in sorted(entries, key=lambda entry: entry[1].rank))
        _add(result, StatisticalNeighbours(la_code, names[la_code], ordered), first_row[la_code], display["la_code"])


def _add(result: NeighbourImportResult, found: StatisticalNeighbours, row: int, column: str) -> None:
    """Keep one neighbour set, reporting an LA that neighbours itself or lists a neighbour twice."""
    codes = found.codes
    duplicates = sorted({code for code in codes if codes.count(code) > 1})
    if duplicates:
        result.errors.append(
            RowError(row, column, found.la_code, f"the neighbours list {', '.join(duplicates)} more than once")
        )
        return
    if found.la_code in codes:
        result.errors.append(RowError(row, column, found.la_code, "a local authority cannot neighbour itself"))
        return
    if len(codes) != NEIGHBOURS_PER_LA:
        result.notes.append(f"{found.la_name} ({found.la_code}) has {len(codes)} neighbours, not {NEIGHBOURS_PER_LA}")
    result.rows.append(found)


def _resolve(code: str, row: int, column: str, result: NeighbourImportResult) -> str | None:
    """Return DfE's 3-digit code for a 3-digit or ONS code (E06000065 -> 815); report a code that is neither."""
    cleaned = code.strip()
    resolved = find_old_la_code(cleaned) if cleaned else None
    if resolved is None:
        result.errors.append(RowError(row, column, cleaned, LA_CODE_MESSAGE))
    return resolved


def _split(cell: str) -> list[str]:
    return [part.strip() for part in cell.split(",") if part.strip()]


def _name_of(code: str) -> str:
    authority = find_local_authority(code)
    return authority.name if authority else code
