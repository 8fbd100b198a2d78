"""National statistics pages: the partnership's view for everyone in it, and the site administrator's uploads."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from inspect_app.models import AuditEvent, BenchmarkRelease, PublishedFigure, StatisticalNeighbour
from tests.benchmark_data import (
    ANNUAL_REVIEWS_2025,
    NEIGHBOURS,
    REQUESTS_2025,
    SEN2_MI_2022,
    import_real_statistics,
)
from tests.page import text_of


@pytest.fixture
def statistics(session, two_partnerships):  # type: ignore[no-untyped-def]
    import_real_statistics(session)
    return two_partnerships


def upload(path, name: str | None = None, data: bytes | None = None) -> FileStorage:  # type: ignore[no-untyped-def]
    return FileStorage(io.BytesIO(data if data is not None else path.read_bytes()), name or path.name)


def multipart(**fields) -> dict:  # type: ignore[no-untyped-def]
    """A multipart body built in memory: the test client spools a large one to a file it never closes."""
    boundary, body = encode_multipart(fields)
    return {"data": body, "content_type": f"multipart/form-data; boundary={boundary}"}


def test_index_says_nothing_is_imported_yet(pages, two_partnerships, sign_in):
    sign_in(two_partnerships.a.viewer)
    soup = pages.get("/p/alpha/benchmarks/")
    assert "No national statistics have been imported yet" in text_of(soup)
    assert soup.find("table") is None


def test_index_lists_each_measure_beside_england_the_region_and_the_neighbours(pages, statistics, sign_in):
    sign_in(statistics.a.viewer)
    soup = pages.get("/p/alpha/benchmarks/")
    headers = [th.get_text(strip=True) for th in soup.select("thead th")]
    assert headers == ["Measure", "Year", "Hartlepool", "England", "North East", "Neighbours' average",
                       "Rank among neighbours"]  # fmt: skip
    row = next(tr for tr in soup.select("tbody tr") if "within 20 weeks, excluding" in tr.get_text())
    cells = [" ".join(td.get_text(" ").split()) for td in row.find_all("td")]
    assert cells[:4] == ["2021", "46.6% 54 of 116", "59.9% 34,249 of 57,196", "71.8% 1,781 of 2,481"]
    assert cells[4].endswith("10 of 10 with a figure")
    assert cells[5] == "11 of 11"
    reviews = next(tr for tr in soup.select("tbody tr") if "Review decisions" in tr.get_text())
    assert "9 of 10 with a figure" in reviews.get_text(" ")


def test_measure_page_shows_the_comparators_each_neighbour_and_the_trend_with_its_table(pages, statistics, sign_in):
    sign_in(statistics.a.lead)
    soup = pages.get("/p/alpha/benchmarks/ehcp_20wk_excl")
    text = text_of(soup)
    assert soup.h1.get_text(strip=True) == "New EHC plans issued within 20 weeks, excluding exceptions"
    assert "Hartlepool (published local figure)" in text
    assert "Local minus England: −13.3 points" in text  # 54/116 − 34,249/57,196 = −13.33…
    neighbours = soup.find("caption", string=lambda s: s and "statistical neighbours in 2021" in s).parent
    assert [th.get_text(strip=True) for th in neighbours.select("tbody th")][:2] == [
        "Redcar and Cleveland (807)",
        "Sunderland (394)",
    ]
    svg = soup.select_one(".app-chart svg")
    assert svg["role"] == "img"
    assert svg["aria-label"].startswith("Hartlepool was below England in 2021 (46.6% against 59.9%)")
    chart_table = soup.find("caption", string="The figures in the chart").parent
    years = [th.get_text(strip=True) for th in chart_table.select("tbody th")]
    assert years == [str(y) for y in range(2014, 2022)]


def test_measure_page_shows_another_year_and_explains_the_symbols_on_it(pages, statistics, sign_in):
    sign_in(statistics.a.viewer)
    soup = pages.get("/p/alpha/benchmarks/decision_6wk?year=2023")
    text = text_of(soup)
    assert "2023: Hartlepool beside its comparators" in text
    assert "What DfE's symbols mean" in text
    assert "x Unavailable: the series did not exist yet" in text


def test_measure_page_accepts_the_frameworks_id_and_refuses_an_unknown_measure(pages, client, statistics, sign_in):
    sign_in(statistics.a.viewer)
    soup = pages.get("/p/alpha/benchmarks/refusal_rate")
    assert soup.h1.get_text(strip=True) == "Requests refused"
    assert client.get("/p/alpha/benchmarks/no_such_measure").status_code == 404


def test_measure_page_without_figures_says_so(pages, two_partnerships, sign_in):
    sign_in(two_partnerships.a.viewer)
    soup = pages.get("/p/alpha/benchmarks/ehcp_20wk_excl")
    assert "No figures for this measure have been imported" in text_of(soup)


def test_inspectors_see_the_statistics_and_their_reading_is_recorded(pages, session, statistics, sign_in):
    sign_in(statistics.a.inspector)
    pages.get("/p/alpha/benchmarks/ehcp_20wk_excl")
    viewed = session.scalars(select(AuditEvent).where(AuditEvent.action == "inspector.viewed")).all()
    assert [event.object_id for event in viewed] == ["/p/alpha/benchmarks/ehcp_20wk_excl"]


def test_each_partnership_sees_its_own_local_authority(pages, statistics, sign_in):
    sign_in(statistics.b.viewer)  # beta is Middlesbrough, 806
    soup = pages.get("/p/beta/benchmarks/")
    assert "Middlesbrough" in [th.get_text(strip=True) for th in soup.select("thead th")]


def test_dashboard_card_leads_with_the_headline_timeliness_figure(pages, statistics, sign_in):
    sign_in(statistics.a.viewer)
    text = text_of(pages.get("/p/alpha/"))
    assert (
        "New EHC plans issued within 20 weeks, excluding exceptions, 2021: Hartlepool 46.6%, England 59.9%, "
        "ranked 11 of 11 among its statistical neighbours." in text
    )


def test_framework_criteria_show_their_published_figures(pages, statistics, sign_in):
    sign_in(statistics.a.viewer)
    soup = pages.get("/p/alpha/framework/")
    links = [a for a in soup.select("a") if a.get("href", "").startswith("/p/alpha/benchmarks/")]
    assert any("46.6% (England 59.9%)" in a.get_text() for a in links)


def test_national_statistics_are_in_the_menu_for_everyone(pages, two_partnerships, sign_in):
    for role in ("lead", "viewer", "inspector"):
        sign_in(getattr(two_partnerships.a, role))
        soup = pages.get("/p/alpha/")
        menu = [a.get_text(strip=True) for a in soup.select(".govuk-service-navigation a")]
        assert "National statistics" in menu, role


# --- Site administration -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    ["/admin/benchmarks/", "/admin/benchmarks/upload", "/admin/benchmarks/neighbours/upload"],
)
def test_only_site_administrators_reach_the_statistics_administration(client, two_partnerships, sign_in, url):
    sign_in(two_partnerships.a.lead)
    assert client.get(url).status_code == 403
    assert client.post(url, data={}).status_code in (403, 405)


def test_admin_releases_page_is_empty_until_a_file_is_imported(pages, two_partnerships, sign_in):
    sign_in(two_partnerships.admin)
    text = text_of(pages.get("/admin/benchmarks/"))
    assert "No statistics imported yet" in text
    assert "No statistical neighbours imported yet" in text


def test_admin_uploads_a_file_and_sees_its_status_and_summary(pages, client, session, two_partnerships, sign_in):
    sign_in(two_partnerships.admin)
    response = client.post(
        "/admin/benchmarks/upload",
        **multipart(file=upload(REQUESTS_2025), release=" 2025 "),
    )
    release = session.scalars(select(BenchmarkRelease)).one()
    assert response.headers["Location"] == f"/admin/benchmarks/releases/{release.id}"
    soup = pages.get(f"/admin/benchmarks/releases/{release.id}")
    text = text_of(soup)
    assert soup.h1.get_text(strip=True) == "Release 2025: requests"
    assert "Imported" in text
    assert "England, 9 regions, 155 local authorities" in text
    assert "decision_6wk, requests_received, requests_refused" in text
    assert "Row 648: England 2023: decision_6wk is published as 84.8" in text
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "benchmarks.added")).one()
    assert event.actor == two_partnerships.admin.email
    listing = text_of(pages.get("/admin/benchmarks/"))
    assert "2025 (requests) requests.csv 2019 to 2024 2,916" in listing


def test_admin_upload_without_a_file_shows_a_govuk_error(pages, session, two_partnerships, sign_in):
    sign_in(two_partnerships.admin)
    soup = pages.post("/admin/benchmarks/upload", **multipart(release="2025"))
    assert soup.title.get_text().startswith("Error: ")
    assert "Select a DfE statistics file" in soup.select_one(".govuk-error-summary").get_text()


def test_admin_upload_of_an_unknown_file_says_which_columns_it_expected(pages, session, two_partnerships, sign_in):
    sign_in(two_partnerships.admin)
    soup = pages.post(
        "/admin/benchmarks/upload",
        **multipart(file=upload(NEIGHBOURS), release=""),
    )
    summary = soup.select_one(".govuk-error-summary").get_text()
    assert "Provider_data_lookup.csv: This is not a DfE 'Education, health and care plans' file" in summary
    needs = text_of(soup)
    assert "What the file needs" in needs
    assert "timeliness_20_week.csv, 2025 release on: plans_issued_den, plans_issued_den_ex" in needs
    assert session.scalar(select(func.count()).select_from(BenchmarkRelease)) == 0


def test_admin_upload_with_bad_cells_lists_each_and_imports_nothing(pages, session, two_partnerships, sign_in):
    sign_in(two_partnerships.admin)
    text = SEN2_MI_2022.read_text(encoding="utf-8").replace(",34249,", ",34 249,", 1).replace(",57196,", ",?,", 1)
    soup = pages.post(
        "/admin/benchmarks/upload",
        **multipart(file=upload(SEN2_MI_2022, data=text.encode())),
    )
    assert "nothing was imported" in soup.select_one(".govuk-error-summary").get_text()
    problems = soup.find("caption", string="Problems found in the uploaded file").parent
    cells = [[td.get_text(strip=True) for td in tr.find_all("td")] for tr in problems.select("tbody tr")]
    assert [row[1:3] for row in cells] == [["NoExc20weekEHC", "34 249"], ["TotNoExcEHC", "?"]]
    assert cells[0][0] == "2"
    assert session.scalar(select(func.count()).select_from(PublishedFigure)) == 0


def test_admin_upload_refuses_a_file_that_is_not_a_table(pages, two_partnerships, sign_in):
    sign_in(two_partnerships.admin)
    soup = pages.post(
        "/admin/benchmarks/upload",
        **multipart(file=FileStorage(io.BytesIO(b"%PDF-1.4"), "report.pdf")),
    )
    assert "The file must be a CSV or an Excel (.xlsx) file" in soup.select_one(".govuk-error-summary").get_text()


def test_admin_uploads_statistical_neighbours(pages, client, session, two_partnerships, sign_in):
    sign_in(two_partnerships.admin)
    response = client.post(
        "/admin/benchmarks/neighbours/upload",
        **multipart(file=upload(NEIGHBOURS), model="LAIT 2025"),
    )
    assert response.headers["Location"] == "/admin/benchmarks/"
    assert session.scalar(select(func.count()).select_from(StatisticalNeighbour)) == 1530
    text = text_of(pages.get("/admin/benchmarks/"))
    assert "LAIT 2025: 1,530 neighbours for 153 local authorities" in text


def test_admin_neighbours_upload_of_a_statistics_file_is_refused(pages, session, two_partnerships, sign_in):
    sign_in(two_partnerships.admin)
    soup = pages.post(
        "/admin/benchmarks/neighbours/upload",
        **multipart(file=upload(ANNUAL_REVIEWS_2025)),
    )
    assert "This is not a statistical neighbour file" in soup.select_one(".govuk-error-summary").get_text()
    assert "one row per neighbour with la_code, SN, SN_code" in text_of(soup)
    assert session.scalar(select(func.count()).select_from(StatisticalNeighbour)) == 0


def test_unknown_release_is_404(client, two_partnerships, sign_in):
    sign_in(two_partnerships.admin)
    assert client.get("/admin/benchmarks/releases/999").status_code == 404
