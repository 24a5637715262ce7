"""The tax office's change feed: registrations, changes, cancellations and revocations in commit order."""
from __future__ import annotations

import base64
import hashlib
import json

from flask import Response, g
from flask_login import current_user

from app.api.blueprint import Blueprint
from app.auth.permissions import Permission, require
from app.schemas.taxfeed import FeedPage, FeedQuery, encode_cursor
from app.extensions import db
from app.services import taxfeed

blp = Blueprint("tax_feed_api", __name__, description="The tax office's change feed")


def _with_pii() -> bool:
    """Personal ID numbers in clear only for a bearer token granted tax:pii (a browser session never)."""
    token = g.get("api_token")
    return g.get("auth_method") == "token" and token is not None and taxfeed.PII_SCOPE in (token.scopes or [])


@blp.route("/feed")
@require(Permission.TAX_READ)
@blp.arguments(FeedQuery, location="query")
@blp.response(200, FeedPage, headers={"Content-Digest": {
    "description": "sha-256 of the body (RFC 9530)", "schema": {"type": "string"}}})
@blp.problems(401, 403)
@blp.doc(security=[{"bearer": []}])
def feed(query):
    """Events after the cursor in commit order; `next_cursor` resumes without skips or repeats."""
    items = taxfeed.read(current_user, query["after"], query["limit"], with_pii=_with_pii())
    last = items[-1]["seq"] if items else query["after"]
    taxfeed.record_pull(current_user, query["after"], last, len(items))
    db.session.commit()
    body = json.dumps({"items": items, "next_cursor": encode_cursor(last)}, ensure_ascii=False,
                      separators=(",", ":")).encode("utf-8")
    digest = base64.b64encode(hashlib.sha256(body).digest()).decode("ascii")
    return Response(body, mimetype="application/json", headers={"Content-Digest": f"sha-256=:{digest}:"})
