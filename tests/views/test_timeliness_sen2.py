"""SEN2 returns through the pages, and the checks of the data-quality page (unconfirmed rules, exceptions,
reconciliation with the council's published figures)."""

from __future__ import annotations

import io
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

import pytest
from sqlalchemy import select

from inspect_app.domain.sen2_returns import Header, Request, write_xml
from inspect_app.models import CaseRecord, DataImport
from inspect_app.services import timeliness
from tests.benchmark_data import import_real_statistics, requests_row
from tests.factories import import_case_file
from tests.page import text_of
from tests.sen2_data import every_state, person

NOW = "2026-12-01T10:00:00"
WHEN = datetime(2026, 12, 1, 10, 0)


@pytest.fixture(autouse=True)
def _frozen_clock(app):  # type: ignore[no-untyped-def]
    app.config["FIXED_NOW"] = NOW
    timeliness.clear_cache()
    yield
    timeliness.clear_cache()


def upload(client, data: bytes, filename: str = "sen2-2026.xml"):  # type: ignore[no-untyped-def]
    return client.post(
        "/p/alpha/timeliness/imports/new",
        data={"kind": "sen2", "upload": (io.BytesIO(data), filename)},
        content_type="multipart/form-data",
    )


def test_uploading_a_sen2_return_imports_it_and_names_the_personal_data_it_dropped(
    pages, session, two_partnerships, sign_in
):
    sign_in(two_partnerships.a.contributor)
    header, people, labels = every_state(2026)
    response = upload(pages.client, write_xml(header, people))
    assert response.status_code == 302
    record = session.scalars(select(DataImport)).one()
    assert (record.kind, record.status, record.added) == ("sen2", "succeeded", len(labels))
    page = text_of(pages.get(response.headers["Location"]))
    assert "SEN2 return · import" in page and "Import complete" in page
    assert "Surname, Forename, PersonBirthDate, Sex, Ethnicity, PostCode, UPN, UniqueLearnerNumber" in page
    assert "SEN2 return for 2026 (XML) from local authority 805" in page
    for personal in ("Surname1", "A000000000001", "2012-05-03"):
        assert personal not in page


def test_a_sen2_return_with_problems_lists_them_by_person_and_element(pages, session, two_partnerships, sign_in):
    sign_in(two_partnerships.a.contributor)
    data = write_xml(Header(2026, "805", WHEN.date()), [person(1, Request(None, "Y"))])
    response = upload(pages.client, data)
    soup = pages.get(response.headers["Location"])
    heads = [th.get_text(strip=True) for th in soup.select("thead th")]
    assert heads == ["Person or row", "Element, or file and column", "Value", "What to do"]
    cells = [td.get_text(strip=True) for td in soup.select("tbody td")]
    assert cells[:2] == ["1", "Requests 1 › ReceivedDate"]
    assert session.scalars(select(CaseRecord)).all() == []


def test_a_return_for_another_council_is_refused_on_the_page(pages, session, two_partnerships, sign_in):
    sign_in(two_partnerships.a.contributor)
    header, people, _labels = every_state(2026)
    header.lea = "999"
    response = upload(pages.client, write_xml(header, people))
    page = text_of(pages.get(response.headers["Location"]))
    assert "Nothing was imported" in page and "local authority 999" in page


def test_case_page_of_a_sen2_case_shows_where_it_stands(pages, session, two_partnerships, sign_in):
    sign_in(two_partnerships.a.contributor)
    header, people, labels = every_state(2026)
    upload(pages.client, write_xml(header, people))
    rows = session.scalars(select(CaseRecord).order_by(CaseRecord.id)).all()
    by_label = dict(zip(labels, rows, strict=True))
    moved = text_of(pages.get(f"/p/alpha/timeliness/cases/{by_label['moved_out'].id}"))
    assert "Moved out of the area (to council 936) before the plan: the clocks stopped." in moved
    assert "No statutory clock applies to this case: the child or young person moved out" in moved
    overturned = text_of(pages.get(f"/p/alpha/timeliness/cases/{by_label['overturned_refusal'].id}"))
    assert "Refusal to assess overturned after mediation or tribunal" in overturned
    exception = pages.get(f"/p/alpha/timeliness/cases/{by_label['exception'].id}")
    statuses = [row.get_text(" ", strip=True) for row in exception.select("tbody tr")]
    assert any(
        s.startswith("Final EHC plan issued (20 weeks)") and "Exception: as soon as practicable" in s for s in statuses
    )
    historical = text_of(pages.get(f"/p/alpha/timeliness/cases/{by_label['historical'].id}"))
    assert "Before the period of the data (not recorded)" in historical
    assert "Phase transfer Due 15 February 2026; final plan 14 February 2026" in historical


# The data-quality page's checks


BOUNDARY_CASES = (
    b"case_ref,request_date,decision_date,decision,assessment_outcome,assessment_outcome_date,final_plan_date,"
    b"exception\n"
    # Plans issued in 2024: on day 140 (the boundary), 100 and 200; six with an exception, on time.
    b"B1,01/01/2024,20/01/2024,assess,plan,20/05/2024,20/05/2024,no\n"
    b"B2,01/01/2024,20/01/2024,assess,plan,10/04/2024,10/04/2024,no\n"
    b"B3,01/01/2024,20/01/2024,assess,plan,19/07/2024,19/07/2024,no\n"
    + b"".join(f"E{n},01/02/2024,20/02/2024,assess,plan,01/04/2024,01/04/2024,yes\n".encode() for n in range(6))
    # 2024 decisions for the reconciliation: 28, 35, 42 and 45 days.
    + b"D1,08/01/2024,05/02/2024,assess,,,,no\nD2,08/01/2024,12/02/2024,not_assess,,,,no\n"
    b"D3,01/03/2024,12/04/2024,assess,,,,no\nD4,01/03/2024,15/04/2024,assess,,,,no\n"
)


def test_data_quality_page_works_unconfirmed_rules_both_ways_and_checks_exceptions(
    pages, session, two_partnerships, sign_in
):
    import_case_file(session, two_partnerships.a.partnership, BOUNDARY_CASES, when=WHEN)
    sign_in(two_partnerships.a.viewer)
    soup = pages.get("/p/alpha/timeliness/data-quality?year=2024")
    page = text_of(soup)
    table = soup.find("caption", string="Figures that depend on an unconfirmed rule").find_parent("table")
    rows = {
        row.th.get_text(" ", strip=True): [td.get_text(" ", strip=True) for td in row.find_all("td")]
        for row in table.select("tbody tr")
    }
    key = next(
        k
        for k in rows
        if k.startswith("New EHC plans issued within 20 weeks, excluding exceptions") and "last day" in k
    )
    used, other, changed = rows[key]
    assert used == "Yes: a plan on day 140 is within 20 weeks: 66.7% (2 of 3)"
    assert other == "No: only up to day 139: 33.3% (1 of 3)"
    assert changed == "1: B1"
    # Six of nine plans have an exception (more than half), and they were all on time.
    assert "An exception is recorded for 6 of the 9 plans issued in 2024 (66.7%)" in page
    assert "Kind of problem" not in page or "PLAN_BEFORE_OUTCOME" not in page  # plain words, never codes


def test_data_quality_page_reconciles_local_figures_with_the_councils_published_ones(
    pages, session, two_partnerships, sign_in
):
    import_case_file(session, two_partnerships.a.partnership, BOUNDARY_CASES, when=WHEN)
    import_real_statistics(session)
    sign_in(two_partnerships.a.viewer)
    soup = pages.get("/p/alpha/timeliness/data-quality?year=2024")
    table = soup.find("caption", string="Local figures beside the published ones").find_parent("table")
    rows = {
        row.th.get_text(" ", strip=True): [td.get_text(" ", strip=True) for td in row.find_all("td")]
        for row in table.select("tbody tr")
    }
    local, published, difference, _explaining = rows["Decisions whether to assess made within 6 weeks"]
    # Decisions dated in 2024: the nine plans' on day 19, D1-D3 on days 28, 35 and 42, D4 on day 45 (late).
    assert local == "92.3% (12 of 13)"
    row = requests_row("2024", "805")
    within, over = int(row["request_outcome_six_weeks"]), int(row["request_outcome_over_6_weeks"])
    exact = Decimal(within) * 100 / Decimal(within + over)
    assert published == f"{exact.quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)}%"
    mine = Decimal(12) * 100 / Decimal(13)
    gap = (mine - exact).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    assert difference.startswith(f"{'+' if gap > 0 else chr(0x2212)}{abs(gap)} points")
    assert ("More than 2.0 points" in difference) == (abs(mine - exact) > 2)


def test_data_quality_page_without_statistics_says_why_there_is_no_reconciliation(
    pages, session, two_partnerships, sign_in
):
    import_case_file(session, two_partnerships.a.partnership, BOUNDARY_CASES, when=WHEN)
    sign_in(two_partnerships.a.viewer)
    page = text_of(pages.get("/p/alpha/timeliness/data-quality?year=2024"))
    assert "No DfE statistics have been imported yet" in page


def test_the_import_page_takes_a_sen2_return_larger_than_other_uploads_up_to_its_own_limit(
    app, pages, session, two_partnerships, sign_in
):
    sign_in(two_partnerships.a.contributor)
    header, people, labels = every_state(2026)
    data = write_xml(header, people)
    limits = {name: app.config[name] for name in ("MAX_CONTENT_LENGTH", "SEN2_MAX_BYTES")}
    try:
        app.config.update(MAX_CONTENT_LENGTH=len(data) // 2, SEN2_MAX_BYTES=len(data) * 2)
        response = upload(pages.client, data)
        assert response.status_code == 302
        app.config.update(SEN2_MAX_BYTES=len(data) // 2)
        refused = upload(pages.client, data)
    finally:
        app.config.update(limits)
    assert refused.status_code == 413
    imports = session.scalars(select(DataImport)).all()
    assert [(record.status, record.added) for record in imports] == [("succeeded", len(labels))]
