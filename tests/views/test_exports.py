"""Scheduled export pages: leads set schedules up; readers see runs; leads download the files (audited)."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from inspect_app.models import AuditEvent, ExportRun, ExportSchedule
from inspect_app.reports.evidence_pack import verify_pack
from inspect_app.storage import get_store
from tests.evidence_factories import make_item
from tests.factories import create_export_run
from tests.page import text_of

NOW = datetime(2026, 11, 27, 10, 0)


@pytest.fixture
def export_root(app, monkeypatch, tmp_path):  # type: ignore[no-untyped-def]
    monkeypatch.setitem(app.config, "EXPORT_ROOT", tmp_path)
    app.config["FIXED_NOW"] = NOW.isoformat()
    return tmp_path


def schedule_form(**overrides) -> dict:  # type: ignore[no-untyped-def]
    return {
        "report": "audit-log:csv",
        "cadence": "weekly",
        "weekday": "0",
        "day_of_month": "",
        "time_of_day": "07:30",
        "destination": "weekly/audit",
        "keep_last": "8",
        **overrides,
    }


def test_lead_schedules_a_weekly_export_due_at_its_next_uk_time(pages, session, two_partnerships, sign_in, export_root):
    sign_in(two_partnerships.a.lead)
    response = pages.client.post("/p/alpha/exports/new", data=schedule_form())
    assert response.status_code == 302
    schedule = session.scalars(select(ExportSchedule).where(ExportSchedule.report_kind == "audit-log")).one()
    assert (schedule.cadence, schedule.weekday, schedule.destination, schedule.keep_last) == (
        "weekly",
        0,
        "weekly/audit",
        8,
    )
    assert schedule.next_due_at == datetime(2026, 11, 30, 7, 30)
    assert session.scalars(select(AuditEvent).where(AuditEvent.action == "export.schedule_created")).one()
    soup = pages.get(response.headers["Location"])
    assert soup.h1.get_text(strip=True) == "Audit log (CSV), Every Monday at 7:30am"
    text = text_of(soup)
    assert "30 November 2026 at 7:30am" in text
    assert "alpha/weekly/audit" in text
    assert "This export has not run yet" in text


def test_schedule_form_shows_gov_uk_errors_and_creates_nothing(pages, session, two_partnerships, sign_in, export_root):
    sign_in(two_partnerships.a.lead)
    before = session.scalars(select(ExportSchedule)).all()
    soup = pages.post("/p/alpha/exports/new", data={"time_of_day": "", "keep_last": ""})
    summary = soup.select_one(".govuk-error-summary").get_text(" ", strip=True)
    for message in (
        "Select a report",
        "Select how often the export runs",
        "Enter the time the export runs",
        "Enter how many files to keep",
    ):
        assert message in summary
    cases = [
        ({"weekday": ""}, "Select the day of the week"),
        ({"cadence": "monthly"}, "Select the day of the month"),
        ({"time_of_day": "25:00"}, "Time must be a real time on the 24-hour clock"),
        ({"destination": "../../etc"}, "The folder must not contain .."),
        ({"destination": "/srv/exports"}, "not a full path"),
        ({"keep_last": "0"}, "a whole number from 1 to 1000"),
        ({"report": "audit-log:pdf"}, "Not a valid choice"),
    ]
    for overrides, message in cases:
        soup = pages.post("/p/alpha/exports/new", data=schedule_form(**overrides))
        assert message in soup.select_one(".govuk-error-summary").get_text(" ", strip=True), overrides
    assert session.scalars(select(ExportSchedule)).all() == before


def test_a_folder_that_a_symbolic_link_leads_out_of_is_refused(
    pages, session, two_partnerships, sign_in, export_root, tmp_path_factory
):
    outside = tmp_path_factory.mktemp("outside")
    (export_root / "alpha").mkdir()
    (export_root / "alpha" / "shared").symlink_to(outside)
    sign_in(two_partnerships.a.lead)
    soup = pages.post("/p/alpha/exports/new", data=schedule_form(destination="shared/audit"))
    assert "The folder leads outside the export folder through a symbolic link" in text_of(soup)
    assert session.scalars(select(ExportSchedule).where(ExportSchedule.report_kind == "audit-log")).all() == []


def test_lead_changes_a_schedule_and_it_is_audited(pages, session, two_partnerships, sign_in, export_root):
    schedule = two_partnerships.a.export_schedule
    sign_in(two_partnerships.a.lead)
    soup = pages.get(f"/p/alpha/exports/{schedule.id}/edit")
    assert soup.select_one("#time_of_day")["value"] == "07:00"
    assert soup.select_one("input[name=cadence][value=daily]").has_attr("checked")
    response = pages.client.post(
        f"/p/alpha/exports/{schedule.id}/edit",
        data=schedule_form(report="members:csv", cadence="monthly", weekday="", day_of_month="-1", time_of_day="18:00"),
    )
    assert response.status_code == 302
    session.refresh(schedule)
    assert (schedule.cadence, schedule.day_of_month, schedule.weekday) == ("monthly", -1, None)
    assert schedule.next_due_at == datetime(2026, 11, 30, 18, 0)  # the last day of November
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "export.schedule_changed")).one()
    assert event.details["cadence"] == ["daily", "monthly"]


def test_lead_turns_an_export_off_and_back_on(pages, session, two_partnerships, sign_in, export_root):
    schedule = two_partnerships.a.export_schedule
    sign_in(two_partnerships.a.lead)
    soup = pages.get(f"/p/alpha/exports/{schedule.id}/disable")
    assert "Its files and the record of its runs are kept" in text_of(soup)
    pages.client.post(f"/p/alpha/exports/{schedule.id}/disable", data={})
    session.refresh(schedule)
    assert schedule.enabled is False
    soup = pages.get(f"/p/alpha/exports/{schedule.id}")
    assert "Turned off" in text_of(soup)
    assert soup.find("button", string=lambda s: s and "Turn this export back on" in s)
    pages.client.post(f"/p/alpha/exports/{schedule.id}/enable", data={})
    session.refresh(schedule)
    assert (schedule.enabled, schedule.next_due_at) == (True, datetime(2026, 11, 28, 7, 0))
    actions = session.scalars(
        select(AuditEvent.action).where(AuditEvent.object_type == "export_schedule").order_by(AuditEvent.id)
    ).all()
    assert actions == ["export.schedule_disabled", "export.schedule_enabled"]


def test_runs_show_status_file_hash_and_error(pages, session, two_partnerships, sign_in, export_root):
    schedule = two_partnerships.a.export_schedule
    create_export_run(
        session,
        schedule,
        status="failed",
        file_path=None,
        sha256=None,
        size_bytes=None,
        started_at=NOW + timedelta(days=1),
        error="The report could not be built (ValueError: no rows)",
    )
    session.commit()
    sign_in(two_partnerships.a.viewer)
    soup = pages.get(f"/p/alpha/exports/{schedule.id}")
    rows = [[td.get_text(" ", strip=True) for td in tr.find_all("td")] for tr in soup.select("tbody tr")]
    assert [r[2] for r in rows] == ["Failed", "Succeeded"]
    assert rows[0][3] == "The report could not be built (ValueError: no rows)"
    assert f"members-{schedule.id}.csv" in rows[1][3] and "SHA-256 " + "0" * 16 in rows[1][3]
    assert soup.select("tbody a") == [], "viewers see runs but cannot download"
    assert "Change" not in [a.get_text(strip=True) for a in soup.select("a.govuk-button")]


def test_lead_downloads_an_exported_file_and_the_download_is_audited(
    pages, client, session, two_partnerships, sign_in, export_root
):
    run = two_partnerships.a.export_run
    (export_root / run.file_path).write_text("name,email\n")
    sign_in(two_partnerships.a.lead)
    soup = pages.get(f"/p/alpha/exports/{two_partnerships.a.export_schedule.id}")
    link = soup.select_one("tbody a")["href"]
    response = client.get(link)
    assert response.status_code == 200
    assert response.get_data(as_text=True) == "name,email\n"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.mimetype == "text/csv"
    response.close()
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "export.downloaded")).one()
    assert (event.actor, event.object_id) == ("lead@alpha.example", str(run.id))


def test_lead_schedules_the_evidence_pack_and_downloads_the_zip_the_runner_wrote(
    app, pages, client, session, two_partnerships, sign_in, export_root
):
    approved = make_item(session, get_store(), two_partnerships.a, title="SEND strategy", status="approved")
    session.commit()
    sign_in(two_partnerships.a.lead)
    form = pages.get("/p/alpha/exports/new")
    choice = form.select_one("input[name=report][value='evidence-pack:zip']")
    assert form.find("label", attrs={"for": choice["id"]}).get_text(strip=True) == "Evidence pack (ZIP)"
    response = client.post("/p/alpha/exports/new", data=schedule_form(report="evidence-pack:zip", destination="packs"))
    assert response.status_code == 302
    schedule = session.scalars(select(ExportSchedule).where(ExportSchedule.report_kind == "evidence-pack")).one()
    assert (schedule.format, schedule.next_due_at) == ("zip", datetime(2026, 11, 30, 7, 30))
    assert pages.get(response.headers["Location"]).h1.get_text(strip=True) == (
        "Evidence pack (ZIP), Every Monday at 7:30am"
    )
    listed = [td.get_text(" ", strip=True) for td in pages.get("/p/alpha/exports/").select("tbody tr td:first-child")]
    assert any(cell.startswith("Evidence pack (ZIP)") for cell in listed)

    # cron runs the runner after the schedule's time
    app.config["FIXED_NOW"] = datetime(2026, 11, 30, 7, 35).isoformat()
    ran = app.test_cli_runner().invoke(args=["exports", "run-due", "--runner-id", "cron@host1"])
    assert ran.exit_code == 0, ran.output
    assert "succeeded  alpha  evidence-pack (zip)  alpha/packs/evidence-pack-2026-11-30-0735-" in ran.stdout

    soup = pages.get(f"/p/alpha/exports/{schedule.id}")
    [link] = soup.select("tbody a")
    download = client.get(link["href"])
    assert download.status_code == 200
    assert download.mimetype == "application/zip"
    assert download.headers["Content-Disposition"].startswith("attachment; filename=evidence-pack-2026-11-30-0735-")
    data = download.get_data()
    download.close()
    assert verify_pack(io.BytesIO(data)).ok
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        manifest = json.loads(archive.read("manifest.json"))
    assert [f["evidence_id"] for f in manifest["files"] if f["kind"] == "evidence"] == [approved.id]
    run = session.scalars(select(ExportRun).where(ExportRun.schedule_id == schedule.id)).one()
    assert (run.sha256, run.size_bytes) == (hashlib.sha256(data).hexdigest(), len(data))


def test_download_answers_404_when_the_file_is_gone_or_was_never_made(
    client, session, two_partnerships, sign_in, export_root
):
    schedule = two_partnerships.a.export_schedule
    failed = create_export_run(session, schedule, status="failed", file_path=None)
    pruned = create_export_run(session, schedule, pruned_at=NOW, file_path="alpha/pruned.csv")
    escaping = create_export_run(session, schedule, file_path="../outside.csv")
    session.commit()
    (export_root.parent / "outside.csv").write_text("secret")
    (export_root / "alpha").mkdir()
    (export_root / "alpha" / "pruned.csv").write_text("old")
    sign_in(two_partnerships.a.lead)
    for run in (two_partnerships.a.export_run, failed, pruned, escaping):
        assert client.get(f"/p/alpha/exports/runs/{run.id}/download").status_code == 404
    sign_in(two_partnerships.a.viewer)
    assert client.get(f"/p/alpha/exports/runs/{two_partnerships.a.export_run.id}/download").status_code == 403


def test_schedules_list_shows_the_last_run_and_has_an_empty_state(pages, session, two_partnerships, sign_in):
    sign_in(two_partnerships.a.lead)
    soup = pages.get("/p/alpha/exports/")
    cells = [td.get_text(" ", strip=True) for td in soup.select("tbody tr td")]
    assert cells[0].startswith("Members (CSV)")
    assert cells[1] == "Every day at 7:00am"
    assert cells[3].startswith("Succeeded")
    session.delete(two_partnerships.a.export_schedule)
    session.commit()
    assert "There are no scheduled exports yet" in text_of(pages.get("/p/alpha/exports/"))


def test_contributors_and_viewers_read_schedules_but_inspectors_never_see_them(client, two_partnerships, sign_in):
    schedule_id = two_partnerships.a.export_schedule.id
    for user in (two_partnerships.a.contributor, two_partnerships.a.viewer):
        sign_in(user)
        assert client.get("/p/alpha/exports/").status_code == 200
        assert client.get(f"/p/alpha/exports/{schedule_id}").status_code == 200
        assert client.get("/p/alpha/exports/new").status_code == 403
        assert client.get(f"/p/alpha/exports/{schedule_id}/edit").status_code == 403
    sign_in(two_partnerships.a.inspector)
    assert client.get("/p/alpha/exports/").status_code == 403
