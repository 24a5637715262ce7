"""Issued certificates: each version of a registration's signed PDF and sealed OFD, stored immutably by SHA-256."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, utcnow


class Certificate(Base):
    """One version of a registration certificate (技术合同认定登记证明); a change issues the next version."""

    __tablename__ = "certificates"
    __table_args__ = (UniqueConstraint("contract_id", "version"), UniqueConstraint("registration_number", "check_code"))

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id", ondelete="RESTRICT"), index=True)
    registration_number: Mapped[str] = mapped_column(String(16), index=True)
    version: Mapped[int]
    check_code: Mapped[str] = mapped_column(String(16))
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    size: Mapped[int]
    status: Mapped[str] = mapped_column(String(16), default="current")  # current | superseded
    station_id: Mapped[int] = mapped_column(ForeignKey("stations.id"))
    signer_subject: Mapped[str] = mapped_column(String(300))
    # the same version as an OFD electronic licence with the station's SM2 seal (None: issued before OFD licences)
    ofd_sha256: Mapped[str | None] = mapped_column(String(64), unique=True)
    ofd_size: Mapped[int | None]
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)
    superseded_at: Mapped[datetime | None]
