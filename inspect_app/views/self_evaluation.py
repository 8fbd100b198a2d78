"""The self-evaluation: per criterion, versions, joint sign-off; inspectors see only signed-off versions."""

from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template, request, url_for

from inspect_app import clock
from inspect_app.domain.errors import NotFound, ValidationFailed
from inspect_app.domain.partners import PARTNERS
from inspect_app.domain.self_evaluation import EntryContent, SignOffStatus, diff_versions
from inspect_app.extensions import db
from inspect_app.forms.self_evaluation import EditEntryForm, SignOffForm
from inspect_app.models import SefEntry
from inspect_app.navigation import criterion_live_panels
from inspect_app.reports import sef_document, sef_summary
from inspect_app.services import evidence as evidence_service
from inspect_app.services import frameworks as framework_service
from inspect_app.services import self_evaluation as sef
from inspect_app.services.partnerships import Access
from inspect_app.services.readiness import ReadinessSettings
from inspect_app.services.sef_document import build_criterion_summary, build_sef_document
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
from inspect_app.views.forms import save_form

bp = Blueprint("self_evaluation", __name__, url_prefix="/p/<slug>/self-evaluation")
protect_partnership_blueprint(bp)


def _settings() -> tuple[tuple[str, ...], tuple[str, ...]]:
    return tuple(current_app.config["SEF_GRADES"]), tuple(current_app.config["SEF_SIGNOFF_PARTNERS"])


def _visible_content(entry, required):  # type: ignore[no-untyped-def]
    """Inspectors read the newest fully signed-off version; everyone else the current one."""
    if current_access().is_inspector:
        version = sef.latest_signed_off(entry, required)
        return (EntryContent.from_dict(version.content), version.number) if version else (None, None)
    return (sef.content_of(entry), entry.current_version if entry else 0)


@bp.route("/")
@allow(*EVERYONE)
def view_self_evaluation():  # type: ignore[no-untyped-def]
    access = current_access()
    _, framework = framework_service.partnership_framework(db.session, access.partnership)
    grades, required = _settings()
    rows = []
    for summary in sef.summaries(db.session, access.partnership.id, framework, required):
        content, number = _visible_content(summary.entry, required)
        rows.append((framework.criterion(summary.criterion_id), summary, content, number))
    return render_template(
        "self_evaluation/index.html",
        access=access,
        framework=framework,
        rows=rows,
        partners=PARTNERS,
        required=required,
    )


@bp.route("/<criterion_id>")
@allow(*EVERYONE)
def view_sef_entry(criterion_id: str):  # type: ignore[no-untyped-def]
    access = current_access()
    _, framework = framework_service.partnership_framework(db.session, access.partnership)
    criterion = framework.criterion(criterion_id)
    grades, required = _settings()
    entry = sef.find_entry(db.session, access.partnership.id, criterion_id)
    content, number = _visible_content(entry, required)
    status = sef.status_of(entry, required)
    membership = access.membership
    can_sign = (
        access.is_lead and membership is not None and membership.organisation in status.missing and entry is not None
    )
    return render_template(
        "self_evaluation/entry.html",
        access=access,
        framework=framework,
        criterion=criterion,
        entry=entry,
        content=content,
        number=number,
        status=status,
        partners=PARTNERS,
        can_sign=can_sign,
        sign_form=SignOffForm(data={"version": entry.current_version if entry else 0}),
        panels=criterion_live_panels(access, framework, criterion),
        chosen_evidence=evidence_service.items_by_id(
            db.session, access.partnership.id, content.evidence_ids if content else (), role=access.role
        ),
    )


def _evidence_choices(access: Access, criterion_id: str, chosen: tuple[int, ...]) -> list[tuple[int, str]]:
    items = evidence_service.citable_items(
        db.session, access.partnership.id, criterion_id, role=access.role, chosen=chosen
    )
    status = evidence_service.STATUS_LABELS
    return [
        (item.id, f"{item.reference} {item.title} ({status.get(item.status, item.status).lower()})") for item in items
    ]


@bp.route("/<criterion_id>/edit", methods=["GET", "POST"])
@allow(*EDITORS)
def edit_sef_entry(criterion_id: str):  # type: ignore[no-untyped-def]
    access = current_access()
    _, framework = framework_service.partnership_framework(db.session, access.partnership)
    criterion = framework.criterion(criterion_id)
    grades, required = _settings()
    entry = sef.find_entry(db.session, access.partnership.id, criterion_id)
    current = sef.content_of(entry)
    if request.method == "GET":
        steps = [{"text": step.text, "owner": step.owner, "due": step.due} for step in current.next_steps]
        form = EditEntryForm(
            data={
                "grade": current.grade or "",
                "strengths": current.strengths,
                "areas_for_development": current.areas_for_development,
                "impact": current.impact,
                "next_steps": steps + [{}] * (5 - len(steps)),
                "evidence_ids": list(current.evidence_ids),
                "version": entry.current_version if entry else 0,
            }
        )
    else:
        form = EditEntryForm()
    form.set_grades(grades)
    form.set_evidence(_evidence_choices(access, criterion_id, current.evidence_ids))

    def saved_message(saved: SefEntry) -> tuple[str, str] | str:
        if entry is not None and saved.current_version == entry.current_version:
            return "Nothing changed, so no new version was saved", "info"
        return (
            f"Version {saved.current_version} saved. It needs signing off again by "
            f"{' and '.join(PARTNERS[p] for p in required)} leads."
        )

    def show(error: ValidationFailed) -> None:
        field = form.strengths if isinstance(error, sef.StaleVersion) else form.grade
        field.errors = list(field.errors or ()) + list(error.messages)

    if form.validate_on_submit() and (
        saved := save_form(
            lambda: sef.save_entry(
                db.session,
                actor(),
                access.partnership,
                framework,
                criterion_id,
                form.content(),
                grades=grades,
                when=clock.now(),
                editing_version=form.editing_version(),
            ),
            success=saved_message,
            then=url_for("self_evaluation.view_sef_entry", criterion_id=criterion_id),
            errors=show,
        )
    ):
        return saved
    return render_template("self_evaluation/edit.html", access=access, criterion=criterion, form=form, entry=entry)


@bp.route("/<criterion_id>/sign-off", methods=["POST"])
@allow(*LEADS)
def sign_off_sef_entry(criterion_id: str):  # type: ignore[no-untyped-def]
    access = current_access()
    _, framework = framework_service.partnership_framework(db.session, access.partnership)
    framework.criterion(criterion_id)
    _, required = _settings()
    entry = sef.find_entry(db.session, access.partnership.id, criterion_id)
    if entry is None:
        raise NotFound("Nothing to sign off")
    form = SignOffForm()
    back = url_for("self_evaluation.view_sef_entry", criterion_id=criterion_id)

    def signed(status: SignOffStatus) -> str:
        if status.complete:
            return "Signed off. Every partner has now signed this version."
        return "Signed off. Waiting for: " + ", ".join(PARTNERS[p] for p in status.missing) + "."

    if form.validate_on_submit() and (
        saved := save_form(
            lambda: sef.sign_off(
                db.session,
                actor(),
                access.membership,
                entry,
                version=int(form.version.data or 0),
                required=required,
                when=clock.now(),
            ),
            success=signed,
            then=back,
        )
    ):
        return saved
    return redirect(back)


@bp.route("/<criterion_id>/history")
@allow(*READERS)
def view_sef_history(criterion_id: str):  # type: ignore[no-untyped-def]
    access = current_access()
    _, framework = framework_service.partnership_framework(db.session, access.partnership)
    criterion = framework.criterion(criterion_id)
    _, required = _settings()
    entry = sef.find_entry(db.session, access.partnership.id, criterion_id)
    versions = list(reversed(entry.versions)) if entry else []
    shown = request.args.get("version", type=int) or (entry.current_version if entry else None)
    diff, compared = [], None
    if entry and shown:
        version = sef.get_version(entry, shown)
        earlier = [v for v in entry.versions if v.number < shown]
        compared = earlier[-1] if earlier else None
        diff = diff_versions(
            EntryContent.from_dict(compared.content) if compared else EntryContent(),
            EntryContent.from_dict(version.content),
        )
    signatures = {}
    for signature in entry.signatures if entry else []:
        signatures.setdefault(signature.version, []).append(signature)
    return render_template(
        "self_evaluation/history.html",
        access=access,
        criterion=criterion,
        entry=entry,
        versions=versions,
        shown=shown,
        compared=compared,
        diff=diff,
        signatures=signatures,
        partners=PARTNERS,
        required=required,
    )


@bp.route("/document")
@allow(*EVERYONE)
def view_sef_document():  # type: ignore[no-untyped-def]
    access = current_access()
    _, framework = framework_service.partnership_framework(db.session, access.partnership)
    _, required = _settings()
    sections = []
    summaries = {s.criterion_id: s for s in sef.summaries(db.session, access.partnership.id, framework, required)}
    for section in framework.sections:
        items = []
        for criterion in section.criteria:
            content, number = _visible_content(summaries[criterion.id].entry, required)
            items.append((criterion, content, number, summaries[criterion.id].status))
        sections.append((section, items))
    cited = {i for _, items in sections for _, content, _, _ in items if content for i in content.evidence_ids}
    return render_template(
        "self_evaluation/document.html",
        access=access,
        framework=framework,
        sections=sections,
        partners=PARTNERS,
        chosen_evidence=evidence_service.items_by_id(db.session, access.partnership.id, cited, role=access.role),
    )


@bp.route("/document.<file_format>")
@allow(*EVERYONE)
def download_sef_document(file_format: str):  # type: ignore[no-untyped-def]
    """The whole self-evaluation as a file; inspectors get only the versions every partner signed off."""
    access = current_access()
    if file_format not in sef_document.RENDERERS:
        raise NotFound(f"The self-evaluation is not available as {file_format}")
    document = build_sef_document(
        db.session,
        access.partnership,
        ReadinessSettings.from_app_config(current_app.config),
        signed_off_only=access.is_inspector,
        service_name=current_app.config["SERVICE_NAME"],
    )
    return report_download(
        access,
        "sef",
        file_format,
        sef_document.render(document, file_format),
        sef_document.MEDIA_TYPES[file_format],
        sef_document.filename(document, file_format),
        signed_off_only=access.is_inspector,
    )


def _criterion_summary(access, criterion_id: str) -> sef_summary.CriterionSummary:  # type: ignore[no-untyped-def]
    """One criterion's page of the document; inspectors get only what every partner signed off."""
    return build_criterion_summary(
        db.session,
        access.partnership,
        ReadinessSettings.from_app_config(current_app.config),
        criterion_id,
        signed_off_only=access.is_inspector,
        service_name=current_app.config["SERVICE_NAME"],
    )


@bp.route("/<criterion_id>/summary")
@allow(*EVERYONE)
def view_sef_summary(criterion_id: str):  # type: ignore[no-untyped-def]
    access = current_access()
    summary = _criterion_summary(access, criterion_id)
    return render_template(
        "self_evaluation/summary.html",
        access=access,
        summary=summary,
        layout=sef_summary.lay_out(summary, sef_summary.FULL),
        continued_href=url_for("self_evaluation.view_sef_document", _anchor=summary.page.anchor),
    )


@bp.route("/<criterion_id>/summary.pdf")
@allow(*EVERYONE)
def download_sef_summary(criterion_id: str):  # type: ignore[no-untyped-def]
    """One criterion on one A4 page; inspectors get only the version every partner signed off."""
    access = current_access()
    summary = _criterion_summary(access, criterion_id)
    return report_download(
        access,
        "sef-summary",
        "pdf",
        sef_summary.render_pdf(summary),
        "application/pdf",
        sef_summary.filename(summary),
        criterion=summary.page.id,
        signed_off_only=access.is_inspector,
    )
