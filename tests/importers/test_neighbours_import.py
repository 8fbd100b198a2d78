"""Importing statistical neighbours: ordered DfE 3-digit codes for each LA, ONS codes resolved through the crosswalk."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from inspect_app.importers.common import FileRejected
from inspect_app.importers.neighbours import NeighbourImportResult, read_neighbours

DFE = Path(__file__).resolve().parents[1] / "fixtures" / "files" / "dfe"
PROVIDER_LOOKUP = DFE / "statistical-neighbours" / "Provider_data_lookup.csv"
REQUESTS_2025 = DFE / "ehcp-2025" / "requests.csv"
LONG_FORM = DFE / "synthetic" / "sn_model_long.csv"

# reference/data-formats.md §4, LAIT 2025.
HARTLEPOOL_NEIGHBOURS = [
    "Redcar and Cleveland",
    "Sunderland",
    "South Tyneside",
    "Blackpool",
    "Middlesbrough",
    "Gateshead",
    "County Durham",
    "Halton",
    "Rotherham",
    "Knowsley",
]


def lookup_rows() -> list[dict[str, str]]:
    with PROVIDER_LOOKUP.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def wide() -> NeighbourImportResult:
    return read_neighbours(PROVIDER_LOOKUP)


def test_read_neighbours_gives_hartlepool_its_ten_published_neighbours_in_order(wide):
    row = next(r for r in lookup_rows() if r["la_code"] == "805")

    hartlepool = wide.find("805")

    assert hartlepool is not None
    assert hartlepool.la_name == "Hartlepool"
    assert [n.name for n in hartlepool.neighbours] == HARTLEPOOL_NEIGHBOURS
    assert list(hartlepool.codes) == [code.strip() for code in row["stat_neighbours"].split(",")]
    assert [n.rank for n in hartlepool.neighbours] == list(range(1, 11))


def test_read_neighbours_resolves_shropshires_first_neighbour_e06000065_to_north_yorkshire_815(wide):
    row = next(r for r in lookup_rows() if r["la_code"] == "893")
    assert row["stat_neighbours_la_code"].startswith("E06000065")

    first = wide.find("893").neighbours[0]

    assert (first.la_code, first.name, first.source_code) == ("815", "North Yorkshire", "E06000065")


def test_read_neighbours_resolves_somerset_e06000066_to_933(wide):
    dorset = wide.find("838")

    assert dorset.neighbours[0].source_code == "E06000066"
    assert dorset.neighbours[0].la_code == "933"


def test_read_neighbours_reads_every_current_la_and_skips_the_abolished_ones_with_a_note(wide):
    rows = lookup_rows()
    listed = [r for r in rows if r["stat_neighbours"].strip()]

    assert wide.ok
    assert wide.layout == "wide"
    assert len(wide.rows) == len(listed) == 153
    assert all(len(found.codes) == 10 for found in wide.rows)
    skipped = next(note for note in wide.notes if note.startswith("No neighbours"))
    assert "Cumbria (909)" in skipped and "Northamptonshire (928)" in skipped


def test_read_neighbours_gives_codes_that_join_to_dfe_ehcp_figures(wide):
    with REQUESTS_2025.open(encoding="utf-8-sig", newline="") as handle:
        dfe_2024 = {r["old_la_code"] for r in csv.DictReader(handle) if r["time_period"] == "2024" and r["old_la_code"]}

    neighbour_codes = {code for found in wide.rows for code in found.codes}

    assert neighbour_codes <= dfe_2024
    assert {found.la_code for found in wide.rows} <= dfe_2024


def test_read_neighbours_finds_an_la_by_its_ons_code(wide):
    assert wide.find("E06000065").la_code == "815"
    assert wide.find("999") is None


def test_read_neighbours_reads_the_long_layout_and_strips_the_trailing_space_of_close():
    result = read_neighbours(LONG_FORM)

    assert result.ok and result.layout == "long"
    hartlepool = result.find("805")
    assert [n.name for n in hartlepool.neighbours] == HARTLEPOOL_NEIGHBOURS
    assert hartlepool.codes == read_neighbours(PROVIDER_LOOKUP).find("805").codes
    assert {n.proximity for n in hartlepool.neighbours} == {"Very close", "Close"}
    assert result.find("893").neighbours[0].la_code == "815"


def test_read_neighbours_keys_the_long_layout_on_dfe_codes_and_orders_by_rank():
    result = read_neighbours(LONG_FORM)

    north_yorkshire = result.find("815")

    assert north_yorkshire.la_code == "815"
    assert [n.rank for n in north_yorkshire.neighbours] == [1, 2, 3]
    assert north_yorkshire.codes == ("893", "895", "811")
    assert any("North Yorkshire (815) has 3 neighbours" in note for note in result.notes)


def test_read_neighbours_reports_lists_that_name_different_authorities():
    data = (
        b'la_code,stat_neighbours,stat_neighbours_la_code\n805,"807, 394","E06000003, E06000065"\n'
        b'806,"805, 807","E06000001, E06000003"\n'
    )

    result = read_neighbours(data)

    assert not result.ok and result.rows == []
    [error] = result.errors
    assert (error.row, error.column) == (2, "stat_neighbours_la_code")
    assert "807, 815" in error.message


def test_read_neighbours_reports_unknown_codes_and_duplicate_ranks():
    data = (
        b"la_code,la_name,SN,SN_code,SN_name,SN_prox\n"
        b"E06000001,Hartlepool,1,E99999999,Nowhere,Close \n"
        b"E06000001,Hartlepool,2,E06000003,Redcar and Cleveland,Close \n"
        b"E06000001,Hartlepool,2,E08000024,Sunderland,Close \n"
        b"E06000001,Hartlepool,first,E08000023,South Tyneside,Close \n"
    )

    result = read_neighbours(data)

    assert {(e.row, e.column) for e in result.errors} == {(2, "SN_code"), (3, "SN"), (4, "SN"), (5, "SN")}


def test_read_neighbours_rejects_a_file_with_neither_layout():
    with pytest.raises(FileRejected, match="stat_neighbours.*SN_code"):
        read_neighbours(b"la_code,neighbour\n805,807\n")
