"""The bureau's pages for absorption: importing other registries' registrations (upload, batches, the last
import's per-row results) and the absorption figures of a year."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app import transaction
from app.auth.permissions import Permission, require
from app.domain.absorption import IMPORT_SOURCES, SOURCES
from app.domain.clock import today_local
from app.errors import DomainError, FieldError, ValidationFailed
from app.i18n import current_language, t
from app.imports.services import absorption, registrations

bp = Blueprint("imports", __name__, url_prefix="/bureau")
ROW_STATUSES = {
    "imported": ("Newly imported", "success"),
    "updated": ("Updated by the import", "info"),
    "unchanged": ("Unchanged", "secondary"),
    "rejected": ("Rejected", "danger"),
}


def source_label(code: str | None) -> str:
    """The name of a source registry in the reader's language (the code when unknown)."""
    found = SOURCES.get(code or "")
    return found.for_locale(current_language()) if found else (code or "—")


def import_source_label(code: str | None) -> str:
    """The name of the registry an import came from."""
    found = IMPORT_SOURCES.get(code or "")
    return found.for_locale(current_language()) if found else (code or "—")


def row_status(code: str) -> tuple[str, str]:
    """A row outcome's translated name and its badge colour."""
    name, colour = ROW_STATUSES.get(code, (code, "secondary"))
    return t(name), colour


TEMPLATE_GLOBALS = {
    "source_label": source_label,
    "import_source_label": import_source_label,
    "import_row_status": row_status,
}  # installed by the factory


def _errors(error: DomainError) -> dict[str, list[FieldError]]:
    placed: dict[str, list[FieldError]] = {}
    for item in error.errors or [FieldError(error.code, None, error.detail)]:
        placed.setdefault(item.field or "", []).append(item)
    return placed


def _page(values=None, errors=None, status=200):
    batches = registrations.batches(current_user)
    chosen = request.args.get("batch", type=int)
    shown = next((b for b in batches if b.id == chosen), None) if chosen else (batches[0] if batches else None)
    page = render_template(
        "imports/imports.html",
        batches=batches,
        shown=shown,
        sources=IMPORT_SOURCES,
        values=values or {},
        errors=errors or {},
    )
    return page, status


@bp.route("/imports")
@require(Permission.REGISTRATION_IMPORT)
def imports_page():
    """Upload form, the latest batches and the per-row results of the last (or a chosen) import."""
    return _page()


@bp.route("/imports", methods=["POST"])
@require(Permission.REGISTRATION_IMPORT)
def upload():
    """Import a CSV of another registry; the page then shows its per-row results."""
    values = {name: (request.form.get(name) or "").strip() for name in ("source", "registry")}
    upload_file = request.files.get("file")
    try:
        if upload_file is None or not upload_file.filename:
            raise ValidationFailed(t("Attach a file."), [FieldError("required", "file", t("This field is required."))])
        batch = registrations.import_file(
            current_user, values["source"], values["registry"], upload_file.stream, upload_file.filename
        )
    except DomainError as error:
        transaction.refused(error)
        return _page(values, _errors(error), error.status)
    flash(
        t(
            "Import #%(id)s: %(imported)s imported, %(updated)s updated, %(unchanged)s unchanged, %(rejected)s "
            "rejected.",
            id=batch.id,
            imported=batch.imported,
            updated=batch.updated,
            unchanged=batch.unchanged,
            rejected=batch.rejected,
        ),
        "success" if not batch.rejected else "warning",
    )
    return redirect(url_for(".imports_page", batch=batch.id))


@bp.route("/absorption")
@require(Permission.REGISTRATION_IMPORT)
def absorption_page():
    """A year's absorption by Handan buyers: by source, by county, and the Beijing/Tianjin figure per year."""
    year = request.args.get("year", type=int)
    if year is None or not 2000 <= year <= 2100:
        year = today_local().year
    result = absorption.figures(current_user, year)
    counties = [
        (code, absorption.county_name(code), by_source, absorption.county_total(by_source))
        for code, by_source in sorted(result.by_county.items())
    ]
    return render_template("imports/absorption.html", result=result, counties=counties, sources=SOURCES)
