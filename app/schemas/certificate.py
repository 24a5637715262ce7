"""Shapes of certificate downloads and public verification."""
from __future__ import annotations

from marshmallow import Schema, fields, validate


class CertificateQuery(Schema):
    """Which version of the certificate (default: the current one)."""

    version = fields.Integer(validate=validate.Range(min=1, error="version.range"))


class VerifyQuery(Schema):
    """The check code printed beside the QR code."""

    c = fields.String(validate=validate.Length(max=32))


class VerifyUploadIn(Schema):
    """The multipart form of an uploaded certificate (the file itself is the `file` part)."""


class PublicFactsOut(Schema):
    """What anyone may learn about a registration number (everything but existence needs the check code)."""

    registration_number = fields.String()
    exists = fields.Boolean()
    code_checked = fields.Boolean()
    status = fields.String()
    version = fields.Integer()
    current_version = fields.Integer()
    station = fields.Dict()
    registered_on = fields.String()
    category = fields.String()
    subtype = fields.String()
    amount = fields.String()
    certified_technical_amount = fields.String()
    seller = fields.String()
    buyer = fields.String()
    certificate_sha256 = fields.String()


class VerificationOut(Schema):
    """The answer to an uploaded certificate."""

    result = fields.String()
    reason = fields.String()
    registration_number = fields.String(allow_none=True)
    version = fields.Integer(allow_none=True)
    registry_status = fields.String()
    sha256 = fields.String(allow_none=True)
    signer = fields.String(allow_none=True)
