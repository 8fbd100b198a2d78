"""The partnership's inspections, inspector access granted from them, and what inspectors have looked at."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, request, url_for

from inspect_app import clock
from inspect_app.domain.inspections import INSPECTION_TYPES, REPORT_LAG_DAYS_MEDIAN, REPORT_LAG_DAYS_RANGE
from inspect_app.extensions import db
from inspect_app.filters import format_date
from inspect_app.forms.inspections import GrantInspectorAccessForm, InspectionForm
from inspect_app.navigation import DashboardCard
from inspect_app.services import audit
from inspect_app.services import findings as findings_service
from inspect_app.services import inspections as inspection_service
from inspect_app.services.partnerships import Access
from inspect_app.views.access import EVERYONE, LEADS, actor, allow, current_access, protect_partnership_blueprint
from inspect_app.views.forms import save_form

bp = Blueprint("inspections", __name__, url_prefix="/p/<slug>/inspections")
protect_partnership_blueprint(bp)

INSPECTOR_ACTIONS = "inspector."


@bp.app_template_global()
def inspection_type_label(key: str) -> str:
    return INSPECTION_TYPES.get(key, key)


@bp.route("/")
@allow(*EVERYONE)
def list_inspections():  # type: ignore[no-untyped-def]
    access = current_access()
    inspections = inspection_service.list_inspections(db.session, access.partnership.id)
    rows = [
        (i, inspection_service.dates_of(i), findings_service.regime_of(i), findings_service.outcome_of(db.session, i))
        for i in inspections
    ]
    return render_template("inspections/list.html", access=access, rows=rows)


@bp.route("/new", methods=["GET", "POST"])
@allow(*LEADS)
def create_inspection():  # type: ignore[no-untyped-def]
    access = current_access()
    form = InspectionForm()
    if form.validate_on_submit() and (
        saved := save_form(
            lambda: inspection_service.create_inspection(
                db.session, actor(), access.partnership, form.details(), when=clock.now()
            ),
            success="Inspection recorded",
            then=lambda inspection: url_for("inspections.view_inspection", inspection_id=inspection.id),
            form=form,
            errors="on_site_week_start",
        )
    ):
        return saved
    return render_template("inspections/form.html", access=access, form=form, inspection=None)


@bp.route("/<int:inspection_id>")
@allow(*EVERYONE)
def view_inspection(inspection_id: int):  # type: ignore[no-untyped-def]
    access = current_access()
    inspection = inspection_service.get_inspection(db.session, access.partnership.id, inspection_id)
    grants = inspection_service.list_inspector_grants(db.session, access.partnership.id) if access.is_lead else []
    return render_template(
        "inspections/show.html",
        access=access,
        inspection=inspection,
        dates=inspection_service.dates_of(inspection),
        grants=grants,
        today=clock.today(),
        report_lag=(REPORT_LAG_DAYS_MEDIAN, *REPORT_LAG_DAYS_RANGE),
        regime=findings_service.regime_of(inspection),
        outcome=findings_service.outcome_of(db.session, inspection),
        plan=findings_service.find_plan(db.session, inspection),
        timeline=findings_service.timeline_for(db.session, inspection, as_of=clock.today()),
    )


@bp.route("/<int:inspection_id>/edit", methods=["GET", "POST"])
@allow(*LEADS)
def edit_inspection(inspection_id: int):  # type: ignore[no-untyped-def]
    access = current_access()
    inspection = inspection_service.get_inspection(db.session, access.partnership.id, inspection_id)
    form = InspectionForm(obj=inspection)
    if form.validate_on_submit() and (
        saved := save_form(
            lambda: inspection_service.update_inspection(
                db.session, actor(), inspection, form.details(), when=clock.now()
            ),
            success="Inspection updated",
            then=url_for("inspections.view_inspection", inspection_id=inspection.id),
            form=form,
            errors="on_site_week_start",
        )
    ):
        return saved
    return render_template("inspections/form.html", access=access, form=form, inspection=inspection)


@bp.route("/<int:inspection_id>/inspector-access", methods=["GET", "POST"])
@allow(*LEADS)
def grant_inspector_access(inspection_id: int):  # type: ignore[no-untyped-def]
    access = current_access()
    inspection = inspection_service.get_inspection(db.session, access.partnership.id, inspection_id)
    days_after = current_app.config["INSPECTOR_ACCESS_DAYS_AFTER_ON_SITE"]
    suggested = inspection_service.default_access_end_for(inspection, days_after)
    form = GrantInspectorAccessForm(data={"expires_on": suggested})
    if form.validate_on_submit() and (
        saved := save_form(
            lambda: inspection_service.grant_inspector_access(
                db.session,
                actor(),
                access.partnership,
                email=form.email.data,
                expires_on=form.expires_on.data,
                when=clock.now(),
            ),
            success=lambda membership: (
                f"{membership.user.email} can see {access.partnership.name} until the end of "
                f"{format_date(membership.expires_on)}"
            ),
            then=url_for("inspections.view_inspection", inspection_id=inspection.id),
            form=form,
            errors="email",
        )
    ):
        return saved
    return render_template(
        "inspections/grant-access.html",
        access=access,
        form=form,
        inspection=inspection,
        dates=inspection_service.dates_of(inspection),
        days_after=days_after,
    )


@bp.route("/inspector-activity")
@allow(*LEADS)
def view_inspector_activity():  # type: ignore[no-untyped-def]
    access = current_access()
    page = audit.page_of_events(
        db.session,
        access.partnership.id,
        audit.AuditFilter(action_prefix=INSPECTOR_ACTIONS),
        page=request.args.get("page", 1, type=int) or 1,
        size=current_app.config["PAGE_SIZE"],
    )
    return render_template(
        "inspections/inspector-activity.html",
        access=access,
        page=page,
        people=audit.activity_by_actor(db.session, access.partnership.id, INSPECTOR_ACTIONS),
        prefix=INSPECTOR_ACTIONS,
    )


def dashboard_card(access: Access) -> DashboardCard:
    """The dashboard's inspection card: the latest inspection's notification and on-site dates."""
    inspection = inspection_service.latest_inspection(db.session, access.partnership.id)
    href = url_for("inspections.list_inspections", slug=access.partnership.slug)
    if inspection is None:
        return DashboardCard("Inspection", href, "No inspection recorded yet.")
    dates = inspection_service.dates_of(inspection)
    summary = f"Notified {format_date(dates.notification)}."
    if dates.on_site_start:
        estimate = " (estimate)" if dates.on_site_estimated else ""
        summary += f" On site from {format_date(dates.on_site_start)}{estimate}."
    return DashboardCard("Inspection", href, summary)
