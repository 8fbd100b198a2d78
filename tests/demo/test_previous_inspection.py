"""The demo's previous inspection: old framework, a written statement of action with progress, and a list file."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from inspect_app import demo
from inspect_app.demo.previous_inspection import LIST_FILE_NAME, demo_list_file
from inspect_app.domain.person_lists import check_lists, load_template
from inspect_app.importers.person_lists import read_list_files
from inspect_app.models import ActionPlan, Inspection
from inspect_app.services import findings

NOW = datetime(2026, 11, 27, 10, 0)


def test_the_demo_has_an_old_framework_inspection_with_a_wsoa_and_its_progress(session):
    context = demo.build_demo(session, config=current_app.config, seed=1, cases=5, now=NOW)
    previous = session.scalars(select(Inspection).where(Inspection.notification_date == date(2019, 3, 4))).one()
    assert (previous.regime, previous.outcome, previous.framework_version_id) == (
        "local_area_send_2016",
        "wsoa_required",
        None,
    )
    plan = session.scalars(select(ActionPlan)).one()
    assert plan.title == "Written statement of action" and plan.inspection_id == previous.id
    assert [(a.reference, a.status) for a in plan.actions] == [
        ("WSoA1", "off_track"),
        ("WSoA2", "done"),
        ("WSoA3", "on_track"),
        ("WSoA4", "done"),
    ]
    assert all(action.progress for action in plan.actions)
    assert [a.reference for a in (s.action for s in findings.shared_actions(plan))] == ["WSoA1", "WSoA2", "WSoA3"]
    facts = findings.follow_up_facts(session, context.partnership.id)
    assert any(fact.status == "off_track" and fact.due < NOW.date() for fact in facts["EXP2"])
    path = Path(current_app.config["INSTANCE_PATH"]) / "demo" / LIST_FILE_NAME
    assert path.exists() and any(str(path) in line for line in context.summary)


def test_the_demo_list_file_has_a_handful_of_realistic_mistakes_and_its_corrected_version_none():
    as_of = date(2026, 11, 27)
    template = load_template()
    result = check_lists(read_list_files([("demo.xlsx", demo_list_file(1, as_of=as_of))], template), as_of=as_of)
    assert {issue.code for issue in result.errors} == {"F01", "F02", "V01", "109", "D02", "107", "106b"}
    assert {issue.code for issue in result.queries} == {"C02", "W02"}
    clean = check_lists(
        read_list_files([("demo.xlsx", demo_list_file(1, as_of=as_of, with_errors=False))], template), as_of=as_of
    )
    assert clean.issues == [] and [len(c.rows) for c in clean.lists] == [40, 60]
