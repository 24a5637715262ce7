"""Shapes of requests after registration (API.md "Requests after registration")."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from app.models.request import REQUEST_KINDS, REQUEST_STATUSES
from app.schemas.fields import LocalDateTime, Money, text


class RequestChangesIn(Schema):
    """What the request changes: a change any of these, a supplement both amounts, a cancellation nothing."""

    amount = Money(required=False, allow_none=True)
    technical_amount = Money(required=False, allow_none=True)
    valid_until = fields.Date(required=False, allow_none=True)


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
    changes = fields.Dict(keys=fields.String(), values=fields.String(allow_none=True))
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
