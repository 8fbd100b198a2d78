"""The one scoping helper every partnership-owned query goes through.

A row of partnership data is only ever fetched with its partnership's id in the WHERE clause, so a user of
partnership A gets "not found" for B's objects whatever id they try; views turn that into a 404.
"""

from __future__ import annotations

from typing import TypeVar

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from inspect_app.domain.errors import NotFound

M = TypeVar("M")


def scoped(model: type[M], partnership_id: int) -> Select[tuple[M]]:
    """Return a SELECT of `model` limited to one partnership's rows."""
    return select(model).where(model.partnership_id == partnership_id)  # type: ignore[attr-defined]


def get_scoped(session: Session, model: type[M], partnership_id: int, object_id: object) -> M:
    """Return one of the partnership's rows by id, or raise NotFound (also for another partnership's id)."""
    row = session.scalars(scoped(model, partnership_id).where(model.id == object_id)).first()  # type: ignore[attr-defined]
    if row is None:
        raise NotFound(f"{model.__name__} {object_id} not found")
    return row
