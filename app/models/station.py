"""Registration stations and the division codes each one serves."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, TimestampMixin


class Station(TimestampMixin, Base):
    """A registration station (登记站); its code heads every registration number it assigns."""

    __tablename__ = "stations"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(6), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    active: Mapped[bool] = mapped_column(default=True)
    # The station's service commitment: a decision limit (working days) shorter than the rules' own.
    commitment_days: Mapped[int | None]
    areas: Mapped[list[StationArea]] = relationship(
        back_populates="station", cascade="all, delete-orphan", order_by="StationArea.area_code"
    )

    institutions: Mapped[list[StationInstitution]] = relationship(
        back_populates="station", cascade="all, delete-orphan", order_by="StationInstitution.credit_code"
    )

    @property
    def area_codes(self) -> list[str]:
        return [area.area_code for area in self.areas]

    def __repr__(self) -> str:
        return f"<Station {self.code} {self.name}>"


class StationArea(Base):
    """One division code served by one station: an area has at most one station."""

    __tablename__ = "station_areas"

    id: Mapped[int] = mapped_column(primary_key=True)
    station_id: Mapped[int] = mapped_column(ForeignKey("stations.id", ondelete="CASCADE"), index=True)
    area_code: Mapped[str] = mapped_column(String(6), unique=True)
    station: Mapped[Station] = relationship(back_populates="areas")


class StationInstitution(Base):
    """A named institution (a university, a research institute) a station serves whatever its district, by its
    unified social credit code: an institution has at most one station."""

    __tablename__ = "station_institutions"

    id: Mapped[int] = mapped_column(primary_key=True)
    station_id: Mapped[int] = mapped_column(ForeignKey("stations.id", ondelete="CASCADE"), index=True)
    credit_code: Mapped[str] = mapped_column(String(18), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    station: Mapped[Station] = relationship(back_populates="institutions")
