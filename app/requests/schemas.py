"""Shapes of requests after registration (API.md "Requests after registration")."""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, pre_load, validate

from app.domain.identifiers import mask_id_numbers
from app.filing.schemas import MAX_DEDUCTIONS, MAX_OTHER_PARTIES, DeductionIn, OtherPartyIn
from app.models.request import REQUEST_KINDS, REQUEST_STATUSES
from app.schemas.fields import LocalDateTime, Money, text

FIRST_PARTIES = ("seller", "buyer")


class RequestChangesIn(Schema):
    """What the request changes: a change any of these, a supplement both amounts, a cancellation nothing. The
    first seller and buyer are not changeable by a request."""

    amount = Money(required=False, allow_none=True)
    technical_amount = Money(
        required=False,
        allow_none=True,
        metadata={"description": "with `deductions`: must equal the amount minus the deductions; computed if left out"},
    )
    valid_until = fields.Date(required=False, allow_none=True)
    deductions = fields.List(
        fields.Nested(DeductionIn),
        validate=validate.Length(max=MAX_DEDUCTIONS, error="list.too_long"),
        required=False,
        allow_none=True,
        metadata={"description": "a change only: the full list of deduction rows replacing the registered ones"},
    )
    other_parties = fields.List(
        fields.Nested(OtherPartyIn),
        validate=validate.Length(max=MAX_OTHER_PARTIES, error="list.too_long"),
        required=False,
        allow_none=True,
        metadata={
            "description": "a change only: the full list of parties beside the first seller and buyer, replacing "
            "the registered ones, checked as in filing"
        },
    )

    @pre_load
    def _no_first_parties(self, data, **kwargs):
        if isinstance(data, dict):
            named = [k for k in FIRST_PARTIES if k in data]
            if named:
                raise ValidationError("request.party_not_changeable", field_name=named[0])
        return data


class RequestIn(Schema):
    """The applicant's request and its reason."""

    kind = fields.String(required=True, validate=validate.OneOf(REQUEST_KINDS, error="code.unknown"))
    changes = fields.Nested(RequestChangesIn, load_default=dict)
    reason = text(4000, required=True)


class DecisionIn(Schema):
    """The station's note on its decision (required to refuse)."""

    note = text(4000, load_default=None, allow_none=True)


class RequestOut(Schema):
    """A request and, once decided, the station's decision."""

    id = fields.Integer()
    contract_id = fields.Integer()
    kind = fields.String(validate=validate.OneOf(REQUEST_KINDS))
    status = fields.String(validate=validate.OneOf(REQUEST_STATUSES))
    changes = fields.Function(
        lambda r: mask_id_numbers(r.changes or {}),
        metadata={
            "type": "object",
            "description": "field -> new value: amounts as strings, dates as ISO text, deductions and other parties "
            "as lists of rows (ID numbers masked)",
        },
    )
    reason = fields.String()
    note = fields.String(allow_none=True)
    awaits_second_approval = fields.Boolean(
        metadata={"description": "approved once; the change waits for a second reviewer (four eyes)"}
    )
    created_at = LocalDateTime()
    decided_at = LocalDateTime(allow_none=True)


class RequestList(Schema):
    """A contract's requests, oldest first."""

    items = fields.List(fields.Nested(RequestOut))
