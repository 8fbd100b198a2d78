"""A partnership's inspections: notification, on-site week, type, lead inspector, regime, outcome and report."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from inspect_app.models.base import Base, PartnershipOwned


class Inspection(PartnershipOwned, Base):
    """One inspection activity (full, monitoring, engagement meeting, thematic visit) of one partnership."""

    __tablename__ = "inspections"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    partnership_id: Mapped[int] = mapped_column(ForeignKey("partnerships.id", ondelete="CASCADE"), index=True)
    inspection_type: Mapped[str] = mapped_column(String(20))  # a key of domain.inspections.INSPECTION_TYPES
    notification_date: Mapped[date] = mapped_column(Date)
    on_site_week_start: Mapped[date | None] = mapped_column(Date, nullable=True)  # a Monday; None = estimate it
    lead_inspector: Mapped[str | None] = mapped_column(String(200), nullable=True)
    notes: Mapped[str] = mapped_column(Text, default="")
    # Which regime the inspection was under (domain.inspection_cycle.REGIMES) and, under the 2023 framework,
    # which framework version: the outcome is one of that version's outcomes, entered by a lead after the report.
    regime: Mapped[str] = mapped_column(String(30), default="area_send_2023", server_default="area_send_2023")
    framework_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("framework_versions.id", ondelete="SET NULL"), nullable=True
    )
    outcome: Mapped[str | None] = mapped_column(String(40), nullable=True)
    report_url: Mapped[str | None] = mapped_column(String(2000), nullable=True)
    report_published_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)

    framework_version = relationship("FrameworkVersion")
