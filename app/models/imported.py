"""Registrations of other registries imported for the absorption statistics, and the import batches that
brought them. Never part of the local registry: no contract, no certificate, no number of ours."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.domain.absorption import IMPORT_SOURCES, IMPORTED_STATUSES
from app.domain.catalogue import COUNTRY_CHINA
from app.models.account import User
from app.models.base import Base, utcnow


def _in(column: str, values) -> str:
    return "%s IN (%s)" % (column, ", ".join(f"'{v}'" for v in values))


class ImportBatch(Base):
    """One uploaded file: who imported it from which registry, when, its SHA-256, the counts per outcome and the
    per-row report (bounded by the import's row limit)."""

    __tablename__ = "import_batches"
    __table_args__ = (CheckConstraint(_in("source", tuple(IMPORT_SOURCES)), name="source"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(16))
    registry_name: Mapped[str | None] = mapped_column(String(200))
    filename: Mapped[str | None] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64))
    imported_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    imported_at: Mapped[datetime] = mapped_column(default=utcnow)
    rows_total: Mapped[int] = mapped_column(default=0)
    imported: Mapped[int] = mapped_column(default=0)
    updated: Mapped[int] = mapped_column(default=0)
    unchanged: Mapped[int] = mapped_column(default=0)
    rejected: Mapped[int] = mapped_column(default=0)
    report: Mapped[list] = mapped_column(JSON, default=list)  # [{"row", "registration_number", "status", "findings"}]

    imported_by: Mapped[User] = relationship()


class ImportedRegistration(Base):
    """A registration of another registry whose buyer is in Handan, as that registry exported it. One row per
    (source, registration number): importing the same number again updates it, never duplicates it."""

    __tablename__ = "imported_registrations"
    __table_args__ = (
        UniqueConstraint("source", "registration_number"),
        CheckConstraint(_in("source", tuple(IMPORT_SOURCES)), name="source"),
        CheckConstraint(_in("status", IMPORTED_STATUSES), name="status"),
        CheckConstraint("amount >= 0 AND technical_amount >= 0 AND technical_amount <= amount", name="amounts"),
        Index("ix_imported_registrations_registered_on", "registered_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(16))
    registration_number: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(16))
    registered_on: Mapped[date]
    title: Mapped[str | None] = mapped_column(String(300))
    category: Mapped[str] = mapped_column(String(16))
    subtype: Mapped[str] = mapped_column(String(32))
    contributed_as_equity: Mapped[bool] = mapped_column(default=False, server_default=false())
    technical_field: Mapped[str | None] = mapped_column(String(32))
    amount: Mapped[Decimal]
    technical_amount: Mapped[Decimal]
    seller_name: Mapped[str] = mapped_column(String(200))
    seller_credit_code: Mapped[str] = mapped_column(String(18))
    seller_area: Mapped[str] = mapped_column(String(6))
    seller_nature: Mapped[str | None] = mapped_column(String(3))
    seller_country: Mapped[str] = mapped_column(String(3), default=COUNTRY_CHINA)
    buyer_name: Mapped[str] = mapped_column(String(200))
    buyer_credit_code: Mapped[str] = mapped_column(String(18))
    buyer_area: Mapped[str] = mapped_column(String(6))
    buyer_nature: Mapped[str | None] = mapped_column(String(3))
    buyer_country: Mapped[str] = mapped_column(String(3), default=COUNTRY_CHINA)
    first_batch_id: Mapped[int] = mapped_column(ForeignKey("import_batches.id"))
    batch_id: Mapped[int] = mapped_column(ForeignKey("import_batches.id"))  # the batch that last wrote it
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
