"""Shapes of the statistics API: the query (year, dimensions, flow, station, format) and the table it returns."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from app.domain.statistics import FLOWS
from app.schemas.fields import Money

STATS_FORMATS = ("json", "csv", "xlsx")


class StatsArgs(Schema):
    """What to count. A year counts registrations by their registration date; the year before comes along."""

    year = fields.Integer(
        validate=validate.Range(min=2000, max=2100, error="year.range"),
        metadata={"description": "Registration year; default: this year"},
    )
    group_by = fields.String(
        load_default="category",
        metadata={
            "description": "One to three of: month, category, subtype, equity, technical_field, nature, nature_group, "
            "ip_type, plan_category, station, area, province, region, counterpart_region, amount_band, source "
            "(absorption: the local registry or the registry an imported registration came from)"
        },
    )
    flow = fields.String(
        load_default="output",
        validate=validate.OneOf(tuple(FLOWS), error="flow.unknown"),
        metadata={"description": "output: by the seller (area, nature, region); absorption: by the buyer"},
    )
    station = fields.String(
        metadata={"description": "A station's code (the bureau only; a reviewer always gets their own station)"}
    )
    format = fields.String(load_default="json", validate=validate.OneOf(STATS_FORMATS, error="format.unknown"))


class PreviousFiguresOut(Schema):
    """The same figures for the year before."""

    count = fields.Integer()
    amount = Money()
    technical_amount = Money()


class FiguresOut(Schema):
    """Registrations and amounts (strings with two decimals) of a group or of the whole table."""

    count = fields.Integer()
    amount = Money()
    technical_amount = Money()
    previous = fields.Nested(PreviousFiguresOut)
    technical_amount_change_percent = fields.String(allow_none=True, metadata={"pattern": r"^-?[0-9]+\.[0-9]$"})


class StatsOut(Schema):
    """A statistics table: each row carries its dimension codes, their labels and its figures."""

    year = fields.Integer()
    flow = fields.String()
    station = fields.String(allow_none=True)
    group_by = fields.List(fields.String())
    rows = fields.List(
        fields.Dict(),
        metadata={
            "description": 'e.g. {"category": "development", "labels": {"category": "技术开发"}, "count": 3, '
            '"amount": "1250000.00", "technical_amount": "1200000.00", "previous": {…}}'
        },
    )
    totals = fields.Nested(FiguresOut)


class AssessmentArgs(Schema):
    """Which year to assess (default: this year, measured against the same period of the year before)."""

    year = fields.Integer(
        validate=validate.Range(min=2000, max=2100, error="year.range"),
        metadata={"description": "The assessed year; default: this year"},
    )


PERCENT_PATTERN = r"^-?[0-9]+\.[0-9]{2}$"


class CountyAssessmentOut(Schema):
    """One county's line: its contract amount, the year before's same period, growth, target, met, rank."""

    area_code = fields.String(required=True, metadata={"example": "130402"})
    name = fields.String(required=True, metadata={"example": "邯山区"})
    contract_amount = Money(required=True)
    previous_contract_amount = Money(required=True, metadata={"description": "The same period of the year before"})
    growth_rate = fields.String(
        required=True, allow_none=True, metadata={"pattern": PERCENT_PATTERN, "description": "Per cent; null: no base"}
    )
    target_growth_rate = fields.String(required=True, allow_none=True, metadata={"pattern": PERCENT_PATTERN})
    target_amount = Money(required=True, allow_none=True)
    met = fields.Boolean(required=True, allow_none=True, metadata={"description": "null: no target, or no base"})
    rank = fields.Integer(required=True, metadata={"description": "1 = the highest growth"})


class AssessmentOut(Schema):
    """The counties ranked by growth."""

    items = fields.List(fields.Nested(CountyAssessmentOut), required=True)
