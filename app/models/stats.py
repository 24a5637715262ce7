"""Statistics: one flattened fact row per registration, and the bureau's yearly goals."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import BigInteger, ForeignKey, Index, SmallInteger, String, UniqueConstraint, false, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, TimestampMixin
from app.models.station import Station


class RegistrationFact(Base):
    """A registration as the statistics see it, rewritten by app.services.stats_facts whenever it is registered,
    changed, cancelled or revoked. Narrow on purpose: the dashboard aggregates a million of these per query.

    Amounts are integer cents: exact sums on every backend (SQLite sums NUMERIC as floating point) and faster to
    add up than NUMERIC on PostgreSQL.
    """

    __tablename__ = "registration_facts"
    __table_args__ = (
        Index("ix_registration_facts_year_station", "registered_year", "station_id"),
        Index("ix_registration_facts_station_year", "station_id", "registered_year"),
    )

    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id", ondelete="CASCADE"), primary_key=True)
    station_id: Mapped[int] = mapped_column(ForeignKey("stations.id"))
    status: Mapped[str] = mapped_column(String(24))
    registered_on: Mapped[date]
    registered_year: Mapped[int] = mapped_column(SmallInteger)
    registered_month: Mapped[int] = mapped_column(SmallInteger)
    category: Mapped[str | None] = mapped_column(String(16))
    subtype: Mapped[str | None] = mapped_column(String(32))
    contributed_as_equity: Mapped[bool] = mapped_column(default=False, server_default=false())
    technical_field: Mapped[str | None] = mapped_column(String(32))
    ip_type: Mapped[str | None] = mapped_column(String(32))
    plan_category: Mapped[str | None] = mapped_column(String(16))
    seller_area: Mapped[str | None] = mapped_column(String(6))
    seller_nature: Mapped[str | None] = mapped_column(String(3))
    seller_region: Mapped[str] = mapped_column(String(16))
    buyer_area: Mapped[str | None] = mapped_column(String(6))
    buyer_nature: Mapped[str | None] = mapped_column(String(3))
    buyer_region: Mapped[str] = mapped_column(String(16))
    amount_cents: Mapped[int] = mapped_column(BigInteger)
    technical_amount_cents: Mapped[int] = mapped_column(BigInteger)


class Goal(TimestampMixin, Base):
    """A target the bureau sets for a year: for the whole city (no station) or for one station."""

    __tablename__ = "goals"
    __table_args__ = (
        UniqueConstraint("year", "metric", "station_id"),
        # NULLs never collide in a unique constraint: the city-wide goal needs its own partial index.
        Index(
            "ix_goals_city_metric",
            "year",
            "metric",
            unique=True,
            postgresql_where=text("station_id IS NULL"),
            sqlite_where=text("station_id IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int]
    metric: Mapped[str] = mapped_column(String(32))
    station_id: Mapped[int | None] = mapped_column(ForeignKey("stations.id", ondelete="CASCADE"))
    target: Mapped[Decimal]
    note: Mapped[str | None] = mapped_column(String(300))
    set_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    station: Mapped[Station | None] = relationship()
