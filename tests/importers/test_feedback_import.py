import csv
import io
import re
from datetime import date, datetime
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook

from inspect_app.domain.errors import ValidationFailed
from inspect_app.domain.feedback import (
    ColumnRole,
    SurveyItem,
    SurveyMapping,
    mapping_from_yaml,
    mapping_to_yaml,
    summarise_criteria,
    summarise_items,
)
from inspect_app.importers.common import FileRejected, RowError, read_table
from inspect_app.importers.feedback import (
    combine_surveymonkey_headers,
    detect_source,
    parse_timestamp,
    read_feedback,
    read_survey_export,
    respondent_key,
    suggest_mapping,
    suggest_mapping_for_file,
)

FILES = Path(__file__).resolve().parents[1] / "fixtures" / "files" / "feedback"

Q_EARLY = "My child's special educational needs were identified early enough"
Q_LISTENED = "I was listened to when my child's EHC plan was written"
GRID = "How far do you agree with the following statements?"
Q_TEXT = "Is there anything else you would like to tell us about the support your family gets?"

SURVEY_ITEMS = [
    SurveyItem("fam_needs_identified_early", "EXP1", "special educational needs were identified early"),
    SurveyItem("fam_listened_to_in_plan", "EXP2", "I was listened to when my child's EHC plan was written"),
    SurveyItem("fam_help_at_right_time", "EXP3", "got the help they needed at the right time"),
    SurveyItem("fam_prepared_next_steps", "EXP4", "prepared well for their next steps"),
    SurveyItem("fam_included_community", "EXP5", "included in activities in our local community"),
]
NO_REDACTIONS = {"email": 0, "upn": 0, "ni_number": 0, "phone": 0, "nhs_number": 0, "postcode": 0, "name": 0}

# Personal details written into the fixtures (make_fixtures.py): none may reach a response.
PERSONAL_STRINGS = [
    "Siobhan Kerrigan",
    "s.kerrigan@example.com",
    "Olumide Adeyemi",
    "o.adeyemi@example.com",
    "Gareth Llewellyn",
    "g.llewellyn@example.com",
    "Priyanka",
    "Raghunathan",
    "priyanka.r@example.org",
    "Tomasz",
    "Wisniewski",
    "tomasz.w@example.org",
    "dev.parent@example.com",
    "kemi.o@example.org",
    "hello.family@example.com",
    "@example.",
    "07700",
    "0117 496",
    "020 7946",
    "943 476 5919",
    "4505577104",
    "A805200123456",
    "BS1 4DJ",
    "LS6 2QW",
    "m13 9pl",
    "203.0.113.",
    "198.51.100.",
    "114563282900",
]
PERSONAL_WORDS = ["Siobhan", "Kerrigan", "Olumide", "Adeyemi", "Gareth", "Llewellyn", "anonymous"]


def suggested(name: str):
    export = read_survey_export(FILES / name)
    return export, suggest_mapping(export.frame, SURVEY_ITEMS)


def assert_nothing_personal(result) -> None:
    text = repr(result)
    for value in PERSONAL_STRINGS:
        assert value not in text
    for word in PERSONAL_WORDS:
        assert not re.search(rf"\b{word}\b", text, re.IGNORECASE), word
    assert not re.search(r"parent\d\d@", text)


def item(result, key):
    return next(summary for summary in summarise_items(result.rows) if summary.key == key)


# --- Detecting the tool ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "source"),
    [
        ("microsoft_forms.xlsx", "microsoft_forms"),
        ("google_forms.csv", "google_forms"),
        ("surveymonkey.csv", "surveymonkey"),
        ("surveymonkey.xlsx", "surveymonkey"),
        ("smartsurvey.csv", "smartsurvey"),
    ],
)
def test_detect_source_names_the_tool_from_the_header_row(name, source):
    assert detect_source(read_table(FILES / name)) == source
    assert read_survey_export(FILES / name).source == source


def test_detect_source_refuses_a_frame_from_a_tool_it_does_not_know():
    frame = pd.DataFrame(columns=["Response number", "Date submitted", Q_EARLY])

    with pytest.raises(FileRejected) as caught:
        detect_source(frame)

    assert caught.value.messages == [
        "The file is not a survey export this service can read. Export the responses from SurveyMonkey, "
        "SmartSurvey, Microsoft Forms or Google Forms without changing the column headings"
    ]


def test_detect_source_prefers_microsoft_forms_columns_over_a_question_called_timestamp():
    frame = pd.DataFrame(columns=["ID", "Start time", "Completion time", "Email", "Name", "Timestamp"])

    assert detect_source(frame) == "microsoft_forms"


# --- SurveyMonkey's two header rows ----------------------------------------------------------------------------


def test_combine_surveymonkey_headers_carries_the_question_over_blank_cells_and_adds_the_sub_question():
    questions = ["Respondent ID", "Q1", "Grid", "", "Q3", "", "Comments"]
    subs = ["", "Response", "Row A", "Row B", "Response", "Other (please specify)", "Open-Ended Response"]

    assert combine_surveymonkey_headers(questions, subs) == [
        "Respondent ID",
        "Q1",
        "Grid [Row A]",
        "Grid [Row B]",
        "Q3",
        "Q3 [Other (please specify)]",
        "Comments",
    ]


@pytest.mark.parametrize("name", ["surveymonkey.csv", "surveymonkey.xlsx"])
def test_read_survey_export_combines_surveymonkey_header_rows_into_one_name_per_column(name):
    export = read_survey_export(FILES / name)

    assert list(export.frame.columns[8:]) == [
        "Custom Data 1",
        Q_EARLY,
        Q_LISTENED,
        "My child got the help they needed at the right time",
        f"{GRID} [My child is being prepared well for their next steps]",
        f"{GRID} [My child is included in activities in our local community]",
        f"{GRID} [Services work well together to support my child]",
        "Which best describes you?",
        "How old is your child?",
        "What is your child's main area of need?",
        "What is your child's main area of need? [Other (please specify)]",
        "Where does your child go to school or college?",
        Q_TEXT,
    ]
    assert export.frame.index[0] == 3  # rows 1 and 2 are the header
    assert len(export.frame) == 32


def test_surveymonkey_csv_and_xlsx_exports_give_the_same_responses():
    csv_export, mapping = suggested("surveymonkey.csv")
    xlsx_export = read_survey_export(FILES / "surveymonkey.xlsx")

    from_csv = read_feedback(csv_export, mapping)
    from_xlsx = read_feedback(xlsx_export, mapping)

    assert from_csv.ok and from_xlsx.ok
    assert from_csv.rows == from_xlsx.rows
    assert from_csv.rows[0].submitted_at == datetime(2024, 6, 4, 8, 53, 58)


# --- Suggested mappings ----------------------------------------------------------------------------------------


def test_suggest_mapping_proposes_roles_for_a_microsoft_forms_export():
    _, mapping = suggested("microsoft_forms.xlsx")

    assert mapping.columns == {
        "ID": ColumnRole.ignore(),
        "Start time": ColumnRole.ignore(),
        "Completion time": ColumnRole.ignore(),
        "Email": ColumnRole.ignore(),
        "Name": ColumnRole.ignore(),
        "Last modified time": ColumnRole.ignore(),
        "My child\u2019s special educational needs were identified early enough": ColumnRole.likert(
            "fam_needs_identified_early", "EXP1"
        ),
        "I was listened to when my child\u2019s EHC plan was written": ColumnRole.likert(
            "fam_listened_to_in_plan", "EXP2"
        ),
        "My child got the help they needed at the right time": ColumnRole.likert("fam_help_at_right_time", "EXP3"),
        "My child is being prepared well for their next steps": ColumnRole.likert("fam_prepared_next_steps", "EXP4"),
        "My child is included in activities in our local community": ColumnRole.likert(
            "fam_included_community", "EXP5"
        ),
        "Services work well together to support my child": ColumnRole.likert(
            "services_work_well_together_to_support_my_child"
        ),
        "Which best describes you?": ColumnRole.group("role"),
        "How old is your child?": ColumnRole.group("age_band"),
        "What is your child\u2019s main area of need?": ColumnRole.group("need"),
        Q_TEXT: ColumnRole.free_text(),
    }


def test_suggest_mapping_ignores_personal_columns_and_proposes_groups_for_surveymonkey():
    _, mapping = suggested("surveymonkey.csv")

    ignored = mapping.columns_with_role("ignore")
    assert ignored == [
        "Respondent ID",
        "Collector ID",
        "Start Date",
        "End Date",
        "IP Address",
        "Email Address",
        "First Name",
        "Last Name",
        "Custom Data 1",
        "What is your child's main area of need? [Other (please specify)]",
    ]
    groups = {name: mapping.columns[name].group_kind for name in mapping.columns_with_role("group")}
    assert groups == {
        "Which best describes you?": "role",
        "How old is your child?": "age_band",
        "What is your child's main area of need?": "need",
        "Where does your child go to school or college?": "setting",
    }
    assert mapping.columns_with_role("free_text") == [Q_TEXT]


def test_suggest_mapping_takes_a_mostly_on_scale_column_as_likert_so_odd_answers_surface_as_errors():
    export = read_survey_export(FILES / "bad_answers.csv")

    mapping = suggest_mapping(export.frame, SURVEY_ITEMS)

    assert mapping.columns[Q_EARLY] == ColumnRole.likert("fam_needs_identified_early", "EXP1")
    assert mapping.columns["Timestamp"] == ColumnRole.ignore()


def test_suggest_mapping_accepts_question_bank_entries_as_dicts_and_matches_ids_in_headers():
    frame = pd.DataFrame(
        {
            "Timestamp": ["2024-06-03 10:00:00"] * 3,
            "fam_help_at_right_time - help came at the right time": ["Agree", "Disagree", "N/A"],
            "Your email address": ["a@example.com", "b@example.com", "c@example.com"],
            "Contact information [Phone Number]": ["07700 900123", "", ""],
            "Favourite colour": ["Blue", "Red", "Blue"],
        }
    )

    mapping = suggest_mapping(frame, [{"id": "fam_help_at_right_time", "audience": "parent", "criterion": "EXP3"}])

    assert mapping.columns == {
        "Timestamp": ColumnRole.ignore(),
        "fam_help_at_right_time - help came at the right time": ColumnRole.likert("fam_help_at_right_time", "EXP3"),
        "Your email address": ColumnRole.ignore(),
        "Contact information [Phone Number]": ColumnRole.ignore(),
        "Favourite colour": ColumnRole.ignore(),
    }


def test_suggest_mapping_matches_a_framework_statement_when_the_header_holds_it():
    frame = pd.DataFrame(
        {
            "UserID": ["1", "2"],
            "Started": ["05/06/2024 10:00:00"] * 2,
            "Ended": ["05/06/2024 10:05:00"] * 2,
            "Please tell us: My child gets the right help at the right time": ["Agree", "Disagree"],
        }
    )
    items = [
        {
            "id": "fam_help_at_right_time",
            "audience": "parents_carers",
            "statement": "My child gets the right help at the right time.",
            "criterion": "EXP3",
        }
    ]

    mapping = suggest_mapping(frame, items)

    assert mapping.columns["Please tell us: My child gets the right help at the right time"] == ColumnRole.likert(
        "fam_help_at_right_time", "EXP3"
    )
    assert mapping.columns_with_role("ignore") == ["UserID", "Started", "Ended"]


def test_suggest_mapping_for_file_returns_the_tool_and_the_mapping():
    source, mapping = suggest_mapping_for_file(FILES / "smartsurvey.csv", SURVEY_ITEMS)

    assert source == "smartsurvey"
    assert mapping == suggested("smartsurvey.csv")[1]


def test_suggested_mapping_survives_a_yaml_round_trip_and_imports_the_same():
    export, mapping = suggested("smartsurvey.csv")

    again = mapping_from_yaml(mapping_to_yaml(mapping))

    assert again == mapping
    assert read_feedback(export, again).rows == read_feedback(export, mapping).rows


# --- Importing each tool's export ------------------------------------------------------------------------------


def test_read_feedback_imports_a_microsoft_forms_export():
    export, mapping = suggested("microsoft_forms.xlsx")

    result = read_feedback(export, mapping)

    assert result.ok
    assert (result.source, result.respondents) == ("microsoft_forms", 30)
    assert sum(len(r.answers) for r in result.rows) == 170
    assert sum(len(r.comments) for r in result.rows) == 17
    assert result.redactions == NO_REDACTIONS | {"email": 1, "phone": 1, "nhs_number": 1, "postcode": 1, "name": 1}
    assert result.dropped_columns == ["ID", "Start time", "Email", "Name", "Last modified time"]
    assert result.notes == []
    services = item(result, "services_work_well_together_to_support_my_child")
    # Agree 4, Disagree 6, Neutral 4, Strongly agree 6, Strongly disagree 3, Don’t know (curly) 5
    assert (services.stats.n, services.stats.dont_know, services.stats.counts["neither"]) == (23, 5, 4)
    assert (services.stats.agree, services.stats.agree_pct) == (10, 43.5)
    first = result.rows[0]
    assert first.respondent_key == respondent_key("microsoft_forms", "1")
    assert first.submitted_at == datetime(2024, 6, 3, 10, 1, 58)
    assert type(first.submitted_at) is datetime
    assert first.groups == {"role": "Parent or carer", "age_band": "5 to 10", "need": "Autism"}
    named = result.rows[1].comments[0]
    assert named.text_redacted == "[name removed] here. Please ring me on [phone number removed] about the review."
    assert_nothing_personal(result)


def test_read_feedback_imports_a_google_forms_export_with_the_example_yaml_mapping():
    mapping = mapping_from_yaml((FILES / "google_forms_mapping.yml").read_text(encoding="utf-8"))

    result = read_feedback(FILES / "google_forms.csv", mapping)

    assert result.ok
    assert (result.source, result.respondents) == ("google_forms", 36)
    assert sum(len(r.answers) for r in result.rows) == 208
    assert sum(len(r.comments) for r in result.rows) == 26
    assert result.redactions == NO_REDACTIONS | {"email": 1, "upn": 1, "phone": 2, "postcode": 1}
    early = item(result, "fam_needs_identified_early")
    # Strongly agree 7, Agree 12, Neither 6, Disagree 5, Strongly disagree 3, Don't know 1
    assert early.stats.counts == {"strongly_agree": 7, "agree": 12, "neither": 6, "disagree": 5, "strongly_disagree": 3}
    assert (early.stats.n, early.stats.dont_know, early.stats.agree_pct) == (33, 1, 57.6)
    assert [s.criterion for s in summarise_criteria(result.rows)] == ["EXP1", "EXP2", "EXP3", "EXP4", "EXP5"]
    assert result.rows[0].submitted_at == datetime(2024, 6, 3, 10, 3, 26)
    assert result.rows[0].comments[0].criterion == "EXP3"
    assert result.rows[0].comments[0].text_redacted == (
        "You can call [phone number removed] or [phone number removed] any weekday."
    )
    assert len({r.respondent_key for r in result.rows}) == 36
    assert_nothing_personal(result)


@pytest.mark.parametrize("name", ["surveymonkey.csv", "surveymonkey.xlsx"])
def test_read_feedback_imports_a_surveymonkey_export(name):
    export, mapping = suggested(name)

    result = read_feedback(export, mapping)

    assert result.ok
    assert (result.source, result.respondents) == ("surveymonkey", 32)
    assert sum(len(r.answers) for r in result.rows) == 181
    assert sum(len(r.comments) for r in result.rows) == 17
    assert result.redactions == NO_REDACTIONS | {"phone": 1, "nhs_number": 1, "postcode": 1, "name": 2}
    community = item(result, "fam_included_community")
    # Strongly agree 5, Agree 6, Neither 2, Disagree 10, Strongly disagree 6, Not applicable 2
    assert (community.stats.n, community.stats.not_applicable, community.stats.agree) == (29, 2, 11)
    assert result.rows[0].respondent_key == respondent_key("surveymonkey", "114563282900")
    assert result.rows[2].comments[0].text_redacted == (
        "Thanks, [name removed] [name removed]. Mobile [phone number removed]."
    )
    assert result.rows[9].groups["need"] == "Other (please specify)"
    assert_nothing_personal(result)


def test_read_feedback_imports_a_smartsurvey_export():
    export, mapping = suggested("smartsurvey.csv")

    result = read_feedback(export, mapping)

    assert result.ok
    assert (result.source, result.respondents) == ("smartsurvey", 28)
    assert sum(len(r.answers) for r in result.rows) == 164
    assert sum(len(r.comments) for r in result.rows) == 18
    assert result.redactions == NO_REDACTIONS | {"email": 1, "phone": 1}
    help_in_time = item(result, "fam_help_at_right_time")
    # Strongly agree 2, Agree 13, Neither 3, Disagree 7, Strongly disagree 2, Don't know 1
    assert (help_in_time.stats.n, help_in_time.stats.agree, help_in_time.stats.agree_pct) == (27, 15, 55.6)
    assert result.rows[0].submitted_at == datetime(2024, 6, 5, 10, 22, 57)  # 05/06/2024 is 5 June
    texts = [comment.text_redacted for row in result.rows for comment in row.comments]
    assert "We are in Year 6 and the Y6 2nd term review was missed." in texts
    assert_nothing_personal(result)


def test_read_feedback_gives_the_same_keys_when_the_same_file_is_imported_again():
    export, mapping = suggested("google_forms.csv")

    first = [r.respondent_key for r in read_feedback(export, mapping).rows]
    second = [r.respondent_key for r in read_feedback(FILES / "google_forms.csv", mapping).rows]

    assert first == second


def test_google_forms_xlsx_and_csv_exports_give_the_same_responses():
    rows = list(csv.reader((FILES / "google_forms.csv").read_text(encoding="utf-8").splitlines()))
    workbook = Workbook()
    workbook.active.append(rows[0])
    for row in rows[1:]:
        stamp = parse_timestamp(row[0], "google_forms")
        workbook.active.append([stamp, *[value or None for value in row[1:]]])
    buffer = io.BytesIO()
    workbook.save(buffer)
    mapping = mapping_from_yaml((FILES / "google_forms_mapping.yml").read_text(encoding="utf-8"))

    from_xlsx = read_feedback(buffer.getvalue(), mapping)

    assert from_xlsx.ok
    assert from_xlsx.rows == read_feedback(FILES / "google_forms.csv", mapping).rows


def test_respondent_key_is_a_hash_not_the_id():
    key = respondent_key("surveymonkey", "114563282900")

    assert re.fullmatch(r"[0-9a-f]{32}", key)
    assert key != respondent_key("smartsurvey", "114563282900")
    assert "114563282900" not in key


# --- Bad files -------------------------------------------------------------------------------------------------

BAD_MAPPING = SurveyMapping(
    columns={
        Q_EARLY: ColumnRole.likert("fam_needs_identified_early", "EXP1"),
        Q_LISTENED: ColumnRole.likert("fam_listened_to_in_plan", "EXP2"),
        f"{GRID} [My child is being prepared well for their next steps]": ColumnRole.likert(criterion="EXP4"),
        "Which best describes you?": ColumnRole.group("role"),
        Q_TEXT: ColumnRole.free_text(),
    }
)


def test_read_feedback_reports_every_answer_not_on_the_scale_with_row_column_and_value():
    result = read_feedback(FILES / "bad_answers.csv", BAD_MAPPING)

    assert not result.ok
    assert [(e.row, e.column, e.value) for e in result.errors] == [
        (3, Q_EARLY, "Somewhat agree"),
        (5, f"{GRID} [My child is being prepared well for their next steps]", "Mostly"),
    ]
    assert result.errors[0].message == (
        "This answer is not on the agree scale. Add 'Somewhat agree' to the mapping's answers with the scale "
        "point it means (Strongly agree, Agree, Neither agree nor disagree, Disagree, Strongly disagree, "
        "Don't know or Not applicable)"
    )
    assert str(result.errors[1]).startswith(
        f"Row 5, column {GRID} [My child is being prepared well for their next steps] (value 'Mostly'): "
    )


def test_read_feedback_redacts_the_value_shown_in_an_error_when_a_comment_is_mapped_as_likert():
    mapping = SurveyMapping(columns={Q_TEXT: ColumnRole.likert(criterion="EXP3")})

    result = read_feedback(FILES / "google_forms.csv", mapping)

    assert result.errors[0].row == 2
    assert result.errors[0].value == "You can call [phone number removed] or [phone number removed] any weekday."
    assert "7700" not in repr(result.errors)
    assert result.redactions == NO_REDACTIONS


def test_read_feedback_accepts_the_file_when_the_mapping_places_the_odd_wordings():
    mapping = SurveyMapping(columns=BAD_MAPPING.columns, answers={"Somewhat agree": "agree", "mostly": "agree"})

    result = read_feedback(FILES / "bad_answers.csv", mapping)

    assert result.ok
    assert result.respondents == 5
    assert result.rows[4].answers[0].point == "strongly_agree"  # " STRONGLY  AGREE "
    assert [a.point for a in result.rows[4].answers[1:]] == ["not_applicable", "disagree"]


def test_read_feedback_counts_rows_from_three_when_surveymonkey_has_two_header_rows():
    lines = (FILES / "surveymonkey.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    lines[3] = lines[3].replace(",Disagree,Strongly disagree,Agree,", ",Somewhat agree,Strongly disagree,Agree,", 1)
    _, mapping = suggested("surveymonkey.csv")

    result = read_feedback("".join(lines).encode(), mapping)

    assert [(e.row, e.column, e.value) for e in result.errors] == [(4, Q_EARLY, "Somewhat agree")]


def test_read_feedback_rejects_the_file_when_a_mapped_column_is_missing():
    mapping = SurveyMapping(
        columns={
            Q_EARLY: ColumnRole.likert(criterion="EXP1"),
            "Did you get a copy of the plan?": ColumnRole.likert(criterion="EXP2"),
            "Postcode area": ColumnRole.group("setting"),
            "Not in the file but ignored": ColumnRole.ignore(),
        }
    )

    with pytest.raises(FileRejected) as caught:
        read_feedback(FILES / "google_forms.csv", mapping)

    assert caught.value.messages == [
        "The file has no column 'Did you get a copy of the plan?', which the mapping names",
        "The file has no column 'Postcode area', which the mapping names",
    ]


def test_read_feedback_matches_mapped_columns_ignoring_case_spacing_and_apostrophes():
    mapping = SurveyMapping(
        columns={
            "  my CHILD\u2019S special educational needs were identified  early enough": ColumnRole.likert(
                criterion="EXP1"
            )
        }
    )

    result = read_feedback(FILES / "google_forms.csv", mapping)

    assert result.ok
    assert result.rows[0].answers[0].column == Q_EARLY


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("empty.csv", "The file is empty"),
        ("headers_only.csv", "The file has no responses"),
        (
            "unknown_tool.csv",
            "The file is not a survey export this service can read. Export the responses from SurveyMonkey, "
            "SmartSurvey, Microsoft Forms or Google Forms without changing the column headings",
        ),
    ],
)
def test_read_feedback_rejects_a_file_it_cannot_read(name, message):
    with pytest.raises(FileRejected) as caught:
        read_feedback(FILES / name, BAD_MAPPING)

    assert caught.value.messages == [message]


def test_read_feedback_rejects_a_surveymonkey_file_with_only_its_first_header_row():
    first_line = (FILES / "surveymonkey.csv").read_text(encoding="utf-8").splitlines()[0]

    with pytest.raises(FileRejected, match="only one header row"):
        read_feedback(first_line.encode(), BAD_MAPPING)


@pytest.mark.parametrize("column", ["Email", "Name", "ID"])
def test_read_feedback_refuses_a_mapping_that_imports_a_personal_or_tool_column(column):
    mapping = SurveyMapping(columns={column: ColumnRole.free_text()})

    with pytest.raises(ValidationFailed) as caught:
        read_feedback(FILES / "microsoft_forms.xlsx", mapping)

    assert caught.value.messages == [
        f"Column {column!r} holds the survey tool's or a person's details and can only be ignored"
    ]


SMARTSURVEY_HEADER = "UserID,IP Address,Started,Ended,I feel listened to,Any comments?\n"


def test_read_feedback_reports_a_repeated_or_missing_response_id():
    data = SMARTSURVEY_HEADER + (
        "501,198.51.100.1,05/06/2024 10:00:00,05/06/2024 10:05:00,Agree,\n"
        "501,198.51.100.2,05/06/2024 11:00:00,05/06/2024 11:05:00,Disagree,\n"
        ",198.51.100.3,05/06/2024 12:00:00,05/06/2024 12:05:00,Agree,\n"
    )
    mapping = SurveyMapping(columns={"I feel listened to": ColumnRole.likert(criterion="EXP2")})

    result = read_feedback(data.encode(), mapping)

    assert result.errors == [
        RowError(3, "UserID", "501", "This UserID is also in row 2: each response must appear once"),
        RowError(4, "UserID", "", "The response has no UserID"),
    ]
    assert result.respondents == 1


def test_read_feedback_skips_blank_answers_and_empty_responses_and_notes_unreadable_times():
    data = SMARTSURVEY_HEADER + (
        "601,198.51.100.1,05/06/2024 10:00:00,06/14/2024 10:05:00,Agree,\n"
        "602,198.51.100.2,05/06/2024 11:00:00,05/06/2024 11:05:00,,\n"
        "603,198.51.100.3,05/06/2024 12:00:00,05/06/2024 12:05:00,,Call me on 07700 900123\n"
        ",,,,,\n"
    )
    mapping = SurveyMapping(
        columns={
            "I feel listened to": ColumnRole.likert(criterion="EXP2"),
            "Any comments?": ColumnRole.free_text("EXP2"),
        }
    )

    result = read_feedback(data.encode(), mapping)

    assert result.ok
    assert result.respondents == 2
    assert result.rows[0].submitted_at is None  # 06/14/2024 is month first: not guessed
    assert result.rows[1].answers == ()
    assert result.rows[1].comments[0].text_redacted == "Call me on [phone number removed]"
    assert result.notes == [
        "1 response(s) had no answers and were skipped",
        "The submission time could not be read in 1 row(s) (2); those responses are imported without one",
    ]
    assert result.dropped_columns == ["UserID", "IP Address", "Started"]


def test_read_feedback_notes_a_question_column_left_out_of_the_mapping():
    mapping = SurveyMapping(columns={Q_EARLY: ColumnRole.likert(criterion="EXP1")})

    result = read_feedback(FILES / "bad_answers.csv", mapping)

    assert result.notes == [
        "4 column(s) are not in the mapping and were not imported: "
        f"{Q_LISTENED}; {GRID} [My child is being prepared well for their next steps]; "
        f"Which best describes you?; {Q_TEXT}"
    ]


def test_read_survey_export_names_repeated_and_blank_headers_uniquely():
    data = "Timestamp,Any comments?,Any comments?,,Agree?\n2024-06-03 10:00:00,a,b,c,Agree\n"

    export = read_survey_export(data.encode())

    assert list(export.frame.columns) == [
        "Timestamp",
        "Any comments?",
        "Any comments? (2)",
        "Unnamed column 4",
        "Agree?",
    ]


# --- Timestamps ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "source", "expected"),
    [
        ("2024/06/03 9:15:02 am GMT+1", "google_forms", datetime(2024, 6, 3, 9, 15, 2)),
        ("2024/06/03 1:05:51 PM GMT+01:00", "google_forms", datetime(2024, 6, 3, 13, 5, 51)),
        ("2024/06/03 13:05:51", "google_forms", datetime(2024, 6, 3, 13, 5, 51)),
        ("03/06/2024 13:05:51", "google_forms", datetime(2024, 6, 3, 13, 5, 51)),
        ("06/04/2024 02:48:11 PM", "surveymonkey", datetime(2024, 6, 4, 14, 48, 11)),
        ("05/06/2024 19:48:00", "smartsurvey", datetime(2024, 6, 5, 19, 48)),
        ("05/06/2024 07:48:00 PM", "smartsurvey", datetime(2024, 6, 5, 19, 48)),
        ("05/06/2024 19:48", "smartsurvey", datetime(2024, 6, 5, 19, 48)),
        ("2024-06-03T09:15:02Z", "microsoft_forms", datetime(2024, 6, 3, 9, 15, 2)),
        ("2024-06-03 09:15:02", "microsoft_forms", datetime(2024, 6, 3, 9, 15, 2)),
        (datetime(2024, 6, 3, 9, 15, 2), "microsoft_forms", datetime(2024, 6, 3, 9, 15, 2)),
        (date(2024, 6, 3), "microsoft_forms", datetime(2024, 6, 3)),
        ("", "smartsurvey", None),
    ],
)
def test_parse_timestamp_reads_each_tools_format(value, source, expected):
    assert parse_timestamp(value, source) == expected


@pytest.mark.parametrize(
    ("value", "source"), [("06/14/2024 10:00:00", "smartsurvey"), ("13/25/2024 10:00", "google_forms"), ("soon", "x")]
)
def test_parse_timestamp_refuses_to_guess_when_the_format_is_not_known(value, source):
    with pytest.raises(ValueError, match="unreadable timestamp"):
        parse_timestamp(value, source)
