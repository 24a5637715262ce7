"""Contract input and output shapes of API.md."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from app.domain import catalogue as cat
from app.domain.clock import local
from app.domain.identifiers import mask_id_number
from app.schemas.fields import Money, code, text

ALL_SUBTYPES = [s for subtypes in cat.SUBTYPES.values() for s in subtypes]
OPTIONAL = {"required": False, "allow_none": True}


class PartyIn(Schema):
    """A seller or buyer: an organisation (credit_code) or an individual (id_number)."""

    name = text(200, **OPTIONAL)
    credit_code = text(32, **OPTIONAL)
    id_number = text(32, **OPTIONAL)
    area_code = fields.String(validate=validate.Regexp(r"^\d{6}$", error="area_code.format"), **OPTIONAL)
    nature = code(cat.PARTY_NATURES, **OPTIONAL)
    country = fields.String(validate=validate.Regexp(r"^\d{3}$", error="country.format"), **OPTIONAL)


class DeductionIn(Schema):
    """One itemised non-technical cost."""

    kind = code(cat.DEDUCTION_KINDS, **OPTIONAL)
    description = text(300, **OPTIONAL)
    amount = Money(**OPTIONAL)


class LicenseIn(Schema):
    """Licence terms: exclusivity, territory, years."""

    exclusivity = code(cat.LICENSE_EXCLUSIVITY, **OPTIONAL)
    territory = code(cat.LICENSE_TERRITORY, **OPTIONAL)
    years = fields.Integer(strict=True, validate=validate.Range(min=1, max=99, error="license.years_range"),
                           **OPTIONAL)


class ContractIn(Schema):
    """A draft's fields; every one optional, since a draft may be incomplete (the rules say what is missing)."""

    title = text(300, **OPTIONAL)
    category = code(cat.CATEGORIES, **OPTIONAL)
    subtype = code(ALL_SUBTYPES, **OPTIONAL)
    signed_on = fields.Date(**OPTIONAL)
    valid_from = fields.Date(**OPTIONAL)
    valid_until = fields.Date(**OPTIONAL)
    seller = fields.Nested(PartyIn, **OPTIONAL)
    buyer = fields.Nested(PartyIn, **OPTIONAL)
    amount = Money(**OPTIONAL)
    deductions = fields.List(fields.Nested(DeductionIn), validate=validate.Length(max=50, error="list.too_long"),
                             **OPTIONAL)
    technical_amount = Money(**OPTIONAL)
    technical_field = code(cat.TECHNICAL_FIELDS, **OPTIONAL)
    ip_type = code(cat.IP_TYPES, **OPTIONAL)
    ip_numbers = fields.List(text(40), validate=validate.Length(max=50, error="list.too_long"), **OPTIONAL)
    plan_category = code(cat.PLAN_CATEGORIES, **OPTIONAL)
    payment_method = code(cat.PAYMENT_METHODS, **OPTIONAL)
    summary = text(5000, **OPTIONAL)
    license = fields.Nested(LicenseIn, **OPTIONAL)


class SubmitIn(Schema):
    """Submission: the codes of the warnings the applicant confirms."""

    acknowledge = fields.List(fields.String(validate=validate.Length(max=64)), load_default=list)


class WithdrawIn(Schema):
    """The applicant's reason for withdrawing."""

    note = text(2000, load_default=None, allow_none=True)


class ContractListArgs(Schema):
    """Filters and paging of the contract list."""

    status = code(cat.STATUSES, required=False)
    category = code(cat.CATEGORIES, required=False)
    q = text(100, required=False)
    signed_from = fields.Date(required=False)
    signed_to = fields.Date(required=False)
    station = fields.String(required=False, validate=validate.Regexp(r"^\d{6}$", error="station.format"))
    due_before = fields.Date(required=False)
    overdue = fields.Boolean(required=False)
    amount_min = Money(required=False)
    amount_max = Money(required=False)
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200, error="limit.range"))
    cursor = text(200, required=False)


class AttachmentIn(Schema):
    """The form part that accompanies an uploaded file."""

    kind = code(cat.ATTACHMENT_KINDS, required=True)


def _aware(moment):
    return local(moment).isoformat() if moment else None


class PartyOut(Schema):
    """A party as shown: ID numbers always masked."""

    name = fields.String()
    credit_code = fields.String()
    id_number = fields.Function(lambda p: mask_id_number(p.id_number) if p.id_number else None)
    area_code = fields.String()
    nature = fields.String()
    country = fields.String()


class FindingOut(Schema):
    """A finding, its message in the request's language."""

    code = fields.String()
    severity = fields.String()
    field = fields.String()
    message = fields.Method("_message")

    def _message(self, finding) -> str:
        from app.web.i18n import current_language

        return finding.message(current_language())


class AttachmentOut(Schema):
    """An attachment's metadata."""

    id = fields.Integer()
    kind = fields.String()
    filename = fields.String()
    media_type = fields.String()
    size = fields.Integer()
    sha256 = fields.String()
    created_at = fields.Function(lambda a: _aware(a.created_at))


class HistoryOut(Schema):
    """One status transition."""

    who = fields.Function(lambda h: h.actor.name if h.actor else None)
    role = fields.String(attribute="actor_role")
    when = fields.Function(lambda h: _aware(h.created_at))
    from_ = fields.String(attribute="from_status", data_key="from")
    to = fields.String(attribute="to_status")
    note = fields.String()
    details = fields.Dict()


class StationOut(Schema):
    """A station's code and name."""

    code = fields.String()
    name = fields.String()


class LicenseOut(Schema):
    """Licence terms as filed."""

    exclusivity = fields.String(attribute="license_exclusivity")
    territory = fields.String(attribute="license_territory")
    years = fields.Integer(attribute="license_years")


class DeductionOut(Schema):
    """A deduction as filed."""

    kind = fields.String()
    description = fields.String()
    amount = Money()


class ProposalOut(Schema):
    """A registration or a change waiting for a second reviewer: what the registration would certify, the
    corrections (registration) or changes (change) with their former values, and why two reviewers are needed."""

    kind = fields.String()
    proposed_by = fields.Function(lambda p: p.proposed_by.name if p.proposed_by else None)
    category = fields.String()
    subtype = fields.String()
    certified_technical_amount = Money()
    corrections = fields.Dict()
    changes = fields.Dict()
    reasons = fields.List(fields.String(), attribute="review_reasons")
    note = fields.String()
    created_at = fields.Function(lambda p: _aware(p.created_at))


def _days_left(contract):
    from app.services.deadlines import days_left

    return days_left(contract) if contract.status in ("submitted", "accepted", "amendment_requested") else None


def _overdue(contract):
    from app.services.deadlines import is_overdue

    return is_overdue(contract)


class ContractOut(Schema):
    """The contract as API.md describes it."""

    id = fields.Integer()
    status = fields.String()
    title = fields.String()
    category = fields.String()
    subtype = fields.String()
    signed_on = fields.Date()
    valid_from = fields.Date()
    valid_until = fields.Date()
    seller = fields.Nested(PartyOut, allow_none=True)
    buyer = fields.Nested(PartyOut, allow_none=True)
    amount = Money()
    deductions = fields.List(fields.Nested(DeductionOut))
    technical_amount = Money()
    technical_field = fields.String()
    ip_type = fields.String()
    ip_numbers = fields.List(fields.String())
    plan_category = fields.String()
    payment_method = fields.String()
    summary = fields.String()
    license = fields.Method("_license")
    station = fields.Nested(StationOut, allow_none=True)
    rule_set = fields.String()
    filed_on = fields.Date()
    findings = fields.List(fields.Nested(FindingOut))
    acknowledged_warnings = fields.List(fields.String())
    attachments = fields.List(fields.Nested(AttachmentOut))
    history = fields.List(fields.Nested(HistoryOut))
    registration_number = fields.String()
    certified_technical_amount = Money()
    registered_on = fields.Date()
    version = fields.Integer()
    certificate = fields.Method("_certificate")
    accepted_at = fields.Function(lambda c: _aware(c.accepted_at))
    due_on = fields.Date()
    due_provisional = fields.Boolean()
    days_left = fields.Function(_days_left)
    overdue = fields.Function(_overdue)
    expert_review = fields.Boolean()
    amendment_due_on = fields.Date()
    pending_registration = fields.Nested(ProposalOut, allow_none=True)
    pending_change = fields.Nested(ProposalOut, allow_none=True)
    created_at = fields.Function(lambda c: _aware(c.created_at))
    updated_at = fields.Function(lambda c: _aware(c.updated_at))

    def _certificate(self, contract):
        current = contract.current_certificate
        if current is None:
            return None
        from flask import url_for

        from app.services.certificates import verify_url

        return {"version": current.version, "sha256": current.sha256, "check_code": current.check_code,
                "url": url_for("certificates_api.download", contract_id=contract.id),
                "verify_url": verify_url(current.registration_number, current.check_code)}

    def _license(self, contract):
        if all(v is None for v in (contract.license_exclusivity, contract.license_territory, contract.license_years)):
            return None
        return LicenseOut().dump(contract)


class ContractPage(Schema):
    """A page of contracts."""

    items = fields.List(fields.Nested(ContractOut))
    next_cursor = fields.String(allow_none=True)
