"""`inspect-app import cases|reviews` and `inspect-app measures`: the contract in DESIGN.md."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from inspect_app.domain.measures import MEASURE_IDS
from inspect_app.models import AuditEvent, CaseRecord, DataImport, ReviewRecord
from inspect_app.services import timeliness
from tests.case_data import CASES, EXPECTED, REVIEWS, WHEN
from tests.factories import CASE_FILES


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


@pytest.fixture
def files(tmp_path):  # type: ignore[no-untyped-def]
    (tmp_path / "cases.csv").write_bytes(CASES)
    (tmp_path / "reviews.csv").write_bytes(REVIEWS)
    return tmp_path


def test_import_cases_stores_every_row_and_prints_the_summary(app, session, two_partnerships, files):
    result = run(app, "import", "cases", str(files / "cases.csv"), "--partnership", "alpha")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == "Imported cases.csv into alpha: 9 cases added, 0 changed, 0 unchanged."
    assert "Saving cases.csv" in result.stderr  # the progress bar
    assert _count(session, CaseRecord) == 9
    record = session.scalars(select(DataImport)).one()
    assert (record.status, record.kind, record.filename, record.added) == ("succeeded", "cases", "cases.csv", 9)
    actions = session.scalars(select(AuditEvent.action).where(AuditEvent.object_type == "data_import")).all()
    assert actions == ["case_import.queued", "case_import.succeeded"]
    again = run(app, "import", "cases", str(files / "cases.csv"), "--partnership", "alpha")
    assert "0 cases added, 0 changed, 9 unchanged." in again.stdout
    assert f"Note: The same file was imported before, on 30 June 2025 (import {record.id})." in again.stdout


def test_import_cases_dry_run_says_what_would_change_and_changes_nothing(app, session, two_partnerships, files):
    result = run(app, "import", "cases", str(files / "cases.csv"), "--partnership", "alpha", "--dry-run")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == (
        "cases.csv into alpha: Dry run: nothing was stored. Importing would give 9 cases added, 0 changed, 0 unchanged."
    )
    assert _count(session, CaseRecord) == 0
    assert _count(session, DataImport) == 0
    assert _count(session, AuditEvent) == session.scalar(
        select(func.count()).select_from(AuditEvent).where(AuditEvent.object_type != "data_import")
    )


def test_import_cases_dry_run_of_a_bad_file_fails_the_same_way(app, session, two_partnerships):
    path = CASE_FILES / "cases_errors.csv"
    result = run(app, "import", "cases", str(path), "--partnership", "alpha", "--dry-run")
    assert result.exit_code == 1
    assert f"{path}: Row 3, column case_ref: Enter the case reference" in result.stderr
    assert _count(session, DataImport) == 0


def test_import_cases_errors_go_to_stderr_with_rows_and_columns_and_nothing_is_stored(app, session, two_partnerships):
    path = CASE_FILES / "cases_errors.csv"
    result = run(app, "import", "cases", str(path), "--partnership", "alpha")
    assert result.exit_code == 1
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert f"{path}: Row 3, column case_ref: Enter the case reference" in lines
    assert (
        f"{path}: Row 5, column request_date (value '2024-13-01'): Enter a real date, for example 31/12/2024" in lines
    )
    assert lines[-1].startswith("Error: nothing was imported: ")
    assert "Correct them and import the whole file again." in lines[-1]
    assert _count(session, CaseRecord) == 0
    record = session.scalars(select(DataImport)).one()
    assert record.status == "failed"
    assert record.error_count == len([line for line in lines if line.startswith(f"{path}: Row ")])


def test_import_cases_names_the_personal_data_columns_it_dropped(app, session, two_partnerships, tmp_path):
    path = tmp_path / "extract.csv"
    path.write_bytes(
        b"case_ref,request_date,Forename,Surname,Date of birth,UPN\nC1,01/03/2024,Amelia,X,02/03/2016,A1\n"
    )
    result = run(app, "import", "cases", str(path), "--partnership", "alpha")
    assert result.exit_code == 0, result.output
    assert "Columns dropped as personal data (never stored): Forename, Surname, Date of birth, UPN" in result.stdout
    assert (
        "Note: Age at request was worked out from column Date of birth; no date of birth was stored." in result.stdout
    )
    assert session.scalar(select(CaseRecord.age_at_request)) == 7


def test_import_cases_refuses_a_file_without_the_required_columns(app, session, two_partnerships, tmp_path):
    path = tmp_path / "odd.csv"
    path.write_bytes(b"name,notes\nx,y\n")
    result = run(app, "import", "cases", str(path), "--partnership", "alpha")
    assert result.exit_code == 1
    assert f"Error: {path}: The file has no case_ref or request_date column" in result.stderr


def test_import_cases_refuses_an_unknown_partnership(app, session, two_partnerships, files):
    result = run(app, "import", "cases", str(files / "cases.csv"), "--partnership", "nowhere")
    assert result.exit_code != 0
    assert "nowhere" in result.stderr
    assert _count(session, CaseRecord) == 0


def test_import_reviews_stores_them_and_reports_errors_by_row(app, session, two_partnerships, files):
    result = run(app, "import", "reviews", str(files / "reviews.csv"), "--partnership", "alpha")
    assert result.exit_code == 0, result.output
    assert "Imported reviews.csv into alpha: 3 reviews added, 0 changed, 0 unchanged." in result.stdout
    dry = run(app, "import", "reviews", str(CASE_FILES / "reviews_valid.csv"), "--partnership", "alpha", "--dry-run")
    assert "Importing would give 4 reviews added" in dry.stdout
    path = CASE_FILES / "reviews_errors.csv"
    bad = run(app, "import", "reviews", str(path), "--partnership", "alpha")
    assert bad.exit_code == 1
    assert f"{path}: Row 3, column case_ref: Enter the case reference" in bad.stderr.splitlines()
    assert _count(session, ReviewRecord) == 3


# measures ------------------------------------------------------------------------------------------------------


def _import_both(app, files) -> None:  # type: ignore[no-untyped-def]
    assert run(app, "import", "cases", str(files / "cases.csv"), "--partnership", "alpha").exit_code == 0
    assert run(app, "import", "reviews", str(files / "reviews.csv"), "--partnership", "alpha").exit_code == 0


def test_measures_json_has_exactly_the_designed_shape_and_the_hand_worked_numbers(app, two_partnerships, files):
    _import_both(app, files)
    result = run(app, "measures", "--partnership", "alpha", "--json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert set(document) == {"partnership", "measures"}
    assert document["partnership"] == "alpha"
    assert all(list(row) == ["id", "period", "value", "numerator", "denominator"] for row in document["measures"])
    assert [(row["period"], row["id"]) for row in document["measures"]] == [
        (str(year), measure_id) for year in (2023, 2024, 2025) for measure_id in MEASURE_IDS
    ]
    found = {(row["id"], int(row["period"])): row for row in document["measures"]}
    for measure_id, years in EXPECTED.items():
        for year, (numerator, denominator, value) in years.items():
            row = found[(measure_id, year)]
            assert (row["numerator"], row["denominator"], row["value"]) == (numerator, denominator, value)
    assert isinstance(found[("requests_received", 2024)]["value"], int | float)
    assert found[("annual_review_on_time", 2023)]["value"] is None  # no reviews were due: null, not 0


def test_measures_json_for_one_year_and_a_year_without_data(app, two_partnerships, files):
    _import_both(app, files)
    one = json.loads(run(app, "measures", "--partnership", "alpha", "--year", "2024", "--json").stdout)
    assert [row["id"] for row in one["measures"]] == list(MEASURE_IDS)
    assert {row["period"] for row in one["measures"]} == {"2024"}
    six = next(row for row in one["measures"] if row["id"] == "decision_6wk")
    assert six == {"id": "decision_6wk", "period": "2024", "value": 80.0, "numerator": 4, "denominator": 5}
    empty = json.loads(run(app, "measures", "--partnership", "alpha", "--year", "2019", "--json").stdout)
    assert all((row["value"], row["numerator"], row["denominator"]) == (None, 0, 0) for row in empty["measures"])


def test_measures_of_a_partnership_without_cases(app, two_partnerships):
    assert json.loads(run(app, "measures", "--partnership", "beta", "--json").stdout) == {
        "partnership": "beta",
        "measures": [],
    }
    result = run(app, "measures", "--partnership", "beta")
    assert "beta has no case data yet" in result.stdout


def test_measures_as_text_gives_one_line_per_measure_and_year(app, two_partnerships, files):
    _import_both(app, files)
    lines = run(app, "measures", "--partnership", "alpha").stdout.splitlines()
    assert len(lines) == 3 * len(MEASURE_IDS)
    assert "2024\tdecision_6wk\t80.0\t4/5" in lines
    assert "2023\tannual_review_on_time\tno data\t0/0" in lines


def test_import_stores_the_days_summary_and_timeliness_summarise_stores_each_new_day(
    app, session, two_partnerships, files
):
    from datetime import date

    from inspect_app.models import TimelinessSummary

    assert run(app, "import", "cases", str(files / "cases.csv"), "--partnership", "alpha").exit_code == 0
    session.expire_all()
    stored = session.scalars(select(TimelinessSummary)).one()
    assert (stored.as_of, stored.partnership_id) == (WHEN.date(), two_partnerships.a.partnership.id)

    events = _count(session, AuditEvent)
    result = run(app, "timeliness", "summarise")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "alpha: already up to date, or no case data (as at 2025-06-30)",
        "beta: already up to date, or no case data (as at 2025-06-30)",
    ]
    app.config["FIXED_NOW"] = "2025-07-01T00:05:00"  # the next day's cron run
    result = run(app, "timeliness", "summarise", "--partnership", "alpha")
    assert result.stdout.splitlines() == ["alpha: stored (as at 2025-07-01)"]
    session.expire_all()
    assert [row.as_of for row in session.scalars(select(TimelinessSummary))] == [date(2025, 7, 1)]
    assert _count(session, AuditEvent) == events  # a derived summary is nobody's change: not audited

    missing = run(app, "timeliness", "summarise", "--partnership", "nowhere")
    assert missing.exit_code == 1
    assert "nowhere" in missing.stderr
