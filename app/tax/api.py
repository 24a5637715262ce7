"""The tax office's API: the change feed (registrations, changes, cancellations and revocations in commit order)
and the signed exports of the registry (tax officers only, in their areas)."""

from __future__ import annotations

import base64
import hashlib
import json

from flask import Response, g, stream_with_context
from flask_login import current_user

from app.api.blueprint import BINARY, TEXT, XLSX, Blueprint
from app.auth.permissions import Permission, require
from app.tax.schemas import ExportQuery, FeedPage, FeedQuery, ManifestOut, encode_cursor
from app.tax.services import exports, taxfeed

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
