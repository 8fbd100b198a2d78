"""Comments (themes confirmed, quotes) and "you said, we did" entries."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from inspect_app.domain.errors import NotFound, ValidationFailed
from inspect_app.models import AuditEvent
from inspect_app.services import audit
from inspect_app.services import feedback_comments as service
from inspect_app.services.frameworks import partnership_framework
from tests.factories import NOW, create_feedback


@pytest.fixture
def world(two_partnerships):  # type: ignore[no-untyped-def]
    return two_partnerships


@pytest.fixture
def framework(session, world):  # type: ignore[no-untyped-def]
    return partnership_framework(session, world.a.partnership)[1]


def test_confirming_themes_orders_them_marks_a_quote_and_audits(session, world, framework):
    _, _, comment, _ = create_feedback(session, world.a.partnership)
    assert comment.theme_status == "suggested"
    service.update_comment(
        session,
        audit.SYSTEM,
        comment,
        themes=["LEAD2", "EXP1"],
        is_quote=True,
        quote_note="  For section 2  ",
        framework=framework,
        when=NOW,
    )
    assert (comment.themes, comment.theme_status, comment.is_quote, comment.quote_note) == (
        ["EXP1", "LEAD2"],
        "confirmed",
        True,
        "For section 2",
    )
    assert comment.themes_confirmed_by == "command line"
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "feedback.comment_updated")).one()
    assert event.details["themes"] == ["EXP1", "LEAD2"]
    service.update_comment(
        session, audit.SYSTEM, comment, themes=[], is_quote=False, quote_note="kept?", framework=framework, when=NOW
    )
    assert (comment.themes, comment.is_quote, comment.quote_note) == ([], False, None)


def test_a_theme_outside_the_framework_is_refused(session, world, framework):
    _, _, comment, _ = create_feedback(session, world.a.partnership)
    with pytest.raises(ValidationFailed, match="EXP9 is not a criterion"):
        service.update_comment(
            session,
            audit.SYSTEM,
            comment,
            themes=["EXP9"],
            is_quote=False,
            quote_note=None,
            framework=framework,
            when=NOW,
        )


def test_comment_filters_by_survey_theme_status_and_quotes(session, world, framework):
    survey, _, comment, _ = create_feedback(session, world.a.partnership)
    other, _, _, _ = create_feedback(session, world.a.partnership, survey_name="Second survey")
    pid = world.a.partnership.id
    everything = service.list_comments(session, pid, service.CommentFilter())
    assert len(service.list_comments(session, pid, service.CommentFilter(survey_id=survey.id))) * 2 == len(everything)
    service.update_comment(
        session, audit.SYSTEM, comment, themes=["AP1"], is_quote=True, quote_note=None, framework=framework, when=NOW
    )
    assert service.list_comments(session, pid, service.CommentFilter(quotes_only=True)) == [comment]
    assert service.list_comments(session, pid, service.CommentFilter(status="confirmed")) == [comment]
    assert service.list_comments(session, pid, service.CommentFilter(theme="AP1")) == [comment]
    exp3 = service.list_comments(session, pid, service.CommentFilter(theme="EXP3"))
    assert exp3 and all(c.criterion == "EXP3" or "EXP3" in c.themes for c in exp3)
    assert service.list_comments(session, world.b.partnership.id, service.CommentFilter()) == []
    assert service.theme_counts(everything)["EXP3"] >= 1


def test_you_said_we_did_entries_are_checked_created_changed_and_deleted(session, world, framework):
    _, _, comment, first = create_feedback(session, world.a.partnership)
    pid = world.a.partnership.id
    with pytest.raises(ValidationFailed) as error:
        service.create_entry(
            session,
            audit.SYSTEM,
            pid,
            said=" ",
            did="",
            criterion="EXP99",
            done_on=None,
            owner="",
            comment_id=None,
            framework=framework,
            when=NOW,
        )
    assert error.value.messages == [
        "Enter what families said",
        "Enter what the partnership did",
        "Enter the owner",
        "EXP99 is not a criterion of area-send 2025-07-07",
    ]
    entry = service.create_entry(
        session,
        audit.SYSTEM,
        pid,
        said="Too slow",
        did="Hired two caseworkers",
        criterion="",
        done_on=NOW.date(),
        owner="  SEND   lead ",
        comment_id=None,
        framework=framework,
        when=NOW,
    )
    assert (entry.criterion, entry.owner) == (None, "SEND lead")
    assert service.list_entries(session, pid) == [entry, first]  # dated first, undated last
    service.update_entry(
        session,
        audit.SYSTEM,
        entry,
        said="Too slow",
        did="Hired three",
        criterion="EXP1",
        done_on=None,
        owner="Lead",
        framework=framework,
        when=NOW,
    )
    assert (entry.did, entry.criterion) == ("Hired three", "EXP1")
    service.delete_entry(session, audit.SYSTEM, entry, when=NOW)
    assert service.list_entries(session, pid) == [first]
    actions = set(session.scalars(select(AuditEvent.action).where(AuditEvent.action.like("feedback.action_%"))))
    assert actions == {"feedback.action_created", "feedback.action_updated", "feedback.action_deleted"}
    assert service.entries_for_comments(session, pid, [comment.id]) == {comment.id: 1}


def test_an_entry_cannot_link_another_partnerships_comment(session, world, framework):
    _, _, b_comment, b_entry = create_feedback(session, world.b.partnership)
    with pytest.raises(NotFound):
        service.create_entry(
            session,
            audit.SYSTEM,
            world.a.partnership.id,
            said="x",
            did="y",
            criterion=None,
            done_on=None,
            owner="z",
            comment_id=b_comment.id,
            framework=framework,
            when=NOW,
        )
    with pytest.raises(NotFound):
        service.get_entry(session, world.a.partnership.id, b_entry.id)
