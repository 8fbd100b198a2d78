"""A contributor imports a survey export and maps its columns in the browser; every page passes axe."""

from __future__ import annotations

from tests.e2e.test_foundation_journey import sign_in
from tests.factories import FEEDBACK_FILES, create_feedback


def test_contributor_imports_a_survey_maps_its_columns_and_reviews_a_comment(
    page, live_server_url, two_partnerships, axe_scan
):
    sign_in(page, live_server_url, "contributor@alpha.example")
    page.wait_for_url(f"{live_server_url}/p/alpha/")
    page.get_by_role("link", name="Family feedback").first.click()
    assert page.locator("h1").inner_text() == "Family feedback"
    assert "No surveys yet" in page.locator("main").inner_text()
    axe_scan(page)

    page.get_by_role("button", name="Add a survey").click()
    page.get_by_role("button", name="Save survey").click()  # empty: GOV.UK errors
    assert page.locator(".govuk-error-summary").is_visible()
    axe_scan(page)
    page.get_by_label("Survey name").fill("Parent carer forum survey")
    page.get_by_label("Parents and carers").check()
    page.get_by_role("button", name="Save survey").click()
    assert page.locator("h1").inner_text() == "Import responses"
    axe_scan(page)

    # An export with two answers that are not on the agree scale.
    page.set_input_files("#export", str(FEEDBACK_FILES / "bad_answers.csv"))
    page.get_by_label("Wave name (optional)").fill("Summer 2024")
    page.get_by_role("button", name="Upload and check").click()
    assert page.locator("h1").inner_text() == "Check what each column holds"
    assert "Answers not on the agree scale" in page.locator("main").inner_text()
    axe_scan(page)
    page.get_by_role("button", name="Import responses").click()  # unplaced: every problem, nothing imported
    assert "nothing was imported" in page.locator(".govuk-error-summary").inner_text()
    assert page.locator("#problems").is_visible()
    axe_scan(page)
    page.get_by_label("“Somewhat agree”").select_option("agree")
    page.get_by_label("“Mostly”").select_option("agree")
    page.get_by_role("button", name="Import responses").click()
    assert page.locator("h1").inner_text() == "Parent carer forum survey"
    assert "Imported 5 responses as wave Summer 2024" in page.locator(".govuk-notification-banner").inner_text()
    assert page.locator(".app-chart svg title").count() == 1
    axe_scan(page)

    page.get_by_role("link", name="Change survey details").click()
    axe_scan(page)
    page.go_back()
    page.get_by_role("link", name="Delete this wave").click()
    axe_scan(page)
    page.get_by_role("link", name="Cancel").click()
    page.get_by_role("link", name="Comments from this survey").click()
    assert page.locator("h1").inner_text() == "Comments from families"
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
    assert "Agreement by group" in page.locator("main").inner_text()
    axe_scan(page)
    page.get_by_role("link", name="Comments from this survey").click()
    page.get_by_role("link", name="Review").first.click()
    assert page.locator("h1").inner_text() == "Review a comment"
    axe_scan(page)
    page.get_by_label("Use this comment as a quote in the self-evaluation").check()
    page.get_by_role("button", name="Save and confirm themes").click()
    assert "marked as a quote" in page.locator(".govuk-notification-banner").inner_text()
    axe_scan(page)
    page.goto(f"{live_server_url}/p/alpha/feedback/you-said-we-did")
    axe_scan(page)
    page.get_by_role("button", name="Add an entry").click()
    page.get_by_role("button", name="Save").click()
    assert page.locator(".govuk-error-summary").is_visible()
    axe_scan(page)
    page.get_by_label("You said").fill("Families could not find the local offer")
    page.get_by_label("We did").fill("We rebuilt it with the forum")
    page.get_by_label("Owner").fill("Local offer manager")
    page.get_by_role("button", name="Save").click()
    assert "We rebuilt it with the forum" in page.locator("table").inner_text()
    axe_scan(page)
    page.get_by_role("link", name="Change entry 1").click()
    axe_scan(page)
    page.go_back()
    page.get_by_role("link", name="Delete entry 1").click()
    assert page.locator("h1").inner_text() == "Delete this “you said, we did” entry?"
    axe_scan(page)
    page.get_by_role("button", name="Yes, delete").click()
    assert "The entry has been deleted" in page.locator(".govuk-notification-banner").inner_text()
    page.goto(f"{live_server_url}/p/alpha/framework/")
    assert "family responses" in page.locator("main").inner_text()
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
    axe_scan(page)
    page.get_by_role("link", name="Parent survey").click()
    assert "Import a new wave" not in page.locator("main").inner_text()
    axe_scan(page)
    page.get_by_role("link", name="Quotes from this survey").click()
    assert comment.text in page.locator("main").inner_text()
    axe_scan(page)
