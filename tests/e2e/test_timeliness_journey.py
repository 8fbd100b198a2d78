"""A contributor imports a case file with a mistake, reads the row errors, imports the corrected file, then reads
the summary, the dashboard and a case; the same import is then made with the keyboard alone. Every page reached
is scanned with axe."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.e2e.test_evidence_journey import sign_in, tab_to

GOOD = (
    "case_ref,request_date,decision_date,decision,assessment_outcome,assessment_outcome_date,final_plan_date,"
    "exception,primary_need,Child's name,Date of birth\n"
    "EHC101,10/01/2024,21/02/2024,assess,plan,01/05/2024,29/05/2024,no,ASD,Amelia Example,02/03/2016\n"
    "EHC102,15/01/2024,27/02/2024,assess,plan,05/06/2024,05/06/2024,no,SEMH,Oliver Sample,01/03/2014\n"
    "EHC103,01/02/2024,01/03/2024,not_assess,,,,no,ASD,Isla Test,01/03/2019\n"
    "EHC104,03/06/2024,,,,,,no,SLCN,Noah Person,01/03/2012\n"
)
BAD = GOOD.replace("EHC103,01/02/2024", "EHC103,31/02/2024").replace("EHC104,", ",")


NOW = "2025-01-15T10:00:00"  # the server's clock: 2024 is the last complete year, the one the dashboard shows


def test_import_with_errors_then_corrected_then_summary_dashboard_and_case_with_axe_on_every_page(
    page, live_server_url, live_server_config, two_partnerships, axe_scan, tmp_path
):
    live_server_config["FIXED_NOW"] = NOW
    bad, good = tmp_path / "extract-with-errors.csv", tmp_path / "extract.csv"
    bad.write_text(BAD, encoding="utf-8")
    good.write_text(GOOD, encoding="utf-8")
    base = live_server_url
    sign_in(page, base, "contributor@alpha.example")
    page.goto(f"{base}/p/alpha/timeliness/")
    expect(page.locator("h1")).to_have_text("Timeliness")
    expect(page.locator("main")).to_contain_text("There are no case records yet")
    axe_scan(page)

    page.get_by_role("link", name="Import case data").click()
    expect(page.locator("h1")).to_have_text("Import case data")
    axe_scan(page)
    page.get_by_role("button", name="Upload and import").click()  # nothing chosen: GOV.UK error summary
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select what the file holds")
    assert page.title().startswith("Error: ")
    axe_scan(page)

    page.get_by_label("Cases: one row for each request for an EHC needs assessment").check()
    page.get_by_label("Upload a file").set_input_files(str(bad))
    page.get_by_role("button", name="Upload and import").click()
    expect(page.locator("h1")).to_have_text("Import of extract-with-errors.csv")
    expect(page.locator("main")).to_contain_text("Nothing was imported")
    table = page.locator("main table")
    expect(table).to_contain_text("Enter the case reference")
    expect(table).to_contain_text("31/02/2024")
    expect(page.locator("main")).not_to_contain_text("Amelia")  # personal data is never shown back
    axe_scan(page)
    link = page.get_by_role("link", name="Download the errors as CSV")
    with page.expect_download() as download:
        link.click()
    errors = download.value.path().read_text(encoding="utf-8-sig")
    assert errors.splitlines()[0] == "row,column,value,message"
    assert "4,request_date,31/02/2024," in errors and "5,case_ref,," in errors

    page.get_by_role("link", name="Import a corrected file").click()
    expect(page.locator("h1")).to_have_text("Import case data")
    page.get_by_label("Cases: one row for each request for an EHC needs assessment").check()
    page.get_by_label("Upload a file").set_input_files(str(good))
    page.get_by_role("button", name="Upload and import").click()
    expect(page.locator("h1")).to_have_text("Import of extract.csv")
    expect(page.locator(".govuk-panel")).to_contain_text("Import complete")
    main = page.locator("main")
    expect(main).to_contain_text("4 added, 0 changed, 0 unchanged")
    expect(main).to_contain_text("Child's name, Date of birth")  # the dropped columns are named
    expect(main).not_to_contain_text("Amelia")
    axe_scan(page)

    page.get_by_role("link", name="See the measures and charts").click()
    expect(page.locator("h1")).to_have_text("Timeliness")
    expect(page.locator("main")).to_contain_text(
        "In 2024, 50.0% of new EHC plans were issued within 20 weeks, leaving out exceptions: 1 of 2."
    )
    assert page.locator(".app-chart svg[role=img]").count() == 4
    axe_scan(page)

    page.goto(f"{base}/p/alpha/timeliness/cases")
    expect(page.locator("h1")).to_have_text("Cases")
    axe_scan(page)
    page.get_by_role("link", name="EHC102").click()
    expect(page.locator("h1")).to_contain_text("EHC102")
    expect(page.locator("main")).to_contain_text("Missed by 2 days")  # a plan 142 days after the request
    expect(page.locator("main")).not_to_contain_text("Oliver")
    axe_scan(page)
    assert len(axe_scan.pages) == 8


def test_a_case_file_is_imported_with_the_keyboard_alone(
    page, live_server_url, live_server_config, two_partnerships, axe_scan, tmp_path
):
    live_server_config["FIXED_NOW"] = NOW
    good = tmp_path / "extract.csv"
    good.write_text(GOOD, encoding="utf-8")
    base = live_server_url
    sign_in(page, base, "contributor@alpha.example")
    page.goto(f"{base}/p/alpha/timeliness/")
    expect(page.locator("h1")).to_have_text("Timeliness")

    # Keyboard only from here: Tab, arrows and Enter.
    tab_to(page, "a.govuk-button[href$='/timeliness/imports/new']")
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Import case data")
    axe_scan(page)
    tab_to(page, "input[name=kind]")  # the radio group takes one Tab stop; arrows move within it (SEN2 comes first)
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.value") == "cases"
    assert page.locator("input[name=kind][value=cases]").is_checked()
    tab_to(page, "input[type=file]")
    # The operating system's file dialog is outside the page: hand the file to the focused control, as it would.
    page.locator(":focus").set_input_files(str(good))
    tab_to(page, "button[type=submit].govuk-button, input[type=submit].govuk-button")
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Import of extract.csv")
    expect(page.locator(".govuk-panel")).to_contain_text("Import complete")
    expect(page.locator("main")).to_contain_text("4 added, 0 changed, 0 unchanged")
    axe_scan(page)

    tab_to(page, "a[href$='/p/alpha/timeliness/']")
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Timeliness")
    axe_scan(page)
