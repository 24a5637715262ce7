"""Station action shapes: accept, request amendment, refuse, register, approve, change, cancel, revoke, reassign."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from app.domain import catalogue as cat
from app.filing.schemas import ACCEPTED_SUBTYPES
from app.schemas.fields import Money, code, text

CORRECTABLE = ("category", "subtype", "certified_technical_amount")


class EmptyIn(Schema):
    """An action without parameters (an empty JSON object)."""


class RequestAmendmentIn(Schema):
    """Reasons for the amendment and the date the amended materials are due."""

    reasons = fields.List(text(1000), required=True, validate=validate.Length(min=1, max=20, error="list.length"))
    due_on = fields.Date(required=True)


class RefuseIn(Schema):
    """Grounds of DOMAIN.md §4 and a note."""

    grounds = fields.List(
        code(cat.REFUSAL_GROUNDS), required=True, validate=validate.Length(min=1, error="list.length")
    )
    note = text(4000, required=True)


class RegisterIn(Schema):
    """The registered classification and certified amount; the note is the reason for any correction of the
    filing unless `correction_reasons` gives one per field."""

    category = code(cat.CATEGORIES, required=True)
    subtype = code(ACCEPTED_SUBTYPES, required=True)
    certified_technical_amount = Money(required=True)
    note = text(4000, load_default=None, allow_none=True)
    correction_reasons = fields.Dict(
        keys=fields.String(validate=validate.OneOf(CORRECTABLE, error="code.unknown")),
        values=text(1000),
        load_default=dict,
    )


class ReasonIn(Schema):
    """A reason (cancel, revoke)."""

    reason = text(4000, required=True)


class ChangeIn(Schema):
    """A change of the registered facts (only the fields given), with its reason."""

    title = text(300, load_default=None)
    category = code(cat.CATEGORIES, load_default=None)
    subtype = code(ACCEPTED_SUBTYPES, load_default=None)
    certified_technical_amount = Money(load_default=None)
    amount = Money(load_default=None)
    valid_until = fields.Date(load_default=None)
    reason = text(4000, required=True)


class ReassignIn(Schema):
    """The station to move the filing to, and why."""

    station = fields.String(required=True, validate=validate.Regexp(r"^\d{6}$", error="station.format"))
    reason = text(4000, required=True)


class ExpertOpinionIn(Schema):
    """The expert panel's opinion: its outcome and text."""

    outcome = code(cat.EXPERT_OUTCOMES, required=True)
    opinion = text(4000, required=True)
