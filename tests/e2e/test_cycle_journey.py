"""The inspection cycle in a browser: record the outcome and findings, update progress, share it with inspectors;
check the person-level lists, fix them, download the clean version. Every page is scanned with axe."""

from __future__ import annotations

from datetime import date

from playwright.sync_api import expect

from inspect_app.demo.previous_inspection import demo_list_file
from inspect_app.domain.person_lists import load_template
from inspect_app.importers.person_lists import read_list_files
from tests.e2e.test_foundation_journey import sign_in


def fill_date(page, field: str, day: date) -> None:  # type: ignore[no-untyped-def]
    page.locator(f"#{field}-day").fill(str(day.day))
    page.locator(f"#{field}-month").fill(str(day.month))
    page.locator(f"#{field}-year").fill(str(day.year))


def test_lead_records_findings_updates_progress_and_shares_it(page, live_server_url, two_partnerships, axe_scan):
    inspection_id = two_partnerships.a.inspection.id
    sign_in(page, live_server_url, "lead@alpha.example")
    page.wait_for_url(f"{live_server_url}/p/alpha/")
    page.goto(f"{live_server_url}/p/alpha/inspections/{inspection_id}")
    axe_scan(page)
    page.get_by_role("link", name="Record the outcome and report").click()
    axe_scan(page)
    page.get_by_label("Widespread and/or systemic failings").check()
    fill_date(page, "report_published_on", date(2027, 2, 19))
    page.get_by_label("Web address of the report (optional)").fill("https://reports.ofsted.gov.uk/provider/44/1")
    page.get_by_role("button", name="Save outcome").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Outcome saved")
    expect(page.get_by_role("region", name="What follows this inspection")).to_contain_text("Monitoring inspection")
    axe_scan(page)

    page.get_by_role("link", name="Record the areas for priority action or improvement").click()
    axe_scan(page)
    page.get_by_role("button", name="Add a finding").click()
    page.get_by_role("button", name="Save finding").click()  # empty: errors
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    axe_scan(page)
    page.get_by_label("Area for priority action").check()
    page.get_by_label("The finding").fill("Leaders should make sure EHC plans are issued within 20 weeks.")
    fill_date(page, "due_on", date(2027, 6, 30))
    page.get_by_label("EXP2:", exact=False).check()
    page.get_by_role("button", name="Save finding").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Finding added")
    axe_scan(page)

    page.get_by_role("link", name="PA1").click()
    axe_scan(page)
    page.get_by_role("button", name="Record progress").click()
    page.get_by_label("What has been done").fill("Two caseworkers recruited; the backlog is still growing.")
    page.get_by_label("Off track").check()
    page.get_by_role("button", name="Save update").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Progress recorded")
    expect(page.locator(".govuk-summary-list")).to_contain_text("Off track")
    page.get_by_role("button", name="Share with inspectors").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Update shared with inspectors")
    axe_scan(page)

    page.goto(f"{live_server_url}/p/alpha/inspections/{inspection_id}/findings/progress-report")
    expect(page.locator("table")).to_contain_text("Off track")
    axe_scan(page)
    assert len(axe_scan.pages) == 9


def test_lead_checks_the_lists_fixes_them_and_downloads_the_clean_version(
    page, live_server_url, two_partnerships, axe_scan, tmp_path
):
    as_of = date(2026, 11, 27)
    with_errors, fixed = tmp_path / "lists.xlsx", tmp_path / "lists-fixed.xlsx"
    with_errors.write_bytes(demo_list_file(1, as_of=as_of))
    fixed.write_bytes(demo_list_file(1, as_of=as_of, with_errors=False))
    sign_in(page, live_server_url, "lead@alpha.example")
    page.wait_for_url(f"{live_server_url}/p/alpha/")
    page.goto(f"{live_server_url}/p/alpha/person-lists/")
    axe_scan(page)
    page.get_by_label("The lists (XLSX, ODS or CSV)").set_input_files(str(with_errors))
    fill_date(page, "as_of", as_of)
    page.get_by_role("button", name="Check the lists").click()
    expect(page.locator(".govuk-warning-text")).to_contain_text("8 problems must be fixed")
    expect(page.get_by_role("region", name="Problems found in the lists")).to_contain_text("A URN is 6 digits")
    axe_scan(page)

    page.get_by_label("The lists (XLSX, ODS or CSV)").set_input_files(str(fixed))
    fill_date(page, "as_of", as_of)
    page.get_by_label("Check, and if nothing must be fixed download the lists in the template's layout (Excel)").check()
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Check the lists").click()
    download = download_info.value
    assert download.suggested_filename == "person-level-lists-alpha-2026-11-27.xlsx"
    sheets = read_list_files([("clean.xlsx", download.path().read_bytes())], load_template())
    assert [(sheet.source, len(sheet.rows)) for sheet in sheets] == [("List_1", 40), ("List_2", 60)]

    page.goto(f"{live_server_url}/p/alpha/person-lists/")
    expect(page.locator("main")).to_contain_text("0 to fix")
    page.get_by_role("link", name="lists.xlsx", exact=False).first.click()
    axe_scan(page)
