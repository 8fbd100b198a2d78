"""A contributor imports a survey export and maps its columns in the browser; every page passes axe."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.e2e.test_foundation_journey import sign_in
from tests.factories import FEEDBACK_FILES, create_feedback


def test_contributor_imports_a_survey_maps_its_columns_and_reviews_a_comment(
    page, live_server_url, two_partnerships, axe_scan
):
    sign_in(page, live_server_url, "contributor@alpha.example")
    page.wait_for_url(f"{live_server_url}/p/alpha/")
    page.get_by_role("link", name="Family feedback").first.click()
    expect(page.locator("h1")).to_have_text("Family feedback")
    expect(page.locator("main")).to_contain_text("No surveys yet")
    axe_scan(page)

    page.get_by_role("button", name="Add a survey").click()
    page.get_by_role("button", name="Save survey").click()  # empty: GOV.UK errors
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    axe_scan(page)
    page.get_by_label("Survey name").fill("Parent carer forum survey")
    page.get_by_label("Parents and carers").check()
    page.get_by_role("button", name="Save survey").click()
    expect(page.locator("h1")).to_have_text("Import responses")
    axe_scan(page)

    # An export with two answers that are not on the agree scale.
    page.set_input_files("#export", str(FEEDBACK_FILES / "bad_answers.csv"))
    page.get_by_label("Wave name (optional)").fill("Summer 2024")
    page.get_by_role("button", name="Upload and check").click()
    expect(page.locator("h1")).to_have_text("Check what each column holds")
    expect(page.locator("main")).to_contain_text("Answers not on the agree scale")
    axe_scan(page)
    page.get_by_role("button", name="Import responses").click()  # unplaced: every problem, nothing imported
    expect(page.locator(".govuk-error-summary")).to_contain_text("nothing was imported")
    expect(page.locator("#problems")).to_be_visible()
    axe_scan(page)
    page.get_by_label("“Somewhat agree”").select_option("agree")
    page.get_by_label("“Mostly”").select_option("agree")
    page.get_by_role("button", name="Import responses").click()
    expect(page.locator("h1")).to_have_text("Parent carer forum survey")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Imported 5 responses as wave Summer 2024")
    assert page.locator(".app-chart svg title").count() == 1
    axe_scan(page)

    page.get_by_role("link", name="Change survey details").click()
    expect(page.locator("h1")).to_have_text("Change survey details")
    axe_scan(page)
    page.go_back()
    page.get_by_role("link", name="Delete this wave").click()
    expect(page.locator("h1")).to_have_text("Delete wave Summer 2024?")
    axe_scan(page)
    page.get_by_role("link", name="Cancel").click()
    expect(page.locator("h1")).to_have_text("Parent carer forum survey")
    page.get_by_role("link", name="Comments from this survey").click()
    expect(page.locator("h1")).to_have_text("Comments from families")
    axe_scan(page)


def test_comments_themes_quotes_and_you_said_we_did_pages_pass_axe(
    page, live_server_url, two_partnerships, axe_scan, session
):
    create_feedback(session, two_partnerships.a.partnership)
    sign_in(page, live_server_url, "lead@alpha.example")
    page.wait_for_url(f"{live_server_url}/p/alpha/")
    page.goto(f"{live_server_url}/p/alpha/feedback/")
    axe_scan(page)
    page.get_by_role("link", name="Parent survey").click()
    expect(page.locator("main")).to_contain_text("Agreement by group")
    axe_scan(page)
    page.get_by_role("link", name="Comments from this survey").click()
    page.get_by_role("link", name="Review").first.click()
    expect(page.locator("h1")).to_have_text("Review a comment")
    axe_scan(page)
    page.get_by_label("Use this comment as a quote in the self-evaluation").check()
    page.get_by_role("button", name="Save and confirm themes").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("marked as a quote")
    axe_scan(page)
    page.goto(f"{live_server_url}/p/alpha/feedback/you-said-we-did")
    axe_scan(page)
    page.get_by_role("button", name="Add an entry").click()
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    axe_scan(page)
    page.get_by_label("You said").fill("Families could not find the local offer")
    page.get_by_label("We did").fill("We rebuilt it with the forum")
    page.get_by_label("Owner").fill("Local offer manager")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("table")).to_contain_text("We rebuilt it with the forum")
    axe_scan(page)
    page.get_by_role("link", name="Change entry 1").click()
    expect(page.locator("h1")).to_have_text("Change a “you said, we did” entry")
    axe_scan(page)
    page.go_back()
    expect(page.locator("h1")).to_have_text("You said, we did")
    page.get_by_role("link", name="Delete entry 1").click()
    expect(page.locator("h1")).to_have_text("Delete this “you said, we did” entry?")
    axe_scan(page)
    page.get_by_role("button", name="Yes, delete").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("The entry has been deleted")
    page.goto(f"{live_server_url}/p/alpha/framework/")
    expect(page.locator("main")).to_contain_text("family responses")
    axe_scan(page)


def test_feedback_pages_fit_a_320_pixel_wide_screen(page, live_server_url, two_partnerships, session):
    survey, wave, comment, entry = create_feedback(session, two_partnerships.a.partnership)
    page.set_viewport_size({"width": 320, "height": 640})
    sign_in(page, live_server_url, "lead@alpha.example")
    page.wait_for_url(f"{live_server_url}/p/alpha/")
    for path in (
        "/p/alpha/feedback/",
        f"/p/alpha/feedback/surveys/{survey.id}",
        "/p/alpha/feedback/comments",
        f"/p/alpha/feedback/comments/{comment.id}",
        "/p/alpha/feedback/you-said-we-did",
        f"/p/alpha/feedback/surveys/{survey.id}/import",
    ):
        page.goto(f"{live_server_url}{path}")
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at 320px"


def test_inspector_pages_pass_axe(page, live_server_url, two_partnerships, axe_scan, session):
    survey, wave, comment, entry = create_feedback(session, two_partnerships.a.partnership)
    comment.is_quote = True
    session.commit()
    sign_in(page, live_server_url, "inspector@alpha.example")
    page.wait_for_url(f"{live_server_url}/p/alpha/")
    page.get_by_role("link", name="Family feedback").first.click()
    expect(page.locator("h1")).to_have_text("Family feedback")
    axe_scan(page)
    page.get_by_role("link", name="Parent survey").click()
    expect(page.locator("h1")).to_have_text("Parent survey")
    expect(page.locator("main")).not_to_contain_text("Import a new wave")
    axe_scan(page)
    page.get_by_role("link", name="Quotes from this survey").click()
    expect(page.locator("h1")).to_have_text("Quotes from families")
    expect(page.locator("main")).to_contain_text(comment.text)
    axe_scan(page)
