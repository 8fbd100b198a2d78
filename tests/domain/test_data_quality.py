"""Data-quality findings: one test per code, and a clean record that raises none."""

from __future__ import annotations

from datetime import date

import pytest

from inspect_app.domain.cases import Case, Review
from inspect_app.domain.data_quality import FINDING_CODES, Finding, data_quality_findings

AS_OF = date(2025, 6, 30)


def clean_case(**overrides) -> Case:
    fields = {
        "case_ref": "C1",
        "request_date": date(2024, 1, 1),
        "decision": "assess",
        "decision_date": date(2024, 2, 1),
        "assessment_outcome": "plan",
        "assessment_outcome_date": date(2024, 4, 1),
        "final_plan_date": date(2024, 5, 1),
    }
    fields.update(overrides)
    return Case(**fields)


def codes(cases, reviews=(), as_of=AS_OF) -> list[str]:
    return [finding.code for finding in data_quality_findings(cases, reviews, as_of)]


def test_clean_case_and_reviews_raise_no_findings():
    reviews = [
        Review("C1", date(2025, 4, 1), date(2025, 4, 20), "maintain"),
        Review("C1", date(2025, 6, 1)),  # decision still to come
    ]
    assert data_quality_findings([clean_case()], reviews, AS_OF) == []


def test_undecided_request_raises_no_findings():
    assert codes([Case("C1", date(2025, 6, 1))]) == []


def test_not_assess_decision_raises_no_findings():
    assert codes([Case("C1", date(2025, 1, 1), date(2025, 2, 1), "not_assess")]) == []


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"decision_date": date(2023, 12, 31)}, ["DECISION_BEFORE_REQUEST"]),
        ({"decision_date": None}, ["DECISION_DATE_MISSING"]),
        ({"decision": None}, ["DECISION_TYPE_MISSING", "DECISION_MISSING"]),
        ({"assessment_outcome_date": date(2023, 12, 1)}, ["OUTCOME_BEFORE_REQUEST"]),
        ({"assessment_outcome_date": date(2024, 1, 15)}, ["OUTCOME_BEFORE_DECISION"]),
        ({"assessment_outcome_date": None}, ["OUTCOME_DATE_MISSING"]),
        ({"final_plan_date": date(2023, 12, 1)}, ["PLAN_BEFORE_REQUEST"]),
        (
            {"final_plan_date": date(2024, 1, 20), "assessment_outcome_date": None},
            ["OUTCOME_DATE_MISSING", "PLAN_BEFORE_DECISION"],
        ),
        ({"final_plan_date": date(2024, 3, 1)}, ["PLAN_BEFORE_OUTCOME"]),
        ({"assessment_outcome": None, "assessment_outcome_date": None}, ["PLAN_WITHOUT_PLAN_OUTCOME"]),
        ({"assessment_outcome": "no_plan"}, ["PLAN_WITHOUT_PLAN_OUTCOME"]),
        ({"decision": "not_assess"}, ["OUTCOME_WITHOUT_ASSESS_DECISION", "PLAN_WITHOUT_ASSESS_DECISION"]),
        ({"decision": "withdrawn"}, ["OUTCOME_WITHOUT_ASSESS_DECISION", "PLAN_WITHOUT_ASSESS_DECISION"]),
        ({"decision": "refused"}, ["UNRECOGNISED_DECISION"]),
        ({"assessment_outcome": "issued"}, ["UNRECOGNISED_OUTCOME", "PLAN_WITHOUT_PLAN_OUTCOME"]),
        ({"final_plan_date": date(2025, 7, 1)}, ["DATE_AFTER_AS_OF"]),
    ],
)
def test_case_finding_is_raised_for_each_kind_of_problem(overrides, expected):
    assert codes([clean_case(**overrides)]) == expected


def test_decision_without_a_date_is_described_in_words():
    (finding,) = data_quality_findings([clean_case(decision_date=None)], [], AS_OF)
    assert finding.message == "A decision to assess is recorded without a date."


def test_decision_missing_although_a_plan_exists():
    case = clean_case(decision=None, decision_date=None)
    (finding,) = data_quality_findings([case], [], AS_OF)
    assert finding == Finding(
        "C1", "DECISION_MISSING", "The case has a final plan but no decision to assess is recorded."
    )


def test_impossible_order_is_reported_once_against_the_earliest_step_it_contradicts():
    case = clean_case(final_plan_date=date(2023, 6, 1))  # before the request, the decision and the outcome
    (finding,) = data_quality_findings([case], [], AS_OF)
    assert finding.code == "PLAN_BEFORE_REQUEST"
    assert finding.message == "The final plan (1 June 2023) is dated before the request (1 January 2024)."


def test_every_date_after_as_of_is_reported_by_name():
    case = clean_case(
        request_date=date(2025, 7, 1),
        decision_date=date(2025, 8, 1),
        assessment_outcome_date=date(2025, 9, 1),
        final_plan_date=date(2025, 10, 1),
    )
    findings = data_quality_findings([case], [], AS_OF)
    assert [f.code for f in findings] == ["DATE_AFTER_AS_OF"] * 4
    assert findings[0].message == (
        "The request date 1 July 2025 is after 30 June 2025, the date the data is read as at, so it is ignored."
    )


def test_duplicate_case_reference_is_reported_once_with_its_count():
    findings = data_quality_findings([clean_case(), clean_case(), clean_case()], [], AS_OF)
    assert findings == [Finding("C1", "DUPLICATE_CASE_REF", "The case reference is used by 3 requests.")]


# reviews


def test_review_for_an_unknown_case_is_a_review_with_no_plan():
    findings = data_quality_findings([clean_case()], [Review("Z9", date(2025, 1, 10))], AS_OF)
    assert findings == [
        Finding(
            "Z9",
            "REVIEW_WITH_NO_PLAN",
            "A review meeting on 10 January 2025 is recorded but the case is not in the case data.",
        )
    ]


def test_review_for_a_case_without_a_plan_is_a_review_with_no_plan():
    case = Case("C1", date(2024, 1, 1), date(2024, 2, 1), "not_assess")
    findings = data_quality_findings([case], [Review("C1", date(2025, 1, 10))], AS_OF)
    assert [f.code for f in findings] == ["REVIEW_WITH_NO_PLAN"]
    assert findings[0].message.endswith("but the case has no final plan date.")


def test_review_before_the_plan_was_issued():
    findings = data_quality_findings([clean_case()], [Review("C1", date(2024, 4, 30))], AS_OF)
    assert [f.code for f in findings] == ["REVIEW_BEFORE_PLAN"]
    assert findings[0].message == "A review meeting on 30 April 2024 is before the plan was issued (1 May 2024)."


def test_review_on_the_plan_issue_date_is_not_before_the_plan():
    assert codes([clean_case()], [Review("C1", date(2024, 5, 1))]) == []


def test_review_after_a_review_that_ceased_the_plan():
    reviews = [Review("C1", date(2025, 1, 10), date(2025, 1, 20), "cease"), Review("C1", date(2025, 5, 1))]
    assert codes([clean_case()], reviews) == ["REVIEW_AFTER_CEASE"]


def test_two_review_meetings_on_one_day():
    reviews = [Review("C1", date(2025, 1, 10)), Review("C1", date(2025, 1, 10))]
    findings = data_quality_findings([clean_case()], reviews, AS_OF)
    assert findings == [Finding("C1", "DUPLICATE_REVIEW", "2 review meetings are recorded on 10 January 2025.")]


@pytest.mark.parametrize(
    ("review", "expected"),
    [
        (Review("C1", date(2025, 1, 10), date(2025, 1, 9)), ["REVIEW_DECISION_BEFORE_MEETING"]),
        (Review("C1", date(2025, 1, 10), None, "amend"), ["REVIEW_DECISION_DATE_MISSING"]),
        (Review("C1", date(2025, 1, 10), date(2025, 1, 20), "continue"), ["UNRECOGNISED_REVIEW_OUTCOME"]),
        (Review("C1", date(2025, 7, 10)), ["DATE_AFTER_AS_OF"]),
        (Review("C1", date(2025, 6, 10), date(2025, 7, 2), "maintain"), ["DATE_AFTER_AS_OF"]),
    ],
)
def test_review_finding_is_raised_for_each_kind_of_problem(review, expected):
    assert codes([clean_case()], [review]) == expected


def test_findings_are_sorted_by_case_reference_then_code_order():
    cases = [clean_case(case_ref="B", decision_date=None), clean_case(case_ref="A", final_plan_date=date(2023, 1, 1))]
    reviews = [Review("A", date(2024, 6, 1), date(2024, 5, 1))]
    findings = data_quality_findings(cases, reviews, AS_OF)
    assert [(f.case_ref, f.code) for f in findings] == [
        ("A", "PLAN_BEFORE_REQUEST"),
        ("A", "REVIEW_DECISION_BEFORE_MEETING"),
        ("B", "DECISION_DATE_MISSING"),
    ]


def test_every_code_is_upper_snake_case_with_a_description():
    for code, description in FINDING_CODES.items():
        assert code.replace("_", "").isalpha() and code.isupper()
        assert description and description[0].islower()


def test_findings_accept_cases_given_as_a_generator():
    assert codes(case for case in [clean_case(decision_date=None)]) == ["DECISION_DATE_MISSING"]


# The states of the whole journey: what is a finding and what is not


def test_overturned_refusal_with_a_plan_is_not_a_finding():
    overturned = clean_case(decision="not_assess", request_tribunal=True)
    assert codes([overturned]) == []


def test_refusal_with_a_plan_and_no_mediation_or_tribunal_is_still_a_finding():
    assert codes([clean_case(decision="not_assess")]) == [
        "OUTCOME_WITHOUT_ASSESS_DECISION",
        "PLAN_WITHOUT_ASSESS_DECISION",
    ]


def test_historical_plan_needs_no_request_date_or_decision_date_but_a_review():
    historical = Case("H1", None, None, "historical", "historical", None, date(2018, 3, 1))
    assert codes([historical]) == ["REVIEW_HISTORY_MISSING"]
    assert codes([historical], [Review("H1", date(2025, 3, 1), date(2025, 3, 10), "maintain")]) == []


def test_request_without_a_date_that_is_not_historical_is_a_finding():
    assert codes([Case("R1", None)]) == ["REQUEST_DATE_MISSING"]


def test_plan_recorded_after_a_move_out_of_the_area_is_a_finding():
    assert codes([clean_case(moved_out_to="936")]) == ["PLAN_AFTER_MOVE"]


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"cease_date": date(2024, 4, 1), "cease_reason": "2"}, "CEASE_BEFORE_PLAN"),
        ({"cease_date": date(2025, 1, 1)}, "CEASE_REASON_MISSING"),
        ({"cease_reason": "3"}, "CEASE_REASON_MISSING"),
        ({"cease_date": date(2025, 1, 1), "cease_reason": "12"}, "UNRECOGNISED_CEASE_REASON"),
        ({"phase_transfer_final_date": date(2025, 2, 1)}, "PHASE_TRANSFER_FINAL_WITHOUT_DUE"),
    ],
)
def test_plan_state_findings(fields, code):
    assert codes([clean_case(**fields)]) == [code]


def test_review_after_the_plan_ceased_and_amendments_without_or_before_their_notice_are_findings():
    case = clean_case(cease_date=date(2025, 3, 1), cease_reason="4")
    reviews = [
        Review("C1", date(2025, 1, 10), date(2025, 1, 20), "amend", None, None, date(2025, 2, 20)),
        Review("C1", date(2025, 4, 1)),
    ]
    assert codes([case], reviews) == ["REVIEW_AFTER_PLAN_CEASED", "AMENDED_PLAN_WITHOUT_NOTICE"]
    early = [Review("C1", date(2025, 1, 10), date(2025, 1, 20), "amend", None, date(2025, 1, 20), date(2025, 1, 5))]
    assert codes([clean_case()], early) == ["AMENDED_PLAN_BEFORE_NOTICE"]
