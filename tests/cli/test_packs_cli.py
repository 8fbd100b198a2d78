"""`inspect-app report evidence-pack` and `inspect-app pack verify`: files, output, exit codes, audit."""

from __future__ import annotations

import json
import zipfile

import pytest
from sqlalchemy import select

from inspect_app.models import AuditEvent
from inspect_app.storage import get_store
from tests.evidence_factories import make_item
from tests.factories import NOW


def run(app, *args):  # type: ignore[no-untyped-def]
    return app.test_cli_runner().invoke(args=list(args))


@pytest.fixture
def approved(app, session, two_partnerships):  # type: ignore[no-untyped-def]
    app.config["FIXED_NOW"] = NOW.isoformat()
    item = make_item(session, get_store(), two_partnerships.a, status="approved")
    make_item(session, get_store(), two_partnerships.a, title="A draft")
    session.commit()
    return item


def test_evidence_pack_command_writes_a_pack_that_verifies_and_audits_both(app, session, approved, tmp_path):
    pack = tmp_path / "alpha.zip"
    result = run(app, "report", "evidence-pack", "--partnership", "alpha", "--output", str(pack))
    assert result.exit_code == 0, result.output
    assert f"Wrote {pack}:" in result.stdout and "1 evidence files" in result.stdout
    assert [p.name for p in tmp_path.iterdir()] == ["alpha.zip"]  # no temporary file left behind
    with zipfile.ZipFile(pack) as archive:
        manifest = json.loads(archive.read("manifest.json"))
    assert [f["evidence_id"] for f in manifest["files"] if f["kind"] == "evidence"] == [approved.id]

    verified = run(app, "pack", "verify", str(pack))
    assert verified.exit_code == 0, verified.output
    assert f"alpha.zip: all {len(manifest['files'])} files match the manifest" in verified.stdout
    actions = session.scalars(select(AuditEvent.action).where(AuditEvent.object_type == "evidence_pack")).all()
    assert sorted(actions) == ["evidence_pack.built", "evidence_pack.verified"]


def test_pack_verify_exits_1_and_names_each_difference(app, approved, tmp_path):
    pack = tmp_path / "alpha.zip"
    assert run(app, "report", "evidence-pack", "--partnership", "alpha", "--output", str(pack)).exit_code == 0
    tampered = tmp_path / "tampered.zip"
    with zipfile.ZipFile(pack) as old, zipfile.ZipFile(tampered, "w") as new:
        for name in old.namelist():
            data = old.read(name)
            new.writestr(name, data + b"!" if name.startswith("evidence/") else data)
        new.writestr("notes.txt", b"added later")
    result = run(app, "pack", "verify", str(tampered))
    assert result.exit_code == 1
    assert "size" in result.stderr and "sha256" in result.stderr
    assert "notes.txt: in the pack but not in the manifest" in result.stderr


def test_pack_verify_exits_1_for_a_file_that_is_not_a_zip(app, session, tmp_path):
    bogus = tmp_path / "bogus.zip"
    bogus.write_text("not a zip")
    result = run(app, "pack", "verify", str(bogus))
    assert result.exit_code == 1
    assert "not a readable ZIP file" in result.stderr


def test_evidence_pack_for_an_unknown_partnership_exits_1_and_writes_nothing(app, session, two_partnerships, tmp_path):
    result = run(app, "report", "evidence-pack", "--partnership", "nobody", "--output", str(tmp_path / "x.zip"))
    assert result.exit_code == 1
    assert "Error:" in result.stderr
    assert list(tmp_path.iterdir()) == []
