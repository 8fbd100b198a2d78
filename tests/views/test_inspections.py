"""Inspection records, inspector access granted from them, the inspector's home and their activity for leads."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from inspect_app import navigation
from inspect_app.models import AuditEvent, Inspection, Membership
from tests.factories import create_user
from tests.page import text_of


def date_fields(name: str, value: date) -> dict[str, list[str]]:
    return {name: [str(value.day), str(value.month), str(value.year)]}


def key_dates(soup) -> dict[str, str]:  # type: ignore[no-untyped-def]
    table = soup.select("table")[0]
    return {tr.th.get_text(strip=True): tr.td.get_text(" ", strip=True) for tr in table.select("tbody tr")}


def record_form(**overrides) -> dict:  # type: ignore[no-untyped-def]
    data = {
        "inspection_type": "full",
        **date_fields("notification_date", date(2027, 1, 11)),
        "on_site_week_start": ["", "", ""],
        "lead_inspector": "Sam Okafor HMI",
        "notes": "LANO: Alex Morgan",
    }
    data.update(overrides)
    return data


def test_lead_records_an_inspection_and_sees_its_estimated_dates(pages, session, two_partnerships, sign_in):
    sign_in(two_partnerships.a.lead)
    response = pages.client.post("/p/alpha/inspections/new", data=record_form())
    assert response.status_code == 302
    inspection = session.scalars(select(Inspection).where(Inspection.notification_date == date(2027, 1, 11))).one()
    assert (inspection.partnership_id, inspection.lead_inspector) == (
        two_partnerships.a.partnership.id,
        "Sam Okafor HMI",
    )
    assert response.headers["Location"] == f"/p/alpha/inspections/{inspection.id}"
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "inspection.created")).one()
    assert event.details["notification_date"] == "2027-01-11"
    soup = pages.get(response.headers["Location"])
    assert soup.h1.get_text(strip=True) == "Full inspection notified 11 January 2027"
    rows = key_dates(soup)
    assert rows["Notification"] == "11 January 2027"
    assert rows["Fieldwork begins"] == "21 January 2027 Estimate"
    assert rows["Inspectors on site"] == "25 January 2027 to 29 January 2027 Estimate"
    assert rows["Report published"].startswith("Around 6 April 2027")


def test_recording_an_inspection_shows_gov_uk_errors_and_changes_nothing(pages, session, two_partnerships, sign_in):
    sign_in(two_partnerships.a.lead)
    before = session.scalars(select(Inspection)).all()
    soup = pages.post(
        "/p/alpha/inspections/new",
        data=record_form(inspection_type="", notification_date=["31", "2", "2027"]),
    )
    summary = soup.select_one(".govuk-error-summary").get_text(" ", strip=True)
    assert "Select the type of inspection" in summary
    assert "Date the partnership was notified must be a real date" in summary
    soup = pages.post("/p/alpha/inspections/new", data=record_form(notification_date=["", "", ""]))
    assert "Enter the date the partnership was notified" in text_of(soup)
    soup = pages.post(
        "/p/alpha/inspections/new", data=record_form(**date_fields("on_site_week_start", date(2027, 1, 26)))
    )
    assert "The on-site week must start on a Monday" in text_of(soup)
    assert soup.title.get_text().startswith("Error: ")
    assert session.scalars(select(Inspection)).all() == before


def test_an_entered_on_site_week_replaces_the_estimate(pages, session, two_partnerships, sign_in):
    sign_in(two_partnerships.a.lead)
    inspection = two_partnerships.a.inspection
    response = pages.client.post(
        f"/p/alpha/inspections/{inspection.id}/edit",
        data=record_form(**date_fields("on_site_week_start", date(2027, 2, 1))),
    )
    assert response.status_code == 302
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "inspection.updated")).one()
    assert event.details["on_site_week_start"] == [None, "2027-02-01"]
    assert event.details["notification_date"] == ["2026-11-23", "2027-01-11"]
    soup = pages.get(f"/p/alpha/inspections/{inspection.id}")
    rows = key_dates(soup)
    assert rows["Inspectors on site"] == "1 February 2027 to 5 February 2027"


def test_the_edit_form_shows_the_current_record(pages, two_partnerships, sign_in):
    sign_in(two_partnerships.a.lead)
    soup = pages.get(f"/p/alpha/inspections/{two_partnerships.a.inspection.id}/edit")
    assert soup.select_one("#notification_date-day")["value"] == "23"
    assert soup.select_one("input[name=inspection_type][value=full]").has_attr("checked")
    assert soup.select_one("#lead_inspector")["value"] == "Jordan Blake HMI"


def test_everyone_including_inspectors_can_read_the_inspection_but_only_leads_change_it(
    pages, client, two_partnerships, sign_in
):
    inspection_id = two_partnerships.a.inspection.id
    for user in (two_partnerships.a.viewer, two_partnerships.a.inspector):
        sign_in(user)
        soup = pages.get(f"/p/alpha/inspections/{inspection_id}")
        assert "Change the inspection record" not in text_of(soup)
        assert "Inspector access" not in text_of(soup)
        assert pages.get("/p/alpha/inspections/").select("tbody tr")
        for url in (
            "/p/alpha/inspections/new",
            f"/p/alpha/inspections/{inspection_id}/edit",
            f"/p/alpha/inspections/{inspection_id}/inspector-access",
            "/p/alpha/inspections/inspector-activity",
        ):
            assert client.get(url).status_code == 403


def test_inspections_list_has_an_empty_state(pages, session, two_partnerships, sign_in):
    session.delete(two_partnerships.a.inspection)
    session.commit()
    sign_in(two_partnerships.a.lead)
    assert "No inspection has been recorded yet" in text_of(pages.get("/p/alpha/inspections/"))


def test_grant_form_suggests_a_week_after_the_on_site_week(pages, two_partnerships, sign_in, app):
    sign_in(two_partnerships.a.lead)
    soup = pages.get(f"/p/alpha/inspections/{two_partnerships.a.inspection.id}/inspector-access")
    # Notified Monday 23 November 2026: on site (estimated) 7 to 11 December, access until 18 December.
    suggested = [soup.select_one(f"#expires_on-{part}")["value"] for part in ("day", "month", "year")]
    assert suggested == ["18", "12", "2026"]
    assert "7 days after the on-site week ends on 11 December 2026 (estimated)" in text_of(soup)
    app.config["INSPECTOR_ACCESS_DAYS_AFTER_ON_SITE"] = 14
    try:
        soup = pages.get(f"/p/alpha/inspections/{two_partnerships.a.inspection.id}/inspector-access")
        assert soup.select_one("#expires_on-day")["value"] == "25"
    finally:
        app.config["INSPECTOR_ACCESS_DAYS_AFTER_ON_SITE"] = 7


def test_lead_grants_an_existing_account_inspector_access_that_ends_by_itself(
    pages, client, session, app, two_partnerships, sign_in
):
    hmi = create_user(session, email="hmi@ofsted.example", name="Sam Okafor")
    session.commit()
    inspection_id = two_partnerships.a.inspection.id
    sign_in(two_partnerships.a.lead)
    app.config["FIXED_NOW"] = "2026-11-23T09:00:00"
    response = client.post(
        f"/p/alpha/inspections/{inspection_id}/inspector-access",
        data={"email": "HMI@ofsted.example", **date_fields("expires_on", date(2026, 12, 18))},
    )
    assert response.status_code == 302
    membership = session.scalars(select(Membership).where(Membership.user_id == hmi.id)).one()
    assert (membership.role, membership.expires_on) == ("inspector", date(2026, 12, 18))
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "member.added")).one()
    assert event.details["expires_on"] == "2026-12-18"
    soup = pages.get(f"/p/alpha/inspections/{inspection_id}")
    assert "hmi@ofsted.example" in text_of(soup)

    sign_in(hmi)
    app.config["FIXED_NOW"] = "2026-12-18T23:59:00"
    assert client.get("/p/alpha/").status_code == 200  # the last day is included
    app.config["FIXED_NOW"] = "2026-12-19T00:00:01"
    soup = pages.get("/p/alpha/", expected_status=403)
    assert "ended on 18 December 2026" in text_of(soup)


def test_granting_inspector_access_refuses_unknown_accounts_and_existing_members(
    pages, session, two_partnerships, sign_in
):
    sign_in(two_partnerships.a.lead)
    url = f"/p/alpha/inspections/{two_partnerships.a.inspection.id}/inspector-access"
    later = date.today() + timedelta(days=10)
    soup = pages.post(url, data={"email": "stranger@ofsted.example", **date_fields("expires_on", later)})
    assert "There is no account for stranger@ofsted.example. Ask the site administrator to create one" in text_of(soup)
    soup = pages.post(url, data={"email": "viewer@alpha.example", **date_fields("expires_on", later)})
    assert "viewer@alpha.example is already a viewer of this partnership" in text_of(soup)
    session.expire_all()
    assert session.get(Membership, two_partnerships.a.memberships["viewer"].id).role == "viewer"
    soup = pages.post(url, data={"email": "", "expires_on": ["", "", ""]})
    summary = soup.select_one(".govuk-error-summary").get_text(" ", strip=True)
    assert "Enter the inspector's email address" in summary
    assert "Enter the last day of the inspector's access" in summary


def test_inspector_home_is_a_guide_in_order_with_only_pages_that_exist(pages, two_partnerships, sign_in, monkeypatch):
    monkeypatch.setattr(
        navigation,
        "INSPECTOR_SECTIONS",
        [
            navigation.INSPECTOR_SECTIONS[0],  # the framework
            ("Family feedback", "feedback.not_built_yet", "Not built yet, so never shown"),
            navigation.InspectorSection("Self-evaluation", "inspections.list_inspections", "Stands in for it", 20),
        ],
    )
    sign_in(two_partnerships.a.inspector)
    soup = pages.get("/p/alpha/")
    links = [a.get_text(strip=True) for a in soup.select("main ol a")]
    assert links == ["The inspection framework", "Self-evaluation"]
    assert soup.select_one("main ol a")["href"] == "/p/alpha/framework/"
    assert "Not built yet" not in text_of(soup.select_one("main ol"))
    text = text_of(soup)
    assert "Full inspection" in text and "Jordan Blake HMI" in text
    assert "7 December 2026 to 11 December 2026 Estimate" in text


def test_leads_see_what_inspectors_opened_and_nothing_else(pages, client, session, two_partnerships, sign_in):
    world = two_partnerships
    sign_in(world.a.inspector)
    client.get("/p/alpha/")
    client.get("/p/alpha/framework/")
    sign_in(world.a.lead)
    client.post(f"/p/alpha/members/{world.a.memberships['viewer'].id}/role", data={"role": "contributor"})
    soup = pages.get("/p/alpha/inspections/inspector-activity")
    tables = soup.select("table")
    people = [[td.get_text(strip=True) for td in tr.find_all("td")] for tr in tables[0].select("tbody tr")]
    assert [(p[0], p[1]) for p in people] == [("inspector@alpha.example", "2")]
    pages_opened = [tr.find_all("td")[3].get_text(strip=True) for tr in tables[1].select("tbody tr")]
    assert pages_opened == ["/p/alpha/framework/", "/p/alpha/"]
    assert "member.role_changed" not in text_of(soup)
    csv_link = soup.find("a", string="Download inspector activity as CSV")["href"]
    lines = client.get(csv_link).get_data(as_text=True).strip().splitlines()
    assert {line.split(",")[2] for line in lines[1:]} == {"inspector.viewed"}


def test_inspector_activity_has_an_empty_state(pages, two_partnerships, sign_in):
    sign_in(two_partnerships.a.lead)
    assert "No inspector has opened anything yet" in text_of(pages.get("/p/alpha/inspections/inspector-activity"))


def test_every_file_an_inspector_downloads_is_in_the_inspector_log_and_members_downloads_are_not(
    client, session, two_partnerships, sign_in
):

    sign_in(two_partnerships.a.viewer)
    assert client.get("/p/alpha/self-evaluation/document.html").status_code == 200
    sign_in(two_partnerships.a.inspector)
    assert client.get("/p/alpha/self-evaluation/document.docx").status_code == 200
    assert client.get("/p/alpha/self-evaluation/document.xlsx").status_code == 404  # not a download: not logged
    downloads = session.scalars(select(AuditEvent).where(AuditEvent.action == "inspector.downloaded")).all()
    assert [(e.object_type, e.object_id.split("-")[0], e.details["endpoint"]) for e in downloads] == [
        ("file", "self", "self_evaluation.download_sef_document")
    ]
    assert downloads[0].object_id.endswith(".docx") and downloads[0].user_id == two_partnerships.a.inspector.id


def test_the_inspector_guide_lists_the_timeliness_data(pages, two_partnerships, sign_in):
    sign_in(two_partnerships.a.inspector)
    soup = pages.get("/p/alpha/")
    links = {a.get_text(strip=True): a["href"] for a in soup.select("main ol a")}
    assert links["Timeliness data"] == "/p/alpha/timeliness/"
    assert list(links).index("Timeliness data") == list(links).index("National statistics") - 1
