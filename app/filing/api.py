"""Contracts, attachments and submission, as API.md promises them."""

from __future__ import annotations

import io

from flask import request, send_file
from flask.views import MethodView
from flask_login import current_user

from app.api.blueprint import BINARY, XLSX, Blueprint
from app.auth.permissions import Permission, has_permission, load_visible, require, signed_in
from app.errors import Forbidden
from app.files.http import ATTACHMENT_CSP, send_stored
from app.filing.schemas import (
    AttachmentIn,
    AttachmentOut,
    BatchIn,
    BatchOut,
    ContractIn,
    ContractListArgs,
    ContractOut,
    ContractPage,
    SubmitIn,
    WithdrawIn,
)
from app.filing.services import attachments, batch, batch_template, contracts, drafts
from app.i18n import t
from app.models import Contract

blp = Blueprint("contracts_api", __name__, description="Technology contracts: filing, attachments, submission")
ATTACHMENT_FILES = {"application/pdf": BINARY, "image/png": BINARY, "image/jpeg": BINARY}
BATCH_TEMPLATE_NAME = "batch-filing-template.xlsx"
READ_PERMISSIONS = (Permission.CONTRACT_READ_OWN, Permission.CONTRACT_READ_STATION, Permission.CONTRACT_READ_ALL)


def load_contract(contract_id: int) -> Contract:
    """The contract if the current user may see it, else 404 (with what the answer shows, in a few queries)."""
    return load_visible(current_user, contract_id, contracts.API_ITEM_LOAD)


def _require_reader() -> None:
    if not any(has_permission(current_user, p) for p in READ_PERMISSIONS):
        raise Forbidden(t("This account does not read contracts."))


@blp.route("")
class ContractCollection(MethodView):
    """The caller's visible contracts; drafts are created here."""

    @signed_in
    @blp.arguments(ContractListArgs, location="query")
    @blp.response(200, ContractPage)
    @blp.problems(401, 403)
    def get(self, args):
        """List contracts (filters status, category, q, signed_from, signed_to; cursor paging)."""
        _require_reader()
        limit, cursor = args.pop("limit"), args.pop("cursor", None)
        items, next_cursor = contracts.list_contracts(current_user, contracts.ContractFilters(**args), cursor, limit)
        return {"items": items, "next_cursor": next_cursor}

    @require(Permission.CONTRACT_FILE)
    @blp.arguments(ContractIn)
    @blp.response(201, ContractOut)
    @blp.problems(400, 401, 403, 415)
    def post(self, data):
        """Create a draft."""
        contract = contracts.create_draft(current_user, data)
        return contract


@blp.route("/batch/template.xlsx", methods=["GET"])
@require(Permission.CONTRACT_FILE)
@blp.files({XLSX: BINARY}, "The blank batch-filing workbook")
@blp.problems(401, 403)
def batch_template_file():
    """The batch-filing template (XLSX): sheets of contracts, parties and deductions, a guide and the code lists."""
    return send_file(
        io.BytesIO(batch_template.template()),
        mimetype=XLSX,
        as_attachment=True,
        download_name=BATCH_TEMPLATE_NAME,
    )


@blp.route("/batch", methods=["POST"])
@require(Permission.CONTRACT_FILE)
@blp.arguments(BatchIn, location="multipart")
@blp.response(200, BatchOut)
@blp.problems(401, 403, 413, 415)
def batch_upload(data):
    """File the contracts of a filled-in template (multipart `file`, XLSX): each row becomes a draft checked by the
    rule set, or is rejected with its findings and stores nothing; attachments follow on each draft."""
    return {"rows": batch.file_workbook(current_user, data["file"].stream)}


@blp.route("/<int:contract_id>")
class ContractItem(MethodView):
    """One contract."""

    @signed_in
    @blp.response(200, ContractOut)
    @blp.problems(401, 404)
    def get(self, contract_id):
        """The contract with findings, attachments and history."""
        return load_contract(contract_id)

    @signed_in
    @blp.arguments(ContractIn)
    @blp.response(200, ContractOut)
    @blp.problems(400, 401, 403, 404, 409, 415)
    def patch(self, data, contract_id):
        """Edit a draft or a filing returned for amendment."""
        contract = contracts.update_draft(current_user, load_contract(contract_id), data)
        return contract

    @signed_in
    @blp.response(204)
    @blp.problems(401, 403, 404, 409)
    def delete(self, contract_id):
        """Delete a draft with its findings, attachments and history (409 once it has been submitted: withdraw
        it instead; 404 for a contract the caller cannot see)."""
        drafts.delete_draft(current_user, load_contract(contract_id))


@blp.route("/<int:contract_id>/submit", methods=["POST"])
@signed_in
@blp.arguments(SubmitIn, required=False)
@blp.response(200, ContractOut)
@blp.problems(400, 401, 403, 404, 409, 415)
def submit(data, contract_id):
    """Submit to the station: 422 with the blocking findings, or the contract in `submitted`."""
    contract = load_contract(contract_id)
    contracts.submit(current_user, contract, data["acknowledge"])
    return contract


@blp.route("/<int:contract_id>/withdraw", methods=["POST"])
@signed_in
@blp.arguments(WithdrawIn, required=False)
@blp.response(200, ContractOut)
@blp.problems(400, 401, 403, 404, 409, 415)
def withdraw(data, contract_id):
    """The applicant withdraws the filing before a decision."""
    contract = contracts.withdraw(current_user, load_contract(contract_id), data.get("note"))
    return contract


@blp.route("/<int:contract_id>/attachments", methods=["POST"])
@signed_in
@blp.arguments(AttachmentIn, location="multipart")
@blp.response(201, AttachmentOut)
@blp.problems(401, 403, 404, 409, 413, 415)
def upload(data, contract_id):
    """Attach a PDF, PNG or JPEG (judged by content) as multipart `file` with a `kind`."""
    contract = load_contract(contract_id)
    upload_file = data["file"]
    attachment = attachments.add_attachment(
        current_user, contract, upload_file.stream, upload_file.filename, data["kind"]
    )
    return attachment


@blp.route("/<int:contract_id>/attachments/<int:attachment_id>", methods=["DELETE"])
@signed_in
@blp.response(204)
@blp.problems(401, 403, 404, 409)
def delete_attachment(contract_id, attachment_id):
    """Remove the attachment from a draft."""
    attachments.delete_attachment(current_user, load_contract(contract_id), attachment_id)


@blp.route("/<int:contract_id>/attachments/<int:attachment_id>", methods=["GET"])
@signed_in
@blp.files(ATTACHMENT_FILES, "The file's bytes, as the media type its content was recognised as")
@blp.problems(401, 404)
def attachment_item(contract_id, attachment_id):
    """Download the file, with the media type its content was recognised as (`?inline=1`: shown in the browser,
    as the review page's preview does)."""
    contract = load_contract(contract_id)
    attachment = attachments.get_attachment(contract, attachment_id)
    return send_stored(
        attachment.sha256,
        attachment.media_type,
        attachment.filename,
        inline=request.args.get("inline") == "1",
        csp=ATTACHMENT_CSP,
    )
