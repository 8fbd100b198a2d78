from __future__ import annotations

from sqlalchemy import func, select

from inspect_app.models import EvidenceItem
from inspect_app.storage import get_store
from tests.evidence_factories import make_item


def run(app, *args):  # type: ignore[no-untyped-def]
    return app.test_cli_runner().invoke(args=list(args))


def _count(session) -> int:  # type: ignore[no-untyped-def]
    session.expire_all()
    return session.scalar(select(func.count()).select_from(EvidenceItem)) or 0


def test_import_evidence_adds_every_row(app, session, two_partnerships, tmp_path):
    register = tmp_path / "register.csv"
    register.write_text(
        "title,evidence_type,partner,owner_email,criteria,status\n"
        "Strategy,send_strategy,council,lead@alpha.example,LEAD1: Priorities.,approved\n"
    )
    result = run(app, "import", "evidence", str(register), "--partnership", "alpha")
    assert result.exit_code == 0, result.output
    assert "1 evidence items imported into alpha" in result.output
    assert _count(session) == 1


def test_import_evidence_errors_name_file_row_and_column_on_stderr_and_change_nothing(
    app, session, two_partnerships, tmp_path
):
    register = tmp_path / "register.csv"
    register.write_text(
        "title,evidence_type,partner,owner_email\n"
        "Good,send_strategy,council,lead@alpha.example\n"
        "Bad,send_strategy,council,nobody@example.org\n"
    )
    result = run(app, "import", "evidence", str(register), "--partnership", "alpha")
    assert result.exit_code == 1
    assert f"{register}: Row 3, column owner_email (value 'nobody@example.org'): The owner must be" in result.stderr
    assert _count(session) == 0


def test_import_evidence_dry_run_checks_without_importing(app, session, two_partnerships, tmp_path):
    register = tmp_path / "register.csv"
    register.write_text("title,evidence_type,partner,owner_email\nA,send_strategy,council,lead@alpha.example\n")
    result = run(app, "import", "evidence", str(register), "--partnership", "alpha", "--dry-run")
    assert result.exit_code == 0
    assert "would be imported (dry run)" in result.output
    assert _count(session) == 0


def test_import_evidence_refuses_an_unreadable_file_and_an_unknown_partnership(app, two_partnerships, tmp_path):
    register = tmp_path / "register.csv"
    register.write_text("name,colour\nA,red\n")
    result = run(app, "import", "evidence", str(register), "--partnership", "alpha")
    assert result.exit_code == 1 and f"{register}: The file has no" in result.stderr
    result = run(app, "import", "evidence", str(register), "--partnership", "nowhere")
    assert result.exit_code == 1 and "No partnership 'nowhere'" in result.stderr


def test_evidence_export_writes_the_register(app, session, two_partnerships, tmp_path):
    make_item(session, get_store(), two_partnerships.a, title="Strategy")
    session.commit()
    output = tmp_path / "register.csv"
    result = run(app, "evidence", "export", "--partnership", "alpha", "--format", "csv", "--output", str(output))
    assert result.exit_code == 0, result.output
    assert "EV-0001,Strategy" in output.read_text(encoding="utf-8-sig")


def test_check_store_reports_missing_files_and_prunes_unreferenced_ones(app, session, two_partnerships):
    import io

    store = get_store()
    item = make_item(session, store, two_partnerships.a)
    session.commit()
    stray = store.put(io.BytesIO(b"left behind by a rolled-back upload"))
    result = run(app, "evidence", "check-store", "--delete-unreferenced")
    assert result.exit_code == 0, result.output
    assert not store.exists(stray.sha256) and store.exists(item.revisions[0].sha256)
    store.delete(item.revisions[0].sha256)
    result = run(app, "evidence", "check-store")
    assert result.exit_code == 1
    assert f"Missing from the store: {item.revisions[0].sha256}" in result.stderr
