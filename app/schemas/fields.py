"""Field types shared by the schemas: money as two-decimal strings, codes from the catalogue."""
from __future__ import annotations

from decimal import Decimal

from marshmallow import ValidationError, fields, validate

from app.domain.money import AmountError, format_amount, parse_amount


class Money(fields.Field):
    """RMB as a string with exactly two decimals ("1250000.00"); never a JSON number."""

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else format_amount(Decimal(value))

    def _deserialize(self, value, attr, data, **kwargs):
        try:
            return parse_amount(value)
        except AmountError as error:
            raise ValidationError(error.code) from None


def code(choices, **kwargs) -> fields.String:
    """A string that must be one of the catalogue's codes."""
    return fields.String(validate=validate.OneOf(list(choices), error="code.unknown"), **kwargs)


def text(max_length: int, **kwargs) -> fields.String:
    """Free text with a length limit."""
    return fields.String(validate=validate.Length(max=max_length, error="text.too_long"), **kwargs)
