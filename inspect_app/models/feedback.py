"""Family feedback: surveys, their imported waves, responses, answers and comments, and "you said, we did".

No respondent's name, email address or any other contact detail is ever stored: a response is known by a hash
of the survey tool's response id, and free text is redacted before it reaches these tables.

Answers are the bulk of the data (20,000 responses x 10 questions is 200,000 rows), so an answer row is kept to
four small columns: its response, its question, its wave (so a wave's answers are deleted and loaded with one
indexed statement) and the scale point as a small integer. Answers carry no partnership id: they are only
ever read through a wave found with `tenancy.scoped(SurveyWave, partnership_id)`.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from inspect_app.domain.feedback import AUDIENCES
from inspect_app.models.base import Base, PartnershipOwned

THEME_STATUSES = ("suggested", "confirmed")


class Survey(Base, PartnershipOwned):
    """A survey the partnership runs, wave after wave, with the column mapping its last wave was imported with."""

    __tablename__ = "surveys"
    __table_args__ = (UniqueConstraint("partnership_id", "name", name="uq_surveys_partnership_name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    partnership_id: Mapped[int] = mapped_column(ForeignKey("partnerships.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    audience: Mapped[str] = mapped_column(String(40))  # a key of domain.feedback.AUDIENCES
    source: Mapped[str | None] = mapped_column(String(40), nullable=True)  # the tool its last wave came from
    opened_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    closed_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    mapping_yaml: Mapped[str | None] = mapped_column(Text, nullable=True)  # saved so the next wave imports in one go
    created_at: Mapped[datetime] = mapped_column(DateTime)
    created_by: Mapped[str] = mapped_column(String(254))
    updated_at: Mapped[datetime] = mapped_column(DateTime)

    waves = relationship("SurveyWave", back_populates="survey", order_by="SurveyWave.id", passive_deletes=True)

    @property
    def audience_label(self) -> str:
        return AUDIENCES.get(self.audience, self.audience)


class SurveyWave(Base, PartnershipOwned):
    """One import of one export file: who imported what, when, and what was removed from it."""

    __tablename__ = "survey_waves"
    __table_args__ = (
        UniqueConstraint("survey_id", "file_sha256", name="uq_survey_waves_survey_file"),
        UniqueConstraint("survey_id", "label", name="uq_survey_waves_survey_label"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    partnership_id: Mapped[int] = mapped_column(ForeignKey("partnerships.id", ondelete="CASCADE"), index=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"), index=True)
    label: Mapped[str] = mapped_column(String(100))  # e.g. "Spring 2026"
    source: Mapped[str] = mapped_column(String(40))
    file_name: Mapped[str] = mapped_column(String(255))  # as uploaded; shown, never used as a path
    file_sha256: Mapped[str] = mapped_column(String(64))
    imported_at: Mapped[datetime] = mapped_column(DateTime)
    imported_by: Mapped[str] = mapped_column(String(254))
    respondents: Mapped[int] = mapped_column(Integer)
    answers: Mapped[int] = mapped_column(Integer)
    comments: Mapped[int] = mapped_column(Integer)
    redactions: Mapped[dict] = mapped_column(JSON, default=dict)  # kind -> count removed from free text
    redaction_total: Mapped[int] = mapped_column(Integer, default=0)
    first_response_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    last_response_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    notes: Mapped[list] = mapped_column(JSON, default=list)  # what the import left out, in sentences
    mapping_yaml: Mapped[str] = mapped_column(Text)  # the mapping this wave was imported with

    survey = relationship("Survey", back_populates="waves")


class SurveyQuestion(Base, PartnershipOwned):
    """A Likert column of a survey as it was mapped: the survey item and criterion its answers speak to."""

    __tablename__ = "survey_questions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    partnership_id: Mapped[int] = mapped_column(ForeignKey("partnerships.id", ondelete="CASCADE"), index=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"), index=True)
    column_name: Mapped[str] = mapped_column(Text)
    survey_item: Mapped[str | None] = mapped_column(String(80), nullable=True)
    criterion: Mapped[str | None] = mapped_column(String(20), nullable=True)


class SurveyResponse(Base, PartnershipOwned):
    """One respondent's submission in one wave (no name or contact details: a hashed key only)."""

    __tablename__ = "survey_responses"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    partnership_id: Mapped[int] = mapped_column(ForeignKey("partnerships.id", ondelete="CASCADE"), index=True)
    wave_id: Mapped[int] = mapped_column(ForeignKey("survey_waves.id", ondelete="CASCADE"), index=True)
    respondent_key: Mapped[str] = mapped_column(String(32))
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    groups: Mapped[dict] = mapped_column(JSON, default=dict)  # group kind -> answer (role, age_band, need, setting)


class SurveyAnswer(Base):
    """One answer on the agree scale. `point` is 1-7: POINTS in domain/feedback.py order (1 = strongly agree)."""

    __tablename__ = "survey_answers"

    # (response, question) is unique and leads the primary key, so it also indexes the response's answers.
    response_id: Mapped[int] = mapped_column(ForeignKey("survey_responses.id", ondelete="CASCADE"), primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("survey_questions.id", ondelete="CASCADE"), primary_key=True)
    wave_id: Mapped[int] = mapped_column(ForeignKey("survey_waves.id", ondelete="CASCADE"), index=True)
    point: Mapped[int] = mapped_column(SmallInteger)


class SurveyComment(Base, PartnershipOwned):
    """A free-text answer, redacted at import, with the themes (criterion ids) a person confirmed."""

    __tablename__ = "survey_comments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    partnership_id: Mapped[int] = mapped_column(ForeignKey("partnerships.id", ondelete="CASCADE"), index=True)
    wave_id: Mapped[int] = mapped_column(ForeignKey("survey_waves.id", ondelete="CASCADE"), index=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("survey_responses.id", ondelete="CASCADE"), index=True)
    column_name: Mapped[str] = mapped_column(Text)
    criterion: Mapped[str | None] = mapped_column(String(20), nullable=True)  # the question's, from the mapping
    text: Mapped[str] = mapped_column(Text)
    themes: Mapped[list] = mapped_column(JSON, default=list)  # criterion ids, suggested or confirmed
    theme_status: Mapped[str] = mapped_column(String(20), default="suggested")  # one of THEME_STATUSES
    themes_confirmed_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    themes_confirmed_by: Mapped[str | None] = mapped_column(String(254), nullable=True)
    is_quote: Mapped[bool] = mapped_column(Boolean, default=False)
    quote_note: Mapped[str | None] = mapped_column(Text, nullable=True)

    wave = relationship("SurveyWave")


class YouSaidWeDid(Base, PartnershipOwned):
    """What families said and what the partnership did about it, for the self-evaluation and for families."""

    __tablename__ = "you_said_we_did"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    partnership_id: Mapped[int] = mapped_column(ForeignKey("partnerships.id", ondelete="CASCADE"), index=True)
    said: Mapped[str] = mapped_column(Text)
    did: Mapped[str] = mapped_column(Text)
    criterion: Mapped[str | None] = mapped_column(String(20), nullable=True)
    done_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    owner: Mapped[str] = mapped_column(String(200))
    comment_id: Mapped[int | None] = mapped_column(
        ForeignKey("survey_comments.id", ondelete="SET NULL"), nullable=True, index=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime)
    created_by: Mapped[str] = mapped_column(String(254))
    updated_at: Mapped[datetime] = mapped_column(DateTime)

    comment = relationship("SurveyComment")
