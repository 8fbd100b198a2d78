from __future__ import annotations

from datetime import date, timedelta
from urllib.parse import urlencode

from sqlalchemy import select

from inspect_app import clock
from inspect_app.models import AuditEvent, Membership
from tests.factories import add_member, create_user
from tests.page import text_of


def test_dashboard_shows_the_partnership_to_its_members(pages, two_partnerships, sign_in):
    sign_in(two_partnerships.a.viewer)
    soup = pages.get("/p/alpha/")
    assert soup.h1.get_text(strip=True) == "Alpha Partnership"
    assert "You are a viewer" in text_of(soup)


def test_single_partnership_member_is_taken_straight_to_its_dashboard(client, two_partnerships, sign_in):
    sign_in(two_partnerships.a.viewer)
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"] == "/p/alpha/"


def test_admin_sees_the_partnership_list_but_not_partnership_pages(pages, client, two_partnerships, sign_in):
    sign_in(two_partnerships.admin)
    soup = pages.get("/")
    assert "You are not a member of any partnership yet" in text_of(soup)
    assert client.get("/p/alpha/").status_code == 404


def test_members_page_lists_everyone_leads_first(pages, two_partnerships, sign_in):
    sign_in(two_partnerships.a.lead)
    soup = pages.get("/p/alpha/members")
    rows = [[c.get_text(" ", strip=True) for c in tr.find_all("td")] for tr in soup.select("tbody tr")]
    assert [r[2] for r in rows] == ["Lead", "Contributor", "Viewer", "Inspector"]
    assert "beta" not in text_of(soup)


def test_lead_adds_a_member_by_email_and_it_is_audited(pages, session, two_partnerships, sign_in):
    newcomer = create_user(session, email="new.person@alpha.example", name="New Person")
    session.commit()
    sign_in(two_partnerships.a.lead)
    pages.client.post("/p/alpha/members/new", data={"email": "New.Person@alpha.example ", "role": "contributor"})
    membership = session.scalars(select(Membership).where(Membership.user_id == newcomer.id)).one()
    assert membership.role == "contributor"
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "member.added")).one()
    assert event.actor == "lead@alpha.example"
    assert event.partnership_id == two_partnerships.a.partnership.id
    assert event.details["email"] == "new.person@alpha.example"


def test_add_member_shows_gov_uk_errors_and_changes_nothing(pages, session, two_partnerships, sign_in):
    sign_in(two_partnerships.a.lead)
    before = session.scalars(select(Membership)).all()
    soup = pages.post("/p/alpha/members/new", data={"email": "not-an-email", "role": ""})
    summary = soup.select_one(".govuk-error-summary")
    assert summary is not None
    assert "Enter an email address in the correct format" in summary.get_text()
    assert "Select a role" in summary.get_text()
    assert soup.title.get_text().startswith("Error: ")
    assert len(session.scalars(select(Membership)).all()) == len(before)


def test_add_member_refuses_an_email_without_an_account(pages, two_partnerships, sign_in):
    sign_in(two_partnerships.a.lead)
    soup = pages.post("/p/alpha/members/new", data={"email": "stranger@else.example", "role": "viewer"})
    assert "There is no account for stranger@else.example" in text_of(soup)


def test_inspector_grant_needs_an_end_date(pages, session, two_partnerships, sign_in):
    create_user(session, email="hmi@ofsted.example")
    session.commit()
    sign_in(two_partnerships.a.lead)
    soup = pages.post("/p/alpha/members/new", data={"email": "hmi@ofsted.example", "role": "inspector"})
    assert "Enter the last day of the inspector" in text_of(soup)
    later = date.today() + timedelta(days=14)
    pages.client.post(
        "/p/alpha/members/new",
        data={
            "email": "hmi@ofsted.example",
            "role": "inspector",
            "expires_on": [str(later.day), str(later.month), str(later.year)],
        },
    )
    membership = session.scalars(
        select(Membership).where(Membership.role == "inspector", Membership.expires_on == later)
    ).one()
    assert membership.user.email == "hmi@ofsted.example"


def test_the_last_lead_cannot_be_removed_or_demoted(pages, session, two_partnerships, sign_in):
    world = two_partnerships
    sign_in(world.a.lead)
    lead_membership = world.a.memberships["lead"]
    soup = pages.post(f"/p/alpha/members/{lead_membership.id}/remove", data={})
    assert "You cannot remove the last lead" in text_of(soup)
    soup = pages.post(f"/p/alpha/members/{lead_membership.id}/role", data={"role": "viewer"})
    assert "A partnership must keep at least one lead" in text_of(soup)
    session.expire_all()
    assert session.get(Membership, lead_membership.id).role == "lead"


def test_lead_removes_a_member_after_a_second_lead_exists(pages, session, two_partnerships, sign_in):
    world = two_partnerships
    second = create_user(session, email="second.lead@alpha.example")
    add_member(session, world.a.partnership, second, "lead")
    session.commit()
    sign_in(world.a.lead)
    target = world.a.memberships["lead"]
    response = pages.client.post(f"/p/alpha/members/{target.id}/remove", data={})
    assert response.status_code == 302
    session.expire_all()
    assert session.get(Membership, target.id) is None
    assert session.scalars(select(AuditEvent).where(AuditEvent.action == "member.removed")).one()


def test_change_role_records_the_previous_role(pages, session, two_partnerships, sign_in):
    world = two_partnerships
    sign_in(world.a.lead)
    target = world.a.memberships["viewer"]
    pages.client.post(f"/p/alpha/members/{target.id}/role", data={"role": "contributor"})
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "member.role_changed")).one()
    assert event.details["previous_role"] == "viewer"
    assert event.details["role"] == "contributor"


def test_viewer_cannot_change_anything(client, session, two_partnerships, sign_in, app):
    world = two_partnerships
    sign_in(world.a.viewer)
    target = world.a.memberships["contributor"]
    for url in ("/p/alpha/members/new", f"/p/alpha/members/{target.id}/role", f"/p/alpha/members/{target.id}/remove"):
        assert client.get(url).status_code == 403
        assert client.post(url, data={"email": "viewer@alpha.example", "role": "lead"}).status_code == 403
    assert client.get("/p/alpha/audit").status_code == 403
    session.expire_all()
    assert session.get(Membership, target.id).role == "contributor"


def test_every_partnership_post_route_is_refused_to_viewers_and_inspectors(client, two_partnerships, sign_in, app):
    world = two_partnerships
    post_rules = [r for r in app.url_map.iter_rules() if "slug" in r.arguments and "POST" in r.methods]
    assert post_rules
    for user in (world.a.viewer, world.a.inspector):
        sign_in(user)
        for rule in post_rules:
            values = dict.fromkeys(rule.arguments - {"slug"}, world.a.memberships["contributor"].id)
            url = rule.build({"slug": "alpha", **values}, append_unknown=False)[1]
            assert client.post(url, data={}).status_code == 403, f"{user.email} could POST {url}"


def test_inspector_sees_their_home_but_not_members_or_audit(pages, client, two_partnerships, sign_in):
    sign_in(two_partnerships.a.inspector)
    soup = pages.get("/p/alpha/")
    assert "read-only access until" in text_of(soup)
    assert client.get("/p/alpha/members").status_code == 403
    assert client.get("/p/alpha/audit").status_code == 403


def test_inspector_page_views_are_audited_for_leads(pages, session, two_partnerships, sign_in):
    sign_in(two_partnerships.a.inspector)
    pages.get("/p/alpha/")
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "inspector.viewed")).one()
    assert event.actor == "inspector@alpha.example"
    assert event.object_id == "/p/alpha/"


def test_expired_inspector_cannot_enter_the_partnership(pages, client, app, session, two_partnerships, sign_in):
    world = two_partnerships
    expiry = world.a.memberships["inspector"].expires_on
    sign_in(world.a.inspector)
    app.config["FIXED_NOW"] = f"{expiry.isoformat()}T23:59:00"
    assert client.get("/p/alpha/").status_code == 200  # the last day is included
    app.config["FIXED_NOW"] = f"{(expiry + timedelta(days=1)).isoformat()}T00:00:01"
    soup = pages.get("/p/alpha/", expected_status=403)
    assert f"ended on {expiry:%d %B %Y}" in text_of(soup)
    # And the partnership is no longer offered on their home page.
    assert "Alpha Partnership" not in text_of(pages.get("/"))


def test_audit_log_filters_and_downloads_as_csv(pages, client, session, two_partnerships, sign_in):
    world = two_partnerships
    sign_in(world.a.lead)
    client.post(f"/p/alpha/members/{world.a.memberships['viewer'].id}/role", data={"role": "contributor"})
    client.post(f"/p/alpha/members/{world.a.memberships['contributor'].id}/remove", data={})
    soup = pages.get("/p/alpha/audit?action=member.removed")
    actions = [tr.find_all("td")[2].get_text(strip=True) for tr in soup.select("tbody tr")]
    assert actions == ["member.removed"]
    response = client.get("/p/alpha/audit.csv")
    assert response.headers["Content-Disposition"].startswith('attachment; filename="audit-alpha-')
    lines = response.get_data(as_text=True).strip().splitlines()
    assert lines[0] == "when,who,action,object_type,object_id,details"
    assert {line.split(",")[2] for line in lines[1:]} == {"member.role_changed", "member.removed"}


def _dated(name: str, day) -> str:  # type: ignore[no-untyped-def]
    """A GOV.UK date input's query: the field's name three times, day, month and year."""
    return urlencode([(name, day.day), (name, day.month), (name, day.year)])


def test_audit_log_narrows_by_date_and_keeps_the_filter_in_the_download(pages, client, two_partnerships, sign_in):
    world = two_partnerships
    sign_in(world.a.lead)
    client.post(f"/p/alpha/members/{world.a.memberships['viewer'].id}/role", data={"role": "contributor"})
    today = clock.today()
    soup = pages.get(f"/p/alpha/audit?{_dated('date_from', today)}&{_dated('date_to', today)}")
    assert [tr.find_all("td")[2].get_text(strip=True) for tr in soup.select("tbody tr")] == ["member.role_changed"]
    download = soup.find("a", string="Download these entries as CSV")["href"]
    assert download.count("date_from=") == 3 and download.count("date_to=") == 3
    lines = client.get(download).get_data(as_text=True).strip().splitlines()
    assert [line.split(",")[2] for line in lines[1:]] == ["member.role_changed"]

    soup = pages.get(f"/p/alpha/audit?{_dated('date_from', today + timedelta(days=1))}")
    assert "No entries match these filters" in text_of(soup)


def test_audit_log_shows_a_bad_date_as_an_error_and_does_not_narrow_by_it(pages, client, two_partnerships, sign_in):
    world = two_partnerships
    sign_in(world.a.lead)
    client.post(f"/p/alpha/members/{world.a.memberships['viewer'].id}/role", data={"role": "contributor"})
    soup = pages.get("/p/alpha/audit?date_from=31&date_from=2&date_from=2026")
    summary = soup.select_one(".govuk-error-summary")
    assert summary is not None and "From must be a real date" in summary.get_text()
    assert soup.title.get_text().startswith("Error: ")
    assert "member.role_changed" in text_of(soup)  # listed, not filtered away by a date nobody meant


def test_audit_log_refuses_a_to_date_before_the_from_date(pages, two_partnerships, sign_in):
    sign_in(two_partnerships.a.lead)
    soup = pages.get("/p/alpha/audit?date_from=2&date_from=3&date_from=2026&date_to=1&date_to=3&date_to=2026")
    assert "The ‘to’ date must be the same as or after the ‘from’ date" in soup.select_one(".govuk-error-summary").text


def test_audit_log_only_shows_the_partnerships_own_events(pages, client, session, two_partnerships, sign_in):
    world = two_partnerships
    sign_in(world.b.lead)
    client.post(f"/p/beta/members/{world.b.memberships['viewer'].id}/role", data={"role": "contributor"})
    sign_in(world.a.lead)
    soup = pages.get("/p/alpha/audit")
    assert "No entries match these filters" in text_of(soup)
