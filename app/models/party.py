"""Parties: the organisations and individuals that sign contracts and own accounts."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, TimestampMixin


class Party(TimestampMixin, Base):
    """An organisation (by unified social credit code) or an individual (by resident ID number)."""

    __tablename__ = "parties"
    __table_args__ = (
        CheckConstraint("kind IN ('organisation', 'individual')", name="kind"),
        CheckConstraint("credit_code IS NOT NULL OR id_number IS NOT NULL", name="identified"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(200))
    credit_code: Mapped[str | None] = mapped_column(String(18), unique=True)
    id_number: Mapped[str | None] = mapped_column(String(18), unique=True)
    nature: Mapped[str | None] = mapped_column(String(3))
    area_code: Mapped[str | None] = mapped_column(String(6))
    country: Mapped[str] = mapped_column(String(3), default="156")

    def __repr__(self) -> str:
        return f"<Party {self.id} {self.credit_code or '(individual)'}>"
