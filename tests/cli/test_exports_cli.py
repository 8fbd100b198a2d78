"""`inspect-app exports run-due` and `exports list`: output, exit codes, and what they leave behind."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from inspect_app.models import ExportRun
from inspect_app.services.report_kinds import REPORT_KINDS, ReportKind
from tests.factories import create_export_schedule

NOW = datetime(2026, 11, 27, 10, 0)


def run(app, *args):  # type: ignore[no-untyped-def]
    return app.test_cli_runner().invoke(args=list(args))


@pytest.fixture
def frozen(app, monkeypatch, tmp_path):  # type: ignore[no-untyped-def]
    monkeypatch.setitem(app.config, "EXPORT_ROOT", tmp_path)
    app.config["FIXED_NOW"] = NOW.isoformat()
    return tmp_path


def test_run_due_with_nothing_due_says_so_and_exits_0(app, two_partnerships, frozen):
    result = run(app, "exports", "run-due", "--runner-id", "cron@host1")
    assert result.exit_code == 0, result.output
    assert "0 due exports run by cron@host1: 0 succeeded, 0 failed" in result.output


def test_run_due_writes_the_due_exports_and_lists_each_file(app, session, two_partnerships, frozen):
    create_export_schedule(session, two_partnerships.a.partnership, next_due_at=NOW - timedelta(minutes=5))
    session.commit()
    result = run(app, "exports", "run-due")
    assert result.exit_code == 0, result.output
    record = session.scalars(
        select(ExportRun).where(ExportRun.status == "succeeded", ExportRun.runner_id != "test")
    ).one()
    assert f"succeeded  alpha  members (csv)  {record.file_path}" in result.output
    assert "1 due export run by" in result.output
    assert (frozen / record.file_path).read_text().startswith("name,email,role,access_until,current,member_since")


def test_run_due_exits_1_and_names_each_failure_on_stderr(app, session, two_partnerships, frozen, monkeypatch):
    def broken(session, partnership, fmt, settings):  # type: ignore[no-untyped-def]
        raise ValueError("the numbers do not add up")

    monkeypatch.setitem(REPORT_KINDS, "broken", ReportKind("Broken", ("csv",), broken))
    create_export_schedule(
        session, two_partnerships.a.partnership, report_kind="broken", next_due_at=NOW - timedelta(minutes=5)
    )
    create_export_schedule(session, two_partnerships.b.partnership, next_due_at=NOW - timedelta(minutes=5))
    session.commit()
    result = run(app, "exports", "run-due")
    assert result.exit_code == 1
    assert "Error: failed  alpha  broken (csv)" in result.stderr
    assert "The report could not be built (ValueError: the numbers do not add up)" in result.stderr
    assert "succeeded  beta  members (csv)" in result.stdout
    assert "2 due exports run by" in result.stdout and "1 succeeded, 1 failed" in result.stdout


def test_list_prints_each_schedule_and_json_gives_the_details(app, session, two_partnerships, frozen):
    result = run(app, "exports", "list", "--partnership", "alpha")
    assert result.exit_code == 0, result.output
    schedule = two_partnerships.a.export_schedule
    assert result.output.startswith(f"{schedule.id}\tMembers (CSV)\tEvery day at 7:00am\tnext 2026-11-28 10:00 GMT")
    assert "alpha/daily\tkeep 5\tlast run succeeded" in result.output
    data = json.loads(run(app, "exports", "list", "--partnership", "alpha", "--json").output)
    assert data[0]["report"] == "members" and data[0]["time_of_day"] == "07:00"
    assert data[0]["next_due_at"] == "2026-11-28T10:00:00Z"
    assert data[0]["last_run"]["status"] == "succeeded"


def test_list_for_an_unknown_partnership_exits_1(app, two_partnerships):
    result = run(app, "exports", "list", "--partnership", "nowhere")
    assert result.exit_code == 1
    assert "No partnership 'nowhere'" in result.stderr
