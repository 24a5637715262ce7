"""Shapes of the reports API: the report's query, the national tables' document, a freeze, the upload file's page."""

from __future__ import annotations

import base64
import binascii

from marshmallow import Schema, ValidationError, fields, validate

from app.statistics.services.upload import COLUMNS as UPLOAD_COLUMNS

REPORT_FORMATS = ("json", "csv", "xlsx")
CURSOR_PREFIX = "tcr-upload:v1:"


class ReportArgs(Schema):
    """Which report: a year, optionally a quarter (cumulative from January), and the format."""

    year = fields.Integer(
        required=True,
        validate=validate.Range(min=2000, max=2100, error="year.range"),
        metadata={"description": "The registration year (a year from 2000 to this year)"},
    )
    quarter = fields.Integer(
        validate=validate.Range(min=1, max=4, error="quarter.range"),
        metadata={"description": "1–4: January to the quarter's end (cumulative); absent: the whole year"},
    )
    format = fields.String(load_default="json", validate=validate.OneOf(REPORT_FORMATS, error="format.unknown"))


class SnapshotOut(Schema):
    """A freeze: the SHA-256 of the signed content, the bureau root's signature, who froze the year and when."""

    year = fields.Integer(required=True)
    sha256 = fields.String(required=True, metadata={"pattern": "^[0-9a-f]{64}$"})
    signature = fields.String(required=True, metadata={"description": "base64 DER ECDSA-SHA256"})
    signed_by = fields.String(required=True)
    algorithm = fields.String(required=True)
    certificate_url = fields.String(required=True)
    frozen_by = fields.String(required=True)
    frozen_at = fields.String(required=True, metadata={"format": "date-time"})


class ReportOut(Schema):
    """The national tables: each table's rows (code, label, level, figures) and totals; the freeze and, after
    it, the reconciliation. The signed content is the canonical JSON (sorted keys, no spaces, UTF-8) of
    {"year", "quarter", "tables"}."""

    format = fields.String(required=True)
    year = fields.Integer(required=True)
    quarter = fields.Integer(required=True, allow_none=True)
    cumulative = fields.Boolean(required=True)
    period = fields.Dict(required=True)
    source = fields.String(required=True, metadata={"enum": ["live", "snapshot"]})
    snapshot = fields.Dict(required=True, allow_none=True)
    columns = fields.List(fields.Dict(), required=True)
    tables = fields.List(fields.Dict(), required=True)
    reconciliation = fields.List(fields.Dict(), required=True)


def encode_cursor(position: int) -> str:
    """An opaque cursor for "after this position" of the upload file."""
    return base64.urlsafe_b64encode(f"{CURSOR_PREFIX}{position}".encode()).decode().rstrip("=")


class UploadCursor(fields.String):
    """An upload cursor in the query string, loaded as the position it encodes."""

    def _deserialize(self, value, attr, data, **kwargs) -> int:
        text = super()._deserialize(value, attr, data, **kwargs).strip()
        if len(text) > 64:
            raise ValidationError("cursor.invalid")
        try:
            raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)).decode("ascii")
        except (binascii.Error, UnicodeDecodeError, ValueError) as error:
            raise ValidationError("cursor.invalid") from error
        digits = raw.removeprefix(CURSOR_PREFIX)
        if digits == raw or not digits.isdigit() or len(digits) > 18:
            raise ValidationError("cursor.invalid")
        return int(digits)


class UploadArgs(Schema):
    """`after`: the previous page's next_cursor (absent: from the first registration); `limit`: 1 to 500."""

    after = UploadCursor(load_default=0)
    limit = fields.Integer(load_default=100, validate=validate.Range(min=1, max=500, error="limit.range"))


UploadItemOut = Schema.from_dict(
    {
        key: fields.Integer(required=True)
        if key in ("seq", "version")
        else fields.String(required=True, allow_none=True, metadata={"description": header})
        for key, header in UPLOAD_COLUMNS
    },
    name="UploadItemOut",
)


class UploadPage(Schema):
    """Upload items in commit order and the cursor to resume from."""

    items = fields.List(fields.Nested(UploadItemOut), required=True)
    next_cursor = fields.String(required=True)
