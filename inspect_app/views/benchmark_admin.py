"""Site administration of national statistics: releases imported, uploading DfE files and neighbours.

A child of the admin blueprint (endpoints `admin.benchmarks.*`, under /admin/benchmarks): reference data shared
by every partnership, so only site administrators change it.
"""

from __future__ import annotations

from flask import Blueprint, flash, render_template, url_for

from inspect_app import clock
from inspect_app.domain.errors import ValidationFailed
from inspect_app.extensions import db
from inspect_app.forms.benchmarks import UploadBenchmarksForm, UploadNeighboursForm
from inspect_app.services import benchmark_imports
from inspect_app.views.access import actor
from inspect_app.views.admin import admin_required
from inspect_app.views.forms import save_form

bp = Blueprint("benchmarks", __name__, url_prefix="/benchmarks")

# Row errors listed on the page; the rest are counted (a wrong file can have thousands).
MAX_ROW_ERRORS_SHOWN = 100


@bp.route("/")
@admin_required
def list_releases():  # type: ignore[no-untyped-def]
    return render_template(
        "admin/benchmarks/releases.html",
        releases=benchmark_imports.list_releases(db.session),
        neighbours=benchmark_imports.neighbour_model(db.session),
    )


@bp.route("/upload", methods=["GET", "POST"])
@admin_required
def upload_benchmarks():  # type: ignore[no-untyped-def]
    form = UploadBenchmarksForm()
    problems = _Problems()
    if form.validate_on_submit() and (
        saved := save_form(
            lambda: benchmark_imports.import_benchmark_file(
                db.session,
                actor(),
                _read(form.file.data),
                file_name=form.file.data.filename or "upload",
                release=form.release.data,
                when=clock.now(),
            ),
            success=lambda outcome: outcome.describe(),
            then=lambda outcome: url_for("admin.benchmarks.view_release", release_id=outcome.release.id),
            errors=lambda error: setattr(form.file, "errors", problems.take(error)),
        )
    ):
        return saved
    return render_template("admin/benchmarks/upload.html", form=form, problems=problems)


@bp.route("/releases/<int:release_id>")
@admin_required
def view_release(release_id: int):  # type: ignore[no-untyped-def]
    release = benchmark_imports.get_release(db.session, release_id)
    return render_template("admin/benchmarks/release.html", release=release)


@bp.route("/neighbours/upload", methods=["GET", "POST"])
@admin_required
def upload_neighbours():  # type: ignore[no-untyped-def]
    form = UploadNeighboursForm()
    problems = _Problems()
    def described(outcome: benchmark_imports.NeighbourImportOutcome) -> str:
        for note in outcome.notes:
            flash(note, "info")
        return outcome.describe()

    if form.validate_on_submit() and (
        saved := save_form(
            lambda: benchmark_imports.import_neighbours_file(
                db.session,
                actor(),
                _read(form.file.data),
                file_name=form.file.data.filename or "upload",
                model=form.model.data,
                when=clock.now(),
            ),
            success=described,
            then=url_for("admin.benchmarks.list_releases"),
            errors=lambda error: setattr(form.file, "errors", problems.take(error)),
        )
    ):
        return saved
    return render_template("admin/benchmarks/upload-neighbours.html", form=form, problems=problems)


def _read(upload) -> bytes:  # type: ignore[no-untyped-def]
    """Read an uploaded file whole and close it (a large upload is spooled to a temporary file)."""
    try:
        return upload.read()
    finally:
        upload.close()


class _Problems:
    """What was wrong with an upload: one message for the error summary, the details for the page."""

    def __init__(self) -> None:
        self.row_errors: list = []
        self.row_error_total = 0
        self.details: list[str] = []

    def take(self, error: ValidationFailed) -> list[str]:
        if isinstance(error, benchmark_imports.RowsRejected):
            self.row_errors = error.errors[:MAX_ROW_ERRORS_SHOWN]
            self.row_error_total = len(error.errors)
            count = len(error.errors)
            return [
                f"{error.file_name} has {count} problem{'s' if count != 1 else ''}; nothing was imported. "
                "They are listed below"
            ]
        self.details = error.messages[1:]
        return error.messages[:1]
