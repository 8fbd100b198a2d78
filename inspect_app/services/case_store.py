"""Store imported cases and reviews fast: compare with what is stored, then write in bulk, in one transaction.

An import of 200,000 cases must take no more than a few times what reading the file takes (bench/RESULTS.md),
so rows are never ORM objects here:

1. One SELECT reads back the key, id and fingerprint of the partnership's stored rows (the fingerprint is a
   hash of a row's stored values, so a re-import compares 200,000 rows without reading all their values),
   through the driver's own cursor as columns, not as SQLAlchemy rows.
2. The records are taken in batches: each batch is rendered as text cells (each distinct value converted
   once), fingerprinted, and sorted into added, changed (fingerprint differs) or unchanged rows; the lookups
   and comparisons run for the whole batch through map(), and only rows that differ are visited one by one.
3. Added rows are written as they are sorted: on PostgreSQL through one COPY that stays open across the
   batches, so the server stores one batch while the next is rendered; elsewhere (SQLite) as tuples zipped
   from the batch's columns straight into the driver's executemany. Changed rows follow: on PostgreSQL by
   COPY into a temporary table and one UPDATE … FROM; on SQLite by executemany of UPDATE … WHERE id = ?.

The cyclic garbage collector is paused throughout (nothing made here holds a cycle; with it running, the
hundreds of thousands of tuples and lists made it walk the heap again and again).

On PostgreSQL the server's own work bounds a first import: COPY of 200,000 rows into `cases` takes ~1.5 s on
the 2-CPU machine even with no client at all (server-side COPY from a file), of which ~0.6 s is the foreign
key check on partnership_id (a trigger per row) and ~0.4 s the unique index on (partnership_id, case_ref);
parsing the text is ~0.2 s (binary COPY would save only that). See bench/RESULTS.md.

The caller commits once, so an import is all-or-nothing. Stored rows the file does not mention are kept (an
extract may cover fewer years than the last one), and counted so the summary can say so.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, fields
from datetime import date, datetime
from functools import partial
from itertools import compress, repeat
from operator import attrgetter, eq, methodcaller, not_
from typing import Any

from sqlalchemy import Select, Table
from sqlalchemy.orm import Session

from inspect_app.domain.cases import Case, Review
from inspect_app.importers.records import garbage_collector_paused
from inspect_app.models import CaseRecord, ReviewRecord
from inspect_app.services.tenancy import scoped

CASE_FIELDS = tuple(f.name for f in fields(Case))
REVIEW_FIELDS = tuple(f.name for f in fields(Review))
BATCH_ROWS = 20_000  # rows rendered and written at a time; progress is reported after each batch
NULL = "\\N"  # COPY's text format for NULL
TAB = "\t"

Progress = Callable[[int, int], None]  # (rows compared and written so far, rows in the file)


@dataclass(frozen=True)
class Kind:
    """How one kind of record is stored: its model, its fields in column order, and its key."""

    name: str
    model: type
    fields: tuple[str, ...]
    key_fields: tuple[str, ...]

    @property
    def table(self) -> Table:
        return self.model.__table__  # type: ignore[attr-defined,no-any-return]


CASES = Kind("cases", CaseRecord, CASE_FIELDS, ("case_ref",))
REVIEWS = Kind("reviews", ReviewRecord, REVIEW_FIELDS, ("case_ref", "meeting_date"))
KINDS = {kind.name: kind for kind in (CASES, REVIEWS)}


@dataclass
class Rendered:
    """A batch of records as rows of text cells (COPY's text format), with a fingerprint per row."""

    lines: list[str]  # each row's cells joined by tabs
    fingerprints: list[str]
    keys: list[Any]
    values: list[list[Any]]  # the records' own values, one list per field (SQLite writes these)


@dataclass
class StoreResult:
    """What storing the records did (or, in a dry run, would do)."""

    added: int = 0
    changed: int = 0
    unchanged: int = 0
    not_in_file: int = 0  # stored rows the file does not mention


def store(
    session: Session,
    partnership_id: int,
    kind: Kind,
    records: Sequence[Case] | Sequence[Review],
    *,
    import_id: int | None,
    when: datetime,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> StoreResult:
    """Compare the records with the partnership's stored rows and, unless a dry run, write the differences."""
    with garbage_collector_paused():  # every object made here is free of cycles
        return _store(session, partnership_id, kind, records, import_id, when, dry_run, progress)


def _store(
    session: Session,
    partnership_id: int,
    kind: Kind,
    records: Sequence[Case] | Sequence[Review],
    import_id: int | None,
    when: datetime,
    dry_run: bool,
    progress: Progress | None,
) -> StoreResult:
    stored = stored_fingerprints(session, partnership_id, kind)
    result = StoreResult()
    changed: list[tuple[Rendered, list[tuple[int, int]]]] = []
    writer = None if dry_run else _writer(session, kind, partnership_id, import_id, when)
    with writer.inserting() if writer else _nothing() as insert:
        for start in range(0, len(records), BATCH_ROWS):
            rendered = render(kind, records[start : start + BATCH_ROWS])
            inserts, updates, unchanged = _sort(rendered, stored)
            result.added, result.changed = result.added + len(inserts), result.changed + len(updates)
            result.unchanged += unchanged
            if updates:
                changed.append((rendered, updates))
            if inserts and insert is not None:
                insert(rendered, inserts)
            if progress:
                progress(min(start + BATCH_ROWS, len(records)), len(records))
    if writer is not None:
        for rendered, updates in changed:
            writer.update(rendered, updates)
    result.not_in_file = len(stored) - result.changed - result.unchanged
    return result


@contextmanager
def _nothing() -> Iterator[None]:
    yield None


@dataclass
class Stored:
    """The partnership's stored rows: key -> id and key -> fingerprint."""

    ids: dict[Any, int]
    fingerprints: dict[Any, str]

    def __len__(self) -> int:
        return len(self.ids)


def stored_fingerprints(session: Session, partnership_id: int, kind: Kind) -> Stored:
    """Return the partnership's stored rows' ids and fingerprints by key."""
    table = kind.table
    keys = [table.c[name] for name in kind.key_fields]
    query = scoped(kind.model, partnership_id).with_only_columns(*keys, table.c.id, table.c.fingerprint)
    columns = fetch_columns(session, query)
    width = len(keys)
    with garbage_collector_paused():
        key_column = columns[0] if width == 1 else list(zip(*columns[:width], strict=True))
        return Stored(
            dict(zip(key_column, columns[width], strict=True)), dict(zip(key_column, columns[width + 1], strict=True))
        )


def fetch_columns(session: Session, query: Select[Any]) -> list[Sequence[Any]]:
    """Run a SELECT of plain columns and return its result as one sequence per column, through the driver.

    Reading 200,000 rows through SQLAlchemy's result objects took twice as long as the driver's own tuples
    on PostgreSQL, and four times as long on SQLite. psycopg's values (dates, booleans) need no conversion;
    SQLite's driver returns dates as text and booleans as integers, so there each distinct value of such a
    column is converted once by SQLAlchemy's own converter for the column's type (the columns hold scalars).
    The cyclic garbage collector is paused while the tuples are made: it would walk them again and again.
    """
    connection = session.connection()
    dialect = connection.dialect
    result = connection.execute(query)
    try:
        with garbage_collector_paused():
            rows = result.cursor.fetchall()
            columns: list[Sequence[Any]] = (
                list(zip(*rows, strict=True)) if rows else [() for _ in query.selected_columns]
            )
            del rows
            for position, column in enumerate(query.selected_columns):
                convert = column.type.dialect_impl(dialect).result_processor(dialect, None)
                if convert is not None and columns[position]:
                    converted = {value: convert(value) for value in set(columns[position])}
                    columns[position] = list(map(converted.__getitem__, columns[position]))
    finally:
        result.close()
    return columns


def render(kind: Kind, records: Sequence[Case] | Sequence[Review]) -> Rendered:
    """Turn records into rows of text cells and a fingerprint per row."""
    values = [list(map(attrgetter(name), records)) for name in kind.fields]
    cells = [_text_cells(column) for column in values]
    lines = list(map(TAB.join, zip(*cells, strict=True))) if cells else []
    fingerprints = list(map(_HEXDIGEST, map(_BLAKE2B, map(str.encode, lines))))
    positions = [kind.fields.index(name) for name in kind.key_fields]
    if len(positions) == 1:
        keys: list[Any] = values[positions[0]]
    else:
        keys = list(zip(*(values[p] for p in positions), strict=True))
    return Rendered(lines, fingerprints, keys, values)


_BLAKE2B = partial(hashlib.blake2b, digest_size=8)
_HEXDIGEST = methodcaller("hexdigest")


def _sort(rendered: Rendered, stored: Stored) -> tuple[list[int], list[tuple[int, int]], int]:
    """Positions of new rows, (stored id, position) of changed rows, and how many are unchanged.

    The fingerprints are looked up and compared for the whole batch by map() (in C); only the rows that are
    not unchanged are visited one at a time.
    """
    keys, count = rendered.keys, len(rendered.keys)
    if not stored.fingerprints:
        return list(range(count)), [], 0
    olds = list(map(stored.fingerprints.get, keys))
    same = list(map(eq, olds, rendered.fingerprints))
    unchanged = same.count(True)
    inserts: list[int] = []
    updates: list[tuple[int, int]] = []
    if unchanged < count:
        ids = stored.ids
        for position in compress(range(count), map(not_, same)):
            if olds[position] is None:
                inserts.append(position)
            else:
                updates.append((ids[keys[position]], position))
    return inserts, updates, unchanged


def bulk_insert(session: Session, table: str, columns: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
    """INSERT plain tuples in the session's transaction: COPY on PostgreSQL, the driver's executemany elsewhere."""
    if not rows:
        return
    connection = session.connection()
    quote = connection.dialect.identifier_preparer.quote
    names = ", ".join(quote(name) for name in columns)
    if connection.dialect.name == "postgresql":
        statement = f"COPY {quote(table)} ({names}) FROM STDIN"
        with connection.connection.driver_connection.cursor() as cursor, cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row(row)
        return
    marks = ", ".join("?" * len(columns))
    connection.exec_driver_sql(f"INSERT INTO {quote(table)} ({names}) VALUES ({marks})", rows)


# Rendering -----------------------------------------------------------------------------------------------------


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _cell(value: object) -> str:
    if value is None:
        return NULL
    if value is True or value is False:
        return "t" if value else "f"
    if isinstance(value, str):
        return _escape(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _text_cells(column: list[Any]) -> list[str]:
    """Text cells of one column, converting each distinct value once (most columns repeat a few values).

    Keyed by value: a field holds one type (and None), so True and 1, equal as keys, never meet in one column.
    """
    if column and type(column[0]) is str and None not in column:
        joined = "".join(column)
        if not any(special in joined for special in _SPECIALS):
            return column  # every cell is already its own text (case references)
    converted = {value: _cell(value) for value in set(column)}
    return list(map(converted.__getitem__, column))


_SPECIALS = ("\\", "\t", "\n", "\r")


# Writing -------------------------------------------------------------------------------------------------------

Insert = Callable[[Rendered, list[int]], None]


def _writer(session: Session, kind: Kind, partnership_id: int, import_id: int | None, when: datetime) -> _Writer:
    dialect = session.connection().dialect.name
    writer = _PostgresWriter if dialect == "postgresql" else _DriverWriter
    return writer(session, kind, partnership_id, import_id, when)


class _Writer:
    """Common parts of the two ways of writing."""

    def __init__(self, session: Session, kind: Kind, partnership_id: int, import_id: int | None, when: datetime):
        self.session = session
        self.kind = kind
        self.partnership_id = partnership_id
        self.import_id = import_id
        self.when = when
        self.inserted = ("partnership_id", *kind.fields, "fingerprint", "created_at", "updated_at", "import_id")
        self.updated = (*kind.fields, "fingerprint", "updated_at", "import_id")

    def quote(self, name: str) -> str:
        return self.session.connection().dialect.identifier_preparer.quote(name)

    def names(self, columns: Sequence[str]) -> str:
        return ", ".join(self.quote(name) for name in columns)

    def inserting(self) -> Any:
        """A context manager giving a function that inserts rows of a rendered batch."""
        raise NotImplementedError

    def update(self, rendered: Rendered, pairs: list[tuple[int, int]]) -> None:
        raise NotImplementedError


class _PostgresWriter(_Writer):
    """COPY in text format: rows stream to the server, which parses and stores them while Python goes on."""

    @contextmanager
    def inserting(self) -> Iterator[Insert]:
        stamp = self.when.isoformat(sep=" ")
        prefix = f"{self.partnership_id}{TAB}"
        suffix = f"{TAB}{stamp}{TAB}{stamp}{TAB}{self._import_cell}\n"
        with self._copy(self.kind.table.name, self.inserted) as copy:

            def insert(rendered: Rendered, positions: list[int]) -> None:
                rows, fingerprints = rendered.lines, rendered.fingerprints
                if len(positions) == len(rows):  # every row of the batch (a first import)
                    text = [
                        prefix + row + TAB + fingerprint + suffix
                        for row, fingerprint in zip(rows, fingerprints, strict=False)
                    ]
                else:
                    text = [prefix + rows[p] + TAB + fingerprints[p] + suffix for p in positions]
                copy.write("".join(text).encode())

            yield insert

    def update(self, rendered: Rendered, pairs: list[tuple[int, int]]) -> None:
        table = self.kind.table.name
        connection = self.session.connection()
        staging = f"staging_{table}"
        connection.exec_driver_sql(
            f"CREATE TEMPORARY TABLE IF NOT EXISTS {staging} ON COMMIT DROP AS "
            f"SELECT {self.names(('id', *self.updated))} FROM {self.quote(table)} WITH NO DATA"
        )
        connection.exec_driver_sql(f"TRUNCATE {staging}")
        suffix = f"{TAB}{self.when.isoformat(sep=' ')}{TAB}{self._import_cell}\n"
        rows, fingerprints = rendered.lines, rendered.fingerprints
        with self._copy(staging, ("id", *self.updated)) as copy:
            copy.write(
                "".join([f"{row_id}{TAB}{rows[p]}{TAB}{fingerprints[p]}{suffix}" for row_id, p in pairs]).encode()
            )
        assignments = ", ".join(f"{self.quote(name)} = s.{self.quote(name)}" for name in self.updated)
        connection.exec_driver_sql(
            f"UPDATE {self.quote(table)} AS t SET {assignments} FROM {staging} AS s WHERE t.id = s.id"
        )

    @property
    def _import_cell(self) -> str:
        return NULL if self.import_id is None else str(self.import_id)

    @contextmanager
    def _copy(self, table: str, columns: Sequence[str]) -> Iterator[Any]:
        driver = self.session.connection().connection.driver_connection
        statement = f"COPY {self.quote(table)} ({self.names(columns)}) FROM STDIN"
        with driver.cursor() as cursor, cursor.copy(statement) as copy:
            yield copy


class _DriverWriter(_Writer):
    """Any other database (SQLite): the driver's own executemany with values as SQLAlchemy stores them.

    The rows are tuples zipped from the batch's columns (each distinct value converted once), handed to the
    driver's cursor as an iterator, so no list of 200,000 tuples is built and SQLAlchemy adds nothing per row.
    """

    @contextmanager
    def inserting(self) -> Iterator[Insert]:
        stamp, import_id, partnership_id = _sqlite_timestamp(self.when), self.import_id, self.partnership_id
        statement = (
            f"INSERT INTO {self.quote(self.kind.table.name)} ({self.names(self.inserted)}) "
            f"VALUES ({', '.join('?' * len(self.inserted))})"
        )

        def insert(rendered: Rendered, positions: list[int]) -> None:
            columns = _picked([*rendered.values, rendered.fingerprints], positions)
            rows = zip(repeat(partnership_id), *columns, repeat(stamp), repeat(stamp), repeat(import_id))
            self._executemany(statement, rows)

        yield insert

    def update(self, rendered: Rendered, pairs: list[tuple[int, int]]) -> None:
        stamp = _sqlite_timestamp(self.when)
        ids = [row_id for row_id, _ in pairs]
        columns = _picked([*rendered.values, rendered.fingerprints], [position for _, position in pairs])
        rows = zip(*columns, repeat(stamp), repeat(self.import_id), ids)
        assignments = ", ".join(f"{self.quote(name)} = ?" for name in self.updated)
        self._executemany(f"UPDATE {self.quote(self.kind.table.name)} SET {assignments} WHERE id = ?", rows)

    def _executemany(self, statement: str, rows: Iterator[tuple[Any, ...]]) -> None:
        cursor = self.session.connection().connection.driver_connection.cursor()
        try:
            cursor.executemany(statement, rows)
        finally:
            cursor.close()


def _picked(columns: list[list[Any]], positions: list[int]) -> list[list[Any]]:
    """The values at `positions` of each column, as SQLite stores them."""
    if len(positions) != len(columns[0]):
        columns = [[column[p] for p in positions] for column in columns]
    return [_storable(column) for column in columns]


def _storable(column: list[Any]) -> list[Any]:
    distinct = set(column)
    if all(type(value) in _STORED_AS_IS for value in distinct):
        return column
    converted = {value: _stored_value(value) for value in distinct}
    return list(map(converted.__getitem__, column))


_STORED_AS_IS = (str, int, type(None))


def _stored_value(value: object) -> object:
    if value is True or value is False:
        return int(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def _sqlite_timestamp(when: datetime) -> str:
    """A timestamp as SQLAlchemy's SQLite DateTime type stores it."""
    return when.strftime("%Y-%m-%d %H:%M:%S.%f")
