"""Shapes of the tax office's exports: the period and format asked for, and the signed manifest."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

EXPORT_FORMATS = ("csv", "xlsx", "json")


class ExportQuery(Schema):
    """A period of registration dates (inclusive) and a file format."""

    date_from = fields.Date(required=True, data_key="from")
    date_to = fields.Date(required=True, data_key="to")
    format = fields.String(load_default="csv", validate=validate.OneOf(EXPORT_FORMATS, error="format.unknown"))


class ManifestOut(Schema):
    """The export's row count, SHA-256 and the bureau's detached signature over its exact bytes."""

    rows = fields.Integer()
    sha256 = fields.String()
    signature = fields.String(metadata={"description": "base64 of the DER ECDSA-SHA256 signature"})
    signed_by = fields.String()
    algorithm = fields.String()
    certificate_url = fields.String()
