"""A contributor writes a criterion's evaluation; the council and ICB leads sign it off; its one-page summary."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.e2e.test_foundation_journey import sign_in
from tests.factories import add_member, create_user


def test_write_and_jointly_sign_off_a_criterion(page, live_server_url, session, two_partnerships, axe_scan):
    world = two_partnerships
    world.a.memberships["lead"].organisation = "council"
    icb = create_user(session, email="icb.lead@alpha.example", name="Icb Lead")
    add_member(session, world.a.partnership, icb, "lead").organisation = "icb"
    session.commit()

    sign_in(page, live_server_url, "contributor@alpha.example")
    page.goto(f"{live_server_url}/p/alpha/self-evaluation/")
    axe_scan(page)
    page.get_by_role("link", name="EXP1:", exact=False).click()
    axe_scan(page)
    page.get_by_role("button", name="Write the evaluation").click()
    page.get_by_role("button", name="Save a new version").click()  # empty: error summary
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    axe_scan(page)
    page.get_by_label("Secure").check()
    page.get_by_label("Strengths").fill("Needs are identified early in the early years.")
    page.locator("#next_steps-0-text").fill("Audit 20 plans for timeliness")
    page.locator("#next_steps-0-owner").fill("SEND data analyst")
    page.get_by_role("button", name="Save a new version").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Version 1 saved")
    axe_scan(page)

    for email in ("lead@alpha.example", "icb.lead@alpha.example"):
        page.get_by_role("button", name="Sign out").click()
        sign_in(page, live_server_url, email)
        page.goto(f"{live_server_url}/p/alpha/self-evaluation/EXP1")
        page.get_by_role("button", name="Sign off this version").click()
        expect(page.locator(".govuk-notification-banner")).to_contain_text("Signed off")
        axe_scan(page)
    page.goto(f"{live_server_url}/p/alpha/self-evaluation/")
    expect(page.locator("tbody tr").first).to_contain_text("Signed off")
    page.goto(f"{live_server_url}/p/alpha/self-evaluation/EXP1/history")
    axe_scan(page)
    page.goto(f"{live_server_url}/p/alpha/self-evaluation/document")
    axe_scan(page)

    # The one-page summary, from the entry page, on a desktop and on a phone (its tables scroll sideways).
    page.goto(f"{live_server_url}/p/alpha/self-evaluation/EXP1")
    page.get_by_role("link", name="One-page summary of EXP1").click()
    expect(page.locator("h1")).to_contain_text("EXP1:")
    expect(page.locator("main")).to_contain_text("Needs are identified early in the early years.")
    axe_scan(page)
    page.set_viewport_size({"width": 320, "height": 800})
    axe_scan(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
