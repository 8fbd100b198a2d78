"""The person-level lists check for leads: upload, see every problem, download the lists in the template's layout.

The upload is read in memory and answered in the same request: the result page, or the clean file as an
attachment. Nothing from the lists is stored; the stored summary (counts, rules, rows) is listed below the form.
"""

from __future__ import annotations

from flask import Blueprint, current_app, render_template
from flask.typing import ResponseReturnValue

from inspect_app import clock
from inspect_app.domain.errors import ValidationFailed
from inspect_app.domain.person_lists import RULES, issues_by_rule, load_template
from inspect_app.extensions import db
from inspect_app.forms.person_lists import CheckListsForm
from inspect_app.reports import person_lists as list_reports
from inspect_app.services import person_lists as list_service
from inspect_app.views.access import LEADS, actor, allow, current_access, protect_partnership_blueprint
from inspect_app.views.downloads import attachment

bp = Blueprint("person_lists", __name__, url_prefix="/p/<slug>/person-lists")
protect_partnership_blueprint(bp)


@bp.route("/", methods=["GET", "POST"])
@allow(*LEADS)
def check_lists() -> ResponseReturnValue:
    access = current_access()
    template = load_template()
    form = CheckListsForm(data={"as_of": clock.today(), "output": "check"})
    outcome = None
    if form.validate_on_submit():
        upload = form.file.data
        data = upload.stream.read(current_app.config["MAX_CONTENT_LENGTH"])
        try:
            outcome = list_service.run_check(
                db.session,
                actor(),
                [(upload.filename or "lists", data)],
                partnership=access.partnership,
                as_of=form.as_of.data,
                when=clock.now(),
                template=template,
            )
        except ValidationFailed as error:
            db.session.rollback()
            form.file.errors = list(error.messages)
        else:
            file_format = form.output.data
            if outcome.result.ok and file_format in list_reports.FORMATS:
                list_service.record_download(
                    db.session, actor(), access.partnership, file_format=file_format, when=clock.now()
                )
                db.session.commit()
                body = list_reports.lists_file(outcome.result, file_format)
                name = f"person-level-lists-{access.partnership.slug}-{form.as_of.data.isoformat()}.{file_format}"
                return attachment(body, list_reports.FORMATS[file_format], name)
            db.session.commit()
    return render_template(
        "person_lists/check.html",
        access=access,
        form=form,
        template=template,
        outcome=outcome,
        grouped=issues_by_rule(outcome.result.issues) if outcome else [],
        list_titles={spec.id: f"List {spec.number}: {spec.title}" for spec in template.lists},
        checks=list_service.list_checks(db.session, access.partnership.id, limit=10),
    )


@bp.route("/checks/<int:check_id>")
@allow(*LEADS)
def view_check(check_id: int) -> ResponseReturnValue:
    access = current_access()
    check = list_service.get_check(db.session, access.partnership.id, check_id)
    template = load_template()
    return render_template(
        "person_lists/summary.html",
        access=access,
        check=check,
        rules=RULES,
        list_titles={spec.id: f"List {spec.number}: {spec.title}" for spec in template.lists},
    )
