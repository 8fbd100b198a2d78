"""The evidence library: items, the file revisions of documents, and links to framework criteria."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from inspect_app.models.base import Base, PartnershipOwned

KINDS = ("document", "link", "snapshot")
PARTNERS = ("council", "icb", "parent_carer_forum", "school_college", "provider", "other")
STATUSES = ("draft", "ready_for_review", "approved", "returned")  # = domain.readiness.EVIDENCE_STATUSES


class EvidenceItem(PartnershipOwned, Base):
    """One piece of evidence: a document (with revisions), a web link or a data snapshot the app generated."""

    __tablename__ = "evidence_items"
    __table_args__ = (
        UniqueConstraint("partnership_id", "reference", name="uq_evidence_items_partnership_reference"),
        Index("ix_evidence_items_partnership_status", "partnership_id", "status"),
        Index("ix_evidence_items_partnership_review_by", "partnership_id", "review_by"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    partnership_id: Mapped[int] = mapped_column(ForeignKey("partnerships.id", ondelete="CASCADE"), index=True)
    reference: Mapped[str] = mapped_column(String(40))  # the register's reference, e.g. EV-0012
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[str] = mapped_column(String(20))  # KINDS
    evidence_type: Mapped[str] = mapped_column(String(80))  # an evidence type id of the framework
    partner: Mapped[str] = mapped_column(String(30))  # PARTNERS
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True, index=True)
    period_from: Mapped[date | None] = mapped_column(Date, nullable=True)
    period_to: Mapped[date | None] = mapped_column(Date, nullable=True)
    as_at: Mapped[date | None] = mapped_column(Date, nullable=True)  # the date the data is as at
    review_by: Mapped[date] = mapped_column(Date)
    url: Mapped[str | None] = mapped_column(String(2000), nullable=True)  # web links only
    status: Mapped[str] = mapped_column(String(30), default="draft")  # STATUSES
    returned_reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    status_changed_at: Mapped[datetime] = mapped_column(DateTime)
    status_changed_by: Mapped[str] = mapped_column(String(254))  # who, as the audit log names them
    created_at: Mapped[datetime] = mapped_column(DateTime)
    created_by: Mapped[str] = mapped_column(String(254))
    updated_at: Mapped[datetime] = mapped_column(DateTime, index=True)

    owner = relationship("User")
    revisions = relationship(
        "EvidenceRevision", back_populates="item", cascade="all, delete-orphan", order_by="EvidenceRevision.number"
    )
    links = relationship(
        "EvidenceLink", back_populates="item", cascade="all, delete-orphan", order_by="EvidenceLink.criterion_id"
    )

    @property
    def latest_revision(self) -> EvidenceRevision | None:
        return self.revisions[-1] if self.revisions else None

    @property
    def current_links(self) -> list[EvidenceLink]:
        """Links to criteria of the partnership's framework version (not those left behind by a move)."""
        return [link for link in self.links if not link.orphaned]


class EvidenceRevision(PartnershipOwned, Base):
    """One version of a document's file. The bytes live in the blob store under their sha256."""

    __tablename__ = "evidence_revisions"
    __table_args__ = (UniqueConstraint("item_id", "number", name="uq_evidence_revisions_item_number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    partnership_id: Mapped[int] = mapped_column(ForeignKey("partnerships.id", ondelete="CASCADE"), index=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("evidence_items.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size: Mapped[int] = mapped_column(BigInteger)
    media_type: Mapped[str] = mapped_column(String(120))
    file_type: Mapped[str] = mapped_column(String(10))  # domain.file_types id, e.g. pdf, docx
    filename: Mapped[str] = mapped_column(String(255))  # cleaned name as uploaded: shown, never a storage path
    note: Mapped[str] = mapped_column(Text, default="")  # what changed in this revision
    uploaded_at: Mapped[datetime] = mapped_column(DateTime)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    uploaded_by: Mapped[str] = mapped_column(String(254))

    item = relationship("EvidenceItem", back_populates="revisions")


class EvidenceLink(PartnershipOwned, Base):
    """An item supports a criterion, with a sentence on what it shows.

    `orphaned` links point at a criterion the partnership's framework version no longer has (moved to a version
    in which nothing continues it): they are kept, not shown as support, and listed on the item page.
    """

    __tablename__ = "evidence_links"
    __table_args__ = (
        UniqueConstraint("item_id", "criterion_id", name="uq_evidence_links_item_criterion"),
        Index("ix_evidence_links_partnership_criterion", "partnership_id", "criterion_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    partnership_id: Mapped[int] = mapped_column(ForeignKey("partnerships.id", ondelete="CASCADE"), index=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("evidence_items.id", ondelete="CASCADE"), index=True)
    criterion_id: Mapped[str] = mapped_column(String(40))
    note: Mapped[str] = mapped_column(Text, default="")
    orphaned: Mapped[bool] = mapped_column(Boolean, default=False)

    item = relationship("EvidenceItem", back_populates="links")
