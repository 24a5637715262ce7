"""Registration numbers (登记编号): 6-digit station code + 4-digit year + 6-digit sequence, kept as strings."""

from __future__ import annotations

import re

_NUMBER = re.compile(r"^(\d{6})(\d{4})(\d{6})$")
MAX_SEQUENCE = 999_999


def format_number(station_code: str, year: int, sequence: int) -> str:
    """e.g. ("130402", 2026, 123) → "1304022026000123"."""
    if not re.fullmatch(r"\d{6}", station_code):
        raise ValueError(f"station code must be 6 digits: {station_code!r}")
    if not 1 <= sequence <= MAX_SEQUENCE:
        raise ValueError(f"sequence out of range: {sequence}")
    if not 1000 <= year <= 9999:
        raise ValueError(f"year out of range: {year}")
    return f"{station_code}{year:04d}{sequence:06d}"


def parse_number(number: str) -> tuple[str, int, int] | None:
    """(station code, year, sequence) of a 16-digit number, or None when it is not one."""
    match = _NUMBER.match(number or "")
    if match is None:
        return None
    station, year, sequence = match.groups()
    return station, int(year), int(sequence)
