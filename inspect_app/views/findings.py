"""An inspection's outcome and findings: the action plan, each action's progress, the import and the report."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from wtforms.fields.choices import SelectChoice

from inspect_app import clock
from inspect_app.domain.errors import ValidationFailed
from inspect_app.domain.frameworks import Framework
from inspect_app.domain.inspection_cycle import ACTION_STATUSES, is_overdue
from inspect_app.extensions import db
from inspect_app.forms.findings import (
    NOT_YET,
    ActionForm,
    ImportFindingsForm,
    OutcomeForm,
    ProgressForm,
    ShareProgressForm,
)
from inspect_app.models import Inspection
from inspect_app.reports import progress_report
from inspect_app.services import findings as findings_service
from inspect_app.services import inspections as inspection_service
from inspect_app.services.frameworks import partnership_framework
from inspect_app.views.access import (
    EDITORS,
    EVERYONE,
    LEADS,
    READERS,
    actor,
    allow,
    current_access,
    protect_partnership_blueprint,
)
from inspect_app.views.downloads import report_download
from inspect_app.views.forms import Refused, save_form

bp = Blueprint("findings", __name__, url_prefix="/p/<slug>/inspections")
protect_partnership_blueprint(bp)


@bp.app_template_global()
def action_status_label(key: str) -> str:
    return ACTION_STATUSES.get(key, key)


def _framework() -> Framework:
    return partnership_framework(db.session, current_access().partnership)[1]


@bp.route("/<int:inspection_id>/outcome", methods=["GET", "POST"])
@allow(*LEADS)
def record_outcome(inspection_id: int) -> ResponseReturnValue:
    access = current_access()
    inspection = inspection_service.get_inspection(db.session, access.partnership.id, inspection_id)
    form = OutcomeForm(
        data={
            "regime": inspection.regime,
            "outcome": inspection.outcome or NOT_YET,
            "report_published_on": inspection.report_published_on,
            "report_url": inspection.report_url,
        }
    )
    regime = form.regime.data if form.regime.data in ("area_send_2023", "local_area_send_2016") else inspection.regime
    choices = findings_service.outcome_choices(db.session, inspection, regime)
    other = findings_service.outcome_choices(
        db.session, inspection, "local_area_send_2016" if regime == "area_send_2023" else "area_send_2023"
    )
    form.outcome.choices = [SelectChoice(o.id, o.label) for o in (*choices, *other)] + [
        SelectChoice(NOT_YET, "Not known yet")
    ]
    if form.validate_on_submit() and (
        saved := save_form(
            lambda: findings_service.record_outcome(db.session, actor(), inspection, form.details(), when=clock.now()),
            success="Outcome saved",
            then=url_for("inspections.view_inspection", inspection_id=inspection.id),
            form=form,
            errors="outcome",
        )
    ):
        return saved
    return render_template("findings/outcome.html", access=access, form=form, inspection=inspection)


@bp.route("/<int:inspection_id>/findings")
@allow(*EVERYONE)
def view_findings(inspection_id: int) -> ResponseReturnValue:
    access = current_access()
    inspection = inspection_service.get_inspection(db.session, access.partnership.id, inspection_id)
    plan = findings_service.find_plan(db.session, inspection)
    today = clock.today()
    if access.is_inspector:
        shown = findings_service.shared_actions(plan) if plan else []
        return render_template(
            "findings/shared.html", access=access, inspection=inspection, plan=plan, shown=shown, today=today
        )
    return render_template(
        "findings/plan.html",
        access=access,
        inspection=inspection,
        plan=plan,
        outcome=findings_service.outcome_of(db.session, inspection),
        regime=findings_service.regime_of(inspection),
        today=today,
        is_overdue=is_overdue,
        can_edit=access.role in EDITORS,
    )


def _action_form(form: ActionForm, inspection: Inspection) -> ActionForm:
    regime = findings_service.regime_of(inspection)
    form.kind.choices = [SelectChoice(key, label) for key, label in regime.finding_labels.items()]
    owners = findings_service.owner_choices(db.session, inspection.partnership_id)
    form.owner_id.choices = [SelectChoice(0, "No owner yet")] + [
        SelectChoice(user.id, f"{user.name} ({user.email})") for user in owners
    ]
    form.criteria.choices = [SelectChoice(c.id, f"{c.id}: {c.title}") for c in _framework().criteria]
    return form


@bp.route("/<int:inspection_id>/findings/new", methods=["GET", "POST"])
@allow(*LEADS)
def create_action(inspection_id: int) -> ResponseReturnValue:
    access = current_access()
    inspection = inspection_service.get_inspection(db.session, access.partnership.id, inspection_id)
    form = _action_form(ActionForm(), inspection)
    if form.validate_on_submit() and (
        saved := save_form(
            lambda: findings_service.add_action(
                db.session, actor(), inspection, form.details(), framework=_framework(), when=clock.now()
            ),
            success="Finding added",
            then=url_for("findings.view_findings", inspection_id=inspection.id),
            form=form,
            errors="text",
        )
    ):
        return saved
    return render_template("findings/action-form.html", access=access, form=form, inspection=inspection, action=None)


@bp.route("/actions/<int:action_id>")
@allow(*READERS)
def view_action(action_id: int) -> ResponseReturnValue:
    access = current_access()
    action = findings_service.get_action(db.session, access.partnership.id, action_id)
    return render_template(
        "findings/action.html",
        access=access,
        action=action,
        inspection=action.plan.inspection,
        regime=findings_service.regime_of(action.plan.inspection),
        today=clock.today(),
        overdue=is_overdue(action.status, action.due_on, clock.today()),
        can_edit=access.role in EDITORS,
        share_form=ShareProgressForm(),
    )


@bp.route("/actions/<int:action_id>/edit", methods=["GET", "POST"])
@allow(*LEADS)
def edit_action(action_id: int) -> ResponseReturnValue:
    access = current_access()
    action = findings_service.get_action(db.session, access.partnership.id, action_id)
    current = findings_service.details_of(action)
    form = ActionForm(
        data={
            "kind": current.kind,
            "text": current.text,
            "reference": current.reference,
            "owner_id": current.owner_id or 0,
            "due_on": current.due_on,
            "status": current.status,
            "criteria": list(current.criteria),
            "evidence": ", ".join(current.evidence),
        }
    )
    _action_form(form, action.plan.inspection)
    if form.validate_on_submit() and (
        saved := save_form(
            lambda: findings_service.update_action(
                db.session, actor(), action, form.details(), framework=_framework(), when=clock.now()
            ),
            success="Finding updated",
            then=url_for("findings.view_action", action_id=action.id),
            form=form,
            errors="text",
        )
    ):
        return saved
    return render_template(
        "findings/action-form.html", access=access, form=form, inspection=action.plan.inspection, action=action
    )


@bp.route("/actions/<int:action_id>/progress", methods=["GET", "POST"])
@allow(*EDITORS)
def record_progress(action_id: int) -> ResponseReturnValue:
    access = current_access()
    action = findings_service.get_action(db.session, access.partnership.id, action_id)
    form = ProgressForm(data={"recorded_on": clock.today(), "status": action.status})
    if form.validate_on_submit() and (
        saved := save_form(
            lambda: findings_service.record_progress(
                db.session, actor(), action, form.details(), today=clock.today(), when=clock.now()
            ),
            success="Progress recorded",
            then=url_for("findings.view_action", action_id=action.id),
            form=form,
            errors="text",
        )
    ):
        return saved
    return render_template("findings/progress-form.html", access=access, form=form, action=action)


@bp.route("/progress/<int:progress_id>/share", methods=["POST"])
@allow(*LEADS)
def share_progress(progress_id: int) -> ResponseReturnValue:
    access = current_access()
    update = findings_service.get_progress(db.session, access.partnership.id, progress_id)
    form = ShareProgressForm()
    if not form.validate_on_submit():
        abort(400)
    shared = form.shared.data == "yes"
    back = url_for("findings.view_action", action_id=update.action_id)
    return save_form(
        lambda: findings_service.share_progress(db.session, actor(), update, shared=shared, when=clock.now()),
        success="Update shared with inspectors" if shared else "Update no longer shared with inspectors",
        then=back,
    ) or redirect(back)


@bp.route("/<int:inspection_id>/findings/import", methods=["GET", "POST"])
@allow(*LEADS)
def import_findings(inspection_id: int) -> ResponseReturnValue:
    access = current_access()
    inspection = inspection_service.get_inspection(db.session, access.partnership.id, inspection_id)
    form = ImportFindingsForm()
    result = None

    def run_import() -> Any:  # the import result (ImportResult of importers/, which views do not import)
        upload = form.file.data
        imported = findings_service.import_findings(
            db.session,
            actor(),
            inspection,
            upload.stream.read(current_app.config["MAX_CONTENT_LENGTH"]),
            filename=upload.filename or "",
            framework=_framework(),
            when=clock.now(),
        )
        if not imported.ok:
            count = len(imported.errors)
            raise Refused(
                f"The file has {count} problem{'s' if count != 1 else ''}. Nothing was imported: fix them and "
                "import the file again",
                imported,
            )
        return imported

    def show(error: ValidationFailed) -> None:
        nonlocal result
        result = getattr(error, "result", None)
        form.file.errors = list(error.messages)

    if form.validate_on_submit() and (
        saved := save_form(
            run_import,
            success=lambda imported: f"{len(imported.rows)} findings imported",
            then=url_for("findings.view_findings", inspection_id=inspection.id),
            errors=show,
        )
    ):
        return saved
    return render_template("findings/import.html", access=access, form=form, inspection=inspection, result=result)


@bp.route("/<int:inspection_id>/findings/progress-report")
@allow(*READERS)
def view_progress_report(inspection_id: int) -> ResponseReturnValue:
    access = current_access()
    report = _progress_report(inspection_id, request.args.get("audience", "board"))
    return render_template(
        "findings/progress-report.html",
        access=access,
        report=report,
        inspection_id=inspection_id,
        audiences=progress_report.AUDIENCES,
        shorten=progress_report.shorten,
        format_day=progress_report.format_day,
    )


@bp.route("/<int:inspection_id>/findings/progress-report.<file_format>")
@allow(*READERS)
def download_progress_report(inspection_id: int, file_format: str) -> ResponseReturnValue:
    access = current_access()
    if file_format not in progress_report.FORMATS:
        abort(404)
    report = _progress_report(inspection_id, request.args.get("audience", "board"))
    return report_download(
        access,
        "findings-progress",
        file_format,
        progress_report.render(report, file_format),
        progress_report.FORMATS[file_format],
        progress_report.filename(report, access.partnership.slug, file_format),
        audience=report.audience,
    )


def _progress_report(inspection_id: int, audience: str) -> progress_report.ProgressReport:
    access = current_access()
    if audience not in progress_report.AUDIENCES:
        abort(404)
    inspection = inspection_service.get_inspection(db.session, access.partnership.id, inspection_id)
    plan = findings_service.find_plan(db.session, inspection)
    if plan is None:
        abort(404)
    return findings_service.progress_report(
        db.session,
        plan,
        partnership_name=access.partnership.name,
        audience=audience,
        as_of=clock.today(),
        generated_at=clock.now(),
    )
