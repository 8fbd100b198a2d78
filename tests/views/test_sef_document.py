"""The self-evaluation as a document (HTML, PDF, Word), the report commands, and evidence chosen in the form."""

from __future__ import annotations

import io
import json
import subprocess
from datetime import datetime

import pytest
from docx import Document
from sqlalchemy import select

from inspect_app.domain.self_evaluation import EntryContent, NextStep
from inspect_app.models import AuditEvent, SefEntry
from inspect_app.services import timeliness
from tests.evidence_factories import make_item
from tests.factories import write_sef_entry

WHEN = datetime(2026, 2, 1, 9, 0)


@pytest.fixture(autouse=True)
def _fresh_snapshots():  # type: ignore[no-untyped-def]
    timeliness.clear_cache()
    yield
    timeliness.clear_cache()


def _write(session, world_part, criterion_id: str, content: EntryContent, *, sign: bool) -> None:  # type: ignore[no-untyped-def]
    write_sef_entry(session, world_part, criterion_id, content, sign=sign, when=WHEN)


def _pdf_text(data: bytes) -> str:
    return subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True).stdout.decode()


def test_members_download_the_current_self_evaluation_and_inspectors_only_signed_off_versions(
    client, session, two_partnerships, sign_in
):
    a = two_partnerships.a
    _write(session, a, "EXP1", EntryContent(grade="secure", strengths="Signed strength."), sign=True)
    _write(
        session,
        a,
        "EXP2",
        EntryContent(
            grade="developing",
            strengths="Draft strength.",
            next_steps=(NextStep("Audit 20 plans", "SEND lead", None),),
        ),
        sign=False,
    )

    sign_in(a.viewer)
    word = Document(io.BytesIO(client.get("/p/alpha/self-evaluation/document.docx").data))
    paragraphs = [p.text for p in word.paragraphs]
    headings = [p.text for p in word.paragraphs if p.style.name == "Heading 2"]
    assert len(headings) == 15 and headings[0].startswith("EXP1: ")
    assert "Signed strength." in paragraphs and "Draft strength." in paragraphs
    tables = ["\t".join(c.text for c in row.cells) for t in word.tables for row in t.rows]
    assert "Audit 20 plans\tSEND lead\t" in tables

    sign_in(a.inspector)
    pdf = client.get("/p/alpha/self-evaluation/document.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    text = _pdf_text(pdf.data)
    assert "Signed strength." in text
    assert "Draft strength." not in text
    assert "No signed-off evaluation" in text
    events = session.scalars(select(AuditEvent).where(AuditEvent.action == "report.downloaded")).all()
    assert [(e.object_id, e.details["format"], e.details["signed_off_only"]) for e in events] == [
        ("sef", "docx", False),
        ("sef", "pdf", True),
    ]
    assert client.get("/p/alpha/self-evaluation/document.xlsx").status_code == 404


def test_evidence_chosen_in_the_form_is_saved_and_another_partnerships_item_is_refused(
    client, session, two_partnerships, sign_in, app, tmp_path
):
    from inspect_app.storage.local import LocalStore

    store = LocalStore(tmp_path / "store")
    mine = make_item(session, store, two_partnerships.a, title="Our plan", links={"EXP1": "Shows timeliness."})
    theirs = make_item(session, store, two_partnerships.b, title="Their plan", links={"EXP1": "Shows timeliness."})
    session.commit()
    sign_in(two_partnerships.a.contributor)
    form = client.get("/p/alpha/self-evaluation/EXP1/edit").data.decode()
    assert f'value="{mine.id}"' in form and "Their plan" not in form
    data = {"grade": "secure", "strengths": "Timely.", "areas_for_development": "", "impact": "", "version": "0"}
    for i in range(5):
        data.update({f"next_steps-{i}-text": "", f"next_steps-{i}-owner": "", f"next_steps-{i}-due": ["", "", ""]})

    refused = client.post("/p/alpha/self-evaluation/EXP1/edit", data={**data, "evidence_ids": [str(theirs.id)]})
    assert refused.status_code == 200  # the form again, with the error
    assert session.scalars(select(SefEntry)).first() is None

    saved = client.post("/p/alpha/self-evaluation/EXP1/edit", data={**data, "evidence_ids": [str(mine.id)]})
    assert saved.status_code == 302
    entry = session.scalars(select(SefEntry)).one()
    assert entry.content["evidence_ids"] == [mine.id]
    page = client.get("/p/alpha/self-evaluation/EXP1").data.decode()
    assert f'href="/p/alpha/evidence/items/{mine.id}"' in page and "Our plan" in page
    sign_in(two_partnerships.a.inspector)  # the item is a draft: inspectors never see it cited
    assert "Our plan" not in client.get("/p/alpha/self-evaluation/document").data.decode()


def test_report_commands_write_the_readiness_json_and_the_self_evaluation(app, session, two_partnerships, tmp_path):
    runner = app.test_cli_runner()
    output = tmp_path / "readiness.json"
    result = runner.invoke(
        args=["report", "readiness", "--partnership", "alpha", "--format", "json", "--output", str(output)]
    )
    assert result.exit_code == 0, result.output
    document = json.loads(output.read_text())
    assert document["schema"] == "inspect-app/readiness/2" and document["partnership"]["slug"] == "alpha"

    word = tmp_path / "sef.docx"
    result = runner.invoke(args=["report", "sef", "--partnership", "alpha", "--format", "docx", "--output", str(word)])
    assert result.exit_code == 0, result.output
    assert [p.text for p in Document(str(word)).paragraphs][0] == "Self-evaluation"

    missing = runner.invoke(args=["report", "readiness", "--partnership", "nope", "--output", str(tmp_path / "x.json")])
    assert missing.exit_code == 1 and "No partnership" in missing.output
    assert not (tmp_path / "x.json").exists()
    actions = session.scalars(select(AuditEvent.object_id).where(AuditEvent.action == "report.written")).all()
    assert actions == ["readiness", "sef"]


def test_an_edit_after_sign_off_leaves_inspectors_the_signed_version_and_the_summary_counts_what_is_shown(
    app, session, two_partnerships
):
    from inspect_app.services.readiness import ReadinessSettings
    from inspect_app.services.sef_document import build_sef_document

    a = two_partnerships.a
    _write(session, a, "EXP1", EntryContent(grade="secure", strengths="Signed text."), sign=True)
    _write(session, a, "EXP1", EntryContent(grade="strong", strengths="Edited after sign-off."), sign=False)
    settings = ReadinessSettings.from_app_config(app.config)

    for_members = build_sef_document(session, a.partnership, settings)
    for_inspectors = build_sef_document(session, a.partnership, settings, signed_off_only=True)

    def exp1(document):  # type: ignore[no-untyped-def]
        return next(p for s in document.sections for p in s.criteria if p.id == "EXP1")

    assert exp1(for_members).strengths == ("Edited after sign-off.",)
    assert exp1(for_members).status_text.startswith("Version 2, a draft waiting for sign-off")
    assert for_members.criteria_signed_off == 0
    assert exp1(for_inspectors).strengths == ("Signed text.",)
    assert exp1(for_inspectors).version == 1
    assert for_inspectors.criteria_signed_off == 1
    assert for_inspectors.summary.startswith("1 of 15 criteria have a version signed off by every partner")
