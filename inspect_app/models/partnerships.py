"""Partnerships (the tenants) and who belongs to them in which role."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from inspect_app.models.base import Base

ROLES = ("lead", "contributor", "viewer", "inspector")


class Partnership(Base):
    __tablename__ = "partnerships"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    la_code: Mapped[str] = mapped_column(String(3))  # DfE 3-digit old_la_code
    icb_name: Mapped[str | None] = mapped_column(String(200), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    # The framework version the partnership works against (moved forward deliberately, never silently).
    framework_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("framework_versions.id", ondelete="RESTRICT"), nullable=True
    )

    framework_version = relationship("FrameworkVersion")
    memberships = relationship("Membership", back_populates="partnership", cascade="all, delete-orphan")


class Membership(Base):
    """A user's role in one partnership. Inspector grants carry the last day of access (`expires_on`)."""

    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("partnership_id", "user_id", name="uq_memberships_partnership_user"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    partnership_id: Mapped[int] = mapped_column(ForeignKey("partnerships.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    expires_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    # Which partner organisation the member speaks for (domain/partners.py); leads sign off for it.
    organisation: Mapped[str | None] = mapped_column(String(40), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)

    partnership = relationship("Partnership", back_populates="memberships")
    user = relationship("User", back_populates="memberships")

    def is_current(self, today: date) -> bool:
        """Return whether the membership gives access today (inspector grants end after `expires_on`)."""
        return self.expires_on is None or today <= self.expires_on
