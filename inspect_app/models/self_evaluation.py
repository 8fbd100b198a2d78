"""The self-evaluation: one entry per criterion, every save a numbered version, sign-offs per version."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from inspect_app.models.base import Base


class SefEntry(Base):
    __tablename__ = "sef_entries"
    __table_args__ = (UniqueConstraint("partnership_id", "criterion_id", name="uq_sef_entries_partnership_criterion"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    partnership_id: Mapped[int] = mapped_column(ForeignKey("partnerships.id", ondelete="CASCADE"), index=True)
    criterion_id: Mapped[str] = mapped_column(String(40))
    current_version: Mapped[int] = mapped_column(Integer, default=0)
    content: Mapped[dict] = mapped_column(JSON, default=dict)  # the current version's content
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    updated_by: Mapped[str] = mapped_column(String(254))

    versions = relationship(
        "SefVersion", back_populates="entry", cascade="all, delete-orphan", order_by="SefVersion.number"
    )
    signatures = relationship("SefSignature", back_populates="entry", cascade="all, delete-orphan")


class SefVersion(Base):
    __tablename__ = "sef_versions"
    __table_args__ = (UniqueConstraint("entry_id", "number", name="uq_sef_versions_entry_number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    partnership_id: Mapped[int] = mapped_column(ForeignKey("partnerships.id", ondelete="CASCADE"), index=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("sef_entries.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    content: Mapped[dict] = mapped_column(JSON)
    saved_at: Mapped[datetime] = mapped_column(DateTime)
    saved_by: Mapped[str] = mapped_column(String(254))
    note: Mapped[str | None] = mapped_column(String(300), nullable=True)

    entry = relationship("SefEntry", back_populates="versions")


class SefSignature(Base):
    """A lead's sign-off of one version on behalf of their organisation."""

    __tablename__ = "sef_signatures"
    __table_args__ = (
        UniqueConstraint("entry_id", "version", "partner", name="uq_sef_signatures_entry_version_partner"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    partnership_id: Mapped[int] = mapped_column(ForeignKey("partnerships.id", ondelete="CASCADE"), index=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("sef_entries.id", ondelete="CASCADE"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    partner: Mapped[str] = mapped_column(String(40))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    signer: Mapped[str] = mapped_column(String(254))
    signed_at: Mapped[datetime] = mapped_column(DateTime)

    entry = relationship("SefEntry", back_populates="signatures")
