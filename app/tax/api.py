"""The tax office's API: the change feed (registrations, changes, cancellations and revocations in commit order),
the signed exports of the registry (tax officers only, in their areas), and the tax office answering back
(preferences claimed, objections the station answers)."""

from __future__ import annotations

import base64
import hashlib
import json

from flask import Response, g, stream_with_context
from flask.views import MethodView
from flask_login import current_user

from app.api.blueprint import BINARY, TEXT, XLSX, Blueprint
from app.auth.permissions import Permission, require, signed_in
from app.tax.schemas import (
    AnswerIn,
    ClaimQuery,
    ExportQuery,
    FeedPage,
    FeedQuery,
    ManifestOut,
    ObjectionIn,
    ObjectionList,
    ObjectionOut,
    ObjectionQuery,
    TaxClaimIn,
    TaxClaimList,
    TaxClaimOut,
    encode_cursor,
)
from app.tax.services import exports, taxfeed, writeback

feed_blp = Blueprint("tax_feed_api", __name__, description="The tax office's change feed")


def _with_pii() -> bool:
    """Personal ID numbers in clear only for a bearer token granted tax:pii (a browser session never)."""
    token = g.get("api_token")
    return g.get("auth_method") == "token" and token is not None and taxfeed.PII_SCOPE in (token.scopes or [])


@feed_blp.route("/feed")
@require(Permission.TAX_READ)
@feed_blp.arguments(FeedQuery, location="query")
@feed_blp.response(
    200,
    FeedPage,
    headers={"Content-Digest": {"description": "sha-256 of the body (RFC 9530)", "schema": {"type": "string"}}},
)
@feed_blp.problems(401, 403)
@feed_blp.doc(security=[{"bearer": []}])
def feed(query):
    """Events after the cursor in commit order; `next_cursor` resumes without skips or repeats."""
    items = taxfeed.read(current_user, query["after"], query["limit"], with_pii=_with_pii())
    last = items[-1]["seq"] if items else query["after"]
    taxfeed.record_pull(current_user, query["after"], last, len(items))
    body = json.dumps(
        {"items": items, "next_cursor": encode_cursor(last)}, ensure_ascii=False, separators=(",", ":")
    ).encode("utf-8")
    digest = base64.b64encode(hashlib.sha256(body).digest()).decode("ascii")
    return Response(body, mimetype="application/json", headers={"Content-Digest": f"sha-256=:{digest}:"})


exports_blp = Blueprint("tax_exports_api", __name__, description="Tax offices' signed exports of the registry")
EXPORT_FILES = {
    "text/csv": TEXT,
    "application/json": {
        "type": "array",
        "items": {"type": "object"},
        "description": "one object per registration, keyed by the field dictionary",
    },
    XLSX: BINARY,
}


@exports_blp.route("/exports")
@require(Permission.TAX_READ)
@exports_blp.arguments(ExportQuery, location="query")
@exports_blp.files(EXPORT_FILES, "The export in the format asked for (`format`)")
@exports_blp.problems(401, 403)
def export(args):
    """The period's registrations in the officer's areas as CSV, XLSX or JSON, streamed."""
    fmt = args["format"]
    chunks = exports.export(current_user, args["date_from"], args["date_to"], fmt)
    name = exports.filename(args["date_from"], args["date_to"], fmt)
    return Response(
        stream_with_context(chunks),
        mimetype=exports.FORMATS[fmt],
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@exports_blp.route("/exports/manifest")
@require(Permission.TAX_READ)
@exports_blp.arguments(ExportQuery, location="query")
@exports_blp.response(200, ManifestOut)
@exports_blp.problems(401, 403)
def manifest(args):
    """The manifest of the same export: rows, SHA-256 and the bureau root's signature over its bytes."""
    return exports.manifest(current_user, args["date_from"], args["date_to"], args["format"])


answers_blp = Blueprint(
    "tax_answers_api", __name__, description="The tax office answering back: preferences claimed, objections"
)


@answers_blp.route("/tax/claims")
class Claims(MethodView):
    """Preferences claimed on registrations, per tax year."""

    @signed_in
    @answers_blp.arguments(ClaimQuery, location="query")
    @answers_blp.response(200, TaxClaimList)
    @answers_blp.problems(401, 403)
    def get(self, query):
        """Claims newest first: a tax officer's in the officer's areas (`mine`: the officer's own), every claim for
        the bureau."""
        return {"items": writeback.list_claims(current_user, **query)}

    @require(Permission.TAX_WRITE_BACK)
    @answers_blp.arguments(TaxClaimIn)
    @answers_blp.response(201, TaxClaimOut)
    @answers_blp.problems(400, 401, 403, 404, 409, 415)
    def post(self, data):
        """Record that a seller or buyer claimed a preference for a tax year (404 outside the officer's areas; 409
        for the same claim twice, naming who recorded it first; 422 when the claimant is not entitled to it)."""
        return writeback.record_claim(
            current_user,
            data["registration_number"],
            data["preference"],
            data["tax_year"],
            data["claimant_credit_code"],
        )


@answers_blp.route("/tax/objections")
class Objections(MethodView):
    """Objections of the tax offices and the stations' answers."""

    @signed_in
    @answers_blp.arguments(ObjectionQuery, location="query")
    @answers_blp.response(200, ObjectionList)
    @answers_blp.problems(401, 403)
    def get(self, query):
        """Objections newest first: a tax officer's in the officer's areas, the bureau's all, a station's on its
        registrations (`status=open`: those waiting for its answer)."""
        return {"items": writeback.list_objections(current_user, **query)}

    @require(Permission.TAX_WRITE_BACK)
    @answers_blp.arguments(ObjectionIn)
    @answers_blp.response(201, ObjectionOut)
    @answers_blp.problems(400, 401, 403, 404, 409, 415)
    def post(self, data):
        """Object to a registration in the officer's areas: a re-review its station answers (409 while another
        objection to it is open)."""
        return writeback.raise_objection(current_user, data["registration_number"], data["reason"])


@answers_blp.route("/objections/<int:objection_id>")
@signed_in
@answers_blp.response(200, ObjectionOut)
@answers_blp.problems(401, 404)
def objection(objection_id):
    """One objection and its answer (whoever sees the registration, and the tax officers of its areas)."""
    return writeback.get_objection(current_user, objection_id)


@answers_blp.route("/objections/<int:objection_id>/answer", methods=["POST"])
@signed_in
@answers_blp.arguments(AnswerIn)
@answers_blp.response(200, ObjectionOut)
@answers_blp.problems(400, 401, 403, 404, 409, 415)
def answer(data, objection_id):
    """A reviewer of the registration's station answers: upheld, corrected (`changes`, as `/change` takes them: a
    new certificate version, or a proposal a second reviewer approves where four eyes are needed; the objection
    is answered when the change takes effect) or revoked."""
    changes = {k: v for k, v in (data.get("changes") or {}).items() if v is not None}
    return writeback.answer(current_user, objection_id, data["outcome"], data["note"], changes)
