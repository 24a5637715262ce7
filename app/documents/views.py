"""The printable documents for signed-in browsers, and the timeline's links to them."""

from __future__ import annotations

from flask import Blueprint, url_for
from flask_login import current_user

from app.auth.permissions import load_visible, signed_in
from app.documents import services as documents
from app.documents.content import kind_of
from app.files.http import send_stored
from app.i18n import current_language

bp = Blueprint("documents", __name__)


@bp.route("/contracts/<int:contract_id>/documents/<string:kind>/<int:change_id>.pdf")
@signed_in
def download(contract_id: int, kind: str, change_id: int):
    """One document of the contract's history, as a signed PDF shown in the browser."""
    contract = load_visible(current_user, contract_id)
    document = documents.document_for(contract, kind, change_id)
    return send_stored(document.sha256, "application/pdf", documents.download_name(contract, document), inline=True)


def history_document(contract, change) -> dict | None:
    """The document link of a history entry on the timeline ({label, url}), or None."""
    kind = kind_of(change)
    if kind is None or not documents.has_document(contract, change, kind.code):
        return None
    return {
        "label": kind.title.for_locale(current_language()),
        "kind": kind.code,
        "url": url_for("documents.download", contract_id=contract.id, kind=kind.code, change_id=change.id),
    }


TEMPLATE_GLOBALS = {"history_document": history_document}
