"""A contributor uploads evidence and links it to criteria using only the keyboard; a lead approves it;
an inspector then sees it. Every page reached is scanned with axe."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.evidence_factories import PDF
from tests.factories import PASSWORD


def sign_in(page, base_url: str, email: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{base_url}/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def sign_out(page) -> None:  # type: ignore[no-untyped-def]
    page.get_by_role("button", name="Sign out").click()


def tab_to(page, css: str, limit: int = 150) -> None:  # type: ignore[no-untyped-def]
    """Press Tab until the focused element matches `css` (keyboard only, as a person without a mouse would)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(css) => !!document.activeElement && document.activeElement.matches(css)", css):
            return
    raise AssertionError(f"Tab never reached {css}")


def test_upload_link_submit_and_approve_with_the_keyboard_and_axe_on_every_page(
    page, live_server_url, two_partnerships, axe_scan, tmp_path
):
    document = tmp_path / "SEND strategy 2025-28.pdf"
    document.write_bytes(PDF)
    base = live_server_url
    sign_in(page, base, "contributor@alpha.example")
    page.wait_for_url(f"{base}/p/alpha/")
    page.get_by_role("link", name="Evidence", exact=True).click()
    expect(page.locator("h1")).to_have_text("Evidence library")
    axe_scan(page)

    # Keyboard only from here to the saved links: Tab, Space, Enter and typing.
    tab_to(page, "a.govuk-button[href$='/evidence/new']")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/p/alpha/evidence/new")
    axe_scan(page)
    tab_to(page, "input[name=kind][value=document]")
    page.keyboard.press("Space")
    tab_to(page, "input[type=file]")
    # The operating system's file dialog is outside the page; hand the file to the control that has keyboard focus,
    # as the dialog would. (Waiting for Chromium's file-chooser event after Space proved unreliable under load.)
    page.locator(":focus").set_input_files(str(document))
    tab_to(page, "#title")
    page.keyboard.type("SEND and AP strategy 2025 to 2028")
    tab_to(page, "#evidence_type")
    page.keyboard.type("SEND and")
    assert page.locator("#evidence_type").input_value() == "send_strategy"
    tab_to(page, "#partner")
    page.keyboard.type("Council")
    assert page.locator("#partner").input_value() == "council"
    tab_to(page, "input[name=as_at]")
    for part in ("31", "3", "2026"):
        page.keyboard.type(part)
        page.keyboard.press("Tab")
    tab_to(page, "button[type=submit].govuk-button, input[type=submit].govuk-button")
    page.keyboard.press("Enter")
    page.wait_for_url("**/links")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("added as a draft")
    axe_scan(page)

    tab_to(page, "input[name=criteria][value=LEAD1]")
    page.keyboard.press("Space")
    tab_to(page, "#note_LEAD1")
    page.keyboard.type("Sets out the partnership's shared priorities for SEND and AP.")
    tab_to(page, "button[type=submit].govuk-button, input[type=submit].govuk-button")
    page.keyboard.press("Enter")
    page.wait_for_url("**/items/*")
    expect(page.locator("h1")).to_have_text("SEND and AP strategy 2025 to 2028")
    expect(page.locator("main")).to_contain_text("Sets out the partnership's shared priorities")
    axe_scan(page)
    tab_to(page, "form[action$='/submit'] .govuk-button")
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("sent to the partnership's leads for review")
    axe_scan(page)
    sign_out(page)

    sign_in(page, base, "lead@alpha.example")
    page.goto(f"{base}/p/alpha/evidence/my-work")
    expect(page.locator("main")).to_contain_text("Waiting for your review (1)")
    axe_scan(page)
    page.get_by_role("link", name="SEND and AP strategy 2025 to 2028").click()
    page.get_by_role("link", name="Review this evidence").click()
    axe_scan(page)
    page.get_by_role("button", name="Save decision").click()  # nothing chosen: errors
    page.locator(".govuk-error-summary").wait_for()
    assert page.title().startswith("Error: ")
    axe_scan(page)
    page.get_by_label("Approve it").check()
    page.get_by_role("button", name="Save decision").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("approved")
    axe_scan(page)
    page.goto(f"{base}/p/alpha/framework/criteria/LEAD1")
    expect(page.locator("main")).to_contain_text("1 evidence item (1 approved)")
    axe_scan(page)
    page.goto(f"{base}/p/alpha/evidence/import")
    axe_scan(page)
    sign_out(page)

    sign_in(page, base, "inspector@alpha.example")
    page.goto(f"{base}/p/alpha/evidence/")
    expect(page.locator("main")).to_contain_text("SEND and AP strategy 2025 to 2028")
    axe_scan(page)
    page.get_by_role("link", name="SEND and AP strategy 2025 to 2028").click()
    expect(page.locator("h1")).to_contain_text("SEND and AP strategy 2025 to 2028")  # the item page, not the list
    axe_scan(page)
    assert len(axe_scan.pages) == 13


def test_evidence_pages_fit_a_320_pixel_wide_screen(page, live_server_url, two_partnerships):
    from inspect_app.extensions import db
    from inspect_app.storage import get_store
    from tests.evidence_factories import make_item

    item = make_item(db.session, get_store(), two_partnerships.a, status="approved")
    db.session.commit()
    page.set_viewport_size({"width": 320, "height": 640})
    sign_in(page, live_server_url, "lead@alpha.example")
    page.wait_for_url(f"{live_server_url}/p/alpha/")
    for path in (
        "/p/alpha/evidence/",
        "/p/alpha/evidence/new",
        f"/p/alpha/evidence/items/{item.id}",
        f"/p/alpha/evidence/items/{item.id}/links",
        "/p/alpha/evidence/my-work",
        "/p/alpha/evidence/import",
    ):
        page.goto(f"{live_server_url}{path}")
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at 320px"
