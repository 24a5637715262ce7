"""Contract input and output shapes of API.md."""

from __future__ import annotations

from flask import url_for
from marshmallow import Schema, fields, validate

from app.brokers.schemas import BrokerRefOut
from app.certificates.services import verify_url
from app.domain import brokers as broker_rules
from app.domain import catalogue as cat
from app.domain import workflow
from app.domain.identifiers import mask_id_number, mask_id_numbers
from app.filing.services.deadlines import days_left, holder, is_overdue, promised_due_on
from app.i18n import current_language
from app.models import Contract, ContractParty, Deduction
from app.models.base import MAX_ID
from app.schemas.fields import Derived, FilePart, LocalDateTime, Money, StrictBoolean, code, column_text, text

ALL_SUBTYPES = [s for subtypes in cat.SUBTYPES.values() for s in subtypes]
# "equity" was a transfer sub-type: still accepted, and mapped to the flag and the sub-type the rights say
ACCEPTED_SUBTYPES = [*ALL_SUBTYPES, cat.LEGACY_EQUITY_SUBTYPE]
OPTIONAL = {"required": False, "allow_none": True}


class PartyIn(Schema):
    """A seller or buyer: an organisation (credit_code) or an individual (id_number)."""

    name = column_text(ContractParty.name, **OPTIONAL)
    credit_code = column_text(ContractParty.credit_code, **OPTIONAL)
    id_number = column_text(ContractParty.id_number, **OPTIONAL)
    area_code = fields.String(validate=validate.Regexp(r"^\d{6}$", error="area_code.format"), **OPTIONAL)
    nature = code(cat.PARTY_NATURES, **OPTIONAL)
    country = fields.String(validate=validate.Regexp(r"^\d{3}$", error="country.format"), **OPTIONAL)


class OtherPartyIn(PartyIn):
    """A party beside the first seller and buyer, with its role."""

    role = code(cat.PARTY_ROLES, required=True)


MAX_OTHER_PARTIES = 20
MAX_DEDUCTIONS = 50


class DeductionIn(Schema):
    """One itemised non-technical cost."""

    kind = code(cat.DEDUCTION_KINDS, **OPTIONAL)
    description = column_text(Deduction.description, **OPTIONAL)
    amount = Money(**OPTIONAL)


class LicenseIn(Schema):
    """Licence terms: exclusivity, territory, years."""

    exclusivity = code(cat.LICENSE_EXCLUSIVITY, **OPTIONAL)
    territory = code(cat.LICENSE_TERRITORY, **OPTIONAL)
    years = fields.Integer(strict=True, validate=validate.Range(min=1, max=99, error="license.years_range"), **OPTIONAL)


class ContractIn(Schema):
    """A draft's fields; every one optional, since a draft may be incomplete (the rules say what is missing)."""

    title = column_text(Contract.title, **OPTIONAL)
    category = code(cat.CATEGORIES, **OPTIONAL)
    subtype = code(
        ACCEPTED_SUBTYPES,
        metadata={
            "description": 'The sub-type of the category. "equity" (the former transfer sub-type 技术入股) is still '
            "accepted: it sets `equity` and becomes the transfer sub-type the IP says (a patent with its number "
            "patent_right, know-how know_how, anything else other_transfer)"
        },
        **OPTIONAL,
    )
    contributed_as_equity = StrictBoolean(
        data_key="equity",
        required=False,
        metadata={
            "description": "Technology contributed as equity (技术入股): a flag of a transfer contract of any of its "
            "sub-types; on another category the check reports the finding equity.not_transfer"
        },
    )
    signed_by_internal_unit = StrictBoolean(
        required=False,
        metadata={
            "description": "An internal unit or research group signed: the legal representative's authorisation "
            "(attachment kind representative_authorisation) is then required"
        },
    )
    government_funded = StrictBoolean(
        required=False,
        metadata={
            "description": "The technology comes from a government-funded project: the funding body's consent "
            "(attachment kind funder_consent) is then required"
        },
    )
    signed_on = fields.Date(**OPTIONAL)
    valid_from = fields.Date(**OPTIONAL)
    valid_until = fields.Date(**OPTIONAL)
    seller = fields.Nested(PartyIn, **OPTIONAL)
    buyer = fields.Nested(PartyIn, **OPTIONAL)
    other_parties = fields.List(
        fields.Nested(OtherPartyIn),
        validate=validate.Length(max=MAX_OTHER_PARTIES, error="list.too_long"),
        metadata={"description": "Co-sellers, further buyers, the intermediary; the first seller and buyer files"},
        **OPTIONAL,
    )
    brokers = fields.List(
        fields.Integer(strict=True, validate=validate.Range(min=1, max=MAX_ID)),
        validate=validate.Length(max=broker_rules.MAX_PER_CONTRACT, error="list.too_long"),
        metadata={"description": "Ids of the registered technology brokers who brokered the deal (active ones)"},
        **OPTIONAL,
    )
    amount = Money(**OPTIONAL)
    deductions = fields.List(
        fields.Nested(DeductionIn), validate=validate.Length(max=MAX_DEDUCTIONS, error="list.too_long"), **OPTIONAL
    )
    technical_amount = Money(**OPTIONAL)
    amount_fixed = StrictBoolean(
        required=False,
        metadata={"description": "false: royalty or sales-based payment, amounts may stay null until supplemented"},
    )
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
    """A multipart upload: the file (PDF, PNG or JPEG, judged by its content) and what it is."""

    file = FilePart(required=True, metadata={"description": "The file's bytes; its name is kept for downloads"})
    kind = code(cat.ATTACHMENT_KINDS, required=True)


NULLABLE = {"allow_none": True}


class PartyOut(Schema):
    """A party as shown: ID numbers always masked."""

    name = fields.String(**NULLABLE)
    credit_code = fields.String(**NULLABLE)
    id_number = fields.Function(
        lambda p: mask_id_number(p.id_number) if p.id_number else None,
        metadata={"type": "string", "nullable": True, "description": "masked"},
    )
    area_code = fields.String(**NULLABLE)
    nature = fields.String(**NULLABLE)
    country = fields.String()


class OtherPartyOut(PartyOut):
    """A party beside the first seller and buyer, with its role."""

    role = fields.String(validate=validate.OneOf(list(cat.PARTY_ROLES)))


class FindingOut(Schema):
    """A finding, its message in the request's language."""

    code = fields.String()
    severity = fields.String(validate=validate.OneOf(("error", "warning", "notice")))
    field = fields.String(**NULLABLE)
    message = fields.Method("_message", metadata={"type": "string"})

    def _message(self, finding) -> str:
        return finding.message(current_language())


class AttachmentOut(Schema):
    """An attachment's metadata."""

    id = fields.Integer()
    kind = fields.String()
    filename = fields.String()
    media_type = fields.String()
    size = fields.Integer()
    sha256 = fields.String()
    created_at = LocalDateTime()


class HistoryOut(Schema):
    """One status transition."""

    who = fields.Function(lambda h: h.actor.name if h.actor else None, metadata={"type": "string", "nullable": True})
    role = fields.String(attribute="actor_role")
    when = LocalDateTime(attribute="created_at")
    from_ = fields.String(attribute="from_status", data_key="from", **NULLABLE)
    to = fields.String(attribute="to_status")
    note = fields.String(**NULLABLE)
    details = fields.Function(
        lambda h: mask_id_numbers(h.details or {}),
        metadata={"type": "object", "description": "what the act recorded; ID numbers masked"},
    )


class StationOut(Schema):
    """A station's code and name."""

    code = fields.String()
    name = fields.String()


class LicenseOut(Schema):
    """Licence terms as filed."""

    exclusivity = fields.String(attribute="license_exclusivity", **NULLABLE)
    territory = fields.String(attribute="license_territory", **NULLABLE)
    years = fields.Integer(attribute="license_years", **NULLABLE)


class DeductionOut(Schema):
    """A deduction as filed."""

    kind = fields.String(**NULLABLE)
    description = fields.String(**NULLABLE)
    amount = Money(**NULLABLE)


class ProposalOut(Schema):
    """A registration or a change waiting for a second reviewer: what the registration would certify, the
    corrections (registration) or changes (change) with their former values, and why two reviewers are needed."""

    kind = fields.String()
    proposed_by = fields.Function(
        lambda p: p.proposed_by.name if p.proposed_by else None, metadata={"type": "string", "nullable": True}
    )
    category = fields.String()
    subtype = fields.String()
    certified_technical_amount = Money()
    corrections = fields.Dict()
    changes = fields.Dict()
    reasons = fields.List(fields.String(), attribute="review_reasons")
    note = fields.String(**NULLABLE)
    created_at = LocalDateTime()


class CertificateLinkOut(Schema):
    """The certificate in force: its version, hash, check code, download and verification addresses."""

    version = fields.Integer()
    sha256 = fields.String()
    check_code = fields.String()
    url = fields.Function(lambda c: _certificate_url(c), metadata={"type": "string"})
    verify_url = fields.Function(lambda c: _verify_url(c), metadata={"type": "string"})


def _certificate_url(certificate) -> str:
    return url_for("certificates_api.download", contract_id=certificate.contract_id)


def _verify_url(certificate) -> str:
    return verify_url(certificate.registration_number, certificate.check_code)


def _days_left(contract):
    return days_left(contract) if contract.status in workflow.UNDECIDED else None


def _overdue(contract):
    return is_overdue(contract)


def _license_terms(contract):
    """The contract itself when it carries licence terms (LicenseOut reads its columns), else None."""
    terms = (contract.license_exclusivity, contract.license_territory, contract.license_years)
    return None if all(v is None for v in terms) else contract


class ContractOut(Schema):
    """The contract as API.md describes it."""

    id = fields.Integer()
    status = fields.String(validate=validate.OneOf(list(cat.STATUSES)))
    title = fields.String(**NULLABLE)
    category = fields.String(**NULLABLE)
    subtype = fields.String(**NULLABLE)
    equity = fields.Boolean(attribute="contributed_as_equity")
    signed_by_internal_unit = fields.Boolean()
    government_funded = fields.Boolean()
    signed_on = fields.Date(**NULLABLE)
    valid_from = fields.Date(**NULLABLE)
    valid_until = fields.Date(**NULLABLE)
    seller = fields.Nested(PartyOut, **NULLABLE)
    buyer = fields.Nested(PartyOut, **NULLABLE)
    other_parties = fields.List(fields.Nested(OtherPartyOut))
    brokers = fields.List(fields.Nested(BrokerRefOut))
    amount = Money(**NULLABLE)
    deductions = fields.List(fields.Nested(DeductionOut))
    technical_amount = Money(**NULLABLE)
    amount_fixed = fields.Boolean()
    technical_field = fields.String(**NULLABLE)
    ip_type = fields.String(**NULLABLE)
    ip_numbers = fields.List(fields.String())
    plan_category = fields.String(**NULLABLE)
    payment_method = fields.String(**NULLABLE)
    summary = fields.String(**NULLABLE)
    license = Derived(LicenseOut, _license_terms, **NULLABLE)
    station = fields.Nested(StationOut, **NULLABLE)
    rule_set = fields.String(**NULLABLE)
    filed_on = fields.Date(**NULLABLE)
    findings = fields.List(fields.Nested(FindingOut))
    acknowledged_warnings = fields.List(fields.String())
    attachments = fields.List(fields.Nested(AttachmentOut))
    history = fields.List(fields.Nested(HistoryOut))
    registration_number = fields.String(**NULLABLE)
    certified_technical_amount = Money(**NULLABLE)
    registered_on = fields.Date(**NULLABLE)
    version = fields.Integer()
    certificate = fields.Nested(CertificateLinkOut, attribute="current_certificate", **NULLABLE)
    accepted_at = LocalDateTime(**NULLABLE)
    due_on = fields.Date(**NULLABLE)
    due_provisional = fields.Boolean()
    days_left = fields.Function(_days_left, metadata={"type": "integer", "nullable": True})
    overdue = fields.Function(_overdue, metadata={"type": "boolean"})
    expert_review = fields.Boolean()
    expert_outcome = fields.String(
        **NULLABLE, metadata={"enum": list(cat.EXPERT_OUTCOMES), "description": "the expert panel's opinion"}
    )
    held_by = fields.Function(
        holder,
        metadata={
            "type": "string",
            "nullable": True,
            "enum": ["station", "experts", "applicant", None],
            "description": "who must act next on an undecided filing",
        },
    )
    promised_due_on = fields.Function(
        lambda c: d.isoformat() if (d := promised_due_on(c)) else None,
        metadata={"type": "string", "format": "date", "nullable": True, "description": "the station's commitment"},
    )
    amendment_due_on = fields.Date(**NULLABLE)
    pending_registration = fields.Nested(ProposalOut, **NULLABLE)
    pending_change = fields.Nested(ProposalOut, **NULLABLE)
    created_at = LocalDateTime()
    updated_at = LocalDateTime()


class ContractPage(Schema):
    """A page of contracts."""

    items = fields.List(fields.Nested(ContractOut))
    next_cursor = fields.String(**NULLABLE)


class BatchIn(Schema):
    """A batch filing: the workbook made from the template (XLSX, judged by its content)."""

    file = FilePart(
        required=True,
        metadata={"description": "The filled-in template (XLSX): sheets of contracts, parties and deductions"},
    )


class BatchFindingOut(Schema):
    """A finding of a batch row: the API's finding plus the sheet and row it points at."""

    code = fields.String()
    severity = fields.String(validate=validate.OneOf(("error", "warning", "notice")))
    field = fields.String(**NULLABLE)
    message = fields.String()
    sheet = fields.String(validate=validate.OneOf(("contracts", "parties", "deductions")))
    row = fields.Integer()


class BatchRowOut(Schema):
    """One row's outcome: `created` (a draft, its id) or `rejected` (nothing stored), with its findings either way
    (a created draft still lists the attachments it awaits)."""

    row = fields.Integer(metadata={"description": "the row number in its sheet (the header is row 1)"})
    sheet = fields.String(
        validate=validate.OneOf(("contracts", "parties", "deductions")),
        metadata={"description": "contracts; parties or deductions for a row naming no contract of the workbook"},
    )
    ref = fields.String(**NULLABLE, metadata={"description": "the contract's reference in the workbook"})
    status = fields.String(validate=validate.OneOf(("created", "rejected")))
    id = fields.Integer(**NULLABLE)
    findings = fields.List(fields.Nested(BatchFindingOut))


class BatchOut(Schema):
    """Every row's outcome, in the workbook's order."""

    rows = fields.List(fields.Nested(BatchRowOut))
