"""The 16-digit registration number format."""

from __future__ import annotations

import pytest

from app.domain.registration_number import format_number, parse_number


def test_format_and_parse_round_trip():
    number = format_number("130402", 2026, 123)
    assert number == "1304022026000123"
    assert parse_number(number) == ("130402", 2026, 123)


@pytest.mark.parametrize(
    "args", [("13040", 2026, 1), ("130402", 2026, 0), ("130402", 2026, 1_000_000), ("13040A", 2026, 1)]
)
def test_invalid_parts_are_refused(args):
    with pytest.raises(ValueError):
        format_number(*args)


@pytest.mark.parametrize("text", ["", "130402202600012", "13040220260001234", "130402202600012X", None])
def test_parse_rejects_what_is_not_a_number(text):
    assert parse_number(text) is None
