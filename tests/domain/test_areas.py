"""Areas: regions, England and the LA code crosswalk (3-digit DfE code <-> every 9-character code)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from inspect_app.domain import areas

DFE = Path(__file__).resolve().parents[1] / "fixtures" / "files" / "dfe"
REAL_FILES = [
    DFE / "ehcp-2022" / "sen2_mi.csv",
    DFE / "ehcp-2025" / "requests.csv",
    DFE / "ehcp-2025" / "annual_reviews.csv",
]


def la_rows() -> list[dict[str, str]]:
    rows = []
    for path in REAL_FILES:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            rows.extend(r for r in csv.DictReader(handle) if r["geographic_level"] == "Local authority")
    return rows


def test_find_old_la_code_resolves_the_ons_codes_of_north_yorkshire_and_somerset():
    assert areas.find_old_la_code("E06000065") == "815"
    assert areas.find_old_la_code("E06000066") == "933"
    assert areas.dfe_nine_char_code("E06000065") == "E10000023"
    assert areas.dfe_nine_char_code("E06000066") == "E10000027"
    assert areas.dfe_nine_char_code("815") == "E10000023"


def test_find_old_la_code_accepts_3_digit_codes_and_either_buckinghamshire_code():
    assert areas.find_old_la_code(" 805 ") == "805"
    assert areas.find_old_la_code("E10000002") == areas.find_old_la_code("e06000060") == "825"
    assert areas.nine_char_codes("825") == {"E10000002", "E06000060"}
    assert areas.find_old_la_code("E99999999") is None
    assert areas.find_old_la_code(areas.ENGLAND_CODE) is None


def test_the_table_agrees_with_every_la_row_dfe_published():
    for row in la_rows():
        code = row["old_la_code"]
        authority = areas.find_local_authority(code)
        assert authority is not None, code
        assert row["new_la_code"] in authority.nine_char_codes, row
        assert areas.find_old_la_code(row["new_la_code"]) == code
        assert authority.region_code == row["region_code"]


def test_every_la_has_one_series_per_3_digit_code_and_no_9_character_code_names_two_las():
    crosswalk = areas.Crosswalk.from_table()

    assert crosswalk.conflicts == []
    assert len(areas.LOCAL_AUTHORITIES) == len({a.code for a in areas.LOCAL_AUTHORITIES}) == 158


def test_regions_use_dfe_names_and_accept_ofsteds_spelling():
    assert len(areas.REGIONS) == 9
    assert areas.REGIONS["E12000003"] == "Yorkshire and The Humber"
    assert areas.find_region_code("Yorkshire and the Humber") == "E12000003"
    assert areas.find_region_code("london") == "E12000007"
    assert areas.find_region_code("North East, Yorkshire and the Humber") is None


@pytest.mark.parametrize(
    ("code", "level"),
    [
        ("E92000001", "National"),
        ("E12000009", "Regional"),
        ("805", "Local authority"),
        ("E06000065", "Local authority"),
    ],
)
def test_level_of_code_tells_england_regions_and_las_apart(code, level):
    assert areas.level_of_code(code) == level


def test_reorganisations_link_predecessors_and_successors_without_merging_them():
    assert areas.successors("909") == ("942", "943")
    assert areas.predecessors("942") == areas.predecessors("943") == ("909",)
    assert areas.successors("928") == ("940", "941")
    assert areas.predecessors("839") == ("836", "837")
    assert areas.successors("835") == ("838",)
    assert areas.successors("815") == areas.predecessors("815") == ()
    assert not areas.is_current("909") and not areas.is_current("835")
    assert areas.is_current("815") and areas.is_current("825") and areas.is_current("942")
    assert areas.nine_char_codes("909") == {"E10000006"}
    assert areas.nine_char_codes("942") == {"E06000063"}


def test_crosswalk_adds_codes_seen_in_a_file_and_reports_a_contradiction():
    crosswalk = areas.Crosswalk.from_table()
    seen = [
        areas.Area("805", "Hartlepool", areas.LOCAL_AUTHORITY, "E12000001", ("E06000001", "E06099999")),
        areas.Area("806", "Middlesbrough", areas.LOCAL_AUTHORITY, "E12000001", ("E06000001",)),
        areas.Area("E12000001", "North East", areas.REGIONAL, "E12000001"),
    ]

    conflicts = crosswalk.add_areas(seen)

    assert crosswalk.old_la_code("E06099999") == "805"
    assert crosswalk.nine_char_codes("805") == {"E06000001", "E06099999"}
    assert len(conflicts) == 1 and "E06000001" in conflicts[0] and "806" in conflicts[0]
    assert crosswalk.old_la_code("E06000001") == "805"
    assert areas.find_old_la_code("E06099999") is None  # the shared table is untouched
