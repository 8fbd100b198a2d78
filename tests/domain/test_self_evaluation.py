from __future__ import annotations

from datetime import date

from inspect_app.domain.self_evaluation import (
    DEFAULT_GRADES,
    EntryContent,
    NextStep,
    Signature,
    diff_versions,
    sign_off_status,
    validate_content,
)


def test_empty_entry_is_refused_with_a_gov_uk_message():
    assert validate_content(EntryContent(), DEFAULT_GRADES) == ["Enter a grade or some evaluation before saving"]


def test_unknown_grade_and_incomplete_next_steps_are_each_reported():
    content = EntryContent(grade="outstanding", next_steps=(NextStep("", "", None), NextStep("Audit plans", "", None)))
    assert validate_content(content, DEFAULT_GRADES) == [
        "Select a grade: strong, secure, developing, weak",
        "Enter what next step 1 is, or remove it",
        "Enter who owns next step 1",
        "Enter who owns next step 2",
    ]


def test_content_round_trips_through_its_stored_form():
    content = EntryContent(
        grade="secure",
        strengths="Plans are timely.",
        impact="Fewer waits.",
        next_steps=(NextStep("Audit", "SEND lead", date(2027, 3, 31)),),
        evidence_ids=(4, 9),
    )
    assert EntryContent.from_dict(content.to_dict()) == content


def test_sign_off_needs_every_required_partner_on_the_same_version():
    signatures = [Signature("council", "a@x", 2), Signature("icb", "b@x", 1)]
    status = sign_off_status(2, signatures, ("council", "icb"))
    assert status.signed == {"council": "a@x"}
    assert status.missing == ("icb",)
    assert not status.complete
    assert sign_off_status(2, [*signatures, Signature("icb", "b@x", 2)], ("council", "icb")).complete


def test_signatures_of_partners_not_required_do_not_count():
    status = sign_off_status(1, [Signature("parent_carer_forum", "p@x", 1)], ("council",))
    assert status.signed == {}
    assert status.missing == ("council",)


def test_diff_reports_changed_fields_word_by_word():
    before = EntryContent(grade="secure", strengths="Plans are issued on time.")
    after = EntryContent(grade="developing", strengths="Plans are often issued late.")
    diffs = {d.field: d for d in diff_versions(before, after)}
    assert set(diffs) == {"grade", "strengths"}
    pieces = diffs["strengths"].pieces
    assert ("removed", "on time.") in pieces
    assert ("added", "often") in [(k, t.strip()) for k, t in pieces] or any(
        k == "added" and "often" in t for k, t in pieces
    )
    assert "".join(t for k, t in pieces if k != "removed") == "Plans are often issued late."
    assert "".join(t for k, t in pieces if k != "added") == "Plans are issued on time."


def test_identical_versions_have_no_diff():
    content = EntryContent(grade="weak", strengths="x")
    assert diff_versions(content, content) == []
