"""Import DfE's published "Education, health and care plans" statistics as plain benchmark figures.

Every release generation is recognised from its header, never from the file name (reference/data-formats.md §2):

- `sen2_mi.csv` up to the 2022 release: one wide row per area and year (2014-2021), CamelCase names.
- `sen2_mi.csv` in the 2023 and 2024 releases: the same content in snake_case; the 2023 release pads 2022
  rates with leading spaces (`" 47.665"`).
- From the 2025 release, one long file per stage, filtered by `breakdown_topic` / `breakdown`:
  `timeliness_20_week.csv`, `requests.csv`, `assessments.csv`, `caseload.csv`, `annual_reviews.csv`
  (mixed-case names in 2025, lower case from 2026; the 2026 annual reviews file has a new schema).

Only the total rows (`breakdown_topic` starting with "All") are read unless `all_breakdowns=True`; the
breakdown is kept on every figure so more can be added. A published figure is kept exactly as published: a
percentage is DfE's own rounded value, and its numerator and denominator come from the count columns of the
same row. DfE's symbols (`x`, `z`, …) are kept instead of a number, never turned into 0.

The mapping of each generation's columns to measures is the table in importers/benchmark_layouts.py.

A count measure carries its number as `value` with no numerator or denominator; an average carries the number
of plans it is taken over as its denominator (DfE prints an average of 0, not x, when that is 0; it is kept and
noted). Where DfE publishes no percentage (annual reviews from 2026) it is computed half up from the counts,
with `x` when the denominator is 0, as DfE does. A published percentage that differs from its recomputed counts
by more than 0.05 is reported as a note, not an error: DfE's own figures are what inspectors compare against.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

import numpy as np
import pandas as pd

from inspect_app.domain.areas import (
    ENGLAND_CODE,
    ENGLAND_NAME,
    LEVELS,
    LOCAL_AUTHORITY,
    NATIONAL,
    OLD_LA_CODE,
    REGION_CODE,
    REGIONAL,
    Area,
)
from inspect_app.domain.numbers import ratio_percentage, round_half_up
from inspect_app.domain.symbols import find_symbol, symbols_for_message
from inspect_app.importers.appeal_rates import FILE_KIND as APPEAL_FILE_KIND
from inspect_app.importers.appeal_rates import GENERATION as APPEAL_GENERATION
from inspect_app.importers.appeal_rates import MEASURE as APPEAL_MEASURE
from inspect_app.importers.appeal_rates import is_appeal_rate_file, read_appeal_rates
from inspect_app.importers.benchmark_layouts import (
    AVERAGE,
    BREAKDOWN_COLUMNS,
    COUNT,
    LAYOUTS,
    PERCENTAGE,
    RECOMPUTE_TOLERANCE,
    STANDARD_COLUMNS,
    FileLayout,
    MeasureColumns,
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

_INTEGER = re.compile(r"-?\d+")
_DECIMAL = re.compile(r"-?\d+(?:\.\d+)?")
_MANGLED_DUPLICATE = re.compile(r"(.+)\.(\d+)")
# Columns whose names carry the year of the data (annual_reviews.csv and phase_transfers.csv from the 2026
# release: `review_completed_2025`, `due_25`, `due_26`): read under a name that stays the same every release.
_REVIEW_YEAR_COLUMN = re.compile(r"(review_(?:expected|not_expected|completed|completed_prior))_(\d{4})")
_TRANSFER_YEAR_COLUMN = re.compile(r"(due|final)_(\d{2})")


@dataclass(frozen=True, slots=True)
class BenchmarkFigure:
    """One published figure for one area, period and breakdown, exactly as DfE published it."""

    measure: str
    area_code: str  # 3-digit old_la_code, E12… region or E92000001 England
    area_name: str
    geographic_level: str  # National | Regional | Local authority
    period: str  # "2024" (calendar year) or "2024/25" (academic year)
    time_identifier: str
    numerator: int | None
    denominator: int | None
    value: Decimal | None  # as published; None when DfE shows a symbol (or nothing)
    symbol: str | None  # DfE's symbol when there is no number (see domain/symbols.py)
    new_la_code: str | None  # the 9-character code as printed in the file (LAs only)
    release: str | None
    source_file_kind: str  # sen2_mi, timeliness_20_week, requests, assessments, caseload, annual_reviews
    breakdown_topic: str | None = None  # None for the wide sen2_mi files, which have no breakdown
    breakdown: str | None = None


@dataclass
class BenchmarkImportResult(ImportResult[BenchmarkFigure]):
    """Figures, row errors and notes, plus every area seen (for the LA code crosswalk)."""

    areas: list[Area] = field(default_factory=list)
    file_kind: str = ""
    generation: str = ""


def read_benchmarks(
    source: str | Path | IO[bytes] | bytes, *, release: str | None = None, all_breakdowns: bool = False
) -> BenchmarkImportResult:
    """Read one DfE EHCP statistics file into benchmark figures, row errors, notes and the areas seen.

    Raises FileRejected when the file is empty, unreadable, or not a file generation listed in LAYOUTS.
    """
    data = read_bytes(source)
    if is_appeal_rate_file(data):
        return _appeal_rates(data, release)
    header, read_columns = _open_table(data)
    columns, notes = _normalise_columns(header)
    layout = _recognise(set(columns))
    missing = [c for c in layout.required_columns if c not in columns]
    if missing:
        raise FileRejected(f"The file looks like {layout.title} but has no {_or_list(missing)} column")

    result = BenchmarkImportResult(file_kind=layout.kind, generation=layout.title, notes=notes)
    display = dict(zip(columns, header, strict=True))
    measures = [m for m in layout.measures if all(c in columns for c in m.columns)]
    for skipped in (m for m in layout.measures if m not in measures and not m.optional):
        absent = [c for c in skipped.columns if c not in columns]
        result.notes.append(f"The file has no {_or_list(absent)} column, so {skipped.measure} was not imported")
    if release is None:
        result.notes.append("No release was given, so the figures carry none; name the release to keep revisions apart")

    wanted = dict.fromkeys([*layout.required_columns, *(c for m in measures for c in m.columns)])
    positions = sorted(columns.index(c) for c in wanted)
    frame = read_columns(positions)
    frame.columns = [columns[p] for p in positions]
    if layout.long and not all_breakdowns:
        frame = frame[_per_row(frame["breakdown_topic"], _is_total_topic).astype(bool)]
    frame = _known_levels(frame, result)
    rows = _RowIdentity.build(frame, layout, result, display)
    integer_columns = {c for m in measures for c in m.integer_columns}
    parsed = {
        column: _parse_column(frame[column], column in integer_columns, display[column], rows.numbers, result)
        for column in dict.fromkeys(c for m in measures for c in m.columns)
    }
    if result.errors:
        return result
    result.rows = _figures(rows, parsed, measures, layout.kind, release, result.notes)
    result.areas = _areas_seen(rows)
    return result


def _normalise_columns(names: list[str]) -> tuple[list[str], list[str]]:
    """Normalise header names; give duplicates (pandas's `name.1` or case variants) unusable names and say so.

    Names that carry the data's year are read under fixed names (`review_completed_2025` as
    `review_completed_year`; of `due_25` and `due_26`, the earlier year as `due_this_year`, the later as
    `due_next_year`) so that every release's file fits one layout.
    """
    columns, notes = _normalise_plain(names)
    transfer_years = sorted({m[2] for c in columns if (m := _TRANSFER_YEAR_COLUMN.fullmatch(c))})
    renamed = []
    for column in columns:
        review = _REVIEW_YEAR_COLUMN.fullmatch(column)
        transfer = _TRANSFER_YEAR_COLUMN.fullmatch(column)
        if review:
            column = f"{review[1]}_year"
        elif transfer and len(transfer_years) <= 2:
            column = f"{transfer[1]}_{'this' if transfer[2] == transfer_years[0] else 'next'}_year"
        renamed.append(column)
    return renamed, notes


def _appeal_rates(data: bytes, release: str | None) -> BenchmarkImportResult:
    """The appeal rate supporting file (importers/appeal_rates.py) as benchmark figures."""
    rates, areas, errors, notes = read_appeal_rates(data)
    result = BenchmarkImportResult(file_kind=APPEAL_FILE_KIND, generation=APPEAL_GENERATION, notes=notes)
    result.errors = errors
    if release is None:
        result.notes.append("No release was given, so the figures carry none; name the release to keep revisions apart")
    if errors:
        return result
    result.rows = [
        BenchmarkFigure(
            APPEAL_MEASURE,
            rate.area.code,
            rate.area.name,
            rate.area.level,
            rate.period,
            "Calendar year",
            rate.appeals,
            rate.decisions,
            rate.rate,
            rate.symbol,
            None,
            release,
            APPEAL_FILE_KIND,
        )
        for rate in rates
    ]
    result.areas = areas
    return result


def _normalise_plain(names: list[str]) -> tuple[list[str], list[str]]:
    present = set(names)
    seen: set[str] = set()
    columns: list[str] = []
    notes: list[str] = []
    for position, name in enumerate(names):
        mangled = _MANGLED_DUPLICATE.fullmatch(name)
        base = mangled.group(1) if mangled and mangled.group(1) in present else name
        normalised = normalise_header(base)
        if normalised in seen:
            notes.append(f"The header has {base} more than once; only the first of them is read")
            normalised = f"{normalised}__duplicate_{position}"
        seen.add(normalised)
        columns.append(normalised)
    return columns, notes


def _open_table(data: bytes) -> tuple[list[str], Callable[[list[int]], pd.DataFrame]]:
    """Return the header of a CSV or XLSX file and a reader of chosen columns (by position) as text.

    CSV is read by pandas's C parser with only the columns an import needs (`usecols`) and as plain Python
    strings (`dtype=object`), which is what keeps a 13,000-row file within a few times `pandas.read_csv`;
    every cell is still text, exactly as published.
    """
    if not data or data.isspace():
        raise FileRejected("The file is empty")
    if is_xlsx(data):
        table = read_table(data)
        return [str(c) for c in table.columns], lambda positions: table.iloc[:, positions].astype(str)
    first_line = data.split(b"\n", 1)[0].rstrip(b"\r")
    try:
        header_text, encoding = first_line.decode("utf-8-sig"), "utf-8-sig"
    except UnicodeDecodeError:
        header_text, encoding = first_line.decode("cp1252"), "cp1252"  # as Excel saves CSV on Windows
    header = next(csv.reader([header_text]), [])

    def read_columns(positions: list[int]) -> pd.DataFrame:
        options = {"dtype": object, "keep_default_na": False, "na_filter": False, "usecols": positions}
        try:
            try:
                return pd.read_csv(io.BytesIO(data), encoding=encoding, **options)
            except UnicodeDecodeError:
                return pd.read_csv(io.BytesIO(data), encoding="cp1252", **options)
        except (pd.errors.ParserError, ValueError) as exc:
            ragged = _ragged_row(data, encoding, len(header))
            raise FileRejected(ragged or f"The file could not be read as CSV: {exc}") from exc

    return header, read_columns


def _ragged_row(data: bytes, encoding: str, width: int) -> str | None:
    """Name the first row whose number of values differs from the header's (pandas reports it obscurely)."""
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        text = data.decode("cp1252")
    for number, row in enumerate(csv.reader(io.StringIO(text)), start=1):
        if number > 1 and row and len(row) != width:
            return (
                f"Row {number} has {len(row)} values but the header has {width} columns: check for a comma "
                "inside a number or a name that is not in quotes"
            )
    return None


def _recognise(columns: set[str]) -> FileLayout:
    for layout in LAYOUTS:
        if all(normalise_header(c) in columns for c in layout.key_columns):
            return layout
    raise FileRejected(_unrecognised_messages())


def _unrecognised_messages() -> list[str]:
    messages = [
        "This is not a DfE 'Education, health and care plans' file that inspect_app can import. "
        "It recognises these files by their columns (in any case):"
    ]
    messages.extend(f"{layout.title}: {', '.join(layout.key_columns)}" for layout in LAYOUTS)
    messages.append(
        f"Every file also needs {', '.join(STANDARD_COLUMNS)}; the 2025 and later files also need "
        f"{' and '.join(BREAKDOWN_COLUMNS)}"
    )
    return messages


def _per_row(cells: pd.Series, convert: Callable[[str], Any]) -> np.ndarray:
    """Apply `convert` once per distinct cell value and spread the results over the rows.

    Published files repeat a few thousand distinct values over tens of thousands of cells, so parsing the
    distinct values (pandas.factorize) and taking by code keeps the work per column, not per cell.
    """
    codes, uniques = pd.factorize(cells)
    table = np.empty(len(uniques), dtype=object)
    for position, value in enumerate(uniques):
        table[position] = convert(value)
    return table[codes]


def _is_total_topic(topic: str) -> bool:
    return topic.strip().lower().startswith("all")


def _known_levels(frame: pd.DataFrame, result: BenchmarkImportResult) -> pd.DataFrame:
    """Keep National, Regional and Local authority rows; say how many rows of other levels were skipped."""
    levels = _per_row(frame["geographic_level"], _canonical_level)
    other = pd.isna(levels)
    if other.any():
        kinds = ", ".join(sorted({str(v).strip() for v in frame["geographic_level"][other]}))
        result.notes.append(
            f"Skipped {int(other.sum())} rows whose geographic_level is not National, Regional or "
            f"Local authority ({kinds})"
        )
        frame = frame[~other]
    return frame


_LEVELS_BY_NAME = {level.lower(): level for level in LEVELS}
_CODE_CHECKS = {
    NATIONAL: ("country_code", re.compile(re.escape(ENGLAND_CODE)), f"enter {ENGLAND_CODE}, the code for England"),
    REGIONAL: ("region_code", REGION_CODE, "enter a region code from E12000001 to E12000009"),
    LOCAL_AUTHORITY: ("old_la_code", OLD_LA_CODE, "enter the local authority's 3-digit DfE code, like 805"),
}


def _canonical_level(text: str) -> str | None:
    return _LEVELS_BY_NAME.get(" ".join(text.split()).lower())


def _decode_period(text: str) -> str | None:
    """Decode `time_period`: 2024 stays "2024"; 202425 becomes "2024/25". None when it is neither."""
    text = text.strip()
    if re.fullmatch(r"\d{4}", text):
        return text
    if re.fullmatch(r"\d{6}", text) and (int(text[:4]) + 1) % 100 == int(text[4:]):
        return f"{text[:4]}/{text[4:]}"
    return None


def _stripped_or_none(text: str) -> str | None:
    return text.strip() or None


@dataclass
class _RowIdentity:
    """Area, period and breakdown of every row read, as plain lists in file order."""

    numbers: list[int]  # spreadsheet row numbers
    level: list[str]
    code: list[str]
    name: list[str]
    region_code: list[str | None]
    new_la_code: list[str | None]
    period: list[str]
    time_identifier: list[str]
    topic: list[str | None]
    breakdown: list[str | None]

    @classmethod
    def build(
        cls, frame: pd.DataFrame, layout: FileLayout, result: BenchmarkImportResult, display: dict[str, str]
    ) -> _RowIdentity:
        """Read the identity columns of every row column by column; report codes and periods that are wrong."""
        text = {c: _per_row(frame[c], str.strip) for c in layout.required_columns if c != "time_period"}
        levels = _per_row(frame["geographic_level"], _canonical_level)
        is_la, is_region = levels == LOCAL_AUTHORITY, levels == REGIONAL
        code = np.where(is_la, text["old_la_code"], np.where(is_region, text["region_code"], text["country_code"]))
        name = np.where(is_la, text["la_name"], np.where(is_region, text["region_name"], ENGLAND_NAME))
        period = _per_row(frame["time_period"], _decode_period)
        numbers = (frame.index.to_numpy() + FIRST_DATA_ROW).tolist()

        for level, (column, pattern, message) in _CODE_CHECKS.items():
            valid = _per_row(frame[column], lambda v, p=pattern: p.fullmatch(v.strip()) is not None)
            for position in ((levels == level) & ~valid.astype(bool)).nonzero()[0]:
                result.errors.append(RowError(numbers[position], display[column], text[column][position], message))
        for position in pd.isna(period).nonzero()[0]:
            result.errors.append(
                RowError(
                    numbers[position],
                    display["time_period"],
                    frame["time_period"].iloc[position],
                    "enter a calendar year like 2024 or an academic year like 202425",
                )
            )
        region = _per_row(frame["region_code"], _stripped_or_none)
        new_la_code = _per_row(frame["new_la_code"], _stripped_or_none)
        no_breakdown = [None] * len(frame)
        return cls(
            numbers=numbers,
            level=levels.tolist(),
            code=code.tolist(),
            name=name.tolist(),
            region_code=np.where(is_la | is_region, region, None).tolist(),
            new_la_code=np.where(is_la, new_la_code, None).tolist(),
            period=period.tolist(),
            time_identifier=text["time_identifier"].tolist(),
            topic=text["breakdown_topic"].tolist() if layout.long else no_breakdown,
            breakdown=text["breakdown"].tolist() if layout.long else no_breakdown,
        )


@dataclass
class _Parsed:
    """One measure column parsed: the number (or None) and the DfE symbol (or None) of every row."""

    numbers: list[Any]  # int for count columns, Decimal for percentages and averages, None when not a number
    symbols: list[str | None]


_BLANK = "blank"
_BAD = "bad"


def _parse_column(
    cells: pd.Series, integer: bool, heading: str, row_numbers: list[int], result: BenchmarkImportResult
) -> _Parsed:
    """Parse one column of published figures: numbers, DfE symbols and blanks; anything else is a row error."""
    pattern, convert = (_INTEGER, int) if integer else (_DECIMAL, Decimal)

    def classify(cell: str) -> tuple[Any, str | None]:
        text = cell.strip()
        if pattern.fullmatch(text):
            return convert(text), None
        if not text:
            return None, _BLANK
        symbol = find_symbol(text)
        return (None, symbol) if symbol else (None, _BAD)

    codes, uniques = pd.factorize(cells)
    classified = [classify(value) for value in uniques]
    numbers = np.empty(len(uniques), dtype=object)
    statuses = np.empty(len(uniques), dtype=object)
    for position, (number, status) in enumerate(classified):
        numbers[position], statuses[position] = number, status
    row_statuses = statuses[codes]

    expected = "a whole number" if integer else "a number"
    for position in (row_statuses == _BAD).nonzero()[0]:
        result.errors.append(
            RowError(
                row_numbers[position],
                heading,
                str(cells.iloc[position]).strip(),
                f"enter {expected} or one of DfE's symbols {symbols_for_message()}",
            )
        )
    blanks = int((row_statuses == _BLANK).sum())
    if blanks:
        result.notes.append(f"{blanks} cells in column {heading} are blank; they are imported as no figure")
    symbols = np.where((row_statuses == _BLANK) | (row_statuses == _BAD), None, row_statuses)
    return _Parsed(numbers[codes].tolist(), symbols.tolist())


def _figures(
    rows: _RowIdentity,
    parsed: dict[str, _Parsed],
    measures: list[MeasureColumns],
    kind: str,
    release: str | None,
    notes: list[str],
) -> list[BenchmarkFigure]:
    """Build every figure, row by row in file order; note published percentages their counts contradict."""
    columns = [_measure_columns(spec, parsed) for spec in measures]
    for spec, (numerators, denominators, values, _symbols) in zip(measures, columns, strict=True):
        if spec.kind == PERCENTAGE and spec.published:
            notes.extend(_recompute_notes(spec.measure, rows, numerators, denominators, values))
        elif spec.kind == AVERAGE:
            notes.extend(_empty_average_notes(spec.measure, rows, denominators, values))
    figures = []
    for i in range(len(rows.numbers)):
        code, name, level, period = rows.code[i], rows.name[i], rows.level[i], rows.period[i]
        identifier, new_la_code, topic, breakdown = (
            rows.time_identifier[i],
            rows.new_la_code[i],
            rows.topic[i],
            rows.breakdown[i],
        )
        for spec, (numerators, denominators, values, symbols) in zip(measures, columns, strict=True):
            figures.append(
                BenchmarkFigure(
                    spec.measure,
                    code,
                    name,
                    level,
                    period,
                    identifier,
                    numerators[i],
                    denominators[i],
                    values[i],
                    symbols[i],
                    new_la_code,
                    release,
                    kind,
                    topic,
                    breakdown,
                )
            )
    return figures


def _measure_columns(
    spec: MeasureColumns, parsed: dict[str, _Parsed]
) -> tuple[list[int | None], list[int | None], list[Decimal | None], list[str | None]]:
    """Return the numerators, denominators, values and symbols of one measure, one entry per row."""
    parts = [parsed[c].numbers for c in spec.denominator]
    denominators = [None if None in row else sum(row) for row in zip(*parts, strict=True)]
    if spec.kind == COUNT:
        cell = parsed[spec.columns[0]]
        values = [None if n is None else Decimal(n) for n in cell.numbers]
        empty: list[int | None] = [None] * len(values)
        return empty, empty, values, cell.symbols
    if spec.kind == AVERAGE:
        cell = parsed[spec.columns[0]]
        return [None] * len(cell.numbers), denominators, cell.numbers, cell.symbols

    assert spec.numerator is not None
    numerators = parsed[spec.numerator].numbers
    if spec.published is not None:
        cell = parsed[spec.published]
        return numerators, denominators, cell.numbers, cell.symbols
    # DfE publishes no percentage here: compute it half up, with DfE's `x` for a denominator of 0.
    values: list[Decimal | None] = []
    symbols: list[str | None] = []
    fallback = [parsed[c].symbols for c in (spec.numerator, *spec.denominator)]
    for i, (numerator, denominator) in enumerate(zip(numerators, denominators, strict=True)):
        if numerator is not None and denominator:
            values.append(round_half_up(ratio_percentage(numerator, denominator), 1))
            symbols.append(None)
        else:
            values.append(None)
            symbols.append("x" if denominator == 0 else next((s[i] for s in fallback if s[i]), None))
    return numerators, denominators, values, symbols


def _recompute_notes(
    measure: str,
    rows: _RowIdentity,
    numerators: list[int | None],
    denominators: list[int | None],
    values: list[Decimal | None],
) -> Iterator[str]:
    """Describe published percentages that their own counts do not give (more than 0.05 apart)."""
    for i, (numerator, denominator, value) in enumerate(zip(numerators, denominators, values, strict=True)):
        if value is None or numerator is None or denominator is None:
            continue
        where = f"Row {rows.numbers[i]}: {rows.name[i]} {rows.period[i]}{_breakdown(rows, i)}"
        if denominator == 0:
            yield f"{where}: {measure} is published as {value} although its denominator is 0"
            continue
        recomputed = round_half_up(ratio_percentage(numerator, denominator), 1)
        if recomputed is not None and abs(value - recomputed) > RECOMPUTE_TOLERANCE:
            yield (
                f"{where}: {measure} is published as {value}, but {numerator} of {denominator} is {recomputed} "
                "rounded half up; the published figure was kept"
            )


def _empty_average_notes(
    measure: str, rows: _RowIdentity, denominators: list[int | None], values: list[Decimal | None]
) -> Iterator[str]:
    """DfE prints an average of 0 (not x) when no plans were counted (data-formats.md §1): say so, keep it."""
    for i, (denominator, value) in enumerate(zip(denominators, values, strict=True)):
        if denominator == 0 and value is not None:
            yield (
                f"Row {rows.numbers[i]}: {rows.name[i]} {rows.period[i]}{_breakdown(rows, i)}: {measure} is published "
                f"as {value} although no plans were counted; read it as no figure"
            )


def _breakdown(rows: _RowIdentity, i: int) -> str:
    topic = rows.topic[i]
    if topic is None or topic.lower().startswith("all"):
        return ""
    return f" ({topic}: {rows.breakdown[i]})"


@dataclass
class _AreaSeen:
    name: str
    latest: str
    region_code: str | None
    nine_char_codes: set[str] = field(default_factory=set)
    periods: set[str] = field(default_factory=set)


def _areas_seen(rows: _RowIdentity) -> list[Area]:
    """Every area in the file, named as in its latest period, with the 9-character codes printed for it."""
    found: dict[tuple[str, str], _AreaSeen] = {}
    columns = (rows.level, rows.code, rows.name, rows.region_code, rows.new_la_code, rows.period)
    for level, code, name, region, nine, period in zip(*columns, strict=True):
        seen = found.get((level, code))
        if seen is None:
            seen = found[level, code] = _AreaSeen(name, period, region)
        elif period > seen.latest:
            seen.name, seen.latest = name, period
        if nine:
            seen.nine_char_codes.add(nine)
        seen.periods.add(period)
    areas = [
        Area(
            code=code,
            name=seen.name,
            level=level,
            region_code=seen.region_code,
            nine_char_codes=tuple(sorted(seen.nine_char_codes)),
            periods=tuple(sorted(seen.periods)),
        )
        for (level, code), seen in found.items()
    ]
    areas.sort(key=lambda area: (LEVELS.index(area.level), area.code))
    return areas


def _or_list(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " or " + items[-1]
