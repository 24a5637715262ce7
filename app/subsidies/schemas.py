"""Shapes of the subsidy API (API.md "Subsidies"): programmes, claims, the qualifying list, the payment list."""

from __future__ import annotations

import re
from decimal import Decimal

from marshmallow import Schema, ValidationError, fields, validate

from app.domain import catalogue as cat
from app.domain.subsidies import BASES, BENEFICIARIES, CLAIM_STATUSES, KNOWN_CHECKS
from app.models import SubsidyClaim, SubsidyProgramme
from app.models.base import MAX_ID
from app.schemas.fields import FilePart, LocalDateTime, Money, StrictBoolean, code, column_text, text

PAYMENT_FORMATS = ("csv", "xlsx")
RATE_PATTERN = r"^[0-9]{1,2}(\.[0-9]{1,6})?$"


class Rate(fields.String):
    """A fraction as a string with up to six decimals ("0.05" is 5 %, "0.001" is 1 ‰); the service checks its range."""

    def __init__(self, **kwargs) -> None:
        super().__init__(metadata={"pattern": RATE_PATTERN, "example": "0.05"}, **kwargs)

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else f"{Decimal(value).normalize():f}"

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, str) or not re.fullmatch(RATE_PATTERN, value):
            raise ValidationError("subsidy.rate")
        return Decimal(value)


class ProgrammeIn(Schema):
    """A programme as the bureau defines it."""

    name = column_text(SubsidyProgramme.name, required=True)
    year = fields.Integer(required=True, validate=validate.Range(min=2000, max=2100))
    beneficiary = code(BENEFICIARIES, required=True)
    basis = code(BASES, required=True)
    rate = Rate(required=True)
    cap_per_contract = Money(load_default=None, allow_none=True)
    cap_per_organisation_year = Money(load_default=None, allow_none=True)
    budget = Money(required=True)
    categories = fields.List(code(cat.CATEGORIES), load_default=list, validate=validate.Length(max=len(cat.CATEGORIES)))
    open_from = fields.Date(required=True)
    open_until = fields.Date(required=True)


class ProgrammeOut(Schema):
    id = fields.Integer()
    name = fields.String()
    year = fields.Integer()
    beneficiary = fields.String(validate=validate.OneOf(list(BENEFICIARIES)))
    basis = fields.String(validate=validate.OneOf(list(BASES)))
    rate = Rate()
    cap_per_contract = Money(allow_none=True)
    cap_per_organisation_year = Money(allow_none=True)
    budget = Money()
    categories = fields.List(fields.String())
    open_from = fields.Date()
    open_until = fields.Date()


class ProgrammeList(Schema):
    items = fields.List(fields.Nested(ProgrammeOut))


class BeneficiaryIn(Schema):
    """The platform operator the bureau claims for (platform programmes only)."""

    credit_code = fields.String(required=True, validate=validate.Regexp(r"^[0-9A-Z]{18}$", error="credit_code.format"))
    name = text(200, required=True)


class ClaimIn(Schema):
    """A claim on a local registration."""

    programme = fields.Integer(required=True, validate=validate.Range(min=1, max=MAX_ID))
    registration_number = fields.String(required=True, validate=validate.Regexp(r"^[0-9]{16}$", error="number.format"))
    beneficiary = fields.Nested(BeneficiaryIn, load_default=None, allow_none=True)


class ExternalClaimIn(Schema):
    """A claim on another registry's registration: its certificate PDF and the facts it states (buyer programmes)."""

    programme = fields.Integer(required=True, validate=validate.Range(min=1, max=MAX_ID))
    registration_number = column_text(SubsidyClaim.registration_number, required=True)
    registry = column_text(SubsidyClaim.external_registry, required=True)
    category = code(cat.CATEGORIES, required=True)
    registered_on = fields.Date(required=True)
    amount = Money(required=True)
    technical_amount = Money(load_default=None, allow_none=True)
    file = FilePart(required=True, metadata={"description": "the other registry's signed certificate (PDF)"})


class ApproveIn(Schema):
    certificate_checked = StrictBoolean(
        load_default=False,
        metadata={"description": "a claim on another registry's registration: the bureau checked the certificate"},
    )


class RejectIn(Schema):
    reason = text(2000, required=True)


class ClearIn(Schema):
    note = text(2000, required=True)


class ClaimListArgs(Schema):
    status = code(CLAIM_STATUSES, load_default=None)
    programme = fields.Integer(load_default=None, validate=validate.Range(min=1, max=MAX_ID))
    before = fields.Integer(
        load_default=None,
        validate=validate.Range(min=1, max=MAX_ID),
        metadata={"description": "Only claims older than this claim id: the `next` of the page before."},
    )


class ClaimOut(Schema):
    id = fields.Integer()
    programme = fields.Integer(attribute="programme_id")
    registration_number = fields.String()
    contract_id = fields.Integer(allow_none=True)
    beneficiary_credit_code = fields.String()
    beneficiary_name = fields.String()
    beneficiary_role = fields.String(validate=validate.OneOf(list(BENEFICIARIES)))
    basis_amount = Money()
    amount = Money()
    status = fields.String(validate=validate.OneOf(list(CLAIM_STATUSES)))
    rejection_reason = fields.String(allow_none=True)
    flagged = fields.Boolean()
    flag_reason = fields.String(allow_none=True)
    external = fields.Boolean()
    external_registry = fields.String(allow_none=True)
    certificate_check = fields.String(allow_none=True, validate=validate.OneOf(KNOWN_CHECKS))
    certificate_reason = fields.String(allow_none=True)
    created_at = LocalDateTime()
    decided_at = LocalDateTime(allow_none=True)
    paid_at = LocalDateTime(allow_none=True)


class ClaimList(Schema):
    items = fields.List(fields.Nested(ClaimOut))
    next = fields.Integer(
        allow_none=True,
        metadata={"description": "Pass as `before` for the next, older page; null on the last page."},
    )


class QualifyingOut(Schema):
    programme = fields.Integer(attribute="programme.id")
    programme_name = fields.String(attribute="programme.name")
    contract_id = fields.Integer()
    registration_number = fields.String()
    title = fields.String(allow_none=True)
    role = fields.String()
    basis_amount = Money()
    amount = Money()


class QualifyingList(Schema):
    items = fields.List(fields.Nested(QualifyingOut))


class PaymentQuery(Schema):
    programme = fields.Integer(load_default=None, validate=validate.Range(min=1, max=MAX_ID))
    format = fields.String(load_default="csv", validate=validate.OneOf(PAYMENT_FORMATS, error="format.unknown"))


class PaymentManifestOut(Schema):
    rows = fields.Integer()
    sha256 = fields.String()
    signature = fields.String(metadata={"description": "base64 of the DER ECDSA-SHA256 signature"})
    signed_by = fields.String()
    algorithm = fields.String()
    certificate_url = fields.String()
