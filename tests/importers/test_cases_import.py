"""Case and annual review files in: plain Case/Review records and every row error out."""

from __future__ import annotations

import io
from dataclasses import fields
from datetime import date
from pathlib import Path

import pytest

from inspect_app.domain.cases import ASSESSMENT_OUTCOMES, DECISIONS, PRIMARY_NEEDS, REVIEW_OUTCOMES, Case, Review
from inspect_app.domain.synthetic_cases import case_file, generate_cases
from inspect_app.importers.cases import (
    ASSESSMENT_OUTCOME_CODES,
    CASE_ALIASES,
    DECISION_CODES,
    EXCEPTION_CODES,
    PLAN_NEEDS_ASSESS,
    REVIEW_ALIASES,
    REVIEW_OUTCOME_CODES,
    CaseImportResult,
    ReviewImportResult,
    code_key,
    read_cases,
    read_reviews,
)
from inspect_app.importers.common import FileRejected, ImportResult, RowError, normalise_header
from inspect_app.importers.personal_data import is_personal_data
from inspect_app.importers.records import build_records

FILES = Path(__file__).resolve().parents[1] / "fixtures" / "files" / "cases"
TODAY = date(2024, 7, 1)
HEADER = (
    "case_ref,request_date,decision_date,decision,assessment_outcome,assessment_outcome_date,final_plan_date,"
    "exception,exception_reason,primary_need,age_at_request,setting"
)
ENTER_A_DATE = "Enter a date in the format 31/12/2024"
ENTER_REAL_DATE = "Enter a real date, for example 31/12/2024"
NEEDS_ASSESS = PLAN_NEEDS_ASSESS
PRIMARY_NEED_MESSAGE = (
    "Enter a primary need as an SEN2 code: SPLD, MLD, SLD, PMLD, SEMH, SLCN, HI, VI, MSI, PD, ASD, DS, OTH"
)


def cases_from(text: str, *, today: date = TODAY) -> CaseImportResult:
    return read_cases(text.encode("utf-8"), today=today)


def case(case_ref: str = "EHC1", request_date: date = date(2024, 3, 1), **values: object) -> Case:
    return Case(case_ref, request_date, **values)  # type: ignore[arg-type]


# Reading files -------------------------------------------------------------------------------------------


def test_read_cases_reads_every_date_format_and_code_spelling_in_a_valid_file():
    result = read_cases(FILES / "cases_valid.csv", today=TODAY)

    assert result.ok
    assert isinstance(result, ImportResult)
    assert result.rows == [
        Case(
            "EHC001",
            date(2023, 1, 9),
            date(2023, 2, 13),
            "assess",
            "plan",
            date(2023, 5, 2),
            date(2023, 5, 22),
            False,
            None,
            "ASD",
            7,
            "Oakfield Primary School",
        ),
        Case("EHC002", date(2023, 1, 9), date(2023, 2, 20), "not_assess", primary_need="SEMH", age_at_request=12),
        Case(
            "EHC003",
            date(2023, 1, 16),
            date(2023, 2, 27),
            "assess",
            "plan",
            date(2023, 6, 5),
            date(2023, 6, 26),
            True,
            "Exceptional personal circumstances",
            "SLCN",
            4,
            "Riverside Nursery",
        ),
        Case(
            "EHC004", date(2023, 1, 23), date(2023, 2, 1), "withdrawn", age_at_request=16, setting="Castle Vale College"
        ),
        Case(
            "EHC005",
            date(2023, 2, 3),
            date(2023, 3, 17),
            "assess",
            "no_plan",
            date(2023, 6, 2),
            primary_need="MLD",
            age_at_request=9,
        ),
        Case("EHC006", date(2023, 2, 6)),
    ]
    assert result.dropped_columns == []
    assert result.notes == []
    assert result.columns == {name: name for name in HEADER.split(",")}


def test_read_cases_accepts_a_path_given_as_text_a_binary_stream_or_bytes():
    path = FILES / "cases_valid.csv"

    from_text = read_cases(str(path), today=TODAY)
    from_stream = read_cases(io.BytesIO(path.read_bytes()), today=TODAY)
    from_bytes = read_cases(path.read_bytes(), today=TODAY)

    assert from_text.rows == from_stream.rows == from_bytes.rows != []


def test_read_cases_matches_sen2_blade_headers_in_mixed_case_and_drops_the_person_module_columns():
    result = read_cases(FILES / "cases_sen2.csv", today=TODAY)

    assert result.ok
    assert result.columns == {
        "case_ref": "RequestsTableID",
        "request_date": "ReceivedDate",
        "decision_date": "RequestOutcomeDate",
        "decision": "RequestOutcome",
        "assessment_outcome": "AssessmentOutcome",
        "assessment_outcome_date": "AssessmentOutcomeDate",
        "final_plan_date": "StartDate",
        "exception": "Week20",
        "primary_need": "SENType",
    }
    assert result.rows == [
        Case(
            "R-1001",
            date(2022, 9, 28),
            date(2022, 11, 1),
            "assess",
            "plan",
            date(2023, 1, 10),
            date(2023, 2, 1),
            exception=True,
            primary_need="ASD",
            age_at_request=7,
        ),
        # born 28 September 2010, so 12 on the request date, a birthday
        Case("R-1002", date(2022, 9, 28), date(2022, 10, 31), "not_assess", primary_need="SEMH", age_at_request=12),
        # born 29 September 2010, a day short of 12
        Case("R-1003", date(2022, 9, 28), age_at_request=11),
    ]
    assert result.dropped_columns == [
        "Forename",
        "Surname",
        "PersonBirthDate",
        "Sex",
        "Postcode",
        "UPN",
        "UniqueLearnerNumber",
    ]
    assert result.notes == ["These columns were not read: PersonTableID"]


def test_read_cases_reads_a_utf8_file_with_a_byte_order_mark():
    data = (FILES / "cases_bom.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")

    result = read_cases(data, today=TODAY)

    assert result.ok
    assert result.rows == [Case("EHC101", date(2024, 3, 1), setting="St Anne’s Primary School")]
    assert result.columns["case_ref"] == "case_ref"


def test_read_cases_reads_a_windows_1252_file_as_excel_saves_it():
    data = (FILES / "cases_cp1252.csv").read_bytes()
    assert b"\xe9" in data and b"\x92" in data  # é and ’ in Windows-1252

    result = read_cases(data, today=TODAY)

    assert result.ok
    assert result.rows == [Case("EHC-É01", date(2024, 3, 1), setting="St Anne’s Académie")]


def test_read_cases_reads_a_windows_1252_file_whose_first_special_character_is_far_down():
    rows = "".join(f"EHC{n},01/03/2024,Oakfield\r\n" for n in range(3000))
    data = f"case_ref,request_date,setting\r\n{rows}EHC-last,01/03/2024,Académie\r\n".encode("cp1252")

    result = read_cases(data, today=TODAY)

    assert result.ok
    assert result.rows[-1] == Case("EHC-last", date(2024, 3, 1), setting="Académie")


def test_read_cases_reads_real_date_cells_numbers_and_text_dates_from_a_workbook():
    result = read_cases(FILES / "cases.xlsx", today=TODAY)

    assert result.rows == [
        Case(
            "EHC501", date(2023, 3, 1), date(2023, 4, 12), "assess", final_plan_date=date(2023, 7, 14), age_at_request=6
        ),
        Case("502", date(2023, 3, 2)),  # a number cell; a date-time cell keeps only its date
        Case("EHC503", date(2023, 3, 3), date(2023, 4, 14), "not_assess", age_at_request=11),
    ]
    assert result.errors == [
        RowError(5, "Request Date", "2030-01-01", "Request date must be today or in the past"),
    ]


def test_read_cases_reads_a_workbook_written_with_date_cells_in_every_date_column(tmp_path):
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["Case_Ref", "Request_Date", "Decision_Date", "Decision", "Assessment_Outcome_Date"])
    workbook.active.append(["EHC1", date(2024, 3, 1), date(2024, 3, 20), "Yes", date(2024, 6, 1)])
    path = tmp_path / "cases.xlsx"
    workbook.save(path)

    result = read_cases(path, today=TODAY)

    assert result.rows == [
        case(decision_date=date(2024, 3, 20), decision="assess", assessment_outcome_date=date(2024, 6, 1))
    ]


# Validation ----------------------------------------------------------------------------------------------


def test_read_cases_reports_every_rule_broken_with_row_column_value_and_what_to_enter():
    result = read_cases(FILES / "cases_errors.csv", today=TODAY)

    assert not result.ok
    assert result.errors == [
        RowError(3, "case_ref", "", "Enter the case reference"),
        RowError(4, "request_date", "", "Enter the request date (only a historical case may leave it blank)"),
        RowError(5, "request_date", "2024-13-01", ENTER_REAL_DATE),
        RowError(6, "request_date", "03/28/2024", "Enter the date as day/month/year, for example 31/12/2024"),
        RowError(7, "request_date", "01/03/24", "Enter the year in full, for example 31/12/2024"),
        RowError(8, "request_date", "31/02/2024", ENTER_REAL_DATE),
        RowError(9, "request_date", "01/03/2099", "Request date must be today or in the past"),
        RowError(10, "decision_date", "01/02/2024", "Decision date must be on or after the request date"),
        RowError(
            11, "assessment_outcome_date", "01/01/2024", "Assessment outcome date must be on or after the request date"
        ),
        RowError(11, "final_plan_date", "01/02/2024", "Final plan date must be on or after the request date"),
        RowError(12, "decision", "not_assess", NEEDS_ASSESS),
        RowError(13, "decision", "", NEEDS_ASSESS),
        RowError(14, "case_ref", "EHC201", "Case reference is already used in row 2"),
        RowError(15, "case_ref", "EHC201", "Case reference is already used in row 2"),
        RowError(16, "decision", "maybe", "Enter a decision of assess, not_assess, withdrawn or historical"),
        RowError(
            17, "assessment_outcome", "perhaps", "Enter an assessment outcome of plan, no_plan, withdrawn or historical"
        ),
        RowError(18, "exception", "sometimes", "Enter yes or no for the exception"),
        RowError(
            19,
            "primary_need",
            "XYZ",
            "Enter a primary need as an SEN2 code: SPLD, MLD, SLD, PMLD, SEMH, SLCN, HI, VI, MSI, PD, ASD, DS, OTH",
        ),
        RowError(20, "age_at_request", "26", "Age at request must be a whole number from 0 to 25"),
        RowError(21, "age_at_request", "seven", "Age at request must be a whole number from 0 to 25"),
        # a wrong request date is reported once, not again as an earlier decision date
        RowError(22, "request_date", "01/03/2099", "Request date must be today or in the past"),
        RowError(22, "decision", "maybe", "Enter a decision of assess, not_assess, withdrawn or historical"),
    ]
    # the rows without a problem are still returned (for a preview); callers store nothing while errors exist
    assert result.rows == [
        case("EHC201", decision_date=date(2024, 3, 20), decision="assess", primary_need="ASD", age_at_request=8)
    ]


def test_read_cases_reports_an_error_in_spreadsheet_terms_in_its_string_form():
    result = cases_from("case_ref,request_date\nEHC1,09/28/2022\n")

    assert [str(error) for error in result.errors] == [
        "Row 2, column request_date (value '09/28/2022'): Enter the date as day/month/year, for example 31/12/2024"
    ]


def test_read_cases_warns_that_ambiguous_dates_were_read_day_first_when_a_column_has_month_first_dates():
    result = cases_from("case_ref,Received Date\nEHC1,01/02/2024\nEHC2,02/13/2024\nEHC3,03/14/2024\n")

    assert [error.row for error in result.errors] == [3, 4]
    assert result.notes == [
        "Some dates in column Received Date are written month first (such as 02/13/2024). Dates that could be "
        "either, such as 01/02/2024, are always read day first: check the whole column."
    ]


def test_read_cases_names_the_column_as_the_file_does_in_each_error():
    result = cases_from("Case Reference,ReceivedDate\n,01/01/2024\nEHC2,1/1/24\n")

    assert result.errors == [
        RowError(2, "Case Reference", "", "Enter the case reference"),
        RowError(3, "ReceivedDate", "1/1/24", "Enter the year in full, for example 31/12/2024"),
    ]


def test_read_cases_accepts_dates_on_the_request_date_and_today_but_not_tomorrow():
    text = (
        "case_ref,request_date,decision_date,final_plan_date,decision\n"
        "EHC1,01/03/2024,01/03/2024,01/07/2024,assess\n"
        "EHC2,01/03/2024,02/07/2024,,assess\n"
    )

    result = cases_from(text, today=date(2024, 7, 1))

    assert result.errors == [RowError(3, "decision_date", "02/07/2024", "Decision date must be today or in the past")]
    assert result.rows == [case(decision_date=date(2024, 3, 1), final_plan_date=date(2024, 7, 1), decision="assess")]


def test_read_cases_reports_each_duplicate_row_naming_the_first_row_of_its_case_reference():
    text = "case_ref,request_date\nA,01/03/2024\nB,01/03/2024\nA,02/03/2024\n B ,03/03/2024\nA,04/03/2024\n"

    result = cases_from(text)

    assert result.errors == [
        RowError(4, "case_ref", "A", "Case reference is already used in row 2"),
        RowError(5, "case_ref", " B ", "Case reference is already used in row 3"),
        RowError(6, "case_ref", "A", "Case reference is already used in row 2"),
    ]
    assert [row.case_ref for row in result.rows] == ["A", "B"]


def test_read_cases_does_not_count_blank_case_references_as_duplicates():
    result = cases_from("case_ref,request_date\n,01/03/2024\n,02/03/2024\n")

    assert result.errors == [
        RowError(2, "case_ref", "", "Enter the case reference"),
        RowError(3, "case_ref", "", "Enter the case reference"),
    ]


def test_read_cases_checks_the_final_plan_rule_only_when_the_file_records_decisions():
    result = cases_from("case_ref,request_date,final_plan_date\nEHC1,01/03/2024,01/06/2024\n")

    assert result.ok
    assert result.rows == [case(final_plan_date=date(2024, 6, 1))]


def test_read_cases_reports_a_file_with_many_errors_in_full():
    rows = "".join(f"EHC{n},31/02/2024,,maybe,,,,,,,99,\n" for n in range(2000))

    result = cases_from(f"{HEADER}\n{rows}")

    assert len(result.errors) == 6000
    assert result.errors[:3] == [
        RowError(2, "request_date", "31/02/2024", ENTER_REAL_DATE),
        RowError(2, "decision", "maybe", "Enter a decision of assess, not_assess, withdrawn or historical"),
        RowError(2, "age_at_request", "99", "Age at request must be a whole number from 0 to 25"),
    ]
    assert result.errors[-1].row == 2001
    assert result.rows == []


def test_read_cases_keeps_spreadsheet_row_numbers_across_empty_rows_and_skips_them_with_a_note():
    result = read_cases(FILES / "cases_blank_rows.csv", today=TODAY)

    assert result.ok
    assert [row.case_ref for row in result.rows] == ["EHC301", "EHC302"]
    assert result.notes == ["2 empty rows were skipped (rows 3, 5)"]
    after_blank_line = cases_from("case_ref,request_date\nEHC1,01/03/2024\n\nEHC2,31/02/2024\n")
    assert after_blank_line.errors == [RowError(4, "request_date", "31/02/2024", ENTER_REAL_DATE)]


def test_read_cases_checks_columns_of_numbers_or_booleans_exactly_as_written():
    text = "case_ref,request_date,decision,primary_need,setting\n007,44927,1,TRUE,0012\n008,1e1,2,FALSE,12.50\n"

    result = cases_from(text)

    assert result.errors == [
        RowError(2, "request_date", "44927", ENTER_A_DATE),
        RowError(2, "decision", "1", "Enter a decision of assess, not_assess, withdrawn or historical"),
        RowError(2, "primary_need", "TRUE", PRIMARY_NEED_MESSAGE),
        RowError(3, "request_date", "1e1", ENTER_A_DATE),
        RowError(3, "decision", "2", "Enter a decision of assess, not_assess, withdrawn or historical"),
        RowError(3, "primary_need", "FALSE", PRIMARY_NEED_MESSAGE),
    ]
    with_settings = cases_from("case_ref,request_date,setting\n007,01/03/2024,0012\n008,01/03/2024,12.50\n")
    assert with_settings.rows == [case("007", setting="0012"), case("008", setting="12.50")]


def test_read_cases_trims_spaces_around_values():
    result = cases_from("case_ref,request_date,decision,setting\n  EHC1 , 01/03/2024 , Assess ,  Oakfield  \n")

    assert result.rows == [case(decision="assess", setting="Oakfield")]


@pytest.mark.parametrize(
    ("written", "decision"),
    [
        ("assess", "assess"),
        ("Yes", "assess"),
        ("Y", "assess"),
        ("Decided to assess", "assess"),
        ("not_assess", "not_assess"),
        ("Not assess", "not_assess"),
        ("NOT-ASSESS", "not_assess"),
        ("No", "not_assess"),
        ("decided not to assess", "not_assess"),
        ("withdrawn", "withdrawn"),
        ("W", "withdrawn"),
        ("", None),
    ],
)
def test_read_cases_reads_decision_spellings_through_the_code_table(written, decision):
    result = cases_from(f"case_ref,request_date,decision\nEHC1,01/03/2024,{written}\n")

    assert result.rows == [case(decision=decision)]


@pytest.mark.parametrize(
    ("written", "exception"),
    [
        ("yes", True),
        ("Y", True),
        ("TRUE", True),
        ("1", True),
        ("no", False),
        ("False", False),
        ("0", False),
        ("", False),
    ],
)
def test_read_cases_reads_the_exception_as_yes_or_no_with_blank_as_no(written, exception):
    result = cases_from(f"case_ref,request_date,week20\nEHC1,01/03/2024,{written}\n")

    assert result.rows == [case(exception=exception)]


@pytest.mark.parametrize("need", PRIMARY_NEEDS)
def test_read_cases_reads_every_sen2_primary_need_code_in_any_case(need):
    result = cases_from(f"case_ref,request_date,primary_need\nEHC1,01/03/2024,{need.lower()}\n")

    assert result.rows == [case(primary_need=need)]


@pytest.mark.parametrize(("written", "age"), [("0", 0), ("25", 25), ("7.0", 7), ("", None)])
def test_read_cases_reads_the_age_at_request_as_a_whole_number_from_0_to_25(written, age):
    result = cases_from(f"case_ref,request_date,age_at_request\nEHC1,01/03/2024,{written}\n")

    assert result.rows == [case(age_at_request=age)]


@pytest.mark.parametrize("written", ["-1", "26", "7.5", "seven", "1e1"])
def test_read_cases_refuses_an_age_that_is_not_a_whole_number_from_0_to_25(written):
    result = cases_from(f"case_ref,request_date,age_at_request\nEHC1,01/03/2024,{written}\n")

    assert result.errors == [
        RowError(2, "age_at_request", written, "Age at request must be a whole number from 0 to 25")
    ]


# Personal data ------------------------------------------------------------------------------------------


def test_read_cases_drops_personal_data_columns_and_derives_the_age_from_a_date_of_birth():
    result = read_cases(FILES / "cases_personal_data.csv", today=TODAY)

    assert result.dropped_columns == [
        "Child's name",
        "Date of birth",
        "Address line 1",
        "Post code",
        "UPN",
        "ULN",
        "NHS number",
        "Parent email",
        "Phone number",
    ]
    assert result.notes == ["These columns were not read: Keyworker notes"]
    assert result.rows == [
        case("EHC401", age_at_request=7),  # born 2 March 2016: 8 the day after the request
        case("EHC402", age_at_request=8),  # born 1 March 2016: 8 on the request date
        case("EHC403", age_at_request=5),  # an age given in the file is kept
    ]
    # a date of birth is never repeated back, not even in an error
    assert result.errors == [
        RowError(5, "Date of birth", "", "Date of birth must give an age from 0 to 25 on the request date"),
        RowError(6, "Date of birth", "", "Date of birth must be before the request date"),
    ]
    assert "date_of_birth" not in result.columns


def test_read_cases_never_puts_personal_data_into_any_record_or_error():
    result = read_cases(FILES / "cases_personal_data.csv", today=TODAY)

    shown = repr(result.rows) + repr(result.errors) + repr(result.notes)
    for personal in ("Amelia", "Example Street", "ZZ1 1ZZ", "A123456789012", "943 476 5919", "example.com", "2016"):
        assert personal not in shown


def test_read_cases_reports_a_wrong_date_of_birth_without_showing_it():
    result = cases_from("case_ref,request_date,dob\nEHC1,01/03/2024,03/31/2016\n")

    assert result.errors == [
        RowError(2, "dob", "", "Enter the date as day/month/year, for example 31/12/2024"),
    ]
    assert result.dropped_columns == ["dob"]


@pytest.mark.parametrize(
    "header",
    [
        "Name",
        "Forename",
        "Surname",
        "First name",
        "Last Name",
        "Child's name",
        "Young person name",
        "Date of birth",
        "DOB",
        "PersonBirthDate",
        "Address",
        "Address Line 2",
        "Postcode",
        "UPN",
        "Former UPN",
        "ULN",
        "UniqueLearnerNumber",
        "NHS Number",
        "Email address",
        "Telephone",
        "Mobile number",
        "Sex",
        "Ethnicity",
    ],
)
def test_is_personal_data_recognises_names_birth_dates_addresses_contacts_and_pupil_numbers(header):
    assert is_personal_data(header)


@pytest.mark.parametrize(
    "header",
    ["case_ref", "setting", "School name", "Setting name", "LA name", "request_date", "PersonTableID", "Notes"],
)
def test_is_personal_data_leaves_case_columns_and_organisation_names_alone(header):
    assert not is_personal_data(header)


# Rejected files -----------------------------------------------------------------------------------------


def test_read_cases_rejects_an_empty_file():
    with pytest.raises(FileRejected, match="The file is empty"):
        read_cases(FILES / "empty.csv", today=TODAY)
    with pytest.raises(FileRejected, match="The file is empty"):
        read_cases(b"\xef\xbb\xbf \r\n", today=TODAY)


def test_read_cases_rejects_a_file_with_a_header_and_no_rows():
    with pytest.raises(FileRejected, match="The file has a header row but no rows of data"):
        read_cases(FILES / "cases_headers_only.csv", today=TODAY)
    with pytest.raises(FileRejected, match="The file has a header row but no rows of data"):
        read_cases(b"case_ref,request_date\r\n\r\n,\r\n", today=TODAY)


def test_read_cases_rejects_a_file_without_a_required_column_naming_what_is_expected_and_found():
    with pytest.raises(FileRejected) as raised:
        read_cases(FILES / "cases_missing_columns.csv", today=TODAY)

    assert str(raised.value) == (
        "The file has no request_date column. It needs case_ref (or requeststableid) and request_date "
        "(or receiveddate), and may have decision_date, decision, assessment_outcome, assessment_outcome_date, "
        "final_plan_date, exception, exception_reason, primary_need, age_at_request, setting, request_type, "
        "moved_out_to, request_mediation, request_tribunal, assessment_mediation, assessment_tribunal, "
        "other_mediation, other_tribunal, transferred_in_from, cease_date, cease_reason, phase_transfer_due_date, "
        "phase_transfer_final_date. Columns found: Case Reference, Date, Outcome"
    )


def test_read_cases_rejects_a_file_with_two_columns_for_the_same_field():
    with pytest.raises(FileRejected, match=r"2 columns for case_ref \(case_ref, RequestsTableID\); keep one"):
        cases_from("case_ref,RequestsTableID,request_date\nA,B,01/03/2024\n")


def test_read_cases_rejects_bytes_that_are_neither_text_nor_a_workbook():
    with pytest.raises(FileRejected, match="not text saved as UTF-8 or Windows-1252"):
        read_cases(b"case_ref,request_date\n\x81\x8d,01/03/2024\n", today=TODAY)


def test_read_cases_rejects_a_damaged_workbook():
    with pytest.raises(FileRejected, match="could not be read"):
        read_cases(b"PK\x03\x04 not really a workbook", today=TODAY)


# Reviews ------------------------------------------------------------------------------------------------


def test_read_reviews_reads_review_meetings_under_sen2_and_plain_names():
    result = read_reviews(FILES / "reviews_valid.csv", today=date(2025, 6, 30))

    assert isinstance(result, ReviewImportResult)
    assert result.ok
    assert result.columns == {
        "case_ref": "Case Ref",
        "meeting_date": "ReviewMeeting",
        "decision_date": "Decision Date",
        "outcome": "ReviewOutcome",
    }
    assert result.rows == [
        Review("EHC001", date(2024, 2, 1), date(2024, 2, 20), "maintain"),
        Review("EHC001", date(2025, 2, 1), date(2025, 2, 14), "amend"),
        Review("EHC003", date(2024, 6, 26), None, "cease"),
        Review("EHC005", date(2024, 6, 26)),
    ]


def test_read_reviews_reports_every_bad_row():
    result = read_reviews(FILES / "reviews_errors.csv", today=TODAY)

    assert result.errors == [
        RowError(3, "case_ref", "", "Enter the case reference"),
        RowError(4, "meeting_date", "", "Enter the meeting date"),
        RowError(5, "meeting_date", "02/31/2024", "Enter the date as day/month/year, for example 31/12/2024"),
        RowError(6, "meeting_date", "01/02/2099", "Meeting date must be today or in the past"),
        RowError(7, "decision_date", "01/01/2024", "Decision date must be on or after the meeting date"),
        RowError(8, "outcome", "stop", "Enter an outcome of maintain, amend or cease"),
        RowError(9, "case_ref", "EHC001", "This review (case and meeting date) is already in row 2"),
    ]
    assert result.rows == [Review("EHC001", date(2024, 2, 1), date(2024, 2, 20), "maintain")]


def test_read_reviews_drops_personal_data_and_rejects_a_file_without_meeting_dates():
    result = read_reviews(
        b"case_ref,meeting_date,Surname,Date of birth\nEHC1,01/02/2024,Example,01/01/2015\n", today=TODAY
    )
    assert result.rows == [Review("EHC1", date(2024, 2, 1))]
    assert result.dropped_columns == ["Surname", "Date of birth"]

    with pytest.raises(FileRejected, match="The file has no meeting_date column"):
        read_reviews(b"case_ref,review\nEHC1,01/02/2024\n", today=TODAY)


@pytest.mark.parametrize(
    ("written", "outcome"), [("Maintain", "maintain"), ("amended", "amend"), ("Cease plan", "cease")]
)
def test_read_reviews_reads_outcome_spellings_through_the_code_table(written, outcome):
    result = read_reviews(f"case_ref,meeting_date,outcome\nEHC1,01/02/2024,{written}\n".encode(), today=TODAY)

    assert result.rows == [Review("EHC1", date(2024, 2, 1), outcome=outcome)]


# Tables and records -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("table", "codes"),
    [
        (DECISION_CODES, set(DECISIONS)),
        (ASSESSMENT_OUTCOME_CODES, set(ASSESSMENT_OUTCOMES)),
        (REVIEW_OUTCOME_CODES, set(REVIEW_OUTCOMES)),
        (EXCEPTION_CODES, {True, False}),
    ],
)
def test_code_tables_give_only_domain_codes_and_are_keyed_as_code_key_spells(table, codes):
    assert set(table.values()) == codes
    assert all(code_key(key) == key for key in table)


@pytest.mark.parametrize("aliases", [CASE_ALIASES, REVIEW_ALIASES])
def test_column_aliases_name_one_field_each_and_no_personal_data(aliases):
    names = [normalise_header(name) for field, names in aliases.items() for name in (field, *names)]

    assert len(names) == len(set(names))
    assert not any(is_personal_data(name) for name in names)


def test_build_records_makes_records_equal_to_those_the_dataclass_constructor_makes():
    values = [
        (
            "A",
            date(2024, 1, 1),
            date(2024, 2, 1),
            "assess",
            "plan",
            date(2024, 4, 1),
            date(2024, 5, 1),
            True,
            "r",
            "ASD",
            4,
            "S",
        ),
        ("B", date(2024, 1, 2), None, None, None, None, None, False, None, None, None, None),
    ]
    rest = [field.default for field in fields(Case)[len(values[0]) :]]
    values = [(*row, *rest) for row in values]
    columns = {field.name: [row[n] for row in values] for n, field in enumerate(fields(Case))}

    built = build_records(Case, columns, len(values))

    expected = [Case(*row) for row in values]
    assert built == expected
    assert [hash(record) for record in built] == [hash(record) for record in expected]
    assert repr(built) == repr(expected)


def test_generated_cases_are_deterministic_and_import_cleanly():
    cases = generate_cases(500, seed=3, start_year=2022, end_year=2023)
    assert cases == generate_cases(500, seed=3, start_year=2022, end_year=2023)
    assert cases != generate_cases(500, seed=4, start_year=2022, end_year=2023)

    for date_format in ("uk", "iso", "blade"):
        result = read_cases(case_file(cases, date_format), today=date(2023, 12, 31))
        assert result.errors == []
        assert result.rows == [Case(**row) for row in cases]  # type: ignore[arg-type]


# The optional columns for the whole journey (README "Case data"); older files without them read as before


JOURNEY_FILE = (
    "case_ref,request_date,decision,decision_date,assessment_outcome,assessment_outcome_date,final_plan_date,"
    "request_type,moved_out_to,request_tribunal,assessment_mediation,transferred_in_from,cease_date,cease_reason,"
    "phase_transfer_due_date,phase_transfer_final_date\n"
    "H1,,historical,,historical,,01/03/2019,,,,,936,,,15/02/2025,14/02/2024\n"
    "O1,02/01/2024,not_assess,01/02/2024,plan,01/06/2024,01/06/2024,,,yes,,,,,,\n"
    "M1,03/01/2024,assess,01/02/2024,,,,initial,yes,,,,,,,\n"
    "M2,04/01/2024,assess,01/02/2024,W,20/03/2024,,,936,,,,,,,\n"
    "R1,05/01/2024,assess,01/02/2024,plan,01/05/2024,01/05/2024,re-assessment,,,1,,,,,\n"
    "C1,06/01/2023,assess,01/02/2023,plan,01/05/2023,01/05/2023,,,,,,01/06/2024,5,,\n"
    "U1,07/01/2024,A,,not yet decided,,,,,,,,,,,\n"
)


def test_journey_columns_read_every_state():
    result = cases_from(JOURNEY_FILE)
    assert result.errors == []
    cases = {row.case_ref: row for row in result.rows}
    assert cases["H1"] == case(
        "H1",
        None,
        decision="historical",
        assessment_outcome="historical",
        final_plan_date=date(2019, 3, 1),
        transferred_in_from="936",
        phase_transfer_due_date=date(2025, 2, 15),  # a deadline: after today is allowed
        phase_transfer_final_date=date(2024, 2, 14),
    )
    assert (cases["O1"].decision, cases["O1"].request_tribunal, cases["O1"].assessment_outcome) == (
        "not_assess",
        True,
        "plan",
    )
    assert cases["M1"].moved_out_to == "XXX"  # a plain yes: moved, to a council not known
    assert (cases["M2"].moved_out_to, cases["M2"].assessment_outcome) == ("936", "withdrawn")
    assert (cases["R1"].request_type, cases["R1"].assessment_mediation) == ("reassessment", True)
    assert (cases["C1"].cease_date, cases["C1"].cease_reason) == (date(2024, 6, 1), "5")
    assert (cases["U1"].decision, cases["U1"].assessment_outcome) == (None, None)
    assert cases["U1"].request_type == "initial"


def test_journey_columns_refuse_values_they_cannot_read():
    result = cases_from(
        "case_ref,request_date,request_type,moved_out_to,cease_reason,cease_date,request_mediation\n"
        "A,01/03/2024,sometimes,12,10,01/05/2025,perhaps\n"
        "B,,,,,,\n"
    )
    assert [(error.row, error.column, error.message) for error in result.errors] == [
        (2, "request_type", "Enter a request type of initial or reassessment"),
        (2, "moved_out_to", "Enter the council's 3-digit DfE code, like 805, or XXX when it is not known"),
        (2, "cease_reason", "Enter a cease reason as an SEN2 code from 1 to 9"),
        (2, "cease_date", "Cease date must be today or in the past"),
        (2, "request_mediation", "Enter yes or no"),
        (3, "request_date", "Enter the request date (only a historical case may leave it blank)"),
    ]


def test_a_plan_after_a_refusal_without_mediation_or_tribunal_is_still_refused():
    result = cases_from("case_ref,request_date,decision,final_plan_date\nA,01/03/2024,not_assess,01/06/2024\n")
    assert [error.message for error in result.errors] == [PLAN_NEEDS_ASSESS]


def test_review_file_reads_the_amendment_dates():
    result = read_reviews(
        b"case_ref,meeting_date,decision_date,outcome,ReviewDraft,amendment_notice_date,amended_plan_date\n"
        b"A,01/02/2024,20/02/2024,amend,20/02/2024,20/02/2024,16/04/2024\n",
        today=TODAY,
    )
    assert result.errors == []
    assert result.rows == [
        Review(
            "A", date(2024, 2, 1), date(2024, 2, 20), "amend", date(2024, 2, 20), date(2024, 2, 20), date(2024, 4, 16)
        )
    ]
