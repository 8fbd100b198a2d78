import json
import re
import shutil
from datetime import date
from pathlib import Path

import pytest
import yaml

from inspect_app.domain.errors import NotFound, ValidationFailed
from inspect_app.domain.framework_diff import (
    CollectionDiff,
    CriterionChange,
    FieldChange,
    FrameworkDiff,
    ItemChange,
    Replacement,
    Reworded,
    diff_frameworks,
    map_criteria,
)
from inspect_app.domain.frameworks import (
    Framework,
    FrameworkInvalid,
    Period,
    Problem,
    ProvisionalItem,
    discover_frameworks,
    framework_from_dict,
    framework_to_dict,
    load_framework,
    validate_framework,
)

FRAMEWORKS = Path(__file__).resolve().parents[2] / "frameworks"
SHIPPED = FRAMEWORKS / "area-send" / "2025-06-06"
# libyaml and PyYAML's pure-Python parser word this syntax error differently
MAPPING_VALUES_ERROR = (
    "mapping values are not allowed in this context" if yaml.__with_libyaml__ else "mapping values are not allowed here"
)


@pytest.fixture(scope="module")
def shipped() -> Framework:
    return load_framework(SHIPPED)


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    """A copy of the shipped version in a folder with the same framework id and version names."""
    target = tmp_path / "area-send" / "2025-06-06"
    shutil.copytree(SHIPPED, target)
    return target


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= count, f"{old!r} not found in {path.name}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def line_of(path: Path, fragment: str) -> int:
    text = path.read_text(encoding="utf-8")
    return text[: text.index(fragment)].count("\n") + 1


# --- validation ----------------------------------------------------------------------------------------------


def test_validate_accepts_the_shipped_version():
    assert validate_framework(SHIPPED) == []


def test_validate_reports_every_problem_with_file_and_path_when_broken_in_several_ways(copy):
    criteria = copy / "criteria"
    edit(criteria / "EXP1.yml", "  - ehcp_over_52wk_excl\n", "  - no_such_measure\n")
    shutil.copy(criteria / "EXP5.yml", criteria / "EXP5b.yml")
    edit(criteria / "LEAD3.yml", "title: Leaders have an accurate", "# title: Leaders have an accurate")
    edit(criteria / "AP2.yml", "evidence_types: [ap_commissioning_framework", "evidence_types: []\n# [")
    measures = copy / "measures.yml"
    measures.write_text(
        re.sub(r"(- id: new_plans\n(?:.*\n)*?    status: )C", r"\1X", measures.read_text(encoding="utf-8")),
        encoding="utf-8",
    )
    edit(copy / "survey-items.yml", "statement: My child's needs were", "statement: My child's needs: were")

    assert validate_framework(copy) == [
        Problem("criteria/AP2.yml", "criteria/AP2/evidence_types", "Must list at least 1 item"),
        Problem("criteria/EXP1.yml", "criteria/EXP1/measures/2", "Unknown measure 'no_such_measure'"),
        Problem(
            "criteria/EXP5b.yml",
            "criteria/EXP5/id",
            "Duplicate criterion id 'EXP5': already defined in criteria/EXP5.yml",
        ),
        Problem("criteria/LEAD3.yml", "criteria/LEAD3/title", "Missing required field 'title'"),
        Problem("measures.yml", "measures/new_plans/status", "Must be one of C, P, U (got 'X')"),
        Problem(
            "survey-items.yml",
            "",
            f"YAML syntax error at line {line_of(copy / 'survey-items.yml', 'needs: were')}, column 32: "
            + MAPPING_VALUES_ERROR,
        ),
    ]


def test_validate_reports_unknown_references_of_every_kind(copy):
    edit(copy / "criteria" / "EXP2.yml", "section: EXP", "section: EXPX")
    edit(copy / "criteria" / "EXP2.yml", "evidence_types: [ehcp_quality_audit", "evidence_types: [ehcp_audit")
    edit(copy / "criteria" / "EXP4.yml", "survey_items: [fam_prepared_next_steps", "survey_items: [fam_prepared")
    edit(copy / "sections.yml", "criteria: [AP1, AP2, AP3, AP4]", "criteria: [AP1, AP2, AP3, AP4, AP9]")
    edit(copy / "survey-items.yml", "criterion: LEAD1", "criterion: LEAD9")
    edit(copy / "measures.yml", "rule: amend_final_8w", "rule: amend_final_9w")
    edit(
        copy / "statutory-rules.yml",
        "exceptions: [school_closure, personal_circumstances, absent_from_area_4w]\n    status: C\n  - id: advice_6w",
        "exceptions: [school_shut, personal_circumstances, absent_from_area_4w]\n    status: C\n  - id: advice_6w",
    )

    assert validate_framework(copy) == [
        Problem("criteria/EXP2.yml", "criteria/EXP2/evidence_types/0", "Unknown evidence type 'ehcp_audit'"),
        Problem("criteria/EXP2.yml", "criteria/EXP2/section", "Unknown section 'EXPX'"),
        Problem("criteria/EXP4.yml", "criteria/EXP4/survey_items/0", "Unknown survey item 'fam_prepared'"),
        Problem("measures.yml", "measures/amend_8wk/rule", "Unknown statutory rule 'amend_final_9w'"),
        Problem("sections.yml", "sections/AP/criteria/4", "Unknown criterion 'AP9'"),
        Problem("sections.yml", "sections/EXP/criteria/1", "Criterion 'EXP2' belongs to section 'EXPX'"),
        Problem(
            "statutory-rules.yml",
            "statutory_rules/decide_to_assess_6w/exceptions/0",
            "Unknown statutory exception 'school_shut'",
        ),
        Problem(
            "survey-items.yml",
            "survey_items/fam_prepared_next_steps/criterion",
            "Criterion 'EXP4' does not list survey item 'fam_prepared_next_steps'",
        ),
        Problem("survey-items.yml", "survey_items/prac_leaders_ambitious/criterion", "Unknown criterion 'LEAD9'"),
    ]


def test_validate_reports_replaces_that_is_not_a_list_of_ids(copy):
    edit(copy / "criteria" / "EXP1.yml", "replaces: []", "replaces: EXP1")
    edit(copy / "criteria" / "EXP2.yml", "replaces: []", "replaces: [exp1, 7]")

    assert validate_framework(copy) == [
        Problem("criteria/EXP1.yml", "criteria/EXP1/replaces", "Must be a list"),
        Problem(
            "criteria/EXP2.yml",
            "criteria/EXP2/replaces/0",
            "'exp1' is not a criterion id of capital letters then digits, such as EXP1",
        ),
        Problem("criteria/EXP2.yml", "criteria/EXP2/replaces/1", "Must be text"),
    ]


def test_validate_reports_cross_file_inconsistencies_between_sections_criteria_and_survey_items(copy):
    edit(copy / "sections.yml", "criteria: [LEAD1, LEAD2, LEAD3, LEAD4, LEAD5, LEAD6]", "criteria: [LEAD1, LEAD1]")
    edit(copy / "criteria" / "EXP1.yml", ", prac_assessment_timely]", "]")

    assert validate_framework(copy) == [
        Problem("criteria/LEAD2.yml", "criteria/LEAD2/section", "Section 'LEAD' does not list criterion 'LEAD2'"),
        Problem("criteria/LEAD3.yml", "criteria/LEAD3/section", "Section 'LEAD' does not list criterion 'LEAD3'"),
        Problem("criteria/LEAD4.yml", "criteria/LEAD4/section", "Section 'LEAD' does not list criterion 'LEAD4'"),
        Problem("criteria/LEAD5.yml", "criteria/LEAD5/section", "Section 'LEAD' does not list criterion 'LEAD5'"),
        Problem("criteria/LEAD6.yml", "criteria/LEAD6/section", "Section 'LEAD' does not list criterion 'LEAD6'"),
        Problem("sections.yml", "sections/LEAD/criteria", "Lists 'LEAD1' more than once"),
        Problem(
            "survey-items.yml",
            "survey_items/prac_assessment_timely/criterion",
            "Criterion 'EXP1' does not list survey item 'prac_assessment_timely'",
        ),
    ]


def test_validate_reports_missing_files_folder_mismatches_and_unexpected_files(tmp_path):
    target = tmp_path / "area-send" / "2024-01-01"
    shutil.copytree(SHIPPED, target)
    (target / "outcomes.yml").unlink()
    (target / "notes.yaml").write_text("anything: at all\n", encoding="utf-8")

    assert validate_framework(target) == [
        Problem(
            "framework.yml", "framework/version", "Version '2025-06-06' does not match its folder name '2024-01-01'"
        ),
        Problem("notes.yaml", "", "Unexpected file: see frameworks/README.md for the files a version holds"),
        Problem("outcomes.yml", "", "File is missing"),
    ]


def test_validate_reports_duplicate_yaml_keys_and_bad_dates(copy):
    edit(copy / "framework.yml", 'in_force_from: "2025-06-06"', 'in_force_from: "2025-02-30"\ntitle: Again')
    edit(copy / "evidence-types.yml", 'since: "2025-06-06"', "since: 6 June 2025")

    assert validate_framework(copy) == [
        Problem(
            "evidence-types.yml",
            "evidence_types/health_commissioning_template/since",
            "'6 June 2025' is not a real date written YYYY-MM-DD",
        ),
        Problem(
            "framework.yml", "", f"Duplicate key 'title' at line {line_of(copy / 'framework.yml', 'title: Again')}"
        ),
        Problem("framework.yml", "framework/in_force_from", "'2025-02-30' is not a real date written YYYY-MM-DD"),
    ]


def test_validate_reports_unknown_fields_and_rules_without_a_clock(copy):
    edit(copy / "outcomes.yml", "    label: Typically positive", "    lable: Typo\n    label: Typically positive")
    edit(copy / "statutory-rules.yml", "    period: {days: 15}\n", "")
    edit(copy / "statutory-rules.yml", "fixed_date: {month: 3, day: 31}", "fixed_date: {month: 2, day: 30}")

    assert validate_framework(copy) == [
        Problem("outcomes.yml", "outcomes/positive/lable", "Unknown field 'lable'"),
        Problem("statutory-rules.yml", "statutory_rules/draft_comment_15d", "Give a period or a fixed date"),
        Problem(
            "statutory-rules.yml", "statutory_rules/phase_transfer_31mar/fixed_date", "There is no day 30 in month 2"
        ),
    ]


def test_yaml_keeps_unquoted_dates_and_yes_no_as_text(copy):
    edit(copy / "framework.yml", 'in_force_from: "2025-06-06"', "in_force_from: 2025-06-06")
    evidence_types = copy / "evidence-types.yml"
    text = evidence_types.read_text(encoding="utf-8")
    evidence_types.write_text(text.replace('"no"', "no").replace('"yes"', "yes"), encoding="utf-8")

    fw = load_framework(copy)

    assert fw.in_force_from == date(2025, 6, 6)
    assert fw.evidence_type("survey_result").requested_at_notification == "no"
    assert fw.evidence_type("self_evaluation").requested_at_notification == "yes"


def test_load_framework_raises_framework_invalid_listing_every_problem(copy):
    edit(copy / "criteria" / "EXP1.yml", "status: C\nindicators", "status: maybe\nindicators")

    with pytest.raises(FrameworkInvalid) as raised:
        load_framework(copy)

    assert isinstance(raised.value, ValidationFailed)
    assert raised.value.problems == (
        Problem("criteria/EXP1.yml", "criteria/EXP1/status", "Must be one of C, P, U (got 'maybe')"),
    )
    assert raised.value.messages == ["criteria/EXP1.yml: criteria/EXP1/status: Must be one of C, P, U (got 'maybe')"]


def test_discover_frameworks_lists_version_folders_only(tmp_path):
    for version in ("2025-06-06", "2023-01-01"):
        (tmp_path / "area-send" / version).mkdir(parents=True)
        (tmp_path / "area-send" / version / "framework.yml").write_text("id: area-send\n", encoding="utf-8")
    (tmp_path / "schema").mkdir()
    (tmp_path / "schema" / "framework.schema.json").write_text("{}", encoding="utf-8")

    assert discover_frameworks(tmp_path) == [
        tmp_path / "area-send" / "2023-01-01",
        tmp_path / "area-send" / "2025-06-06",
    ]
    assert discover_frameworks(FRAMEWORKS) == [SHIPPED, FRAMEWORKS / "area-send" / "2025-07-07"]


# --- the model ---------------------------------------------------------------------------------------------------


def test_framework_lookups_return_items_and_raise_not_found_for_unknown_ids(shipped):
    assert shipped.criterion("EXP3").title == "Children and young people receive the right help at the right time."
    assert shipped.criterion("LEAD4").section_id == "LEAD"
    assert [criterion.id for criterion in shipped.section("AP").criteria] == ["AP1", "AP2", "AP3", "AP4"]
    assert shipped.evidence_type("health_commissioning_template").since == date(2025, 6, 6)
    assert shipped.measure("decision_6wk").dfe_comparator.columns.denominator == (
        "request_outcome_six_weeks",
        "request_outcome_over_6_weeks",
    )
    assert shipped.statutory_rule("final_plan_20w").period == Period("weeks", 20)
    assert shipped.outcome("widespread_failings").follow_up.monitoring_inspection_after_months == 18
    with pytest.raises(NotFound, match="There is no criterion 'EXP9' in area-send 2025-06-06"):
        shipped.criterion("EXP9")
    with pytest.raises(NotFound):
        shipped.measure("m_ehcp_20wk_excl")


def test_provisional_lists_every_item_that_is_not_confirmed_and_nothing_confirmed(shipped):
    provisional = shipped.provisional
    paths = [item.path for item in provisional]

    assert ProvisionalItem("sections/LEAD", "section", "U", "Leadership and partnership working") in provisional
    assert ProvisionalItem("measures/advice_6wk", "measure", "P", "Advice returned within 6 weeks") in provisional
    assert "criteria/EXP1/indicators/0" in paths
    assert "criteria/LEAD1" in paths
    assert "criteria/EXP1" not in paths  # quoted official title
    assert "outcomes/positive" not in paths
    assert "sections/EXP" not in paths
    assert all(item.status in ("P", "U") for item in provisional)
    indicators = sum(len(criterion.indicators) for criterion in shipped.criteria)
    assert sum(item.kind == "indicator" for item in provisional) == indicators  # every indicator is our own wording


def test_framework_round_trips_through_json_ready_dict_exactly(shipped):
    data = framework_to_dict(shipped)
    rebuilt = framework_from_dict(json.loads(json.dumps(data)))

    assert rebuilt == shipped
    assert framework_to_dict(rebuilt) == data
    assert [criterion["id"] for criterion in data["criteria"]][:6] == ["EXP1", "EXP2", "EXP3", "EXP4", "EXP5", "LEAD1"]
    assert data["criteria"][0]["evidence_types"][0] == "ehcna_audit"
    assert data["outcomes"][2]["follow_up"]["report_lists"] == ["areas_for_priority_action", "areas_for_improvement"]


def test_framework_from_dict_refuses_content_that_does_not_match_its_hash(shipped):
    data = framework_to_dict(shipped)
    data["criteria"][0]["title"] = "Changed after it was stored."

    with pytest.raises(ValueError, match="does not match its content hash"):
        framework_from_dict(data)


def test_content_hash_is_stable_when_the_yaml_is_reformatted(copy, shipped):
    for path in copy.rglob("*.yml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        path.write_text(yaml.safe_dump(data, sort_keys=True, default_flow_style=True, width=70), encoding="utf-8")

    assert "#" not in (copy / "outcomes.yml").read_text(encoding="utf-8")  # comments gone, layout changed
    assert load_framework(copy).content_hash == shipped.content_hash
    assert re.fullmatch(r"[0-9a-f]{64}", shipped.content_hash)


def test_content_hash_changes_when_a_criterion_title_changes(copy, shipped):
    edit(copy / "criteria" / "EXP1.yml", "assessed in a timely", "assessed in a prompt")

    assert load_framework(copy).content_hash != shipped.content_hash


# --- diff and mapping ----------------------------------------------------------------------------------------------


def newer_version(shipped: Framework) -> Framework:
    """The shipped version with a reworded, an added, a removed and a split criterion and changed links."""
    data = framework_to_dict(shipped)
    del data["content_hash"]
    data["version"] = "2026-01-01"
    criteria = {criterion["id"]: criterion for criterion in data["criteria"]}
    sections = {section["id"]: section for section in data["sections"]}

    criteria["EXP2"]["title"] = "Families take part in decisions about their plans."
    exp1 = criteria["EXP1"]
    exp1["evidence_types"] = [ref for ref in exp1["evidence_types"] if ref != "jsna"] + ["local_offer"]
    exp1["measures"] = [ref for ref in exp1["measures"] if ref != "nd_wait_13wk"] + ["cyp_community_wait_18wk"]
    exp1["indicators"][4]["text"] = "Families get practical help while they wait."

    exp3 = criteria.pop("EXP3")
    exp3a = {**exp3, "id": "EXP3A", "title": "Plans are specific and delivered.", "replaces": ["EXP3"]}
    exp3b = {**exp3, "id": "EXP3B", "title": "Health and care help comes without long waits.", "replaces": ["EXP3"]}
    exp3b["measures"] = ["cyp_community_wait_18wk", "camhs_access"]
    sections["EXP"]["criteria"] = ["EXP1", "EXP2", "EXP3A", "EXP3B", "EXP4", "EXP5"]

    del criteria["AP4"]
    sections["AP"]["criteria"] = ["AP1", "AP2", "AP3"]
    data["survey_items"] = [item for item in data["survey_items"] if item["criterion"] != "AP4"]

    lead7 = {**criteria["LEAD6"], "id": "LEAD7", "title": "Leaders plan for inclusion.", "replaces": []}
    lead7["evidence_types"] = ["local_inclusion_plan"]
    sections["LEAD"]["criteria"] = [*sections["LEAD"]["criteria"], "LEAD7"]
    data["evidence_types"].append(
        {
            "id": "local_inclusion_plan",
            "title": "Local inclusion plan",
            "description": "How the area will meet the national standards.",
            "requested_at_notification": "likely",
            "since": "2026-01-01",
            "template": None,
            "status": "U",
        }
    )
    next(item for item in data["evidence_types"] if item["id"] == "jsna")["status"] = "C"
    next(item for item in data["outcomes"] if item["id"] == "positive")["label"] = "Positive experiences"

    data["criteria"] = [*criteria.values(), exp3a, exp3b, lead7]
    return framework_from_dict(data)


def test_map_criteria_sends_a_split_criterion_to_every_successor_and_lists_removed_ones(shipped):
    mapping = map_criteria(shipped, newer_version(shipped))

    assert mapping.targets["EXP3"] == ("EXP3A", "EXP3B")
    assert mapping.targets["EXP1"] == ("EXP1",)
    assert list(mapping.targets) == [c.id for c in shipped.criteria if c.id != "AP4"]
    assert mapping.unmapped == ("AP4",)
    assert mapping.to_dict()["targets"]["EXP3"] == ["EXP3A", "EXP3B"]


def test_map_criteria_keeps_the_same_id_first_when_a_part_is_split_off(shipped):
    data = framework_to_dict(shipped)
    del data["content_hash"]
    exp6 = {**data["criteria"][2], "id": "EXP6", "replaces": ["EXP3"]}
    data["criteria"].append(exp6)
    data["sections"][0]["criteria"].append("EXP6")

    assert map_criteria(shipped, framework_from_dict(data)).targets["EXP3"] == ("EXP3", "EXP6")


def test_diff_of_a_version_with_itself_is_empty(shipped):
    diff = diff_frameworks(shipped, shipped)

    assert diff.is_empty
    assert diff.to_dict()["criteria"] == {"added": [], "removed": [], "replaced": [], "reworded": [], "changed": []}


def test_diff_reports_reworded_added_removed_split_and_changed_criteria_exactly(shipped):
    exp3 = shipped.criterion("EXP3")
    old_indicator = shipped.criterion("EXP1").indicators[4].text

    diff = diff_frameworks(shipped, newer_version(shipped))

    assert diff == FrameworkDiff(
        old_version="2025-06-06",
        new_version="2026-01-01",
        metadata=(),
        added=("LEAD7",),
        removed=("AP4",),
        replaced=(Replacement("EXP3", ("EXP3A", "EXP3B")),),
        reworded=(
            Reworded(
                "EXP2", "EXP2", shipped.criterion("EXP2").title, "Families take part in decisions about their plans."
            ),
            Reworded("EXP3", "EXP3A", exp3.title, "Plans are specific and delivered."),
            Reworded("EXP3", "EXP3B", exp3.title, "Health and care help comes without long waits."),
        ),
        changed=(
            CriterionChange(
                "EXP1",
                "EXP1",
                evidence_types_added=("local_offer",),
                evidence_types_removed=("jsna",),
                measures_added=("cyp_community_wait_18wk",),
                measures_removed=("nd_wait_13wk",),
                indicators_added=("Families get practical help while they wait.",),
                indicators_removed=(old_indicator,),
            ),
            CriterionChange(
                "EXP3",
                "EXP3B",
                measures_removed=("annual_review_on_time", "review_decision_4wk", "amend_8wk"),
            ),
        ),
        sections=CollectionDiff(
            changed=(
                ItemChange(
                    "EXP",
                    (
                        FieldChange(
                            "criteria",
                            ["EXP1", "EXP2", "EXP3", "EXP4", "EXP5"],
                            ["EXP1", "EXP2", "EXP3A", "EXP3B", "EXP4", "EXP5"],
                        ),
                    ),
                ),
                ItemChange(
                    "LEAD",
                    (
                        FieldChange(
                            "criteria",
                            ["LEAD1", "LEAD2", "LEAD3", "LEAD4", "LEAD5", "LEAD6"],
                            ["LEAD1", "LEAD2", "LEAD3", "LEAD4", "LEAD5", "LEAD6", "LEAD7"],
                        ),
                    ),
                ),
                ItemChange("AP", (FieldChange("criteria", ["AP1", "AP2", "AP3", "AP4"], ["AP1", "AP2", "AP3"]),)),
            )
        ),
        outcomes=CollectionDiff(
            changed=(
                ItemChange(
                    "positive",
                    (FieldChange("label", "Typically positive experiences and outcomes", "Positive experiences"),),
                ),
            )
        ),
        evidence_types=CollectionDiff(
            added=("local_inclusion_plan",),
            changed=(ItemChange("jsna", (FieldChange("status", "P", "C"),)),),
        ),
        measures=CollectionDiff(),
    )
    assert not diff.is_empty


def test_diff_to_dict_is_json_ready_and_names_each_change(shipped):
    result = diff_frameworks(shipped, newer_version(shipped)).to_dict()

    assert json.loads(json.dumps(result)) == result
    assert result["criteria"]["replaced"] == [{"old_id": "EXP3", "new_ids": ["EXP3A", "EXP3B"]}]
    assert result["criteria"]["changed"][0]["evidence_types"] == {"added": ["local_offer"], "removed": ["jsna"]}
    assert result["evidence_types"]["changed"] == [
        {"id": "jsna", "fields": [{"field": "status", "old": "P", "new": "C"}]}
    ]
