"""The shape of every error answer: an RFC 9457 problem document (application/problem+json)."""

from __future__ import annotations

from marshmallow import INCLUDE, Schema, fields

PROBLEM_MEDIA_TYPE = "application/problem+json"


class FieldErrorOut(Schema):
    """One field-level problem: stable code, dotted field path (null for the whole input), translated message."""

    code = fields.String(required=True)
    field = fields.String(required=True, allow_none=True)
    message = fields.String(required=True)


class ProblemOut(Schema):
    """type, title, status and detail; `errors` lists field errors (validation, blocking findings)."""

    class Meta:
        unknown = INCLUDE  # problem types may add members (RFC 9457 §3.2)

    type = fields.String(required=True)
    title = fields.String(required=True)
    status = fields.Integer(required=True)
    detail = fields.String(required=True)
    errors = fields.List(fields.Nested(FieldErrorOut))
