"""Partnership access for views: every partnership page declares which roles may open it.

Partnership blueprints call `protect_partnership_blueprint(bp)`. Before each request it loads the partnership
from the `<slug>` in the URL and the signed-in user's current membership. Someone who is not a member gets a
404 (the partnership's existence is not confirmed); an inspector whose grant has ended gets a 403 saying so.
A view without `@allow(...)` is refused for everyone: forgetting the declaration fails closed.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import Blueprint, Response, abort, current_app, g, request
from flask_login import current_user

from inspect_app import clock
from inspect_app.extensions import db
from inspect_app.services import audit
from inspect_app.services.partnerships import Access, find_membership, get_partnership_by_slug

READERS = ("lead", "contributor", "viewer")
EDITORS = ("lead", "contributor")
LEADS = ("lead",)
EVERYONE = ("lead", "contributor", "viewer", "inspector")


def allow(*roles: str) -> Callable:
    """Declare the roles that may use a partnership view."""

    def decorator(view: Callable) -> Callable:
        view.allowed_roles = frozenset(roles)  # type: ignore[attr-defined]

        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            return view(*args, **kwargs)

        wrapper.allowed_roles = frozenset(roles)  # type: ignore[attr-defined]
        return wrapper

    return decorator


def current_access() -> Access:
    """Return the access loaded for this request (partnership views only)."""
    return g.access


def actor() -> audit.Actor:
    """Return the audit actor for the signed-in user."""
    return audit.Actor.of(current_user if current_user.is_authenticated else None)


def record_inspector_download(response: Response) -> Response:
    """Every file an inspector takes away is in the inspector activity log, whichever page served it."""
    access = g.get("access")
    disposition = response.headers.get("Content-Disposition", "")
    if access is None or not access.is_inspector or response.status_code != 200:
        return response
    if not disposition.startswith("attachment"):
        return response
    audit.record(
        db.session,
        actor(),
        "inspector.downloaded",
        when=clock.now(),
        partnership_id=access.partnership.id,
        object_type="file",
        object_id=disposition.partition("filename=")[2].strip('"')[:80],
        details={"endpoint": request.endpoint, "path": request.path[:200]},
    )
    db.session.commit()
    return response


def load_access() -> Any:
    """Before a partnership page: the member's access, or the sign-in page, 404 (not a member) or 403 (role)."""
    if not current_user.is_authenticated:
        return current_app.login_manager.unauthorized()  # type: ignore[attr-defined]
    partnership = get_partnership_by_slug(db.session, g.partnership_slug or "")  # NotFound -> 404
    membership = find_membership(db.session, partnership.id, current_user.id)
    if membership is None:
        abort(404)
    if not membership.is_current(clock.today()):
        abort(
            403,
            f"Your inspector access to {partnership.name} ended on "
            f"{membership.expires_on:%d %B %Y}. Ask the partnership's lead if you need more time.",
        )
    view = current_app.view_functions.get(request.endpoint or "")
    if membership.role not in getattr(view, "allowed_roles", frozenset()):
        abort(403, "Your role in this partnership does not allow this page.")
    g.access = Access(partnership=partnership, membership=membership)
    if membership.role == "inspector":
        _record_inspector_view(partnership.id)
    return None


def _record_inspector_view(partnership_id: int) -> None:
    """Inspectors' reading is part of the record leads can see (issue 9)."""
    audit.record(
        db.session,
        actor(),
        "inspector.viewed",
        when=clock.now(),
        partnership_id=partnership_id,
        object_type="page",
        object_id=request.path[:80],
        details={"method": request.method, "endpoint": request.endpoint},
    )
    db.session.commit()


def protect_partnership_blueprint(blueprint: Blueprint) -> None:
    """Load the partnership and membership for every request to this blueprint and enforce `@allow`."""

    @blueprint.before_app_request
    def forget_access() -> None:
        # `g` outlives a request when a test (or a CLI call) holds an app context open; never reuse access.
        g.pop("access", None)

    @blueprint.url_value_preprocessor
    def pull_slug(endpoint: str | None, values: dict[str, Any] | None) -> None:
        g.partnership_slug = (values or {}).pop("slug", None)

    @blueprint.url_defaults
    def add_slug(endpoint: str, values: dict[str, Any]) -> None:
        if "slug" not in values and getattr(g, "partnership_slug", None):
            values["slug"] = g.partnership_slug

    blueprint.before_request(load_access)
    blueprint.after_request(record_inspector_download)
