"""`inspect-app lists check`: every problem on stderr by list, row and column; the clean file when none."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from inspect_app.domain.person_lists import load_template
from inspect_app.importers.person_lists import read_list_files
from inspect_app.models import AuditEvent, PersonListCheck
from tests.person_list_data import LIST_1, csv_bytes, list_1_row, list_2_row, make_upn, workbook_bytes


def run(app, *args):  # type: ignore[no-untyped-def]
    return app.test_cli_runner().invoke(args=list(args))


def test_lists_check_reports_every_problem_and_writes_nothing(app, session, tmp_path):
    path = tmp_path / "lists.xlsx"
    path.write_bytes(
        workbook_bytes({"List_1": [list_1_row(main_urn="12345", unique_id="QZ-SECRET-1")], "List_2": [list_2_row()]})
    )
    output = tmp_path / "clean.xlsx"
    result = run(app, "lists", "check", str(path), "--output", str(output), "--as-of", "2025-06-01")
    assert result.exit_code == 1
    assert f"{path}: error: List 1, row 2, column Main education establishment – URN: A URN is 6 digits [F02]" in (
        result.stderr
    )
    assert "QZ-SECRET-1" not in result.output and "12345" not in result.output
    assert not output.exists()
    assert f"{output} not written" in result.stderr


def test_lists_check_writes_the_template_layout_when_clean(app, session, tmp_path):
    path = tmp_path / "lists.xlsx"
    path.write_bytes(workbook_bytes({"List_1": [list_1_row(gender="Male")], "List_2": [list_2_row()]}))
    for suffix in ("xlsx", "ods"):
        output = tmp_path / f"clean.{suffix}"
        result = run(app, "lists", "check", str(path), "--output", str(output), "--as-of", "2025-06-01")
        assert result.exit_code == 0, result.output
        assert "query: List 1, row 2, column Gender" in result.stderr  # fixed in the clean file
        assert "1 to check" in result.output and "0 to fix" in result.output
        sheets = read_list_files([(output.name, output.read_bytes())], load_template())
        assert [sheet.source for sheet in sheets] == ["List_1", "List_2"]
        assert sheets[0].header == tuple(column.name for column in LIST_1.columns)
        assert sheets[0].rows[0][4] == "a) Male"


def test_lists_check_reads_one_csv_per_list_and_cross_checks_a_partnership(app, session, two_partnerships, tmp_path):
    first, second = tmp_path / "list_1.csv", tmp_path / "list_2.csv"
    first.write_bytes(csv_bytes(LIST_1, [list_1_row(), list_1_row(unique_id="QZ-2", upn=make_upn("801200001077"))]))
    second.write_bytes(csv_bytes(load_template().list("list_2"), [list_2_row()]))
    result = run(app, "lists", "check", str(first), str(second), "--partnership", "alpha", "--as-of", "2025-06-01")
    assert result.exit_code == 0, result.output
    assert "List 1 2 rows, List 2 1 rows" in result.output
    record = session.scalars(select(PersonListCheck)).one()
    assert (record.error_count, record.as_of, [f["name"] for f in record.files]) == (
        0,
        date(2025, 6, 1),
        ["list_1.csv", "list_2.csv"],
    )
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "person_lists.checked")).one()
    assert event.actor == "command line" and event.partnership_id == two_partnerships.a.partnership.id


def test_lists_check_refuses_a_file_with_no_list(app, tmp_path):
    path = tmp_path / "notes.csv"
    path.write_text("owner,date\nA,1\n")
    result = run(app, "lists", "check", str(path))
    assert result.exit_code == 1
    assert "No sheet or file could be recognised as one of the template's lists [L01]" in result.stderr


def test_lists_check_output_must_be_xlsx_or_ods(app, tmp_path):
    path = tmp_path / "list_1.csv"
    path.write_bytes(csv_bytes(LIST_1, [list_1_row()]))
    result = run(app, "lists", "check", str(path), "--output", str(tmp_path / "out.csv"))
    assert result.exit_code == 2 and "--output must end in .xlsx or .ods" in result.output
