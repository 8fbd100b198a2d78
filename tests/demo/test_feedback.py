"""The demo's family feedback: real-layout exports imported through the importer, with weaker criteria."""

from __future__ import annotations

from flask import current_app
from sqlalchemy import select

from inspect_app import demo
from inspect_app.models import Survey, SurveyComment, YouSaidWeDid
from inspect_app.services import feedback as service
from inspect_app.services.frameworks import partnership_framework
from tests.factories import FRAMEWORKS_DIR, NOW


def test_demo_imports_a_two_wave_parent_survey_and_a_young_peoples_survey(session):
    context = demo.build_demo(
        session, config=current_app.config, seed=2026, cases=10, now=NOW, frameworks_root=FRAMEWORKS_DIR
    )
    pid = context.partnership.id
    surveys = {s.name: s for s in session.scalars(select(Survey).where(Survey.partnership_id == pid))}
    parents = surveys["Parent carer forum annual survey"]
    young = surveys["Young people's voice survey"]
    parent_waves = service.list_waves(session, parents)
    assert [w.source for w in parent_waves] == ["smartsurvey", "smartsurvey"]
    assert all(200 <= w.respondents <= 400 for w in parent_waves)
    assert [w.source for w in service.list_waves(session, young)] == ["microsoft_forms"]
    assert sum(w.redaction_total for w in parent_waves) > 0  # personal details typed into comments were removed
    stored = " ".join(session.scalars(select(SurveyComment.text)))
    assert "07700 900123" not in stored and "parent.demo@example.com" not in stored
    results = service.criterion_feedback(session, pid)
    assert results["EXP1"].agree_pct < results["EXP5"].agree_pct  # identification is weaker than inclusion
    assert any(result.quotes for result in results.values())
    assert session.scalars(select(YouSaidWeDid).where(YouSaidWeDid.partnership_id == pid)).all()
    framework = partnership_framework(session, context.partnership)[1]
    analysis = service.analyse_survey(session, parents, framework, chart=False)
    assert analysis.previous is not None and analysis.item_changes
