"""A partnership's own pages: dashboard, members, audit log."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from sqlalchemy import func, select

from inspect_app import clock
from inspect_app.domain.errors import ValidationFailed
from inspect_app.domain.partners import PARTNERS
from inspect_app.extensions import db
from inspect_app.forms.base import SearchForm
from inspect_app.forms.members import AddMemberForm, ChangeRoleForm, ConfirmForm
from inspect_app.navigation import inspector_sections
from inspect_app.reports import tables
from inspect_app.services import audit
from inspect_app.services import inspections as inspection_service
from inspect_app.services import partnerships as partnership_service
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
    if form.validate_on_submit():
        try:
            partnership_service.grant(
                db.session,
                actor(),
                access.partnership,
                email=form.email.data,
                role=form.role.data,
                expires_on=form.expires_on.data,
                when=clock.now(),
                organisation=form.organisation.data or None,
            )
        except ValidationFailed as error:
            db.session.rollback()
            form.email.errors = list(error.messages)
        else:
            db.session.commit()
            flash(f"{form.email.data} is now a {form.role.data} of {access.partnership.name}", "success")
            return redirect(url_for("partnerships.list_members"))
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
    if form.validate_on_submit():
        try:
            partnership_service.change_role(
                db.session,
                actor(),
                membership,
                role=form.role.data,
                expires_on=form.expires_on.data,
                when=clock.now(),
                organisation=form.organisation.data or None,
            )
        except ValidationFailed as error:
            db.session.rollback()
            form.role.errors = list(error.messages)
        else:
            db.session.commit()
            flash(f"Role of {membership.user.name} changed to {form.role.data}", "success")
            return redirect(url_for("partnerships.list_members"))
    return render_template("partnerships/change-role.html", access=access, form=form, membership=membership)


@bp.route("/members/<int:membership_id>/remove", methods=["GET", "POST"])
@allow(*LEADS)
def remove_member(membership_id: int):  # type: ignore[no-untyped-def]
    access = current_access()
    membership = partnership_service.get_membership(db.session, access.partnership.id, membership_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        name = membership.user.name
        try:
            partnership_service.remove_member(db.session, actor(), membership, when=clock.now())
        except ValidationFailed as error:
            db.session.rollback()
            form.submit.errors = list(error.messages)
        else:
            db.session.commit()
            flash(f"{name} has been removed from {access.partnership.name}", "success")
            return redirect(url_for("partnerships.list_members"))
    return render_template("partnerships/remove-member.html", access=access, form=form, membership=membership)


def _audit_filter() -> tuple[SearchForm, audit.AuditFilter]:
    form = SearchForm(request.args)

    def parse(name: str) -> datetime | None:
        value = request.args.get(name, "").strip()
        try:
            return datetime.combine(datetime.strptime(value, "%Y-%m-%d").date(), time()) if value else None
        except ValueError:
            return None

    date_to = parse("to")
    filters = audit.AuditFilter(
        action=request.args.get("action") or None,
        action_prefix=request.args.get("action_prefix") or None,
        actor=request.args.get("actor") or None,
        date_from=parse("from"),
        date_to=date_to + timedelta(days=1) if date_to else None,
    )
    return form, filters


@bp.route("/audit")
@allow(*LEADS)
def view_audit_log():  # type: ignore[no-untyped-def]
    access = current_access()
    form, filters = _audit_filter()
    query = audit.audit_query(access.partnership.id, filters)
    page = max(request.args.get("page", 1, type=int) or 1, 1)
    size = current_app.config["PAGE_SIZE"]
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    events = db.session.scalars(query.limit(size).offset((page - 1) * size)).all()
    return render_template(
        "partnerships/audit-log.html",
        access=access,
        form=form,
        events=events,
        total=total,
        page=page,
        pages=max((total + size - 1) // size, 1),
        actions=audit.list_actions(db.session, access.partnership.id),
        args=request.args,
    )


@bp.route("/audit.csv")
@allow(*LEADS)
def download_audit_log():  # type: ignore[no-untyped-def]
    access = current_access()
    _, filters = _audit_filter()
    events = db.session.scalars(audit.audit_query(access.partnership.id, filters))
    body = tables.audit_log_csv(events)
    filename = f"audit-{access.partnership.slug}-{clock.today().isoformat()}.csv"
    return attachment(body, "text/csv", filename)
