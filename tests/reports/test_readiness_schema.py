from __future__ import annotations

import copy
import json
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from inspect_app.domain.readiness import (
    GAP_CODES,
    MEASURE_RAGS,
    OUTCOMES,
    RAGS,
    SCHEMA,
    SEVERITIES,
    CriterionInput,
    EvidenceFact,
    FeedbackFact,
    MeasureFact,
    ReadinessInput,
    SefFact,
    assess_readiness,
    readiness_to_json,
)

SCHEMA_PATH = Path(__file__).resolve().parents[2] / "inspect_app" / "reports" / "schemas" / "readiness-1.schema.json"
GENERATED_AT = datetime(2025, 3, 1, 9, 30, 15)


@pytest.fixture(scope="module")
def validator() -> Draft202012Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def partnership(*criteria: CriterionInput) -> ReadinessInput:
    return ReadinessInput(
        partnership_slug="northshire",
        partnership_name="Northshire local area partnership",
        la_code="805",
        framework_id="area-send",
        framework_version="2025-06-06",
        as_of=date(2025, 3, 1),
        criteria=criteria,
    )


def busy_partnership() -> ReadinessInput:
    """A partnership with some of everything, so every part of the document is filled."""
    exp1 = CriterionInput(
        id="EXP1",
        title="Children and young people's needs are identified accurately and assessed in a timely way.",
        section_id="EXP",
        expected_evidence_types=("ehcna_audit", "jsna"),
        evidence=(
            EvidenceFact(1, "EHCNA audit 2024", "ehcna_audit", "approved", date(2025, 1, 31), "Asha Patel"),
            EvidenceFact(2, "Waiting list extract", "waiting_list_extract", "draft", None, None),
        ),
        measures=(
            MeasureFact(
                "ehcp_20wk_excl",
                "EHC plans issued within 20 weeks",
                "2024",
                30.2,
                84,
                278,
                46.4,
                True,
                history=(("2022", 41.0), ("2023", 35.5)),
                applicable_from_case_data=True,
            ),
            MeasureFact("requests_received", "Requests received", "2024", 612.0, 612, None, None, None),
            MeasureFact("nd_wait_13wk", "Autism referrals open 13 weeks or more", None, None),
        ),
        feedback=FeedbackFact(responses=42, agree_pct=38.1, agree_ci_low=25.0, agree_ci_high=53.0),
        self_evaluation=SefFact(grade="strong", signed_off=False, updated_at=None, has_text=True),
        data_quality_issues=3,
    )
    exp2 = CriterionInput(
        id="EXP2",
        title="Children, young people and their families participate in decision-making.",
        section_id="EXP",
        expected_evidence_types=("pcf_feedback",),
        evidence=(EvidenceFact(3, "PCF annual report", "pcf_feedback", "approved", date(2026, 1, 1), "PCF chair"),),
        feedback=FeedbackFact(responses=3, agree_pct=100.0),
        self_evaluation=SefFact(grade="secure", signed_off=True, updated_at=None, has_text=True),
    )
    return partnership(exp1, exp2)


def no_data_partnership() -> ReadinessInput:
    return partnership(
        CriterionInput(
            id="EXP1",
            title="Needs identified",
            section_id="EXP",
            expected_evidence_types=("ehcna_audit",),
            measures=(MeasureFact("ehcp_20wk_excl", "EHC plans within 20 weeks", "2024", None),),
        ),
        CriterionInput(id="LEAD1", title="Leaders are ambitious", section_id="LEAD"),
    )


def document(readiness: ReadinessInput | None = None) -> dict:
    return readiness_to_json(assess_readiness(readiness or busy_partnership()), GENERATED_AT)


def errors(validator: Draft202012Validator, doc: dict) -> list[str]:
    return [error.message for error in validator.iter_errors(doc)]


def test_readiness_document_from_a_busy_partnership_validates_against_the_schema(validator):
    doc = document()

    assert errors(validator, doc) == []
    assert {gap["code"] for gap in doc["gaps"]} >= {"SEF_DATA_CONFLICT", "FEEDBACK_NEGATIVE", "DATA_QUALITY"}


def test_readiness_document_from_a_partnership_with_no_data_validates_against_the_schema(validator):
    doc = document(no_data_partnership())

    assert errors(validator, doc) == []
    assert doc["overall"]["indicative_outcome"] == "widespread_failings"


def test_readiness_document_has_exactly_the_keys_in_the_design():
    doc = document()
    criterion = doc["criteria"][0]

    assert list(doc) == ["schema", "partnership", "framework", "generated_at", "as_of", "overall", "criteria", "gaps"]
    assert list(doc["overall"]) == ["score", "rag", "indicative_outcome", "criteria", "criteria_green", "gaps"]
    assert list(criterion) == [
        "id",
        "title",
        "score",
        "rag",
        "self_evaluation",
        "evidence",
        "measures",
        "feedback",
        "gaps",
    ]
    assert list(criterion["measures"][0]) == ["id", "period", "value", "numerator", "denominator", "england", "rag"]
    assert list(criterion["gaps"][0]) == ["code", "severity", "message", "action"]
    assert list(doc["gaps"][0]) == ["criterion", "code", "severity", "message", "action"]


def test_readiness_document_reports_the_partnership_framework_dates_and_figures():
    doc = document()
    exp1, exp2 = doc["criteria"]

    assert doc["schema"] == SCHEMA == "inspect-app/readiness/1"
    assert doc["partnership"] == {"slug": "northshire", "name": "Northshire local area partnership", "la_code": "805"}
    assert doc["framework"] == {"id": "area-send", "version": "2025-06-06"}
    assert doc["generated_at"] == "2025-03-01T09:30:15Z"
    assert doc["as_of"] == "2025-03-01"
    assert exp1["self_evaluation"] == {"grade": "strong", "signed_off": False}
    assert exp1["evidence"] == {"linked": 2, "approved": 1, "stale": 1}
    assert exp1["measures"][0] == {
        "id": "ehcp_20wk_excl",
        "period": "2024",
        "value": 30.2,
        "numerator": 84,
        "denominator": 278,
        "england": 46.4,
        "rag": "red",
    }
    assert [m["rag"] for m in exp1["measures"]] == ["red", "none", "none"]
    assert exp1["feedback"] == {"responses": 42, "agree_pct": 38.1}
    # Three responses are too few to show an agreement figure.
    assert exp2["feedback"] == {"responses": 3, "agree_pct": None}
    assert doc["overall"]["criteria"] == 2


def test_readiness_document_lists_every_gap_with_its_criterion_high_severity_first():
    doc = document()
    ranks = [SEVERITIES.index(gap["severity"]) for gap in doc["gaps"]]
    per_criterion = sum(len(c["gaps"]) for c in doc["criteria"])

    assert ranks == sorted(ranks)
    assert len(doc["gaps"]) == per_criterion
    assert doc["overall"]["gaps"] == {s: sum(1 for g in doc["gaps"] if g["severity"] == s) for s in SEVERITIES}
    assert {gap["criterion"] for gap in doc["gaps"]} == {"EXP1", "EXP2"}


def test_readiness_document_is_plain_json():
    doc = document()

    assert json.loads(json.dumps(doc)) == doc


def test_readiness_document_gives_generated_at_in_utc_whatever_the_zone_given():
    bst = timezone(timedelta(hours=1))
    result = assess_readiness(busy_partnership())

    doc = readiness_to_json(result, datetime(2025, 6, 1, 10, 0, 0, tzinfo=bst))

    assert doc["generated_at"] == "2025-06-01T09:00:00Z"


@pytest.mark.parametrize(
    ("path", "key"),
    [
        ((), "schema"),
        (("overall",), "criteria_green"),
        (("overall", "gaps"), "low"),
        (("criteria", 0), "feedback"),
        (("criteria", 0, "measures", 0), "england"),
        (("criteria", 0, "gaps", 0), "action"),
        (("gaps", 0), "criterion"),
    ],
)
def test_schema_rejects_a_document_missing_a_required_key(validator, path, key):
    doc = copy.deepcopy(document())
    parent = doc
    for step in path:
        parent = parent[step]
    del parent[key]

    assert any(f"'{key}' is a required property" in message for message in errors(validator, doc))


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("overall", "rag"), "purple"),
        (("overall", "indicative_outcome"), "outstanding"),
        (("criteria", 0, "rag"), "none"),  # "none" is for measures only
        (("criteria", 0, "measures", 0, "rag"), "grey"),
        (("criteria", 0, "gaps", 0, "code"), "NOT_A_RULE"),
        (("gaps", 0, "severity"), "critical"),
        (("schema",), "inspect-app/readiness/2"),
        (("overall", "score"), 101),
        (("criteria", 0, "score"), 61.5),
        (("partnership", "la_code"), "80"),
        (("as_of",), "01/03/2025"),
        (("generated_at",), "2025-03-01 09:30"),
        (("criteria", 0, "self_evaluation", "signed_off"), "yes"),
    ],
)
def test_schema_rejects_a_document_with_a_bad_value(validator, path, value):
    doc = copy.deepcopy(document())
    parent = doc
    for step in path[:-1]:
        parent = parent[step]
    parent[path[-1]] = value

    assert errors(validator, doc) != []


@pytest.mark.parametrize("path", [(), ("overall",), ("criteria", 0), ("criteria", 0, "measures", 0), ("gaps", 0)])
def test_schema_rejects_keys_the_design_does_not_define(validator, path):
    doc = copy.deepcopy(document())
    parent = doc
    for step in path:
        parent = parent[step]
    parent["explanation"] = "extra"

    assert any("Additional properties are not allowed" in message for message in errors(validator, doc))


def test_schema_enums_match_the_domain_constants(validator):
    defs = validator.schema["$defs"]
    overall = validator.schema["properties"]["overall"]["properties"]

    assert sorted(defs["gap_code"]["enum"]) == sorted(GAP_CODES)
    assert set(defs["rag"]["enum"]) == set(RAGS)
    assert set(defs["severity"]["enum"]) == set(SEVERITIES)
    assert set(defs["measure"]["properties"]["rag"]["enum"]) == set(MEASURE_RAGS)
    assert set(overall["indicative_outcome"]["enum"]) == set(OUTCOMES)
