"""A lead reads each local measure beside England, the region and the neighbours on the timeliness dashboard."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.benchmark_data import import_real_statistics
from tests.e2e.test_foundation_journey import sign_in
from tests.factories import import_case_file
from tests.views.test_timeliness_comparators import CASES


def test_lead_compares_the_years_measures_follows_a_link_to_its_benchmark_page_and_every_page_passes_axe(
    page, live_server_url, session, two_partnerships, axe_scan
):
    import_case_file(session, two_partnerships.a.partnership, CASES)
    import_real_statistics(session)
    sign_in(page, live_server_url, "lead@alpha.example")
    page.wait_for_url(f"{live_server_url}/p/alpha/")

    page.goto(f"{live_server_url}/p/alpha/timeliness/?year=2024")
    expect(page.locator("#comparators")).to_have_text("2024 beside England, the region and statistical neighbours")
    expect(page.locator("main")).to_contain_text("Hartlepool (from your case data)")
    expect(page.locator("main")).to_contain_text("neighbours had data")
    axe_scan(page)

    title = "Decisions whether to assess made within 6 weeks"
    page.get_by_role("link", name=f"{title}: each neighbour and every year").click()
    expect(page.locator("h1")).to_have_text(title)
    expect(page.locator("main")).to_contain_text("2024: Hartlepool beside its comparators")

    page.goto(f"{live_server_url}/p/alpha/timeliness/?year=2026")
    expect(page.locator("main")).to_contain_text("DfE has published no figures for 2026")
    axe_scan(page)
    page.get_by_role("link", name="2021").last.click()
    expect(page.locator("#comparators")).to_have_text("2021 beside England, the region and statistical neighbours")
