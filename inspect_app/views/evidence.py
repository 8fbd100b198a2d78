"""The evidence library: list, add, edit, link, upload versions, review, download, import and export."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from inspect_app import clock
from inspect_app.domain.errors import ValidationFailed
from inspect_app.extensions import db
from inspect_app.forms.evidence import (
    AddEvidenceForm,
    DeleteEvidenceForm,
    EditEvidenceForm,
    ImportRegisterForm,
    LinksForm,
    ReturnApprovedForm,
    ReviewForm,
    SubmitForReviewForm,
    UploadRevisionForm,
)
from inspect_app.models import EvidenceItem, EvidenceRevision
from inspect_app.navigation import CriterionBadge, DashboardCard
from inspect_app.reports.evidence_register import register_csv, register_xlsx
from inspect_app.services import evidence as evidence_service
from inspect_app.services import (
    evidence_register,
)
from inspect_app.services import frameworks as framework_service
from inspect_app.services.evidence import (
    KIND_LABELS,
    PARTNER_LABELS,
    SORTS,
    STATUS_LABELS,
    EvidenceFilter,
    EvidenceInvalid,
    EvidenceSettings,
    ItemFields,
    Upload,
)
from inspect_app.storage import get_store
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
from inspect_app.views.downloads import attachment
from inspect_app.views.forms import Refused, save_form

bp = Blueprint("evidence", __name__, url_prefix="/p/<slug>/evidence")
protect_partnership_blueprint(bp)


def _settings() -> EvidenceSettings:
    return EvidenceSettings.from_config(current_app.config)


def _framework():  # type: ignore[no-untyped-def]
    return framework_service.partnership_framework(db.session, current_access().partnership)[1]


def _labels(framework) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """What templates need to show ids as words."""
    return {
        "type_titles": {t.id: t.title for t in framework.evidence_types},
        "criterion_titles": {c.id: c.title for c in framework.criteria},
        "kind_labels": KIND_LABELS,
        "partner_labels": PARTNER_LABELS,
        "status_labels": STATUS_LABELS,
        "today": clock.today(),
        "soon_days": _settings().review_soon_days,
    }


def _apply_errors(form, error: ValidationFailed, fallback: str) -> None:  # type: ignore[no-untyped-def]
    """Put a service's messages on the form fields they belong to (or on `fallback`)."""
    by_field = error.by_field if isinstance(error, EvidenceInvalid) else {fallback: error.messages}
    for name, messages in by_field.items():
        field = getattr(form, name, None) or getattr(form, fallback)
        field.errors = [*(field.errors or []), *messages]


def _details_choices(form, framework) -> None:  # type: ignore[no-untyped-def]
    owners = evidence_service.owner_choices(db.session, current_access().partnership.id)
    form.set_choices(
        [SelectChoice(t.id, t.title) for t in framework.evidence_types],
        [SelectChoice(str(user.id), f"{user.name} ({user.email})") for user in owners],
    )


def _fields(form) -> ItemFields:  # type: ignore[no-untyped-def]
    return ItemFields(
        title=form.title.data or "",
        description=form.description.data or "",
        evidence_type=form.evidence_type.data or "",
        partner=form.partner.data or "",
        owner_id=form.owner_id.data,
        period_from=form.period_from.data,
        period_to=form.period_to.data,
        as_at=form.as_at.data,
        review_by=form.review_by.data,
        url=form.url.data,
    )


# --- The library -----------------------------------------------------------------------------------------------


def _filters() -> EvidenceFilter:
    args = request.args
    owner = args.get("owner", "")
    sort = args.get("sort", "updated")
    return EvidenceFilter(
        q=args.get("q", "")[:200],
        criterion=args.get("criterion", "")[:40],
        evidence_type=args.get("type", "")[:80],
        status=args.get("status", "") if args.get("status", "") in STATUS_LABELS else "",
        owner_id=int(owner) if owner.isdigit() else None,
        partner=args.get("partner", "") if args.get("partner", "") in PARTNER_LABELS else "",
        kind=args.get("kind", "") if args.get("kind", "") in KIND_LABELS else "",
        stale="stale" in args.getlist("due"),
        review_soon="soon" in args.getlist("due"),
        sort=sort if sort in SORTS else "updated",
    )


@bp.route("/")
@allow(*EVERYONE)
def list_evidence():  # type: ignore[no-untyped-def]
    access = current_access()
    framework = _framework()
    filters = _filters()
    settings = _settings()
    result = evidence_service.list_evidence(
        db.session,
        access.partnership.id,
        filters,
        role=access.role,
        today=clock.today(),
        soon_days=settings.review_soon_days,
        page=request.args.get("page", 1, type=int) or 1,
        size=current_app.config["PAGE_SIZE"],
    )
    owners = [] if access.is_inspector else evidence_service.owner_choices(db.session, access.partnership.id)
    args = {k: v for k, v in request.args.items(multi=True) if k != "page" and v}
    return render_template(
        "evidence/library.html",
        access=access,
        framework=framework,
        result=result,
        filters=filters,
        owners=owners,
        sorts=SORTS,
        args=request.args,
        page_args=_multi_args(),
        export_args=args,
        **_labels(framework),
    )


def _multi_args() -> dict[str, Any]:
    """The query string for pagination links (repeated keys kept as lists)."""
    out: dict[str, Any] = {}
    for key in request.args:
        if key != "page":
            values = [v for v in request.args.getlist(key) if v]
            if values:
                out[key] = values if len(values) > 1 else values[0]
    return out


@bp.route("/new", methods=["GET", "POST"])
@allow(*EDITORS)
def create_evidence():  # type: ignore[no-untyped-def]
    access = current_access()
    framework = _framework()
    form = AddEvidenceForm()
    _details_choices(form, framework)
    if request.method == "GET" and not form.owner_id.data:
        form.owner_id.data = current_user.id
    if request.method == "GET" and request.args.get("type") in {t.id for t in framework.evidence_types}:
        form.evidence_type.data = request.args["type"]  # a readiness gap names the type that is missing

    def create() -> EvidenceItem:
        settings = _settings()
        item = evidence_service.create_item(
            db.session,
            actor(),
            access.partnership,
            _fields(form),
            kind=form.kind.data,
            framework=framework,
            settings=settings,
            when=clock.now(),
        )
        if form.kind.data == "document":
            upload = Upload(form.file.data.filename, form.file.data.stream)
            evidence_service.add_revision(
                db.session, get_store(), actor(), item, upload, settings=settings, when=clock.now()
            )
        return item

    if form.validate_on_submit() and (
        saved := save_form(
            create,
            success=lambda item: f"{item.reference} “{item.title}” added as a draft. Now link it to the criteria it "
            "supports.",
            then=lambda item: url_for("evidence.edit_evidence_links", item_id=item.id),
            errors=lambda error: _apply_errors(form, error, "file"),
        )
    ):
        return saved
    return render_template("evidence/add.html", access=access, form=form, settings=_settings())


def _item(item_id: int):  # type: ignore[no-untyped-def]
    access = current_access()
    return evidence_service.get_item(db.session, access.partnership.id, item_id, role=access.role)


@bp.route("/items/<int:item_id>")
@allow(*EVERYONE)
def view_evidence(item_id: int):  # type: ignore[no-untyped-def]
    access = current_access()
    item = _item(item_id)
    framework = _framework()
    history = [] if access.is_inspector else evidence_service.item_history(db.session, item)
    return render_template(
        "evidence/item.html",
        access=access,
        item=item,
        history=history,
        submit_form=SubmitForReviewForm(),
        **_labels(framework),
    )


@bp.route("/items/<int:item_id>/edit", methods=["GET", "POST"])
@allow(*EDITORS)
def edit_evidence(item_id: int):  # type: ignore[no-untyped-def]
    access = current_access()
    item = _item(item_id)
    framework = _framework()
    form = EditEvidenceForm(obj=item if request.method == "GET" else None)
    _details_choices(form, framework)
    was_approved = item.status == "approved"

    def updated(changed: bool) -> tuple[str, str] | str:
        if not changed:
            return "Nothing was changed", "info"
        if was_approved:
            return (
                f"{item.reference} updated. It was approved, so it is back to draft: send it for review again.",
                "info",
            )
        return f"{item.reference} updated"

    if form.validate_on_submit() and (
        saved := save_form(
            lambda: evidence_service.update_item(
                db.session, actor(), item, _fields(form), framework=framework, settings=_settings(), when=clock.now()
            ),
            success=updated,
            then=url_for("evidence.view_evidence", item_id=item.id),
            errors=lambda error: _apply_errors(form, error, "title"),
        )
    ):
        return saved
    return render_template("evidence/edit.html", access=access, form=form, item=item)


def _link_notes(framework) -> dict[str, str]:  # type: ignore[no-untyped-def]
    chosen = request.form.getlist("criteria")
    return {cid: request.form.get(f"note_{cid}", "")[:2000] for cid in dict.fromkeys(chosen)}


@bp.route("/items/<int:item_id>/links", methods=["GET", "POST"])
@allow(*EDITORS)
def edit_evidence_links(item_id: int):  # type: ignore[no-untyped-def]
    access = current_access()
    item = _item(item_id)
    framework = _framework()
    form = LinksForm()
    notes = {link.criterion_id: link.note for link in item.current_links}
    errors: dict[str, list[str]] = {}
    was_approved = item.status == "approved"

    def saved_links(changed: bool) -> tuple[str, str]:
        if changed and was_approved:
            return (
                f"Links saved. {item.reference} was approved, so it is back to draft: send it for review again.",
                "info",
            )
        return ("Links saved", "success") if changed else ("Nothing was changed", "info")

    def show(error: ValidationFailed) -> None:
        errors.update(getattr(error, "by_field", {}))
        form.criteria.errors = list(error.messages)  # the error summary lists every message

    if form.validate_on_submit():
        notes = _link_notes(framework)
        saved = save_form(
            lambda: evidence_service.set_links(db.session, actor(), item, notes, framework=framework, when=clock.now()),
            success=saved_links,
            then=url_for("evidence.view_evidence", item_id=item.id),
            errors=show,
        )
        if saved:
            return saved
    return render_template(
        "evidence/links.html",
        access=access,
        form=form,
        item=item,
        framework=framework,
        notes=notes,
        link_errors=errors,
        **_labels(framework),
    )


@bp.route("/items/<int:item_id>/revisions/new", methods=["GET", "POST"])
@allow(*EDITORS)
def upload_revision(item_id: int):  # type: ignore[no-untyped-def]
    access = current_access()
    item = _item(item_id)
    form = UploadRevisionForm()
    if item.kind == "link":
        flash("A web link has no file; change its web address instead", "info")
        return redirect(url_for("evidence.view_evidence", item_id=item.id))
    was_approved = item.status == "approved"

    def uploaded(revision: EvidenceRevision) -> tuple[str, str]:
        if was_approved:
            return (
                f"Version {revision.number} uploaded. {item.reference} was approved, so it is back to draft: send it "
                "for review again.",
                "info",
            )
        return f"Version {revision.number} uploaded", "success"

    if form.validate_on_submit() and (
        saved := save_form(
            lambda: evidence_service.add_revision(
                db.session,
                get_store(),
                actor(),
                item,
                Upload(form.file.data.filename, form.file.data.stream, note=form.note.data or ""),
                settings=_settings(),
                when=clock.now(),
            ),
            success=uploaded,
            then=url_for("evidence.view_evidence", item_id=item.id),
            errors=lambda error: _apply_errors(form, error, "file"),
        )
    ):
        return saved
    return render_template("evidence/upload.html", access=access, form=form, item=item, settings=_settings())


@bp.route("/items/<int:item_id>/revisions/<int:revision_id>/download")
@allow(*EVERYONE)
def download_revision(item_id: int, revision_id: int):  # type: ignore[no-untyped-def]
    access = current_access()
    revision = evidence_service.get_revision(db.session, access.partnership.id, item_id, revision_id, role=access.role)
    handle = get_store().open(revision.sha256)
    evidence_service.record_download(db.session, actor(), revision, role=access.role, when=clock.now())
    db.session.commit()
    response = send_file(
        handle,
        mimetype=revision.media_type,
        as_attachment=True,
        download_name=evidence_service.download_name(revision.item, revision),
        conditional=False,
        etag=False,
        max_age=0,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"  # also set for every response by security.py
    return response


@bp.route("/items/<int:item_id>/submit", methods=["POST"])
@allow(*EDITORS)
def submit_evidence(item_id: int):  # type: ignore[no-untyped-def]
    item = _item(item_id)
    form = SubmitForReviewForm()
    back = url_for("evidence.view_evidence", item_id=item.id)
    if form.validate_on_submit() and (
        saved := save_form(
            lambda: evidence_service.submit_for_review(db.session, actor(), item, when=clock.now()),
            success=f"{item.reference} sent to the partnership's leads for review",
            then=back,
        )
    ):
        return saved
    return redirect(back)


@bp.route("/items/<int:item_id>/review", methods=["GET", "POST"])
@allow(*LEADS)
def review_evidence(item_id: int):  # type: ignore[no-untyped-def]
    access = current_access()
    item = _item(item_id)
    framework = _framework()
    if item.status == "approved":
        return _withdraw_approval(item, framework)
    if item.status != "ready_for_review":
        flash(f"{item.reference} is not waiting for review", "info")
        return redirect(url_for("evidence.view_evidence", item_id=item.id))
    form = ReviewForm()

    def decide() -> str:
        if form.decision.data == "approve":
            evidence_service.approve(db.session, actor(), item, when=clock.now())
            return "approved"
        evidence_service.return_item(db.session, actor(), item, form.reason.data or "", when=clock.now())
        return "returned to its owner"

    if form.validate_on_submit() and (
        saved := save_form(
            decide,
            success=lambda verb: f"{item.reference} {verb}",
            then=url_for("evidence.view_evidence_digest"),
            errors=lambda error: _apply_errors(form, error, "decision"),
        )
    ):
        return saved
    return render_template("evidence/review.html", access=access, form=form, item=item, **_labels(framework))


def _withdraw_approval(item, framework):  # type: ignore[no-untyped-def]
    form = ReturnApprovedForm()
    if form.validate_on_submit() and (
        saved := save_form(
            lambda: evidence_service.return_item(db.session, actor(), item, form.reason.data or "", when=clock.now()),
            success=f"Approval withdrawn: {item.reference} returned to its owner",
            then=url_for("evidence.view_evidence", item_id=item.id),
            errors=lambda error: _apply_errors(form, error, "reason"),
        )
    ):
        return saved
    return render_template(
        "evidence/withdraw.html", access=current_access(), form=form, item=item, **_labels(framework)
    )


@bp.route("/items/<int:item_id>/delete", methods=["GET", "POST"])
@allow(*LEADS)
def delete_evidence(item_id: int):  # type: ignore[no-untyped-def]
    access = current_access()
    item = _item(item_id)
    form = DeleteEvidenceForm()
    if form.validate_on_submit() and (
        saved := save_form(
            lambda: evidence_service.delete_item(db.session, actor(), item, when=clock.now()),
            success=f"{item.reference} deleted",
            then=url_for("evidence.list_evidence"),
        )
    ):
        return saved
    return render_template("evidence/delete.html", access=access, form=form, item=item)


# --- Digest, register ------------------------------------------------------------------------------------------


@bp.route("/my-work")
@allow(*READERS)
def view_evidence_digest():  # type: ignore[no-untyped-def]
    access = current_access()
    framework = _framework()
    settings = _settings()
    digest = evidence_service.digest_for(
        db.session,
        access.partnership.id,
        current_user.id,
        role=access.role,
        today=clock.today(),
        soon_days=settings.review_soon_days,
    )
    return render_template("evidence/digest.html", access=access, digest=digest, **_labels(framework))


@bp.route("/import", methods=["GET", "POST"])
@allow(*EDITORS)
def import_evidence_register():  # type: ignore[no-untyped-def]
    access = current_access()
    framework = _framework()
    form = ImportRegisterForm()
    result = None

    def run_import() -> Any:  # the import result (ImportResult of importers/, which views do not import)
        upload = form.file.data
        imported = evidence_register.import_register(
            db.session,
            actor(),
            access.partnership,
            upload.stream.read(current_app.config["MAX_CONTENT_LENGTH"]),
            framework=framework,
            settings=_settings(),
            when=clock.now(),
            allow_approved=access.is_lead,
            filename=upload.filename or "",
            max_rows=current_app.config["EVIDENCE_IMPORT_MAX_ROWS"],
        )
        if not imported.ok:
            problems = len(imported.errors)
            message = (
                f"The register has {problems} problem{'s' if problems != 1 else ''}. Nothing was imported: fix them "
                "and import the file again"
            )
            raise Refused(message, imported)
        return imported

    def show(error: ValidationFailed) -> None:
        nonlocal result
        result = getattr(error, "result", None)
        form.file.errors = list(error.messages)

    if form.validate_on_submit() and (
        saved := save_form(
            run_import,
            success=lambda imported: f"{len(imported.rows)} evidence items imported",
            then=url_for("evidence.list_evidence", sort="reference"),
            errors=show,
        )
    ):
        return saved
    return render_template("evidence/import.html", access=access, form=form, result=result)


@bp.route("/register.<any(csv, xlsx):file_format>")
@allow(*EVERYONE)
def download_evidence_register(file_format: str):  # type: ignore[no-untyped-def]
    access = current_access()
    rows = evidence_register.export_rows(db.session, access.partnership.id, role=access.role)
    name = f"evidence-register-{access.partnership.slug}-{clock.today().isoformat()}.{file_format}"
    if file_format == "csv":
        body, mimetype = register_csv(rows), "text/csv"
    else:
        body = register_xlsx(rows, title=f"{access.partnership.name} evidence register")
        mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return attachment(body, mimetype, name)


# --- Contributions to other pages ------------------------------------------------------------------------------


def criterion_badges(access, framework) -> dict[str, list[CriterionBadge]]:  # type: ignore[no-untyped-def]
    """Badges on the framework pages: "N evidence items (M approved)" and the expected types still missing."""
    facts = evidence_service.coverage(
        db.session, access.partnership.id, framework, role=access.role, today=clock.today()
    )
    titles = {t.id: t.title for t in framework.evidence_types}
    badges: dict[str, list[CriterionBadge]] = {}
    for criterion_id, fact in facts.items():
        href = url_for("evidence.list_evidence", slug=access.partnership.slug, criterion=criterion_id)
        noun = "evidence item" if fact.linked == 1 else "evidence items"
        text = f"{fact.linked} {noun}" if access.is_inspector else f"{fact.linked} {noun} ({fact.approved} approved)"
        badges[criterion_id] = [CriterionBadge(text, href)]
        if fact.missing_types and not access.is_inspector:
            missing = ", ".join(titles.get(t, t) for t in fact.missing_types)
            badges[criterion_id].append(CriterionBadge(f"Missing types: {missing}"))
    return badges


def dashboard_card(access):  # type: ignore[no-untyped-def]
    summary = evidence_service.library_summary(db.session, access.partnership.id, role=access.role, today=clock.today())
    text = (
        f"{summary.total} items: {summary.approved} approved, {summary.ready_for_review} waiting for review, "
        f"{summary.stale} past their review-by date."
    )
    return DashboardCard("Evidence library", url_for("evidence.list_evidence", slug=access.partnership.slug), text)


@bp.app_template_global()
def criterion_evidence(access, framework, criterion):  # type: ignore[no-untyped-def]
    """The evidence section of a criterion page: linked items and the expected types with none."""
    pairs = evidence_service.criterion_evidence(db.session, access.partnership.id, criterion.id, role=access.role)
    linked_types = {item.evidence_type for item, _ in pairs}
    missing = [framework.evidence_type(t) for t in criterion.evidence_types if t not in linked_types]
    return {
        "pairs": pairs,
        "missing": missing,
        "today": clock.today(),
        "status_labels": STATUS_LABELS,
        "type_titles": {t.id: t.title for t in framework.evidence_types},
    }
