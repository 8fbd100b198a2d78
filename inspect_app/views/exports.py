"""Scheduled exports: leads set them up; readers see every run; leads download the files (audited)."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, current_app, flash, redirect, render_template, request, send_file, url_for

from inspect_app import clock
from inspect_app.domain.errors import ValidationFailed
from inspect_app.extensions import db
from inspect_app.forms.exports import ConfirmDisableForm, EnableForm, ScheduleForm
from inspect_app.navigation import DashboardCard
from inspect_app.services import exports as export_service
from inspect_app.services.partnerships import Access
from inspect_app.services.report_kinds import FORMATS, describe
from inspect_app.views.access import LEADS, READERS, actor, allow, current_access, protect_partnership_blueprint
from inspect_app.views.forms import save_form

bp = Blueprint("exports", __name__, url_prefix="/p/<slug>/exports")
protect_partnership_blueprint(bp)


def _export_root() -> Path:
    return Path(current_app.config["EXPORT_ROOT"])


@bp.app_template_global()
def export_report_label(kind: str, fmt: str) -> str:
    return describe(kind, fmt)


@bp.app_template_global()
def export_cadence_label(schedule) -> str:  # type: ignore[no-untyped-def]
    return export_service.cadence_label(schedule)


def _show_service_errors(form: ScheduleForm, error: ValidationFailed) -> None:
    for message in error.messages:
        field = form.destination if "folder" in message.lower() else form.report
        field.errors = [*field.errors, message]


@bp.route("/")
@allow(*READERS)
def list_export_schedules():  # type: ignore[no-untyped-def]
    access = current_access()
    rows = export_service.list_schedules(db.session, access.partnership.id)
    return render_template("exports/list.html", access=access, rows=rows)


@bp.route("/new", methods=["GET", "POST"])
@allow(*LEADS)
def create_export_schedule():  # type: ignore[no-untyped-def]
    access = current_access()
    form = ScheduleForm(data={"keep_last": str(current_app.config["EXPORT_KEEP_LAST_DEFAULT"])})
    if form.validate_on_submit() and (
        saved := save_form(
            lambda: export_service.create_schedule(
                db.session, actor(), access.partnership, form.details(), export_root=_export_root(), when=clock.now()
            ),
            success="Scheduled export created",
            then=lambda schedule: url_for("exports.view_export_schedule", schedule_id=schedule.id),
            errors=lambda error: _show_service_errors(form, error),
        )
    ):
        return saved
    return render_template("exports/form.html", access=access, form=form, schedule=None)


@bp.route("/<int:schedule_id>")
@allow(*READERS)
def view_export_schedule(schedule_id: int):  # type: ignore[no-untyped-def]
    access = current_access()
    schedule = export_service.get_schedule(db.session, access.partnership.id, schedule_id)
    page = max(request.args.get("page", 1, type=int) or 1, 1)
    size = current_app.config["PAGE_SIZE"]
    total = export_service.count_runs(db.session, schedule)
    runs = export_service.list_runs(db.session, schedule, limit=size, offset=(page - 1) * size)
    return render_template(
        "exports/show.html",
        access=access,
        schedule=schedule,
        runs=runs,
        total=total,
        page=page,
        pages=max((total + size - 1) // size, 1),
        enable_form=EnableForm(),
    )


@bp.route("/<int:schedule_id>/edit", methods=["GET", "POST"])
@allow(*LEADS)
def edit_export_schedule(schedule_id: int):  # type: ignore[no-untyped-def]
    access = current_access()
    schedule = export_service.get_schedule(db.session, access.partnership.id, schedule_id)
    form = ScheduleForm(data=ScheduleForm.data_for(export_service.details_of(schedule)))
    if form.validate_on_submit() and (
        saved := save_form(
            lambda: export_service.update_schedule(
                db.session, actor(), schedule, form.details(), export_root=_export_root(), when=clock.now()
            ),
            success="Scheduled export updated",
            then=url_for("exports.view_export_schedule", schedule_id=schedule.id),
            errors=lambda error: _show_service_errors(form, error),
        )
    ):
        return saved
    return render_template("exports/form.html", access=access, form=form, schedule=schedule)


@bp.route("/<int:schedule_id>/disable", methods=["GET", "POST"])
@allow(*LEADS)
def disable_export_schedule(schedule_id: int):  # type: ignore[no-untyped-def]
    access = current_access()
    schedule = export_service.get_schedule(db.session, access.partnership.id, schedule_id)
    form = ConfirmDisableForm()
    if form.validate_on_submit():
        export_service.set_enabled(db.session, actor(), schedule, False, when=clock.now())
        db.session.commit()
        flash("The export is turned off. Its files and runs are kept.", "success")
        return redirect(url_for("exports.view_export_schedule", schedule_id=schedule.id))
    return render_template("exports/disable.html", access=access, form=form, schedule=schedule)


@bp.route("/<int:schedule_id>/enable", methods=["POST"])
@allow(*LEADS)
def enable_export_schedule(schedule_id: int):  # type: ignore[no-untyped-def]
    access = current_access()
    schedule = export_service.get_schedule(db.session, access.partnership.id, schedule_id)
    if EnableForm().validate_on_submit():
        export_service.set_enabled(db.session, actor(), schedule, True, when=clock.now())
        db.session.commit()
        flash("The export is turned back on", "success")
    return redirect(url_for("exports.view_export_schedule", schedule_id=schedule.id))


@bp.route("/runs/<int:run_id>/download")
@allow(*LEADS)
def download_export_file(run_id: int):  # type: ignore[no-untyped-def]
    access = current_access()
    run = export_service.get_run(db.session, access.partnership.id, run_id)
    path = export_service.run_file(_export_root(), run)  # NotFound -> 404
    export_service.record_download(db.session, actor(), run, when=clock.now())
    db.session.commit()
    schedule = run.schedule
    media_type = FORMATS[schedule.format].media_type if schedule.format in FORMATS else None
    return send_file(
        path, mimetype=media_type or "application/octet-stream", as_attachment=True, download_name=path.name
    )


def dashboard_card(access: Access) -> DashboardCard | None:
    """The dashboard's scheduled-exports card, for leads: how many, and how many failed last time."""
    if not access.is_lead:
        return None
    rows = export_service.list_schedules(db.session, access.partnership.id)
    failing = sum(1 for r in rows if r.last_run is not None and r.last_run.status == "failed")
    summary = f"{len(rows)} scheduled export{'' if len(rows) == 1 else 's'}."
    if failing:
        summary += f" {failing} failed last time."
    return DashboardCard(
        "Scheduled exports", url_for("exports.list_export_schedules", slug=access.partnership.slug), summary
    )
