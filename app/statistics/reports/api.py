"""The reports upward (bureau only): the national tables of a year or a quarter, freezing a year, and the
per-contract upload file for the provincial and national systems, resumable by cursor."""

from __future__ import annotations

from flask import Response, jsonify
from flask_login import current_user
from marshmallow import RAISE

from app.api.blueprint import BINARY, TEXT, XLSX, Blueprint
from app.auth.permissions import Permission, require
from app.statistics.reports.schemas import ReportArgs, ReportOut, SnapshotOut, UploadArgs, UploadPage, encode_cursor
from app.statistics.services import freeze, reports, upload

blp = Blueprint("reports_api", __name__, description="Reports upward: national tables, freezes, the upload file")


@blp.route("/annual")
@require(Permission.REPORT_MANAGE)
@blp.arguments(ReportArgs, location="query", unknown=RAISE)
@blp.response(200, ReportOut)
@blp.files({"text/csv": TEXT, XLSX: BINARY}, "The tables as JSON, CSV or XLSX (`format`)")
@blp.doc(security=[{"bearer": []}])
@blp.problems(401, 403, 422)
def annual(args):
    """The year's national tables (from its snapshot once frozen, with the reconciliation), or a quarter's,
    cumulative from January."""
    report = freeze.report_for(args["year"], args.get("quarter"))
    if args["format"] == "json":
        return jsonify(reports.document(report))
    body, media_type, name = reports.encode(report, args["format"])
    return Response(body, mimetype=media_type, headers={"Content-Disposition": f'attachment; filename="{name}"'})


@blp.route("/annual/<int:year>/freeze", methods=["POST"])
@require(Permission.REPORT_MANAGE)
@blp.response(201, SnapshotOut)
@blp.doc(security=[{"bearer": []}])
@blp.problems(401, 403, 404, 409, 422)
def freeze_year(year: int):
    """Freeze a year: an immutable snapshot of its tables, signed with the bureau root's key; a second freeze of
    the same year is 409."""
    snapshot = freeze.freeze(current_user, year)
    return {"year": snapshot.year, **freeze.snapshot_facts(snapshot)}


@blp.route("/upload")
@require(Permission.REPORT_MANAGE)
@blp.arguments(UploadArgs, location="query", unknown=RAISE)
@blp.response(200, UploadPage)
@blp.doc(security=[{"bearer": []}])
@blp.problems(401, 403, 422)
def upload_items(args):
    """Registrations, changes, cancellations and revocations after the cursor, in commit order, in the national
    layout's columns; `next_cursor` resumes without skips or repeats."""
    items = upload.items(current_user, args["after"], args["limit"])
    last = items[-1]["seq"] if items else args["after"]
    return {"items": items, "next_cursor": encode_cursor(last)}
