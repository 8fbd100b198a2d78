from __future__ import annotations

import copy
import json
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from inspect_app.domain.readiness import (
    CAVEAT,
    FAMILY_AUDIENCES,
    GAP_CODES,
    PART_RAGS,
    POSITION_LABELS,
    POSITIONS,
    SCHEMA,
    SEVERITIES,
    CriterionInput,
    MeasureFact,
    ReadinessInput,
    assess_readiness,
    readiness_to_json,
)
from tests.readiness_builders import (
    action,
    criterion,
    duty,
    england,
    evidence,
    feedback,
    measure,
    readiness_input,
    region,
    sef,
)

SCHEMA_PATH = Path(__file__).resolve().parents[2] / "inspect_app" / "reports" / "schemas" / "readiness-2.schema.json"
GENERATED_AT = datetime(2025, 3, 1, 9, 30, 15)


@pytest.fixture(scope="module")
def validator() -> Draft202012Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def busy_partnership() -> ReadinessInput:
    """A partnership with some of everything, so every part of the document is filled."""
    exp1 = criterion(
        expected_evidence_types=("ehcna_audit", "jsna"),
        evidence=(evidence(), evidence(id=2, title="Waiting list extract", evidence_type="waiting", status="draft")),
        measures=(
            duty(
                period="2025",
                value=163 * 100 / 417,
                numerator=163,
                denominator=417,
                history=(("2023", 41.0), ("2024", 35.5)),
                comparators=(england(("2021", 59.9), ("2024", 46.4), ("2025", 46.1)), region(("2024", 44.0))),
            ),
            measure(
                id="requests_received",
                title="Requests received",
                unit="count",
                higher_is_better=None,
                value=612.0,
                numerator=612,
                denominator=None,
                comparators=(),
            ),
            measure(
                id="nd_wait_13wk",
                title="Autism referrals open 13 weeks or more",
                period=None,
                value=None,
                numerator=None,
                denominator=None,
                comparators=(),
                applicable_from_case_data=False,
            ),
        ),  # fmt: skip
        feedback=feedback(responses=42, agree_pct=38.1, audiences=("parents_carers", "children_young_people")),
        practitioners=feedback(responses=31, agree_pct=61.29, audiences=("practitioners",)),
        self_evaluation=sef(grade="strong", signed_off=False),
        data_quality_issues=3,
        follow_up=(action(status="off_track"),),
    )
    exp2 = criterion(
        id="EXP2",
        title="Children, young people and their families participate in decision-making.",
        expected_evidence_types=("pcf_feedback",),
        evidence=(evidence(id=3, title="PCF annual report", evidence_type="pcf_feedback", review_by=date(2026, 1, 1)),),
        measures=(),
        feedback=feedback(responses=3, agree_pct=100.0),
        self_evaluation=sef(grade="secure"),
    )
    ap1 = criterion(id="AP1", section_id="AP", wording="provisional", measures=(), feedback=None)
    return readiness_input(exp1, exp2, ap1)


def no_data_partnership() -> ReadinessInput:
    return readiness_input(
        CriterionInput(
            id="EXP1",
            title="Needs identified",
            section_id="EXP",
            expected_evidence_types=("ehcna_audit",),
            measures=(MeasureFact("ehcp_20wk_excl", "EHC plans within 20 weeks", "2024", None, duty=True),),
        ),
        CriterionInput(id="LEAD1", title="Leaders are ambitious", section_id="LEAD"),
    )


def document(readiness: ReadinessInput | None = None, **kwargs) -> dict:
    return readiness_to_json(assess_readiness(readiness or busy_partnership()), GENERATED_AT, **kwargs)


def errors(validator: Draft202012Validator, doc: dict) -> list[str]:
    return [error.message for error in validator.iter_errors(doc)]


def test_readiness_document_from_a_busy_partnership_validates_against_schema_2(validator):
    doc = document()

    assert errors(validator, doc) == []
    assert {gap["code"] for gap in doc["gaps"]} >= {
        "SEF_DATA_CONFLICT",
        "FEEDBACK_NEGATIVE",
        "DATA_QUALITY",
        "DUTY_BELOW_LAW",
        "FOLLOW_UP_OFF_TRACK",
    }


def test_readiness_document_from_a_partnership_with_no_data_validates_and_reads_not_enough_data(validator):
    doc = document(no_data_partnership())

    assert errors(validator, doc) == []
    assert doc["overall"]["position"] == "not_enough_data"
    assert doc["overall"]["label"] == "Not enough data yet"
    assert doc["overall"]["score"] is None
    assert doc["overall"]["impact"] == {"score": None, "rag": "none"}
    assert [c["rag"] for c in doc["criteria"]] == ["none", "none"]


def test_readiness_document_has_exactly_the_keys_in_the_design():
    doc = document()
    criterion = doc["criteria"][0]

    assert list(doc) == [
        "schema", "partnership", "framework", "generated_at", "as_of", "caveat", "overall", "criteria", "gaps"
    ]  # fmt: skip
    assert list(doc["overall"]) == [
        "position", "label", "reason", "score", "impact", "preparation", "criteria", "criteria_green", "gaps"
    ]  # fmt: skip
    assert list(criterion) == [
        "id", "title", "wording", "score", "rag", "impact", "practitioners", "preparation", "gaps"
    ]  # fmt: skip
    assert list(criterion["impact"]) == ["score", "rag", "measures", "family_voice"]
    assert list(criterion["preparation"]) == ["score", "rag", "evidence", "self_evaluation", "follow_up"]
    assert list(criterion["impact"]["measures"][0]) == [
        "id", "period", "value", "numerator", "denominator", "duty", "rag", "comparators"
    ]  # fmt: skip
    assert list(criterion["gaps"][0]) == ["code", "severity", "message", "action", "link"]
    assert list(doc["gaps"][0]) == ["criterion", "code", "severity", "message", "action", "link"]


def keys_of(value) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {key for item in value.values() for key in keys_of(item)}
    if isinstance(value, list):
        return {key for item in value for key in keys_of(item)}
    return set()


def test_the_old_field_names_are_gone():
    doc = document()

    assert not keys_of(doc) & {"indicative_outcome", "england", "feedback", "rag_label"}
    assert "rag" not in doc["overall"]
    assert "self_evaluation" not in doc["criteria"][0]
    assert "evidence" not in doc["criteria"][0]


def test_readiness_document_answers_impact_and_preparation_separately_with_the_caveat():
    doc = document()
    exp1, exp2, ap1 = doc["criteria"]

    assert doc["schema"] == SCHEMA == "inspect-app/readiness/2"
    assert doc["caveat"] == CAVEAT
    assert doc["overall"]["label"] == POSITION_LABELS[doc["overall"]["position"]]
    assert doc["overall"]["reason"]
    assert exp1["impact"]["rag"] == "red"
    assert exp1["preparation"]["self_evaluation"] == {"grade": "strong", "signed_off": False}
    assert exp1["preparation"]["evidence"] == {"linked": 2, "approved": 1, "stale": 0}
    assert exp1["preparation"]["follow_up"] == {"actions": 1, "off_track": 1}
    assert exp1["impact"]["family_voice"] == {
        "responses": 42,
        "agree_pct": 38.1,
        "audiences": ["parents_carers", "children_young_people"],
    }
    assert exp1["practitioners"] == {"responses": 31, "agree_pct": 61.3}
    # Three responses are too few to show an agreement figure.
    assert exp2["impact"]["family_voice"]["agree_pct"] is None
    assert (exp1["wording"], ap1["wording"]) == ("verified", "provisional")


def test_a_duty_carries_its_own_figures_rounded_as_dfe_rounds_and_each_comparator_its_own_period():
    [duty_, counts, none] = document()["criteria"][0]["impact"]["measures"]

    assert duty_ == {
        "id": "ehcp_20wk_excl",
        "period": "2025",
        "value": 39.1,  # 163/417 = 39.0887..., half up to one decimal
        "numerator": 163,
        "denominator": 417,
        "duty": True,
        "rag": "red",
        "comparators": [
            {"area_code": "E92000001", "name": "England", "period": "2025", "value": 46.1, "local_value": 39.1},
            {"area_code": "E12000002", "name": "North West", "period": "2024", "value": 44.0, "local_value": 35.5},
        ],
    }
    assert (counts["value"], counts["rag"], counts["duty"]) == (612, "none", False)
    assert (none["value"], none["rag"]) == (None, "none")


def test_every_comparator_in_the_document_is_for_a_period_the_local_figure_has():
    doc = document()
    fact = busy_partnership().criteria[0].measures[0]

    for c in doc["criteria"]:
        for m in c["impact"]["measures"]:
            for comparator in m["comparators"]:
                assert comparator["period"] in {m["period"], *(p for p, _ in fact.history)}
                assert comparator["local_value"] is not None


def test_gap_links_come_from_the_link_builder_given():
    doc = document(link_for=lambda gap: f"/p/northshire/{gap.target.kind}" if gap.target else None)

    links = {g["code"]: g["link"] for g in doc["gaps"]}

    assert links["SEF_NOT_SIGNED_OFF"] == "/p/northshire/sef_entry"
    assert links["DUTY_BELOW_LAW"] == "/p/northshire/sef_edit"
    assert all(g["link"] is None for g in document()["gaps"])


def test_readiness_document_lists_every_gap_with_its_criterion_high_severity_first():
    doc = document()
    ranks = [SEVERITIES.index(gap["severity"]) for gap in doc["gaps"]]
    per_criterion = sum(len(c["gaps"]) for c in doc["criteria"])

    assert ranks == sorted(ranks)
    assert len(doc["gaps"]) == per_criterion
    assert doc["overall"]["gaps"] == {s: sum(1 for g in doc["gaps"] if g["severity"] == s) for s in SEVERITIES}


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
        ((), "caveat"),
        (("overall",), "reason"),
        (("overall", "impact"), "rag"),
        (("criteria", 0), "practitioners"),
        (("criteria", 0, "impact", "measures", 0), "comparators"),
        (("criteria", 0, "impact", "measures", 0, "comparators", 0), "period"),
        (("criteria", 0, "gaps", 0), "link"),
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
        (("overall", "position"), "widespread_failings"),
        (("overall", "label"), "Widespread and/or systemic failings"),
        (("caveat",), "Estimate"),
        (("criteria", 0, "rag"), "purple"),
        (("criteria", 0, "wording"), "draft"),
        (("criteria", 0, "impact", "family_voice", "audiences"), ["practitioners"]),
        (("criteria", 0, "gaps", 0, "code"), "MEASURE_BELOW_ENGLAND"),
        (("gaps", 0, "severity"), "critical"),
        (("schema",), "inspect-app/readiness/1"),
        (("overall", "score"), 101),
        (("criteria", 0, "score"), 61.5),
        (("partnership", "la_code"), "80"),
        (("as_of",), "01/03/2025"),
        (("generated_at",), "2025-03-01 09:30"),
    ],
)
def test_schema_rejects_a_document_with_a_bad_value(validator, path, value):
    doc = copy.deepcopy(document())
    parent = doc
    for step in path[:-1]:
        parent = parent[step]
    parent[path[-1]] = value

    assert errors(validator, doc) != []


@pytest.mark.parametrize(
    "path",
    [
        (),
        ("overall",),
        ("criteria", 0),
        ("criteria", 0, "impact"),
        ("criteria", 0, "impact", "measures", 0),
        ("gaps", 0),
    ],
)
def test_schema_rejects_keys_the_design_does_not_define(validator, path):
    doc = copy.deepcopy(document())
    parent = doc
    for step in path:
        parent = parent[step]
    parent["indicative_outcome"] = "extra"

    assert any("Additional properties are not allowed" in message for message in errors(validator, doc))


def test_schema_enums_match_the_domain_constants(validator):
    defs = validator.schema["$defs"]
    overall = validator.schema["properties"]["overall"]["properties"]
    voice = defs["criterion"]["properties"]["impact"]["properties"]["family_voice"]["properties"]

    assert sorted(defs["gap_code"]["enum"]) == sorted(GAP_CODES)
    assert set(defs["rag"]["enum"]) == set(PART_RAGS)
    assert set(defs["severity"]["enum"]) == set(SEVERITIES)
    assert overall["position"]["enum"] == list(POSITIONS)
    assert overall["label"]["enum"] == [POSITION_LABELS[p] for p in POSITIONS]
    assert set(voice["audiences"]["items"]["enum"]) == set(FAMILY_AUDIENCES)
    assert validator.schema["properties"]["caveat"]["const"] == CAVEAT
