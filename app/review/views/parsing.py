"""What a reviewer types into the station's forms (amounts, dates), read or turned into field errors."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation

from app.errors import FieldError, ValidationFailed
from app.i18n import t

CENT = Decimal("0.01")
_SPACES = re.compile(r"[\s,，]")


def parse_date(text: str | None) -> date:
    """A date as YYYY-MM-DD; ValueError otherwise."""
    return date.fromisoformat((text or "").strip())


def parse_amount(text: str | None, field: str) -> Decimal:
    """An amount typed into a form ("1,080,000.00", "1080000") as Decimal with two decimals."""
    cleaned = _SPACES.sub("", text or "")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite() or value.as_tuple().exponent < -2:
        message = t("Enter an amount in yuan with at most two decimals, e.g. 1250000.00.")
        raise ValidationFailed(message, [FieldError("amount.format", field, message)])
    return value.quantize(CENT)


def form_date(text: str | None, field: str) -> date:
    """A date typed into a form (YYYY-MM-DD); anything else is a field error."""
    try:
        return parse_date(text)
    except ValueError:
        message = t("Enter a date as YYYY-MM-DD.")
        raise ValidationFailed(message, [FieldError("date.format", field, message)]) from None
