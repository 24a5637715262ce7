"""Reports upward: the bureau's frozen, signed snapshots of the annual tables, and the batches of the per-contract
upload file sent to the provincial and national systems."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, BigInteger, CheckConstraint, ForeignKey, Index, SmallInteger, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.account import User
from app.models.base import Base, utcnow

UPLOAD_RECEIVERS = ("province", "national")


class ReportSnapshot(Base):
    """A year's tables as they stood when the bureau froze them: never updated; its SHA-256 and the bureau root's
    signature cover the canonical JSON of `tables`. `quarter` is null for a year (the only kind frozen today)."""

    __tablename__ = "report_snapshots"
    __table_args__ = (
        CheckConstraint("quarter IS NULL OR quarter BETWEEN 1 AND 4", name="quarter"),
        # One freeze per year: a partial index, because a unique (year, quarter) lets NULL quarters repeat.
        Index(
            "uq_report_snapshots_year",
            "year",
            unique=True,
            postgresql_where=text("quarter IS NULL"),
            sqlite_where=text("quarter IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(SmallInteger)
    quarter: Mapped[int | None] = mapped_column(SmallInteger)
    tables: Mapped[dict] = mapped_column(JSON)
    sha256: Mapped[str] = mapped_column(String(64))
    signature: Mapped[str] = mapped_column(Text)
    signed_by: Mapped[str] = mapped_column(String(300))
    algorithm: Mapped[str] = mapped_column(String(32))
    frozen_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    frozen_at: Mapped[datetime] = mapped_column(default=utcnow)

    frozen_by: Mapped[User] = relationship()


class UploadBatch(Base):
    """One batch of the upload file for a receiver: the feed positions (after_position, last_position] it carried.
    The next batch for the receiver starts where its last one ended."""

    __tablename__ = "upload_batches"
    __table_args__ = (
        CheckConstraint("receiver IN (%s)" % ", ".join(f"'{r}'" for r in UPLOAD_RECEIVERS), name="receiver"),
        CheckConstraint("last_position >= after_position", name="positions"),
        Index("ix_upload_batches_receiver_last_position", "receiver", "last_position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    receiver: Mapped[str] = mapped_column(String(16))
    after_position: Mapped[int] = mapped_column(BigInteger)
    last_position: Mapped[int] = mapped_column(BigInteger)
    items: Mapped[int]
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    created_by: Mapped[User] = relationship()
