"""The downloaded HTML readiness report, opened on its own in Chromium, passes axe at desktop and 320px wide."""

from __future__ import annotations

import pytest

from inspect_app.reports.readiness_render import render_html
from tests.e2e.conftest import AXE, WCAG_TAGS
from tests.reports.conftest import report_from
from tests.reports.sample import busy_input


@pytest.fixture(scope="module")
def report_html() -> str:
    return render_html(report_from(busy_input())).decode("utf-8")


@pytest.mark.parametrize("width", [1024, 320])
def test_downloaded_readiness_report_has_no_axe_violations_and_fits_the_screen(page, report_html, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.set_content(report_html)  # a file opened from the downloads folder: no server, nothing else to load
    page.add_script_tag(path=str(AXE))

    violations = page.evaluate(
        "async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}})).violations", WCAG_TAGS
    )

    assert [f"{v['id']}: {v['help']}" for v in violations] == []
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # wide tables scroll in their region
    assert page.locator("h1").inner_text() == "Readiness report"


def test_downloaded_readiness_report_skip_link_and_table_regions_work_from_the_keyboard(page, report_html):
    page.set_viewport_size({"width": 320, "height": 900})
    page.set_content(report_html)

    page.keyboard.press("Tab")
    skip = page.locator(":focus")
    assert skip.inner_text() == "Skip to main content"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main-content"
    region = page.get_by_role("region", name="Impact and preparation of each criterion")
    region.focus()
    page.keyboard.press("ArrowRight")
    # The browser may scroll smoothly: wait (up to 5 s) for the region to have moved, rather than read it at once.
    page.wait_for_function("element => element.scrollLeft > 0", arg=region.element_handle(), timeout=5000)
