from __future__ import annotations

import io
from datetime import date, datetime

import pytest
from openpyxl import Workbook

from inspect_app.domain.evidence_register import format_criteria, parse_criteria
from inspect_app.importers.common import FileRejected
from inspect_app.importers.evidence_register import RegisterContext, read_register
from inspect_app.services.evidence import KIND_LABELS, PARTNER_LABELS, STATUS_LABELS

CONTEXT = RegisterContext(
    evidence_types={
        "send_strategy": "SEND and alternative provision strategy",
        "board_minutes": "Partnership board minutes",
    },
    criteria=frozenset({"EXP1", "LEAD1", "LEAD2"}),
    owner_emails=frozenset({"sam@council.example"}),
    existing_references=frozenset({"EV-0001"}),
    kinds=KIND_LABELS,
    partners=PARTNER_LABELS,
    statuses=STATUS_LABELS,
)
HEADER = "Title,Type,Partner,Owner,Criteria IDs,As at,URL,Status\n"


def test_a_hand_made_register_with_labels_aliases_and_uk_dates_is_read():
    data = (
        HEADER + 'Strategy,SEND and alternative provision strategy,Council,Sam@Council.example,"LEAD1; lead2",'
        "31/03/2026,https://example.org/s,Ready for review\n"
    ).encode()
    result = read_register(data, CONTEXT)
    assert result.ok, result.errors
    (row,) = result.rows
    assert (row.evidence_type, row.partner, row.owner_email, row.kind, row.status) == (
        "send_strategy",
        "council",
        "sam@council.example",
        "link",
        "ready_for_review",
    )
    assert row.criteria == (("LEAD1", ""), ("LEAD2", ""))
    assert row.as_at == date(2026, 3, 31)
    assert row.row == 2


def test_every_bad_cell_is_reported_with_row_column_and_value_and_no_row_is_returned():
    data = (
        HEADER
        + "Good,board_minutes,council,sam@council.example,EXP1,2026-01-31,,draft\n"
        + ",nope,bank,stranger@x.example,EXP9,2026-02-30,ftp://x,approved-ish\n"
        + "Link,board_minutes,other,sam@council.example,,,,returned\n"
    ).encode()
    result = read_register(data, CONTEXT)
    assert result.rows == []
    found = {(e.row, e.column, e.value) for e in result.errors}
    assert {
        (3, "Title", ""),
        (3, "Type", "nope"),
        (3, "Partner", "bank"),
        (3, "Owner", "stranger@x.example"),
        (3, "Criteria IDs", "EXP9"),
        (3, "As at", "2026-02-30"),
        (3, "URL", "ftp://x"),
        (3, "Status", "approved-ish"),
        (4, "returned_reason", ""),
    } <= found
    assert not any(e.row == 2 for e in result.errors)
    assert "Row 3, column Partner (value 'bank')" in str(next(e for e in result.errors if e.column == "Partner"))


def test_references_must_be_new_and_unique_within_the_file():
    data = (
        b"reference,title,evidence_type,partner,owner_email\n"
        b"EV-0001,A,board_minutes,council,sam@council.example\n"
        b"X-1,B,board_minutes,council,sam@council.example\n"
        b"X-1,C,board_minutes,council,sam@council.example\n"
    )
    messages = {(e.row, e.message) for e in read_register(data, CONTEXT).errors}
    assert messages == {
        (2, "An item with this reference is already in the library"),
        (4, "The same reference is on row 3"),
    }


def test_only_leads_may_import_approved_evidence():
    data = (HEADER + "A,board_minutes,council,sam@council.example,,,,approved\n").encode()
    from dataclasses import replace

    result = read_register(data, replace(CONTEXT, allow_approved=False))
    assert [e.message for e in result.errors] == ["Only a lead can import approved evidence"]


def test_real_dates_in_xlsx_cells_are_read():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["title", "evidence_type", "partner", "owner_email", "as_at", "review_by"])
    sheet.append(["A", "board_minutes", "council", "sam@council.example", datetime(2026, 3, 31), date(2027, 1, 15)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    (row,) = read_register(buffer.getvalue(), CONTEXT).rows
    assert (row.as_at, row.review_by) == (date(2026, 3, 31), date(2027, 1, 15))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty"),
        (b"title,partner\nA,council\n", "no evidence_type, owner_email columns"),
        (b"title,evidence_type,partner,owner_email\n", "no rows of evidence"),
    ],
)
def test_files_that_cannot_be_a_register_are_rejected_whole(data, message):
    with pytest.raises(FileRejected, match=message):
        read_register(data, CONTEXT)


def test_too_many_rows_are_refused():
    from dataclasses import replace

    rows = "".join(f"T{i},board_minutes,council,sam@council.example\n" for i in range(4))
    with pytest.raises(FileRejected, match="at most 3"):
        read_register(("title,evidence_type,partner,owner_email\n" + rows).encode(), replace(CONTEXT, max_rows=3))


def test_criteria_cells_round_trip_with_their_sentences():
    criteria = (("EXP1", "Shows timely assessment: 20 weeks."), ("LEAD2", ""))
    assert parse_criteria(format_criteria(criteria)) == (list(criteria), [])
    assert parse_criteria("EXP1, LEAD1") == ([("EXP1", ""), ("LEAD1", "")], [])
    assert parse_criteria("EXP1: fine\n!!!") == ([("EXP1", "fine")], ["!!!"])
