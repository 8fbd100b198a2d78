"""Importing DfE's "Education, health and care plans" statistics: every generation, to the published digit.

Expected values come from reading the same fixture file independently with csv.DictReader, never from what the
importer produced, except figures quoted in reference/data-formats.md (England's 59.9 for 2021, …).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path

import pytest

from inspect_app.domain import areas
from inspect_app.domain.numbers import ratio_percentage, round_half_up
from inspect_app.domain.symbols import SYMBOLS, describe_symbol, find_symbol
from inspect_app.importers.benchmarks import (
    LAYOUTS,
    BenchmarkFigure,
    BenchmarkImportResult,
    read_benchmarks,
)
from inspect_app.importers.common import FileRejected

DFE = Path(__file__).resolve().parents[1] / "fixtures" / "files" / "dfe"
SEN2_MI_2022 = DFE / "ehcp-2022" / "sen2_mi.csv"
REQUESTS_2025 = DFE / "ehcp-2025" / "requests.csv"
ANNUAL_REVIEWS_2025 = DFE / "ehcp-2025" / "annual_reviews.csv"
SYNTHETIC = DFE / "synthetic"

DESIGN_MEASURES = {
    "ehcp_20wk_excl",
    "ehcp_20wk_incl",
    "ehcp_over_52wk_excl",
    "decision_6wk",
    "requests_received",
    "new_plans",
    "review_decision_4wk",
}


def published_rows(path: Path, **match: str) -> list[dict[str, str]]:
    """Read a fixture with csv.DictReader (independently of the importer) and keep rows matching every field."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return [row for row in csv.DictReader(handle) if all(row[k] == v for k, v in match.items())]


def published_row(path: Path, **match: str) -> dict[str, str]:
    rows = published_rows(path, **match)
    assert len(rows) == 1, f"{len(rows)} rows match {match}"
    return rows[0]


def figure(result: BenchmarkImportResult, measure: str, area_code: str, period: str, **match: str) -> BenchmarkFigure:
    found = [
        f
        for f in result.rows
        if f.measure == measure
        and f.area_code == area_code
        and f.period == period
        and all(getattr(f, k) == v for k, v in match.items())
    ]
    assert len(found) == 1, f"{len(found)} figures for {measure} {area_code} {period}"
    return found[0]


def decimal_or_none(cell: str) -> Decimal | None:
    return None if find_symbol(cell) else Decimal(cell.strip())


def int_or_none(cell: str) -> int | None:
    return None if find_symbol(cell) else int(cell)


def assert_symbols_never_numbers(figures: Iterable[BenchmarkFigure]) -> None:
    for f in figures:
        if f.symbol is not None:
            assert f.value is None, f
            assert f.symbol in SYMBOLS, f
        assert f.numerator is None or isinstance(f.numerator, int), f
        assert f.denominator is None or isinstance(f.denominator, int), f


@pytest.fixture(scope="module")
def sen2_mi() -> BenchmarkImportResult:
    return read_benchmarks(SEN2_MI_2022, release="2022")


@pytest.fixture(scope="module")
def requests_2025() -> BenchmarkImportResult:
    return read_benchmarks(REQUESTS_2025, release="2025")


@pytest.fixture(scope="module")
def reviews_2025() -> BenchmarkImportResult:
    return read_benchmarks(ANNUAL_REVIEWS_2025, release="2025")


# --- sen2_mi.csv, 2022 release (real file) ---------------------------------------------------------------------


def test_read_benchmarks_reproduces_england_2021_headline_when_reading_2022_sen2_mi(sen2_mi):
    england = figure(sen2_mi, "ehcp_20wk_excl", areas.ENGLAND_CODE, "2021")

    # Quoted in reference/data-formats.md §2d and the brief.
    assert england.value == Decimal("59.9")
    assert (england.numerator, england.denominator) == (34249, 57196)
    assert england.symbol is None
    assert england.area_name == "England"
    assert england.geographic_level == "National"
    assert england.time_identifier == "Calendar year"
    assert england.source_file_kind == "sen2_mi"
    assert england.release == "2022"
    assert england.breakdown_topic is None


def test_read_benchmarks_recognises_camelcase_sen2_mi_from_its_header(sen2_mi):
    assert sen2_mi.ok
    assert sen2_mi.file_kind == "sen2_mi"
    assert "CamelCase" in sen2_mi.generation
    assert sen2_mi.notes == []


@pytest.mark.parametrize(
    ("level", "code_field", "code"),
    [
        ("Regional", "region_code", "E12000001"),
        ("Regional", "region_code", "E12000007"),
        ("Local authority", "old_la_code", "805"),
        ("Local authority", "old_la_code", "330"),
        ("Local authority", "old_la_code", "873"),
        ("Local authority", "old_la_code", "201"),
    ],
)
@pytest.mark.parametrize("year", ["2014", "2019", "2021"])
def test_read_benchmarks_matches_every_mapped_sen2_mi_column_when_reading_regions_and_las(
    sen2_mi, level, code_field, code, year
):
    row = published_row(SEN2_MI_2022, geographic_level=level, time_period=year, **{code_field: code})

    excl = figure(sen2_mi, "ehcp_20wk_excl", code, year)
    assert excl.value == decimal_or_none(row["NoExc20weekRate"])
    assert (excl.numerator, excl.denominator) == (int(row["NoExc20weekEHC"]), int(row["TotNoExcEHC"]))
    incl = figure(sen2_mi, "ehcp_20wk_incl", code, year)
    assert incl.value == decimal_or_none(row["IncExc20weekRate"])
    assert (incl.numerator, incl.denominator) == (int(row["IncExc20weekEHC"]), int(row["TotIncExcEHC"]))
    assert figure(sen2_mi, "new_plans", code, year).value == Decimal(row["NewallEHC"])
    assert figure(sen2_mi, "requests_received", code, year).value == decimal_or_none(row["InreqEHC"])
    name = row["la_name"] if level == "Local authority" else row["region_name"]
    assert excl.area_name == name
    assert excl.geographic_level == level


def test_read_benchmarks_keeps_z_as_a_symbol_and_zero_counts_as_zero_when_the_denominator_is_zero(sen2_mi):
    row = published_row(SEN2_MI_2022, old_la_code="420", time_period="2019")
    assert row["NoExc20weekRate"] == "z"

    scilly = figure(sen2_mi, "ehcp_20wk_excl", "420", "2019")

    assert scilly.value is None
    assert scilly.symbol == "z"
    assert (scilly.numerator, scilly.denominator) == (0, 0)
    assert figure(sen2_mi, "new_plans", "420", "2019").value == Decimal(0)


def test_read_benchmarks_keeps_a_count_published_as_z_as_no_figure(sen2_mi):
    row = published_row(SEN2_MI_2022, geographic_level="National", time_period="2014")
    assert row["InreqEHC"] == "z"

    requests = figure(sen2_mi, "requests_received", areas.ENGLAND_CODE, "2014")

    assert (requests.value, requests.symbol, requests.numerator) == (None, "z", None)


def test_read_benchmarks_keeps_the_12_decimal_rates_exactly_as_published(sen2_mi):
    row = published_row(SEN2_MI_2022, old_la_code="805", time_period="2021")

    value = figure(sen2_mi, "ehcp_20wk_excl", "805", "2021").value

    assert str(value) == row["NoExc20weekRate"]
    assert row["NoExc20weekRate"].endswith("00000000000")


def test_read_benchmarks_keeps_buckinghamshire_as_one_series_when_its_nine_character_code_flips(sen2_mi):
    bucks = {f.period: f.new_la_code for f in sen2_mi.rows if f.area_code == "825" and f.measure == "new_plans"}
    published = {r["time_period"]: r["new_la_code"] for r in published_rows(SEN2_MI_2022, old_la_code="825")}

    assert bucks == published
    assert bucks["2019"] == "E10000002"
    assert bucks["2020"] == bucks["2021"] == "E06000060"
    area = next(a for a in sen2_mi.areas if a.code == "825")
    assert area.nine_char_codes == ("E06000060", "E10000002")
    assert area.periods == tuple(str(year) for year in range(2014, 2022))


def test_read_benchmarks_keeps_dorset_county_835_and_dorset_unitary_838_as_separate_series(sen2_mi):
    county = next(a for a in sen2_mi.areas if a.code == "835")
    unitary = next(a for a in sen2_mi.areas if a.code == "838")

    published = {code: published_rows(SEN2_MI_2022, old_la_code=code) for code in ("835", "838")}
    assert county.name == unitary.name == "Dorset"
    assert county.nine_char_codes == ("E10000009",)
    assert unitary.nine_char_codes == ("E06000059",)
    assert county.periods == tuple(r["time_period"] for r in reversed(published["835"]))
    assert unitary.periods == tuple(r["time_period"] for r in reversed(published["838"]))
    assert county.periods[-1] == "2018" and unitary.periods[0] == "2019"  # reorganised 1 April 2019
    assert areas.successors("835") == ("838",)


def test_read_benchmarks_ends_northamptonshire_in_2020_and_starts_its_successors_in_2021(sen2_mi):
    periods = {a.code: a.periods for a in sen2_mi.areas}

    assert periods["928"][-1] == "2020"
    assert periods["940"] == periods["941"] == ("2021",)
    assert areas.successors("928") == ("940", "941")
    north = figure(sen2_mi, "new_plans", "940", "2021")
    assert north.value == Decimal(published_row(SEN2_MI_2022, old_la_code="940", time_period="2021")["NewallEHC"])


def test_read_benchmarks_counts_the_local_authorities_of_each_year_as_published(sen2_mi):
    per_year: dict[str, int] = {}
    for area in sen2_mi.areas:
        if area.level == "Local authority":
            for period in area.periods:
                per_year[period] = per_year.get(period, 0) + 1

    # reference/data-formats.md §3: 151 in 2019-2020, 152 after the Northamptonshire split.
    assert per_year["2019"] == per_year["2020"] == 151
    assert per_year["2021"] == 152
    assert len([a for a in sen2_mi.areas if a.level == "Regional"]) == 9


def test_read_benchmarks_never_turns_a_symbol_into_a_number_when_reading_real_files(
    sen2_mi, requests_2025, reviews_2025
):
    for result in (sen2_mi, requests_2025, reviews_2025):
        assert_symbols_never_numbers(result.rows)
        assert {f.measure for f in result.rows} <= DESIGN_MEASURES | {"requests_refused"}


# --- requests.csv, 2025 release (real file) ---------------------------------------------------------------------


def test_read_benchmarks_reads_decision_6wk_from_requests_with_six_plus_over_six_weeks_as_denominator(
    requests_2025,
):
    row = published_row(
        REQUESTS_2025, geographic_level="National", time_period="2024", breakdown_topic=row_total("2025")
    )

    england = figure(requests_2025, "decision_6wk", areas.ENGLAND_CODE, "2024")

    assert england.value == Decimal("84.8")  # reference/data-formats.md §2d
    assert england.value == Decimal(row["request_outcome_six_weeks_pc"])
    assert england.numerator == int(row["request_outcome_six_weeks"])
    assert england.denominator == int(row["request_outcome_six_weeks"]) + int(row["request_outcome_over_6_weeks"])


def row_total(release: str) -> str:
    return {"2025": "All requests for EHC needs assessments", "2026": "All requests for an EHC needs assessment"}[
        release
    ]


def test_read_benchmarks_reads_requests_received_for_england_as_published(requests_2025):
    england = figure(requests_2025, "requests_received", areas.ENGLAND_CODE, "2024")

    assert england.value == Decimal(154489)  # reference/data-formats.md §2d
    assert (england.numerator, england.denominator, england.symbol) == (None, None, None)


@pytest.mark.parametrize(
    ("level", "code_field", "code"),
    [
        ("Regional", "region_code", "E12000002"),
        ("Local authority", "old_la_code", "805"),
        ("Local authority", "old_la_code", "352"),
        ("Local authority", "old_la_code", "936"),
        ("Local authority", "old_la_code", "420"),
    ],
)
@pytest.mark.parametrize("year", ["2019", "2023", "2024"])
def test_read_benchmarks_matches_the_requests_file_when_reading_regions_and_las(
    requests_2025, level, code_field, code, year
):
    row = published_row(
        REQUESTS_2025,
        geographic_level=level,
        time_period=year,
        breakdown_topic=row_total("2025"),
        **{code_field: code},
    )

    received = figure(requests_2025, "requests_received", code, year)
    assert received.value == decimal_or_none(row["requests_received_in_year"])
    six = figure(requests_2025, "decision_6wk", code, year)
    assert six.value == decimal_or_none(row["request_outcome_six_weeks_pc"])
    assert six.symbol == find_symbol(row["request_outcome_six_weeks_pc"])
    assert six.numerator == int_or_none(row["request_outcome_six_weeks"])
    if six.numerator is not None:
        assert six.denominator == six.numerator + int(row["request_outcome_over_6_weeks"])
    refused = figure(requests_2025, "requests_refused", code, year)
    assert refused.value == decimal_or_none(row["request_not_assess_pc"])
    assert refused.numerator == int_or_none(row["requests_decided_not_to_assess"])
    assert received.new_la_code == (row["new_la_code"] or None)
    assert received.breakdown_topic == received.breakdown == row_total("2025")


def test_read_benchmarks_keeps_x_for_every_measure_of_hackney_2023(requests_2025):
    row = published_row(REQUESTS_2025, old_la_code="204", time_period="2023", breakdown_topic=row_total("2025"))
    assert row["requests_received_in_year"] == "x"

    hackney = [f for f in requests_2025.rows if f.area_code == "204" and f.period == "2023"]

    assert {f.measure for f in hackney} == {"requests_received", "decision_6wk", "requests_refused"}
    assert all(f.value is None and f.symbol == "x" and f.numerator is None for f in hackney)


def test_read_benchmarks_keeps_x_before_the_six_week_series_began(requests_2025):
    early = [f for f in requests_2025.rows if f.measure == "decision_6wk" and f.period < "2023"]

    assert early
    assert all(f.symbol == "x" and f.value is None for f in early)


def test_read_benchmarks_keeps_cumbria_and_its_successors_as_separate_series(requests_2025):
    periods = {a.code: a.periods for a in requests_2025.areas}

    assert periods["909"] == ("2019", "2020", "2021", "2022")
    assert periods["942"] == periods["943"] == ("2023", "2024")
    assert not [f for f in requests_2025.rows if f.area_code in {"942", "943"} and f.period < "2023"]
    assert areas.successors("909") == ("942", "943")
    assert areas.predecessors("943") == ("909",)


def test_read_benchmarks_records_buckinghamshire_under_825_with_both_nine_character_codes(requests_2025):
    codes = {
        f.period: f.new_la_code for f in requests_2025.rows if f.area_code == "825" and f.measure == "requests_received"
    }

    # reference/data-formats.md §3: E10000002 in 2019, 2023 and 2024; E06000060 in 2020-2022.
    assert codes == {
        "2019": "E10000002",
        "2020": "E06000060",
        "2021": "E06000060",
        "2022": "E06000060",
        "2023": "E10000002",
        "2024": "E10000002",
    }


def test_read_benchmarks_keeps_north_yorkshire_on_the_county_code_dfe_prints(requests_2025, sen2_mi):
    for result in (requests_2025, sen2_mi):
        north_yorkshire = next(a for a in result.areas if a.code == "815")
        assert north_yorkshire.nine_char_codes == ("E10000023",)
    assert areas.find_old_la_code("E06000065") == "815"


def test_read_benchmarks_reads_only_the_all_rows_unless_asked_for_every_breakdown(requests_2025):
    totals = published_rows(REQUESTS_2025, breakdown_topic=row_total("2025"))

    assert len(requests_2025.rows) == 3 * len(totals)
    assert {f.breakdown_topic for f in requests_2025.rows} == {row_total("2025")}

    everything = read_benchmarks(REQUESTS_2025, release="2025", all_breakdowns=True)
    assert len(everything.rows) == 3 * len(published_rows(REQUESTS_2025))
    aged_10 = figure(everything, "requests_received", areas.ENGLAND_CODE, "2024", breakdown="Aged 10")
    row = published_row(REQUESTS_2025, geographic_level="National", time_period="2024", breakdown="Aged 10")
    assert aged_10.value == Decimal(row["requests_received_in_year"])
    assert aged_10.breakdown_topic == "Child or young persons age"


def test_read_benchmarks_notes_a_published_percentage_that_its_counts_do_not_give(requests_2025):
    row = published_row(
        REQUESTS_2025, geographic_level="National", time_period="2023", breakdown_topic=row_total("2025")
    )
    six, over = int(row["request_outcome_six_weeks"]), int(row["request_outcome_over_6_weeks"])
    recomputed = round_half_up(ratio_percentage(six, six + over), 1)
    assert recomputed is not None
    assert abs(recomputed - Decimal(row["request_outcome_six_weeks_pc"])) > Decimal("0.05")

    england = figure(requests_2025, "decision_6wk", areas.ENGLAND_CODE, "2023")

    assert requests_2025.ok
    assert england.value == Decimal(row["request_outcome_six_weeks_pc"])  # the published 84.8 is kept
    assert any(
        note.startswith("Row ") and "England 2023" in note and "decision_6wk" in note and str(recomputed) in note
        for note in requests_2025.notes
    )


def test_read_benchmarks_reads_the_same_figures_whatever_the_case_bom_and_line_endings(requests_2025):
    data = REQUESTS_2025.read_bytes()
    header, rest = data.split(b"\n", 1)
    assert header.startswith(b"\xef\xbb\xbf")
    variants = [
        header.upper().replace(b"\xef\xbb\xbf", b"") + b"\n" + rest,
        (header + b"\n" + rest).replace(b"\n", b"\r\n"),
    ]

    for variant in variants:
        result = read_benchmarks(variant, release="2025")
        assert result.ok
        assert result.rows == requests_2025.rows


# --- annual_reviews.csv, 2025 release (real file) ---------------------------------------------------------------


def test_read_benchmarks_reads_annual_reviews_despite_its_duplicated_column(reviews_2025):
    header = ANNUAL_REVIEWS_2025.read_text(encoding="utf-8-sig").split("\n", 1)[0].split(",")
    assert header.count("review_meeting_prior_24") == 2

    assert reviews_2025.ok
    assert reviews_2025.file_kind == "annual_reviews"
    assert any("review_meeting_prior_24" in note for note in reviews_2025.notes)


def test_read_benchmarks_reads_review_decision_4wk_with_within_plus_after_four_weeks_as_denominator(reviews_2025):
    # The guidance defines number_decsion_4weeks ("communicated within 4 weeks") and number_decision_gt_4weeks
    # ("after 4 weeks"); pc_decsion_4weeks is the first over their sum, which England's row confirms.
    row = published_row(ANNUAL_REVIEWS_2025, geographic_level="National", breakdown_topic="All annual reviews")
    within, after = int(row["number_decsion_4weeks"]), int(row["number_decision_gt_4weeks"])
    assert round_half_up(ratio_percentage(within, within + after), 1) == Decimal(row["pc_decsion_4weeks"])

    england = figure(reviews_2025, "review_decision_4wk", areas.ENGLAND_CODE, "2024")

    assert england.value == Decimal("44.4")
    assert (england.numerator, england.denominator) == (within, within + after)


@pytest.mark.parametrize("code", ["890", "936", "352", "931"])
def test_read_benchmarks_matches_annual_reviews_for_las_including_suppressed_ones(reviews_2025, code):
    row = published_row(ANNUAL_REVIEWS_2025, old_la_code=code, breakdown_topic="All annual reviews")

    found = figure(reviews_2025, "review_decision_4wk", code, "2024")

    assert found.value == decimal_or_none(row["pc_decsion_4weeks"])
    assert found.symbol == find_symbol(row["pc_decsion_4weeks"])
    assert found.numerator == int_or_none(row["number_decsion_4weeks"])


# --- synthetic files in the documented layouts of generations not in data/ --------------------------------------


def test_read_benchmarks_strips_leading_spaces_from_the_2023_release_rates():
    path = SYNTHETIC / "sen2_mi_2023_release.csv"
    row = published_row(path, geographic_level="National", time_period="2022")
    assert row["no_exc_20week_rate"].startswith(" ")

    result = read_benchmarks(path, release="2023")

    assert result.ok
    assert "snake_case" in result.generation
    england = figure(result, "ehcp_20wk_excl", areas.ENGLAND_CODE, "2022")
    assert england.value == Decimal(row["no_exc_20week_rate"].strip())
    assert (england.numerator, england.denominator) == (int(row["no_exc_20week_ehc"]), int(row["tot_no_exc_ehc"]))
    hartlepool = figure(result, "ehcp_20wk_excl", "805", "2022")
    assert hartlepool.value == Decimal("31.250")
    assert figure(result, "requests_refused", "805", "2022").value == Decimal(
        published_row(path, old_la_code="805", time_period="2022")["ass_refused_ehc_pc"].strip()
    )


def test_read_benchmarks_reads_x_and_z_in_the_2023_release():
    result = read_benchmarks(SYNTHETIC / "sen2_mi_2023_release.csv", release="2023")

    cumbria = [f for f in result.rows if f.area_code == "909" and f.period == "2022"]
    assert cumbria and all(f.symbol == "x" and f.value is None for f in cumbria)
    scilly = figure(result, "ehcp_20wk_excl", "420", "2022")
    assert (scilly.value, scilly.symbol, scilly.numerator, scilly.denominator) == (None, "z", 0, 0)
    assert figure(result, "ehcp_20wk_excl", "825", "2022").new_la_code == "E06000060"


def test_read_benchmarks_reads_the_mixed_case_2025_timeliness_file():
    path = SYNTHETIC / "timeliness_20_week_2025.csv"
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    row = published_row(path, old_la_code="805", time_period="2024")

    result = read_benchmarks(path, release="2025")

    assert result.ok and result.file_kind == "timeliness_20_week"
    excl = figure(result, "ehcp_20wk_excl", "805", "2024")
    assert excl.value == Decimal(row["PC_plans_issued_20_weeks_ex"])
    assert (excl.numerator, excl.denominator) == (int(row["plans_issued_20_weeks_ex"]), int(row["plans_issued_den_ex"]))
    over = figure(result, "ehcp_over_52wk_excl", "805", "2024")
    assert over.value == Decimal(row["PC_plans_issued_gt_1_year_ex"])
    assert over.numerator == int(row["plans_issued_gt_1_year_ex"])
    assert figure(result, "ehcp_20_52wk_excl", "805", "2024").numerator == int(row["plans_issued_gt20weeks_ltYear_ex"])
    # New plans come from newplans.csv, not from the 20-week denominator (which leaves out disputed cases).
    assert not [f for f in result.rows if f.measure == "new_plans"]
    assert {f.breakdown for f in result.rows} == {"All EHC plans issued"}


def test_read_benchmarks_keeps_x_when_every_plan_was_an_exception_and_zero_counts_as_zero():
    result = read_benchmarks(SYNTHETIC / "timeliness_20_week_2025.csv", release="2025")

    for code in ("838", "201"):  # Dorset and City of London, 2024 (data-formats.md §2c footnote)
        excl = figure(result, "ehcp_20wk_excl", code, "2024")
        assert (excl.value, excl.symbol, excl.numerator, excl.denominator) == (None, "x", 0, 0)
        assert figure(result, "ehcp_20wk_incl", code, "2024").value is not None


def test_read_benchmarks_keeps_x_for_the_over_52_week_series_before_2023():
    result = read_benchmarks(SYNTHETIC / "timeliness_20_week_2025.csv", release="2025")

    over = figure(result, "ehcp_over_52wk_excl", areas.ENGLAND_CODE, "2019")

    assert (over.value, over.symbol, over.numerator) == (None, "x", None)


def test_read_benchmarks_recomputes_with_half_up_rounding_so_31_25_is_not_noted():
    path = SYNTHETIC / "timeliness_20_week_2025.csv"
    row = published_row(path, old_la_code="805", time_period="2024")
    assert (row["plans_issued_20_weeks_ex"], row["plans_issued_den_ex"], row["PC_plans_issued_20_weeks_ex"]) == (
        "45",
        "144",
        "31.3",
    )
    assert round(45 / 144 * 100, 1) == 31.2  # half to even would disagree

    result = read_benchmarks(path, release="2025")

    assert not [n for n in result.notes if "Hartlepool" in n]
    assert [n for n in result.notes if "North Yorkshire 2024" in n and "ehcp_20wk_excl" in n]


def test_read_benchmarks_reads_the_lower_case_2026_timeliness_file_with_average_weeks():
    path = SYNTHETIC / "timeliness_20_week_2026.csv"
    row = published_row(path, old_la_code="392", breakdown="All EHC plans")

    result = read_benchmarks(path, release="2026")

    assert result.ok
    assert figure(result, "ehcp_20wk_excl", "392", "2025").value == Decimal(row["pc_plans_issued_20_weeks_ex"])
    average = figure(result, "avg_weeks_to_plan", "392", "2025")
    assert average.value == Decimal(row["avg_weeks_issue_plan"])
    assert (average.numerator, average.denominator) == (None, int(row["plans_issued_den"]))
    assert figure(result, "avg_weeks_to_plan", "856", "2025").symbol == "no data"
    assert all(f.symbol == "x" for f in result.rows if f.area_code == "876")
    assert figure(result, "ehcp_20wk_excl", "815", "2025").new_la_code == "E10000023"


def test_read_benchmarks_notes_an_average_of_zero_over_no_plans():
    result = read_benchmarks(SYNTHETIC / "timeliness_20_week_2026.csv", release="2026")

    norfolk = figure(result, "avg_weeks_to_plan_excl", "926", "2025")

    assert (norfolk.value, norfolk.denominator) == (Decimal(0), 0)
    assert [n for n in result.notes if "Norfolk 2025" in n and "avg_weeks_to_plan_excl" in n]


def test_read_benchmarks_reads_the_2026_requests_label():
    path = SYNTHETIC / "requests_2026.csv"
    row = published_row(path, old_la_code="825")

    result = read_benchmarks(path, release="2026")

    six = figure(result, "decision_6wk", "825", "2025")
    assert six.value == Decimal(row["request_outcome_six_weeks_pc"])
    assert six.denominator == int(row["request_outcome_six_weeks"]) + int(row["request_outcome_over_6_weeks"])
    assert {f.breakdown_topic for f in result.rows} == {row_total("2026")}


def test_read_benchmarks_reads_assessments_as_a_count():
    path = SYNTHETIC / "assessments_2026.csv"

    result = read_benchmarks(path, release="2026")

    assert result.file_kind == "assessments"
    hartlepool = figure(result, "assessments", "805", "2025")
    assert hartlepool.value == Decimal(
        published_row(path, old_la_code="805", breakdown_topic="All EHC needs assessments")["assess_in_year"]
    )
    assert figure(result, "assessments", areas.ENGLAND_CODE, "2019").symbol == "x"


def test_read_benchmarks_reads_caseload_as_academic_year_snapshots():
    path = SYNTHETIC / "caseload_2025.csv"
    row = published_row(path, geographic_level="National", time_period="202425")

    result = read_benchmarks(path, release="2025")

    england = figure(result, "ehc_plans", areas.ENGLAND_CODE, "2024/25")
    assert england.value == Decimal(row["ehcplans"])
    assert england.time_identifier == "Academic year"
    assert figure(result, "ehc_plans", "204", "2023/24").value == Decimal(
        published_row(path, old_la_code="204")["ehcplans"]
    )


def test_read_benchmarks_computes_the_2026_review_percentage_half_up_from_its_counts():
    path = SYNTHETIC / "annual_reviews_2026.csv"
    row = published_row(path, geographic_level="National")
    assert (row["decision_4_weeks"], row["decision_over_4_weeks"]) == ("45", "99")

    result = read_benchmarks(path, release="2026")

    england = figure(result, "review_decision_4wk", areas.ENGLAND_CODE, "2025")
    assert (england.value, england.numerator, england.denominator) == (Decimal("31.3"), 45, 144)
    none_due = figure(result, "review_decision_4wk", "805", "2025")
    assert (none_due.value, none_due.symbol, none_due.numerator, none_due.denominator) == (None, "x", 0, 0)
    blackpool = figure(result, "review_decision_4wk", "890", "2025")
    assert (blackpool.value, blackpool.symbol, blackpool.denominator) == (None, "x", None)


def test_read_benchmarks_carries_the_release_on_every_figure_and_notes_a_missing_one():
    path = SYNTHETIC / "requests_2026.csv"

    labelled = read_benchmarks(path, release="2026")
    unlabelled = read_benchmarks(path)

    assert {f.release for f in labelled.rows} == {"2026"}
    assert {f.release for f in unlabelled.rows} == {None}
    assert any("release" in note for note in unlabelled.notes)


# --- files and rows that cannot be imported -----------------------------------------------------------------------


def test_read_benchmarks_rejects_an_unknown_file_and_lists_the_recognised_files_and_their_columns():
    data = b"time_period,geographic_level,ehc_plans_at_census\n2024,National,100\n"

    with pytest.raises(FileRejected) as raised:
        read_benchmarks(data)

    message = str(raised.value)
    for layout in LAYOUTS:
        assert layout.title in message
        for column in layout.key_columns:
            assert column in message
    assert "old_la_code" in message and "breakdown_topic" in message


def test_read_benchmarks_rejects_a_recognised_file_without_its_area_columns():
    data = b"time_period,time_identifier,geographic_level,breakdown_topic,breakdown,requests_received_in_year\n"

    with pytest.raises(FileRejected, match="requests.csv.*country_code"):
        read_benchmarks(data)


def test_read_benchmarks_rejects_an_empty_file():
    with pytest.raises(FileRejected, match="empty"):
        read_benchmarks(b"  \n")


def tiny_requests(*rows: str) -> bytes:
    header = (
        "time_period,time_identifier,geographic_level,country_code,country_name,region_code,region_name,"
        "new_la_code,old_la_code,la_name,breakdown_topic,breakdown,requests_received_in_year"
    )
    return "\n".join([header, *rows]).encode()


def test_read_benchmarks_reports_every_bad_cell_and_imports_nothing():
    north_east_la = "2024,Calendar year,Local authority,E92000001,England,E12000001,North East"
    data = tiny_requests(
        f"{north_east_la},E06000001,805,Hartlepool,All,All,12a",
        "202425x,Calendar year,National,E92000001,England,,,,,,All,All,5",
        f"{north_east_la},E06000001,85,Hartlepool,All,All,7",
        f"{north_east_la},E06000002,806,Middlesbrough,All,All,3.5",
    )

    result = read_benchmarks(data, release="t")

    assert not result.ok
    assert result.rows == []
    found = {(e.row, e.column, e.value) for e in result.errors}
    assert found == {
        (2, "requests_received_in_year", "12a"),
        (3, "time_period", "202425x"),
        (4, "old_la_code", "85"),
        (5, "requests_received_in_year", "3.5"),
    }
    bad_count = next(e for e in result.errors if e.value == "12a")
    assert "whole number" in bad_count.message and "x, z" in bad_count.message


def test_read_benchmarks_skips_other_geographic_levels_with_a_note():
    data = tiny_requests(
        "2024,Calendar year,National,E92000001,England,,,,,,All,All,5",
        "2024,Calendar year,Local authority district,E92000001,England,,,,,,All,All,5",
    )

    result = read_benchmarks(data, release="t")

    assert result.ok
    assert [f.area_code for f in result.rows] == [areas.ENGLAND_CODE]
    assert any("Local authority district" in note for note in result.notes)


def test_read_benchmarks_accepts_symbols_in_any_case_and_spacing():
    data = tiny_requests(
        "2024,Calendar year,National,E92000001,England,,,,,,All,All, X ",
        "2023,Calendar year,National,E92000001,England,,,,,,All,All,No  Data",
    )

    result = read_benchmarks(data, release="t")

    assert [f.symbol for f in result.rows] == ["x", "no data"]
    assert describe_symbol("x").startswith("Unavailable")
    assert find_symbol("3") is None


def test_read_benchmarks_reads_an_xlsx_copy_of_a_csv_file_the_same_way(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    path = SYNTHETIC / "requests_2026.csv"
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.reader(handle):
            sheet.append([int(cell) if cell.isdigit() and len(cell) < 6 else cell for cell in row])
    saved = tmp_path / "requests.xlsx"
    workbook.save(saved)

    from_xlsx = read_benchmarks(saved, release="2026")

    assert from_xlsx.ok
    assert from_xlsx.rows == read_benchmarks(path, release="2026").rows


def test_read_benchmarks_names_a_row_with_more_values_than_the_header():
    text = SEN2_MI_2022.read_text(encoding="utf-8").replace(",34249,", ",34,249,", 1)
    with pytest.raises(FileRejected) as rejected:
        read_benchmarks(text.encode())
    assert rejected.value.messages == [
        "Row 2 has 61 values but the header has 60 columns: check for a comma inside a number or a name that is "
        "not in quotes"
    ]
