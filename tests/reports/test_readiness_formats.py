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

from inspect_app.domain.readiness import ESTIMATE_LABEL, readiness_to_json
from inspect_app.reports.readiness_report import (
    RENDERERS,
    render_csv,
    render_docx,
    render_html,
    render_json,
    render_xlsx,
)
from tests.page import check_html_page, text_of
from tests.reports.conftest import report_for, report_from
from tests.reports.sample import GENERATED_AT, busy_input, readiness_input

SCHEMA = Path(__file__).resolve().parents[2] / "inspect_app" / "reports" / "schemas" / "readiness-1.schema.json"


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
    assert document["schema"] == "inspect-app/readiness/1"
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

    # gaps by severity, criterion scores, criteria at a glance, rules; then each criterion's score and measures
    assert len(tables) == 4 + 15 + with_measures
    for table in tables:
        assert table.caption and table.caption.get_text(strip=True)
        assert all(th.get("scope") in {"col", "row"} for th in table.find_all("th"))


def test_html_shows_the_overall_position_every_criterion_and_the_gap_register(busy_html, busy_report):
    soup = BeautifulSoup(busy_html, "html5lib")
    text = text_of(soup)

    assert busy_report.overall.summary in text
    assert ESTIMATE_LABEL in text
    assert "Widespread and/or systemic failings" in text
    for row in busy_report.criteria:
        assert soup.find(id=f"criterion-{row.id}").get_text(" ", strip=True) == f"{row.id}: {row.title}"
    register = soup.find(id="gap-register").find_parent("section")
    items = register.find_all("li", class_="app-gap-list__item")
    assert len(items) == len(busy_report.gap_register)
    assert [h3.get_text(" ", strip=True) for h3 in register.find_all("h3")] == [
        f"{mark} {c.label} severity: {c.count} gaps" for mark, c in zip("▩▨□", busy_report.overall.gaps, strict=True)
    ]
    first, last = busy_report.gap_register[0], busy_report.gap_register[-1]
    assert squash(items[0].get_text(" ")) == (
        f"{first.criterion_id} {first.message} {first.code} What to do: {first.action}"
    )
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
    score_cells = [
        row.find_all("td")[1].get_text() for row in soup.find(id="criteria-scores").find_parent().find("tbody")("tr")
    ]
    assert score_cells == [str(row.score) for row in busy_report.criteria]


def test_html_writes_every_rag_as_a_word_beside_its_pattern_mark(busy_html, busy_report):
    soup = BeautifulSoup(busy_html, "html5lib")
    tags = soup.find_all("strong", class_="app-rag")

    assert tags
    for tag in tags:
        assert tag.find("span", class_="app-rag__mark")["aria-hidden"] == "true"
        assert tag.get_text(" ", strip=True).split(" ", 1)[1] in {"Green", "Amber", "Red", "Not rated", "High",
                                                                   "Medium", "Low"}  # fmt: skip


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
    assert level1[:5] == ["Contents", "Overall position", "Next actions", "Criteria scores", "Gap register"]
    assert [s.title for s in busy_report.sections] == level1[5:-1]
    assert level1[-1] == "About this report"
    assert headings(busy_docx, 2)[1:] == [f"{row.id}: {row.title}" for row in busy_report.criteria]
    assert headings(busy_docx, 3)[:3] == ["How the score is made up", "Measures against England", "Gaps and actions"]


def test_docx_carries_the_estimate_label_and_the_overall_summary(busy_docx, busy_report):
    text = "\n".join(p.text for p in busy_docx.paragraphs)

    assert ESTIMATE_LABEL in text
    assert busy_report.overall.summary in text
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
    table = next(
        t for t in busy_docx.tables if [c.text for c in t.rows[0].cells] == ["Criterion", "Title", "Score", "RAG"]
    )
    rows = [[c.text for c in row.cells] for row in table.rows[1:]]

    assert rows == [[r.id, r.title, str(r.score), r.rag_label] for r in busy_report.criteria]


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


def test_xlsx_has_the_four_sheets_each_with_a_bold_frozen_header_and_a_filter(busy_xlsx):
    assert busy_xlsx.sheetnames == ["Summary", "Criteria", "Gap register", "Measures"]
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
        "Criterion", "Criterion title", "Severity", "Code", "What is wrong", "What to do", "Owner", "Rule"
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
        "Rule": gap.explanation,
    }


def test_xlsx_keeps_numbers_as_numbers_and_dates_as_dates(busy_xlsx, busy_report):
    criteria = busy_xlsx["Criteria"]
    measures = busy_xlsx["Measures"]
    summary = {row[0].value: row[1].value for row in busy_xlsx["Summary"].iter_rows(min_row=2)}
    value_column = [c.value for c in measures[1]].index("Value")
    values = [row[value_column].value for row in measures.iter_rows(min_row=2)]

    assert [row[3].value for row in criteria.iter_rows(min_row=2)] == [r.score for r in busy_report.criteria]
    assert all(isinstance(v, int | float) for v in values if v is not None)
    assert any(v is None for v in values)  # no figure: an empty cell, not the words "No figure"
    assert summary["Overall score (0 to 100)"] == busy_report.overall.score
    assert summary["Position as of"].date() == busy_report.as_of
    assert summary["Total gaps"] == len(busy_report.gap_register)


def test_xlsx_never_turns_text_into_a_formula(busy_result):
    gap = dataclasses.replace(busy_result.gaps[0], message='=HYPERLINK("http://example.com","click")')
    report = report_for(dataclasses.replace(busy_result, gaps=(gap,)))

    cell = load_workbook(io.BytesIO(render_xlsx(report)))["Gap register"]["E2"]

    assert cell.data_type == "s"
    assert cell.value == '=HYPERLINK("http://example.com","click")'


# --- CSV ---------------------------------------------------------------------------------------------------


def test_csv_is_the_gap_register_one_row_per_gap_in_excel_friendly_utf8(busy_report):
    data = render_csv(busy_report)
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))

    assert data.startswith(b"\xef\xbb\xbfcriterion,code,severity,message,action,owner\r\n")
    assert rows[0] == ["criterion", "code", "severity", "message", "action", "owner"]
    assert len(rows) == len(busy_report.gap_register) + 1
    gap = busy_report.gap_register[0]
    assert rows[1] == [gap.criterion_id, gap.code, gap.severity, gap.message, gap.action, gap.owner or ""]


def test_csv_defuses_text_that_a_spreadsheet_would_run_as_a_formula(busy_result):
    gap = dataclasses.replace(busy_result.gaps[0], message="=1+1", action="@SUM(A1)")
    report = report_for(dataclasses.replace(busy_result, gaps=(gap,)))

    rows = list(csv.reader(io.StringIO(render_csv(report).decode("utf-8-sig"), newline="")))

    assert rows[1][3:5] == ["'=1+1", "'@SUM(A1)"]


# --- A partnership with no data ----------------------------------------------------------------------------


@pytest.mark.parametrize("report_format", ["json", "html", "docx", "xlsx", "csv"])
def test_a_partnership_with_no_data_gets_every_format_without_error(no_data_report, report_format):
    assert RENDERERS[report_format](no_data_report)


def test_a_partnership_with_no_data_gets_every_criterion_with_its_gaps_in_html_word_and_csv(no_data_report):
    soup = BeautifulSoup(render_html(no_data_report), "html5lib")
    docx_text = "\n".join(p.text for p in Document(io.BytesIO(render_docx(no_data_report))).paragraphs)
    csv_rows = list(csv.DictReader(io.StringIO(render_csv(no_data_report).decode("utf-8-sig"))))

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


def test_the_busy_sample_is_deterministic():
    assert busy_input() == busy_input()
