"""Helpers shared by the commands: committing, failing with a clear message."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import click

from inspect_app.domain.errors import InspectAppError
from inspect_app.extensions import db


@contextmanager
def unit_of_work() -> Iterator[None]:
    """Commit if the block succeeds; on a user error roll back, print it to stderr and exit 1."""
    try:
        yield
        db.session.commit()
    except InspectAppError as error:
        db.session.rollback()
        messages = getattr(error, "messages", None) or [str(error)]
        for message in messages:
            click.echo(f"Error: {message}", err=True)
        raise SystemExit(1) from None
    except Exception:
        db.session.rollback()
        raise
