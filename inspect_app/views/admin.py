"""Site administration: partnerships and accounts. Admins do not see partnerships' data unless members."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import Blueprint, abort, render_template, url_for
from flask_login import current_user, login_required

from inspect_app import clock
from inspect_app.domain.errors import ValidationFailed
from inspect_app.domain.framework_diff import diff_frameworks
from inspect_app.domain.frameworks import FrameworkInvalid, Problem, load_framework
from inspect_app.extensions import db
from inspect_app.forms.admin import CreatePartnershipForm, CreateUserForm
from inspect_app.forms.frameworks import UploadFrameworkForm
from inspect_app.models import FrameworkVersion
from inspect_app.services import accounts
from inspect_app.services import frameworks as framework_service
from inspect_app.services import partnerships as partnership_service
from inspect_app.services.framework_uploads import unpacked_version
from inspect_app.views.access import actor
from inspect_app.views.forms import save_form

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
    if form.validate_on_submit() and (
        saved := save_form(
            lambda: partnership_service.create_partnership(
                db.session,
                actor(),
                slug=form.slug.data,
                name=form.name.data,
                la_code=form.la_code.data,
                icb_name=form.icb_name.data,
                when=clock.now(),
            ),
            success=lambda partnership: (
                f"{partnership.name} created. Add its first lead from the command line or make yourself a lead."
            ),
            then=url_for("admin.view_admin"),
            form=form,
            errors="slug",
        )
    ):
        return saved
    return render_template("admin/create-partnership.html", form=form)


@bp.route("/users/new", methods=["GET", "POST"])
@admin_required
def create_user():  # type: ignore[no-untyped-def]
    form = CreateUserForm()
    if form.validate_on_submit() and (
        saved := save_form(
            lambda: accounts.create_user(
                db.session,
                actor(),
                email=form.email.data,
                name=form.name.data,
                password=form.password.data,
                is_admin=form.is_admin.data,
                when=clock.now(),
            ),
            success=lambda user: f"Account created for {user.email}",
            then=url_for("admin.view_admin"),
            form=form,
            errors="email",
        )
    ):
        return saved
    return render_template("admin/create-user.html", form=form)


@bp.route("/frameworks")
@admin_required
def list_frameworks():  # type: ignore[no-untyped-def]
    return render_template("admin/frameworks.html", versions=framework_service.list_versions(db.session))


@bp.route("/frameworks/upload", methods=["GET", "POST"])
@admin_required
def upload_framework():  # type: ignore[no-untyped-def]
    form = UploadFrameworkForm()
    problems: list[Problem] = []

    def store() -> tuple[framework_service.LoadOutcome, FrameworkVersion]:
        with unpacked_version(form.archive.data.stream) as folder:
            framework = load_framework(folder)
        outcome = framework_service.store_framework(db.session, actor(), framework, when=clock.now())
        return outcome, framework_service.get_version(db.session, outcome.framework_id, outcome.version)

    def show(error: ValidationFailed) -> None:
        if isinstance(error, FrameworkInvalid):
            problems.extend(error.problems)
            form.archive.errors = [f"The framework has {len(problems)} problems; they are listed below"]
        else:
            form.archive.errors = list(error.messages)

    if form.validate_on_submit() and (
        saved := save_form(
            store,
            success=lambda stored: str(stored[0]),
            then=lambda stored: url_for("admin.view_framework_version", version_id=stored[1].id),
            errors=show,
        )
    ):
        return saved
    return render_template("admin/upload-framework.html", form=form, problems=problems)


@bp.route("/frameworks/<int:version_id>")
@admin_required
def view_framework_version(version_id: int):  # type: ignore[no-untyped-def]
    row = framework_service.get_version_by_id(db.session, version_id)
    versions = framework_service.list_versions(db.session, row.framework_id)
    earlier = [v for v in versions if v.in_force_from < row.in_force_from or
               (v.in_force_from == row.in_force_from and v.version < row.version)]
    previous = earlier[-1] if earlier else None
    diff = (diff_frameworks(framework_service.framework_of(previous), framework_service.framework_of(row))
            if previous else None)
    return render_template("admin/framework-version.html", version=row, previous=previous, diff=diff,
                           framework=framework_service.framework_of(row))
