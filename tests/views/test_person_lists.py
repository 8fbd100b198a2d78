"""The person-level lists page: every problem by list, row and column; the clean file; nothing personal kept."""

from __future__ import annotations

import io
import logging
from datetime import date
from pathlib import Path

from sqlalchemy import MetaData, select

from inspect_app.domain.person_lists import load_template
from inspect_app.importers.person_lists import read_list_files
from inspect_app.models import AuditEvent, PersonListCheck
from tests.person_list_data import LIST_1, list_1_row, list_2_row, make_uln, make_upn, workbook_bytes
from tests.views.test_inspections import date_fields

AS_OF = date(2025, 6, 1)


def upload(pages, data: bytes, *, output: str = "check", name: str = "lists.xlsx", expected_status: int = 200):  # type: ignore[no-untyped-def]
    return pages.client.post(
        "/p/alpha/person-lists/",
        data={"file": (io.BytesIO(data), name), **date_fields("as_of", AS_OF), "output": output},
        content_type="multipart/form-data",
    )


def test_the_page_lists_every_problem_by_list_row_and_column(pages, session, two_partnerships, sign_in):
    sign_in(two_partnerships.a.lead)
    soup = pages.get("/p/alpha/person-lists/")
    assert "Area SEND person-level lists, 2023 to 2025 template" in soup.get_text()  # which template it follows
    data = workbook_bytes(
        {"List_1": [list_1_row(), list_1_row(unique_id="QZ-2", upn="A123", main_urn="99")], "List_2": [list_2_row()]}
    )
    response = upload(pages, data)
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(response.data, "html.parser")
    rows = [
        [td.get_text(" ", strip=True) for td in tr.select("td")] for tr in soup.select("table")[0].select("tbody tr")
    ]
    assert [
        "A URN is 6 digits",
        "List 1: Children and young people with an EHC plan",
        "Main education establishment – URN",
        "3",
        "Fix",
    ] in rows
    assert any(row[0].startswith("A UPN is 13 characters") and row[3] == "3" for row in rows)
    assert "2 problems must be fixed" in soup.get_text()
    record = session.scalars(select(PersonListCheck)).one()
    assert (record.error_count, record.lists[0]["rows"]) == (2, 2)


def test_a_clean_file_downloads_in_the_template_layout(pages, session, two_partnerships, sign_in):
    sign_in(two_partnerships.a.lead)
    data = workbook_bytes({"Sheet1": [list_1_row(gender="male")]}, spec_for={"Sheet1": LIST_1})
    for file_format in ("xlsx", "ods"):
        response = upload(pages, data, output=file_format)
        assert response.status_code == 200
        assert response.headers["Content-Disposition"] == (
            f'attachment; filename="person-level-lists-alpha-2025-06-01.{file_format}"'
        )
        [sheet] = read_list_files([(f"clean.{file_format}", response.data)], load_template())
        assert sheet.source == "List_1" and sheet.rows[0][4] == "a) Male"
    actions = [e.action for e in session.scalars(select(AuditEvent).order_by(AuditEvent.id))]
    assert actions.count("person_lists.checked") == 2 and actions.count("person_lists.clean_file_written") == 2


def test_a_file_with_errors_is_not_offered_for_download(pages, two_partnerships, sign_in):
    sign_in(two_partnerships.a.lead)
    response = upload(pages, workbook_bytes({"List_1": [list_1_row(gender="")]}), output="xlsx")
    assert response.status_code == 200 and response.mimetype == "text/html"
    assert "1 problem must be fixed" in response.get_data(as_text=True)


def test_only_leads_check_lists(pages, two_partnerships, sign_in):
    sign_in(two_partnerships.a.contributor)
    assert pages.client.get("/p/alpha/person-lists/").status_code == 403


def test_an_unreadable_file_gets_a_clear_error(pages, session, two_partnerships, sign_in):
    sign_in(two_partnerships.a.lead)
    soup = pages.post(
        "/p/alpha/person-lists/",
        data={
            "file": (io.BytesIO(b"PK\x03\x04broken"), "lists.xlsx"),
            **date_fields("as_of", AS_OF),
            "output": "check",
        },
        content_type="multipart/form-data",
    )
    assert "could not be read" in soup.select_one(".govuk-error-summary").get_text()
    assert session.scalars(select(PersonListCheck)).all() == []


def test_no_personal_value_from_a_checked_list_reaches_the_database_the_logs_or_the_store(
    pages, session, two_partnerships, sign_in, app, caplog, tmp_path
):
    """Check a list on the page (with and without downloading) and on the command line; then look for every
    personal value of the file in every table, every log record and every file under the instance folder."""
    personal = {
        "unique_id": "QZP-481516",
        "upn": make_upn("801733942100"),
        "uln": make_uln("563829101"),
        "date_of_birth": "17/03/2013",
        "social_care_team": "Kestrel Lane early help team",
    }
    second = {
        "unique_id": "QZP-902211",
        "upn": make_upn("801733942177"),
        "date_of_birth": "02/11/2009",
        "social_care_team": "Heronsgate child in need team",
        "main_urn": "13579",  # an error: the row is reported, its values are not
    }
    rows = [
        list_1_row(**personal, known_to_social_care="a) Yes"),
        list_1_row(**second, known_to_social_care="a) Yes"),
    ]
    clean = workbook_bytes({"List_1": rows[:1]})
    with_error = workbook_bytes({"List_1": rows, "List_2": [list_2_row(unique_id="QZP-777123")]})
    caplog.set_level(logging.DEBUG)
    sign_in(two_partnerships.a.lead)
    assert upload(pages, with_error).status_code == 200
    assert upload(pages, clean, output="xlsx").status_code == 200
    path = tmp_path / "lists.xlsx"
    path.write_bytes(with_error)
    result = app.test_cli_runner().invoke(
        args=["lists", "check", str(path), "--partnership", "alpha", "--as-of", "2025-06-01"]
    )
    assert result.exit_code == 1
    values = [
        *personal.values(),
        *(v for k, v in second.items() if k != "main_urn"),
        "QZP-777123",
        "2013-03-17",
        "2009-11-02",
    ]
    # every table, every column
    stored = []
    metadata = MetaData()
    metadata.reflect(bind=session.get_bind())
    for table in metadata.sorted_tables:
        for row in session.execute(select(table)).all():
            stored.append(" ".join(str(cell) for cell in row))
    database_text = "\n".join(stored)
    assert session.scalars(select(PersonListCheck)).all(), "the summaries were stored"
    log_text = "\n".join(record.getMessage() for record in caplog.records)
    files = [p for p in Path(app.config["INSTANCE_PATH"]).rglob("*") if p.is_file()]
    file_bytes = b"".join(p.read_bytes() for p in files if p.stat().st_size < 50_000_000)
    for value in values:
        assert value not in database_text, value
        assert value not in log_text, value
        assert value not in result.output, value
        assert value.encode() not in file_bytes, value
