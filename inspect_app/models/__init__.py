"""SQLAlchemy models. Every model is imported here so Alembic sees the whole schema."""

from inspect_app.models.accounts import LoginAttempt, User
from inspect_app.models.audit import AuditEvent
from inspect_app.models.base import Base
from inspect_app.models.frameworks import FrameworkVersion
from inspect_app.models.partnerships import ROLES, Membership, Partnership
from inspect_app.models.self_evaluation import SefEntry, SefSignature, SefVersion
from inspect_app.models.timeliness import CaseRecord, DataImport, ImportRowError, ReviewRecord

__all__ = [
    "ROLES",
    "AuditEvent",
    "Base",
    "CaseRecord",
    "DataImport",
    "FrameworkVersion",
    "ImportRowError",
    "LoginAttempt",
    "Membership",
    "Partnership",
    "ReviewRecord",
    "SefEntry",
    "SefSignature",
    "SefVersion",
    "User",
]
