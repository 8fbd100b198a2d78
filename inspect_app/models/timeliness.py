"""Case-level timeliness data: requests for an EHC needs assessment, annual reviews, and the imports that wrote them.

Cases and reviews hold dates, codes and derived facts only (domain/cases.py), never names, dates of birth,
addresses or pupil numbers: importers drop those columns before anything reaches a model.

`fingerprint` is a short hash of a row's stored values (services/case_imports.py), so a re-import compares
200,000 rows with what is stored by reading back two short columns instead of every value.

`import_id` names the import that last added or changed the row. It is a plain column, not a foreign key:
a key would add a check per row to the bulk write, and imports are never deleted on their own (only with
their partnership, which takes the rows too).

The unique constraints lead with `partnership_id`, so they also serve every "this partnership's rows" query;
a separate index on `partnership_id` would only slow the bulk writes down.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column

from inspect_app.models.base import Base, PartnershipOwned

IMPORT_KINDS = ("cases", "reviews", "sen2")
IMPORT_STATUSES = ("queued", "running", "succeeded", "failed")


class CaseRecord(PartnershipOwned, Base):
    """One request for an EHC needs assessment (a `domain.cases.Case` as stored)."""

    __tablename__ = "cases"
    __table_args__ = (UniqueConstraint("partnership_id", "case_ref", name="uq_cases_partnership_case_ref"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    partnership_id: Mapped[int] = mapped_column(ForeignKey("partnerships.id", ondelete="CASCADE"))
    case_ref: Mapped[str] = mapped_column(Text)
    request_date: Mapped[date | None] = mapped_column(Date, nullable=True)  # None only for a historical case
    decision_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    decision: Mapped[str | None] = mapped_column(String(20), nullable=True)
    assessment_outcome: Mapped[str | None] = mapped_column(String(20), nullable=True)
    assessment_outcome_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    final_plan_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    exception: Mapped[bool] = mapped_column(Boolean, default=False)
    exception_reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    primary_need: Mapped[str | None] = mapped_column(String(10), nullable=True)
    age_at_request: Mapped[int | None] = mapped_column(Integer, nullable=True)
    setting: Mapped[str | None] = mapped_column(Text, nullable=True)
    request_type: Mapped[str] = mapped_column(String(20), default="initial", server_default="initial")
    moved_out_to: Mapped[str | None] = mapped_column(String(3), nullable=True)
    request_mediation: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    request_tribunal: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    assessment_mediation: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    assessment_tribunal: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    other_mediation: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    other_tribunal: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    transferred_in_from: Mapped[str | None] = mapped_column(String(3), nullable=True)
    cease_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    cease_reason: Mapped[str | None] = mapped_column(String(2), nullable=True)
    phase_transfer_due_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    phase_transfer_final_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    person_ref: Mapped[str | None] = mapped_column(String(32), nullable=True)  # a pseudonym (SEN2 imports)
    fingerprint: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    import_id: Mapped[int | None] = mapped_column(Integer, nullable=True)


class ReviewRecord(PartnershipOwned, Base):
    """One annual review meeting of an EHC plan (a `domain.cases.Review` as stored), keyed by case and date."""

    __tablename__ = "annual_reviews"
    __table_args__ = (
        UniqueConstraint(
            "partnership_id", "case_ref", "meeting_date", name="uq_annual_reviews_partnership_case_ref_meeting"
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    partnership_id: Mapped[int] = mapped_column(ForeignKey("partnerships.id", ondelete="CASCADE"))
    case_ref: Mapped[str] = mapped_column(Text)
    meeting_date: Mapped[date] = mapped_column(Date)
    decision_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    outcome: Mapped[str | None] = mapped_column(String(20), nullable=True)
    draft_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    amendment_notice_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    amended_plan_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    fingerprint: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    import_id: Mapped[int | None] = mapped_column(Integer, nullable=True)


class DataImport(PartnershipOwned, Base):
    """One import of a case or review file: its state and progress while it runs, then what it did.

    The state lives here, not in a worker's memory, so any worker can show the status page. `token` is a
    random value that changes with every import and keys the per-process caches of computed measures.
    """

    __tablename__ = "data_imports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    partnership_id: Mapped[int] = mapped_column(ForeignKey("partnerships.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # one of IMPORT_KINDS
    filename: Mapped[str] = mapped_column(String(255))  # as uploaded; shown, never used as a path
    sha256: Mapped[str] = mapped_column(String(64))
    token: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(20), default="queued")  # one of IMPORT_STATUSES
    stage: Mapped[str] = mapped_column(String(20), default="queued")  # see services/case_imports.STAGES
    progress_done: Mapped[int] = mapped_column(Integer, default=0)  # rows compared and saved so far
    progress_total: Mapped[int] = mapped_column(Integer, default=0)  # rows in the file
    rows_read: Mapped[int] = mapped_column(Integer, default=0)
    added: Mapped[int] = mapped_column(Integer, default=0)
    changed: Mapped[int] = mapped_column(Integer, default=0)
    unchanged: Mapped[int] = mapped_column(Integer, default=0)
    not_in_file: Mapped[int] = mapped_column(Integer, default=0)  # stored rows the file did not mention (kept)
    error_count: Mapped[int] = mapped_column(Integer, default=0)
    message: Mapped[str | None] = mapped_column(Text, nullable=True)  # why a whole file was refused
    dropped_columns: Mapped[list] = mapped_column(JSON, default=list)
    notes: Mapped[list] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    started_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    created_by: Mapped[str] = mapped_column(String(254))

    @property
    def is_finished(self) -> bool:
        return self.status in ("succeeded", "failed")


class ImportRowError(PartnershipOwned, Base):
    """One problem found in one row of an import's file (an `importers.common.RowError` as stored)."""

    __tablename__ = "import_row_errors"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    partnership_id: Mapped[int] = mapped_column(ForeignKey("partnerships.id", ondelete="CASCADE"), index=True)
    import_id: Mapped[int] = mapped_column(ForeignKey("data_imports.id", ondelete="CASCADE"), index=True)
    row: Mapped[int] = mapped_column(Integer)
    column: Mapped[str] = mapped_column(Text)
    value: Mapped[str] = mapped_column(Text)
    message: Mapped[str] = mapped_column(Text)


class TimelinessSummary(PartnershipOwned, Base):
    """What the readiness report and the summary cards need from a partnership's cases, worked out once a day.

    Every calendar year's measures and the number of cases with data-quality findings, as at `as_of`, for the
    cases as the import with `import_token` left them (services/timeliness.py `summary`). Working them out
    means loading and checking every case (seconds at 200,000 cases), so they are stored when an import
    finishes and by `inspect-app timeliness summarise` (cron, once a day), and read back by every worker,
    after a restart too. A row for another import or another day is never used. Derived figures, not
    anybody's change: storing one is not audited.
    """

    __tablename__ = "timeliness_summaries"
    __table_args__ = (
        UniqueConstraint(
            "partnership_id", "import_token", "as_of", name="uq_timeliness_summaries_partnership_token_as_of"
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    partnership_id: Mapped[int] = mapped_column(ForeignKey("partnerships.id", ondelete="CASCADE"))
    import_token: Mapped[str] = mapped_column(String(32))
    as_of: Mapped[date] = mapped_column(Date)
    measures: Mapped[list] = mapped_column(JSON)  # [[measure_id, period, numerator, denominator, value], ...]
    cases_with_findings: Mapped[int] = mapped_column(Integer)
    computed_at: Mapped[datetime] = mapped_column(DateTime)


class PseudonymKey(PartnershipOwned, Base):
    """A partnership's secret for the pseudonymous case references of its SEN2 imports (DESIGN.md "SEN2 imports").

    The HMAC key under which a person's identifiers and a request's received date become a case reference, made
    when the partnership first imports a return and kept for as long as the partnership: next year's return must
    give the same references. It is never shown, exported or audited in full; losing it would mean next year's
    return could not update this year's cases.
    """

    __tablename__ = "pseudonym_keys"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    partnership_id: Mapped[int] = mapped_column(ForeignKey("partnerships.id", ondelete="CASCADE"), unique=True)
    secret: Mapped[str] = mapped_column(String(64))  # 32 random bytes as hex
    created_at: Mapped[datetime] = mapped_column(DateTime)
