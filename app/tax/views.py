"""Pages of the tax offices: exports with their signed manifests, a registration look-up, recent endings."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, render_template, request, url_for
from flask_login import current_user

from app import transaction
from app.auth.permissions import Permission, require
from app.domain.clock import today_local
from app.errors import NotFound
from app.tax.schemas import EXPORT_FORMATS
from app.tax.services import tax_office, taxfeed
from app.tax.services.exports import FIELD_DICTIONARY

bp = Blueprint("tax", __name__, url_prefix="/tax")


def _date_arg(name: str, default: date) -> date:
    try:
        return date.fromisoformat(request.args.get(name, ""))
    except ValueError:
        return default


@bp.route("")
@require(Permission.TAX_READ)
def home():
    """The tax office's home: the export form, a look-up form, the latest cancellations and revocations, and the
    officer's last 20 pulls of the feed."""
    today = today_local()
    date_from, date_to = _date_arg("from", today.replace(month=1, day=1)), _date_arg("to", today)
    fmt = request.args.get("format") if request.args.get("format") in EXPORT_FORMATS else "csv"
    query = {"from": date_from.isoformat(), "to": date_to.isoformat(), "format": fmt}
    links = {
        "file": url_for("tax_exports_api.export", **query),
        "manifest": url_for("tax_exports_api.manifest", **query),
    }
    return render_template(
        "tax/home.html",
        query=query,
        formats=EXPORT_FORMATS,
        links=links,
        endings=tax_office.recent_endings(current_user),
        fields=FIELD_DICTIONARY,
        pulls=taxfeed.recent_pulls(current_user),
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
