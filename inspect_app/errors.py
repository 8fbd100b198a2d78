"""Errors mapped in one place to friendly pages; anything unknown falls back to the 500 page."""

from __future__ import annotations

import logging

from flask import Flask, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from inspect_app.domain.errors import NotFound, PermissionDenied

log = logging.getLogger(__name__)

PAGES = {
    400: "errors/400.html",
    403: "errors/403.html",
    404: "errors/404.html",
    413: "errors/413.html",
    405: "errors/405.html",
    429: "errors/429.html",
    500: "errors/500.html",
}


def _page(code: int, **context: object) -> tuple[str, int]:
    template = PAGES.get(code, PAGES[500] if code >= 500 else PAGES[400])
    return render_template(template, code=code, **context), code


def init_error_handlers(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_expired(error: CSRFError):  # type: ignore[no-untyped-def]
        return render_template("errors/csrf.html", back=request.referrer), 400

    @app.errorhandler(NotFound)
    def not_found(error: NotFound):  # type: ignore[no-untyped-def]
        return _page(404)

    @app.errorhandler(PermissionDenied)
    def forbidden(error: PermissionDenied):  # type: ignore[no-untyped-def]
        return _page(403, reason=str(error))

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):  # type: ignore[no-untyped-def]
        return _page(error.code or 500, reason=error.description if error.code == 403 else None)

    @app.errorhandler(Exception)
    def unexpected(error: Exception):  # type: ignore[no-untyped-def]
        # Logged with its traceback for the engineer on call; the page shows no stack trace or SQL.
        log.exception("Unhandled error on %s %s", request.method, request.path)
        from inspect_app.extensions import db

        db.session.rollback()
        return _page(500)
