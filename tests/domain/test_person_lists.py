"""Every rule of the person-level lists check, each with a failing and a passing example."""

from __future__ import annotations

import json
from datetime import date

import pytest

from inspect_app.domain.person_lists import (
    RULES,
    CaseCounts,
    SheetInput,
    check_lists,
    cross_check,
    load_template,
    uln_valid,
    upn_check_letter,
    window_start,
)
from tests.person_list_data import LIST_1, LIST_2, list_1_row, list_2_row, make_uln, make_upn, sheet

AS_OF = date(2025, 6, 1)
NAMES_1 = [column.name for column in LIST_1.columns]


def codes(sheets):
    return {issue.code for issue in check_lists(sheets, as_of=AS_OF).issues}


def one(spec_rows):
    return [sheet(spec, rows) for spec, rows in spec_rows]


# rule code -> the sheets that break it (every other rule passes on the base rows)
FAILING = {
    "L01": lambda: [SheetInput("Notes", ("Owner", "Date"), (("x", "y"),))],
    "L02": lambda: one([(LIST_1, [list_1_row()]), (LIST_1, [list_1_row()])]),
    "C01": lambda: [sheet(LIST_1, [list_1_row()], header=NAMES_1[:-1] + ["Disabled"])],
    "C02": lambda: [sheet(LIST_1, [list_1_row()], header=[n.replace("\u2013", "-") for n in NAMES_1])],
    "C03": lambda: [SheetInput("List_1", (*NAMES_1, "Caseworker"), (tuple(list_1_row().values()) + ("Someone",),))],
    "C04": lambda: [
        SheetInput(
            "List_1",
            (NAMES_1[1], NAMES_1[0], *NAMES_1[2:]),
            ((lambda r: (r[1], r[0], *r[2:]))(tuple(list_1_row().values())),),
        )
    ],
    "V01": lambda: one([(LIST_1, [list_1_row(gender="Boy")])]),
    "V02": lambda: one([(LIST_1, [list_1_row(ethnicity="WBRI")])]),
    "F01": lambda: one([(LIST_1, [list_1_row(initial_plan_date="2020-02-30")])]),
    "F02": lambda: one([(LIST_1, [list_1_row(main_urn="12345")])]),
    "F03": lambda: one([(LIST_1, [list_1_row(upn="A12345")])]),
    "F04": lambda: one(
        [(LIST_1, [list_1_row(upn="Z801200001001" if make_upn("801200001001")[0] != "Z" else "Y801200001001")])]
    ),
    "F05": lambda: one([(LIST_1, [list_1_row(uln="1234567890")])]),
    "F06": lambda: one([(LIST_1, [list_1_row(suspensions="two")])]),
    "F07": lambda: one([(LIST_1, [list_1_row(absence="104")])]),
    "W01": lambda: one([(LIST_1, [list_1_row(initial_plan_date="01/06/2014")])]),
    "W02": lambda: one([(LIST_1, [list_1_row(last_review_date="01/03/2024")])]),
    "D01": lambda: one([(LIST_1, [list_1_row(), list_1_row(upn=make_upn("801200001002"))])]),
    "D02": lambda: one([(LIST_1, [list_1_row()]), (LIST_2, [list_2_row(upn=list_1_row()["upn"])])]),
    "X01": lambda: one([(LIST_1, [list_1_row(social_care_team="Early help")])]),
    "X02": lambda: one([(LIST_1, [list_1_row(known_to_social_care="a) Yes")])]),
    "X03": lambda: one([(LIST_1, [list_1_row(elective_home_education="a) Yes")])]),
    "X04": lambda: one([(LIST_1, [list_1_row(main_phase="")])]),
    "X05": lambda: one([(LIST_1, [list_1_row(unique_id="")])]),
    "101a": lambda: one([(LIST_1, [list_1_row(date_of_birth="")])]),
    "101b": lambda: one([(LIST_1, [list_1_row(gender="")])]),
    "101c": lambda: one([(LIST_1, [list_1_row(ethnicity="")])]),
    "101d": lambda: one([(LIST_1, [list_1_row(primary_need="")])]),
    "102a": lambda: one([(LIST_1, [list_1_row(date_of_birth="01/01/2000")])]),
    "102b": lambda: one([(LIST_1, [list_1_row(date_of_birth="01/01/1999")])]),
    "103": lambda: one([(LIST_1, [list_1_row(disability="")])]),
    "105a": lambda: one([(LIST_1, [list_1_row(date_of_birth="02/06/2025")])]),
    "105b": lambda: one(
        [(LIST_1, [list_1_row(initial_plan_date="02/06/2025", updated_plan_date="", last_review_date="")])]
    ),
    "105c": lambda: one([(LIST_1, [list_1_row(updated_plan_date="02/06/2025")])]),
    "105d": lambda: one([(LIST_1, [list_1_row(last_review_date="02/06/2025")])]),
    "106a": lambda: one([(LIST_1, [list_1_row(updated_plan_date="01/01/2020")])]),
    "106b": lambda: one([(LIST_1, [list_1_row(initial_plan_date="01/02/2025", updated_plan_date="")])]),
    "107": lambda: one([(LIST_1, [list_1_row(upn="", uln="")])]),
    "108a": lambda: one([(LIST_1, [list_1_row(main_urn="", main_phase="")])]),
    "108b": lambda: one([(LIST_1, [list_1_row(main_urn="", main_phase="", subsidiary_phase="g) Special")])]),
    "109": lambda: one([(LIST_1, [list_1_row(), list_1_row(unique_id="QZ-100002")])]),
    "201a": lambda: one([(LIST_2, [list_2_row(date_of_birth="")])]),
    "201b": lambda: one([(LIST_2, [list_2_row(gender="")])]),
    "201c": lambda: one([(LIST_2, [list_2_row(ethnicity="")])]),
    "201d": lambda: one([(LIST_2, [list_2_row(primary_need="")])]),
    "202a": lambda: one([(LIST_2, [list_2_row(date_of_birth="31/05/2000")])]),
    "202b": lambda: one([(LIST_2, [list_2_row(date_of_birth="31/05/1999")])]),
    "203": lambda: one([(LIST_2, [list_2_row(disability="")])]),
    "205a": lambda: one([(LIST_2, [list_2_row(date_of_birth="01/01/2030")])]),
    "207": lambda: one([(LIST_2, [list_2_row(upn="", uln="")])]),
    "208a": lambda: one([(LIST_2, [list_2_row(main_urn="", main_phase="")])]),
    "208b": lambda: one([(LIST_2, [list_2_row(main_urn="", main_phase="", subsidiary_phase="b) Primary")])]),
    "209": lambda: one([(LIST_2, [list_2_row(), list_2_row(unique_id="QZ-200002")])]),
}


def test_every_rule_has_a_failing_example():
    assert set(FAILING) == set(RULES)


def test_the_passing_example_breaks_no_rule():
    result = check_lists(one([(LIST_1, [list_1_row()]), (LIST_2, [list_2_row()])]), as_of=AS_OF)
    assert result.issues == []
    assert result.ok
    assert [len(checked.rows) for checked in result.lists] == [1, 1]


@pytest.mark.parametrize("code", sorted(FAILING))
def test_rule_fails_on_its_example(code):
    found = codes(FAILING[code]())
    assert code in found


def test_rules_name_the_list_row_and_column():
    rows = [list_1_row(), list_1_row(unique_id="QZ-100002", upn=make_upn("801200001003"), main_urn="1234")]
    result = check_lists(one([(LIST_1, rows)]), as_of=AS_OF)
    [issue] = result.issues
    assert (issue.code, issue.list_id, issue.row, issue.column) == (
        "F02",
        "list_1",
        3,
        "Main education establishment – URN",
    )
    assert issue.severity == "error" and not result.ok


def test_queries_do_not_stop_the_lists_being_sent():
    result = check_lists(one([(LIST_1, [list_1_row(ethnicity="WBRI")])]), as_of=AS_OF)
    assert [issue.code for issue in result.issues] == ["V02"]
    assert result.ok
    assert result.lists[0].rows[0]["ethnicity"] == "a) WBRI"  # the clean file gets the template's spelling


def test_codes_match_whatever_the_case_and_spacing():
    result = check_lists(
        one([(LIST_1, [list_1_row(gender="  A)  MALE ", main_phase="H) PUPIL REFERRAL UNIT/ALTERNATIVE PROVISION")])]),
        as_of=AS_OF,
    )
    assert result.issues == []
    assert result.lists[0].rows[0]["main_phase"] == "h) Pupil referral unit/Alternative provision"


def test_real_date_cells_and_day_first_text_both_read():
    result = check_lists(
        one([(LIST_1, [list_1_row(date_of_birth=date(2014, 3, 14), initial_plan_date="3/2/2020")])]), as_of=AS_OF
    )
    assert result.issues == []
    assert result.lists[0].rows[0]["initial_plan_date"] == date(2020, 2, 3)


def test_a_misnamed_column_is_still_read():
    header = [name.replace("\u2013", "-") for name in NAMES_1]
    result = check_lists([sheet(LIST_1, [list_1_row(main_urn="12")], header=header)], as_of=AS_OF)
    assert {issue.code for issue in result.issues} == {"C02", "F02"}


def test_an_age_exactly_25_is_a_query_and_26_an_error():
    assert RULES["102a"].severity == "query" and RULES["102b"].severity == "error"
    assert "102a" not in codes(one([(LIST_1, [list_1_row(date_of_birth="02/06/2000")])]))  # 24 on 1 June 2025


def test_aged_under_6_needs_no_pupil_number():
    assert "107" not in codes(one([(LIST_1, [list_1_row(date_of_birth="01/01/2020", upn="", uln="")])]))
    assert "107" not in codes(one([(LIST_1, [list_1_row(upn="", uln=make_uln("123456789"))])]))


def test_establishment_rules_apply_from_5_to_16_only():
    assert "108a" not in codes(one([(LIST_1, [list_1_row(date_of_birth="01/01/2007", main_urn="", main_phase="")])]))
    assert "108a" not in codes(
        one([(LIST_1, [list_1_row(main_urn="", main_phase="", elective_home_education="a) Yes")])])
    )


def test_lists_are_recognised_by_their_columns_when_the_sheet_name_says_nothing():
    result = check_lists(
        [sheet(LIST_2, [list_2_row()], source="Sheet1"), sheet(LIST_1, [list_1_row()], source="Sheet2")], as_of=AS_OF
    )
    assert [checked.spec.id for checked in result.lists] == ["list_1", "list_2"]
    assert result.issues == []


def test_csv_files_are_recognised_by_their_names():
    result = check_lists([sheet(LIST_1, [list_1_row()], source="annex-a list 1 ehcp.csv")], as_of=AS_OF)
    assert result.lists[0].spec.id == "list_1"


def test_blank_rows_are_skipped():
    result = check_lists(one([(LIST_1, [list_1_row(), dict.fromkeys(list_1_row(), "")])]), as_of=AS_OF)
    assert result.issues == [] and len(result.lists[0].rows) == 1


def test_the_summary_keeps_codes_rows_and_counts_but_no_value():
    rows = [list_1_row(unique_id="QZ-777001", upn="BADUPN", date_of_birth="31/02/2014", social_care_team="Kestrel")]
    result = check_lists(one([(LIST_1, rows)]), as_of=AS_OF)
    summary = result.summary()
    text = json.dumps(summary)
    for value in ("QZ-777001", "BADUPN", "31/02/2014", "Kestrel"):
        assert value not in text
    assert summary["errors"] == len(result.errors)
    assert {"code": "F03", "severity": "error", "list": "list_1", "column": "UPN", "count": 1, "rows": [2]} in summary[
        "rules"
    ]


def test_upn_check_letter_and_uln_check_digit():
    upn = make_upn("801200001001")
    assert upn_check_letter(upn) == upn[0]
    assert uln_valid(make_uln("123456789")) and not uln_valid("1234567890") and not uln_valid("12345")


def test_the_template_version_is_data():
    template = load_template()
    assert template.id == "annex-a-2023" and "June 2025" in template.note
    assert LIST_1.column("main_urn").name == "Main education establishment \u2013 URN"
    assert "DS" not in " ".join(LIST_1.column("primary_need").values)


def test_cross_check_explains_differences_with_the_case_data():
    rows = [list_1_row(unique_id=f"QZ-{n}", upn=make_upn(f"8012000010{n:02d}")) for n in range(3)]
    rows.append(
        list_1_row(
            unique_id="QZ-new",
            upn=make_upn("801200001099"),
            initial_plan_date="01/04/2025",
            updated_plan_date="",
            last_review_date="",
        )
    )
    result = check_lists(one([(LIST_1, rows)]), as_of=AS_OF)
    counts = CaseCounts(
        as_of=AS_OF,
        window_start=window_start(AS_OF),
        cases=40,
        earliest_request=date(2021, 1, 4),
        plans_issued=6,
        plans_issued_in_window=1,
        requests_in_window=9,
        requests_in_window_with_plan=1,
    )
    lines = {line.key: line for line in cross_check(result, counts)}
    assert (lines["active_plans"].list_count, lines["active_plans"].case_count, lines["active_plans"].difference) == (
        4,
        6,
        -2,
    )
    assert "ceased" in lines["active_plans"].explanation
    assert (
        lines["new_plans_in_window"].difference == 0 and lines["new_plans_in_window"].explanation == "The counts agree."
    )
    assert lines["requests_in_window"].list_count is None and "1 of these" in lines["requests_in_window"].explanation
    assert window_start(date(2025, 8, 31)) == date(2025, 2, 28)


def test_no_case_data_means_no_cross_check():
    result = check_lists(one([(LIST_1, [list_1_row()])]), as_of=AS_OF)
    empty = CaseCounts(AS_OF, window_start(AS_OF), 0, None, 0, 0, 0, 0)
    assert cross_check(result, empty) == ()
