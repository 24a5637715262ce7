"""Shapes of certificate downloads and public verification."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from app.filing.schemas import StationOut
from app.models import Certificate
from app.schemas.fields import FilePart, Money, column_text


class CertificateQuery(Schema):
    """Which version of the certificate (default: the current one)."""

    version = fields.Integer(validate=validate.Range(min=1, error="version.range"))


class VerifyQuery(Schema):
    """The check code printed beside the QR code."""

    c = column_text(Certificate.check_code)


class VerifyUploadIn(Schema):
    """The multipart form of an uploaded certificate."""

    file = FilePart(required=True, metadata={"description": "The certificate PDF"})


class PublicFactsOut(Schema):
    """What anyone may learn about a registration number (everything but existence needs the check code)."""

    registration_number = fields.String()
    exists = fields.Boolean()
    code_checked = fields.Boolean()
    status = fields.String(validate=validate.OneOf(("valid", "superseded", "cancelled", "revoked")))
    version = fields.Integer()
    current_version = fields.Integer()
    station = fields.Nested(StationOut)
    registered_on = fields.String(metadata={"format": "date"})
    category = fields.String()
    subtype = fields.String()
    equity = fields.Boolean(metadata={"description": "true: technology contributed as equity (技术入股)"})
    amount = Money(allow_none=True)
    amount_fixed = fields.Boolean(metadata={"description": "false: the amount is to be supplemented (待补正)"})
    certified_technical_amount = Money(allow_none=True)
    seller = fields.String(metadata={"description": "partly masked"})
    buyer = fields.String(metadata={"description": "partly masked"})
    certificate_sha256 = fields.String()


class VerificationOut(Schema):
    """The answer to an uploaded certificate."""

    result = fields.String(validate=validate.OneOf(("valid", "invalid", "unknown")))
    reason = fields.String()
    registration_number = fields.String(allow_none=True)
    version = fields.Integer(allow_none=True)
    registry_status = fields.String(validate=validate.OneOf(("valid", "superseded", "cancelled", "revoked")))
    sha256 = fields.String(allow_none=True)
    signer = fields.String(allow_none=True)
