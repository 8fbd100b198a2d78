"""SQLAlchemy models. Every model is imported here so Alembic sees the whole schema."""

from inspect_app.models.accounts import LoginAttempt, User
from inspect_app.models.audit import AuditEvent
from inspect_app.models.base import Base
from inspect_app.models.feedback import (
    Survey,
    SurveyAnswer,
    SurveyComment,
    SurveyQuestion,
    SurveyResponse,
    SurveyWave,
    YouSaidWeDid,
)
from inspect_app.models.frameworks import FrameworkVersion
from inspect_app.models.partnerships import ROLES, Membership, Partnership

__all__ = [
    "ROLES",
    "AuditEvent",
    "Base",
    "FrameworkVersion",
    "LoginAttempt",
    "Membership",
    "Partnership",
    "Survey",
    "SurveyAnswer",
    "SurveyComment",
    "SurveyQuestion",
    "SurveyResponse",
    "SurveyWave",
    "User",
    "YouSaidWeDid",
]
