"""The tax office's signed exports of the registry (tax officers only, in their areas)."""
from __future__ import annotations

from flask import Response, stream_with_context
from flask_login import current_user

from app.api.blueprint import BINARY, TEXT, XLSX, Blueprint
from app.auth.permissions import Permission, require
from app.schemas.tax_exports import ExportQuery, ManifestOut
from app.services import exports

blp = Blueprint("tax_exports_api", __name__, description="Tax offices' signed exports of the registry")
EXPORT_FILES = {
    "text/csv": TEXT,
    "application/json": {"type": "array", "items": {"type": "object"},
                         "description": "one object per registration, keyed by the field dictionary"},
    XLSX: BINARY,
}


@blp.route("/exports")
@require(Permission.TAX_READ)
@blp.arguments(ExportQuery, location="query")
@blp.files(EXPORT_FILES, "The export in the format asked for (`format`)")
@blp.problems(401, 403)
def export(args):
    """The period's registrations in the officer's areas as CSV, XLSX or JSON, streamed."""
    fmt = args["format"]
    chunks = exports.export(current_user, args["date_from"], args["date_to"], fmt)
    name = exports.filename(args["date_from"], args["date_to"], fmt)
    return Response(stream_with_context(chunks), mimetype=exports.FORMATS[fmt],
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@blp.route("/exports/manifest")
@require(Permission.TAX_READ)
@blp.arguments(ExportQuery, location="query")
@blp.response(200, ManifestOut)
@blp.problems(401, 403)
def manifest(args):
    """The manifest of the same export: rows, SHA-256 and the bureau root's signature over its bytes."""
    return exports.manifest(current_user, args["date_from"], args["date_to"], args["format"])
