"""The demo's inspection, inspector grant and scheduled exports agree with each other."""

from __future__ import annotations

from datetime import date, datetime

from flask import current_app
from sqlalchemy import select

from inspect_app import demo
from inspect_app.models import ExportSchedule, Inspection, Membership


def test_demo_inspector_access_ends_a_week_after_the_demo_inspections_on_site_week(session):
    context = demo.build_demo(session, config=current_app.config, seed=1, cases=5, now=datetime(2026, 11, 27, 10, 0))
    inspection = session.scalars(select(Inspection).where(Inspection.notification_date > date(2020, 1, 1))).one()
    assert (inspection.inspection_type, inspection.notification_date) == ("full", date(2026, 11, 30))
    inspector = session.scalars(select(Membership).where(Membership.role == "inspector")).one()
    # Notified Monday 30 November: on site 14 to 18 December (estimated), access until 25 December.
    assert inspector.expires_on == date(2026, 12, 25)
    schedules = session.scalars(select(ExportSchedule).order_by(ExportSchedule.id)).all()
    assert [(s.report_kind, s.cadence, s.destination) for s in schedules] == [
        ("audit-log", "weekly", "weekly"),
        ("members", "monthly", "monthly"),
    ]
    assert schedules[0].next_due_at == datetime(2026, 11, 30, 7, 0)
    assert any("full inspection" in line for line in context.summary)
