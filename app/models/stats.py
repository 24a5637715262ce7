"""Statistics: one flattened fact row per registration, the bureau's yearly goals and its county targets."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import BigInteger, ForeignKey, Index, Numeric, SmallInteger, String, UniqueConstraint, false, text
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
        # the part of a month the rollup cannot answer (last year up to today's date)
        Index("ix_registration_facts_registered_on", "registered_on"),
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


class StatsRollup(Base):
    """Registrations, contract amount and technical amount of the registrations in force, per grouping of
    dimensions, station, year and month: what the dashboard and the annual tables add up instead of scanning
    registration_facts. Kept by app.statistics.services.rollup in the transaction that rewrites the facts.

    `key1` and `key2` are the grouping's dimension values ('' for none: a key column takes no NULL).
    """

    __tablename__ = "stats_rollup"

    grouping: Mapped[str] = mapped_column(String(40), primary_key=True)
    registered_year: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    registered_month: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    station_id: Mapped[int] = mapped_column(ForeignKey("stations.id"), primary_key=True)
    key1: Mapped[str] = mapped_column(String(40), primary_key=True)
    key2: Mapped[str] = mapped_column(String(40), primary_key=True)
    registrations: Mapped[int] = mapped_column(BigInteger)
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


class CountyTarget(TimestampMixin, Base):
    """The growth a county (district, county or city of Handan) is assessed against in a year: a rate of growth of
    its contract amount over the year before (15.00 = +15 %) and optionally an amount; who set it, and when
    (updated_at)."""

    __tablename__ = "county_targets"
    __table_args__ = (UniqueConstraint("year", "area_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int]
    area_code: Mapped[str] = mapped_column(String(6))
    growth_rate: Mapped[Decimal] = mapped_column(Numeric(7, 2))  # per cent, -100.00 to 1000.00
    target_amount: Mapped[Decimal | None]  # yuan
    set_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
