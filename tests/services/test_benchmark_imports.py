"""Storing DfE's published statistics: as published, all or nothing, revisions kept apart, codes crosswalked."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import func, select

from inspect_app.domain.errors import ValidationFailed
from inspect_app.importers.common import FileRejected
from inspect_app.models import (
    AreaCode,
    AuditEvent,
    BenchmarkArea,
    BenchmarkRelease,
    PublishedFigure,
    StatisticalNeighbour,
)
from inspect_app.services import benchmark_imports, benchmarks
from tests.benchmark_data import (
    ANNUAL_REVIEWS_2025,
    HARTLEPOOL_NEIGHBOURS,
    NEIGHBOURS,
    REQUESTS_2025,
    REQUESTS_TOTAL,
    SEN2_MI_2022,
    SYNTHETIC,
    import_file,
    import_neighbours,
    requests_row,
)


def count(session, model) -> int:  # type: ignore[no-untyped-def]
    return session.scalar(select(func.count()).select_from(model))


def test_import_stores_every_figure_with_its_release_and_records_the_import(session):
    outcome = import_file(session, REQUESTS_2025, "2025")
    assert outcome.status == benchmark_imports.ADDED
    release = session.scalars(select(BenchmarkRelease)).one()
    assert (release.label, release.file_kind, release.file_name) == ("2025", "requests", "requests.csv")
    assert release.figure_count == count(session, PublishedFigure) == 2916
    assert release.summary["measures"] == ["decision_6wk", "requests_received", "requests_refused"]
    assert release.summary["periods"] == ["2019", "2020", "2021", "2022", "2023", "2024"]
    assert release.summary["areas"] == {"National": 1, "Regional": 9, "Local authority": 155}
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "benchmarks.added")).one()
    assert event.partnership_id is None
    assert event.details["release"] == "2025"
    assert event.details["sha256"] == release.file_sha256


def test_import_keeps_the_value_as_the_published_decimal_text(session):
    import_file(session, SEN2_MI_2022, "2022")
    stored = session.scalars(
        select(PublishedFigure).where(
            PublishedFigure.measure == "ehcp_20wk_excl",
            PublishedFigure.area_code == "E92000001",
            PublishedFigure.period == "2021",
        )
    ).one()
    assert (stored.value_text, stored.numerator, stored.denominator, stored.symbol) == (
        "59.900000000000",
        34249,
        57196,
        None,
    )
    assert stored.value == Decimal("59.9")


def test_import_without_a_release_names_it_after_the_year_after_the_latest_period(session):
    outcome = import_file(session, ANNUAL_REVIEWS_2025, None)
    assert outcome.release.label == "2025"
    assert "stored as the 2025 release" in outcome.notes[0]


def test_importing_the_same_file_for_the_same_release_again_changes_nothing(session):
    import_file(session, REQUESTS_2025, "2025")
    again = import_file(session, REQUESTS_2025, "2025")
    assert again.status == benchmark_imports.UNCHANGED
    assert count(session, PublishedFigure) == 2916
    assert count(session, BenchmarkRelease) == 1
    assert session.scalar(select(func.count()).where(AuditEvent.action.like("benchmarks.%"))) == 1


def _revised_requests(england_2024: str) -> bytes:
    """The real requests.csv with England's 2024 requests changed, as a later release might revise it."""
    original = requests_row("2024", "E92000001")["requests_received_in_year"]
    text = REQUESTS_2025.read_bytes().decode("utf-8-sig")
    line = next(
        line for line in text.splitlines() if line.startswith("2024,Calendar year,National,") and REQUESTS_TOTAL in line
    )
    return text.replace(line, line.replace(f",{original},", f",{england_2024},", 1)).encode("utf-8-sig")


def test_a_later_release_revises_a_figure_without_duplicating_it(session):
    import_file(session, REQUESTS_2025, "2025")
    import_file(session, REQUESTS_2025, "2026", data=_revised_requests("154500"))
    england = benchmarks.resolve_area(session, "E92000001")
    series = benchmarks.published_series(session, "requests_received", england)
    assert [v.period for v in series] == ["2019", "2020", "2021", "2022", "2023", "2024"]
    assert (series[-1].figure.value, series[-1].release) == (Decimal(154500), "2026")
    assert count(session, BenchmarkRelease) == 2  # both kept: the earlier release is still on record


def test_an_earlier_release_imported_later_does_not_override_the_newer_one(session):
    import_file(session, REQUESTS_2025, "2026", data=_revised_requests("154500"))
    import_file(session, REQUESTS_2025, "2025")
    england = benchmarks.resolve_area(session, "E92000001")
    latest = benchmarks.published_series(session, "requests_received", england, "2024")
    assert [(v.figure.value, v.release) for v in latest] == [(Decimal(154500), "2026")]


def test_a_corrected_file_for_the_same_release_replaces_that_releases_figures(session):
    import_file(session, REQUESTS_2025, "2025")
    corrected = import_file(session, REQUESTS_2025, "2025", data=_revised_requests("154499"))
    assert corrected.status == benchmark_imports.REPLACED
    assert count(session, PublishedFigure) == 2916
    england = benchmarks.resolve_area(session, "E92000001")
    assert benchmarks.published_series(session, "requests_received", england, "2024")[0].figure.value == 154499
    assert session.scalar(select(func.count()).where(AuditEvent.action == "benchmarks.replaced")) == 1


def test_a_file_with_a_bad_cell_is_refused_whole_and_stores_nothing(session):
    text = REQUESTS_2025.read_bytes().decode("utf-8-sig")
    broken = text.replace(",154489,", ",15448g,", 1).encode("utf-8-sig")
    with pytest.raises(benchmark_imports.RowsRejected) as refused:
        import_file(session, REQUESTS_2025, "2025", data=broken)
    session.rollback()
    [error] = refused.value.errors
    assert (error.column, error.value) == ("requests_received_in_year", "15448g")
    assert refused.value.messages[0].startswith(f"requests.csv: Row {error.row}, column requests_received_in_year")
    for model in (BenchmarkRelease, PublishedFigure, BenchmarkArea, AreaCode, AuditEvent):
        assert count(session, model) == 0


def test_an_unknown_file_is_refused_with_the_columns_each_recognised_file_has(session):
    with pytest.raises(FileRejected) as refused:
        import_file(session, NEIGHBOURS, "2025", data=b"la_code,measure,value\n805,x,1\n")
    messages = refused.value.messages
    assert messages[0].startswith("Provider_data_lookup.csv: This is not a DfE")
    assert any("requests_received_in_year" in m for m in messages)
    assert any("TotNoExcEHC, NoExc20weekEHC, NoExc20weekRate" in m for m in messages)


def test_a_release_label_longer_than_the_column_is_refused(session):
    with pytest.raises(ValidationFailed, match="60 characters or fewer"):
        import_file(session, REQUESTS_2025, "x" * 61)


def test_areas_are_keyed_on_the_3_digit_code_with_every_9_character_code_seen(session):
    import_file(session, SEN2_MI_2022, "2022")
    import_file(session, REQUESTS_2025, "2025")
    codes = dict(session.execute(select(AreaCode.code, AreaCode.area_code)).all())
    # Buckinghamshire: E06000060 in DfE's 2020-2022 rows, E10000002 otherwise; one area, 825.
    assert codes["E06000060"] == codes["E10000002"] == "825"
    # North Yorkshire and Somerset: DfE prints the county codes; the ONS unitary codes are crosswalked too.
    assert codes["E10000023"] == codes["E06000065"] == "815"
    assert codes["E10000027"] == codes["E06000066"] == "933"
    sources = dict(session.execute(select(AreaCode.code, AreaCode.source)).all())
    assert (sources["E10000023"], sources["E06000065"]) == ("file", "reference")
    assert session.get(BenchmarkArea, "825").name == "Buckinghamshire"


def test_predecessor_and_successor_authorities_are_separate_series(session):
    import_file(session, REQUESTS_2025, "2025")
    cumbria = benchmarks.published_series(session, "requests_received", benchmarks.resolve_area(session, "909"))
    cumberland = benchmarks.published_series(session, "requests_received", benchmarks.resolve_area(session, "942"))
    assert [v.period for v in cumbria] == ["2019", "2020", "2021", "2022"]
    assert [v.period for v in cumberland] == ["2023", "2024"]
    assert cumberland[0].figure.value == int(requests_row("2023", "942")["requests_received_in_year"])


def test_an_area_takes_the_name_of_its_latest_period_whatever_the_import_order(session):
    import_file(session, REQUESTS_2025, "2025")
    import_file(session, SEN2_MI_2022, "2022")
    area = session.get(BenchmarkArea, "801")
    assert (area.name, area.latest_period) == ("Bristol, City of", "2024")


def test_neighbours_are_stored_in_order_with_ons_codes_resolved_to_dfe_codes(session):
    outcome = import_neighbours(session)
    assert (outcome.status, outcome.authorities, outcome.neighbours) == (benchmark_imports.ADDED, 153, 1530)
    assert [n.code for n in benchmarks.neighbours_of(session, "805")] == HARTLEPOOL_NEIGHBOURS
    shropshire = benchmarks.neighbours_of(session, "893")
    assert (shropshire[0].code, shropshire[0].name) == ("815", "North Yorkshire")
    stored = session.scalars(
        select(StatisticalNeighbour).where(StatisticalNeighbour.la_code == "893", StatisticalNeighbour.rank == 1)
    ).one()
    assert stored.source_code == "E06000065"
    assert session.scalar(select(func.count()).where(AuditEvent.action == "neighbours.added")) == 1


def test_importing_the_same_neighbours_again_changes_nothing_and_another_file_replaces_them(session):
    import_neighbours(session)
    assert import_neighbours(session).status == benchmark_imports.UNCHANGED
    replaced = import_neighbours(session, SYNTHETIC / "sn_model_long.csv")
    assert replaced.status == benchmark_imports.REPLACED
    assert count(session, StatisticalNeighbour) == replaced.neighbours
    assert [n.code for n in benchmarks.neighbours_of(session, "805")] == HARTLEPOOL_NEIGHBOURS
    assert benchmarks.neighbours_of(session, "301") == []  # the long file lists only three authorities


def test_a_neighbours_file_with_a_bad_code_is_refused_and_the_old_neighbours_stay(session):
    import_neighbours(session)
    bad = b"la_code,la_name,SN,SN_code,SN_name,SN_prox\n805,Hartlepool,1,E99999999,Nowhere,Close\n"
    with pytest.raises(benchmark_imports.RowsRejected) as refused:
        import_neighbours(session, SYNTHETIC / "bad.csv", data=bad)
    session.rollback()
    assert "bad.csv: Row 2, column SN_code (value 'E99999999')" in refused.value.messages[0]
    assert count(session, StatisticalNeighbour) == 1530
