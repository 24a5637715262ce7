"""Registration numbers: assigned inside the registering transaction, unique and gap-free per station and year."""

from __future__ import annotations

from sqlalchemy import update

from app.domain.registration_number import format_number
from app.extensions import db, dialect_insert
from app.models import RegistrationSequence, Station


def _ensure_sequence_row(station_id: int, year: int) -> None:
    statement = dialect_insert(RegistrationSequence).values(station_id=station_id, year=year, last_value=0)
    db.session.execute(statement.on_conflict_do_nothing(index_elements=["station_id", "year"]))


def next_number(station: Station, year: int) -> str:
    """Take the next number of the station's year. The UPDATE holds the row's lock until the transaction ends:
    concurrent registrations queue behind it, and a rollback returns the number, so there are no gaps."""
    _ensure_sequence_row(station.id, year)
    value = db.session.execute(
        update(RegistrationSequence)
        .where(RegistrationSequence.station_id == station.id, RegistrationSequence.year == year)
        .values(last_value=RegistrationSequence.last_value + 1)
        .returning(RegistrationSequence.last_value)
    ).scalar_one()
    return format_number(station.code, year, value)
