"""A site administrator uploads DfE's statistics and the neighbours; a lead reads them beside England."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.benchmark_data import NEIGHBOURS, REQUESTS_2025, SEN2_MI_2022
from tests.e2e.test_foundation_journey import sign_in


def test_admin_uploads_statistics_and_a_lead_compares_with_england_and_every_page_passes_axe(
    page, live_server_url, two_partnerships, axe_scan
):
    sign_in(page, live_server_url, "admin@site.example")
    page.goto(f"{live_server_url}/admin/")
    page.get_by_role("button", name="National statistics").click()
    expect(page.locator("h1")).to_have_text("National statistics")
    axe_scan(page)

    page.get_by_role("button", name="Upload a DfE statistics file").click()
    axe_scan(page)
    page.get_by_label("DfE statistics file (CSV or Excel)").set_input_files(str(NEIGHBOURS))
    page.get_by_role("button", name="Check and import").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()  # wait for the response, then check
    expect(page.locator(".govuk-error-summary")).to_contain_text("Provider_data_lookup.csv: This is not a DfE")
    axe_scan(page)

    page.get_by_label("DfE statistics file (CSV or Excel)").set_input_files(str(SEN2_MI_2022))
    page.get_by_label("Release (optional)").fill("2022")
    page.get_by_role("button", name="Check and import").click()
    expect(page.locator("h1")).to_have_text("Release 2022: sen2_mi")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("6470 figures")
    axe_scan(page)

    page.get_by_role("link", name="Back to national statistics").click()
    page.get_by_role("button", name="Upload a DfE statistics file").click()
    page.get_by_label("DfE statistics file (CSV or Excel)").set_input_files(str(REQUESTS_2025))
    page.get_by_role("button", name="Check and import").click()
    expect(page.locator("h1")).to_have_text("Release 2025: requests")
    page.get_by_role("link", name="Back to national statistics").click()
    page.get_by_role("button", name="Upload statistical neighbours").click()
    axe_scan(page)
    page.get_by_label("Statistical neighbours file (CSV or Excel)").set_input_files(str(NEIGHBOURS))
    page.get_by_role("button", name="Check and import").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("1530 neighbours for 153 local authorities")
    expect(page.locator("table")).to_contain_text("2022 (sen2_mi)")
    axe_scan(page)
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, live_server_url, "lead@alpha.example")
    page.wait_for_url(f"{live_server_url}/p/alpha/")
    expect(page.locator("main")).to_contain_text("Hartlepool 46.6%, England 59.9%")
    page.get_by_role("link", name="National statistics", exact=True).first.click()
    expect(page.locator("h1")).to_have_text("National statistics")
    axe_scan(page)

    page.get_by_role("link", name="New EHC plans issued within 20 weeks, excluding exceptions").click()
    expect(page.locator("h1")).to_have_text("New EHC plans issued within 20 weeks, excluding exceptions")
    assert page.get_by_role("img", name="Hartlepool was below England in 2021 (46.6% against 59.9%)").is_visible()
    expect(page.locator("main")).to_contain_text("34,249 of 57,196")
    axe_scan(page)

    page.get_by_role("link", name="2016").click()
    expect(page.locator("main")).to_contain_text("2016: Hartlepool beside its comparators")
    axe_scan(page)

    page.get_by_role("link", name="Back to national statistics").click()
    page.get_by_role("link", name="Decisions whether to assess made within 6 weeks").click()
    expect(page.locator("main")).to_contain_text("What DfE's symbols mean")
    axe_scan(page)
    assert len(axe_scan.pages) == 10


def test_statistics_pages_fit_a_320_pixel_wide_screen(page, live_server_url, two_partnerships, session):
    from tests.benchmark_data import import_real_statistics

    import_real_statistics(session)
    page.set_viewport_size({"width": 320, "height": 640})
    sign_in(page, live_server_url, "viewer@alpha.example")
    page.wait_for_url(f"{live_server_url}/p/alpha/")
    for path in ("/p/alpha/benchmarks/", "/p/alpha/benchmarks/ehcp_20wk_excl"):
        page.goto(f"{live_server_url}{path}")
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at 320px"
