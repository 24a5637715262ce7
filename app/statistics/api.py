"""Statistics for the bureau (the whole city or any station) and for reviewers (their own station)."""

from __future__ import annotations

from flask import Response, jsonify
from flask_login import current_user
from marshmallow import RAISE

from app.api.blueprint import BINARY, TEXT, XLSX, Blueprint
from app.auth.permissions import Permission, require
from app.i18n import current_language
from app.statistics.schemas import StatsArgs, StatsOut
from app.statistics.services import stats, stats_export

blp = Blueprint("stats_api", __name__, description="Registration statistics")


@blp.route("")
@require(Permission.STATS_READ)
@blp.arguments(StatsArgs, location="query", unknown=RAISE)  # a misspelt parameter is refused (API.md)
@blp.response(200, StatsOut)
@blp.files({"text/csv": TEXT, XLSX: BINARY}, "The table as JSON, CSV or XLSX (`format`)")
@blp.doc(security=[{"bearer": []}])
@blp.problems(401, 403, 404)
def statistics(args):
    """Registrations, contract amount and technical amount by up to three dimensions; csv or xlsx on request."""
    table = stats.table_for(current_user, args.get("year"), args["group_by"], args["flow"], args.get("station"))
    lang = current_language()
    fmt = args["format"]
    if fmt == "json":
        return jsonify(stats_export.document(table, lang))
    body, media_type, name = stats_export.encode(table, fmt, lang)
    return Response(body, mimetype=media_type, headers={"Content-Disposition": f'attachment; filename="{name}"'})
