"""One way for a view to save what a form asks for: call the service, then commit, or roll back and say why.

Every page that changes something does the same five steps (STYLE.md §5.10, "views are five-step scripts"):
call one service, and if it refuses the input (`ValidationFailed`) roll the session back and show its messages;
otherwise commit, flash what happened and redirect. `save_form` is those steps, written once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import flash, redirect
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from inspect_app.domain.errors import ValidationFailed
from inspect_app.extensions import db

T = TypeVar("T")

# Where a refusal's messages go: the name of a form field, or a function that places them (e.g. field by field).
ErrorTarget = str | Callable[[ValidationFailed], None]
# What to flash on success: a message, (message, category), or either worked out from the service's result.
Message = str | tuple[str, str]


class Refused(ValidationFailed):
    """A service returned a refusal instead of raising one (an import with row errors): roll back and show it."""

    def __init__(self, messages: list[str] | str, result: object):
        super().__init__(messages)
        self.result = result


def save_form(
    change: Callable[[], T],
    *,
    success: Message | Callable[[T], Message | None] | None,
    then: str | Callable[[T], str],
    form: FlaskForm | None = None,
    errors: ErrorTarget | None = None,
) -> Response | None:
    """Run `change` (a service call that flushes), commit, flash `success` and redirect to `then`.

    When the service refuses (ValidationFailed) the session is rolled back and the messages are put on the `errors`
    field of `form` (or given to `errors` if it is a function, or flashed when there is neither), and None is
    returned so the view shows its page again; an action with no page of its own redirects instead:
    `return save_form(...) or redirect(back)`.
    """
    try:
        result = change()
    except ValidationFailed as error:
        db.session.rollback()
        _show(error, form, errors)
        return None
    db.session.commit()
    message = success(result) if callable(success) else success
    if message:
        text, category = (message, "success") if isinstance(message, str) else message
        flash(text, category)
    return redirect(then(result) if callable(then) else then)


def _show(error: ValidationFailed, form: FlaskForm | None, errors: ErrorTarget | None) -> None:
    if callable(errors):
        errors(error)
    elif form is not None and errors:
        field = getattr(form, errors)
        field.errors = list(field.errors or ()) + list(error.messages)
    else:
        flash(" ".join(m if m.endswith(".") else f"{m}." for m in error.messages), "info")
