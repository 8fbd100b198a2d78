"""Family feedback: surveys, importing their waves, and the figures per survey and per criterion.

A survey is imported one wave (one export file) at a time with a column mapping a person confirmed
(domain/feedback.py); the mapping is saved on the survey so the next wave imports in one go. Imports are
all-or-nothing: a file with any row error stores nothing. Re-importing the same file (same SHA-256) into the
same survey is refused.

The figures other features use come from `criterion_feedback`: for each criterion, the answers linked to it
in the latest wave of each survey, pooled across surveys. Counting is done by the database (GROUP BY), so it
stays fast with tens of thousands of responses. A survey's own page loads its answers with one query per
survey, as plain tuples, and summarises them with the domain functions.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, distinct, func, select, update
from sqlalchemy.orm import Session

from inspect_app.domain.errors import NotFound, ValidationFailed
from inspect_app.domain.feedback import (
    AGREE,
    AUDIENCES,
    DEFAULT_MIN_N,
    GROUP_KINDS,
    POINTS,
    SCALE,
    AgreeStats,
    ColumnRole,
    Comment,
    CriterionSummary,
    FeedbackResponse,
    GroupFigure,
    GroupSummary,
    ItemSummary,
    LikertAnswer,
    SurveyItem,
    SurveyMapping,
    WaveComparison,
    agree_stats_from_counts,
    compare_summaries,
    diverging_bars,
    mapping_from_yaml,
    mapping_to_yaml,
)
from inspect_app.domain.framework_diff import CriterionMapping
from inspect_app.domain.frameworks import Framework
from inspect_app.domain.readiness import FAMILY_AUDIENCES, FeedbackFact
from inspect_app.domain.redaction import REDACTION_KINDS
from inspect_app.domain.themes import suggest_themes
from inspect_app.models import (
    Survey,
    SurveyAnswer,
    SurveyComment,
    SurveyQuestion,
    SurveyResponse,
    SurveyWave,
    YouSaidWeDid,
)
from inspect_app.services import audit, planner
from inspect_app.services.frameworks import HookReport
from inspect_app.services.tenancy import get_scoped, scoped

# Scale points as stored: 1 = strongly agree ... 5 = strongly disagree, 6 = don't know, 7 = not applicable.
POINT_CODES = {point: code for code, point in enumerate(POINTS, start=1)}
CODE_POINTS = {code: point for point, code in POINT_CODES.items()}
SCALE_CODES = tuple(POINT_CODES[point] for point in SCALE)
AGREE_CODES = tuple(POINT_CODES[point] for point in AGREE)
SOURCE_LABELS = {
    "microsoft_forms": "Microsoft Forms",
    "google_forms": "Google Forms",
    "surveymonkey": "SurveyMonkey",
    "smartsurvey": "SmartSurvey",
}
GROUP_LABELS = {"role": "Role", "age_band": "Age band", "need": "Need", "setting": "Setting"}
REDACTION_LABELS = {
    "email": "email address",
    "upn": "unique pupil number",
    "ni_number": "National Insurance number",
    "phone": "phone number",
    "nhs_number": "NHS number",
    "postcode": "postcode",
    "name": "name",
}
MAX_NAME = 200
MAX_LABEL = 100
INSERT_BATCH = 5000
COMMENT_COLUMNS = (
    "partnership_id",
    "wave_id",
    "response_id",
    "column_name",
    "criterion",
    "text",
    "themes",
    "theme_status",
    "is_quote",
)

Progress = Callable[[int, int], None]  # (responses just stored, responses in all)


# --- Surveys -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SurveyListing:
    survey: Survey
    waves: list[SurveyWave]  # earliest first

    @property
    def latest(self) -> SurveyWave | None:
        return self.waves[-1] if self.waves else None


def list_surveys(session: Session, partnership_id: int) -> list[SurveyListing]:
    """Return the partnership's surveys by name, each with its waves (earliest first)."""
    surveys = list(session.scalars(scoped(Survey, partnership_id).order_by(Survey.name)))
    by_survey: dict[int, list[SurveyWave]] = defaultdict(list)
    for wave in session.scalars(scoped(SurveyWave, partnership_id)):
        by_survey[wave.survey_id].append(wave)
    return [SurveyListing(survey, sorted(by_survey.get(survey.id, []), key=wave_order)) for survey in surveys]


def get_survey(session: Session, partnership_id: int, survey_id: int) -> Survey:
    """Return one of the partnership's surveys or raise NotFound."""
    return get_scoped(session, Survey, partnership_id, survey_id)


def find_survey_by_name(session: Session, partnership_id: int, name: str) -> Survey | None:
    """Return the partnership's survey with this name (ignoring case and spacing), or None."""
    wanted = _name_key(name)
    return next((s for s in session.scalars(scoped(Survey, partnership_id)) if _name_key(s.name) == wanted), None)


def create_survey(
    session: Session,
    actor: audit.Actor,
    partnership_id: int,
    *,
    name: str,
    audience: str,
    opened_on: date | None = None,
    closed_on: date | None = None,
    when: datetime,
) -> Survey:
    """Create a survey after checking its details (name unique within the partnership)."""
    name = " ".join((name or "").split())
    _check_survey(session, partnership_id, None, name, audience, opened_on, closed_on)
    survey = Survey(
        partnership_id=partnership_id,
        name=name,
        audience=audience,
        opened_on=opened_on,
        closed_on=closed_on,
        created_at=when,
        created_by=actor.label,
        updated_at=when,
    )
    session.add(survey)
    session.flush()
    audit.record(
        session,
        actor,
        "feedback.survey_created",
        when=when,
        partnership_id=partnership_id,
        object_type="survey",
        object_id=survey.id,
        details={"name": name, "audience": audience},
    )
    return survey


def update_survey(
    session: Session,
    actor: audit.Actor,
    survey: Survey,
    *,
    name: str,
    audience: str,
    opened_on: date | None,
    closed_on: date | None,
    when: datetime,
) -> Survey:
    """Change a survey's details."""
    name = " ".join((name or "").split())
    _check_survey(session, survey.partnership_id, survey.id, name, audience, opened_on, closed_on)
    before = {"name": survey.name, "audience": survey.audience}
    survey.name, survey.audience, survey.opened_on, survey.closed_on = name, audience, opened_on, closed_on
    survey.updated_at = when
    session.flush()
    audit.record(
        session,
        actor,
        "feedback.survey_updated",
        when=when,
        partnership_id=survey.partnership_id,
        object_type="survey",
        object_id=survey.id,
        details={"before": before, "name": name, "audience": audience},
    )
    return survey


def _check_survey(
    session: Session,
    partnership_id: int,
    survey_id: int | None,
    name: str,
    audience: str,
    opened_on: date | None,
    closed_on: date | None,
) -> None:
    problems = []
    if not name:
        problems.append("Enter the survey's name")
    elif len(name) > MAX_NAME:
        problems.append(f"Survey name must be {MAX_NAME} characters or fewer")
    else:
        existing = find_survey_by_name(session, partnership_id, name)
        if existing is not None and existing.id != survey_id:
            problems.append(f"There is already a survey called {existing.name}")
    if audience not in AUDIENCES:
        problems.append(f"Select who the survey is for: {', '.join(AUDIENCES)}")
    if opened_on and closed_on and closed_on < opened_on:
        problems.append("The closing date must be the same as or after the opening date")
    if problems:
        raise ValidationFailed(problems)


def _name_key(name: str) -> str:
    return " ".join((name or "").split()).casefold()


def saved_mapping(survey: Survey) -> SurveyMapping | None:
    """Return the mapping the survey's last wave was imported with, if any."""
    return mapping_from_yaml(survey.mapping_yaml) if survey.mapping_yaml else None


def wave_order(wave: SurveyWave) -> tuple[datetime, int]:
    """Order waves by when their responses were collected (the import time when there are no dates)."""
    return (wave.last_response_at or wave.imported_at, wave.id)


def list_waves(session: Session, survey: Survey) -> list[SurveyWave]:
    """Return a survey's waves, earliest first."""
    waves = session.scalars(scoped(SurveyWave, survey.partnership_id).where(SurveyWave.survey_id == survey.id))
    return sorted(waves, key=wave_order)


def get_wave(session: Session, survey: Survey, wave_id: int) -> SurveyWave:
    """Return one wave of a survey or raise NotFound."""
    wave = get_scoped(session, SurveyWave, survey.partnership_id, wave_id)
    if wave.survey_id != survey.id:
        raise NotFound(f"Wave {wave_id} is not part of survey {survey.id}")
    return wave


# --- Mapping against the framework ---------------------------------------------------------------------------


def framework_survey_items(framework: Framework, audience: str | None = None) -> list[SurveyItem]:
    """Return the framework's question bank as mapping suggestions (the survey's audience first)."""
    items = [
        SurveyItem(id=item.id, criterion=item.criterion_id, text=item.statement, audience=item.audience)
        for item in framework.survey_items
    ]
    return sorted(items, key=lambda item: item.audience != audience) if audience else items


def check_mapping(mapping: SurveyMapping, framework: Framework) -> SurveyMapping:
    """Check the criteria a mapping names against the framework, and fill in a question-bank item's criterion.

    A Likert column linked to a question-bank item speaks to that item's criterion, so a mapping that names
    only the item gets the criterion from the framework; naming a different criterion is refused.
    """
    criteria = {criterion.id for criterion in framework.criteria}
    items = {item.id: item for item in framework.survey_items}
    problems = []
    columns: dict[str, ColumnRole] = {}
    for name, role in mapping.columns.items():
        if role.criterion is not None and role.criterion not in criteria:
            problems.append(
                f"Column {name!r}: criterion {role.criterion!r} is not in the framework ({framework.label})"
            )
        item = items.get(role.survey_item or "")
        if role.role == "likert" and item is not None:
            if role.criterion is not None and role.criterion != item.criterion_id:
                problems.append(
                    f"Column {name!r}: survey item {item.id} belongs to {item.criterion_id}, not {role.criterion}"
                )
            role = ColumnRole.likert(item.id, item.criterion_id)
        columns[name] = role
    if problems:
        raise ValidationFailed(problems)
    return SurveyMapping(columns=columns, answers=custom_answers(mapping))


def custom_answers(mapping: SurveyMapping) -> dict[str, str]:
    """Return the answer wordings a mapping adds to (or changes from) the defaults."""
    from inspect_app.domain.feedback import DEFAULT_ANSWERS

    return {text: point for text, point in mapping.answers.items() if DEFAULT_ANSWERS.get(text) != point}


def mapping_from_choices(
    columns: Sequence[tuple[str, str, str, str]], answers: dict[str, str], framework: Framework
) -> SurveyMapping:
    """Build a mapping from the mapping page's choices: (column, role, link, group kind) per column.

    `link` is "item:<survey item id>", "criterion:<criterion id>" or "" (not linked: the column's own name
    identifies the item). A free-text column linked to a survey item speaks to that item's criterion.
    """
    items = {item.id: item for item in framework.survey_items}
    roles: dict[str, ColumnRole] = {}
    for name, role, link, group in columns:
        kind, _, target = (link or "").partition(":")
        item = items.get(target) if kind == "item" else None
        criterion = target if kind == "criterion" else (item.criterion_id if item else None)
        if role == "likert":
            # An item outside the question bank is named after its column, as suggest_mapping names it, so
            # that the same column keeps the same item from wave to wave.
            roles[name] = ColumnRole.likert(item.id if item else _fallback_item(name), criterion)
        elif role == "free_text":
            roles[name] = ColumnRole.free_text(criterion)
        elif role == "group":
            roles[name] = ColumnRole.group(group)
        else:
            roles[name] = ColumnRole.ignore()
    return check_mapping(SurveyMapping(columns=roles, answers=answers), framework)


def link_of(role: ColumnRole, framework: Framework) -> str:
    """Return the mapping page's link value for a column role (the inverse of `mapping_from_choices`)."""
    if role.survey_item and role.survey_item in {item.id for item in framework.survey_items}:
        return f"item:{role.survey_item}"
    if role.criterion:
        return f"criterion:{role.criterion}"
    return ""


@dataclass
class MappingProposal:
    """What the mapping page shows for an uploaded export: its columns and a first mapping to confirm."""

    source: str
    columns: list[Any]  # importers.feedback.ColumnPreview, for the columns a person maps
    protected: list[str]  # the tool's own and personal columns: never imported
    mapping: SurveyMapping
    unknown: dict[str, int]  # answer wordings in Likert columns not on the scale yet, with counts
    from_saved: bool  # the survey's saved mapping (or a mapping file) covered every column
    missing: list[str]  # columns the saved mapping imports that this file lacks
    respondents: int

    @property
    def source_label(self) -> str:
        return SOURCE_LABELS.get(self.source, self.source)


def propose_mapping(
    survey: Survey, data: bytes, framework: Framework, given: SurveyMapping | None = None
) -> MappingProposal:
    """Read an upload and propose a mapping: the given or saved one where it names a column, suggestions elsewhere.

    Raises FileRejected when the file is empty or not a survey export this service can read.
    """
    from inspect_app.domain.feedback import normalise_answer
    from inspect_app.importers.feedback import (
        missing_columns,
        preview_columns,
        read_survey_export,
        suggest_mapping,
        unknown_answers,
    )

    export = read_survey_export(data)
    previews = preview_columns(export)
    suggested = suggest_mapping(export.frame, framework_survey_items(framework, survey.audience))
    base = given or saved_mapping(survey)
    known = {normalise_answer(name): role for name, role in (base.columns.items() if base else ())}
    columns = {}
    for preview in previews:
        if preview.protected:
            columns[preview.name] = ColumnRole.ignore()
        else:
            columns[preview.name] = known.get(normalise_answer(preview.name), suggested.columns[preview.name])
    answers = custom_answers(base) if base else {}
    mapping = _safe_mapping(columns, answers, suggested)
    return MappingProposal(
        source=export.source,
        columns=[preview for preview in previews if not preview.protected],
        protected=[preview.name for preview in previews if preview.protected],
        mapping=mapping,
        unknown=unknown_answers(export, mapping),
        from_saved=base is not None and all(normalise_answer(p.name) in known for p in previews if not p.protected),
        missing=missing_columns(export, base) if base else [],
        respondents=len(export.frame),
    )


def _safe_mapping(columns: dict[str, ColumnRole], answers: dict[str, str], fallback: SurveyMapping) -> SurveyMapping:
    """Merge saved roles into suggestions; if the merge breaks a rule (two columns giving one group), suggest."""
    try:
        return SurveyMapping(columns=columns, answers=answers)
    except ValidationFailed:
        return SurveyMapping(columns=dict(fallback.columns), answers=answers)


def unknown_answers_for(data: bytes, mapping: SurveyMapping) -> dict[str, int]:
    """Return the answers in the mapping's agree-scale columns that it cannot place on the scale."""
    from inspect_app.importers.feedback import read_survey_export, unknown_answers

    return unknown_answers(read_survey_export(data), mapping)


# --- Importing a wave ----------------------------------------------------------------------------------------


def file_sha256(data: bytes) -> str:
    """Return the SHA-256 of an uploaded file, which identifies it across imports."""
    return hashlib.sha256(data).hexdigest()


def check_not_imported(session: Session, survey: Survey, sha256: str) -> None:
    """Refuse a file already imported into this survey (same content, whatever its name)."""
    wave = session.scalars(
        scoped(SurveyWave, survey.partnership_id).where(
            SurveyWave.survey_id == survey.id, SurveyWave.file_sha256 == sha256
        )
    ).first()
    if wave is not None:
        raise ValidationFailed(
            f"This file was already imported into {survey.name} as wave {wave.label!r} on "
            f"{wave.imported_at.day} {wave.imported_at:%B %Y}. Export the responses again to import a new wave."
        )


@dataclass
class WaveImport:
    """What an import did: the wave stored, or the row errors that stopped it (then nothing was stored)."""

    result: Any  # importers.feedback.FeedbackImportResult
    wave: SurveyWave | None = None

    @property
    def ok(self) -> bool:
        return self.wave is not None


def import_wave(
    session: Session,
    actor: audit.Actor,
    survey: Survey,
    *,
    data: bytes,
    file_name: str,
    mapping: SurveyMapping,
    framework: Framework,
    label: str | None = None,
    when: datetime,
    progress: Progress | None = None,
) -> WaveImport:
    """Import one export file as a new wave of the survey, all or nothing.

    Raises ValidationFailed (FileRejected) when the file cannot be read, lacks a mapped column, was already
    imported or the label is taken. Returns a WaveImport whose `result.errors` lists every row error (then
    nothing is stored) or whose `wave` is the stored wave.
    """
    from inspect_app.importers.feedback import read_feedback

    sha256 = file_sha256(data)
    check_not_imported(session, survey, sha256)
    mapping = check_mapping(mapping, framework)
    result = read_feedback(data, mapping)
    if not result.ok:
        return WaveImport(result=result)
    if not result.rows:
        raise ValidationFailed("The file has no answers in the mapped columns, so there is nothing to import")
    label = _wave_label(session, survey, label, result.rows, when)
    times = [response.submitted_at for response in result.rows if response.submitted_at is not None]
    wave = SurveyWave(
        partnership_id=survey.partnership_id,
        survey_id=survey.id,
        label=label,
        source=result.source,
        file_name=(file_name or "upload")[-255:],
        file_sha256=sha256,
        imported_at=when,
        imported_by=actor.label,
        respondents=len(result.rows),
        answers=sum(len(response.answers) for response in result.rows),
        comments=sum(len(response.comments) for response in result.rows),
        redactions={kind: result.redactions.get(kind, 0) for kind in REDACTION_KINDS},
        redaction_total=sum(result.redactions.values()),
        first_response_at=min(times) if times else None,
        last_response_at=max(times) if times else None,
        notes=list(result.notes),
        mapping_yaml=mapping_to_yaml(mapping),
    )
    session.add(wave)
    session.flush()
    _store_rows(session, survey, wave, result.rows, framework, progress)
    survey.mapping_yaml = mapping_to_yaml(mapping)
    survey.source = result.source
    survey.updated_at = when
    session.flush()
    audit.record(
        session,
        actor,
        "feedback.wave_imported",
        when=when,
        partnership_id=survey.partnership_id,
        object_type="survey_wave",
        object_id=wave.id,
        details={
            "survey": survey.name,
            "wave": label,
            "file": wave.file_name,
            "sha256": sha256,
            "source": result.source,
            "respondents": wave.respondents,
            "answers": wave.answers,
            "comments": wave.comments,
            "redactions": wave.redaction_total,
        },
    )
    return WaveImport(result=result, wave=wave)


def check_wave_label(session: Session, survey: Survey, label: str | None) -> str:
    """Return the wave name tidied, refusing one that is too long or already used in the survey ("" if none)."""
    label = " ".join((label or "").split())
    if len(label) > MAX_LABEL:
        raise ValidationFailed(f"Wave name must be {MAX_LABEL} characters or fewer")
    existing = next((w for w in list_waves(session, survey) if label and _name_key(w.label) == _name_key(label)), None)
    if existing is not None:
        raise ValidationFailed(f"{survey.name} already has a wave called {existing.label}: give this one another name")
    return label


def _wave_label(
    session: Session, survey: Survey, label: str | None, rows: Sequence[FeedbackResponse], when: datetime
) -> str:
    label = check_wave_label(session, survey, label)
    if label:
        return label
    taken = {_name_key(wave.label) for wave in list_waves(session, survey)}
    base = default_wave_label([r.submitted_at for r in rows if r.submitted_at is not None], when)
    candidate, number = base, 1
    while _name_key(candidate) in taken:
        number += 1
        candidate = f"{base} ({number})"
    return candidate


def default_wave_label(times: Iterable[datetime], when: datetime) -> str:
    """Name a wave after the months its responses were submitted in ("May to June 2026")."""
    times = sorted(times)
    if not times:
        return f"Imported {when.day} {when:%B %Y}"
    first, last = times[0], times[-1]
    if (first.year, first.month) == (last.year, last.month):
        return f"{first:%B %Y}"
    if first.year == last.year:
        return f"{first:%B} to {last:%B %Y}"
    return f"{first:%B %Y} to {last:%B %Y}"


def _store_rows(
    session: Session,
    survey: Survey,
    wave: SurveyWave,
    rows: Sequence[FeedbackResponse],
    framework: Framework,
    progress: Progress | None,
) -> None:
    """Insert responses, answers and comments in bulk (COPY or executemany), never an ORM object per row."""
    questions = _question_ids(session, survey, rows)
    keywords = {criterion.id: criterion.keywords for criterion in framework.criteria}
    response_table = SurveyResponse.__table__
    answer_table = SurveyAnswer.__table__
    comment_table = SurveyComment.__table__
    connection = session.connection()
    for start in range(0, len(rows), INSERT_BATCH):
        batch = rows[start : start + INSERT_BATCH]
        _insert_many(
            connection,
            response_table,
            ("partnership_id", "wave_id", "respondent_key", "submitted_at", "groups"),
            [(survey.partnership_id, wave.id, r.respondent_key, r.submitted_at, json.dumps(r.groups)) for r in batch],
        )
        # Nothing else can add responses to a wave created in this transaction, so the wave's ids in order
        # are the rows just inserted, in the order given.
        ids = (
            connection.execute(
                select(response_table.c.id).where(response_table.c.wave_id == wave.id).order_by(response_table.c.id)
            )
            .scalars()
            .all()[start:]
        )
        answers = [
            (
                response_id,
                questions[(answer.column, answer.survey_item, answer.criterion)],
                wave.id,
                POINT_CODES[answer.point],
            )
            for response_id, response in zip(ids, batch, strict=True)
            for answer in response.answers
        ]
        if answers:
            _insert_many(connection, answer_table, ("response_id", "question_id", "wave_id", "point"), answers)
        comments = [
            (
                survey.partnership_id,
                wave.id,
                response_id,
                comment.column,
                comment.criterion,
                comment.text_redacted,
                json.dumps(suggest_themes(comment.text_redacted, keywords)),
                "suggested",
                False,
            )
            for response_id, response in zip(ids, batch, strict=True)
            for comment in response.comments
            if comment.text_redacted
        ]
        if comments:
            _insert_many(connection, comment_table, COMMENT_COLUMNS, comments)
        if progress is not None:
            progress(len(batch), len(rows))
    planner.refresh_statistics(session, response_table.name, answer_table.name, comment_table.name)


def _insert_many(connection: Any, table: Any, columns: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
    """Insert plain tuples in bulk: COPY on PostgreSQL, the driver's executemany on SQLite.

    Answers are most of an import (about ten a response); SQLAlchemy's per-row parameter handling, and on
    PostgreSQL a statement per row, cost far more than the database's own work for them.
    """
    if connection.dialect.name == "postgresql":
        cursor = connection.connection.dbapi_connection.cursor()
        with cursor.copy(f"COPY {table.name} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    if connection.dialect.name == "sqlite":
        # As SQLAlchemy's DateTime stores them on SQLite (sqlite3's own datetime adapter is deprecated).
        rows = [tuple(_sqlite_value(value) for value in row) for row in rows]
    marker = "?" if connection.dialect.paramstyle == "qmark" else "%s"
    statement = f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES ({', '.join([marker] * len(columns))})"
    connection.exec_driver_sql(statement, rows)


def _sqlite_value(value: Any) -> Any:
    return value.strftime("%Y-%m-%d %H:%M:%S.%f") if isinstance(value, datetime) else value


def _question_ids(
    session: Session, survey: Survey, rows: Sequence[FeedbackResponse]
) -> dict[tuple[str, str | None, str | None], int]:
    """Find or create the survey's question row for each (column, survey item, criterion) answered."""
    existing = {
        (q.column_name, q.survey_item, q.criterion): q.id
        for q in session.scalars(
            scoped(SurveyQuestion, survey.partnership_id).where(SurveyQuestion.survey_id == survey.id)
        )
    }
    wanted = {(a.column, a.survey_item, a.criterion) for response in rows for a in response.answers}
    for key in sorted(wanted - set(existing), key=lambda k: (k[0], k[1] or "", k[2] or "")):
        question = SurveyQuestion(
            partnership_id=survey.partnership_id,
            survey_id=survey.id,
            column_name=key[0],
            survey_item=key[1],
            criterion=key[2],
        )
        session.add(question)
        session.flush()
        existing[key] = question.id
    return existing


def delete_wave(session: Session, actor: audit.Actor, wave: SurveyWave, *, when: datetime) -> None:
    """Delete a wave with its responses, answers and comments ("you said, we did" entries lose the link)."""
    comment_ids = select(SurveyComment.id).where(SurveyComment.wave_id == wave.id)
    session.execute(
        update(YouSaidWeDid)
        .where(YouSaidWeDid.partnership_id == wave.partnership_id, YouSaidWeDid.comment_id.in_(comment_ids))
        .values(comment_id=None)
    )
    session.execute(delete(SurveyAnswer).where(SurveyAnswer.wave_id == wave.id))
    session.execute(delete(SurveyComment).where(SurveyComment.wave_id == wave.id))
    session.execute(delete(SurveyResponse).where(SurveyResponse.wave_id == wave.id))
    details = {"survey_id": wave.survey_id, "wave": wave.label, "file": wave.file_name, "respondents": wave.respondents}
    partnership_id, wave_id = wave.partnership_id, wave.id
    session.delete(wave)
    session.flush()
    session.expire_all()
    audit.record(
        session,
        actor,
        "feedback.wave_deleted",
        when=when,
        partnership_id=partnership_id,
        object_type="survey_wave",
        object_id=wave_id,
        details=details,
    )


# --- Loading and analysing one survey ------------------------------------------------------------------------


def load_responses(session: Session, survey: Survey) -> dict[int, list[FeedbackResponse]]:
    """Load every response of a survey, per wave id, as domain objects built from plain tuples.

    Answers come in one query for the whole survey. An answer is (column, item, criterion, point), so there
    are only a few distinct ones: each is built once and shared.
    """
    pid = survey.partnership_id
    wave_ids = select(SurveyWave.id).where(SurveyWave.partnership_id == pid, SurveyWave.survey_id == survey.id)
    questions = {
        q.id: (q.column_name, q.survey_item, q.criterion)
        for q in session.scalars(scoped(SurveyQuestion, pid).where(SurveyQuestion.survey_id == survey.id))
    }
    shared: dict[tuple[int, int], LikertAnswer] = {}
    answers: dict[int, list[LikertAnswer]] = defaultdict(list)
    rows = session.execute(
        select(SurveyAnswer.response_id, SurveyAnswer.question_id, SurveyAnswer.point).where(
            SurveyAnswer.wave_id.in_(wave_ids)
        )
    )
    for response_id, question_id, point in rows:
        answer = shared.get((question_id, point))
        if answer is None:
            column, item, criterion = questions[question_id]
            answer = LikertAnswer(column=column, survey_item=item, criterion=criterion, point=CODE_POINTS[point])
            shared[(question_id, point)] = answer
        answers[response_id].append(answer)
    comments: dict[int, list[Comment]] = defaultdict(list)
    for response_id, column, criterion in session.execute(
        select(SurveyComment.response_id, SurveyComment.column_name, SurveyComment.criterion).where(
            SurveyComment.partnership_id == pid, SurveyComment.wave_id.in_(wave_ids)
        )
    ):
        comments[response_id].append(Comment(column=column, criterion=criterion, text_redacted=""))
    waves: dict[int, list[FeedbackResponse]] = defaultdict(list)
    for response_id, wave_id, key, submitted_at, groups in session.execute(
        select(
            SurveyResponse.id,
            SurveyResponse.wave_id,
            SurveyResponse.respondent_key,
            SurveyResponse.submitted_at,
            SurveyResponse.groups,
        )
        .where(SurveyResponse.partnership_id == pid, SurveyResponse.wave_id.in_(wave_ids))
        .order_by(SurveyResponse.id)
    ):
        waves[wave_id].append(
            FeedbackResponse(
                respondent_key=key,
                submitted_at=submitted_at,
                groups=groups or {},
                answers=tuple(answers.get(response_id, ())),
                comments=tuple(comments.get(response_id, ())),
            )
        )
    return dict(waves)


@dataclass
class WaveAnswers:
    """One wave as plain tuples, for counting without building an object per answer."""

    groups: dict[int, dict[str, str]] = field(default_factory=dict)  # response id -> group answers
    answers: list[tuple[int, int, int]] = field(default_factory=list)  # (response id, question id, point code)
    comment_criteria: list[str | None] = field(default_factory=list)


@dataclass(frozen=True)
class _Question:
    key: str  # the item key: survey item id, or the column name
    survey_item: str | None
    criterion: str | None
    column: str


def load_wave_answers(session: Session, survey: Survey) -> tuple[dict[int, _Question], dict[int, WaveAnswers]]:
    """Load a survey's questions and, per wave, its answers as tuples (one query for every answer)."""
    pid = survey.partnership_id
    wave_ids = select(SurveyWave.id).where(SurveyWave.partnership_id == pid, SurveyWave.survey_id == survey.id)
    questions = {
        q.id: _Question(q.survey_item or q.column_name, q.survey_item, q.criterion, q.column_name)
        for q in session.scalars(scoped(SurveyQuestion, pid).where(SurveyQuestion.survey_id == survey.id))
    }
    waves: dict[int, WaveAnswers] = defaultdict(WaveAnswers)
    for response_id, wave_id, groups in session.execute(
        select(SurveyResponse.id, SurveyResponse.wave_id, SurveyResponse.groups).where(
            SurveyResponse.partnership_id == pid, SurveyResponse.wave_id.in_(wave_ids)
        )
    ):
        waves[wave_id].groups[response_id] = groups or {}
    for wave_id, response_id, question_id, point in session.execute(
        select(SurveyAnswer.wave_id, SurveyAnswer.response_id, SurveyAnswer.question_id, SurveyAnswer.point).where(
            SurveyAnswer.wave_id.in_(wave_ids)
        )
    ):
        waves[wave_id].answers.append((response_id, question_id, point))
    for wave_id, criterion in session.execute(
        select(SurveyComment.wave_id, SurveyComment.criterion).where(
            SurveyComment.partnership_id == pid, SurveyComment.wave_id.in_(wave_ids)
        )
    ):
        waves[wave_id].comment_criteria.append(criterion)
    return questions, dict(waves)


def summarise_wave(
    questions: dict[int, _Question], wave: WaveAnswers
) -> tuple[list[ItemSummary], list[CriterionSummary]]:
    """Count a wave's answers per item and per criterion: the same figures as `summarise_items` and
    `summarise_criteria` give from responses, in one pass over plain tuples."""
    item_counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    criterion_counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    people: dict[str, set[int]] = defaultdict(set)
    for response_id, question_id, code in wave.answers:
        question = questions[question_id]
        point = CODE_POINTS[code]
        item_counts[question.key][point] += 1
        if question.criterion is not None:
            criterion_counts[question.criterion][point] += 1
            if code <= len(SCALE):
                people[question.criterion].add(response_id)
    by_key: dict[str, list[_Question]] = defaultdict(list)
    answered = {question_id for _, question_id, _ in wave.answers}
    for question_id in sorted(answered):
        by_key[questions[question_id].key].append(questions[question_id])
    items = sorted(
        (
            ItemSummary(
                key=key,
                survey_item=group[0].survey_item,
                criterion=group[0].criterion,
                columns=tuple(dict.fromkeys(q.column for q in group)),
                stats=agree_stats_from_counts(item_counts[key]),
            )
            for key, group in by_key.items()
        ),
        key=lambda summary: (summary.criterion or "", summary.key),
    )
    comments: dict[str, int] = defaultdict(int)
    for criterion in wave.comment_criteria:
        if criterion is not None:
            comments[criterion] += 1
    item_keys: dict[str, set[str]] = defaultdict(set)
    for question_id in answered:
        if questions[question_id].criterion is not None:
            item_keys[questions[question_id].criterion].add(questions[question_id].key)  # type: ignore[index]
    criteria = [
        CriterionSummary(
            criterion=criterion,
            items=tuple(sorted(item_keys.get(criterion, ()))),
            respondents=len(people.get(criterion, ())),
            comments=comments.get(criterion, 0),
            stats=agree_stats_from_counts(criterion_counts.get(criterion, {})),
        )
        for criterion in sorted(set(criterion_counts) | set(comments))
    ]
    return items, criteria


def group_criteria(
    questions: dict[int, _Question], wave: WaveAnswers, kind: str, criterion_keys: Sequence[str], min_n: int
) -> list[GroupSummary]:
    """Break the criteria down by one group question, suppressing under `min_n` exactly as `by_group` does."""
    members: dict[str | None, int] = defaultdict(int)
    group_of = {}
    for response_id, groups in wave.groups.items():
        group = groups.get(kind)
        group_of[response_id] = group
        members[group] += 1
    counts: dict[str | None, dict[str, dict[str, int]]] = defaultdict(lambda: defaultdict(lambda: defaultdict(int)))
    for response_id, question_id, code in wave.answers:
        criterion = questions[question_id].criterion
        if criterion is not None:
            counts[group_of[response_id]][criterion][CODE_POINTS[code]] += 1
    summaries = []
    for group in sorted(members, key=lambda g: (g is None, g or "")):
        if members[group] < min_n:
            figures = tuple(GroupFigure(key, True, None) for key in criterion_keys)
            summaries.append(GroupSummary(kind, group, True, None, (), figures))
            continue
        figures = []
        for key in criterion_keys:
            stats = agree_stats_from_counts(counts[group][key]) if key in counts[group] else None
            shown = stats is not None and stats.n >= min_n
            figures.append(GroupFigure(key, not shown, stats if shown else None))
        summaries.append(GroupSummary(kind, group, False, members[group], (), tuple(figures)))
    return summaries


@dataclass(frozen=True)
class ItemRow:
    """One survey item's figures with the words a person reads."""

    label: str
    summary: ItemSummary

    @property
    def stats(self) -> AgreeStats:
        return self.summary.stats


@dataclass(frozen=True)
class CriterionRow:
    criterion: str
    title: str
    summary: CriterionSummary

    @property
    def stats(self) -> AgreeStats:
        return self.summary.stats


@dataclass(frozen=True)
class GroupCell:
    suppressed: bool
    stats: AgreeStats | None


@dataclass(frozen=True)
class GroupRow:
    group: str  # the answer, or "Not answered"
    suppressed: bool
    respondents: int | None
    cells: tuple[GroupCell, ...]


@dataclass(frozen=True)
class GroupTable:
    """One group question's breakdown: rows are groups, columns are criteria."""

    kind: str
    label: str
    columns: tuple[str, ...]
    rows: tuple[GroupRow, ...]


@dataclass(frozen=True)
class ChangeRow:
    label: str
    previous_n: int
    current_n: int
    previous_pct: float | None
    current_pct: float | None
    change: float | None


@dataclass(frozen=True)
class ChartRow:
    """A row of the table beside the chart: the percentages the bars show."""

    label: str
    n: int
    shares: tuple[float, ...]  # strongly disagree, disagree, neither, agree, strongly agree (all positive)


@dataclass
class SurveyAnalysis:
    """Everything a survey's page shows for one wave."""

    survey: Survey
    waves: list[SurveyWave]
    wave: SurveyWave | None
    previous: SurveyWave | None
    respondents: int = 0
    items: list[ItemRow] = field(default_factory=list)
    criteria: list[CriterionRow] = field(default_factory=list)
    chart_title: str = ""
    chart_svg: str | None = None
    chart_rows: list[ChartRow] = field(default_factory=list)
    groups: list[GroupTable] = field(default_factory=list)
    item_changes: list[ChangeRow] = field(default_factory=list)
    criterion_changes: list[ChangeRow] = field(default_factory=list)
    min_n: int = DEFAULT_MIN_N


CHART_POINTS = ("strongly_disagree", "disagree", "neither", "agree", "strongly_agree")


def analyse_survey(
    session: Session,
    survey: Survey,
    framework: Framework,
    *,
    wave_id: int | None = None,
    min_n: int = DEFAULT_MIN_N,
    chart: bool = True,
) -> SurveyAnalysis:
    """Summarise one wave of a survey (the latest by default) and compare it with the wave before."""
    waves = list_waves(session, survey)
    analysis = SurveyAnalysis(survey=survey, waves=waves, wave=None, previous=None, min_n=min_n)
    if not waves:
        return analysis
    wave = get_wave(session, survey, wave_id) if wave_id is not None else waves[-1]
    position = waves.index(wave)
    analysis.wave = wave
    analysis.previous = waves[position - 1] if position > 0 else None
    questions, answers = load_wave_answers(session, survey)
    current = answers.get(wave.id, WaveAnswers())
    analysis.respondents = len(current.groups)
    labels = _item_labels(framework)
    titles = {criterion.id: criterion.title for criterion in framework.criteria}
    items, criteria = summarise_wave(questions, current)
    analysis.items = [ItemRow(labels.get(s.key, s.key), s) for s in items]
    analysis.criteria = [
        CriterionRow(s.criterion, titles.get(s.criterion, s.criterion), s) for s in criteria if s.stats.answered
    ]
    _chart(analysis, chart)
    analysis.groups = _group_tables(questions, current, [row.criterion for row in analysis.criteria], min_n)
    if analysis.previous is not None:
        before = summarise_wave(questions, answers.get(analysis.previous.id, WaveAnswers()))
        comparison = compare_summaries(before, (items, criteria))
        analysis.item_changes, analysis.criterion_changes = _change_rows(comparison, labels)
    return analysis


def _item_labels(framework: Framework) -> dict[str, str]:
    return {item.id: item.statement for item in framework.survey_items}


def _chart(analysis: SurveyAnalysis, draw: bool) -> None:
    rows = [row for row in analysis.items if row.stats.n]
    if not rows:
        return
    bars = diverging_bars([row.summary for row in rows])
    analysis.chart_rows = [
        ChartRow(row.label, n, tuple(abs(getattr(bars, point)[index]) for point in CHART_POINTS))
        for index, (row, n) in enumerate(zip(rows, bars.n, strict=True))
    ]
    lowest = min(rows, key=lambda row: (row.stats.agree_pct_exact, row.label))
    highest = max(rows, key=lambda row: (row.stats.agree_pct_exact, row.label))
    if lowest is highest:
        analysis.chart_title = f"{_pct(lowest.stats.agree_pct)} agree: {_short(lowest.label)}"
    else:
        analysis.chart_title = (
            f"Agreement ranges from {_pct(lowest.stats.agree_pct)} ({_short(lowest.label)}) "
            f"to {_pct(highest.stats.agree_pct)} ({_short(highest.label)})"
        )
    if draw:
        from inspect_app.reports.feedback_charts import diverging_bar_chart

        labels = [row.label for row in analysis.chart_rows]
        analysis.chart_svg = diverging_bar_chart(labels, bars, analysis.chart_title, chart_id="items-chart")


def _pct(value: float | None) -> str:
    return "no figure" if value is None else f"{value:g}%"


def _short(label: str, length: int = 48) -> str:
    label = label.rstrip(".")
    return label if len(label) <= length else label[: length - 1].rstrip() + "…"


def _group_tables(
    questions: dict[int, _Question], wave: WaveAnswers, criterion_keys: list[str], min_n: int
) -> list[GroupTable]:
    kinds = [kind for kind in GROUP_KINDS if any(kind in groups for groups in wave.groups.values())]
    tables = []
    for kind in kinds:
        summaries = group_criteria(questions, wave, kind, criterion_keys, min_n)
        rows = tuple(
            GroupRow(
                group=summary.group if summary.group is not None else "Not answered",
                suppressed=summary.suppressed,
                respondents=summary.respondents,
                cells=tuple(GroupCell(figure.suppressed, figure.stats) for figure in summary.criteria),
            )
            for summary in summaries
        )
        tables.append(GroupTable(kind=kind, label=GROUP_LABELS[kind], columns=tuple(criterion_keys), rows=rows))
    return tables


def _change_rows(comparison: WaveComparison, labels: dict[str, str]) -> tuple[list[ChangeRow], list[ChangeRow]]:
    def rows(changes: Iterable[Any], name: Callable[[str], str]) -> list[ChangeRow]:
        return [
            ChangeRow(name(c.key), c.previous_n, c.current_n, c.previous_pct, c.current_pct, c.change) for c in changes
        ]

    return rows(comparison.items, lambda key: labels.get(key, key)), rows(comparison.criteria, lambda key: key)


# --- Per criterion, for readiness, the self-evaluation and the framework pages --------------------------------


@dataclass(frozen=True)
class SurveyCriterionResult:
    """One survey's latest wave, for one criterion."""

    survey_id: int
    survey_name: str
    audience: str
    wave_label: str
    respondents: int
    stats: AgreeStats


@dataclass(frozen=True)
class Quote:
    comment_id: int
    text: str
    note: str | None
    survey_name: str
    wave_label: str


PRACTITIONERS = "practitioners"


@dataclass(frozen=True)
class CriterionFeedback:
    """What families said about one criterion: pooled figures from each survey's latest wave, and quotes.

    Family voice is parents and carers and children and young people: `responses` and `stats` pool only the
    surveys for those audiences. Practitioners' answers are kept apart (`practitioner_responses`,
    `practitioner_stats`, shown as "Practitioners say") and never count as family voice.

    `responses` counts respondents who answered at least one of the criterion's items on the agree scale
    (summed over surveys: one person answering two surveys counts twice, as surveys cannot be linked);
    `stats.n` counts their answers. `comments` counts comments about the criterion (mapped to it, or themed
    with it by a person) in the same waves; `quotes` are every comment marked as a quote, whatever the wave.
    """

    criterion_id: str
    responses: int
    stats: AgreeStats
    comments: int = 0
    quotes: tuple[Quote, ...] = ()
    by_survey: tuple[SurveyCriterionResult, ...] = ()
    actions: int = 0  # "you said, we did" entries
    practitioner_responses: int = 0
    practitioner_stats: AgreeStats | None = None

    @property
    def agree_pct(self) -> float | None:
        return self.stats.agree_pct

    @property
    def ci_low(self) -> float | None:
        return self.stats.ci_low

    @property
    def ci_high(self) -> float | None:
        return self.stats.ci_high

    @property
    def family_audiences(self) -> tuple[str, ...]:
        return tuple(a for a in FAMILY_AUDIENCES if any(r.audience == a and r.respondents for r in self.by_survey))

    def as_fact(self) -> FeedbackFact:
        """Return family voice as the readiness rules read it (NO_FAMILY_VOICE, FEEDBACK_NEGATIVE)."""
        return FeedbackFact(
            responses=self.responses,
            agree_pct=self.agree_pct,
            agree_ci_low=self.ci_low,
            agree_ci_high=self.ci_high,
            audiences=self.family_audiences,
        )

    def practitioners_fact(self) -> FeedbackFact | None:
        """Return what practitioners said, reported apart from family voice (None when none answered)."""
        if not self.practitioner_responses or self.practitioner_stats is None:
            return None
        stats = self.practitioner_stats
        return FeedbackFact(
            responses=self.practitioner_responses,
            agree_pct=stats.agree_pct,
            agree_ci_low=stats.ci_low,
            agree_ci_high=stats.ci_high,
            audiences=(PRACTITIONERS,),
        )


def _pool(per_wave: dict[int, dict[str, int]], waves: Iterable[int]) -> dict[str, int]:
    """Add up the answers per scale point of some waves."""
    pooled: dict[str, int] = defaultdict(int)
    for wave_id in waves:
        for point, count in per_wave[wave_id].items():
            pooled[point] += count
    return pooled


def latest_waves(session: Session, partnership_id: int) -> dict[int, SurveyWave]:
    """Return each survey's latest wave, by survey id."""
    latest: dict[int, SurveyWave] = {}
    for wave in session.scalars(scoped(SurveyWave, partnership_id)):
        if wave.survey_id not in latest or wave_order(wave) > wave_order(latest[wave.survey_id]):
            latest[wave.survey_id] = wave
    return latest


def criterion_feedback(
    session: Session, partnership_id: int, criterion_ids: Iterable[str] | None = None
) -> dict[str, CriterionFeedback]:
    """Return feedback per criterion from the latest wave of each survey: families pooled, practitioners apart.

    With `criterion_ids`, every id asked for is in the answer (with zero responses when nothing speaks to
    it); without, only criteria that some answer, comment, quote or action speaks to.
    """
    latest = latest_waves(session, partnership_id)
    surveys = {s.id: s for s in session.scalars(scoped(Survey, partnership_id))}
    wave_ids = [wave.id for wave in latest.values()]
    survey_of_wave = {wave.id: wave.survey_id for wave in latest.values()}
    counts: dict[str, dict[int, dict[str, int]]] = defaultdict(lambda: defaultdict(dict))
    people: dict[str, dict[int, int]] = defaultdict(dict)
    if wave_ids:
        joined = (
            select(SurveyAnswer.wave_id, SurveyQuestion.criterion)
            .join(SurveyQuestion, SurveyQuestion.id == SurveyAnswer.question_id)
            .where(
                SurveyQuestion.partnership_id == partnership_id,
                SurveyAnswer.wave_id.in_(wave_ids),
                SurveyQuestion.criterion.is_not(None),
            )
        )
        for wave_id, criterion, point, count in session.execute(
            joined.add_columns(SurveyAnswer.point, func.count()).group_by(
                SurveyAnswer.wave_id, SurveyQuestion.criterion, SurveyAnswer.point
            )
        ):
            counts[criterion][wave_id][CODE_POINTS[point]] = count
        for wave_id, criterion, respondents in session.execute(
            joined.add_columns(func.count(distinct(SurveyAnswer.response_id)))
            .where(SurveyAnswer.point.in_(SCALE_CODES))
            .group_by(SurveyAnswer.wave_id, SurveyQuestion.criterion)
        ):
            people[criterion][wave_id] = respondents
    comments, quotes = _comments_by_criterion(session, partnership_id, set(wave_ids), surveys)
    actions: dict[str, int] = defaultdict(int)
    for (criterion,) in session.execute(
        select(YouSaidWeDid.criterion).where(
            YouSaidWeDid.partnership_id == partnership_id, YouSaidWeDid.criterion.is_not(None)
        )
    ):
        actions[criterion] += 1
    wanted = (
        list(dict.fromkeys(criterion_ids))
        if criterion_ids is not None
        else sorted(set(counts) | set(comments) | set(quotes) | set(actions))
    )
    result = {}
    for criterion in wanted:
        per_wave = counts.get(criterion, {})
        by_survey = tuple(
            sorted(
                (
                    SurveyCriterionResult(
                        survey_id=survey_of_wave[wave_id],
                        survey_name=surveys[survey_of_wave[wave_id]].name,
                        audience=surveys[survey_of_wave[wave_id]].audience,
                        wave_label=latest[survey_of_wave[wave_id]].label,
                        respondents=people.get(criterion, {}).get(wave_id, 0),
                        stats=agree_stats_from_counts(point_counts),
                    )
                    for wave_id, point_counts in per_wave.items()
                ),
                key=lambda r: r.survey_name,
            )
        )
        audience = {wave_id: surveys[survey_of_wave[wave_id]].audience for wave_id in per_wave}
        family = [w for w in per_wave if audience[w] in FAMILY_AUDIENCES]
        staff = [w for w in per_wave if audience[w] == PRACTITIONERS]
        respondents = people.get(criterion, {})
        result[criterion] = CriterionFeedback(
            criterion_id=criterion,
            responses=sum(respondents.get(w, 0) for w in family),
            stats=agree_stats_from_counts(_pool(per_wave, family)),
            comments=comments.get(criterion, 0),
            quotes=tuple(quotes.get(criterion, ())),
            by_survey=by_survey,
            actions=actions.get(criterion, 0),
            practitioner_responses=sum(respondents.get(w, 0) for w in staff),
            practitioner_stats=agree_stats_from_counts(_pool(per_wave, staff)),
        )
    return result


def _comments_by_criterion(
    session: Session, partnership_id: int, latest_wave_ids: set[int], surveys: dict[int, Survey]
) -> tuple[dict[str, int], dict[str, list[Quote]]]:
    waves = {w.id: w for w in session.scalars(scoped(SurveyWave, partnership_id))}
    counts: dict[str, int] = defaultdict(int)
    quotes: dict[str, list[Quote]] = defaultdict(list)
    rows = session.execute(
        select(
            SurveyComment.id,
            SurveyComment.wave_id,
            SurveyComment.criterion,
            SurveyComment.themes,
            SurveyComment.theme_status,
            SurveyComment.is_quote,
            SurveyComment.text,
            SurveyComment.quote_note,
        ).where(
            SurveyComment.partnership_id == partnership_id,
            (SurveyComment.wave_id.in_(latest_wave_ids)) | SurveyComment.is_quote.is_(True),
        )
    )
    for comment_id, wave_id, criterion, themes, status, is_quote, text, note in rows:
        about = comment_criteria(criterion, themes, status)
        if wave_id in latest_wave_ids:
            for criterion_id in about:
                counts[criterion_id] += 1
        if is_quote:
            wave = waves[wave_id]
            for criterion_id in about:
                quotes[criterion_id].append(Quote(comment_id, text, note, surveys[wave.survey_id].name, wave.label))
    return counts, quotes


def comment_criteria(criterion: str | None, themes: Sequence[str] | None, status: str) -> list[str]:
    """Return the criteria a comment speaks to: its question's, plus its themes once a person confirmed them."""
    about = [criterion] if criterion else []
    if status == "confirmed":
        about += [theme for theme in themes or () if theme not in about]
    return about


@dataclass(frozen=True)
class FeedbackOverview:
    surveys: int
    responses: int  # in each survey's latest wave
    comments: int
    quotes: int
    actions: int


def feedback_overview(session: Session, partnership_id: int) -> FeedbackOverview:
    """Count the partnership's surveys, latest-wave responses, comments, quotes and "you said, we did" entries."""
    latest = latest_waves(session, partnership_id)

    def count(query: Any) -> int:
        return session.scalar(select(func.count()).select_from(query.subquery())) or 0

    return FeedbackOverview(
        surveys=count(scoped(Survey, partnership_id)),
        responses=sum(wave.respondents for wave in latest.values()),
        comments=count(scoped(SurveyComment, partnership_id)),
        quotes=count(scoped(SurveyComment, partnership_id).where(SurveyComment.is_quote.is_(True))),
        actions=count(scoped(YouSaidWeDid, partnership_id)),
    )


def redaction_summary(redactions: dict[str, int]) -> str:
    """Describe what was removed from free text: "3 details removed (2 email addresses, 1 phone number)"."""
    parts = [
        f"{count} {REDACTION_LABELS.get(kind, kind)}{'' if count == 1 else 'es' if kind == 'email' else 's'}"
        for kind, count in redactions.items()
        if count
    ]
    total = sum(redactions.values())
    if not total:
        return "No personal details were found in the free text"
    return f"{total} personal detail{'' if total == 1 else 's'} removed from free text ({', '.join(parts)})"


# --- Framework moves -----------------------------------------------------------------------------------------


@dataclass
class _Carry:
    """Counts rows for a framework move and gives each criterion id its successor."""

    mapping: CriterionMapping
    carried: int = 0
    dropped: int = 0

    def target(self, criterion: str | None, count: bool = True) -> str | None:
        if criterion is None:
            return None
        if criterion in self.mapping.targets:
            self.carried += count
            return self.mapping.targets[criterion][0]
        if criterion in self.mapping.unmapped:
            self.dropped += count
            return None
        return criterion

    def themes(self, themes: Sequence[str]) -> list[str]:
        moved = [new for theme in themes for new in self.mapping.targets.get(theme, (theme,))]
        return [theme for theme in dict.fromkeys(moved) if theme not in self.mapping.unmapped]


def carry_criteria(session: Session, partnership_id: int, mapping: CriterionMapping, apply: bool) -> HookReport:
    """Count (or, with `apply`, rewrite) feedback rows keyed by criterion id for a move to a new version.

    Questions, comments (their question's criterion and their themes), "you said, we did" entries and each
    survey's saved mapping move to the criterion that continues theirs (the first, when one was split);
    ids the new version drops are cleared. A wave keeps the mapping it was imported with, as a record.
    """
    carry = _Carry(mapping)
    for model in (SurveyQuestion, YouSaidWeDid):
        for row in session.scalars(scoped(model, partnership_id).where(model.criterion.is_not(None))):
            new = carry.target(row.criterion)
            if apply:
                row.criterion = new
    for comment in session.scalars(scoped(SurveyComment, partnership_id)):
        _carry_comment(comment, carry, apply)
    for survey in session.scalars(scoped(Survey, partnership_id).where(Survey.mapping_yaml.is_not(None))):
        moved = _carry_mapping(mapping_from_yaml(survey.mapping_yaml or ""), carry)
        if apply:
            survey.mapping_yaml = mapping_to_yaml(moved)
    if apply:
        session.flush()
    return HookReport(
        "family feedback rows (questions, comments, actions, saved mappings)", carry.carried, carry.dropped
    )


def _carry_comment(comment: SurveyComment, carry: _Carry, apply: bool) -> None:
    """One comment counts once: dropped if any of its criteria goes, carried if any moves."""
    ids = [comment.criterion] if comment.criterion else []
    ids += list(comment.themes or ())
    if any(i in carry.mapping.unmapped for i in ids):
        carry.dropped += 1
    elif any(i in carry.mapping.targets for i in ids):
        carry.carried += 1
    if apply:
        comment.criterion = carry.target(comment.criterion, count=False)
        comment.themes = carry.themes(list(comment.themes or ()))


def _carry_mapping(current: SurveyMapping, carry: _Carry) -> SurveyMapping:
    columns = {}
    for name, role in current.columns.items():
        new = carry.target(role.criterion)
        if role.role == "likert" and new is None and role.survey_item is None:
            columns[name] = ColumnRole.likert(_fallback_item(name))
        else:
            columns[name] = ColumnRole(role.role, role.survey_item, new, role.group_kind)
    return SurveyMapping(columns=columns, answers=custom_answers(current))


def _fallback_item(name: str) -> str:
    from inspect_app.importers.common import normalise_header

    return normalise_header(name)[:80] or "item"
