"""Every shipped framework file is data the app trusts: check each one, then the shipped version's content."""

import json
from datetime import date
from functools import cache
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft202012Validator

from inspect_app.domain.frameworks import Problem, discover_frameworks, load_framework, validate_framework

FRAMEWORKS = Path(__file__).resolve().parents[2] / "frameworks"
SCHEMAS = sorted((FRAMEWORKS / "schema").glob("*.schema.json"))
VERSIONS = discover_frameworks(FRAMEWORKS)
FILES = sorted(path for version in VERSIONS for path in version.rglob("*.yml"))
SHIPPED = FRAMEWORKS / "area-send" / "2025-06-06"


@cache
def problems_in(version: Path) -> tuple[Problem, ...]:
    return tuple(validate_framework(version))


def version_of(path: Path) -> Path:
    return next(version for version in VERSIONS if version in path.parents)


def test_the_shipped_versions_are_discovered():
    assert SHIPPED in VERSIONS
    assert FRAMEWORKS / "area-send" / "2025-07-07" in VERSIONS
    assert len(FILES) == 2 * (7 + 15)


@pytest.mark.parametrize("schema_path", SCHEMAS, ids=lambda path: path.name)
def test_schema_is_valid_json_schema_draft_2020_12(schema_path):
    schema = json.loads(schema_path.read_text(encoding="utf-8"))

    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"].endswith("/" + schema_path.name)


@pytest.mark.parametrize("path", FILES, ids=lambda path: str(path.relative_to(FRAMEWORKS)))
def test_framework_file_validates(path):
    version = version_of(path)
    relative = path.relative_to(version).as_posix()

    assert [problem for problem in problems_in(version) if problem.file == relative] == []


@pytest.mark.parametrize("version", VERSIONS, ids=lambda path: str(path.relative_to(FRAMEWORKS)))
def test_framework_version_validates_and_loads(version):
    assert problems_in(version) == ()
    fw = load_framework(version)
    assert (fw.id, fw.version) == (version.parent.name, version.name)


BOOLEAN_FIELDS = {"higher_is_better", "priority_action_plan_required", "duty"}


def booleans_and_dates(data, key=None):
    """Yield (key, value) for every boolean or date a YAML parser produced, anywhere in the data."""
    if isinstance(data, dict):
        for child_key, value in data.items():
            yield from booleans_and_dates(value, child_key)
    elif isinstance(data, list):
        for value in data:
            yield from booleans_and_dates(value, key)
    elif isinstance(data, (bool, date)):
        yield key, data


@pytest.mark.parametrize("path", FILES, ids=lambda path: str(path.relative_to(FRAMEWORKS)))
def test_framework_file_reads_the_same_with_pyyaml_defaults(path):
    """Dates and yes/no are quoted, so tools using PyYAML's defaults see the same text the app does."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))

    assert [(key, value) for key, value in booleans_and_dates(data) if key not in BOOLEAN_FIELDS] == []


@pytest.fixture(scope="module")
def shipped():
    return load_framework(SHIPPED)


def test_shipped_version_has_fifteen_criteria_in_three_sections_and_three_outcomes(shipped):
    assert [outcome.id for outcome in shipped.outcomes] == ["positive", "inconsistent", "widespread_failings"]
    assert [section.id for section in shipped.sections] == ["EXP", "LEAD", "AP"]
    assert [criterion.id for criterion in shipped.criteria] == [
        *("EXP1", "EXP2", "EXP3", "EXP4", "EXP5"),
        *("LEAD1", "LEAD2", "LEAD3", "LEAD4", "LEAD5", "LEAD6"),
        *("AP1", "AP2", "AP3", "AP4"),
    ]
    assert (shipped.title, shipped.owners, shipped.in_force_from) == (
        "Area SEND inspections: framework and handbook",
        ("Ofsted", "CQC"),
        date(2025, 6, 6),
    )
    assert "Open Government Licence v3.0" in shipped.licence.attribution


def test_shipped_statuses_follow_the_reference(shipped):
    assert {criterion.id: criterion.status for criterion in shipped.criteria} == {
        **dict.fromkeys(("EXP1", "EXP2", "EXP3", "EXP4", "EXP5"), "C"),
        **dict.fromkeys(("LEAD1", "LEAD2", "LEAD3", "LEAD4", "LEAD5", "LEAD6"), "U"),
        **dict.fromkeys(("AP1", "AP2", "AP3", "AP4"), "U"),
    }
    assert all(outcome.status == "C" for outcome in shipped.outcomes)
    assert all(item.status == "U" for item in shipped.survey_items)
    assert shipped.outcome("widespread_failings").follow_up.priority_action_plan_required is True


def test_every_criterion_has_indicators_evidence_types_keywords_and_a_survey_item(shipped):
    for criterion in shipped.criteria:
        assert criterion.indicators, criterion.id
        assert criterion.evidence_types, criterion.id
        assert criterion.survey_items, criterion.id
        assert criterion.keywords and all(keyword == keyword.lower() for keyword in criterion.keywords), criterion.id
        assert all(indicator.text.endswith(".") for indicator in criterion.indicators), criterion.id
        assert criterion.replaces == ()


def test_every_experiences_criterion_has_a_parent_carer_survey_item(shipped):
    for criterion in shipped.section("EXP").criteria:
        audiences = {shipped.survey_item(item).audience for item in criterion.survey_items}
        assert "parents_carers" in audiences, criterion.id


def test_every_evidence_type_measure_and_survey_item_is_used_by_a_criterion(shipped):
    used = {
        "evidence_types": {ref for criterion in shipped.criteria for ref in criterion.evidence_types},
        "measures": {ref for criterion in shipped.criteria for ref in criterion.measures},
        "survey_items": {ref for criterion in shipped.criteria for ref in criterion.survey_items},
    }

    assert [item.id for item in shipped.evidence_types if item.id not in used["evidence_types"]] == []
    assert [item.id for item in shipped.measures if item.id not in used["measures"]] == []
    assert [item.id for item in shipped.survey_items if item.id not in used["survey_items"]] == []


# DESIGN.md "Measure ids": the measures computed from case data, and the DfE columns they are compared with.
DESIGN_MEASURES = {
    "ehcp_20wk_excl": ("percent", ("plans_issued_20_weeks_ex",), ("plans_issued_den_ex",), None),
    "ehcp_20wk_incl": ("percent", ("plans_issued_within_20_weeks",), ("plans_issued_den",), None),
    "ehcp_over_52wk_excl": ("percent", ("plans_issued_gt_1_year_ex",), ("plans_issued_den_ex",), None),
    "decision_6wk": (
        "percent",
        ("request_outcome_six_weeks",),
        ("request_outcome_six_weeks", "request_outcome_over_6_weeks"),
        None,
    ),
    "requests_received": ("count", (), (), "requests_received_in_year"),
    "new_plans": ("count", (), (), "plans_issued_den"),
    "annual_review_on_time": ("percent", None, None, None),
    "review_decision_4wk": (
        "percent",
        ("number_decsion_4weeks",),
        ("number_decsion_4weeks", "number_decision_gt_4weeks"),
        None,
    ),
}


@pytest.mark.parametrize("measure_id", DESIGN_MEASURES)
def test_design_measure_is_computed_from_case_data_with_its_dfe_columns(shipped, measure_id):
    unit, numerator, denominator, value = DESIGN_MEASURES[measure_id]
    measure = shipped.measure(measure_id)

    assert (measure.source, measure.period, measure.unit) == ("case_data", "calendar_year", unit)
    assert measure.higher_is_better is (None if unit == "count" else measure_id != "ehcp_over_52wk_excl")
    if numerator is None:
        assert measure.dfe_comparator is None
    else:
        columns = measure.dfe_comparator.columns
        assert (columns.numerator, columns.denominator, columns.value) == (numerator, denominator, value)


def test_legacy_dfe_columns_are_given_where_design_names_them(shipped):
    legacy = {measure.id: measure.dfe_comparator.legacy for measure in shipped.measures if measure.dfe_comparator}

    assert legacy["ehcp_20wk_excl"].numerator == ("NoExc20weekEHC",)
    assert legacy["ehcp_20wk_excl"].denominator == ("TotNoExcEHC",)
    assert legacy["ehcp_20wk_incl"].numerator == ("IncExc20weekEHC",)
    assert legacy["requests_received"].value == "InreqEHC"
    assert legacy["new_plans"].value == "NewallEHC"


def test_statutory_rules_cover_the_reference_table_as_clocks(shipped):
    rules = {rule.id: rule for rule in shipped.statutory_rules}

    assert {
        "decide_to_assess_6w",
        "advice_6w",
        "decide_not_to_issue_16w",
        "draft_comment_15d",
        "final_plan_20w",
        "annual_review_12m",
        "review_paperwork_2w",
        "review_decision_4w",
        "amend_final_8w",
        "phase_transfer_15feb",
        "phase_transfer_31mar",
        "appeal_window",
        "tribunal_order_amend_5w",
    } <= set(rules)
    for rule in rules.values():
        assert (rule.period is None) != (rule.fixed_date is None), rule.id
    assert (rules["final_plan_20w"].start, rules["final_plan_20w"].period.length) == ("request_received", 20)
    assert rules["final_plan_20w"].exceptions == ("school_closure", "personal_circumstances", "absent_from_area_4w")
    assert (rules["phase_transfer_15feb"].fixed_date.month, rules["phase_transfer_15feb"].fixed_date.day) == (2, 15)
    assert rules["appeal_window"].or_if_later.start == "mediation_certificate_issued"
