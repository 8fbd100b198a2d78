"""National statistics: DfE's published figures, the areas they are for, and statistical neighbours.

This is reference data shared by every partnership (no partnership_id): England, the regions and every local
authority are published for all to compare against. A figure is stored exactly as published (its value as the
published decimal text, or DfE's symbol) with the release it came from; a later release adds its own rows and
queries take each figure from the newest release that has it (services/benchmarks.py).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from inspect_app.models.base import Base


class BenchmarkArea(Base):
    """England, a region, or a local authority keyed on DfE's 3-digit old_la_code."""

    __tablename__ = "areas"

    code: Mapped[str] = mapped_column(String(9), primary_key=True)  # 805, E12000001 or E92000001
    name: Mapped[str] = mapped_column(String(200))  # as published in the latest period seen
    level: Mapped[str] = mapped_column(String(20))  # National | Regional | Local authority
    region_code: Mapped[str | None] = mapped_column(String(9), nullable=True)
    latest_period: Mapped[str | None] = mapped_column(String(7), nullable=True)


class AreaCode(Base):
    """A 9-character code a local authority has been published or listed under (the crosswalk)."""

    __tablename__ = "area_codes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    area_code: Mapped[str] = mapped_column(ForeignKey("areas.code", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(9), unique=True)
    source: Mapped[str] = mapped_column(String(20))  # "file" (printed in a DfE file) or "reference" (domain table)


class BenchmarkRelease(Base):
    """One imported file of one release of the publication ("2025", requests)."""

    __tablename__ = "releases"
    __table_args__ = (UniqueConstraint("label", "file_kind", name="uq_releases_label_file_kind"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    label: Mapped[str] = mapped_column(String(60))
    file_kind: Mapped[str] = mapped_column(String(40))  # sen2_mi, requests, timeliness_20_week, …
    generation: Mapped[str] = mapped_column(String(200))  # the layout the header was recognised as
    file_name: Mapped[str] = mapped_column(String(255))
    file_sha256: Mapped[str] = mapped_column(String(64))
    imported_at: Mapped[datetime] = mapped_column(DateTime)
    imported_by: Mapped[str] = mapped_column(String(254))
    figure_count: Mapped[int] = mapped_column(Integer)
    # {"areas": n, "measures": [...], "periods": [...], "notes": [...], "notes_total": n, "label_given": bool}
    summary: Mapped[dict] = mapped_column(JSON, default=dict)


class PublishedFigure(Base):
    """One published figure for one measure, area, period and breakdown, from one release."""

    __tablename__ = "published_figures"
    __table_args__ = (
        UniqueConstraint(
            "measure",
            "area_code",
            "period",
            "breakdown_topic",
            "breakdown",
            "release_id",
            name="uq_published_figures_measure",
        ),
    )

    # No foreign keys here, deliberately: PostgreSQL checks a foreign key with one query per row, and the two
    # (release, area) more than doubled the time to store a 13,000-row file, past the 3x pandas.read_csv target
    # (bench/RESULTS.md). The one writer, services/benchmark_imports.py, stores the release and the areas in the
    # same transaction before their figures, and deletes a release's figures itself when it replaces them.
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    release_id: Mapped[int] = mapped_column(Integer, index=True)  # releases.id
    measure: Mapped[str] = mapped_column(String(40))
    # No index of its own: lookups go by measure then area, the leading columns of the unique key.
    area_code: Mapped[str] = mapped_column(String(9))  # areas.code
    period: Mapped[str] = mapped_column(String(7))  # "2024" or "2024/25"
    time_identifier: Mapped[str] = mapped_column(String(40))
    # "" when the file has no breakdown (the wide sen2_mi files): NULLs would never collide in the unique key.
    breakdown_topic: Mapped[str] = mapped_column(String(200), default="")
    breakdown: Mapped[str] = mapped_column(String(200), default="")
    is_total: Mapped[bool] = mapped_column(Boolean, default=True)
    numerator: Mapped[int | None] = mapped_column(Integer, nullable=True)
    denominator: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # The published number as exact decimal text ("59.900000000000", "46.4", "82329"); None with a symbol.
    value_text: Mapped[str | None] = mapped_column(String(40), nullable=True)
    symbol: Mapped[str | None] = mapped_column(String(10), nullable=True)
    new_la_code: Mapped[str | None] = mapped_column(String(9), nullable=True)  # as printed in the file

    @property
    def value(self) -> Decimal | None:
        return None if self.value_text is None else Decimal(self.value_text)


class StatisticalNeighbour(Base):
    """One of a local authority's statistical neighbours, in rank order (1 is the closest)."""

    __tablename__ = "statistical_neighbours"
    __table_args__ = (UniqueConstraint("la_code", "rank", name="uq_statistical_neighbours_la_code_rank"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    la_code: Mapped[str] = mapped_column(String(3), index=True)
    rank: Mapped[int] = mapped_column(Integer)
    neighbour_code: Mapped[str] = mapped_column(String(3))
    neighbour_name: Mapped[str] = mapped_column(String(200))
    proximity: Mapped[str | None] = mapped_column(String(40), nullable=True)
    source_code: Mapped[str] = mapped_column(String(9))  # the code as the file gave it (ONS where it had one)
    model: Mapped[str] = mapped_column(String(120))  # which neighbour model (file) the row came from
    file_sha256: Mapped[str] = mapped_column(String(64))
    imported_at: Mapped[datetime] = mapped_column(DateTime)
    imported_by: Mapped[str] = mapped_column(String(254))
