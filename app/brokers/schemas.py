"""Shapes of the brokers' API (API.md "Technology brokers"): a registration, a change of standing, a broker as
shown (the ID number always masked), and a broker as a contract names them."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from app.domain import brokers as rules
from app.domain.identifiers import mask_id_number
from app.models import Broker
from app.models.base import MAX_ID
from app.schemas.fields import LocalDateTime, code, column_text, text

NULLABLE = {"allow_none": True}


class BrokerIn(Schema):
    """A broker or manager to register: who, the resident ID number (checked, then only shown masked), the
    organisation they work for (a name, and its credit code if any), the qualification certificate and its date."""

    kind = code(rules.KINDS, load_default="broker", metadata={"description": "broker 技术经纪人 | manager 技术经理人"})
    name = column_text(Broker.name, required=True)
    id_number = column_text(Broker.id_number, required=True)
    organisation = column_text(Broker.organisation_name, load_default=None, allow_none=True)
    organisation_credit_code = column_text(Broker.organisation_credit_code, load_default=None, allow_none=True)
    certificate_no = column_text(
        Broker.certificate_no,
        required=True,
        metadata={"description": "The qualification certificate's number; unique (a second registration is a 409)"},
    )
    qualified_on = fields.Date(load_default=None, allow_none=True)


class StatusIn(Schema):
    """The bureau's change of a broker's standing, and why."""

    status = code(rules.STATUSES, required=True, metadata={"description": "revoked is final"})
    note = text(500, load_default=None, allow_none=True)


class BrokerListArgs(Schema):
    """Filters and paging of the registry (anyone but the bureau sees the active brokers only)."""

    status = code(rules.STATUSES, required=False)
    kind = code(rules.KINDS, required=False)
    q = text(100, required=False)
    limit = fields.Integer(load_default=100, validate=validate.Range(min=1, max=200, error="limit.range"))
    offset = fields.Integer(load_default=0, validate=validate.Range(min=0, max=MAX_ID))


class BrokerOut(Schema):
    """A registered broker: the ID number masked."""

    id = fields.Integer(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(list(rules.KINDS)))
    name = fields.String(required=True)
    id_number = fields.Function(
        lambda b: mask_id_number(b.id_number), required=True, metadata={"type": "string", "description": "masked"}
    )
    organisation = fields.String(attribute="organisation_name", **NULLABLE)
    organisation_credit_code = fields.String(**NULLABLE)
    certificate_no = fields.String(required=True)
    qualified_on = fields.Date(**NULLABLE)
    status = fields.String(required=True, validate=validate.OneOf(list(rules.STATUSES)))
    created_at = LocalDateTime()
    updated_at = LocalDateTime()


class BrokerPage(Schema):
    """A page of the registry."""

    items = fields.List(fields.Nested(BrokerOut), required=True)


class BrokerRefOut(Schema):
    """A broker as a contract names them: no ID number."""

    id = fields.Integer(required=True)
    name = fields.String(required=True)
    certificate_no = fields.String(required=True)
