"""Statistics for the bureau (the whole city or any station) and for reviewers (their own station)."""

from __future__ import annotations

from flask import Response, jsonify
from flask_login import current_user
from marshmallow import RAISE

from app.api.blueprint import BINARY, TEXT, XLSX, Blueprint
from app.auth.permissions import Permission, require
from app.domain.clock import today_local
from app.i18n import current_language
from app.statistics.schemas import AssessmentArgs, AssessmentOut, StatsArgs, StatsOut
from app.statistics.services import assessment, stats, stats_export

blp = Blueprint("stats_api", __name__, description="Registration statistics")
assessment_blp = Blueprint("assessment_api", __name__, description="County assessment (县区考核)")


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


def _percent(value) -> str | None:
    return None if value is None else f"{value:.2f}"


@assessment_blp.route("")
@require(Permission.GOAL_MANAGE)
@assessment_blp.arguments(AssessmentArgs, location="query", unknown=RAISE)
@assessment_blp.response(200, AssessmentOut)
@assessment_blp.doc(security=[{"bearer": []}])
@assessment_blp.problems(401, 403)
def county_assessment(args):
    """The bureau's county assessment: each county's contract amount against the same period of the year before,
    its growth and target, met or missed, ranked by growth."""
    result = assessment.assess(args.get("year") or today_local().year, today_local())
    items = [
        {
            "area_code": s.area.code,
            "name": s.area.name,
            "contract_amount": s.amount,
            "previous_contract_amount": s.previous_amount,
            "growth_rate": _percent(s.growth_rate),
            "target_growth_rate": _percent(s.target.growth_rate if s.target else None),
            "target_amount": s.target.target_amount if s.target else None,
            "met": s.met,
            "rank": s.rank,
        }
        for s in result.standings
    ]
    return {"items": items}
