"""Finding a station: by its code, by the area or the institution it serves; and the served areas and institutions
the rules check against."""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.models import Station, StationArea, StationInstitution


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


def station_for_institution(credit_code: str | None) -> Station | None:
    """The active station serving the institution with this credit code, if any."""
    if not credit_code:
        return None
    return db.session.scalars(
        select(Station)
        .join(StationInstitution)
        .where(StationInstitution.credit_code == credit_code.strip().upper(), Station.active.is_(True))
    ).first()


def served_credit_codes() -> frozenset[str]:
    """The credit codes of every institution an active station serves."""
    rows = db.session.scalars(select(StationInstitution.credit_code).join(Station).where(Station.active.is_(True)))
    return frozenset(rows)


def station_for_party(credit_code: str | None, area_code: str | None) -> Station | None:
    """Where a filing goes: the station of the filing party's institution, whatever its district; else the station
    of its area."""
    return station_for_institution(credit_code) or station_for_area(area_code)
