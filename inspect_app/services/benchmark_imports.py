"""Storing DfE's published statistics and the statistical neighbours: all or nothing, revisions kept apart.

A file is read by importers/benchmarks.py (recognised from its header) and stored under its release: one row in
`releases` per release and file kind ("2025", requests). Importing the same file for the same release again
changes nothing; a corrected file for the same release replaces that release's figures; a later release adds
its own rows beside the earlier ones, and services/benchmarks.py takes each figure from the newest release that
has it. Figures are written with one Core executemany, not one ORM object per row, so a 13,000-row file stays
within a few times what pandas.read_csv takes (bench/bench_benchmark_import.py).
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import bindparam, delete, func, insert, select, update
from sqlalchemy.orm import Session

from inspect_app.domain.areas import LOCAL_AUTHORITY, Area, Crosswalk, find_local_authority
from inspect_app.domain.benchmarks import default_release_label
from inspect_app.domain.errors import NotFound, ValidationFailed
from inspect_app.importers.benchmarks import BenchmarkImportResult, read_benchmarks
from inspect_app.importers.common import FileRejected, RowError
from inspect_app.importers.neighbours import read_neighbours
from inspect_app.models import AreaCode, BenchmarkArea, BenchmarkRelease, PublishedFigure, StatisticalNeighbour
from inspect_app.services import audit

ADDED = "added"
REPLACED = "replaced"
UNCHANGED = "unchanged"
MAX_STORED_NOTES = 200
MAX_RELEASE_LABEL = 60


class RowsRejected(ValidationFailed):
    """A file with bad rows: nothing was stored; `errors` lists every bad cell."""

    def __init__(self, file_name: str, errors: list[RowError]):
        self.file_name = file_name
        self.errors = errors
        super().__init__([f"{file_name}: {error}" for error in errors])


@dataclass(frozen=True)
class BenchmarkImportOutcome:
    """What an import did: the release row, whether it was added, replaced or unchanged, and what it held."""

    release: BenchmarkRelease
    status: str
    figures: int
    areas: int
    measures: list[str]
    periods: list[str]
    notes: list[str] = field(default_factory=list)

    def describe(self) -> str:
        return (
            f"{self.release.file_name}: {self.status} as the {self.release.label} release ({self.release.file_kind}): "
            f"{self.figures} figures for {self.areas} areas, {len(self.measures)} measures, "
            f"{_span(self.periods)}"
        )


def file_sha256(data: bytes) -> str:
    """Return the sha256 of a file's bytes (a re-import of identical bytes changes nothing)."""
    return hashlib.sha256(data).hexdigest()


def import_benchmark_file(
    session: Session,
    actor: audit.Actor,
    data: bytes,
    *,
    file_name: str,
    release: str | None,
    when: datetime,
) -> BenchmarkImportOutcome:
    """Validate a DfE EHCP statistics file and store its figures under its release (all or nothing).

    Raises FileRejected for a file that is not one of the publication's files, RowsRejected when any cell is
    wrong, ValidationFailed for an unusable release label.
    """
    label = _clean_label(release)
    try:
        result = read_benchmarks(data, release=label)
    except FileRejected as error:
        raise FileRejected([f"{file_name}: {error.messages[0]}", *error.messages[1:]]) from None
    if result.errors:
        raise RowsRejected(file_name, result.errors)
    notes = list(result.notes)
    periods = sorted({figure.period for figure in result.rows})
    if label is None:
        label = default_release_label(periods)
        if label is None:
            raise ValidationFailed(f"{file_name}: the file has no figures, so there is nothing to import")
        notes = [note for note in notes if not note.startswith("No release was given")]
        notes.insert(
            0, f"No release was named, so this is stored as the {label} release: the year after its latest period"
        )

    sha = file_sha256(data)
    measures = sorted({figure.measure for figure in result.rows})
    row = session.scalars(
        select(BenchmarkRelease).where(BenchmarkRelease.label == label, BenchmarkRelease.file_kind == result.file_kind)
    ).first()
    if row is not None and row.file_sha256 == sha:
        return BenchmarkImportOutcome(row, UNCHANGED, row.figure_count, len(result.areas), measures, periods, notes)

    notes.extend(_store_areas(session, result.areas))
    if row is None:
        status = ADDED
        row = BenchmarkRelease(label=label, file_kind=result.file_kind, summary={})
        session.add(row)
    else:
        status = REPLACED
        session.execute(
            delete(PublishedFigure)
            .where(PublishedFigure.release_id == row.id)
            .execution_options(synchronize_session=False)
        )
    row.generation, row.file_name, row.file_sha256 = result.generation, file_name[:255], sha
    row.imported_at, row.imported_by, row.figure_count = when, actor.label, len(result.rows)
    row.summary = {
        "areas": dict(Counter(area.level for area in result.areas)),
        "measures": measures,
        "periods": periods,
        "notes": notes[:MAX_STORED_NOTES],
        "notes_total": len(notes),
    }
    session.flush()
    _insert_figures(session, row.id, result)
    audit.record(
        session,
        actor,
        f"benchmarks.{status}",
        when=when,
        object_type="release",
        object_id=row.id,
        details={
            "release": label,
            "file_kind": result.file_kind,
            "file_name": row.file_name,
            "sha256": sha,
            "figures": len(result.rows),
        },
    )
    return BenchmarkImportOutcome(row, status, len(result.rows), len(result.areas), measures, periods, notes)


def _clean_label(release: str | None) -> str | None:
    if release is None or not release.strip():
        return None
    label = " ".join(release.split())
    if len(label) > MAX_RELEASE_LABEL:
        raise ValidationFailed(f"The release label must be {MAX_RELEASE_LABEL} characters or fewer")
    return label


FIGURE_COLUMNS = (
    "release_id",
    "measure",
    "area_code",
    "period",
    "time_identifier",
    "breakdown_topic",
    "breakdown",
    "is_total",
    "numerator",
    "denominator",
    "value_text",
    "symbol",
    "new_la_code",
)


def _insert_figures(session: Session, release_id: int, result: BenchmarkImportResult) -> None:
    """Write every figure with one executemany of plain tuples: most of an import's time is spent here."""
    rows = [
        (
            release_id,
            f.measure,
            f.area_code,
            f.period,
            f.time_identifier,
            f.breakdown_topic or "",
            f.breakdown or "",
            f.breakdown_topic is None or f.breakdown_topic.strip().lower().startswith("all"),
            f.numerator,
            f.denominator,
            None if f.value is None else str(f.value),
            f.symbol,
            f.new_la_code,
        )
        for f in result.rows
    ]
    bulk_insert(session, PublishedFigure.__tablename__, FIGURE_COLUMNS, rows)


def bulk_insert(session: Session, table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
    """INSERT many rows in the session's transaction the fastest way each database offers.

    PostgreSQL: COPY (psycopg's copy protocol), a row at a time through `write_row`, which psycopg's binary
    build formats in C: measured on requests.csv it is twice as fast as joining the COPY text in Python (bench/
    RESULTS.md, issue 6). SQLite: the driver's own executemany. SQLAlchemy's Core executemany builds a parameter
    dictionary per row, which for a few thousand rows costs as much again as reading the file; the values here
    are plain str, int, bool and None, which both drivers take as they are.
    """
    if not rows:
        return
    connection = session.connection()
    quote = connection.dialect.identifier_preparer.quote
    names = ", ".join(quote(c) for c in columns)
    if connection.dialect.name == "postgresql":
        driver_connection = connection.connection.driver_connection
        with driver_connection.cursor() as cursor, cursor.copy(f"COPY {quote(table)} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    marker = "?" if connection.dialect.paramstyle == "qmark" else "%s"
    connection.exec_driver_sql(
        f"INSERT INTO {quote(table)} ({names}) VALUES ({', '.join([marker] * len(columns))})", rows
    )


AREA_COLUMNS = ("code", "name", "level", "region_code", "latest_period")


def _store_areas(session: Session, seen: list[Area]) -> list[str]:
    """Add new areas, rename areas from a later period, and record every 9-character code; return conflicts."""
    table = BenchmarkArea.__table__
    stored = {row.code: row for row in session.execute(select(*(table.c[c] for c in AREA_COLUMNS)))}
    new_areas: list[tuple] = []
    changed: list[dict] = []
    for area in seen:
        latest = max(area.periods) if area.periods else None
        row = stored.get(area.code)
        if row is None:
            new_areas.append((area.code, area.name, area.level, area.region_code, latest))
        elif latest is not None and (row.latest_period is None or latest >= row.latest_period):
            wanted = (area.name, area.region_code or row.region_code, latest)
            if wanted != (row.name, row.region_code, row.latest_period):
                changed.append(
                    dict(zip(("b_code", "b_name", "b_region", "b_latest"), (area.code, *wanted), strict=True))
                )
    bulk_insert(session, BenchmarkArea.__tablename__, AREA_COLUMNS, new_areas)
    if changed:
        session.connection().execute(
            update(table)
            .where(table.c.code == bindparam("b_code"))
            .values(name=bindparam("b_name"), region_code=bindparam("b_region"), latest_period=bindparam("b_latest")),
            changed,
        )
    return _store_codes(session, seen)


def _store_codes(session: Session, seen: list[Area]) -> list[str]:
    crosswalk = Crosswalk()
    for code, area_code in session.execute(select(AreaCode.code, AreaCode.area_code)):
        crosswalk.add(area_code, code)
    known = set(crosswalk.la_by_code)
    new_codes: list[tuple] = []
    for area in seen:
        if area.level != LOCAL_AUTHORITY:
            continue
        authority = find_local_authority(area.code)
        reference = authority.nine_char_codes if authority and authority.code == area.code else frozenset()
        for code in sorted(set(area.nine_char_codes) | reference):
            if code in known or not crosswalk.add(area.code, code):
                continue
            known.add(code)
            new_codes.append(
                {
                    "area_code": area.code,
                    "code": code,
                    "source": "file" if code in area.nine_char_codes else "reference",
                }
            )
    if new_codes:
        session.connection().execute(insert(AreaCode.__table__), new_codes)
    return crosswalk.conflicts


def list_releases(session: Session) -> list[BenchmarkRelease]:
    """Return every imported release file, newest import first."""
    return list(
        session.scalars(select(BenchmarkRelease).order_by(BenchmarkRelease.imported_at.desc(), BenchmarkRelease.id))
    )


def get_release(session: Session, release_id: int) -> BenchmarkRelease:
    """Return one imported release file or raise NotFound."""
    row = session.get(BenchmarkRelease, release_id)
    if row is None:
        raise NotFound(f"Release {release_id} not found")
    return row


@dataclass(frozen=True)
class NeighbourImportOutcome:
    status: str  # added | replaced | unchanged
    model: str
    authorities: int
    neighbours: int
    notes: list[str] = field(default_factory=list)

    def describe(self) -> str:
        return (
            f"Statistical neighbours ({self.model}): {self.status}: {self.neighbours} neighbours "
            f"for {self.authorities} local authorities"
        )


def import_neighbours_file(
    session: Session,
    actor: audit.Actor,
    data: bytes,
    *,
    file_name: str,
    model: str | None = None,
    when: datetime,
) -> NeighbourImportOutcome:
    """Replace the statistical neighbours with those of a file, every code resolved to DfE's (all or nothing)."""
    try:
        result = read_neighbours(data)
    except FileRejected as error:
        raise FileRejected([f"{file_name}: {error.messages[0]}", *error.messages[1:]]) from None
    if result.errors:
        raise RowsRejected(file_name, result.errors)
    if not result.rows:
        raise ValidationFailed(f"{file_name}: the file lists no statistical neighbours")
    label = " ".join((model or file_name).split())[:120]
    sha = file_sha256(data)
    stored = session.execute(
        select(func.count(), func.min(StatisticalNeighbour.file_sha256), func.min(StatisticalNeighbour.model))
    ).one()
    total = sum(len(found.neighbours) for found in result.rows)
    if stored[0] == total and stored[1] == sha and stored[2] == label:
        return NeighbourImportOutcome(UNCHANGED, label, len(result.rows), total, result.notes)
    status = REPLACED if stored[0] else ADDED
    session.execute(delete(StatisticalNeighbour).execution_options(synchronize_session=False))
    rows = [
        {
            "la_code": found.la_code,
            "rank": neighbour.rank,
            "neighbour_code": neighbour.la_code,
            "neighbour_name": neighbour.name[:200],
            "proximity": neighbour.proximity,
            "source_code": neighbour.source_code[:9],
            "model": label,
            "file_sha256": sha,
            "imported_at": when,
            "imported_by": actor.label,
        }
        for found in result.rows
        for neighbour in found.neighbours
    ]
    session.connection().execute(insert(StatisticalNeighbour.__table__), rows)
    audit.record(
        session,
        actor,
        f"neighbours.{status}",
        when=when,
        object_type="statistical_neighbours",
        object_id=label[:80],
        details={"file_name": file_name, "sha256": sha, "authorities": len(result.rows), "neighbours": total},
    )
    return NeighbourImportOutcome(status, label, len(result.rows), total, result.notes)


@dataclass(frozen=True)
class NeighbourModel:
    model: str
    authorities: int
    neighbours: int
    imported_at: datetime | None
    imported_by: str | None


def neighbour_model(session: Session) -> NeighbourModel | None:
    """Describe the statistical neighbours held (None when none are imported)."""
    count, authorities, model, imported_at, imported_by = session.execute(
        select(
            func.count(),
            func.count(func.distinct(StatisticalNeighbour.la_code)),
            func.min(StatisticalNeighbour.model),
            func.max(StatisticalNeighbour.imported_at),
            func.min(StatisticalNeighbour.imported_by),
        )
    ).one()
    if not count:
        return None
    return NeighbourModel(model, authorities, count, imported_at, imported_by)


def _span(periods: list[str]) -> str:
    if not periods:
        return "no periods"
    return periods[0] if len(periods) == 1 else f"{periods[0]} to {periods[-1]}"
