"""`inspect-app import sen2 PATH --partnership S [--dry-run]` (DESIGN.md "Contracts") and `measures --json`."""

from __future__ import annotations

import json
from datetime import datetime

import pytest
from sqlalchemy import func, select

from inspect_app.domain.measures import MEASURE_IDS
from inspect_app.domain.sen2_returns import Header, Request, write_blade_zip, write_xml
from inspect_app.models import CaseRecord, DataImport
from inspect_app.services import timeliness
from tests.sen2_data import every_state, person

WHEN = datetime(2026, 12, 1, 9, 0)


@pytest.fixture(autouse=True)
def _frozen_clock(app):  # type: ignore[no-untyped-def]
    app.config["FIXED_NOW"] = WHEN.isoformat()
    timeliness.clear_cache()
    yield
    timeliness.clear_cache()


def run(app, *args):  # type: ignore[no-untyped-def]
    return app.test_cli_runner().invoke(args=list(args))


def _count(session, model) -> int:  # type: ignore[no-untyped-def]
    session.expire_all()
    return session.scalar(select(func.count()).select_from(model)) or 0


def test_import_sen2_stores_the_return_and_prints_the_summary(app, session, two_partnerships, tmp_path):
    header, people, labels = every_state(2026)
    path = tmp_path / "sen2-2026.xml"
    path.write_bytes(write_xml(header, people))
    result = run(app, "import", "sen2", str(path), "--partnership", "alpha")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == (
        f"Imported sen2-2026.xml into alpha: {len(labels)} cases added, 0 changed, 0 unchanged; "
        "2 reviews added, 0 changed, 0 unchanged."
    )
    assert "Columns dropped as personal data (never stored): Surname, Forename, PersonBirthDate" in result.stdout
    assert _count(session, CaseRecord) == len(labels)
    record = session.scalars(select(DataImport)).one()
    assert (record.kind, record.status, record.filename) == ("sen2", "succeeded", "sen2-2026.xml")
    again = run(app, "import", "sen2", str(path), "--partnership", "alpha")
    assert f"0 cases added, 0 changed, {len(labels)} unchanged" in again.stdout


def test_import_sen2_reads_a_zip_of_blade_files_and_a_dry_run_stores_nothing(app, session, two_partnerships, tmp_path):
    header, people, labels = every_state(2025)
    path = tmp_path / "blade.zip"
    path.write_bytes(write_blade_zip(header, people))
    result = run(app, "import", "sen2", str(path), "--partnership", "alpha", "--dry-run")
    assert result.exit_code == 0, result.output
    assert "Dry run: nothing was stored." in result.stdout and f"{len(labels)} cases added" in result.stdout
    assert _count(session, CaseRecord) == 0


def test_import_sen2_prints_every_problem_by_person_and_element_and_exits_1(app, session, two_partnerships, tmp_path):
    path = tmp_path / "bad.xml"
    path.write_bytes(
        write_xml(Header(2026, "805", WHEN.date()), [person(1, Request(None, "Y")), person(2, Request(None, "Q"))])
    )
    result = run(app, "import", "sen2", str(path), "--partnership", "alpha")
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert (
        f"{path}: Person 1, Requests 1 › ReceivedDate: "
        "Enter the date the request was received (only H may leave it out)" in lines
    )
    assert (
        f"{path}: Person 2, Requests 1 › RequestOutcome (value 'Q'): Enter one of the 2026 codes: Y, N, W, A or H"
        in lines
    )
    assert "Error: nothing was imported: 2 people or rows have problems (2 in all)." in result.stderr
    assert _count(session, CaseRecord) == 0


def test_import_sen2_refuses_another_councils_return_naming_the_file(app, session, two_partnerships, tmp_path):
    header, people, _labels = every_state(2026)
    header.lea = "999"
    path = tmp_path / "other.xml"
    path.write_bytes(write_xml(header, people))
    result = run(app, "import", "sen2", str(path), "--partnership", "alpha")
    assert result.exit_code == 1
    assert f"Error: {path}: The return is for local authority 999" in result.stderr


def test_measures_json_gives_every_design_measure_with_numerator_and_denominator(
    app, session, two_partnerships, tmp_path
):
    header, people, _labels = every_state(2026)
    path = tmp_path / "sen2-2026.xml"
    path.write_bytes(write_xml(header, people))
    assert run(app, "import", "sen2", str(path), "--partnership", "alpha").exit_code == 0
    result = run(app, "measures", "--partnership", "alpha", "--year", "2025", "--json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["partnership"] == "alpha"
    assert [m["id"] for m in document["measures"]] == list(MEASURE_IDS)
    for measure in document["measures"]:
        assert set(measure) == {"id", "period", "value", "numerator", "denominator"}
        assert measure["period"] == "2025"
    figures = {m["id"]: (m["numerator"], m["denominator"]) for m in document["measures"]}
    assert figures["decision_16wk_no_plan"] == (1, 2)
    assert figures["reassessment_14wk"] == (1, 1)
    assert figures["review_completed_in_year"] == (2, 3)
    assert figures["ehcp_20wk_excl"] == (1, 4)
