"""The readiness report in JSON, HTML, Word, Excel and CSV (PDF: test_readiness_pdf.py)."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from docx import Document
from jsonschema import Draft202012Validator
from openpyxl import load_workbook

from inspect_app.domain.readiness import CAVEAT, readiness_to_json
from inspect_app.reports.readiness_render import (
    RENDERERS,
    render_csv,
    render_docx,
    render_html,
    render_json,
    render_xlsx,
)
from tests.factories import shipped_framework
from tests.page import check_html_page, text_of
from tests.reports.conftest import report_for, report_from
from tests.reports.sample import GENERATED_AT, busy_input, readiness_input

SCHEMA = Path(__file__).resolve().parents[2] / "inspect_app" / "reports" / "schemas" / "readiness-2.schema.json"


@pytest.fixture(scope="module")
def validator() -> Draft202012Validator:
    return Draft202012Validator(json.loads(SCHEMA.read_text(encoding="utf-8")))


@pytest.fixture(scope="module")
def busy_html(busy_report) -> str:  # type: ignore[no-untyped-def]
    return render_html(busy_report).decode("utf-8")


@pytest.fixture(scope="module")
def busy_docx(busy_report):  # type: ignore[no-untyped-def]
    return Document(io.BytesIO(render_docx(busy_report)))


@pytest.fixture(scope="module")
def busy_xlsx(busy_report):  # type: ignore[no-untyped-def]
    return load_workbook(io.BytesIO(render_xlsx(busy_report)))


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


# --- JSON --------------------------------------------------------------------------------------------------


def test_json_is_exactly_the_readiness_document_and_validates_against_the_schema(busy_report, busy_result, validator):
    document = json.loads(render_json(busy_report))

    assert document == readiness_to_json(busy_result, GENERATED_AT)
    assert list(validator.iter_errors(document)) == []
    assert document["schema"] == "inspect-app/readiness/2"
    assert document["caveat"] == CAVEAT
    assert document["overall"]["reason"] == busy_report.overall.reason
    assert len(document["gaps"]) == len(busy_report.gap_register)


def test_json_of_a_partnership_with_no_data_validates_and_lists_every_criterion(no_data_report, validator):
    document = json.loads(render_json(no_data_report))

    assert list(validator.iter_errors(document)) == []
    assert [c["id"] for c in document["criteria"]] == [row.id for row in no_data_report.criteria]
    assert all(c["gaps"] for c in document["criteria"])


def test_json_is_utf8_text_ending_in_a_newline(busy_report):
    data = render_json(busy_report)

    assert data.endswith(b"}\n")
    assert data.decode("utf-8")


# --- HTML --------------------------------------------------------------------------------------------------


def test_html_is_a_standalone_page_that_passes_the_house_rules(busy_html, busy_report):
    soup = check_html_page(busy_html, busy_report.service_name)

    assert soup.h1.get_text(strip=True) == "Readiness report"
    assert soup.html["lang"] == "en-GB"
    assert soup.title.get_text() == "Readiness report – Northshire local area partnership – Inspect"
    assert not soup.find_all("link") and not soup.find_all("script")  # nothing to fetch: works as a download


def test_html_tables_have_captions_and_header_scopes(busy_html, busy_report):
    soup = BeautifulSoup(busy_html, "html5lib")
    tables = soup.find_all("table")

    with_measures = sum(1 for section in busy_report.sections for d in section.criteria if d.measures)
    with_comparisons = sum(1 for section in busy_report.sections for d in section.criteria if d.comparisons)

    # the two questions, gaps by severity, criteria, criteria at a glance, rules; then each criterion's impact and
    # preparation parts, its measures and its comparisons
    assert len(tables) == 5 + 2 * 15 + with_measures + with_comparisons
    for table in tables:
        assert table.caption and table.caption.get_text(strip=True)
        assert all(th.get("scope") in {"col", "row"} for th in table.find_all("th"))


def test_html_shows_the_overall_position_every_criterion_and_the_gap_register(busy_html, busy_report):
    soup = BeautifulSoup(busy_html, "html5lib")
    text = text_of(soup)

    assert busy_report.overall.summary in text
    assert busy_report.overall.label in text
    assert busy_report.overall.reason in text
    assert CAVEAT in text
    for row in busy_report.criteria:
        heading = soup.find(id=f"criterion-{row.id}").get_text(" ", strip=True)
        assert heading == f"{row.id}: {row.title}" + (" Provisional wording" if row.provisional else "")
    register = soup.find(id="gap-register").find_parent("section")
    items = register.find_all("li", class_="app-gap-list__item")
    assert len(items) == len(busy_report.gap_register)
    assert [h3.get_text(" ", strip=True) for h3 in register.find_all("h3")] == [
        f"{mark} {c.label} severity: {c.count} gaps" for mark, c in zip("▩▨□", busy_report.overall.gaps, strict=True)
    ]
    first, last = busy_report.gap_register[0], busy_report.gap_register[-1]
    assert squash(items[0].get_text(" ")) == f"{first.criterion_id} {first.message} What to do: {first.action}"
    assert items[-1].find_parent("ol").find_previous_sibling("h3")["id"] == f"gap-register-{last.severity}"


def test_html_contents_link_to_every_section_and_criterion(busy_html, busy_report):
    soup = BeautifulSoup(busy_html, "html5lib")
    targets = [a["href"][1:] for a in soup.find("nav", class_="app-contents").find_all("a")]

    assert targets[:4] == ["overall-position", "next-actions", "criteria-scores", "gap-register"]
    assert "criterion-AP4" in targets and targets[-1] == "about-this-report"
    assert all(soup.find(id=target) for target in targets)


def test_html_charts_are_inline_svg_each_with_a_title_beside_a_table_of_the_same_numbers(busy_html, busy_report):
    soup = BeautifulSoup(busy_html, "html5lib")
    figures = soup.find_all("figure", class_="app-chart")

    assert len(figures) == 2
    for figure in figures:
        svg = figure.find("svg")
        assert svg["role"] == "img" and svg.find("title").get_text()
        assert figure.find_next_sibling("div", class_="app-table-wrapper").find("table")
    rows = soup.find(id="criteria-scores").find_parent().find("tbody")("tr")
    impact = [squash(row.find_all("td")[1].get_text(" ")) for row in rows]
    preparation = [squash(row.find_all("td")[2].get_text(" ")) for row in rows]
    assert [i.split(" ▩")[0].split(" ▨")[0].split(" ■")[0] for i in impact] == [
        r.impact_text for r in busy_report.criteria
    ]
    assert all(p.startswith(r.preparation_text) for p, r in zip(preparation, busy_report.criteria, strict=True))


def test_html_writes_every_rag_as_a_word_beside_its_pattern_mark(busy_html, busy_report):
    soup = BeautifulSoup(busy_html, "html5lib")
    tags = soup.find_all("strong", class_="app-rag")

    assert tags
    for tag in tags:
        assert tag.find("span", class_="app-rag__mark")["aria-hidden"] == "true"
        assert tag.get_text(" ", strip=True).split(" ", 1)[1] in {"Green", "Amber", "Red", "Not rated", "High",
                                                                   "Medium", "Low", "Not enough data"}  # fmt: skip


def test_html_escapes_what_people_typed(busy_result):
    report = report_for(busy_result, partnership_name='North <script>alert("x")</script> shire')

    html = render_html(report).decode("utf-8")

    assert "<script>" not in html
    assert "North &lt;script&gt;" in html


# --- Word --------------------------------------------------------------------------------------------------


def headings(document, level: int) -> list[str]:  # type: ignore[no-untyped-def]
    return [p.text for p in document.paragraphs if p.style.name == f"Heading {level}"]


def test_docx_has_a_title_and_real_headings_for_every_section_and_criterion(busy_docx, busy_report):
    assert [p.text for p in busy_docx.paragraphs if p.style.name == "Title"] == ["Readiness report"]
    level1 = headings(busy_docx, 1)
    assert level1[:5] == [
        "Contents", "Overall position", "Next actions", "Criteria: impact and preparation", "Gap register"
    ]  # fmt: skip
    assert [s.title for s in busy_report.sections] == level1[5:-1]
    assert level1[-1] == "About this report"
    assert headings(busy_docx, 2)[1:] == [f"{row.id}: {row.title}" for row in busy_report.criteria]
    assert headings(busy_docx, 3)[:3] == [
        "Impact: what the data and families say", "Preparation: can the partnership show it", "Gaps and actions"
    ]  # fmt: skip


def test_docx_carries_the_position_the_caveat_the_reason_and_the_summary(busy_docx, busy_report):
    text = "\n".join(p.text for p in busy_docx.paragraphs)

    assert CAVEAT in text
    assert busy_report.overall.label in text
    assert busy_report.overall.reason in text
    assert busy_report.overall.summary in text
    assert "Practitioners say" in text
    assert busy_docx.core_properties.title == "Readiness report: Northshire local area partnership"


def test_docx_tables_use_a_built_in_style_with_a_repeating_bold_header_row(busy_docx):
    for table in busy_docx.tables:
        header = table.rows[0]
        assert table.style.name == "Light Grid"
        assert (
            header._tr.trPr.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}tblHeader") is not None
        )
        assert all(run.bold for cell in header.cells for run in cell.paragraphs[0].runs)


def test_docx_criteria_table_has_the_expected_header_and_figures(busy_docx, busy_report):
    header = ["Criterion", "Title", "Impact", "Preparation", "Score", "RAG"]
    table = next(t for t in busy_docx.tables if [c.text for c in t.rows[0].cells] == header)
    rows = [[c.text for c in row.cells] for row in table.rows[1:]]

    assert [row[0] for row in rows] == [r.id for r in busy_report.criteria]
    assert [row[4] for row in rows] == [r.score_text for r in busy_report.criteria]
    assert all(row[2].startswith(r.impact_text) for row, r in zip(rows, busy_report.criteria, strict=True))
    ap1 = rows[[r.id for r in busy_report.criteria].index("AP1")]
    assert ap1[1].endswith("(provisional wording)")


def test_docx_gap_register_has_a_row_per_gap(busy_docx, busy_report):
    header = ["Criterion", "Severity", "What is wrong", "What to do"]
    table = next(t for t in busy_docx.tables if [c.text for c in t.rows[0].cells] == header)
    first = busy_report.gap_register[0]

    assert len(table.rows) == len(busy_report.gap_register) + 1
    assert [c.text for c in table.rows[1].cells] == [
        first.criterion_id,
        first.severity_label,
        first.message,
        first.action,
    ]


def test_docx_charts_are_pictures_with_alternative_text_each_followed_by_its_table(busy_docx, busy_report):
    shapes = busy_docx.inline_shapes
    descriptions = [shape._inline.docPr.get("descr") for shape in shapes]

    assert len(shapes) == 2
    assert descriptions == [
        f"Chart: {busy_report.gaps_chart_title}. The table after it gives the same numbers.",
        f"Chart: {busy_report.scores_chart_title}. The table after it gives the same numbers.",
    ]


# --- Excel -------------------------------------------------------------------------------------------------


def test_xlsx_has_the_five_sheets_each_with_a_bold_frozen_header_and_a_filter(busy_xlsx):
    assert busy_xlsx.sheetnames == ["Summary", "Criteria", "Gap register", "Measures", "Comparisons"]
    for sheet in busy_xlsx.worksheets:
        assert all(cell.font.bold for cell in sheet[1])
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref == f"A1:{sheet.cell(1, sheet.max_column).column_letter}{sheet.max_row}"
        assert all(sheet.column_dimensions[c.column_letter].width >= 8 for c in sheet[1])


def test_xlsx_gap_register_reads_back_row_for_row(busy_xlsx, busy_report):
    sheet = busy_xlsx["Gap register"]
    header = [c.value for c in sheet[1]]
    first = dict(zip(header, [c.value for c in sheet[2]], strict=True))

    assert header == [
        "Criterion",
        "Criterion title",
        "Severity",
        "Code",
        "What is wrong",
        "What to do",
        "Owner",
        "Where to do it",
        "Rule",
    ]
    assert sheet.max_row == len(busy_report.gap_register) + 1
    gap = busy_report.gap_register[0]
    assert first == {
        "Criterion": gap.criterion_id,
        "Criterion title": gap.criterion_title,
        "Severity": gap.severity_label,
        "Code": gap.code,
        "What is wrong": gap.message,
        "What to do": gap.action,
        "Owner": gap.owner,
        "Where to do it": gap.link,
        "Rule": gap.explanation,
    }


def test_xlsx_keeps_numbers_as_numbers_and_dates_as_dates(busy_xlsx, busy_report):
    criteria = busy_xlsx["Criteria"]
    measures = busy_xlsx["Measures"]
    summary = {row[0].value: row[1].value for row in busy_xlsx["Summary"].iter_rows(min_row=2)}
    value_column = [c.value for c in measures[1]].index("Value")
    values = [row[value_column].value for row in measures.iter_rows(min_row=2)]

    header = [c.value for c in criteria[1]]
    column = {name: header.index(name) for name in ("Impact score", "Preparation score", "Score", "Wording")}
    rows = list(criteria.iter_rows(min_row=2))
    assert [row[column["Score"]].value for row in rows] == [r.score for r in busy_report.criteria]
    assert [row[column["Impact score"]].value for row in rows] == [r.impact_score for r in busy_report.criteria]
    assert [row[column["Preparation score"]].value for row in rows] == [
        r.preparation_score for r in busy_report.criteria
    ]
    assert [row[column["Wording"]].value for row in rows][-4:] == ["Provisional"] * 4
    assert all(isinstance(v, int | float) for v in values if v is not None)
    assert all(v == round(v, 1) for v in values if v is not None)  # as DfE rounds, never 59.88006154276523
    assert any(v is None for v in values)  # no figure: an empty cell, not the words "No figure"
    assert summary["Overall score (0 to 100)"] == busy_report.overall.score
    assert summary["Overall position"] == busy_report.overall.label
    assert summary["Why"] == busy_report.overall.reason
    assert summary["Caveat"] == CAVEAT
    assert summary["Position as of"].date() == busy_report.as_of
    assert summary["Total gaps"] == len(busy_report.gap_register)


def test_xlsx_never_turns_text_into_a_formula(busy_result):
    gap = dataclasses.replace(busy_result.gaps[0], message='=HYPERLINK("http://example.com","click")')
    report = report_for(dataclasses.replace(busy_result, gaps=(gap,)))

    cell = load_workbook(io.BytesIO(render_xlsx(report)))["Gap register"]["E2"]

    assert cell.data_type == "s"
    assert cell.value == '=HYPERLINK("http://example.com","click")'


def test_xlsx_comparisons_keep_each_comparators_year_and_round_as_dfe_does(busy_xlsx, busy_report):
    sheet = busy_xlsx["Comparisons"]
    header = [c.value for c in sheet[1]]
    rows = [dict(zip(header, [c.value for c in row], strict=True)) for row in sheet.iter_rows(min_row=2)]

    assert len(rows) == len(busy_report.comparisons)
    for row, (measure, comparison) in zip(rows, busy_report.comparisons, strict=True):
        assert (row["Measure id"], row["Comparator"], row["Period"]) == (measure.id, comparison.name, comparison.period)
        assert row["Partnership"] == comparison.local_value == round(comparison.local_value, 1)
        assert row["Comparator figure"] == comparison.value


# --- CSV ---------------------------------------------------------------------------------------------------


def csv_records(report) -> list[dict[str, str]]:  # type: ignore[no-untyped-def]
    return list(csv.DictReader(io.StringIO(render_csv(report).decode("utf-8-sig"))))


def test_csv_holds_the_position_caveat_each_criterion_and_the_gap_register_in_excel_friendly_utf8(busy_report):
    data = render_csv(busy_report)
    records = csv_records(busy_report)

    assert data.startswith(b"\xef\xbb\xbfrecord,criterion,title,wording,score,rag,impact_score,")
    assert b"\r\n" in data
    overall, caveat = records[0], records[1]
    assert (overall["record"], overall["title"], overall["code"], overall["message"]) == (
        "overall",
        busy_report.overall.label,
        busy_report.overall.position,
        busy_report.overall.reason,
    )
    assert (caveat["record"], caveat["message"]) == ("caveat", CAVEAT)
    criteria = [r for r in records if r["record"] == "criterion"]
    assert [(r["criterion"], r["impact_score"], r["preparation_score"]) for r in criteria] == [
        (row.id, "" if row.impact_score is None else str(row.impact_score), str(row.preparation_score))
        for row in busy_report.criteria
    ]
    gaps = [r for r in records if r["record"] == "gap"]
    assert len(gaps) == len(busy_report.gap_register)
    gap = busy_report.gap_register[0]
    assert [gaps[0][k] for k in ("criterion", "code", "severity", "message", "action", "owner")] == [
        gap.criterion_id, gap.code, gap.severity, gap.message, gap.action, gap.owner or ""
    ]  # fmt: skip


def test_csv_defuses_text_that_a_spreadsheet_would_run_as_a_formula(busy_result):
    gap = dataclasses.replace(busy_result.gaps[0], message="=1+1", action="@SUM(A1)")
    report = report_for(dataclasses.replace(busy_result, gaps=(gap,)))

    [row] = [r for r in csv_records(report) if r["record"] == "gap"]

    assert (row["message"], row["action"]) == ("'=1+1", "'@SUM(A1)")


# --- A partnership with no data ----------------------------------------------------------------------------


@pytest.mark.parametrize("report_format", ["json", "html", "docx", "xlsx", "csv"])
def test_a_partnership_with_no_data_gets_every_format_without_error(no_data_report, report_format):
    assert RENDERERS[report_format](no_data_report)


def test_a_partnership_with_no_data_gets_every_criterion_with_its_gaps_in_html_word_and_csv(no_data_report):
    soup = BeautifulSoup(render_html(no_data_report), "html5lib")
    docx_text = "\n".join(p.text for p in Document(io.BytesIO(render_docx(no_data_report))).paragraphs)
    csv_rows = [r for r in csv_records(no_data_report) if r["record"] == "gap"]

    for row in no_data_report.criteria:
        article = soup.find(id=f"criterion-{row.id}").find_parent("article")
        assert f"No evidence is linked to {row.id}." in article.get_text()
        assert f"{row.id} has no self-evaluation: no grade and no text." in article.get_text()
        assert f"{row.id}: {row.title}" in docx_text
        assert {"NO_EVIDENCE", "NO_SELF_EVALUATION", "NO_FAMILY_VOICE"} <= {
            r["code"] for r in csv_rows if r["criterion"] == row.id
        }
    assert len(csv_rows) == len(no_data_report.gap_register)


def test_a_framework_with_no_criteria_renders_every_format():
    report = report_from(readiness_input(()))

    for report_format in ("json", "html", "docx", "xlsx", "csv"):
        assert RENDERERS[report_format](report)


def text_of_format(report, report_format: str) -> str:  # type: ignore[no-untyped-def]
    data = RENDERERS[report_format](report)
    if report_format == "docx":
        document = Document(io.BytesIO(data))
        cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
        return "\n".join([p.text for p in document.paragraphs] + cells + [document.core_properties.comments or ""])
    if report_format == "xlsx":
        workbook = load_workbook(io.BytesIO(data))
        return "\n".join(str(c.value) for sheet in workbook.worksheets for row in sheet.iter_rows() for c in row)
    if report_format == "json":
        return "\n".join(strings_in(json.loads(data)))
    if report_format == "html":
        return BeautifulSoup(data, "html5lib").get_text(" ")
    return "\n".join(cell for row in csv.reader(io.StringIO(data.decode("utf-8-sig"))) for cell in row)


def strings_in(value) -> list[str]:  # type: ignore[no-untyped-def]
    if isinstance(value, dict):
        return [*value, *(s for item in value.values() for s in strings_in(item))]
    if isinstance(value, list):
        return [s for item in value for s in strings_in(item)]
    return [value] if isinstance(value, str) else []


@pytest.mark.parametrize("report_format", ["json", "html", "docx", "xlsx", "csv"])
def test_no_format_ever_uses_an_inspection_outcomes_label_and_every_one_carries_the_caveat_and_reason(
    busy_report, no_data_report, report_format
):
    outcomes = shipped_framework().outcomes
    for report in (busy_report, no_data_report):
        text = text_of_format(report, report_format)
        for outcome in outcomes:
            assert outcome.label.lower() not in text.lower(), (report_format, outcome.label)
            assert outcome.statement.lower() not in text.lower()
        assert "systemic failings" not in text.lower()
        assert CAVEAT in text
        assert report.overall.label in text
        assert report.overall.reason in text


def test_the_busy_sample_is_deterministic():
    assert busy_input() == busy_input()
