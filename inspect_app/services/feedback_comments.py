"""Family comments (themes a person confirms, quotes for the self-evaluation) and "you said, we did".

Themes are suggested at import from the framework's keywords (domain/themes.py) and count towards a
criterion only once a person has confirmed them. Inspectors are shown a comment only once it is marked as a
quote: the rest is families' raw words, kept for the partnership.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload

from inspect_app.domain.errors import ValidationFailed
from inspect_app.domain.frameworks import Framework
from inspect_app.models import SurveyComment, SurveyWave, YouSaidWeDid
from inspect_app.services import audit
from inspect_app.services.tenancy import get_scoped, scoped

MAX_TEXT = 2000
MAX_NOTE = 500
MAX_OWNER = 200


@dataclass(frozen=True)
class CommentFilter:
    survey_id: int | None = None
    theme: str | None = None  # a criterion id: the comment's question speaks to it, or it is a theme
    status: str | None = None  # suggested | confirmed
    quotes_only: bool = False


def list_comments(session: Session, partnership_id: int, filters: CommentFilter) -> list[SurveyComment]:
    """Return the partnership's comments matching the filters, newest wave first, with wave and survey loaded."""
    query = (
        scoped(SurveyComment, partnership_id)
        .join(SurveyWave, SurveyWave.id == SurveyComment.wave_id)
        .options(joinedload(SurveyComment.wave).joinedload(SurveyWave.survey))
        .order_by(func.coalesce(SurveyWave.last_response_at, SurveyWave.imported_at).desc(), SurveyComment.id)
    )
    if filters.survey_id is not None:
        query = query.where(SurveyWave.survey_id == filters.survey_id)
    if filters.status:
        query = query.where(SurveyComment.theme_status == filters.status)
    if filters.quotes_only:
        query = query.where(SurveyComment.is_quote.is_(True))
    comments = list(session.scalars(query))
    if filters.theme:
        # Themes are a JSON list: filtered here so the query is the same on SQLite and PostgreSQL.
        comments = [c for c in comments if c.criterion == filters.theme or filters.theme in (c.themes or ())]
    return comments


def theme_counts(comments: list[SurveyComment]) -> dict[str, int]:
    """Count comments per theme (criterion id), most common first."""
    counts: dict[str, int] = {}
    for comment in comments:
        for theme in comment.themes or ():
            counts[theme] = counts.get(theme, 0) + 1
    return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))


def get_comment(session: Session, partnership_id: int, comment_id: int) -> SurveyComment:
    """Return one of the partnership's comments or raise NotFound."""
    return get_scoped(session, SurveyComment, partnership_id, comment_id)


def update_comment(
    session: Session,
    actor: audit.Actor,
    comment: SurveyComment,
    *,
    themes: list[str],
    is_quote: bool,
    quote_note: str | None,
    framework: Framework,
    when: datetime,
) -> SurveyComment:
    """Confirm (or change) a comment's themes and whether it is a quote for the self-evaluation."""
    known = [criterion.id for criterion in framework.criteria]
    unknown = [theme for theme in themes if theme not in known]
    if unknown:
        raise ValidationFailed(f"{', '.join(unknown)} is not a criterion of {framework.label}")
    note = (quote_note or "").strip() or None
    if note and len(note) > MAX_NOTE:
        raise ValidationFailed(f"The note must be {MAX_NOTE} characters or fewer")
    before = {"themes": list(comment.themes or ()), "status": comment.theme_status, "is_quote": comment.is_quote}
    comment.themes = [criterion for criterion in known if criterion in themes]  # framework order
    comment.theme_status = "confirmed"
    comment.themes_confirmed_at = when
    comment.themes_confirmed_by = actor.label
    comment.is_quote = is_quote
    comment.quote_note = note if is_quote else None
    session.flush()
    audit.record(
        session,
        actor,
        "feedback.comment_updated",
        when=when,
        partnership_id=comment.partnership_id,
        object_type="survey_comment",
        object_id=comment.id,
        details={"before": before, "themes": comment.themes, "is_quote": is_quote},
    )
    return comment


# --- You said, we did ---------------------------------------------------------------------------------------


def list_entries(session: Session, partnership_id: int) -> list[YouSaidWeDid]:
    """Return the partnership's "you said, we did" entries, most recently done first (undated last)."""
    entries = session.scalars(scoped(YouSaidWeDid, partnership_id).order_by(YouSaidWeDid.id.desc()))
    return sorted(entries, key=lambda e: (e.done_on is None, -(e.done_on.toordinal() if e.done_on else 0)))


def get_entry(session: Session, partnership_id: int, entry_id: int) -> YouSaidWeDid:
    """Return one of the partnership's entries or raise NotFound."""
    return get_scoped(session, YouSaidWeDid, partnership_id, entry_id)


def create_entry(
    session: Session,
    actor: audit.Actor,
    partnership_id: int,
    *,
    said: str,
    did: str,
    criterion: str | None,
    done_on: date | None,
    owner: str,
    comment_id: int | None,
    framework: Framework,
    when: datetime,
) -> YouSaidWeDid:
    """Record what families said and what the partnership did, optionally linked to a comment."""
    values = _checked(session, partnership_id, said, did, criterion, owner, comment_id, framework)
    entry = YouSaidWeDid(
        partnership_id=partnership_id,
        done_on=done_on,
        created_at=when,
        created_by=actor.label,
        updated_at=when,
        **values,
    )
    session.add(entry)
    session.flush()
    audit.record(
        session,
        actor,
        "feedback.action_created",
        when=when,
        partnership_id=partnership_id,
        object_type="you_said_we_did",
        object_id=entry.id,
        details={"criterion": entry.criterion, "owner": entry.owner, "comment_id": entry.comment_id},
    )
    return entry


def update_entry(
    session: Session,
    actor: audit.Actor,
    entry: YouSaidWeDid,
    *,
    said: str,
    did: str,
    criterion: str | None,
    done_on: date | None,
    owner: str,
    framework: Framework,
    when: datetime,
) -> YouSaidWeDid:
    """Change an entry (its link to a comment stays as it was)."""
    values = _checked(session, entry.partnership_id, said, did, criterion, owner, entry.comment_id, framework)
    for name, value in values.items():
        setattr(entry, name, value)
    entry.done_on = done_on
    entry.updated_at = when
    session.flush()
    audit.record(
        session,
        actor,
        "feedback.action_updated",
        when=when,
        partnership_id=entry.partnership_id,
        object_type="you_said_we_did",
        object_id=entry.id,
        details={"criterion": entry.criterion, "owner": entry.owner},
    )
    return entry


def delete_entry(session: Session, actor: audit.Actor, entry: YouSaidWeDid, *, when: datetime) -> None:
    """Delete an entry."""
    details = {"said": entry.said[:200], "criterion": entry.criterion}
    partnership_id, entry_id = entry.partnership_id, entry.id
    session.delete(entry)
    session.flush()
    audit.record(
        session,
        actor,
        "feedback.action_deleted",
        when=when,
        partnership_id=partnership_id,
        object_type="you_said_we_did",
        object_id=entry_id,
        details=details,
    )


def _checked(
    session: Session,
    partnership_id: int,
    said: str,
    did: str,
    criterion: str | None,
    owner: str,
    comment_id: int | None,
    framework: Framework,
) -> dict[str, object]:
    said, did, owner = (said or "").strip(), (did or "").strip(), " ".join((owner or "").split())
    criterion = criterion or None
    problems = []
    for value, what in ((said, "what families said"), (did, "what the partnership did")):
        if not value:
            problems.append(f"Enter {what}")
        elif len(value) > MAX_TEXT:
            problems.append(f"{what.capitalize()} must be {MAX_TEXT} characters or fewer")
    if not owner:
        problems.append("Enter the owner")
    elif len(owner) > MAX_OWNER:
        problems.append(f"Owner must be {MAX_OWNER} characters or fewer")
    if criterion is not None and criterion not in {c.id for c in framework.criteria}:
        problems.append(f"{criterion} is not a criterion of {framework.label}")
    if comment_id is not None:
        get_comment(session, partnership_id, comment_id)  # NotFound for another partnership's comment
    if problems:
        raise ValidationFailed(problems)
    return {"said": said, "did": did, "criterion": criterion, "owner": owner, "comment_id": comment_id}


def entries_for_comments(session: Session, partnership_id: int, comment_ids: list[int]) -> dict[int, int]:
    """Count entries linked to each of the given comments."""
    counts: dict[int, int] = {}
    if not comment_ids:
        return counts
    for (comment_id,) in session.execute(
        select(YouSaidWeDid.comment_id).where(
            YouSaidWeDid.partnership_id == partnership_id, YouSaidWeDid.comment_id.in_(comment_ids)
        )
    ):
        counts[comment_id] = counts.get(comment_id, 0) + 1
    return counts
