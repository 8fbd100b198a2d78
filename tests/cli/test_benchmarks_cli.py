"""`inspect-app import benchmarks|neighbours` and `inspect-app benchmarks --json`, on DfE's real files.

The JSON must reproduce the publication to the digit; expected values are read from the files with
csv.DictReader.
"""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from inspect_app.domain.benchmarks import json_number
from inspect_app.domain.symbols import find_symbol
from inspect_app.models import BenchmarkRelease, PublishedFigure
from tests.benchmark_data import (
    ANNUAL_REVIEWS_2025,
    NEIGHBOURS,
    REQUESTS_2025,
    SEN2_MI_2022,
    import_file,
    requests_row,
    rows_of,
    sen2_mi_row,
)

KEYS = ["measure", "area_code", "area_name", "geographic_level", "period", "value", "numerator", "denominator",
        "symbol", "release"]  # fmt: skip


def run(app, *args):  # type: ignore[no-untyped-def]
    return app.test_cli_runner().invoke(args=list(args))


def series(app, measure: str, area: str, *extra: str) -> list[dict]:  # type: ignore[no-untyped-def]
    result = run(app, "benchmarks", "--measure", measure, "--area", area, "--json", *extra)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def published_number(cell: str) -> int | float | None:
    return None if find_symbol(cell) else json_number(Decimal(cell.strip()))


def test_import_benchmarks_prints_what_it_imported_and_stores_it(app, session):
    result = run(app, "import", "benchmarks", str(SEN2_MI_2022), "--release", "2022")
    assert result.exit_code == 0, result.output
    assert "sen2_mi.csv: added as the 2022 release (sen2_mi): 6470 figures for 166 areas" in result.stdout
    assert "releases up to 2022 (CamelCase names, 2014 to 2021)" in result.stdout
    assert session.scalar(select(func.count()).select_from(PublishedFigure)) == 6470
    again = run(app, "import", "benchmarks", str(SEN2_MI_2022), "--release", "2022")
    assert "unchanged" in again.stdout


def test_benchmarks_json_reproduces_englands_2021_headline_to_the_digit(app, session):
    import_file(session, SEN2_MI_2022, "2022")
    assert series(app, "ehcp_20wk_excl", "E92000001", "--year", "2021") == [
        {
            "measure": "ehcp_20wk_excl",
            "area_code": "E92000001",
            "area_name": "England",
            "geographic_level": "National",
            "period": "2021",
            "value": 59.9,
            "numerator": 34249,
            "denominator": 57196,
            "symbol": None,
            "release": "2022",
        }
    ]


def test_benchmarks_json_lists_every_year_of_a_region_oldest_first_as_published(app, session):
    import_file(session, SEN2_MI_2022, "2022")
    found = series(app, "ehcp_20wk_excl", "E12000003")
    assert [list(item) for item in found] == [KEYS] * 8
    assert [item["period"] for item in found] == [str(y) for y in range(2014, 2022)]
    for item in found:
        row = sen2_mi_row(item["period"], "E12000003")
        assert item["value"] == published_number(row["NoExc20weekRate"])
        assert (item["numerator"], item["denominator"]) == (int(row["NoExc20weekEHC"]), int(row["TotNoExcEHC"]))
        assert (item["area_name"], item["geographic_level"]) == ("Yorkshire and The Humber", "Regional")


@pytest.mark.parametrize("code", ["805", "201", "420", "839", "926", "301"])
def test_benchmarks_json_matches_the_publication_for_local_authorities(app, session, code):
    import_file(session, REQUESTS_2025, "2025")
    found = series(app, "decision_6wk", code)
    published = rows_of(REQUESTS_2025, old_la_code=code, breakdown_topic="All requests for EHC needs assessments")
    assert [item["period"] for item in found] == [row["time_period"] for row in published]
    for item, row in zip(found, published, strict=True):
        assert item["value"] == published_number(row["request_outcome_six_weeks_pc"])
        assert item["symbol"] == find_symbol(row["request_outcome_six_weeks_pc"])
        if item["symbol"] is None:
            six, over = int(row["request_outcome_six_weeks"]), int(row["request_outcome_over_6_weeks"])
            assert (item["numerator"], item["denominator"]) == (six, six + over)
        assert (item["area_code"], item["area_name"]) == (code, row["la_name"])


def test_benchmarks_json_shows_a_suppressed_figure_as_its_symbol_with_no_value(app, session):
    import_file(session, REQUESTS_2025, "2025")
    [hackney] = series(app, "decision_6wk", "204", "--year", "2023")
    assert requests_row("2023", "204")["request_outcome_six_weeks_pc"] == "x"
    assert (hackney["value"], hackney["numerator"], hackney["denominator"], hackney["symbol"]) == (
        None,
        None,
        None,
        "x",
    )


def test_benchmarks_json_shows_an_annual_review_figure_withheld_for_blackpool_as_x(app, session):
    import_file(session, ANNUAL_REVIEWS_2025, None)
    [blackpool] = series(app, "review_decision_4wk", "890")
    assert (blackpool["period"], blackpool["value"], blackpool["symbol"], blackpool["release"]) == (
        "2024",
        None,
        "x",
        "2025",
    )


def test_benchmarks_json_finds_buckinghamshire_by_either_code_dfe_printed(app, session):
    import_file(session, SEN2_MI_2022, "2022")
    by_old, by_county, by_unitary = (series(app, "new_plans", code) for code in ("825", "E10000002", "E06000060"))
    assert by_old == by_county == by_unitary
    assert [item["value"] for item in by_old] == [
        published_number(sen2_mi_row(str(year), "825")["NewallEHC"]) for year in range(2014, 2022)
    ]


def test_benchmarks_json_finds_north_yorkshire_by_the_ons_code_dfe_never_prints(app, session):
    import_file(session, REQUESTS_2025, "2025")
    found = series(app, "requests_received", "E06000065", "--year", "2024")
    assert [(i["area_code"], i["area_name"], i["value"]) for i in found] == [
        ("815", "North Yorkshire", int(requests_row("2024", "815")["requests_received_in_year"]))
    ]


def test_benchmarks_json_keeps_the_reorganised_authorities_apart(app, session):
    import_file(session, REQUESTS_2025, "2025")
    assert [i["period"] for i in series(app, "requests_received", "909")] == ["2019", "2020", "2021", "2022"]
    assert [i["period"] for i in series(app, "requests_received", "943")] == ["2023", "2024"]


def test_benchmarks_prints_a_readable_table_without_json(app, session):
    import_file(session, SEN2_MI_2022, "2022")
    result = run(app, "benchmarks", "--measure", "ehcp_20wk_excl", "--area", "805", "--year", "2021")
    assert result.exit_code == 0, result.output
    assert "Hartlepool (805, Local authority)" in result.stdout
    assert "2021  46.6 (54 of 116)  [release 2022]" in result.stdout


def test_benchmarks_prints_an_empty_list_for_a_known_measure_without_figures(app, session):
    assert series(app, "ehcp_20wk_excl", "805") == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--measure", "no_such_measure", "--area", "805"), "DfE publishes no measure called 'no_such_measure'"),
        (("--measure", "ehcp_20wk_excl", "--area", "999"), "No area has the code '999'"),
        (("--measure", "ehcp_20wk_excl", "--area", "E12000099"), "No area has the code 'E12000099'"),
    ],
)
def test_benchmarks_exits_non_zero_with_a_message_on_stderr_for_an_unknown_measure_or_area(app, session, args, message):
    result = run(app, "benchmarks", *args, "--json")
    assert result.exit_code == 1
    assert message in result.stderr
    assert result.stdout == ""


def test_import_benchmarks_refuses_an_unknown_file_saying_which_columns_it_expected(app, session, tmp_path):
    path = tmp_path / "ehcp.csv"
    path.write_text("time_period,old_la_code,plans\n2024,805,10\n")
    result = run(app, "import", "benchmarks", str(path))
    assert result.exit_code == 1
    assert "Error: ehcp.csv: This is not a DfE 'Education, health and care plans' file" in result.stderr
    assert "requests.csv, 2025 release on: requests_received_in_year" in result.stderr
    assert session.scalar(select(func.count()).select_from(BenchmarkRelease)) == 0


def test_import_benchmarks_names_the_file_row_and_column_of_every_bad_cell_and_imports_nothing(app, session, tmp_path):
    text = REQUESTS_2025.read_bytes().decode("utf-8-sig").replace(",154489,", ",lots,", 1)
    path = tmp_path / "requests.csv"
    path.write_text(text, encoding="utf-8-sig")
    row = next(n for n, line in enumerate(text.splitlines(), start=1) if ",lots," in line)
    result = run(app, "import", "benchmarks", str(path), "--release", "2025")
    assert result.exit_code == 1
    assert f"Error: requests.csv: Row {row}, column requests_received_in_year (value 'lots'): enter a whole number" in (
        result.stderr
    )
    assert session.scalar(select(func.count()).select_from(PublishedFigure)) == 0


def test_import_neighbours_reports_what_it_stored_and_what_it_skipped(app, session):
    result = run(app, "import", "neighbours", str(NEIGHBOURS), "--model", "LAIT 2025")
    assert result.exit_code == 0, result.output
    assert "Statistical neighbours (LAIT 2025): added: 1530 neighbours for 153 local authorities" in result.stdout
    assert "No neighbours are listed for Cumbria (909)" in result.stdout


def test_import_neighbours_refuses_a_file_of_another_kind(app, session):
    result = run(app, "import", "neighbours", str(SEN2_MI_2022))
    assert result.exit_code == 1
    assert "Error: sen2_mi.csv: This is not a statistical neighbour file" in result.stderr
