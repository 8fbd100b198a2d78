"""Store imported cases and reviews fast: compare with what is stored, then write in bulk.

An import of 200,000 cases must take no more than a few times what reading the file takes (bench/RESULTS.md),
so rows are never ORM objects here:

1. `render` turns the records into one list of text cells per field, each distinct value converted once,
   and gives every row a fingerprint (a hash of its cells).
2. `plan` reads back only the key, id and fingerprint of the partnership's stored rows (one SELECT) and sorts
   each file row into added, changed (fingerprint differs) or unchanged.
3. `apply` writes in the session's transaction: on PostgreSQL new rows by COPY and changed rows by COPY into
   a temporary table and one UPDATE … FROM; on SQLite with the driver's executemany. The caller commits once,
   so an import is all-or-nothing.

Stored rows the file does not mention are kept (an extract may cover fewer years than the last one), and the
plan counts them so the summary can say so.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields
from datetime import date, datetime
from operator import attrgetter
from typing import Any

from sqlalchemy import Table
from sqlalchemy.orm import Session

from inspect_app.domain.cases import Case, Review
from inspect_app.models import CaseRecord, ReviewRecord
from inspect_app.services.tenancy import scoped

CASE_FIELDS = tuple(f.name for f in fields(Case))
REVIEW_FIELDS = tuple(f.name for f in fields(Review))
BATCH_ROWS = 20_000  # rows per write; progress is reported after each batch
NULL = "\\N"  # COPY's text format for NULL

Progress = Callable[[int, int], None]  # (rows written so far, rows to write)


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
    """The records as rows of text cells (COPY's text format), with a fingerprint per row."""

    kind: Kind
    lines: list[str]  # each row's cells joined by tabs
    fingerprints: list[str]
    keys: list[Any]
    values: list[list[Any]]  # the records' own values per field (SQLite writes these)

    def __len__(self) -> int:
        return len(self.fingerprints)


@dataclass
class Plan:
    """What storing the rendered rows would do."""

    rendered: Rendered
    inserts: list[int]  # positions of new rows
    updates: list[tuple[int, int]]  # (stored row id, position) of changed rows
    unchanged: int
    not_in_file: int  # stored rows the file does not mention

    @property
    def added(self) -> int:
        return len(self.inserts)

    @property
    def changed(self) -> int:
        return len(self.updates)


def render(kind: Kind, records: Sequence[Case] | Sequence[Review]) -> Rendered:
    """Turn records into text cells per field and a fingerprint per row."""
    values = [list(map(attrgetter(name), records)) for name in kind.fields]
    cells = [_text_cells(column) for column in values]
    lines = list(map("\t".join, zip(*cells, strict=True))) if cells else []
    blake2b = hashlib.blake2b
    fingerprints = [blake2b(line.encode(), digest_size=8).hexdigest() for line in lines]
    positions = [kind.fields.index(name) for name in kind.key_fields]
    if len(positions) == 1:
        keys: list[Any] = values[positions[0]]
    else:
        keys = list(zip(*(values[p] for p in positions), strict=True))
    return Rendered(kind, lines, fingerprints, keys, values)


def plan(session: Session, partnership_id: int, rendered: Rendered) -> Plan:
    """Compare rendered rows with the partnership's stored rows by key and fingerprint."""
    kind = rendered.kind
    columns = [kind.table.c[name] for name in kind.key_fields]
    query = scoped(kind.model, partnership_id).with_only_columns(*columns, kind.table.c.id, kind.table.c.fingerprint)
    if len(columns) == 1:
        stored = {row[0]: (row[1], row[2]) for row in session.execute(query)}
    else:
        stored = {tuple(row[:-2]): (row[-2], row[-1]) for row in session.execute(query)}
    inserts: list[int] = []
    updates: list[tuple[int, int]] = []
    unchanged = 0
    found = stored.get
    for position, (key, fingerprint) in enumerate(zip(rendered.keys, rendered.fingerprints, strict=True)):
        existing = found(key)
        if existing is None:
            inserts.append(position)
        elif existing[1] != fingerprint:
            updates.append((existing[0], position))
        else:
            unchanged += 1
    not_in_file = len(stored) - len(updates) - unchanged
    return Plan(rendered, inserts, updates, unchanged, not_in_file)


def apply(
    session: Session,
    partnership_id: int,
    planned: Plan,
    *,
    import_id: int | None,
    when: datetime,
    progress: Progress | None = None,
) -> None:
    """Write the planned inserts and updates in the session's transaction (the caller commits)."""
    total = planned.added + planned.changed
    writer = _PostgresWriter if session.connection().dialect.name == "postgresql" else _DriverWriter
    target = writer(session, planned.rendered, partnership_id, import_id, when)
    done = 0
    for start in range(0, planned.added, BATCH_ROWS):
        batch = planned.inserts[start : start + BATCH_ROWS]
        target.insert(batch)
        done += len(batch)
        if progress:
            progress(done, total)
    for start in range(0, planned.changed, BATCH_ROWS):
        batch = planned.updates[start : start + BATCH_ROWS]
        target.update(batch)
        done += len(batch)
        if progress:
            progress(done, total)


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


class _Writer:
    """Common parts of the two ways of writing: the stored columns and the timestamp."""

    def __init__(
        self, session: Session, rendered: Rendered, partnership_id: int, import_id: int | None, when: datetime
    ):
        self.session = session
        self.rendered = rendered
        self.kind = rendered.kind
        self.partnership_id = partnership_id
        self.import_id = import_id
        self.when = when

    def insert(self, positions: list[int]) -> None:
        raise NotImplementedError

    def update(self, pairs: list[tuple[int, int]]) -> None:
        raise NotImplementedError


class _PostgresWriter(_Writer):
    """COPY in text format: the rows go to the server as one stream, parsed there in C."""

    def insert(self, positions: list[int]) -> None:
        columns = ("partnership_id", *self.kind.fields, "fingerprint", "created_at", "updated_at", "import_id")
        stamp = self.when.isoformat(sep=" ")
        prefix = f"{self.partnership_id}\t"
        suffix = f"\t{stamp}\t{stamp}\t{self._import_cell}\n"
        rows, fingerprints, tab = self.rendered.lines, self.rendered.fingerprints, "\t"
        self._copy(
            self.kind.table.name, columns, [prefix + rows[p] + tab + fingerprints[p] + suffix for p in positions]
        )

    def update(self, pairs: list[tuple[int, int]]) -> None:
        table = self.kind.table.name
        connection = self.session.connection()
        quote = connection.dialect.identifier_preparer.quote
        staging = f"staging_{table}"
        updated = (*self.kind.fields, "fingerprint", "updated_at", "import_id")
        names = ", ".join(quote(name) for name in ("id", *updated))
        connection.exec_driver_sql(
            f"CREATE TEMPORARY TABLE IF NOT EXISTS {staging} ON COMMIT DROP AS "
            f"SELECT {names} FROM {quote(table)} WITH NO DATA"
        )
        connection.exec_driver_sql(f"TRUNCATE {staging}")
        suffix = f"\t{self.when.isoformat(sep=' ')}\t{self._import_cell}\n"
        rows, fingerprints, tab = self.rendered.lines, self.rendered.fingerprints, "\t"
        self._copy(
            staging, ("id", *updated), [f"{row_id}{tab}{rows[p]}{tab}{fingerprints[p]}{suffix}" for row_id, p in pairs]
        )
        assignments = ", ".join(f"{quote(name)} = s.{quote(name)}" for name in updated)
        connection.exec_driver_sql(
            f"UPDATE {quote(table)} AS t SET {assignments} FROM {staging} AS s WHERE t.id = s.id"
        )

    @property
    def _import_cell(self) -> str:
        return NULL if self.import_id is None else str(self.import_id)

    def _copy(self, table: str, columns: tuple[str, ...], lines: list[str]) -> None:
        connection = self.session.connection()
        quote = connection.dialect.identifier_preparer.quote
        statement = f"COPY {quote(table)} ({', '.join(quote(c) for c in columns)}) FROM STDIN"
        with connection.connection.driver_connection.cursor() as cursor, cursor.copy(statement) as copy:
            copy.write("".join(lines).encode())


class _DriverWriter(_Writer):
    """Any other database (SQLite): the driver's own executemany with plain values as SQLAlchemy stores them."""

    def _columns(self) -> list[list[Any]]:
        """The records' values per field, as SQLite stores SQLAlchemy's types (dates as ISO text, booleans 0/1)."""
        if not hasattr(self, "_stored"):
            self._stored = [_storable(column) for column in self.rendered.values]
        return self._stored

    def insert(self, positions: list[int]) -> None:
        connection = self.session.connection()
        quote = connection.dialect.identifier_preparer.quote
        columns = ("partnership_id", *self.kind.fields, "fingerprint", "created_at", "updated_at", "import_id")
        stamp = _sqlite_timestamp(self.when)
        values, fingerprints = self._columns(), self.rendered.fingerprints
        rows = [
            (self.partnership_id, *(column[p] for column in values), fingerprints[p], stamp, stamp, self.import_id)
            for p in positions
        ]
        marks = ", ".join("?" * len(columns))
        connection.exec_driver_sql(
            f"INSERT INTO {quote(self.kind.table.name)} ({', '.join(quote(c) for c in columns)}) VALUES ({marks})",
            rows,
        )

    def update(self, pairs: list[tuple[int, int]]) -> None:
        connection = self.session.connection()
        quote = connection.dialect.identifier_preparer.quote
        updated = (*self.kind.fields, "fingerprint", "updated_at", "import_id")
        stamp = _sqlite_timestamp(self.when)
        values, fingerprints = self._columns(), self.rendered.fingerprints
        rows = [
            (*(column[p] for column in values), fingerprints[p], stamp, self.import_id, row_id) for row_id, p in pairs
        ]
        assignments = ", ".join(f"{quote(name)} = ?" for name in updated)
        connection.exec_driver_sql(f"UPDATE {quote(self.kind.table.name)} SET {assignments} WHERE id = ?", rows)


def _storable(column: list[Any]) -> list[Any]:
    converted = {value: _stored_value(value) for value in set(column)}
    return list(map(converted.__getitem__, column))


def _stored_value(value: object) -> object:
    if value is True or value is False:
        return int(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def _sqlite_timestamp(when: datetime) -> str:
    """A timestamp as SQLAlchemy's SQLite DateTime type stores it."""
    return when.strftime("%Y-%m-%d %H:%M:%S.%f")
