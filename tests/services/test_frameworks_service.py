from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import select

from inspect_app.domain.errors import ValidationFailed
from inspect_app.domain.frameworks import load_framework
from inspect_app.models import AuditEvent, FrameworkVersion
from inspect_app.services import audit, framework_moves
from inspect_app.services import frameworks as service
from tests.factories import FRAMEWORKS_DIR, LATEST_FRAMEWORK_DIR, NOW, create_partnership, shipped_framework


def _copy_version(tmp_path: Path, version: str) -> Path:
    source = LATEST_FRAMEWORK_DIR
    target = tmp_path / "area-send" / version
    shutil.copytree(source, target)
    framework_yml = target / "framework.yml"
    text = framework_yml.read_text()
    framework_yml.write_text(
        text.replace(f"version: {source.name!r}", f"version: {version!r}")
        .replace(f'version: "{source.name}"', f'version: "{version}"')
        .replace(f"version: {source.name}", f"version: {version}")
    )
    return target


def test_loading_the_shipped_frameworks_is_idempotent(session):
    first = service.load_frameworks(session, audit.SYSTEM, FRAMEWORKS_DIR, when=NOW)
    second = service.load_frameworks(session, audit.SYSTEM, FRAMEWORKS_DIR, when=NOW)
    assert [o.status for o in first] == ["added"] * len(first)
    assert [o.status for o in second] == ["unchanged"] * len(second)
    assert len(session.scalars(select(FrameworkVersion)).all()) == len(first)
    assert len(session.scalars(select(AuditEvent).where(AuditEvent.action == "framework.added")).all()) == len(first)


def test_changed_content_under_a_version_in_use_is_refused(session):
    framework = shipped_framework()
    service.store_framework(session, audit.SYSTEM, framework, when=NOW)
    row = service.get_version(session, framework.id, framework.version)
    create_partnership(session, slug="alpha", framework_version_id=row.id)
    changed = replace(framework, title=framework.title + " (edited)", content_hash="0" * 64)
    with pytest.raises(ValidationFailed, match="never changed in place"):
        service.store_framework(session, audit.SYSTEM, changed, when=NOW)
    assert service.get_version(session, framework.id, framework.version).content_hash == framework.content_hash


def test_changed_content_of_an_unused_version_is_updated(session):
    framework = shipped_framework()
    service.store_framework(session, audit.SYSTEM, framework, when=NOW)
    changed = replace(framework, title="Retitled", content_hash="f" * 64)
    assert service.store_framework(session, audit.SYSTEM, changed, when=NOW).status == "updated"


def test_a_new_partnership_adopts_the_latest_loaded_version(session):
    from inspect_app.services.partnerships import create_partnership as create

    service.load_frameworks(session, audit.SYSTEM, FRAMEWORKS_DIR, when=NOW)
    partnership = create(session, audit.SYSTEM, slug="north", name="North", la_code="805", icb_name=None, when=NOW)
    row, framework = service.partnership_framework(session, partnership)
    assert row.id == service.latest_version(session).id
    assert len(framework.criteria) == 15


def test_stored_framework_rebuilds_to_the_same_model(session):
    framework = shipped_framework()
    service.store_framework(session, audit.SYSTEM, framework, when=NOW)
    session.expire_all()
    row = service.get_version(session, framework.id, framework.version)
    assert service.framework_of(row) == framework


def test_moving_version_previews_the_diff_then_moves_and_audits(session, tmp_path):
    old = shipped_framework()
    service.store_framework(session, audit.SYSTEM, old, when=NOW)
    old_row = service.get_version(session, old.id, old.version)
    partnership = create_partnership(session, slug="alpha", framework_version_id=old_row.id)
    new_folder = _copy_version(tmp_path, "2099-01-01")
    (new_folder / "framework.yml").write_text(
        (new_folder / "framework.yml")
        .read_text()
        .replace(f"in_force_from: {old.in_force_from.isoformat()}", "in_force_from: 2099-01-01")
    )
    new = load_framework(new_folder)
    service.store_framework(session, audit.SYSTEM, new, when=NOW)
    new_row = service.get_version(session, new.id, "2099-01-01")

    calls = []

    def hook(session_, partnership_id, mapping, apply):  # type: ignore[no-untyped-def]
        calls.append((partnership_id, dict(mapping.targets), apply))
        return service.HookReport("test links", carried=len(mapping.targets), dropped=len(mapping.unmapped))

    carries = (*framework_moves.CARRIES, hook)
    plan = framework_moves.plan_move(session, partnership, new_row, carries=carries)
    assert partnership.framework_version_id == old_row.id  # preview changes nothing
    assert plan.diff.is_empty
    assert plan.mapping.targets["EXP1"] == ("EXP1",)
    framework_moves.move_partnership(session, audit.SYSTEM, partnership, new_row, when=NOW, carries=carries)
    assert partnership.framework_version_id == new_row.id
    assert [c[2] for c in calls] == [False, False, True]
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "framework.partnership_moved")).one()
    assert event.details["carried"]["test links"] == 15  # other features' hooks report beside it
    with pytest.raises(ValidationFailed, match="already works against"):
        framework_moves.plan_move(session, partnership, new_row)
