"""An inspection's findings and what the partnership does about them.

An *action plan* (a priority action plan, or under the old framework a written statement of action) belongs to
one inspection and groups its *actions*: each area for priority action or improvement, with an owner, a due
date, a status and dated progress updates. Inspectors see an action only once a lead has shared one of its
progress updates with them, and then only the shared updates.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from inspect_app.models.base import Base, PartnershipOwned


class ActionPlan(PartnershipOwned, Base):
    __tablename__ = "action_plans"
    __table_args__ = (UniqueConstraint("inspection_id", name="uq_action_plans_inspection_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    partnership_id: Mapped[int] = mapped_column(ForeignKey("partnerships.id", ondelete="CASCADE"), index=True)
    inspection_id: Mapped[int] = mapped_column(ForeignKey("inspections.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(300))
    submitted_on: Mapped[date | None] = mapped_column(Date, nullable=True)  # sent to HMCI / DfE and NHS England
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)

    inspection = relationship("Inspection")
    actions = relationship(
        "FollowUpAction",
        back_populates="plan",
        cascade="all, delete-orphan",
        order_by="(FollowUpAction.position, FollowUpAction.id)",
    )


class FollowUpAction(PartnershipOwned, Base):
    """One area for priority action or improvement (domain.inspection_cycle.FINDING_KINDS)."""

    __tablename__ = "follow_up_actions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    partnership_id: Mapped[int] = mapped_column(ForeignKey("partnerships.id", ondelete="CASCADE"), index=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("action_plans.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    kind: Mapped[str] = mapped_column(String(20))
    reference: Mapped[str] = mapped_column(String(20))  # as the plan numbers it, e.g. "PA1", "AI3"
    text: Mapped[str] = mapped_column(Text)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    due_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    status: Mapped[str] = mapped_column(String(20), default="on_track")  # ACTION_STATUSES
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)

    plan = relationship("ActionPlan", back_populates="actions")
    owner = relationship("User")
    progress = relationship(
        "ActionProgress",
        back_populates="action",
        cascade="all, delete-orphan",
        order_by="(ActionProgress.recorded_on, ActionProgress.id)",
    )
    evidence_links = relationship("ActionEvidenceLink", cascade="all, delete-orphan")
    criterion_links = relationship(
        "ActionCriterionLink", cascade="all, delete-orphan", order_by="ActionCriterionLink.criterion_id"
    )

    @property
    def criterion_ids(self) -> list[str]:
        return [link.criterion_id for link in self.criterion_links]

    @property
    def last_progress(self) -> ActionProgress | None:
        return self.progress[-1] if self.progress else None


class ActionProgress(PartnershipOwned, Base):
    """A dated progress update on an action, by whom, and whether a lead shared it with inspectors."""

    __tablename__ = "action_progress_updates"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    partnership_id: Mapped[int] = mapped_column(ForeignKey("partnerships.id", ondelete="CASCADE"), index=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("follow_up_actions.id", ondelete="CASCADE"), index=True)
    recorded_on: Mapped[date] = mapped_column(Date)
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20))  # the action's status this update reports
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    author: Mapped[str] = mapped_column(String(254))  # snapshot, as the audit log names them
    shared: Mapped[bool] = mapped_column(Boolean, default=False)
    shared_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    shared_by: Mapped[str | None] = mapped_column(String(254), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)

    action = relationship("FollowUpAction", back_populates="progress")


class ActionEvidenceLink(PartnershipOwned, Base):
    __tablename__ = "action_evidence_links"
    __table_args__ = (UniqueConstraint("action_id", "evidence_item_id", name="uq_action_evidence_links_action_item"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    partnership_id: Mapped[int] = mapped_column(ForeignKey("partnerships.id", ondelete="CASCADE"), index=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("follow_up_actions.id", ondelete="CASCADE"), index=True)
    evidence_item_id: Mapped[int] = mapped_column(ForeignKey("evidence_items.id", ondelete="CASCADE"), index=True)

    item = relationship("EvidenceItem")


class ActionCriterionLink(PartnershipOwned, Base):
    __tablename__ = "action_criteria"
    __table_args__ = (UniqueConstraint("action_id", "criterion_id", name="uq_action_criteria_action_criterion"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    partnership_id: Mapped[int] = mapped_column(ForeignKey("partnerships.id", ondelete="CASCADE"), index=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("follow_up_actions.id", ondelete="CASCADE"), index=True)
    criterion_id: Mapped[str] = mapped_column(String(40))
