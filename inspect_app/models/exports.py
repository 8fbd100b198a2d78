"""Scheduled exports and the record of every run.

`next_due_at` is a naive UTC instant; the cadence (weekday, day of month, time of day) is UK local time
(domain/schedules.py converts). Runners claim a due schedule by moving `next_due_at` forward in the same
transaction that records the run, so each due occurrence is produced once (services/exports.py).
"""

from __future__ import annotations

from datetime import datetime, time

from sqlalchemy import Boolean, CheckConstraint, DateTime, ForeignKey, Index, Integer, String, Time
from sqlalchemy.orm import Mapped, mapped_column, relationship

from inspect_app.models.base import Base, PartnershipOwned

RUN_STATUSES = ("running", "succeeded", "failed")


class ExportSchedule(PartnershipOwned, Base):
    __tablename__ = "export_schedules"
    __table_args__ = (
        CheckConstraint("cadence IN ('daily', 'weekly', 'monthly')", name="cadence"),
        CheckConstraint("weekday IS NULL OR (weekday >= 0 AND weekday <= 6)", name="weekday"),
        CheckConstraint(
            "day_of_month IS NULL OR day_of_month = -1 OR (day_of_month >= 1 AND day_of_month <= 28)",
            name="day_of_month",
        ),
        CheckConstraint("keep_last >= 1", name="keep_last"),
        # The runners' query: enabled schedules in due order.
        Index("ix_export_schedules_due", "enabled", "next_due_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    partnership_id: Mapped[int] = mapped_column(ForeignKey("partnerships.id", ondelete="CASCADE"), index=True)
    report_kind: Mapped[str] = mapped_column(String(40))  # a key of services.report_kinds.REPORT_KINDS
    format: Mapped[str] = mapped_column(String(10))
    cadence: Mapped[str] = mapped_column(String(10))
    weekday: Mapped[int | None] = mapped_column(Integer, nullable=True)  # 0 = Monday (weekly only)
    day_of_month: Mapped[int | None] = mapped_column(Integer, nullable=True)  # 1-28 or -1 = last (monthly only)
    time_of_day: Mapped[time] = mapped_column(Time)  # UK local time
    destination: Mapped[str] = mapped_column(String(200))  # folder under EXPORT_ROOT/<slug>/, "" = that folder
    keep_last: Mapped[int] = mapped_column(Integer)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    next_due_at: Mapped[datetime] = mapped_column(DateTime)  # UTC
    consecutive_failures: Mapped[int] = mapped_column(Integer, default=0)
    claimed_by: Mapped[str | None] = mapped_column(String(120), nullable=True)  # the last runner to claim it
    claimed_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    created_by: Mapped[str] = mapped_column(String(254))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)

    runs = relationship("ExportRun", back_populates="schedule", cascade="all, delete-orphan", passive_deletes=True)


class ExportRun(PartnershipOwned, Base):
    """One attempt at one due occurrence of a schedule. `file_path` is relative to EXPORT_ROOT."""

    __tablename__ = "export_runs"
    __table_args__ = (CheckConstraint("status IN ('running', 'succeeded', 'failed')", name="status"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    partnership_id: Mapped[int] = mapped_column(ForeignKey("partnerships.id", ondelete="CASCADE"), index=True)
    schedule_id: Mapped[int] = mapped_column(ForeignKey("export_schedules.id", ondelete="CASCADE"), index=True)
    due_at: Mapped[datetime] = mapped_column(DateTime)  # the occurrence claimed (UTC)
    runner_id: Mapped[str] = mapped_column(String(120))
    started_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    status: Mapped[str] = mapped_column(String(10))
    file_path: Mapped[str | None] = mapped_column(String(500), nullable=True)
    sha256: Mapped[str | None] = mapped_column(String(64), nullable=True)
    size_bytes: Mapped[int | None] = mapped_column(Integer, nullable=True)
    error: Mapped[str | None] = mapped_column(String(1000), nullable=True)  # one sentence; the traceback is logged
    pruned_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)  # file removed by keep_last

    schedule = relationship("ExportSchedule", back_populates="runs")
