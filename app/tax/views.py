"""Pages of the tax offices: exports with their signed manifests, a registration look-up, recent endings."""

from __future__ import annotations

import json
from datetime import date

from flask import Blueprint, Response, render_template, request, stream_with_context
from flask_login import current_user

from app import transaction
from app.auth.permissions import Permission, require
from app.domain.clock import today_local
from app.errors import DomainError, FieldError, NotFound, ValidationFailed
from app.i18n import t
from app.tax.schemas import EXPORT_FORMATS
from app.tax.services import exports, tax_office, taxfeed

bp = Blueprint("tax", __name__, url_prefix="/tax")


def _query_args(today: date) -> dict[str, str]:
    """The export form's fields as typed (the year so far by default), so a refused form shows them again."""
    fmt = request.args.get("format")
    return {
        "from": (request.args.get("from") or today.replace(month=1, day=1).isoformat()).strip()[:10],
        "to": (request.args.get("to") or today.isoformat()).strip()[:10],
        "format": fmt if fmt in EXPORT_FORMATS else "csv",
    }


def _period(query: dict[str, str]) -> tuple[date, date]:
    """The form's dates, checked as the export checks them; ValidationFailed names the wrong field."""
    parsed, errors = {}, []
    for field in ("from", "to"):
        try:
            parsed[field] = date.fromisoformat(query[field])
        except ValueError:
            errors.append(FieldError("date.invalid", field, t("Enter a date as YYYY-MM-DD.")))
    if errors:
        raise ValidationFailed(t("The period is invalid."), errors)
    exports.check_period(parsed["from"], parsed["to"])
    return parsed["from"], parsed["to"]


def _home(query: dict[str, str], error: DomainError | None = None):
    """The tax office's home page, with a refused export's messages above the form."""
    page = render_template(
        "tax/home.html",
        query=query,
        formats=EXPORT_FORMATS,
        error=error,
        endings=tax_office.recent_endings(current_user),
        fields=exports.FIELD_DICTIONARY,
        pulls=taxfeed.recent_pulls(current_user),
    )
    return page, error.status if error else 200


@bp.route("")
@require(Permission.TAX_READ)
def home():
    """The tax office's home: the export form, a look-up form, the latest cancellations and revocations, and the
    officer's last 20 pulls of the feed."""
    return _home(_query_args(today_local()))


@bp.route("/export")
@require(Permission.TAX_READ)
def export():
    """The export form's download: the file for the dates in the form when it was sent (never an older link's),
    or the form again with what is wrong."""
    query = _query_args(today_local())
    try:
        date_from, date_to = _period(query)
    except DomainError as error:
        transaction.refused(error)
        return _home(query, error)
    chunks = exports.export(current_user, date_from, date_to, query["format"])
    name = exports.filename(date_from, date_to, query["format"])
    return Response(
        stream_with_context(chunks),
        mimetype=exports.FORMATS[query["format"]],
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@bp.route("/manifest")
@require(Permission.TAX_READ)
def manifest():
    """The signed manifest of the form's export, as a page: rows, SHA-256, signature, signer, and how to verify."""
    query = _query_args(today_local())
    try:
        signed, filename = _signed_manifest(query)
    except DomainError as error:
        transaction.refused(error)
        return _home(query, error)
    return render_template("tax/manifest.html", query=query, manifest=signed, filename=filename)


def _signed_manifest(query: dict[str, str]) -> tuple[dict, str]:
    """The signed manifest of the export the form describes, and the export's file name."""
    date_from, date_to = _period(query)
    signed = exports.manifest(current_user, date_from, date_to, query["format"])
    return signed, exports.filename(date_from, date_to, query["format"])


@bp.route("/manifest.json")
@require(Permission.TAX_READ)
def manifest_file():
    """The same manifest as a JSON file to keep beside the export (UTF-8, the signer's name unescaped)."""
    query = _query_args(today_local())
    try:
        signed, filename = _signed_manifest(query)
    except DomainError as error:
        transaction.refused(error)
        return _home(query, error)
    name = filename + ".manifest.json"
    body = json.dumps(signed, ensure_ascii=False, indent=2) + "\n"
    return Response(
        body.encode("utf-8"),
        content_type="application/json; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@bp.route("/lookup")
@require(Permission.TAX_READ)
def lookup():
    """One registration in the office's areas: status, versions and eligibility; 404 outside them."""
    number = (request.args.get("number") or "").strip()[:32]
    try:
        contract, facts = tax_office.lookup(current_user, number)
    except NotFound as error:  # a mistyped or foreign number: say so on the page, with the form to try again
        transaction.refused(error)
        return render_template("tax/lookup.html", contract=None, error=error, number=number), 404
    return render_template("tax/lookup.html", contract=contract, facts=facts, number=number)
