"""A partnership's own pages: dashboard, members, audit log."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, request, url_for
from flask.typing import ResponseReturnValue

from inspect_app import clock
from inspect_app.domain.partners import PARTNERS
from inspect_app.extensions import db
from inspect_app.forms.audit import AuditFilterForm
from inspect_app.forms.members import AddMemberForm, ChangeRoleForm, ConfirmForm
from inspect_app.navigation import inspector_sections
from inspect_app.reports import tables
from inspect_app.services import audit
from inspect_app.services import inspections as inspection_service
from inspect_app.services import partnerships as partnership_service
from inspect_app.services.partnerships import Access
from inspect_app.views.access import (
    EVERYONE,
    LEADS,
    READERS,
    actor,
    allow,
    current_access,
    protect_partnership_blueprint,
)
from inspect_app.views.downloads import attachment
from inspect_app.views.forms import save_form

bp = Blueprint("partnerships", __name__, url_prefix="/p/<slug>")
protect_partnership_blueprint(bp)


@bp.route("/")
@allow(*EVERYONE)
def view_dashboard():  # type: ignore[no-untyped-def]
    access = current_access()
    if access.is_inspector:
        inspection = inspection_service.latest_inspection(db.session, access.partnership.id)
        return render_template(
            "partnerships/inspector-home.html",
            access=access,
            inspection=inspection,
            dates=inspection_service.dates_of(inspection) if inspection else None,
            sections=inspector_sections(access),
        )
    members = partnership_service.list_members(db.session, access.partnership.id)
    return render_template("partnerships/dashboard.html", access=access, member_count=len(members))


@bp.route("/members")
@allow(*READERS)
def list_members():  # type: ignore[no-untyped-def]
    access = current_access()
    members = partnership_service.list_members(db.session, access.partnership.id)
    return render_template(
        "partnerships/members.html", access=access, members=members, today=clock.today(), partners=PARTNERS
    )


@bp.route("/members/new", methods=["GET", "POST"])
@allow(*LEADS)
def add_member():  # type: ignore[no-untyped-def]
    access = current_access()
    form = AddMemberForm()
    if form.validate_on_submit() and (
        saved := save_form(
            lambda: partnership_service.grant(
                db.session,
                actor(),
                access.partnership,
                email=form.email.data,
                role=form.role.data,
                expires_on=form.expires_on.data,
                when=clock.now(),
                organisation=form.organisation.data or None,
            ),
            success=f"{form.email.data} is now a {form.role.data} of {access.partnership.name}",
            then=url_for("partnerships.list_members"),
            form=form,
            errors="email",
        )
    ):
        return saved
    return render_template("partnerships/add-member.html", access=access, form=form)


@bp.route("/members/<int:membership_id>/role", methods=["GET", "POST"])
@allow(*LEADS)
def change_member_role(membership_id: int):  # type: ignore[no-untyped-def]
    access = current_access()
    membership = partnership_service.get_membership(db.session, access.partnership.id, membership_id)
    form = ChangeRoleForm(
        data={
            "role": membership.role,
            "expires_on": membership.expires_on,
            "organisation": membership.organisation or "",
        }
    )
    if form.validate_on_submit() and (
        saved := save_form(
            lambda: partnership_service.change_role(
                db.session,
                actor(),
                membership,
                role=form.role.data,
                expires_on=form.expires_on.data,
                when=clock.now(),
                organisation=form.organisation.data or None,
            ),
            success=f"Role of {membership.user.name} changed to {form.role.data}",
            then=url_for("partnerships.list_members"),
            form=form,
            errors="role",
        )
    ):
        return saved
    return render_template("partnerships/change-role.html", access=access, form=form, membership=membership)


@bp.route("/members/<int:membership_id>/remove", methods=["GET", "POST"])
@allow(*LEADS)
def remove_member(membership_id: int):  # type: ignore[no-untyped-def]
    access = current_access()
    membership = partnership_service.get_membership(db.session, access.partnership.id, membership_id)
    form = ConfirmForm()
    if form.validate_on_submit() and (
        saved := save_form(
            lambda: partnership_service.remove_member(db.session, actor(), membership, when=clock.now()),
            success=f"{membership.user.name} has been removed from {access.partnership.name}",
            then=url_for("partnerships.list_members"),
            form=form,
            errors="submit",
        )
    ):
        return saved
    return render_template("partnerships/remove-member.html", access=access, form=form, membership=membership)


def _audit_filter(access: Access) -> AuditFilterForm:
    form = AuditFilterForm(request.args, actions=audit.list_actions(db.session, access.partnership.id))
    form.validate()  # errors are shown, and a field with one does not narrow the list
    return form


@bp.route("/audit")
@allow(*LEADS)
def view_audit_log() -> ResponseReturnValue:
    access = current_access()
    form = _audit_filter(access)
    page = audit.page_of_events(
        db.session,
        access.partnership.id,
        form.details(action_prefix=request.args.get("action_prefix") or None),
        page=request.args.get("page", 1, type=int) or 1,
        size=current_app.config["PAGE_SIZE"],
    )
    args = {key: values for key, values in request.args.to_dict(flat=False).items() if key != "page"}
    return render_template("partnerships/audit-log.html", access=access, form=form, page=page, args=args)


@bp.route("/audit.csv")
@allow(*LEADS)
def download_audit_log() -> ResponseReturnValue:
    access = current_access()
    filters = _audit_filter(access).details(action_prefix=request.args.get("action_prefix") or None)
    body = tables.audit_log_csv(audit.iter_events(db.session, access.partnership.id, filters))
    filename = f"audit-{access.partnership.slug}-{clock.today().isoformat()}.csv"
    return attachment(body, "text/csv", filename)
