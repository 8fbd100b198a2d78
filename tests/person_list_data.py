"""Synthetic person-level list rows for tests (built by code; no real person)."""

from __future__ import annotations

from inspect_app.domain.person_lists import SheetInput, load_template, upn_check_letter

TEMPLATE = load_template()
LIST_1 = TEMPLATE.list("list_1")
LIST_2 = TEMPLATE.list("list_2")


def make_upn(body: str) -> str:
    """A UPN with a correct check letter from its 12 other characters."""
    return upn_check_letter("A" + body) + body


def make_uln(first_nine: str) -> str:
    remainder = sum(int(d) * w for d, w in zip(first_nine, range(10, 1, -1), strict=True)) % 11
    assert remainder != 0, "pick other digits: this prefix has no valid check digit"
    return first_nine + str(10 - remainder)


def list_1_row(**changes: object) -> dict[str, object]:
    """A List 1 row that passes every rule on 1 June 2025, with `changes` applied by column key."""
    row: dict[str, object] = {
        "unique_id": "QZ-100001",
        "upn": make_upn("801200001001"),
        "uln": "",
        "date_of_birth": "14/03/2014",
        "gender": "a) Male",
        "ethnicity": "a) WBRI",
        "initial_plan_date": "03/02/2020",
        "updated_plan_date": "11/09/2023",
        "last_review_date": "10/01/2025",
        "primary_need": "k) ASD",
        "main_urn": "123456",
        "main_phase": "b) Primary",
        "subsidiary_phase": "",
        "elective_home_education": "b) No",
        "suspensions": "0",
        "permanent_exclusions": "0",
        "absence": "4.5",
        "pupil_premium": "b) No",
        "known_to_social_care": "b) No",
        "social_care_team": "",
        "disability": "b) No",
    }
    row.update(changes)
    return row


def list_2_row(**changes: object) -> dict[str, object]:
    row = {key: value for key, value in list_1_row().items() if LIST_2.column(key) is not None}
    row.update({"unique_id": "QZ-200001", "upn": make_upn("801200002001"), "primary_need": "b) MLD"})
    row.update(changes)
    return row


def sheet(spec, rows, *, source=None, header=None) -> SheetInput:
    header = tuple(header or (column.name for column in spec.columns))
    keys = [column.key for column in spec.columns]
    return SheetInput(
        source=source or spec.sheet_name,
        header=header,
        rows=tuple(tuple(row.get(key, "") for key in keys) for row in rows),
    )


def workbook_bytes(sheets: dict[str, list[dict[str, object]]], *, spec_for=None) -> bytes:
    """An XLSX workbook with one sheet per list (sheet name -> rows by column key), as a council might send."""
    import io

    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        spec = (spec_for or {}).get(name) or (LIST_1 if "1" in name else LIST_2)
        sheet_ = workbook.create_sheet(name)
        sheet_.append([column.name for column in spec.columns])
        for row in rows:
            sheet_.append([row.get(column.key, "") for column in spec.columns])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(spec, rows: list[dict[str, object]]) -> bytes:
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([column.name for column in spec.columns])
    for row in rows:
        writer.writerow([row.get(column.key, "") for column in spec.columns])
    return buffer.getvalue().encode("utf-8")
