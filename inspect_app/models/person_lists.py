"""The validation summary of each person-level lists check: counts, rule codes and row numbers, never a value.

The lists themselves are never stored (domain/person_lists.py): this row says who checked which file, when,
against which template, and what was found, so a lead can show the lists were checked before they were sent.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from inspect_app.models.base import Base, PartnershipOwned


class PersonListCheck(PartnershipOwned, Base):
    __tablename__ = "person_list_checks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    partnership_id: Mapped[int] = mapped_column(ForeignKey("partnerships.id", ondelete="CASCADE"), index=True)
    checked_at: Mapped[datetime] = mapped_column(DateTime)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    checked_by: Mapped[str] = mapped_column(String(254))
    files: Mapped[list] = mapped_column(JSON)  # [{"name", "sha256", "bytes"}]
    template: Mapped[str] = mapped_column(String(60))
    as_of: Mapped[date] = mapped_column(Date)
    lists: Mapped[list] = mapped_column(JSON)  # [{"list", "source", "rows"}]
    error_count: Mapped[int] = mapped_column(Integer)
    query_count: Mapped[int] = mapped_column(Integer)
    rules: Mapped[list] = mapped_column(JSON)  # [{"code", "severity", "list", "column", "count", "rows"}]
    cross_check: Mapped[list] = mapped_column(JSON)  # [{"key", "label", "list_count", "case_count"}]
