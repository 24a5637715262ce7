"""The subsidy API: programmes (the bureau defines, enterprises read the open ones), claims and the bureau's
decisions, the signed payment list."""

from __future__ import annotations

from flask import Response
from flask.views import MethodView
from flask_login import current_user

from app.api.blueprint import BINARY, TEXT, XLSX, Blueprint
from app.auth.permissions import Permission, require, signed_in
from app.subsidies.schemas import (
    ApproveIn,
    ClaimIn,
    ClaimList,
    ClaimListArgs,
    ClaimOut,
    ClearIn,
    ExternalClaimIn,
    PaymentManifestOut,
    PaymentQuery,
    ProgrammeIn,
    ProgrammeList,
    ProgrammeOut,
    QualifyingList,
    RejectIn,
)
from app.subsidies.services import claims, external, payments, programmes, qualifying

blp = Blueprint("subsidies_api", __name__, description="Subsidy programmes of the city fund and claims on them")


@blp.route("/subsidy-programmes")
class Programmes(MethodView):
    @signed_in
    @blp.response(200, ProgrammeList)
    @blp.problems(401, 403)
    def get(self):
        """Every programme (bureau), or those open for claims today (enterprises)."""
        return {"items": programmes.visible(current_user)}

    @signed_in
    @blp.arguments(ProgrammeIn)
    @blp.response(201, ProgrammeOut)
    @blp.problems(400, 401, 403, 415)
    def post(self, data):
        """Define a programme (bureau)."""
        return programmes.create(current_user, data)


@blp.route("/subsidy-programmes/qualifying")
@signed_in
@blp.response(200, QualifyingList)
@blp.problems(401, 403)
def qualifying_list():
    """The open programmes the enterprise's registrations qualify for and it has not claimed, with the amount."""
    return {"items": qualifying.qualifying(current_user)}


@blp.route("/subsidy-claims")
class Claims(MethodView):
    @signed_in
    @blp.arguments(ClaimListArgs, location="query")
    @blp.response(200, ClaimList)
    @blp.problems(401, 403)
    def get(self, args):
        """The enterprise's own claims, or every claim (bureau), newest first, a page at a time (`next`)."""
        items, following = claims.page(current_user, args["status"], args["programme"], args["before"])
        return {"items": items, "next": following}

    @signed_in
    @blp.arguments(ClaimIn)
    @blp.response(201, ClaimOut)
    @blp.problems(400, 401, 403, 404, 409, 415)
    def post(self, data):
        """Claim on a local registration (409: not claimable, or claimed already on this programme)."""
        return claims.claim(current_user, data["programme"], data["registration_number"], data["beneficiary"])


@blp.route("/subsidy-claims/external", methods=["POST"])
@signed_in
@blp.arguments(ExternalClaimIn, location="multipart")
@blp.response(201, ClaimOut)
@blp.problems(400, 401, 403, 404, 409, 413, 415)
def claim_external(data):
    """A buyer claims on another registry's registration with that registry's signed certificate (PDF); the
    signature is checked against the trusted registries and the bureau reviews the claim by hand."""
    upload = data.pop("file")
    return external.claim(current_user, data, upload.stream, upload.filename)


def _decision(act, claim_id, *args):
    return act(current_user, claim_id, *args)


@blp.route("/subsidy-claims/<int:claim_id>/approve", methods=["POST"])
@signed_in
@blp.arguments(ApproveIn, required=False)
@blp.response(200, ClaimOut)
@blp.problems(400, 401, 403, 404, 409, 415)
def approve(data, claim_id):
    """Approve within the budget and caps (bureau)."""
    return _decision(claims.approve, claim_id, (data or {}).get("certificate_checked", False))


@blp.route("/subsidy-claims/<int:claim_id>/reject", methods=["POST"])
@signed_in
@blp.arguments(RejectIn)
@blp.response(200, ClaimOut)
@blp.problems(400, 401, 403, 404, 409, 415)
def reject(data, claim_id):
    """Reject with the reason the enterprise reads (bureau)."""
    return _decision(claims.reject, claim_id, data["reason"])


@blp.route("/subsidy-claims/<int:claim_id>/pay", methods=["POST"])
@signed_in
@blp.response(200, ClaimOut)
@blp.problems(401, 403, 404, 409)
def pay(claim_id):
    """Mark an approved claim paid (another bureau account than the one that approved it)."""
    return _decision(claims.pay, claim_id)


@blp.route("/subsidy-claims/<int:claim_id>/clear-flag", methods=["POST"])
@signed_in
@blp.arguments(ClearIn)
@blp.response(200, ClaimOut)
@blp.problems(400, 401, 403, 404, 409, 415)
def clear_flag(data, claim_id):
    """Lift the flag an ended registration put on the claim, with a note (bureau)."""
    return _decision(claims.clear_flag, claim_id, data["note"])


PAYMENT_FILES = {"text/csv": TEXT, XLSX: BINARY}


@blp.route("/subsidy-payments")
@require(Permission.SUBSIDY_MANAGE)
@blp.arguments(PaymentQuery, location="query")
@blp.files(PAYMENT_FILES, "The payment list (approved and paid claims) as CSV or XLSX")
@blp.problems(401, 403)
def payment_list(args):
    """The payment list with Chinese labels beside the codes; its manifest carries the bureau's signature."""
    data = payments.export(args["programme"], args["format"])
    return Response(
        data,
        mimetype=payments.FORMATS[args["format"]],
        headers={
            "Content-Disposition": f'attachment; filename="{payments.filename(args["programme"], args["format"])}"'
        },
    )


@blp.route("/subsidy-payments/manifest")
@require(Permission.SUBSIDY_MANAGE)
@blp.arguments(PaymentQuery, location="query")
@blp.response(200, PaymentManifestOut)
@blp.problems(401, 403)
def payment_manifest(args):
    """Rows, SHA-256 and the bureau root's signature over the exact bytes of the same payment list."""
    return payments.manifest(args["programme"], args["format"])
