"""Build many records quickly: slotted dataclass instances filled a field at a time, with the collector paused."""

from __future__ import annotations

import gc
from collections import deque
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import fields
from itertools import repeat
from typing import TypeVar

import numpy as np

Record = TypeVar("Record")


def records_of(cls: type[Record], values: Mapping[str, np.ndarray | None], keep: np.ndarray) -> list[Record]:
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
