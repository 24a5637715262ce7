"""Finding a station: by its code, by the area it serves; and the served areas the rules check against."""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.models import Station, StationArea


def station_for_area(area_code: str | None) -> Station | None:
    """The active station serving this division code, if any."""
    if not area_code:
        return None
    return db.session.scalars(
        select(Station).join(StationArea).where(StationArea.area_code == area_code, Station.active.is_(True))
    ).first()


def served_area_codes() -> frozenset[str]:
    """Every division code served by an active station."""
    rows = db.session.scalars(select(StationArea.area_code).join(Station).where(Station.active.is_(True)))
    return frozenset(rows)


def by_code(code: str | None) -> Station | None:
    """The station with this six-digit code, active or not, if any."""
    if not code:
        return None
    return db.session.scalars(select(Station).where(Station.code == code)).first()
