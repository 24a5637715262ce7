"""Shapes of the documents list: each document a history entry has, its addresses and, once made, its hash."""

from __future__ import annotations

from flask import url_for
from marshmallow import Schema, fields

from app.documents.content import DOCUMENT_KINDS
from app.schemas.fields import LocalDateTime


def _address(item, endpoint: str) -> str:
    return url_for(endpoint, contract_id=item.change.contract_id, kind=item.kind, change_id=item.change.id)


class DocumentOut(Schema):
    """A printable document of one history entry (`sha256` and `size` once it was first downloaded)."""

    kind = fields.String(metadata={"enum": list(DOCUMENT_KINDS)})
    label_zh = fields.Function(lambda item: DOCUMENT_KINDS[item.kind].title.zh, metadata={"type": "string"})
    label_en = fields.Function(lambda item: DOCUMENT_KINDS[item.kind].title.en, metadata={"type": "string"})
    change_id = fields.Function(lambda item: item.change.id, metadata={"type": "integer"})
    change_at = LocalDateTime(attribute="change.created_at", metadata={"description": "When the entry was recorded"})
    url = fields.Function(lambda item: _address(item, "documents_api.download"), metadata={"type": "string"})
    page_url = fields.Function(lambda item: _address(item, "documents.download"), metadata={"type": "string"})
    sha256 = fields.Function(
        lambda item: item.document.sha256 if item.document else None, metadata={"type": "string", "nullable": True}
    )
    size = fields.Function(
        lambda item: item.document.size if item.document else None, metadata={"type": "integer", "nullable": True}
    )


class DocumentList(Schema):
    """The documents of a contract's history, oldest first."""

    items = fields.List(fields.Nested(DocumentOut))
