"""Printable documents of a filing's history (受理回执, 补正通知书, ...): signed PDFs stored by their SHA-256."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, utcnow


class Document(Base):
    """One document of one history entry, made on its first download and served unchanged ever after."""

    __tablename__ = "documents"
    __table_args__ = (UniqueConstraint("status_change_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # receipt | amendment | refusal | filing
    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id", ondelete="CASCADE"), index=True)
    status_change_id: Mapped[int] = mapped_column(ForeignKey("status_changes.id", ondelete="CASCADE"))
    sha256: Mapped[str] = mapped_column(String(64))  # the storage key: content-addressed
    size: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
