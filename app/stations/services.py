"""Stations: the bureau's management of stations and their reviewers (which station serves an area is
app/stations/lookup.py, which filing and claims use without depending on accounts)."""

from __future__ import annotations

import re

from sqlalchemy import select

from app.accounts.services import accounts
from app.audit.services import audit
from app.auth.permissions import Permission, has_permission
from app.domain import areas
from app.domain.clock import today_local
from app.domain.identifiers import credit_code_status
from app.domain.rules import rule_set_for
from app.errors import Conflict, FieldError, Forbidden, NotFound, ValidationFailed
from app.extensions import db
from app.i18n import current_language, t
from app.models import Station, StationArea, StationInstitution
from app.stations.lookup import served_area_codes as served_area_codes  # re-exported
from app.stations.lookup import station_for_area as station_for_area  # re-exported


def _require_bureau(actor) -> None:
    if not has_permission(actor, Permission.STATION_MANAGE):
        raise Forbidden(t("Only the bureau manages stations."))


def _check_areas(area_codes: list[str], station: Station | None) -> list[str]:
    codes = sorted({c.strip() for c in area_codes if c and c.strip()})
    errors = [
        FieldError("area_code.unknown", "areas", t("Unknown division code: %(code)s", code=c))
        for c in codes
        if not areas.is_known(c)
    ]
    taken = db.session.scalars(select(StationArea).where(StationArea.area_code.in_(codes))).all()
    errors += [
        FieldError(
            "area_code.taken",
            "areas",
            t("%(code)s is already served by station %(station)s.", code=a.area_code, station=a.station.code),
        )
        for a in taken
        if station is None or a.station_id != station.id
    ]
    if errors:
        raise ValidationFailed(t("The areas cannot be assigned."), errors)
    return codes


def _snapshot(station: Station) -> dict:
    return {
        "code": station.code,
        "name": station.name,
        "active": station.active,
        "areas": station.area_codes,
        "commitment_days": station.commitment_days,
        "institutions": [i.credit_code for i in station.institutions],
    }


def create_station(actor, code: str, name: str, area_codes: list[str]) -> Station:
    """A new station with the division codes it serves (an area is served by one station at most)."""
    _require_bureau(actor)
    code, name = (code or "").strip(), (name or "").strip()
    if not re.fullmatch(r"\d{6}", code):
        raise ValidationFailed(
            t("A station code has six digits."),
            [FieldError("station.format", "code", t("A station code has six digits."))],
        )
    if not name:
        raise ValidationFailed(t("Name the station."), [FieldError("required", "name", t("This field is required."))])
    if db.session.scalars(select(Station.id).where(Station.code == code)).first():
        raise Conflict(
            t("A station with this code exists."),
            [FieldError("station.taken", "code", t("A station with this code exists."))],
        )
    station = Station(code=code, name=name, areas=[StationArea(area_code=c) for c in _check_areas(area_codes, None)])
    db.session.add(station)
    db.session.flush()
    audit.record(actor, "station.create", "station", station.id, None, _snapshot(station))
    return station


def update_station(
    actor, station: Station, name: str | None = None, area_codes: list[str] | None = None, active: bool | None = None
) -> Station:
    """Rename a station, change the areas it serves, or (de)activate it."""
    _require_bureau(actor)
    before = _snapshot(station)
    if name is not None:
        if not name.strip():
            raise ValidationFailed(
                t("Name the station."), [FieldError("required", "name", t("This field is required."))]
            )
        station.name = name.strip()
    if area_codes is not None:
        codes = _check_areas(area_codes, station)
        station.areas = [a for a in station.areas if a.area_code in codes]
        station.areas += [StationArea(area_code=c) for c in codes if c not in station.area_codes]
    if active is not None:
        station.active = active
    db.session.flush()
    audit.record(actor, "station.update", "station", station.id, before, _snapshot(station))
    return station


def set_commitment(actor, station: Station, days: int | None) -> Station:
    """The station's service commitment: a decision limit in working days, at most the statutory limit of the
    rule set in force (None: no commitment, the statutory limit alone)."""
    _require_bureau(actor)
    statutory = rule_set_for(today_local())
    if days is not None and not 1 <= days <= statutory.time_limit_days:
        message = t(
            "A commitment is between 1 and the statutory limit of %(limit)s.",
            limit=statutory.days_label(statutory.time_limit_days).for_locale(current_language()),
        )
        raise ValidationFailed(message, [FieldError("commitment.range", "commitment_days", message)])
    before = _snapshot(station)
    station.commitment_days = days
    db.session.flush()
    audit.record(actor, "station.commitment", "station", station.id, before, _snapshot(station))
    return station


def add_institution(actor, station: Station, credit_code: str | None, name: str | None) -> StationInstitution:
    """Let the station serve a named institution (by its unified social credit code), whatever its district; an
    institution is served by one station at most."""
    _require_bureau(actor)
    code, name = (credit_code or "").strip().upper(), (name or "").strip()
    errors = []
    status = credit_code_status(code)
    if status != "valid":
        message = (
            t("The check digit of this credit code is wrong.")
            if status == "check_digit"
            else t("A unified social credit code has 18 characters.")
        )
        errors.append(FieldError(f"credit_code.{status}", "credit_code", message))
    if not name:
        errors.append(FieldError("required", "institution_name", t("This field is required.")))
    elif len(name) > (limit := StationInstitution.name.type.length):
        errors.append(FieldError("too_long", "institution_name", t("At most %(count)s characters.", count=limit)))
    if errors:
        raise ValidationFailed(t("The institution cannot be added."), errors)
    taken = db.session.scalars(select(StationInstitution).where(StationInstitution.credit_code == code)).first()
    if taken is not None:
        message = t("%(code)s is already served by station %(station)s.", code=code, station=taken.station.code)
        raise Conflict(message, [FieldError("credit_code.taken", "credit_code", message)])
    before = _snapshot(station)
    institution = StationInstitution(credit_code=code, name=name)
    station.institutions.append(institution)
    db.session.flush()
    audit.record(actor, "station.update", "station", station.id, before, _snapshot(station))
    return institution


def remove_institution(actor, station: Station, institution_id: int) -> None:
    """The station no longer serves this institution (its filings already routed stay where they are)."""
    _require_bureau(actor)
    institution = next((i for i in station.institutions if i.id == institution_id), None)
    if institution is None:
        raise NotFound(t("This station does not serve that institution."))
    before = _snapshot(station)
    station.institutions.remove(institution)
    db.session.flush()
    audit.record(actor, "station.update", "station", station.id, before, _snapshot(station))


def add_reviewer(actor, station: Station, email: str, name: str, password: str):
    """Create a reviewer account bound to the station; the bureau chose its password, so the reviewer is asked to
    change it at the first sign-in."""
    _require_bureau(actor)
    reviewer = accounts.create_user(email, password, "reviewer", name, station=station, actor=actor)
    reviewer.must_change_password = True
    return reviewer


def set_reviewer_active(actor, reviewer, active: bool):
    """Disable (or re-enable) a reviewer: a disabled account's sessions end, it cannot sign in or use its tokens."""
    _require_bureau(actor)
    if reviewer.role != "reviewer":
        raise Conflict(t("Only reviewer accounts are managed here."))
    return accounts.set_active(reviewer, active, actor=actor)
