"""The timeliness dashboard's comparators: each local measure beside DfE's figures for the same year (issue 6).

Local figures come from a small case file written here; the published ones from DfE's real files, and every
expected number is read from those files independently (tests/benchmark_data.py), never from what was stored.
"""

from __future__ import annotations

from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

import pytest
from sqlalchemy import event

from inspect_app.extensions import db
from inspect_app.services import timeliness
from tests.benchmark_data import (
    HARTLEPOOL_NEIGHBOURS,
    exact_rate,
    import_real_statistics,
    requests_row,
    sen2_mi_row,
)
from tests.factories import import_case_file
from tests.page import text_of

NOW = "2026-01-15T10:00:00"
WHEN = datetime(2026, 1, 15, 10, 0)
MINUS = "\u2212"

# Hartlepool's own cases. 2021: three plans without an exception, one of them within 20 weeks (136 days), and a
# fourth plan with an exception (each plan issued, the assessment outcome date, on the day it started).
# 2024: four requests, three decided within 6 weeks (28, 35 and 42 days), one not
# (45 days).
CASES = b"""case_ref,request_date,decision_date,decision,assessment_outcome,assessment_outcome_date,\
final_plan_date,exception,exception_reason
C1,04/01/2021,01/02/2021,assess,plan,20/05/2021,20/05/2021,no,
C2,04/01/2021,01/02/2021,assess,plan,01/07/2021,01/07/2021,no,
C3,01/06/2020,01/07/2020,assess,plan,01/03/2021,01/03/2021,no,
C4,04/01/2021,01/02/2021,assess,plan,01/09/2021,01/09/2021,yes,Family asked for a delay
D1,08/01/2024,05/02/2024,assess,,,,no,
D2,08/01/2024,12/02/2024,not_assess,,,,no,
D3,01/03/2024,12/04/2024,assess,,,,no,
D4,01/03/2024,15/04/2024,assess,,,,no,
"""


@pytest.fixture(autouse=True)
def _frozen_clock(app):  # type: ignore[no-untyped-def]
    app.config["FIXED_NOW"] = NOW
    timeliness.clear_cache()
    yield
    timeliness.clear_cache()


@pytest.fixture
def with_cases(session, two_partnerships):  # type: ignore[no-untyped-def]
    import_case_file(session, two_partnerships.a.partnership, CASES, when=WHEN)
    return two_partnerships


@pytest.fixture
def with_statistics(session, with_cases):  # type: ignore[no-untyped-def]
    import_real_statistics(session)
    return with_cases


def half_up(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def signed_points(value: Decimal) -> str:
    rounded = half_up(value)
    sign = "+" if rounded > 0 else MINUS if rounded < 0 else ""
    return f"{sign}{abs(rounded)} points"


def comparator_rows(soup, measure_id: str, year: int) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """The summary list shown for a measure, found through its link to the benchmark page: {key: value text}."""
    link = soup.find("a", href=f"/p/alpha/benchmarks/{measure_id}?year={year}")
    assert link is not None, f"no link to the benchmark page of {measure_id}"
    rows = link.find_previous("dl").select(".govuk-summary-list__row")
    return {" ".join(row.dt.get_text(" ").split()): " ".join(row.dd.get_text(" ").split()) for row in rows}


def six_weeks(row: dict[str, str]) -> tuple[int, int] | None:
    within, over = row["request_outcome_six_weeks"], row["request_outcome_over_6_weeks"]
    if not (within.isdigit() and over.isdigit()):
        return None
    return int(within), int(within) + int(over)


def test_each_local_measure_shows_england_the_region_the_neighbours_and_the_rank_for_the_same_year(
    pages, with_statistics, sign_in
):
    sign_in(with_statistics.a.viewer)
    soup = pages.get("/p/alpha/timeliness/?year=2024")
    assert "2024 beside England, the region and statistical neighbours" in text_of(soup)
    rows = comparator_rows(soup, "decision_6wk", 2024)

    assert rows["Hartlepool (from your case data)"] == "75.0% 3 of 4"
    england = six_weeks(requests_row("2024", "E92000001"))
    region = six_weeks(requests_row("2024", "E12000001"))
    assert england is not None and region is not None
    england_rate, region_rate = exact_rate(*map(str, england)), exact_rate(*map(str, region))
    assert rows["England"] == (
        f"{half_up(england_rate)}% {england[0]:,} of {england[1]:,} "
        f"Local minus England: {signed_points(Decimal(75) - england_rate)}"
    )
    assert rows["North East"].startswith(f"{half_up(region_rate)}% {region[0]:,} of {region[1]:,}")
    assert rows["North East"].endswith(f"Local minus region: {signed_points(Decimal(75) - region_rate)}")

    neighbour_rates = []
    for code in HARTLEPOOL_NEIGHBOURS:
        parts = six_weeks(requests_row("2024", code))
        if parts is not None:
            neighbour_rates.append(exact_rate(*map(str, parts)))
    mean = sum(neighbour_rates, Decimal(0)) / len(neighbour_rates)
    average = rows["Statistical neighbours' average"]
    assert average.startswith(
        f"{half_up(mean)}% Mean of their figures: {len(neighbour_rates)} of 10 neighbours had data"
    )
    assert average.endswith(f"Local minus neighbours: {signed_points(Decimal(75) - mean)}")
    better = sum(1 for rate in neighbour_rates if rate > Decimal(75))
    assert rows["Rank among neighbours (1 is best)"] == f"{better + 1} of {len(neighbour_rates) + 1}"


def test_counts_are_compared_but_not_ranked_and_a_measure_without_cases_uses_the_published_local_figure(
    pages, with_statistics, sign_in
):
    sign_in(with_statistics.a.viewer)
    soup = pages.get("/p/alpha/timeliness/?year=2024")
    requests = comparator_rows(soup, "requests_received", 2024)
    assert requests["Hartlepool (from your case data)"] == "4"
    england = requests_row("2024", "E92000001")["requests_received_in_year"]
    assert requests["England"] == f"{int(england):,} Local minus England: {MINUS}{int(england) - 4:,}"
    assert requests["Rank among neighbours (1 is best)"] == "Not ranked: neither higher nor lower is better"

    # No review meetings are imported, so the council's own published figure stands in, and says so.
    reviews = comparator_rows(soup, "review_decision_4wk", 2024)
    assert "Hartlepool (published local figure)" in reviews
    assert "9 of 10 neighbours had data" in reviews["Statistical neighbours' average"]
    assert "DfE publishes no figure to compare with for:" in text_of(soup)


def test_differences_come_from_the_counts_and_are_rounded_half_up_only_for_display(pages, with_statistics, sign_in):
    sign_in(with_statistics.a.viewer)
    soup = pages.get("/p/alpha/timeliness/?year=2021")
    rows = comparator_rows(soup, "ehcp_20wk_excl", 2021)
    assert rows["Hartlepool (from your case data)"] == "33.3% 1 of 3"
    england = sen2_mi_row("2021", "E92000001")
    assert (england["NoExc20weekEHC"], england["TotNoExcEHC"]) == ("34249", "57196")
    # 1/3 − 34,249/57,196 = −26.547 points: −26.5, where the rounded figures would give 33.3 − 59.9 = −26.6.
    assert rows["England"] == f"59.9% 34,249 of 57,196 Local minus England: {MINUS}26.5 points"
    included = comparator_rows(soup, "ehcp_20wk_incl", 2021)
    assert included["Hartlepool (from your case data)"] == "25.0% 1 of 4"


def test_each_comparison_links_to_the_benchmark_page_of_its_measure_for_that_year(
    pages, client, with_statistics, sign_in
):
    sign_in(with_statistics.a.viewer)
    soup = pages.get("/p/alpha/timeliness/?year=2024")
    link = soup.find("a", href="/p/alpha/benchmarks/decision_6wk?year=2024")
    assert link.get_text(strip=True).endswith(": each neighbour and every year")
    target = pages.get(link["href"])
    assert "2024: Hartlepool beside its comparators" in text_of(target)


def test_a_year_dfe_has_not_published_says_so_and_links_to_the_years_it_has(pages, with_statistics, sign_in):
    sign_in(with_statistics.a.viewer)
    soup = pages.get("/p/alpha/timeliness/")  # 2025, the last complete year: published in summer 2026
    assert "DfE has published no figures for 2025." in text_of(soup)
    links = [a["href"] for a in soup.select('a[href$="#comparators"]')]
    assert links[:2] == ["/p/alpha/timeliness/?year=2024#comparators", "/p/alpha/timeliness/?year=2023#comparators"]
    assert "/p/alpha/timeliness/?year=2021#comparators" in links


def test_all_measures_are_compared_with_one_set_of_queries(app, pages, with_statistics, sign_in):
    sign_in(with_statistics.a.viewer)
    statements: list[str] = []

    def count(conn, cursor, statement, *args):  # type: ignore[no-untyped-def]
        if "published_figures" in statement:
            statements.append(statement)

    engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        soup = pages.get("/p/alpha/timeliness/?year=2024")
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert len(soup.select('a[href*="/benchmarks/"][href$="?year=2024"]')) >= 5
    # one look for any figure at all, then one read of every measure's figures for every area compared
    assert len(statements) == 2, statements


def test_without_national_statistics_the_dashboard_says_so_and_offers_admins_the_import(
    pages, session, with_cases, sign_in
):
    sign_in(with_cases.a.viewer)
    text = text_of(pages.get("/p/alpha/timeliness/"))
    assert "No national statistics have been imported yet" in text
    assert "A site administrator imports DfE's published figures." in text

    with_cases.a.lead.is_admin = True
    session.commit()
    sign_in(with_cases.a.lead)
    soup = pages.get("/p/alpha/timeliness/")
    link = soup.find("a", href="/admin/benchmarks/upload")
    assert link is not None and link.get_text(strip=True) == "Import DfE's published figures"


@pytest.mark.parametrize(
    ("la_code", "message"),
    [
        ("", "This partnership has no DfE local authority code"),
        ("999", "The partnership's local authority code, 999, is not one DfE publishes figures for"),
    ],
)
def test_a_partnership_without_a_usable_la_code_is_told_why_nothing_is_compared(
    pages, session, with_statistics, sign_in, la_code, message
):
    with_statistics.a.partnership.la_code = la_code
    session.commit()
    sign_in(with_statistics.a.viewer)
    soup = pages.get("/p/alpha/timeliness/")
    assert message in text_of(soup)
    assert soup.find("a", href=lambda h: h and "/benchmarks/" in h and "?year=" in h) is None
