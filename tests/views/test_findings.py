"""Findings pages: outcome, actions, progress, sharing with inspectors, import, and the progress report."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from inspect_app.models import ActionProgress, AuditEvent, FollowUpAction, Inspection
from tests.views.test_inspections import date_fields


def add_finding(pages, inspection_id: int, **overrides):  # type: ignore[no-untyped-def]
    data = {
        "kind": "priority_action",
        "text": "Leaders should make sure EHC plans are issued within 20 weeks.",
        "reference": "",
        "owner_id": "0",
        "due_on": ["30", "6", "2027"],
        "status": "on_track",
        "criteria": ["EXP2"],
        "evidence": "",
        **overrides,
    }
    return pages.client.post(f"/p/alpha/inspections/{inspection_id}/findings/new", data=data)


def test_lead_records_the_outcome_and_report_and_sees_the_estimated_cycle(pages, session, two_partnerships, sign_in):
    world = two_partnerships
    sign_in(world.a.lead)
    inspection_id = world.a.inspection.id
    soup = pages.get(f"/p/alpha/inspections/{inspection_id}/outcome")
    labels = [label.get_text(strip=True) for label in soup.select("#outcome label, [name=outcome] + label")]
    assert "Widespread and/or systemic failings" in " ".join(labels)
    response = pages.client.post(
        f"/p/alpha/inspections/{inspection_id}/outcome",
        data={
            "regime": "area_send_2023",
            "outcome": "widespread_failings",
            **date_fields("report_published_on", date(2027, 2, 19)),
            "report_url": "https://reports.ofsted.gov.uk/provider/44/80539",
        },
    )
    assert response.status_code == 302
    soup = pages.get(f"/p/alpha/inspections/{inspection_id}")
    text = soup.get_text(" ", strip=True)
    assert "Widespread and/or systemic failings" in text
    timeline = {
        tr.th.get_text(strip=True): tr.td.get_text(" ", strip=True) for tr in soup.select("table")[1].select("tbody tr")
    }
    assert timeline["Monitoring inspection"] == "Between 19 May 2028 and 19 November 2028 Estimate"
    assert "Next full inspection" in timeline


def test_outcome_from_another_regimes_list_is_refused(pages, session, two_partnerships, sign_in):
    sign_in(two_partnerships.a.lead)
    soup = pages.post(
        f"/p/alpha/inspections/{two_partnerships.a.inspection.id}/outcome",
        data={"regime": "area_send_2023", "outcome": "wsoa_required", "report_url": ""},
    )
    assert "Select the outcome from the framework's list" in soup.select_one(".govuk-error-summary").get_text()
    assert session.get(Inspection, two_partnerships.a.inspection.id).outcome is None


def test_findings_progress_and_sharing_with_inspectors(pages, session, two_partnerships, sign_in):
    world = two_partnerships
    inspection_id = world.a.inspection.id
    sign_in(world.a.lead)
    assert add_finding(pages, inspection_id).status_code == 302
    action = session.scalars(select(FollowUpAction)).one()
    assert (action.reference, action.criterion_ids, action.due_on) == ("PA1", ["EXP2"], date(2027, 6, 30))
    sign_in(world.a.contributor)
    response = pages.client.post(
        f"/p/alpha/inspections/actions/{action.id}/progress",
        data={
            **date_fields("recorded_on", date(2026, 11, 20)),
            "text": "Recruited two caseworkers.",
            "status": "off_track",
        },
    )
    assert response.status_code == 302
    session.expire_all()
    assert session.get(FollowUpAction, action.id).status == "off_track"
    update = session.scalars(select(ActionProgress)).one()
    assert update.author == "contributor@alpha.example" and not update.shared
    # Inspectors see nothing until a lead shares an update.
    sign_in(world.a.inspector)
    soup = pages.get(f"/p/alpha/inspections/{inspection_id}/findings")
    assert "The partnership has not shared any progress yet." in soup.get_text()
    assert pages.client.get(f"/p/alpha/inspections/actions/{action.id}").status_code == 403  # members only
    sign_in(world.a.contributor)
    assert (
        pages.client.post(f"/p/alpha/inspections/progress/{update.id}/share", data={"shared": "yes"}).status_code == 403
    )
    sign_in(world.a.lead)
    assert (
        pages.client.post(f"/p/alpha/inspections/progress/{update.id}/share", data={"shared": "yes"}).status_code == 302
    )
    sign_in(world.a.inspector)
    soup = pages.get(f"/p/alpha/inspections/{inspection_id}/findings")
    assert "Recruited two caseworkers." in soup.get_text()
    actions = [e.action for e in session.scalars(select(AuditEvent).order_by(AuditEvent.id))]
    assert {"action.created", "action.progress_recorded", "action.progress_shared"} <= set(actions)


def test_a_contributor_cannot_add_findings(pages, two_partnerships, sign_in):
    sign_in(two_partnerships.a.contributor)
    assert add_finding(pages, two_partnerships.a.inspection.id).status_code == 403


def test_findings_import_lists_every_problem_and_adds_nothing(pages, session, two_partnerships, sign_in):
    import io

    sign_in(two_partnerships.a.lead)
    inspection_id = two_partnerships.a.inspection.id
    bad = b"kind,text,due_date\npriority action,Plans on time,31/02/2027\nwhatever,,\n"
    soup = pages.post(
        f"/p/alpha/inspections/{inspection_id}/findings/import",
        data={"file": (io.BytesIO(bad), "findings.csv")},
        content_type="multipart/form-data",
    )
    rows = [[td.get_text(strip=True) for td in tr.select("td")] for tr in soup.select("table tbody tr")]
    assert [row[:2] for row in rows] == [["2", "due_date"], ["3", "kind"], ["3", "text"]]
    assert session.scalars(select(FollowUpAction)).all() == []
    good = b"kind,text,due_date\npriority action,Plans on time,28/02/2027\nimprovement,Short breaks,\n"
    response = pages.client.post(
        f"/p/alpha/inspections/{inspection_id}/findings/import",
        data={"file": (io.BytesIO(good), "findings.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    assert [a.reference for a in session.scalars(select(FollowUpAction).order_by(FollowUpAction.id))] == ["PA1", "AI1"]


def test_progress_report_page_and_downloads(pages, session, two_partnerships, sign_in):
    sign_in(two_partnerships.a.lead)
    inspection_id = two_partnerships.a.inspection.id
    add_finding(pages, inspection_id)
    soup = pages.get(f"/p/alpha/inspections/{inspection_id}/findings/progress-report?audience=dfe-nhse")
    assert "For DfE and NHS England" in soup.get_text()
    for file_format, start in (("pdf", b"%PDF"), ("docx", b"PK"), ("html", b"<!DOCTYPE html>")):
        response = pages.client.get(
            f"/p/alpha/inspections/{inspection_id}/findings/progress-report.{file_format}?audience=board"
        )
        assert response.status_code == 200 and response.data.startswith(start)
        assert "attachment" in response.headers["Content-Disposition"]
    assert pages.client.get(f"/p/alpha/inspections/{inspection_id}/findings/progress-report.xlsx").status_code == 404
    sign_in(two_partnerships.a.inspector)
    assert pages.client.get(f"/p/alpha/inspections/{inspection_id}/findings/progress-report").status_code == 403
