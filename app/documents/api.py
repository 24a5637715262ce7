"""The printable documents of a contract's history over the API: the list, and each signed PDF."""

from __future__ import annotations

from flask_login import current_user

from app.api.blueprint import BINARY, Blueprint
from app.auth.permissions import load_visible, signed_in
from app.documents import services as documents
from app.documents.schemas import DocumentList
from app.files.http import send_stored

blp = Blueprint("documents_api", __name__, description="Printable documents of a contract's history")


@blp.route("/<int:contract_id>/documents")
@signed_in
@blp.response(200, DocumentList)
@blp.problems(401, 404)
def index(contract_id):
    """The 受理回执, 补正通知书, 不予登记通知书 and 技术合同登记表 of the contract's history, oldest first."""
    return {"items": documents.available(load_visible(current_user, contract_id))}


@blp.route("/<int:contract_id>/documents/<string:kind>/<int:change_id>.pdf")
@signed_in
@blp.files({"application/pdf": BINARY}, "The signed PDF")
@blp.problems(401, 404, 503)
def download(contract_id, kind, change_id):
    """One document, signed by the station; made on its first download, the same bytes ever after."""
    contract = load_visible(current_user, contract_id)
    document = documents.document_for(contract, kind, change_id)
    return send_stored(document.sha256, "application/pdf", documents.download_name(contract, document), inline=True)
