"""The inspection framework as a partnership sees it, and moving to a newer version."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from wtforms.fields.choices import SelectChoice

from inspect_app import clock
from inspect_app.domain.errors import ValidationFailed
from inspect_app.extensions import db
from inspect_app.forms.frameworks import ChooseVersionForm, ConfirmMoveForm
from inspect_app.navigation import criterion_summaries
from inspect_app.services import framework_moves
from inspect_app.services import frameworks as framework_service
from inspect_app.views.access import EVERYONE, LEADS, actor, allow, current_access, protect_partnership_blueprint

bp = Blueprint("frameworks", __name__, url_prefix="/p/<slug>/framework")
protect_partnership_blueprint(bp)


@bp.route("/")
@allow(*EVERYONE)
def view_framework():  # type: ignore[no-untyped-def]
    access = current_access()
    row, framework = framework_service.partnership_framework(db.session, access.partnership)
    db.session.commit()  # adopting the latest version on first use is a one-time, audited-by-load default
    newer = [v for v in framework_service.list_versions(db.session, row.framework_id)
             if v.in_force_from > row.in_force_from]
    return render_template("frameworks/overview.html", access=access, framework=framework, version=row,
                           summaries=criterion_summaries(access, framework), newer=newer)


@bp.route("/criteria/<criterion_id>")
@allow(*EVERYONE)
def view_criterion(criterion_id: str):  # type: ignore[no-untyped-def]
    access = current_access()
    _, framework = framework_service.partnership_framework(db.session, access.partnership)
    criterion = framework.criterion(criterion_id)  # NotFound -> 404
    section = framework.section(criterion.section_id)
    evidence_types = [framework.evidence_type(t) for t in criterion.evidence_types]
    measures = [framework.measure(m) for m in criterion.measures]
    survey_items = [s for s in framework.survey_items if s.id in criterion.survey_items]
    return render_template("frameworks/criterion.html", access=access, framework=framework, criterion=criterion,
                           section=section, evidence_types=evidence_types, measures=measures,
                           survey_items=survey_items,
                           summary=criterion_summaries(access, framework).get(criterion.id, []))


@bp.route("/move", methods=["GET", "POST"])
@allow(*LEADS)
def choose_framework_version():  # type: ignore[no-untyped-def]
    access = current_access()
    current, _ = framework_service.partnership_framework(db.session, access.partnership)
    others = [v for v in framework_service.list_versions(db.session, current.framework_id) if v.id != current.id]
    form = ChooseVersionForm()
    form.version_id.choices = [SelectChoice(v.id, f"{v.version} (in force from {v.in_force_from:%d %B %Y})")
                               for v in others]
    if form.validate_on_submit():
        return redirect(url_for("frameworks.confirm_framework_move", version_id=form.version_id.data))
    return render_template("frameworks/choose-version.html", access=access, form=form, current=current,
                           others=others)


@bp.route("/move/<int:version_id>", methods=["GET", "POST"])
@allow(*LEADS)
def confirm_framework_move(version_id: int):  # type: ignore[no-untyped-def]
    access = current_access()
    target = framework_service.get_version_by_id(db.session, version_id)
    form = ConfirmMoveForm()
    try:
        plan = framework_moves.plan_move(db.session, access.partnership, target)
    except ValidationFailed as error:
        flash(" ".join(error.messages), "info")
        return redirect(url_for("frameworks.view_framework"))
    if form.validate_on_submit():
        framework_moves.move_partnership(db.session, actor(), access.partnership, target, when=clock.now())
        db.session.commit()
        flash(f"{access.partnership.name} now works against {target.label}", "success")
        return redirect(url_for("frameworks.view_framework"))
    return render_template("frameworks/confirm-move.html", access=access, form=form, plan=plan)


