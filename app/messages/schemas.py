"""The message centre's API shapes."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from app.messages.services import MAX_PER_PAGE, PER_PAGE
from app.schemas.fields import LocalDateTime

MAX_PAGE = 100_000


class MessageListArgs(Schema):
    """Which messages, a page at a time."""

    unread = fields.Boolean(load_default=False, metadata={"description": "Only the unread messages"})
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=MAX_PAGE, error="page.range"))
    per_page = fields.Integer(
        load_default=PER_PAGE, validate=validate.Range(min=1, max=MAX_PER_PAGE, error="per_page.range")
    )


class MessageOut(Schema):
    """One notice to the caller, as its e-mail carried it."""

    id = fields.Integer(required=True)
    event = fields.String(required=True, metadata={"description": "What happened: accepted, registered, ..."})
    subject = fields.String(required=True)
    body = fields.String(required=True)
    contract_id = fields.Integer(allow_none=True)
    link = fields.String(allow_none=True, metadata={"description": "The path of the page the notice is about"})
    created_at = LocalDateTime(required=True)
    read_at = LocalDateTime(allow_none=True)
    unread = fields.Boolean(required=True)


class MessagePageOut(Schema):
    """A page of the caller's messages, newest first."""

    items = fields.List(fields.Nested(MessageOut), required=True)
    page = fields.Integer(required=True)
    per_page = fields.Integer(required=True)
    total = fields.Integer(required=True, metadata={"description": "Messages matching the filter"})
    unread = fields.Integer(required=True, metadata={"description": "The caller's unread messages"})
