"""The imports API (bureau): registrations of other registries imported for the absorption statistics, the
import batches, and the absorption figures."""

from __future__ import annotations

from flask_login import current_user

from app.api.blueprint import Blueprint
from app.auth.permissions import signed_in
from app.domain.clock import today_local
from app.i18n import current_language
from app.imports.schemas import AbsorptionArgs, AbsorptionOut, ImportBatchList, ImportIn, ImportOut
from app.imports.services import absorption, registrations

blp = Blueprint("imports_api", __name__, description="Registrations of other registries, imported for absorption")


@blp.route("/registrations", methods=["POST"])
@signed_in
@blp.arguments(ImportIn, location="multipart")
@blp.response(201, ImportOut)
@blp.problems(400, 401, 403, 413, 415, 422)
def import_registrations(data):
    """Import another registry's CSV (the tax export's layout): rows whose buyer is in Handan are stored (by source
    and registration number: a second import updates, never duplicates); every row is answered with its outcome
    (imported, updated, unchanged, rejected) and findings. Never part of the local registry."""
    upload = data["file"]
    return registrations.import_file(current_user, data["source"], data.get("registry"), upload.stream, upload.filename)


@blp.route("/batches", methods=["GET"])
@signed_in
@blp.response(200, ImportBatchList)
@blp.problems(401, 403)
def batch_list():
    """The latest imports, newest first, with their counts."""
    return {"items": registrations.batches(current_user)}


@blp.route("/absorption", methods=["GET"])
@signed_in
@blp.arguments(AbsorptionArgs, location="query")
@blp.response(200, AbsorptionOut)
@blp.problems(400, 401, 403)
def absorption_figures(args):
    """Absorption by Handan buyers in a year, by source registry and by county, and the plan's "Beijing R&D, Handan
    transfer" figure (imported registrations with a Beijing or Tianjin seller)."""
    result = absorption.figures(current_user, args.get("year") or today_local().year)
    return absorption.document(result, current_language())
