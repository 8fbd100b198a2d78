"""A contributor uploads the council's SEN2 return, reads the import's summary, the data-quality page with its
checks of the year's figures, and a case in one of the journey's states. Every page reached is scanned with axe."""

from __future__ import annotations

from playwright.sync_api import expect

from inspect_app.domain.sen2_returns import write_xml
from tests.e2e.test_evidence_journey import sign_in
from tests.sen2_data import every_state

NOW = "2026-03-02T10:00:00"  # after the 2026 census: 2025 is the last complete year


def test_a_sen2_return_is_uploaded_and_its_states_and_checks_are_read_with_axe_on_every_page(
    page, live_server_url, live_server_config, two_partnerships, axe_scan, tmp_path
):
    live_server_config["FIXED_NOW"] = NOW
    header, people, labels = every_state(2026)
    upload = tmp_path / "sen2-2026-805.xml"
    upload.write_bytes(write_xml(header, people))
    base = live_server_url
    sign_in(page, base, "contributor@alpha.example")

    page.goto(f"{base}/p/alpha/timeliness/imports/new")
    expect(page.locator("h1")).to_have_text("Import case data")
    axe_scan(page)
    page.get_by_label("A SEN2 return: the XML as submitted to DfE, or a ZIP of its Blade CSV files").check()
    page.get_by_label("Upload a file").set_input_files(str(upload))
    page.get_by_role("button", name="Upload and import").click()
    expect(page.locator("h1")).to_have_text("Import of sen2-2026-805.xml")
    main = page.locator("main")
    expect(page.locator(".govuk-panel")).to_contain_text("Import complete")
    expect(main).to_contain_text(f"{len(labels)} added, 0 changed, 0 unchanged")
    expect(main).to_contain_text("SEN2 return for 2026 (XML) from local authority 805")
    expect(main).not_to_contain_text("Surname1 ")
    axe_scan(page)

    page.goto(f"{base}/p/alpha/timeliness/data-quality?year=2025")
    expect(page.locator("h1")).to_contain_text("Data quality")
    expect(main).to_contain_text("Where DfE's rule is not confirmed (2025)")
    expect(page.locator("main table").first).to_contain_text("Cases it changes")  # plan on day 140, decided on 42
    expect(main).to_contain_text("No DfE statistics have been imported yet")
    axe_scan(page)

    page.goto(f"{base}/p/alpha/timeliness/cases")
    expect(page.locator("h1")).to_have_text("Cases")
    axe_scan(page)
    page.locator("main table a[href*='/timeliness/cases/']").first.click()
    expect(page.locator("h1")).to_contain_text("S2-")
    expect(main).not_to_contain_text("A0000000000")  # no UPN is ever shown
    axe_scan(page)
    assert len(axe_scan.pages) == 5
