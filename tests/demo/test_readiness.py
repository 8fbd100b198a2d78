"""The demo's readiness: on the July 2025 framework, and the page and every download agree on the new model."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess

import pytest
from bs4 import BeautifulSoup
from docx import Document
from flask import current_app
from openpyxl import load_workbook

from inspect_app import demo
from inspect_app.domain.readiness import CAVEAT
from inspect_app.services import timeliness
from inspect_app.services.frameworks import partnership_framework
from tests.factories import FRAMEWORKS_DIR, NOW


@pytest.fixture(autouse=True)
def _fresh_cache():  # type: ignore[no-untyped-def]
    timeliness.clear_cache()
    yield
    timeliness.clear_cache()


@pytest.fixture
def demo_lead(app, session, client, sign_in):  # type: ignore[no-untyped-def]
    app.config["FIXED_NOW"] = NOW.isoformat()
    context = demo.build_demo(
        session, config=current_app.config, seed=2026, cases=400, now=NOW, frameworks_root=FRAMEWORKS_DIR
    )
    session.commit()
    sign_in(context.people["lead@demo.example"])
    return context


def download(client, file_format: str) -> bytes:  # type: ignore[no-untyped-def]
    response = client.get(f"/p/demo/readiness/download.{file_format}")
    assert response.status_code == 200
    return response.get_data()


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def test_the_demo_partnership_works_against_the_july_2025_framework(session, demo_lead):
    _, framework = partnership_framework(session, demo_lead.partnership)

    assert (framework.id, framework.version) == ("area-send", "2025-07-07")


def test_the_demos_readiness_page_pdf_word_excel_csv_and_json_agree(client, demo_lead, tmp_path):
    document = json.loads(download(client, "json"))
    overall = document["overall"]
    expected = {c["id"]: (c["score"], c["impact"]["score"], c["preparation"]["score"]) for c in document["criteria"]}
    assert document["schema"] == "inspect-app/readiness/2" and document["framework"]["version"] == "2025-07-07"
    assert overall["position"] != "ready"  # mid-preparation on purpose, timeliness well below the law

    def text(score: int | None) -> str:
        return "Not enough data" if score is None else f"{score} out of 100"

    # The page.
    page = BeautifulSoup(client.get("/p/demo/readiness/").get_data(as_text=True), "html5lib")
    assert overall["label"] in page.get_text() and overall["reason"] in squash(page.get_text(" "))
    for row in page.select("#criteria-scores ~ .app-table-wrapper tbody tr"):
        criterion = row.find("th").find("a").get_text()
        cells = [squash(td.get_text(" ")) for td in row.find_all("td")]
        score, impact, preparation = expected[criterion]
        assert cells[0].startswith(text(impact)) and cells[1].startswith(text(preparation)), criterion
        assert cells[2].startswith(text(score)), criterion

    # CSV.
    records = list(csv.DictReader(io.StringIO(download(client, "csv").decode("utf-8-sig"))))
    assert (records[0]["title"], records[0]["message"]) == (overall["label"], overall["reason"])
    assert records[1]["message"] == CAVEAT
    assert {
        r["criterion"]: tuple(int(r[k]) if r[k] else None for k in ("score", "impact_score", "preparation_score"))
        for r in records
        if r["record"] == "criterion"
    } == expected

    # Excel.
    workbook = load_workbook(io.BytesIO(download(client, "xlsx")))
    summary = {row[0].value: row[1].value for row in workbook["Summary"].iter_rows(min_row=2)}
    assert (summary["Overall position"], summary["Why"], summary["Caveat"]) == (
        overall["label"],
        overall["reason"],
        CAVEAT,
    )
    assert (summary["Impact score (0 to 100)"], summary["Preparation score (0 to 100)"]) == (
        overall["impact"]["score"], overall["preparation"]["score"]
    )  # fmt: skip
    sheet = workbook["Criteria"]
    header = [c.value for c in sheet[1]]
    at = [header.index(name) for name in ("Criterion", "Score", "Impact score", "Preparation score")]
    assert {row[at[0]].value: tuple(row[i].value for i in at[1:]) for row in sheet.iter_rows(min_row=2)} == expected

    # Word.
    word = Document(io.BytesIO(download(client, "docx")))
    paragraphs = "\n".join(p.text for p in word.paragraphs)
    assert overall["label"] in paragraphs and overall["reason"] in paragraphs and CAVEAT in paragraphs
    table = next(
        t
        for t in word.tables
        if [c.text for c in t.rows[0].cells][:4] == ["Criterion", "Title", "Impact", "Preparation"]
    )
    for row in table.rows[1:]:
        cells = [c.text for c in row.cells]
        score, impact, preparation = expected[cells[0]]
        assert cells[2].startswith(text(impact)) and cells[3].startswith(text(preparation)) and cells[4] == text(score)

    # PDF.
    path = tmp_path / "readiness.pdf"
    path.write_bytes(download(client, "pdf"))
    pdf = squash(
        subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True).stdout.decode()
    )
    assert overall["label"] in pdf and CAVEAT in pdf
    for criterion, (score, _, _) in expected.items():
        if score is None:
            assert f"{criterion} has not enough data on impact to score" in pdf
        else:
            assert f"{criterion} scores {score} out of 100" in pdf
