from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user

from inspect_app import clock
from inspect_app.extensions import db
from inspect_app.forms.auth import SignInForm, SignOutForm
from inspect_app.services import accounts, audit

bp = Blueprint("auth", __name__)


def safe_next(target: str | None) -> str | None:
    """Return `target` only if it is a path on this site (no scheme, no host, no protocol-relative //)."""
    if not target:
        return None
    target = target.strip().replace("\\", "/")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in():  # type: ignore[no-untyped-def]
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = SignInForm()
    throttled = False
    if form.validate_on_submit():
        result = accounts.authenticate(
            db.session,
            email=form.email.data,
            password=form.password.data,
            remote_addr=request.remote_addr or "unknown",
            when=clock.now(),
            max_failures=current_app.config["LOGIN_MAX_FAILURES"],
            window=current_app.config["LOGIN_THROTTLE_WINDOW"],
        )
        db.session.commit()
        if result.ok:
            session.clear()  # a fresh session on sign-in: no fixation
            login_user(result.user)
            session.permanent = True
            return redirect(safe_next(request.args.get("next")) or url_for("main.index"))
        throttled = result.throttled
        minutes = int(current_app.config["LOGIN_THROTTLE_WINDOW"].total_seconds() // 60)
        message = (
            f"Too many failed attempts. Wait {minutes} minutes, then try again."
            if throttled
            else "Enter a correct email address and password"
        )
        form.email.errors = [message]
    status = 429 if throttled else (200 if not form.errors else 200)
    return render_template("auth/sign-in.html", form=form), status


@bp.route("/sign-out", methods=["POST"])
@login_required
def sign_out():  # type: ignore[no-untyped-def]
    form = SignOutForm()
    if form.validate_on_submit():
        audit.record(
            db.session,
            audit.Actor.of(current_user),
            "user.signed_out",
            when=clock.now(),
            object_type="user",
            object_id=current_user.id,
        )
        db.session.commit()
        logout_user()
        session.clear()
        flash("You have signed out", "success")
    return redirect(url_for("auth.sign_in"))
