"""The tax feed: one event per registration, change, cancellation, revocation and verified technical income, in
commit order."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, BigInteger, CheckConstraint, ForeignKey, Identity, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, utcnow

EVENTS = (
    "registered",
    "changed",
    "cancelled",
    "revoked",
    "tax_claim",
    "objection",
    "objection_answered",
    "income_verified",
)
# SQLite only auto-numbers an INTEGER primary key; PostgreSQL gets a bigint identity.
BigId = BigInteger().with_variant(Integer(), "sqlite")


class TaxEvent(Base):
    """An event written in the deciding transaction; `position` is stamped later, in commit order, by the relay
    (taxfeed.publish), because ids are handed out in insert order, not in the order transactions commit."""

    __tablename__ = "tax_events"
    __table_args__ = (
        CheckConstraint("event IN (%s)" % ", ".join(f"'{e}'" for e in EVENTS), name="event"),
        Index(
            "ix_tax_events_unpublished",
            "id",
            postgresql_where=text("position IS NULL"),
            sqlite_where=text("position IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(BigId, Identity(), primary_key=True)
    position: Mapped[int | None] = mapped_column(BigInteger, unique=True, index=True)
    event: Mapped[str] = mapped_column(String(24))
    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id"), index=True)
    registration_number: Mapped[str] = mapped_column(String(16))
    version: Mapped[int]
    occurred_at: Mapped[datetime] = mapped_column(default=utcnow)
    seller_area: Mapped[str | None] = mapped_column(String(6), index=True)
    buyer_area: Mapped[str | None] = mapped_column(String(6), index=True)
    payload: Mapped[dict] = mapped_column(JSON)


class TaxPull(Base):
    """One read of the feed by a tax officer: when, from which position, up to which, and how many items."""

    __tablename__ = "tax_pulls"
    __table_args__ = (Index("ix_tax_pulls_user_id_pulled_at", "user_id", "pulled_at"),)

    id: Mapped[int] = mapped_column(BigId, Identity(), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    pulled_at: Mapped[datetime] = mapped_column(default=utcnow)
    after_position: Mapped[int] = mapped_column(BigInteger)
    next_position: Mapped[int] = mapped_column(BigInteger)
    items: Mapped[int]
