"""Shapes of technical-income verification (API.md "Technical-income verification")."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from app.domain.identifiers import mask_id_number
from app.domain.income import COST_KINDS
from app.models import ContractResearcher
from app.models.income import INCOME_STATUSES
from app.schemas.fields import LocalDateTime, Money, code, column_text, text

MAX_COST_ROWS = 20
MAX_RESEARCHER_ROWS = 30


class CostIn(Schema):
    """One cost deducted from the income received."""

    kind = code(
        COST_KINDS,
        required=True,
        metadata={"description": "labour 人工 | materials 材料 | power 动力 | equipment 设备折旧 | other 其他"},
    )
    amount = Money(required=True)


class IncomeRecordIn(Schema):
    """The income received under a registered contract for a period that has ended, and its costs."""

    period_from = fields.Date(required=True)
    period_to = fields.Date(required=True, metadata={"description": "not before period_from, not in the future"})
    received = Money(required=True)
    costs = fields.List(
        fields.Nested(CostIn),
        load_default=list,
        validate=validate.Length(max=MAX_COST_ROWS, error="list.too_long"),
        metadata={"description": "together at most the income received"},
    )
    note = text(4000, load_default=None, allow_none=True)


class VerifyIn(Schema):
    """The technical income the station fixes (a note is required when it differs from the income minus the
    declared costs)."""

    technical_income = Money(required=True, metadata={"description": "between 0 and the income received"})
    note = text(4000, load_default=None, allow_none=True)


class CostOut(Schema):
    kind = fields.String(validate=validate.OneOf(list(COST_KINDS)))
    amount = Money()


def _sheet_url(record) -> str | None:
    if record.status != "verified":
        return None
    return f"/api/v1/contracts/{record.contract_id}/income-records/{record.id}.pdf"


class IncomeRecordOut(Schema):
    """A declared income record and, once verified, the station's figures."""

    id = fields.Integer()
    contract_id = fields.Integer()
    period_from = fields.Date()
    period_to = fields.Date()
    received = Money()
    costs = fields.List(fields.Nested(CostOut))
    total_costs = Money()
    declared_technical_income = Money(metadata={"description": "the income received minus the declared costs"})
    note = fields.String(allow_none=True)
    status = fields.String(validate=validate.OneOf(INCOME_STATUSES))
    technical_income = Money(allow_none=True, metadata={"description": "the verified technical income"})
    verify_note = fields.String(allow_none=True)
    awaits_second_approval = fields.Boolean(
        metadata={"description": "verified once; waits for a second reviewer of the station (four eyes)"}
    )
    verified_by = fields.Function(lambda r: r.verified_by.name if r.verified_by else None, allow_none=True)
    verified_at = LocalDateTime(allow_none=True)
    approved_by = fields.Function(lambda r: r.approved_by.name if r.approved_by else None, allow_none=True)
    approved_at = LocalDateTime(allow_none=True)
    created_at = LocalDateTime()
    sheet_url = fields.Function(
        _sheet_url, allow_none=True, metadata={"description": "the signed 核定表, once verified"}
    )


class IncomeRecordList(Schema):
    """A contract's income records, in period order."""

    items = fields.List(fields.Nested(IncomeRecordOut))


class ResearcherIn(Schema):
    """A researcher the contract names."""

    name = column_text(ContractResearcher.name, required=True)
    id_number = column_text(ContractResearcher.id_number, required=True, metadata={"description": "resident ID"})
    role = column_text(ContractResearcher.role, load_default=None, allow_none=True)


class ResearchersIn(Schema):
    """The contract's researchers: the list replaces the one before."""

    researchers = fields.List(
        fields.Nested(ResearcherIn),
        required=True,
        validate=validate.Length(max=MAX_RESEARCHER_ROWS, error="list.too_long"),
    )


class ResearcherOut(Schema):
    id = fields.Integer()
    name = fields.String()
    id_number = fields.Function(lambda r: mask_id_number(r.id_number), metadata={"description": "masked"})
    role = fields.String(allow_none=True)


class ResearchersOut(Schema):
    researchers = fields.List(fields.Nested(ResearcherOut))
