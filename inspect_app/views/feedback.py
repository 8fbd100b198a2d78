"""Family feedback: surveys and their waves, importing an export, the figures, comments, "you said, we did".

Who sees what: leads and contributors import, map, theme and quote; viewers read everything. Inspectors read
the summaries (groups under 5 suppressed, as for everyone) and "you said, we did", and see a family's comment
only once the partnership has marked it as a quote: the rest are raw words kept for the partnership's own use.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from wtforms.fields.choices import SelectChoice

from inspect_app import clock
from inspect_app.domain.errors import NotFound, ValidationFailed
from inspect_app.domain.feedback import POINT_LABELS, SCALE, mapping_from_yaml, mapping_to_yaml
from inspect_app.extensions import db
from inspect_app.forms.feedback import (
    CommentFilterForm,
    CommentForm,
    ConfirmDeleteForm,
    SurveyForm,
    UploadResponsesForm,
    YouSaidWeDidForm,
    build_mapping_form,
)
from inspect_app.navigation import (
    CriterionBadge,
    DashboardCard,
)
from inspect_app.services import feedback as feedback_service
from inspect_app.services import feedback_comments as comment_service
from inspect_app.services.frameworks import partnership_framework
from inspect_app.services.partnerships import Access
from inspect_app.storage.pending_uploads import PendingUploads
from inspect_app.views.access import EDITORS, EVERYONE, actor, allow, current_access, protect_partnership_blueprint
from inspect_app.views.downloads import attachment
from inspect_app.views.forms import Refused, save_form

bp = Blueprint("feedback", __name__, url_prefix="/p/<slug>/feedback")
protect_partnership_blueprint(bp)

ERRORS_SHOWN = 100


def _framework():  # type: ignore[no-untyped-def]
    return partnership_framework(db.session, current_access().partnership)[1]


def _uploads() -> PendingUploads:
    return PendingUploads(current_app.config["PENDING_UPLOADS_DIR"], current_app.config["PENDING_UPLOAD_MAX_AGE"])


def _min_n() -> int:
    return current_app.config["FEEDBACK_MIN_GROUP_SIZE"]


@bp.route("/")
@allow(*EVERYONE)
def list_surveys():  # type: ignore[no-untyped-def]
    access = current_access()
    listings = feedback_service.list_surveys(db.session, access.partnership.id)
    overview = feedback_service.feedback_overview(db.session, access.partnership.id)
    return render_template("feedback/surveys.html", access=access, listings=listings, overview=overview)


@bp.route("/surveys/new", methods=["GET", "POST"])
@allow(*EDITORS)
def create_survey():  # type: ignore[no-untyped-def]
    access = current_access()
    form = SurveyForm()
    if form.validate_on_submit() and (
        saved := save_form(
            lambda: feedback_service.create_survey(
                db.session,
                actor(),
                access.partnership.id,
                name=form.name.data,
                audience=form.audience.data,
                opened_on=form.opened_on.data,
                closed_on=form.closed_on.data,
                when=clock.now(),
            ),
            success=lambda survey: f"Survey {survey.name} created. Now import its responses.",
            then=lambda survey: url_for("feedback.upload_responses", survey_id=survey.id),
            form=form,
            errors="name",
        )
    ):
        return saved
    return render_template("feedback/survey-form.html", access=access, form=form, survey=None)


@bp.route("/surveys/<int:survey_id>/edit", methods=["GET", "POST"])
@allow(*EDITORS)
def edit_survey(survey_id: int):  # type: ignore[no-untyped-def]
    access = current_access()
    survey = feedback_service.get_survey(db.session, access.partnership.id, survey_id)
    form = SurveyForm(obj=survey)
    if form.validate_on_submit() and (
        saved := save_form(
            lambda: feedback_service.update_survey(
                db.session,
                actor(),
                survey,
                name=form.name.data,
                audience=form.audience.data,
                opened_on=form.opened_on.data,
                closed_on=form.closed_on.data,
                when=clock.now(),
            ),
            success=lambda _: f"Survey {survey.name} saved",
            then=url_for("feedback.view_survey", survey_id=survey.id),
            form=form,
            errors="name",
        )
    ):
        return saved
    return render_template("feedback/survey-form.html", access=access, form=form, survey=survey)


@bp.route("/surveys/<int:survey_id>")
@allow(*EVERYONE)
def view_survey(survey_id: int):  # type: ignore[no-untyped-def]
    access = current_access()
    survey = feedback_service.get_survey(db.session, access.partnership.id, survey_id)
    wave_id = request.args.get("wave", type=int)
    analysis = feedback_service.analyse_survey(db.session, survey, _framework(), wave_id=wave_id, min_n=_min_n())
    return render_template(
        "feedback/survey.html",
        access=access,
        survey=survey,
        analysis=analysis,
        scale=SCALE,
        labels=POINT_LABELS,
        redaction_summary=feedback_service.redaction_summary,
        source_labels=feedback_service.SOURCE_LABELS,
    )


@bp.route("/surveys/<int:survey_id>/mapping.yml")
@allow(*EDITORS)
def download_mapping(survey_id: int):  # type: ignore[no-untyped-def]
    access = current_access()
    survey = feedback_service.get_survey(db.session, access.partnership.id, survey_id)
    if not survey.mapping_yaml:
        raise NotFound("This survey has no saved mapping yet")
    filename = f"mapping-survey-{survey.id}.yml"
    return attachment(survey.mapping_yaml, "application/yaml", filename)


@bp.route("/surveys/<int:survey_id>/import", methods=["GET", "POST"])
@allow(*EDITORS)
def upload_responses(survey_id: int):  # type: ignore[no-untyped-def]
    access = current_access()
    survey = feedback_service.get_survey(db.session, access.partnership.id, survey_id)
    form = UploadResponsesForm()
    if form.validate_on_submit():
        data = form.export.data.read()
        framework = _framework()
        given_yaml = form.mapping.data.read().decode("utf-8", "replace") if form.mapping.data else None
        given, label = None, ""
        try:
            label = feedback_service.check_wave_label(db.session, survey, form.label.data)
        except ValidationFailed as error:
            form.label.errors = list(error.messages)
        try:
            given = feedback_service.check_mapping(mapping_from_yaml(given_yaml), framework) if given_yaml else None
        except ValidationFailed as error:
            form.mapping.errors = list(error.messages)
        try:
            feedback_service.check_not_imported(db.session, survey, feedback_service.file_sha256(data))
            feedback_service.propose_mapping(survey, data, framework, given)  # refuses an unreadable file now
        except ValidationFailed as error:
            form.export.errors = list(error.messages)
        if not form.errors:
            token = _uploads().save(
                access.partnership.id,
                data,
                {
                    "survey_id": survey.id,
                    "file_name": form.export.data.filename or "upload",
                    "label": label,
                    "mapping": mapping_to_yaml(given) if given else None,
                },
                now=clock.now(),
            )
            return redirect(url_for("feedback.map_columns", survey_id=survey.id, upload_id=token))
    return render_template(
        "feedback/upload.html",
        access=access,
        form=form,
        survey=survey,
        saved=feedback_service.saved_mapping(survey) is not None,
    )


def _pending(survey_id: int, upload_id: str):  # type: ignore[no-untyped-def]
    access = current_access()
    survey = feedback_service.get_survey(db.session, access.partnership.id, survey_id)
    upload = _uploads().load(access.partnership.id, upload_id)
    if upload.meta.get("survey_id") != survey.id:
        raise NotFound("That upload belongs to another survey")
    return access, survey, upload


def _link_choices(framework, audience: str) -> list[SelectChoice]:  # type: ignore[no-untyped-def]
    choices = [SelectChoice("", "Not linked to the framework")]
    items = sorted(framework.survey_items, key=lambda item: item.audience != audience)
    choices += [SelectChoice(f"item:{i.id}", f"Survey item ({i.criterion_id}): {i.statement}") for i in items]
    choices += [SelectChoice(f"criterion:{c.id}", f"Criterion {c.id}: {c.title}") for c in framework.criteria]
    return choices


@bp.route("/surveys/<int:survey_id>/import/<upload_id>", methods=["GET", "POST"])
@allow(*EDITORS)
def map_columns(survey_id: int, upload_id: str) -> ResponseReturnValue:
    access, survey, upload = _pending(survey_id, upload_id)
    framework = _framework()
    given = mapping_from_yaml(upload.meta["mapping"]) if upload.meta.get("mapping") else None
    proposal = feedback_service.propose_mapping(survey, upload.data, framework, given)
    names = [preview.name for preview in proposal.columns]
    links = _link_choices(framework, survey.audience)
    if request.method == "GET":
        data = _proposed_choices(proposal, names, framework)
        form = build_mapping_form(names, links, list(proposal.unknown), data=data)
        return _render_mapping(access, survey, upload_id, proposal, form)
    form = build_mapping_form(names, links, list(proposal.unknown), formdata=request.form)
    if not (form.validate() and form.validate_columns()):
        return _render_mapping(access, survey, upload_id, proposal, form)
    return _import_mapped(access, survey, upload, proposal, form, framework, names, links)


def _proposed_choices(proposal: Any, names: list[str], framework: Any) -> dict[str, str]:
    """The mapping form's fields as the proposal fills them: each column's role, its link and its grid kind."""
    data = {}
    for index, name in enumerate(names):
        role = proposal.mapping.columns[name]
        data.update(
            {
                f"role_{index}": role.role,
                f"link_{index}": feedback_service.link_of(role, framework),
                f"group_{index}": role.group_kind or "",
            }
        )
    return data


def _import_mapped(access, survey, upload, proposal, form, framework, names, links) -> ResponseReturnValue:  # type: ignore[no-untyped-def]
    """Import the wave with the mapping the person chose; on row errors show them and nothing is stored."""
    upload_id = upload.token
    refused: list[tuple[Any, Any]] = []  # (mapping, result) of an import refused for its rows

    def run_import() -> Any:
        mapping = feedback_service.mapping_from_choices(
            form.choices(), {**feedback_service.custom_answers(proposal.mapping), **form.answers()}, framework
        )
        outcome = feedback_service.import_wave(
            db.session,
            actor(),
            survey,
            data=upload.data,
            file_name=upload.meta.get("file_name", "upload"),
            mapping=mapping,
            framework=framework,
            label=upload.meta.get("label"),
            when=clock.now(),
        )
        if not outcome.ok:
            raise Refused("The responses have problems; nothing was imported", (mapping, outcome.result))
        return outcome

    def imported(outcome: Any) -> str:
        _uploads().delete(access.partnership.id, upload_id)  # only once the wave is committed
        wave = outcome.wave
        return (
            f"Imported {wave.respondents:,} responses as wave {wave.label}. "
            f"{feedback_service.redaction_summary(wave.redactions)}."
        )

    def show(error: ValidationFailed) -> None:
        if isinstance(error, Refused):
            refused.append(error.result)  # type: ignore[arg-type]
        else:
            form.submit.errors = list(error.messages)

    saved = save_form(
        run_import,
        success=imported,
        then=lambda outcome: url_for("feedback.view_survey", survey_id=survey.id, wave=outcome.wave.id),
        errors=show,
    )
    if saved:
        return saved
    if refused:
        mapping, result = refused[0]
        return _import_failed(access, survey, upload, proposal, mapping, result, names, links)
    return _render_mapping(access, survey, upload_id, proposal, form)


def _import_failed(access, survey, upload, proposal, mapping, result, names, links):  # type: ignore[no-untyped-def]
    """Show the row errors (nothing was stored), keep them all for download, and ask about new answer wordings."""
    unknown = feedback_service.unknown_answers_for(upload.data, mapping)
    upload_id = upload.token
    wordings = list(dict.fromkeys([*proposal.unknown, *unknown]))
    form = build_mapping_form(names, links, wordings, formdata=request.form)
    form.validate()
    placed = set(form.answers())
    for index, wording in enumerate(wordings):
        if wording in unknown and wording not in placed:
            form[f"answer_{index}"].errors = [
                f"Choose where “{wording}” sits on the scale, or import its column as something else"
            ]
    problems = len(result.errors)
    form.submit.errors = [f"The file has {problems:,} problem{'s' if problems != 1 else ''}, so nothing was imported"]
    _uploads().update_meta(
        access.partnership.id, upload_id, errors=[[e.row, e.column, e.value, e.message] for e in result.errors]
    )
    proposal.unknown = {w: unknown.get(w, proposal.unknown.get(w, 0)) for w in wordings}
    return _render_mapping(
        access, survey, upload_id, proposal, form, errors=result.errors[:ERRORS_SHOWN], error_count=problems
    )


def _render_mapping(access, survey, upload_id, proposal, form, errors=None, error_count=0):  # type: ignore[no-untyped-def]
    return render_template(
        "feedback/map-columns.html",
        access=access,
        survey=survey,
        upload_id=upload_id,
        proposal=proposal,
        form=form,
        errors=errors or [],
        error_count=error_count,
    )


@bp.route("/surveys/<int:survey_id>/import/<upload_id>/errors.csv")
@allow(*EDITORS)
def download_import_errors(survey_id: int, upload_id: str):  # type: ignore[no-untyped-def]
    from inspect_app.importers.common import RowError, errors_to_csv

    _, survey, upload = _pending(survey_id, upload_id)
    errors = [RowError(*row) for row in upload.meta.get("errors") or []]
    return attachment(errors_to_csv(errors), "text/csv", f"import-errors-survey-{survey.id}.csv")


@bp.route("/surveys/<int:survey_id>/waves/<int:wave_id>/delete", methods=["GET", "POST"])
@allow(*EDITORS)
def delete_wave(survey_id: int, wave_id: int):  # type: ignore[no-untyped-def]
    access = current_access()
    survey = feedback_service.get_survey(db.session, access.partnership.id, survey_id)
    wave = feedback_service.get_wave(db.session, survey, wave_id)
    form = ConfirmDeleteForm()
    if form.validate_on_submit():
        label = wave.label
        feedback_service.delete_wave(db.session, actor(), wave, when=clock.now())
        db.session.commit()
        flash(f"Wave {label} and its responses have been deleted", "success")
        return redirect(url_for("feedback.view_survey", survey_id=survey.id))
    return render_template("feedback/confirm-delete-wave.html", access=access, form=form, survey=survey, wave=wave)


# --- Comments ------------------------------------------------------------------------------------------------


@bp.route("/comments")
@allow(*EVERYONE)
def list_comments():  # type: ignore[no-untyped-def]
    access = current_access()
    framework = _framework()
    listings = feedback_service.list_surveys(db.session, access.partnership.id)
    form = CommentFilterForm(request.args)
    form.survey.choices = [SelectChoice("", "All surveys")] + [
        SelectChoice(str(listing.survey.id), listing.survey.name) for listing in listings
    ]
    form.theme.choices = [SelectChoice("", "Any criterion")] + [
        SelectChoice(c.id, f"{c.id}: {c.title}") for c in framework.criteria
    ]
    filters = comment_service.CommentFilter(
        survey_id=request.args.get("survey", type=int),
        theme=request.args.get("theme") or None,
        status=request.args.get("status") if request.args.get("status") in ("suggested", "confirmed") else None,
        quotes_only=access.is_inspector or bool(request.args.get("quotes")),
    )
    comments = comment_service.list_comments(db.session, access.partnership.id, filters)
    size = current_app.config["PAGE_SIZE"]
    pages = max((len(comments) + size - 1) // size, 1)
    page = min(max(request.args.get("page", 1, type=int) or 1, 1), pages)
    shown = comments[(page - 1) * size : page * size]
    return render_template(
        "feedback/comments.html",
        access=access,
        filter_form=form,
        comments=shown,
        total=len(comments),
        page=page,
        pages=pages,
        themes=comment_service.theme_counts(comments),
        args={k: v for k, v in request.args.items() if k != "page"},
        linked=comment_service.entries_for_comments(db.session, access.partnership.id, [c.id for c in shown]),
    )


@bp.route("/comments/<int:comment_id>", methods=["GET", "POST"])
@allow(*EDITORS)
def edit_comment(comment_id: int):  # type: ignore[no-untyped-def]
    access = current_access()
    framework = _framework()
    comment = comment_service.get_comment(db.session, access.partnership.id, comment_id)
    form = CommentForm(
        data={"themes": list(comment.themes or ()), "is_quote": comment.is_quote, "quote_note": comment.quote_note}
        if request.method == "GET"
        else None
    )
    form.themes.choices = [SelectChoice(c.id, f"{c.id}: {c.title}") for c in framework.criteria]
    if form.validate_on_submit() and (
        saved := save_form(
            lambda: comment_service.update_comment(
                db.session,
                actor(),
                comment,
                themes=form.themes.data or [],
                is_quote=form.is_quote.data,
                quote_note=form.quote_note.data,
                framework=framework,
                when=clock.now(),
            ),
            success=lambda _: "Themes confirmed" + (" and the comment marked as a quote" if comment.is_quote else ""),
            then=url_for("feedback.list_comments"),
            form=form,
            errors="themes",
        )
    ):
        return saved
    return render_template("feedback/comment.html", access=access, form=form, comment=comment)


# --- You said, we did ----------------------------------------------------------------------------------------


@bp.route("/you-said-we-did")
@allow(*EVERYONE)
def list_you_said_we_did():  # type: ignore[no-untyped-def]
    access = current_access()
    entries = comment_service.list_entries(db.session, access.partnership.id)
    return render_template("feedback/you-said-we-did.html", access=access, entries=entries)


def _criterion_choices(framework) -> list[SelectChoice]:  # type: ignore[no-untyped-def]
    return [SelectChoice("", "Not linked to a criterion")] + [
        SelectChoice(c.id, f"{c.id}: {c.title}") for c in framework.criteria
    ]


@bp.route("/you-said-we-did/new", methods=["GET", "POST"])
@allow(*EDITORS)
def create_you_said_we_did():  # type: ignore[no-untyped-def]
    access = current_access()
    framework = _framework()
    comment_id = request.args.get("comment", type=int)
    comment = comment_service.get_comment(db.session, access.partnership.id, comment_id) if comment_id else None
    prefilled = comment is not None and request.method == "GET"
    form = YouSaidWeDidForm(data={"said": comment.text, "criterion": comment.criterion or ""} if prefilled else None)
    form.criterion.choices = _criterion_choices(framework)
    if form.validate_on_submit() and (
        saved := save_form(
            lambda: comment_service.create_entry(
                db.session,
                actor(),
                access.partnership.id,
                said=form.said.data,
                did=form.did.data,
                criterion=form.criterion.data or None,
                done_on=form.done_on.data,
                owner=form.owner.data,
                comment_id=comment.id if comment else None,
                framework=framework,
                when=clock.now(),
            ),
            success="Added to “you said, we did”",
            then=url_for("feedback.list_you_said_we_did"),
            form=form,
            errors="said",
        )
    ):
        return saved
    return render_template("feedback/you-said-we-did-form.html", access=access, form=form, entry=None, comment=comment)


@bp.route("/you-said-we-did/<int:entry_id>/edit", methods=["GET", "POST"])
@allow(*EDITORS)
def edit_you_said_we_did(entry_id: int):  # type: ignore[no-untyped-def]
    access = current_access()
    framework = _framework()
    entry = comment_service.get_entry(db.session, access.partnership.id, entry_id)
    form = YouSaidWeDidForm(obj=entry if request.method == "GET" else None)
    form.criterion.choices = _criterion_choices(framework)
    if request.method == "GET":
        form.criterion.data = entry.criterion or ""
    if form.validate_on_submit() and (
        saved := save_form(
            lambda: comment_service.update_entry(
                db.session,
                actor(),
                entry,
                said=form.said.data,
                did=form.did.data,
                criterion=form.criterion.data or None,
                done_on=form.done_on.data,
                owner=form.owner.data,
                framework=framework,
                when=clock.now(),
            ),
            success="“You said, we did” entry saved",
            then=url_for("feedback.list_you_said_we_did"),
            form=form,
            errors="said",
        )
    ):
        return saved
    return render_template(
        "feedback/you-said-we-did-form.html", access=access, form=form, entry=entry, comment=entry.comment
    )


@bp.route("/you-said-we-did/<int:entry_id>/delete", methods=["GET", "POST"])
@allow(*EDITORS)
def delete_you_said_we_did(entry_id: int):  # type: ignore[no-untyped-def]
    access = current_access()
    entry = comment_service.get_entry(db.session, access.partnership.id, entry_id)
    form = ConfirmDeleteForm()
    if form.validate_on_submit():
        comment_service.delete_entry(db.session, actor(), entry, when=clock.now())
        db.session.commit()
        flash("The entry has been deleted", "success")
        return redirect(url_for("feedback.list_you_said_we_did"))
    return render_template("feedback/confirm-delete-entry.html", access=access, form=form, entry=entry)


# --- What other pages show -----------------------------------------------------------------------------------


def dashboard_card(access: Access) -> DashboardCard | None:
    """The dashboard card: how many surveys and responses, or how to start."""
    overview = feedback_service.feedback_overview(db.session, access.partnership.id)
    if overview.surveys == 0:
        summary = "No surveys yet. Import an export from Microsoft Forms, Google Forms, SurveyMonkey or SmartSurvey."
    else:
        summary = (
            f"{overview.surveys} survey{'s' if overview.surveys != 1 else ''}, {overview.responses:,} responses in "
            f"the latest waves, {overview.quotes} quote{'s' if overview.quotes != 1 else ''} marked."
        )
    return DashboardCard("Family feedback", url_for("feedback.list_surveys", slug=access.partnership.slug), summary)


def criterion_badges(access: Access, framework) -> dict[str, list[CriterionBadge]]:  # type: ignore[no-untyped-def]
    """Framework overview badges: "N responses, X% agree" per criterion (no figure under the minimum)."""
    minimum = current_app.config["FEEDBACK_MIN_GROUP_SIZE"]
    results = feedback_service.criterion_feedback(db.session, access.partnership.id)
    href = url_for("feedback.list_surveys", slug=access.partnership.slug)
    badges = {}
    for criterion_id, result in results.items():
        if result.responses == 0:
            continue
        if result.responses < minimum or result.agree_pct is None:
            text = f"{result.responses} family responses (too few to show agreement)"
        else:
            text = f"{result.responses:,} family responses, {result.agree_pct:g}% agree"
        badges[criterion_id] = [CriterionBadge(text, href)]
    return badges
