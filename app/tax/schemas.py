"""Tax shapes: the feed's query (an opaque cursor and a page size), the cursor's encoding and the feed's items;
the exports' period and format, and the signed manifest; the claims and objections of the tax office answering
back."""

from __future__ import annotations

import base64
import binascii

from marshmallow import Schema, ValidationError, fields, validate

from app.domain import catalogue as cat
from app.filing.schemas import ACCEPTED_SUBTYPES
from app.models.base import MAX_ID
from app.models.tax_answer import (
    FIRST_TAX_YEAR,
    LAST_TAX_YEAR,
    OBJECTION_OUTCOMES,
    OBJECTION_RESULTS,
    OBJECTION_STATUSES,
    PREFERENCES,
)
from app.schemas.fields import LocalDateTime, Money, code, text

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


class FeedPartyOut(Schema):
    """A party as the event recorded it (an individual's ID number masked unless the token may see it)."""

    name = fields.String(allow_none=True)
    credit_code = fields.String(allow_none=True)
    id_number = fields.String(allow_none=True)
    area_code = fields.String(allow_none=True)
    nature = fields.String(allow_none=True)
    country = fields.String(allow_none=True)


class FeedOtherPartyOut(FeedPartyOut):
    """A party beside the first seller and buyer, with its role (seller, buyer or intermediary)."""

    role = fields.String()


class EligibilityFactOut(Schema):
    """One tax preference: eligible (true, false, or null when a person must decide), its legal basis and why."""

    eligible = fields.Boolean(allow_none=True)
    status = fields.String(validate=validate.OneOf(("eligible", "not_eligible", "needs_review")))
    basis = fields.String()
    reason = fields.String()
    confirmed = fields.Boolean(metadata={"description": "false while the basis's application is unconfirmed"})
    basis_valid_from = fields.String(allow_none=True, metadata={"description": "the basis applies from (YYYY-MM-DD)"})
    provincial_confirmation_required = fields.Boolean(
        metadata={"description": "transfer-income relief: a city registration needs provincial confirmation"}
    )


class EligibilityOut(Schema):
    """The three preferences a registration may support."""

    vat_exemption = fields.Nested(EligibilityFactOut)
    cit_transfer_income = fields.Nested(EligibilityFactOut)
    rd_super_deduction = fields.Nested(EligibilityFactOut)


class FeedStationOut(Schema):
    """The registering station."""

    code = fields.String()
    name = fields.String()


class FeedIncomeCostOut(Schema):
    """The declared costs of one kind."""

    kind = fields.String(metadata={"description": "labour | materials | power | equipment | other"})
    amount = Money()


class FeedIncomeOut(Schema):
    """The technical income the station verified for a period (event income_verified)."""

    record_id = fields.Integer()
    period_from = fields.String(metadata={"format": "date"})
    period_to = fields.String(metadata={"format": "date"})
    received = Money()
    costs = fields.List(fields.Nested(FeedIncomeCostOut))
    technical_income = Money()
    verified_on = fields.String(metadata={"format": "date"})


class FeedItemOut(Schema):
    """One event, exactly as it was when it happened; `seq` orders the feed."""

    seq = fields.Integer()
    event = fields.String(
        metadata={
            "description": "registered | changed | cancelled | revoked (a change or supplement the station "
            "approved at the applicant's request is `changed`; a cancellation it approved is `cancelled`) | "
            "tax_claim (a tax office recorded a preference claimed: `tax_claim`) | objection (a tax office objected: "
            "`objection`) | objection_answered (the station answered it: `objection`, with its outcome) | "
            "income_verified (the station verified a technical income: `income`)"
        }
    )
    occurred_at = fields.String(metadata={"format": "date-time"})
    registration_number = fields.String(allow_none=True)
    version = fields.Integer()
    seller = fields.Nested(FeedPartyOut, allow_none=True)
    buyer = fields.Nested(FeedPartyOut, allow_none=True)
    other_parties = fields.List(fields.Nested(FeedOtherPartyOut))
    category = fields.String(allow_none=True)
    subtype = fields.String(allow_none=True)
    equity = fields.Boolean(
        metadata={"description": "Technology contributed as equity (技术入股), a transfer; absent in older events"}
    )
    amount = Money(allow_none=True)
    amount_fixed = fields.Boolean(
        dump_default=True, metadata={"description": "false: amount not fixed at signing, to be supplemented"}
    )
    certified_technical_amount = Money(allow_none=True)
    signed_on = fields.String(allow_none=True, metadata={"format": "date"})
    valid_from = fields.String(allow_none=True, metadata={"format": "date"})
    valid_until = fields.String(allow_none=True, metadata={"format": "date"})
    registered_on = fields.String(allow_none=True, metadata={"format": "date"})
    station = fields.Nested(FeedStationOut, allow_none=True)
    eligibility = fields.Nested(EligibilityOut)
    certificate_sha256 = fields.String(allow_none=True)
    tax_claim = fields.Dict(
        metadata={
            "description": "event tax_claim: claim_id, preference, tax_year, claimant_credit_code, claimant_name, "
            "tax_office"
        }
    )
    objection = fields.Dict(
        metadata={
            "description": "events objection and objection_answered: id, reason, tax_office, raised_at, status, "
            "outcome (upheld | corrected | revoked | cancelled), note, version"
        }
    )
    income = fields.Nested(FeedIncomeOut, metadata={"description": "event income_verified only"})


class FeedPage(Schema):
    """A page of the feed and the cursor to resume from (the same cursor again when nothing is new)."""

    items = fields.List(fields.Nested(FeedItemOut))
    next_cursor = fields.String()


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


# The tax office answering back (API.md "Tax write-back").


class TaxClaimIn(Schema):
    """A preference claimed on a registration in the officer's areas, by a party entitled to it, for a tax year."""

    registration_number = text(32, required=True)
    preference = code(PREFERENCES, required=True, metadata={"description": " | ".join(PREFERENCES)})
    tax_year = fields.Integer(
        required=True, validate=validate.Range(min=FIRST_TAX_YEAR, max=LAST_TAX_YEAR, error="tax_year.range")
    )
    claimant_credit_code = text(
        18, required=True, metadata={"description": "unified social credit code of the seller or buyer who claimed"}
    )


class TaxClaimOut(Schema):
    """A recorded claim: what, for which year, by whom claimed, and which office recorded it."""

    id = fields.Integer()
    registration_number = fields.Function(lambda claim: claim.contract.registration_number)
    preference = fields.String()
    tax_year = fields.Integer()
    claimant_credit_code = fields.String()
    claimant_name = fields.String(allow_none=True)
    tax_office = fields.String()
    recorded_by = fields.Function(lambda claim: claim.recorded_by.name, metadata={"description": "officer's name"})
    recorded_at = LocalDateTime()


class ClaimQuery(Schema):
    """Filters and the page of the claims' list."""

    tax_year = fields.Integer(validate=validate.Range(min=FIRST_TAX_YEAR, max=LAST_TAX_YEAR, error="tax_year.range"))
    mine = fields.Boolean(load_default=False, metadata={"description": "a tax officer's own records only"})
    limit = fields.Integer(load_default=100, validate=validate.Range(min=1, max=500, error="limit.range"))
    offset = fields.Integer(load_default=0, validate=validate.Range(min=0, max=MAX_ID, error="offset.range"))


class TaxClaimList(Schema):
    """Claims, newest first."""

    items = fields.List(fields.Nested(TaxClaimOut))


class ObjectionIn(Schema):
    """An objection to a registration in the officer's areas, and why."""

    registration_number = text(32, required=True)
    reason = text(4000, required=True)


class AnswerChangesIn(Schema):
    """What a correction changes, as the station's `/change` takes it (only the fields given)."""

    category = code(cat.CATEGORIES, load_default=None)
    subtype = code(ACCEPTED_SUBTYPES, load_default=None)
    certified_technical_amount = Money(load_default=None)
    amount = Money(load_default=None)
    valid_until = fields.Date(load_default=None)


class AnswerIn(Schema):
    """The station's answer: upheld, corrected (with `changes`) or revoked, and the note the tax office reads."""

    outcome = code(OBJECTION_OUTCOMES, required=True, metadata={"description": " | ".join(OBJECTION_OUTCOMES)})
    note = text(4000, required=True)
    changes = fields.Nested(AnswerChangesIn, load_default=None, allow_none=True)


class ObjectionOut(Schema):
    """An objection and, once answered, the station's answer (`version`: the registration's version a correction
    led to; `awaits_second_approval`: the correction waits for a second reviewer)."""

    id = fields.Integer()
    contract_id = fields.Integer()
    registration_number = fields.Function(lambda objection: objection.contract.registration_number)
    reason = fields.String()
    tax_office = fields.String()
    raised_by = fields.Function(lambda objection: objection.raised_by.name, metadata={"description": "officer's name"})
    raised_at = LocalDateTime()
    status = fields.String(validate=validate.OneOf(OBJECTION_STATUSES))
    outcome = fields.String(
        allow_none=True,
        validate=validate.OneOf(OBJECTION_RESULTS),
        metadata={"description": "the station's answer, or cancelled: the registration was cancelled before one"},
    )
    note = fields.String(attribute="answer_note", allow_none=True)
    answered_at = LocalDateTime(allow_none=True)
    version = fields.Integer(allow_none=True)
    awaits_second_approval = fields.Boolean()


class ObjectionQuery(Schema):
    """Filters and the page of the objections' list."""

    status = fields.String(validate=validate.OneOf(OBJECTION_STATUSES, error="code.unknown"))
    mine = fields.Boolean(load_default=False, metadata={"description": "a tax officer's own objections only"})
    limit = fields.Integer(load_default=100, validate=validate.Range(min=1, max=500, error="limit.range"))
    offset = fields.Integer(load_default=0, validate=validate.Range(min=0, max=MAX_ID, error="offset.range"))


class ObjectionList(Schema):
    """Objections, newest first."""

    items = fields.List(fields.Nested(ObjectionOut))
