from __future__ import annotations

from flask import Blueprint, jsonify, redirect, render_template, url_for
from flask_login import current_user, login_required

from inspect_app import clock
from inspect_app.extensions import db
from inspect_app.services.health import check_database
from inspect_app.services.partnerships import memberships_for_user

bp = Blueprint("main", __name__)


@bp.route("/")
@login_required
def index():  # type: ignore[no-untyped-def]
    memberships = memberships_for_user(db.session, current_user, clock.today())
    if len(memberships) == 1 and not current_user.is_admin:
        return redirect(url_for("partnerships.view_dashboard", slug=memberships[0].partnership.slug))
    return render_template("main/index.html", memberships=memberships)


@bp.route("/accessibility")
def accessibility_statement():  # type: ignore[no-untyped-def]
    return render_template("main/accessibility.html")


@bp.route("/health")
def health():  # type: ignore[no-untyped-def]
    check_database(db.session)
    return jsonify(status="ok")
