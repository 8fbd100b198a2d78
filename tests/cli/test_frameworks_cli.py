from __future__ import annotations

import json
import shutil
from pathlib import Path

from sqlalchemy import select

from inspect_app.models import FrameworkVersion
from tests.factories import LATEST_FRAMEWORK_DIR

SHIPPED = LATEST_FRAMEWORK_DIR


def run(app, *args):  # type: ignore[no-untyped-def]
    return app.test_cli_runner().invoke(args=list(args))


def test_validate_passes_on_the_shipped_frameworks(app):
    result = run(app, "frameworks", "validate")
    assert result.exit_code == 0, result.output
    assert f"{SHIPPED}: valid" in result.output


def test_validate_reports_each_problem_with_file_and_path_and_exits_1(app, tmp_path):
    broken = tmp_path / "area-send" / SHIPPED.name
    shutil.copytree(SHIPPED, broken)
    exp1 = broken / "criteria" / "EXP1.yml"
    exp1.write_text(exp1.read_text().replace("  - ehcp_20wk_excl\n", "  - no_such_measure\n", 1))
    result = run(app, "frameworks", "validate", str(broken))
    assert result.exit_code == 1
    assert "criteria/EXP1.yml: criteria/EXP1/measures/0: Unknown measure 'no_such_measure'" in result.stderr


def test_load_is_idempotent_and_show_json_lists_criteria(app, session):
    assert "added" in run(app, "frameworks", "load").output
    assert "unchanged" in run(app, "frameworks", "load").output
    assert len(session.scalars(select(FrameworkVersion)).all()) == 2  # every shipped version
    data = json.loads(run(app, "frameworks", "show", "--json").output)
    assert data["id"] == "area-send"
    assert [c["id"] for c in data["criteria"]][:3] == ["EXP1", "EXP2", "EXP3"]
    assert {"id", "title", "status"} <= set(data["criteria"][0])
    assert {"ehcp_20wk_excl", "decision_6wk"} <= {m["id"] for m in data["measures"]}


def test_show_without_a_loaded_framework_fails_clearly(app):
    result = run(app, "frameworks", "show")
    assert result.exit_code == 1
    assert "not loaded" in result.stderr


def test_diff_between_two_folders_names_the_reworded_criterion(app, tmp_path):
    new = tmp_path / "area-send" / SHIPPED.name  # folder names must match the framework's id and version
    shutil.copytree(SHIPPED, new)
    exp2 = new / "criteria" / "EXP2.yml"
    text = exp2.read_text()
    old_title = next(line for line in text.splitlines() if line.startswith("title:"))
    exp2.write_text(text.replace(old_title, "title: Families shape the plans made with them."))
    result = run(app, "frameworks", "diff", str(SHIPPED), str(new))
    assert result.exit_code == 0, result.output
    assert "Reworded EXP2:" in result.output
    assert "Families shape the plans made with them." in result.output
    assert run(app, "frameworks", "diff", str(SHIPPED), str(SHIPPED)).output.strip().endswith("No differences.")


def test_diff_of_loaded_versions_by_id_at_version(app):
    run(app, "frameworks", "load")
    result = run(app, "frameworks", "diff", f"area-send@{SHIPPED.name}", str(Path(SHIPPED)))
    assert result.exit_code == 0, result.output
    assert "No differences." in result.output


def test_diff_of_the_july_2025_version_reads_as_plain_lines_with_names_not_python_dicts(app):
    june, july = SHIPPED.parent / "2025-06-06", SHIPPED.parent / "2025-07-07"

    result = run(app, "frameworks", "diff", str(june), str(july))
    lines = result.output.splitlines()

    assert result.exit_code == 0, result.output
    assert lines[0] == "Area SEND inspections: framework and handbook: 2025-06-06 -> 2025-07-07"
    assert "{" not in result.output and "[" not in result.output  # no raw dicts or lists
    assert "  Added: priority_action_plan (Priority action plan (area SEND) and the feedback on it)" in lines
    assert "  Changed ehcp_20wk_excl (New EHC plans issued within 20 weeks, excluding exceptions):" in lines
    assert "    duty: not set -> yes" in lines
    assert any(line.startswith("      + The report sets out areas for priority action") for line in lines)
    assert any("DfE and NHS England" in line for line in lines)
    assert any(line.startswith("    measures added: decision_16wk_no_plan (") for line in lines)
