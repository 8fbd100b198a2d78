"""Site administration: partnerships and accounts. Admins do not see partnerships' data unless members."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from inspect_app import clock
from inspect_app.domain.errors import ValidationFailed
from inspect_app.extensions import db
from inspect_app.forms.admin import CreatePartnershipForm, CreateUserForm
from inspect_app.services import accounts
from inspect_app.services import partnerships as partnership_service
from inspect_app.views.access import actor

bp = Blueprint("admin", __name__, url_prefix="/admin")


def admin_required(view: Callable) -> Callable:
    @wraps(view)
    @login_required
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if not current_user.is_admin:
            abort(403, "Only site administrators can use this page.")
        return view(*args, **kwargs)

    return wrapper


@bp.route("/")
@admin_required
def view_admin():  # type: ignore[no-untyped-def]
    partnerships = partnership_service.list_partnerships(db.session)
    return render_template("admin/index.html", partnerships=partnerships)


@bp.route("/partnerships/new", methods=["GET", "POST"])
@admin_required
def create_partnership():  # type: ignore[no-untyped-def]
    form = CreatePartnershipForm()
    if form.validate_on_submit():
        try:
            partnership = partnership_service.create_partnership(
                db.session,
                actor(),
                slug=form.slug.data,
                name=form.name.data,
                la_code=form.la_code.data,
                icb_name=form.icb_name.data,
                when=clock.now(),
            )
        except ValidationFailed as error:
            db.session.rollback()
            form.slug.errors = list(error.messages)
        else:
            db.session.commit()
            flash(
                f"{partnership.name} created. Add its first lead from the command line or make yourself a lead.",
                "success",
            )
            return redirect(url_for("admin.view_admin"))
    return render_template("admin/create-partnership.html", form=form)


@bp.route("/users/new", methods=["GET", "POST"])
@admin_required
def create_user():  # type: ignore[no-untyped-def]
    form = CreateUserForm()
    if form.validate_on_submit():
        try:
            user = accounts.create_user(
                db.session,
                actor(),
                email=form.email.data,
                name=form.name.data,
                password=form.password.data,
                is_admin=form.is_admin.data,
                when=clock.now(),
            )
        except ValidationFailed as error:
            db.session.rollback()
            form.email.errors = list(error.messages)
        else:
            db.session.commit()
            flash(f"Account created for {user.email}", "success")
            return redirect(url_for("admin.view_admin"))
    return render_template("admin/create-user.html", form=form)
