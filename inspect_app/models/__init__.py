"""SQLAlchemy models. Every model is imported here so Alembic sees the whole schema."""

from inspect_app.models.accounts import LoginAttempt, User
from inspect_app.models.audit import AuditEvent
from inspect_app.models.base import Base
from inspect_app.models.benchmarks import (
    AreaCode,
    BenchmarkArea,
    BenchmarkRelease,
    PublishedFigure,
    StatisticalNeighbour,
)
from inspect_app.models.evidence import EvidenceItem, EvidenceLink, EvidenceRevision
from inspect_app.models.exports import ExportRun, ExportSchedule
from inspect_app.models.feedback import (
    Survey,
    SurveyAnswer,
    SurveyComment,
    SurveyQuestion,
    SurveyResponse,
    SurveyWave,
    YouSaidWeDid,
)
from inspect_app.models.findings import (
    ActionCriterionLink,
    ActionEvidenceLink,
    ActionPlan,
    ActionProgress,
    FollowUpAction,
)
from inspect_app.models.frameworks import FrameworkVersion
from inspect_app.models.inspections import Inspection
from inspect_app.models.partnerships import ROLES, Membership, Partnership
from inspect_app.models.person_lists import PersonListCheck
from inspect_app.models.self_evaluation import SefEntry, SefSignature, SefVersion
from inspect_app.models.timeliness import (
    CaseRecord,
    DataImport,
    ImportRowError,
    PseudonymKey,
    ReviewRecord,
    TimelinessSummary,
)

__all__ = [
    "ROLES",
    "ActionCriterionLink",
    "ActionEvidenceLink",
    "ActionPlan",
    "ActionProgress",
    "AreaCode",
    "AuditEvent",
    "Base",
    "BenchmarkArea",
    "BenchmarkRelease",
    "CaseRecord",
    "DataImport",
    "EvidenceItem",
    "EvidenceLink",
    "EvidenceRevision",
    "ExportRun",
    "ExportSchedule",
    "FollowUpAction",
    "FrameworkVersion",
    "ImportRowError",
    "Inspection",
    "LoginAttempt",
    "Membership",
    "Partnership",
    "PersonListCheck",
    "PublishedFigure",
    "PseudonymKey",
    "ReviewRecord",
    "SefEntry",
    "SefSignature",
    "SefVersion",
    "StatisticalNeighbour",
    "Survey",
    "SurveyAnswer",
    "SurveyComment",
    "SurveyQuestion",
    "SurveyResponse",
    "SurveyWave",
    "TimelinessSummary",
    "User",
    "YouSaidWeDid",
]
