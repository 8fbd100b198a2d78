"""Issue 9 in a browser: an inspection record, inspector access that ends by itself, and scheduled exports.

axe-core scans every page reached.
"""

from __future__ import annotations

from playwright.sync_api import expect

from tests.e2e.test_foundation_journey import sign_in
from tests.factories import create_user


def fill_date(page, field: str, day: str, month: str, year: str) -> None:  # type: ignore[no-untyped-def]
    page.locator(f"#{field}-day").fill(day)
    page.locator(f"#{field}-month").fill(month)
    page.locator(f"#{field}-year").fill(year)


def test_lead_records_an_inspection_grants_access_and_the_access_ends_by_itself(
    page, live_server_url, live_server_config, two_partnerships, session, axe_scan
):
    create_user(session, email="hmi@ofsted.example", name="Sam Okafor")
    session.commit()
    live_server_config["FIXED_NOW"] = "2027-01-11T09:00:00"

    sign_in(page, live_server_url, "lead@alpha.example")
    page.wait_for_url(f"{live_server_url}/p/alpha/")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Inspection").click()
    expect(page.locator("h1")).to_have_text("Inspections")
    axe_scan(page)

    page.get_by_role("button", name="Record an inspection").click()
    page.get_by_role("button", name="Save inspection").click()  # empty: errors
    expect(page.locator(".govuk-error-summary")).to_be_visible()  # wait for the response, then check
    axe_scan(page)
    page.get_by_label("Full inspection").check()
    fill_date(page, "notification_date", "11", "1", "2027")
    page.get_by_label("Lead inspector (optional)").fill("Jordan Blake HMI")
    page.get_by_role("button", name="Save inspection").click()
    expect(page.locator("h1")).to_have_text("Full inspection notified 11 January 2027")
    assert "25 January 2027 to 29 January 2027" in page.locator("table").first.inner_text()
    axe_scan(page)

    page.get_by_role("button", name="Give an inspector access").click()
    expect(page.locator("#expires_on-day")).to_have_value("05")  # a week after the on-site week
    axe_scan(page)
    page.get_by_label("Inspector's email address").fill("hmi@ofsted.example")
    page.get_by_role("button", name="Give access").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "hmi@ofsted.example can see Alpha Partnership until the end of 5 February 2027"
    )
    axe_scan(page)
    page.get_by_role("link", name="See what inspectors have opened").click()
    expect(page.locator("h1")).to_have_text("Inspector activity")
    axe_scan(page)
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, live_server_url, "hmi@ofsted.example")
    page.wait_for_url(f"{live_server_url}/p/alpha/")
    main = page.locator("main").inner_text()
    assert "read-only access until the end of 5 February 2027" in main
    assert "Jordan Blake HMI" in main
    axe_scan(page)
    page.get_by_role("link", name="The inspection framework").click()
    expect(page.locator("h1")).to_have_text("Inspection framework")
    axe_scan(page)

    live_server_config["FIXED_NOW"] = "2027-02-06T08:00:00"  # the day after the last day
    page.goto(f"{live_server_url}/p/alpha/")
    expect(page.locator("main")).to_contain_text("ended on 05 February 2027")
    axe_scan(page)
    assert len(axe_scan.pages) == 9


def test_lead_schedules_an_export_and_turns_it_off(
    page, live_server_url, live_server_config, two_partnerships, axe_scan
):
    live_server_config["FIXED_NOW"] = "2026-11-27T10:00:00"
    sign_in(page, live_server_url, "lead@alpha.example")
    page.wait_for_url(f"{live_server_url}/p/alpha/")
    page.get_by_role("link", name="Exports", exact=True).click()
    expect(page.locator("h1")).to_have_text("Scheduled exports")
    axe_scan(page)

    page.get_by_role("button", name="Schedule an export").click()
    page.get_by_role("button", name="Save schedule").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()  # wait for the response, then check
    axe_scan(page)
    page.get_by_label("Audit log (CSV)").check()
    page.get_by_label("Every week").check()
    page.get_by_label("Day of the week (weekly exports)").select_option("Monday")
    page.get_by_label("Time").fill("07:30")
    page.get_by_label("Folder (optional)").fill("weekly/audit")
    page.get_by_label("How many files to keep").fill("8")
    page.get_by_role("button", name="Save schedule").click()
    expect(page.locator("h1")).to_have_text("Audit log (CSV), Every Monday at 7:30am")
    expect(page.locator("main")).to_contain_text("30 November 2026 at 7:30am")
    axe_scan(page)

    page.get_by_role("button", name="Turn off").click()
    axe_scan(page)
    page.get_by_role("button", name="Turn off this export").click()
    expect(page.locator("main")).to_contain_text("Turned off")
    axe_scan(page)

    # A schedule with runs: the run table and the download link.
    page.goto(f"{live_server_url}/p/alpha/exports/{two_partnerships.a.export_schedule.id}")
    expect(page.locator("table")).to_contain_text("Succeeded")
    axe_scan(page)


def test_issue_9_pages_fit_a_320_pixel_wide_screen(page, live_server_url, two_partnerships):
    page.set_viewport_size({"width": 320, "height": 640})
    sign_in(page, live_server_url, "lead@alpha.example")
    page.wait_for_url(f"{live_server_url}/p/alpha/")
    inspection = two_partnerships.a.inspection.id
    schedule = two_partnerships.a.export_schedule.id
    for path in (
        "/p/alpha/inspections/",
        f"/p/alpha/inspections/{inspection}",
        f"/p/alpha/inspections/{inspection}/inspector-access",
        "/p/alpha/inspections/inspector-activity",
        "/p/alpha/exports/",
        "/p/alpha/exports/new",
        f"/p/alpha/exports/{schedule}",
    ):
        page.goto(f"{live_server_url}{path}")
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at 320px"
