"""Field types shared by the schemas: money as two-decimal strings, codes from the catalogue, bounded text."""

from __future__ import annotations

from decimal import Decimal

from flask_smorest.fields import Upload
from marshmallow import ValidationError, fields, validate
from werkzeug.datastructures import FileStorage

from app.domain.clock import local
from app.domain.money import AmountError, format_amount, parse_amount

# What parse_amount accepts, as a JSON Schema pattern: two decimals, at most twelve significant digits before
# the point (999,999,999,999.99 at most); leading zeros are harmless.
MONEY_PATTERN = r"^0*[0-9]{1,12}\.[0-9]{2}$"
# PostgreSQL's text types cannot hold NUL; refusing it at the edge keeps it out of every backend alike.
NO_NUL_PATTERN = r"^[^\u0000]*$"


class Money(fields.String):
    """RMB as a string with exactly two decimals ("1250000.00"); never a JSON number."""

    def __init__(self, **kwargs) -> None:
        metadata = {"pattern": MONEY_PATTERN, "example": "1250000.00", **kwargs.pop("metadata", {})}
        super().__init__(metadata=metadata, **kwargs)

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
    """Free text with a length limit (and no NUL character)."""
    return fields.String(
        validate=[
            validate.Length(max=max_length, error="text.too_long"),
            validate.Regexp(NO_NUL_PATTERN, error="text.nul"),
        ],
        **kwargs,
    )


def column_text(column, **kwargs) -> fields.String:
    """Free text stored in `column` (a model attribute): its limit is the column's length, stated once."""
    return text(column.type.length, **kwargs)


class StrictBoolean(fields.Boolean):
    """A JSON true or false, nothing else (no "yes", 1 or "true" as a string): what the schema documents."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, bool):
            raise ValidationError("type.boolean")
        return value


class LocalDateTime(fields.DateTime):
    """A stored UTC time, shown in Asia/Shanghai with its offset (ISO 8601)."""

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else local(value).isoformat()


class Derived(fields.Nested):
    """A nested object computed from the parent by `source(parent)` (None when there is none)."""

    def __init__(self, nested, source, **kwargs) -> None:
        super().__init__(nested, **kwargs)
        self.source = source

    def get_value(self, obj, attr, accessor=None, default=None):
        return self.source(obj)


class FilePart(Upload):
    """A file part of a multipart body; a plain form field of the same name is not a file."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, FileStorage):
            raise ValidationError("file.not_a_file")
        return value
