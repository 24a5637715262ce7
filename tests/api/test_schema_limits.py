"""Every string an API schema accepts fits the column that stores it: a text's limit is the column's length,
a code or pattern is never longer than its column (PostgreSQL refuses what does not fit: a 500, not a 422)."""

from __future__ import annotations

import re

import pytest
from marshmallow import Schema, fields, validate

from app.certificates import schemas as certificate
from app.filing import schemas as contract
from app.models import (
    Attachment,
    Certificate,
    Contract,
    ContractParty,
    Deduction,
    RegistrationProposal,
    Station,
    StatusChange,
)
from app.review import schemas as review
from app.schemas.fields import Money

# schema → the model whose columns its fields of the same name are stored in
STORED_IN = {
    contract.ContractIn: Contract,
    contract.PartyIn: ContractParty,
    contract.DeductionIn: Deduction,
    contract.AttachmentIn: Attachment,
    review.RegisterIn: RegistrationProposal,
    review.ChangeIn: Contract,
    review.RefuseIn: StatusChange,
    review.ReasonIn: StatusChange,
    review.ReassignIn: StatusChange,
    review.RequestAmendmentIn: StatusChange,
    contract.WithdrawIn: StatusChange,
}
# fields stored in a column of another name, or compared with one
COLUMN_OF = {
    (review.ReasonIn, "reason"): StatusChange.note,
    (review.ReassignIn, "reason"): StatusChange.note,
    (review.ReassignIn, "station"): Station.code,
    (review.ChangeIn, "reason"): StatusChange.note,
    (certificate.VerifyQuery, "c"): Certificate.check_code,
}
# string fields kept in JSON columns (no length) or never stored
NOT_IN_A_COLUMN = {
    (contract.ContractIn, "ip_numbers"),
    (review.RequestAmendmentIn, "reasons"),
    (review.RefuseIn, "grounds"),
    (review.RegisterIn, "correction_reasons"),
    (contract.SubmitIn, "acknowledge"),
}


def _string_fields(schema: type[Schema]):
    for name, field in schema().fields.items():
        inner = field.inner if isinstance(field, fields.List) else field
        if isinstance(inner, fields.String) and not isinstance(inner, Money):  # money is a bounded Decimal
            yield name, inner
        elif isinstance(field, fields.Dict) and isinstance(field.value_field, fields.String):
            yield name, field.value_field


def _column(schema, name):
    if (schema, name) in COLUMN_OF:
        return COLUMN_OF[(schema, name)]
    model = STORED_IN.get(schema)
    return getattr(model, name, None) if model is not None else None


def _longest(field: fields.String) -> tuple[str, int | None]:
    """("length", n) for a text limit, ("choices"/"pattern", n) for codes and fixed patterns."""
    for validator in field.validators:
        if isinstance(validator, validate.Length):
            return "length", validator.max
        if isinstance(validator, validate.OneOf):
            return "choices", max(len(c) for c in validator.choices)
        if isinstance(validator, validate.Regexp) and (m := re.fullmatch(r"\^\\d\{(\d+)\}\$", validator.regex.pattern)):
            return "pattern", int(m.group(1))
    return "none", None


def _cases():
    schemas = set(STORED_IN) | {schema for schema, _ in COLUMN_OF} | {schema for schema, _ in NOT_IN_A_COLUMN}
    for schema in sorted(schemas, key=lambda s: s.__name__):
        for name, field in _string_fields(schema):
            if (schema, name) not in NOT_IN_A_COLUMN:
                yield pytest.param(schema, name, field, id=f"{schema.__name__}.{name}")


@pytest.mark.parametrize(("schema", "name", "field"), list(_cases()))
def test_a_schema_string_fits_its_column(schema, name, field):
    column = _column(schema, name)
    assert column is not None, f"{schema.__name__}.{name}: which column stores it? (map it in this test)"
    kind, longest = _longest(field)
    length = getattr(column.type, "length", None)
    if length is None:  # an unbounded Text column: the schema's limit is the only one, and there must be one
        assert kind == "length" and longest is not None
    elif kind == "length":
        assert longest == length, f"{schema.__name__}.{name}: limit {longest}, column {length}"
    else:
        assert kind != "none" and longest <= length, f"{schema.__name__}.{name}: {longest} > {length}"


def test_the_identifiers_of_a_party_are_limited_to_eighteen_characters():
    party = contract.PartyIn()
    errors = party.validate({"credit_code": "9" * 19, "id_number": "1" * 19})
    assert set(errors) == {"credit_code", "id_number"}
    assert party.validate({"credit_code": "9" * 18, "id_number": "1" * 18}) == {}
