"""The comparison: a partnership beside England, its region and its neighbours, from DfE's real files."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pytest

from inspect_app.domain.benchmarks import Rank, published_measure
from inspect_app.domain.errors import NotFound
from inspect_app.services import benchmarks
from tests.benchmark_data import (
    HARTLEPOOL_NEIGHBOURS,
    exact_rate,
    import_real_statistics,
    requests_row,
    reviews_row,
    sen2_mi_row,
)
from tests.factories import create_partnership, shipped_framework


@dataclass(frozen=True)
class LocalMeasure:
    """What the timeliness feature passes: a local figure computed from case data."""

    numerator: int
    denominator: int
    value: float


@pytest.fixture
def hartlepool(session):  # type: ignore[no-untyped-def]
    import_real_statistics(session)
    partnership = create_partnership(session, slug="hartlepool", la_code="805")
    session.commit()
    return partnership


def sen2_rate(year: str, code: str) -> Decimal:
    row = sen2_mi_row(year, code)
    return exact_rate(row["NoExc20weekEHC"], row["TotNoExcEHC"])


def test_compare_gives_england_the_region_and_the_published_local_figure_exactly(session, hartlepool):
    comparison = benchmarks.compare(session, hartlepool, "ehcp_20wk_excl", "2021")
    assert comparison.local_source == benchmarks.PUBLISHED
    assert (comparison.local.numerator, comparison.local.denominator) == (54, 116)
    assert comparison.england.figure.value == Decimal("59.9")
    assert (comparison.england.figure.numerator, comparison.england.figure.denominator) == (34249, 57196)
    assert comparison.area.region.code == "E12000001"
    north_east = sen2_mi_row("2021", "E12000001")
    assert comparison.region.figure.numerator == int(north_east["NoExc20weekEHC"])
    assert comparison.difference_from_england == sen2_rate("2021", "805") - Decimal(34249) * 100 / Decimal(57196)
    assert comparison.difference_from_region == sen2_rate("2021", "805") - sen2_rate("2021", "E12000001")
    assert comparison.worse_than_england is True


def test_compare_averages_the_ten_neighbours_and_ranks_the_partnership_among_them(session, hartlepool):
    comparison = benchmarks.compare(session, hartlepool, "ehcp_20wk_excl", "2021")
    assert [n.neighbour.code for n in comparison.neighbours] == HARTLEPOOL_NEIGHBOURS
    rates = [sen2_rate("2021", code) for code in HARTLEPOOL_NEIGHBOURS]
    assert comparison.average.mean == sum(rates, Decimal(0)) / 10
    rows = [sen2_mi_row("2021", code) for code in HARTLEPOOL_NEIGHBOURS]
    pooled = exact_rate(str(sum(int(r["NoExc20weekEHC"]) for r in rows)), str(sum(int(r["TotNoExcEHC"]) for r in rows)))
    assert comparison.average.pooled == pooled
    assert (comparison.average.with_data, comparison.average.neighbours) == (10, 10)
    local = sen2_rate("2021", "805")
    assert comparison.rank == Rank(1 + sum(1 for r in rates if r > local), 11)
    assert comparison.difference_from_neighbours == local - comparison.average.mean


def test_compare_uses_the_local_figure_from_case_data_when_it_is_given(session, hartlepool):
    comparison = benchmarks.compare(session, hartlepool, "ehcp_20wk_excl", "2021", LocalMeasure(90, 100, 90.0))
    assert comparison.local_source == benchmarks.CASE_DATA
    assert comparison.published_local.figure.numerator == 54  # still there, beside it
    assert comparison.difference_from_england == Decimal(90) - Decimal(34249) * 100 / Decimal(57196)
    assert comparison.rank == Rank(4, 11)  # 97.6, 96.2 (97.0 as published), 93.3 (97.1) beat 90
    assert comparison.worse_than_england is False


def test_compare_says_how_many_neighbours_had_data_when_one_did_not_return_it(session, hartlepool):
    comparison = benchmarks.compare(session, hartlepool, "review_decision_4wk", "2024")
    blackpool = next(n for n in comparison.neighbours if n.neighbour.code == "890")
    assert blackpool.value.figure.symbol == "x"  # Blackpool returned no data
    assert (comparison.average.with_data, comparison.average.neighbours) == (9, 10)
    assert comparison.rank.out_of == 10
    local = reviews_row("805")
    assert comparison.local.numerator == int(local["number_decsion_4weeks"])


def test_compare_takes_each_figure_from_the_newest_release(session, hartlepool):
    # requests_received for 2021 is in the 2022 release (sen2_mi) and again in the 2025 release (requests.csv).
    comparison = benchmarks.compare(session, hartlepool, "requests_received", "2021")
    assert comparison.england.release == "2025"
    assert comparison.england.figure.value == int(requests_row("2021", "E92000001")["requests_received_in_year"])


def test_counts_are_averaged_but_not_ranked(session, hartlepool):
    comparison = benchmarks.compare(session, hartlepool, "requests_received", "2024")
    assert comparison.rank is None
    assert comparison.average.pooled is None
    counts = [int(requests_row("2024", code)["requests_received_in_year"]) for code in HARTLEPOOL_NEIGHBOURS]
    assert comparison.average.mean == Decimal(sum(counts)) / 10


def test_compare_without_neighbours_or_a_local_figure_still_gives_england(session):
    from tests.benchmark_data import SEN2_MI_2022, import_file

    import_file(session, SEN2_MI_2022, "2022")
    partnership = create_partnership(session, slug="newshire", la_code="942")  # Cumberland: from 2023 only
    comparison = benchmarks.compare(session, partnership, "ehcp_20wk_excl", "2021")
    assert comparison.local is None and comparison.local_source is None
    assert comparison.england.figure.value == Decimal("59.9")
    assert comparison.rank is None
    assert (comparison.average.with_data, comparison.average.neighbours) == (0, 0)
    assert comparison.area.region.code == "E12000002"


def test_compare_refuses_a_measure_dfe_does_not_publish(session, hartlepool):
    with pytest.raises(NotFound, match="DfE publishes no measure called 'annual_review_on_time'"):
        benchmarks.compare(session, hartlepool, "annual_review_on_time", "2024")


def test_compare_many_answers_only_the_measures_dfe_publishes_with_one_query(session, hartlepool):
    found = benchmarks.compare_many(
        session,
        hartlepool,
        {"ehcp_20wk_excl": ("2021", None), "decision_6wk": ("2024", None), "annual_review_on_time": ("2024", None)},
    )
    assert set(found) == {"ehcp_20wk_excl", "decision_6wk"}
    assert found["decision_6wk"].local.numerator == int(requests_row("2024", "805")["request_outcome_six_weeks"])


def test_latest_comparisons_list_each_published_measure_in_its_latest_year(session, hartlepool):
    latest = {c.measure.id: c.period for c in benchmarks.latest_comparisons(session, hartlepool)}
    assert latest == {
        "ehcp_20wk_excl": "2021",
        "ehcp_20wk_incl": "2021",
        "decision_6wk": "2024",
        "requests_received": "2024",
        "requests_refused": "2024",
        "new_plans": "2021",
        "review_decision_4wk": "2024",
    }


def test_trend_gives_one_comparison_per_published_year_oldest_first(session, hartlepool):
    trend = benchmarks.trend(session, hartlepool, "ehcp_20wk_excl")
    assert [c.period for c in trend.comparisons] == [str(y) for y in range(2014, 2022)]
    assert trend.latest.period == "2021"
    assert trend.at("2016").published_local.figure.numerator == int(sen2_mi_row("2016", "805")["NoExc20weekEHC"])


def test_measure_titles_and_direction_come_from_the_framework_where_it_defines_the_measure():
    framework = shipped_framework()
    refusals = benchmarks.measure_view(published_measure("requests_refused"), framework)
    assert (refusals.framework_measure_id, refusals.title) == ("refusal_rate", "Requests refused")
    over_a_year = benchmarks.measure_view(published_measure("ehcp_over_52wk_excl"), framework)
    assert over_a_year.higher_is_better is False
    assessments = benchmarks.measure_view(published_measure("assessments"), framework)
    assert (assessments.framework_measure_id, assessments.title) == (None, "EHC needs assessments")


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("805", ("805", "Hartlepool", "Local authority")),
        ("E06000001", ("805", "Hartlepool", "Local authority")),
        ("e06000065", ("815", "North Yorkshire", "Local authority")),
        ("E10000023", ("815", "North Yorkshire", "Local authority")),
        ("E06000060", ("825", "Buckinghamshire", "Local authority")),
        ("E12000003", ("E12000003", "Yorkshire and The Humber", "Regional")),
        ("E92000001", ("E92000001", "England", "National")),
    ],
)
def test_resolve_area_accepts_every_code_an_area_is_known_by(session, code, expected):
    area = benchmarks.resolve_area(session, code)
    assert (area.code, area.name, area.level) == expected


@pytest.mark.parametrize("code", ["999", "E12000010", "E06999999", "", "Hartlepool"])
def test_resolve_area_refuses_a_code_that_names_no_area(session, code):
    with pytest.raises(NotFound, match="No area has the code"):
        benchmarks.resolve_area(session, code)
