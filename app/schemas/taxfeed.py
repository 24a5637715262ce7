"""Tax feed shapes: the query (an opaque cursor and a page size) and the cursor's encoding."""
from __future__ import annotations

import base64
import binascii

from marshmallow import Schema, ValidationError, fields, validate

CURSOR_PREFIX = "tax-feed:v1:"


def encode_cursor(position: int) -> str:
    """An opaque cursor for "after this position"; clients hand it back unchanged."""
    return base64.urlsafe_b64encode(f"{CURSOR_PREFIX}{position}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> int:
    """The position a cursor stands for; ValueError when it is not one of ours."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode("ascii")
    except (binascii.Error, UnicodeDecodeError, ValueError) as error:
        raise ValueError("not a cursor") from error
    digits = raw.removeprefix(CURSOR_PREFIX)
    if digits == raw or not digits.isdigit() or len(digits) > 18:
        raise ValueError("not a cursor")
    return int(digits)


class Cursor(fields.String):
    """A feed cursor in the query string, loaded as the position it encodes."""

    def _deserialize(self, value, attr, data, **kwargs) -> int:
        text = super()._deserialize(value, attr, data, **kwargs)
        try:
            return decode_cursor(text.strip())
        except ValueError as error:
            raise ValidationError("cursor.invalid") from error


class FeedQuery(Schema):
    """`after`: the next_cursor of the previous page (absent: from the start); `limit`: 1 to 500 items."""

    after = Cursor(load_default=0)
    limit = fields.Integer(load_default=100, validate=validate.Range(min=1, max=500, error="limit.range"))
