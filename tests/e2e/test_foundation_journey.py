"""A lead signs in, reaches the dashboard and manages members; an inspector sees only their view."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.factories import PASSWORD


def sign_in(page, base_url: str, email: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{base_url}/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_lead_signs_in_reaches_the_dashboard_and_every_page_passes_axe(
    page, live_server_url, two_partnerships, axe_scan
):
    page.goto(f"{live_server_url}/sign-in")
    axe_scan(page)
    # A failed attempt shows the GOV.UK error summary, which must be accessible too.
    page.get_by_label("Email address").fill("lead@alpha.example")
    page.get_by_label("Password", exact=True).fill("wrong password here")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert page.title().startswith("Error: ")
    axe_scan(page)

    sign_in(page, live_server_url, "lead@alpha.example")
    page.wait_for_url(f"{live_server_url}/p/alpha/")
    expect(page.locator("h1")).to_have_text("Alpha Partnership")
    # GOV.UK Frontend's JavaScript ran (module script allowed by the CSP).
    assert "govuk-frontend-supported" in page.locator("body").get_attribute("class")
    axe_scan(page)

    page.get_by_role("link", name="Members", exact=True).click()
    expect(page.locator("h1")).to_have_text("Members")
    axe_scan(page)

    page.get_by_role("button", name="Add a member").click()
    page.get_by_role("button", name="Add member").click()  # empty: errors
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    axe_scan(page)
    page.get_by_label("Email address").fill("viewer@beta.example")
    page.get_by_label("Viewer").check()
    page.get_by_role("button", name="Add member").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("viewer@beta.example is now a viewer")
    axe_scan(page)

    page.get_by_role("link", name="Audit log").click()
    expect(page.locator("table")).to_contain_text("member.added")
    axe_scan(page)

    page.goto(f"{live_server_url}/accessibility")
    axe_scan(page)
    page.goto(f"{live_server_url}/p/beta/")
    expect(page.locator("h1")).to_have_text("Page not found")
    axe_scan(page)
    assert len(axe_scan.pages) == 9


def test_inspector_sees_their_read_only_home(page, live_server_url, two_partnerships, axe_scan):
    sign_in(page, live_server_url, "inspector@alpha.example")
    page.wait_for_url(f"{live_server_url}/p/alpha/")
    expect(page.locator("main")).to_contain_text("read-only access until")
    assert page.get_by_role("link", name="Members", exact=True).count() == 0
    axe_scan(page)


def test_pages_fit_a_320_pixel_wide_screen(page, live_server_url, two_partnerships):
    page.set_viewport_size({"width": 320, "height": 640})
    sign_in(page, live_server_url, "lead@alpha.example")
    for path in ("/p/alpha/", "/p/alpha/members", "/p/alpha/audit", "/p/alpha/members/new"):
        page.goto(f"{live_server_url}{path}")
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at 320px"
