"""Shapes of the imports API: the upload (source registry and CSV file), the per-row report, the batches and the
absorption figures."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from app.domain.absorption import IMPORT_SOURCES, SOURCES
from app.schemas.fields import FilePart, LocalDateTime, Money, code, text

ROW_STATUSES = ("imported", "updated", "unchanged", "rejected")


class ImportIn(Schema):
    """A CSV in TCR's export layout from another registry, and which registry it comes from."""

    source = code(
        IMPORT_SOURCES,
        required=True,
        metadata={"description": "The registry the file comes from: " + ", ".join(IMPORT_SOURCES)},
    )
    registry = text(
        200, load_default=None, metadata={"description": "The registry's name, e.g. 北京技术市场管理办公室"}
    )
    file = FilePart(
        required=True,
        metadata={
            "description": "CSV (UTF-8, with or without BOM, or GB18030) in the tax export's layout; at most 5 MiB "
            "and 5,000 rows"
        },
    )


class RowFindingOut(Schema):
    code = fields.String(required=True)
    field = fields.String(required=True, allow_none=True)
    message = fields.String(required=True)


class ImportRowOut(Schema):
    """One row of the file: its line, its registration number and what became of it."""

    row = fields.Integer(required=True)
    registration_number = fields.String(required=True)
    status = fields.String(required=True, validate=validate.OneOf(ROW_STATUSES))
    findings = fields.List(fields.Nested(RowFindingOut), required=True)


class ImportBatchOut(Schema):
    """One import: who, when, which file (SHA-256), and how many rows of each outcome."""

    id = fields.Integer(required=True)
    source = fields.String(required=True, validate=validate.OneOf(list(IMPORT_SOURCES)))
    registry_name = fields.String(allow_none=True)
    filename = fields.String(allow_none=True)
    sha256 = fields.String(required=True)
    imported_by = fields.Function(lambda batch: batch.imported_by.email, required=True)
    imported_at = LocalDateTime(required=True)
    rows_total = fields.Integer(required=True)
    imported = fields.Integer(required=True)
    updated = fields.Integer(required=True)
    unchanged = fields.Integer(required=True)
    rejected = fields.Integer(required=True)


class ImportOut(ImportBatchOut):
    rows = fields.List(fields.Nested(ImportRowOut), required=True, attribute="report")


class ImportBatchList(Schema):
    items = fields.List(fields.Nested(ImportBatchOut), required=True)


class AbsorptionArgs(Schema):
    year = fields.Integer(
        validate=validate.Range(min=2000, max=2100, error="year.range"),
        metadata={"description": "Registration year; default: this year"},
    )


class AbsorbedOut(Schema):
    """Registrations and amounts of one group."""

    count = fields.Integer(required=True)
    amount = Money(required=True)
    technical_amount = Money(required=True)


class AbsorptionSourceOut(AbsorbedOut):
    source = fields.String(required=True, validate=validate.OneOf(list(SOURCES)))
    label = fields.String(required=True)


class AbsorptionCountyOut(AbsorbedOut):
    area_code = fields.String(required=True)
    name = fields.String(required=True)
    by_source = fields.Dict(keys=fields.String(), values=fields.Nested(AbsorbedOut), required=True)


class AbsorptionYearOut(AbsorbedOut):
    year = fields.Integer(required=True)


class AbsorptionOut(Schema):
    """Absorption by Handan buyers in a year: local registrations and imported ones, by source and by the buyer's
    county; the Beijing/Tianjin figure (imported registrations with a Beijing or Tianjin seller) for the year and
    the years before."""

    year = fields.Integer(required=True)
    total = fields.Nested(AbsorbedOut, required=True)
    imported = fields.Nested(AbsorbedOut, required=True)
    by_source = fields.List(fields.Nested(AbsorptionSourceOut), required=True)
    by_county = fields.List(fields.Nested(AbsorptionCountyOut), required=True)
    beijing_tianjin = fields.Nested(AbsorbedOut, required=True)
    beijing_tianjin_by_year = fields.List(fields.Nested(AbsorptionYearOut), required=True)
