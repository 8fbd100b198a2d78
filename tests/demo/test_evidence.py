from __future__ import annotations

from datetime import datetime

from flask import current_app
from sqlalchemy import select

from inspect_app import demo
from inspect_app.models import EvidenceItem
from inspect_app.services import evidence as evidence_service
from inspect_app.services.frameworks import partnership_framework
from tests.factories import FRAMEWORKS_DIR


def test_demo_builds_a_realistic_library_across_every_criterion(app, session):
    now = datetime(2026, 11, 27, 9, 0)
    context = demo.build_demo(
        session, config=current_app.config, seed=7, cases=10, now=now, frameworks_root=FRAMEWORKS_DIR
    )
    items = session.scalars(select(EvidenceItem)).all()
    assert 40 <= len(items) <= 60
    statuses = {item.status for item in items}
    assert statuses == {"draft", "ready_for_review", "approved", "returned"}
    today = context.now.date()
    assert any(item.review_by < today for item in items)  # some stale
    assert {item.kind for item in items} == {"document", "link", "snapshot"}
    assert {r.file_type for item in items for r in item.revisions} >= {"pdf", "docx", "xlsx", "csv"}
    _, framework = partnership_framework(session, context.partnership)
    coverage = evidence_service.coverage(session, context.partnership.id, framework, role="lead", today=today)
    assert all(fact.linked for fact in coverage.values())
    assert all(item.returned_reason for item in items if item.status == "returned")
