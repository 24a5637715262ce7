"""Pages of the tax offices: exports with their signed manifests, a registration look-up, recent endings, and the
tax office answering back (claims and objections); the station's answers to objections; the bureau's view of the
preferences used per year."""

from __future__ import annotations

import json
import re
from datetime import date
from decimal import Decimal

from flask import Blueprint, Response, flash, redirect, render_template, request, stream_with_context, url_for
from flask_login import current_user

from app import transaction
from app.auth.permissions import Permission, require
from app.domain.clock import today_local
from app.domain.money import parse_amount
from app.errors import DomainError, FieldError, NotFound, ValidationFailed
from app.i18n import lt, t
from app.models.tax_answer import OBJECTION_OUTCOMES, PREFERENCES
from app.tax.schemas import EXPORT_FORMATS
from app.tax.services import exports, tax_office, taxfeed, writeback

bp = Blueprint("tax", __name__, url_prefix="/tax")
station_bp = Blueprint("tax_station", __name__, url_prefix="/station/objections")
bureau_bp = Blueprint("tax_bureau", __name__, url_prefix="/bureau/tax-preferences")

PREFERENCE_NAMES = {
    "vat_exemption": lt("VAT exemption"),
    "income_tax_relief": lt("Income-tax relief on transfer income"),
    "rd_super_deduction": lt("R&D super deduction"),
}
OUTCOME_NAMES = {
    "upheld": lt("Upheld"),
    "corrected": lt("Corrected"),
    "revoked": lt("Revoked"),
    "cancelled": lt("Ended by the registration's cancellation"),
}


def preference_name(code: str | None) -> str:
    """A preference's name in the reader's language."""
    return str(PREFERENCE_NAMES.get(code or "", code or "—"))


def outcome_name(code: str | None) -> str:
    """An objection's outcome in the reader's language."""
    return str(OUTCOME_NAMES.get(code or "", code or "—"))


TEMPLATE_GLOBALS = {"preference_name": preference_name, "outcome_name": outcome_name}


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
    return _lookup((request.args.get("number") or "").strip()[:32])


def _lookup(number: str, refused: DomainError | None = None, form: dict | None = None):
    """The look-up page of a registration, with the claims and objections on it and their forms (a refused form's
    messages above it, the values typed kept)."""
    try:
        contract, facts = tax_office.lookup(current_user, number)
    except NotFound as error:  # a mistyped or foreign number: say so on the page, with the form to try again
        transaction.refused(error)
        return render_template("tax/lookup.html", contract=None, error=error, number=number), 404
    page = render_template(
        "tax/lookup.html",
        contract=contract,
        facts=facts,
        number=number,
        claims=writeback.claims_on(contract),
        objections=writeback.objections_on(contract),
        claimants=writeback.claimants(contract),
        preferences=PREFERENCES,
        can_answer_back=writeback.may_answer_back(current_user),
        refused=refused,
        form=form or {},
        this_year=today_local().year,
    )
    return page, refused.status if refused else 200


def _form_year(text: str | None) -> int:
    try:
        return int((text or "").strip())
    except ValueError:
        message = t("Enter the tax year, e.g. %(year)s.", year=today_local().year)
        raise ValidationFailed(message, [FieldError("tax_year.format", "tax_year", message)]) from None


@bp.route("/claims", methods=["POST"])
@require(Permission.TAX_WRITE_BACK)
def record_claim():
    """Record a preference claimed on the registration of the look-up page, then show that page again."""
    form = request.form
    number = (form.get("number") or "").strip()[:32]
    try:
        claimant = (form.get("claimant_credit_code") or "").strip()[:18]
        writeback.record_claim(current_user, number, form.get("preference"), _form_year(form.get("tax_year")), claimant)
    except DomainError as error:
        transaction.refused(error)
        return _lookup(number, error, form)
    flash(t("The claim is recorded."), "success")
    return redirect(url_for(".lookup", number=number))


@bp.route("/objections", methods=["POST"])
@require(Permission.TAX_WRITE_BACK)
def raise_objection():
    """Object to the registration of the look-up page: its station re-reviews it and answers."""
    form = request.form
    number = (form.get("number") or "").strip()[:32]
    try:
        writeback.raise_objection(current_user, number, (form.get("reason") or "")[:4000])
    except DomainError as error:
        transaction.refused(error)
        return _lookup(number, error, form)
    flash(t("The objection is sent to the station."), "success")
    return redirect(url_for(".lookup", number=number))


@bp.route("/answers")
@require(Permission.TAX_WRITE_BACK)
def answers():
    """The officer's own claims and objections, with the stations' answers."""
    return render_template(
        "tax/answers.html",
        claims=writeback.list_claims(current_user, mine=True),
        objections=writeback.list_objections(current_user, mine=True),
    )


@station_bp.route("")
@require(Permission.CONTRACT_REVIEW)
def objections():
    """The station's objections: those waiting for its answer first, then the latest answered."""
    return render_template(
        "tax/station_objections.html",
        open_objections=writeback.list_objections(current_user, status="open"),
        answered=writeback.list_objections(current_user, status="answered", limit=50),
    )


def _objection_page(objection_id: int, refused: DomainError | None = None, form: dict | None = None):
    objection = writeback.get_objection(current_user, objection_id)
    page = render_template(
        "tax/objection.html", objection=objection, contract=objection.contract, refused=refused, form=form or {}
    )
    return page, refused.status if refused else 200


@station_bp.route("/<int:objection_id>")
@require(Permission.CONTRACT_REVIEW)
def objection(objection_id: int):
    """One objection, the registration it concerns, and the answer form (upheld, corrected, revoked)."""
    return _objection_page(objection_id)


def _form_amount(text: str, field: str) -> Decimal:
    """An amount typed into a form ("900,000", "900000.5") as Decimal with two decimals, within the money range."""
    cleaned = re.sub(r"[\s,，]", "", text)
    try:
        value = Decimal(cleaned)
        if not value.is_finite() or value.as_tuple().exponent < -2:
            raise ValueError(cleaned)
        return parse_amount(f"{value.quantize(Decimal('0.01'))}")
    except (ArithmeticError, ValueError):
        message = t("Enter an amount in yuan with at most two decimals, e.g. 1250000.00.")
        raise ValidationFailed(message, [FieldError("amount.format", field, message)]) from None


def _answer_changes(form) -> dict:
    """The correction's fields typed into the answer form (only those filled in)."""
    changes: dict = {}
    for field in ("category", "subtype"):
        if (form.get(field) or "").strip():
            changes[field] = form.get(field).strip()
    for field in ("certified_technical_amount", "amount"):
        if (form.get(field) or "").strip():
            changes[field] = _form_amount(form.get(field), field)
    if (form.get("valid_until") or "").strip():
        try:
            changes["valid_until"] = date.fromisoformat(form.get("valid_until").strip())
        except ValueError:
            message = t("Enter a date as YYYY-MM-DD.")
            raise ValidationFailed(message, [FieldError("date.format", "valid_until", message)]) from None
    return changes


@station_bp.route("/<int:objection_id>/answer", methods=["POST"])
@require(Permission.CONTRACT_REVIEW)
def answer(objection_id: int):
    """The station's answer; a correction goes through the change of the registration (four eyes where needed)."""
    form = request.form
    outcome = form.get("outcome") if form.get("outcome") in OBJECTION_OUTCOMES else ""
    try:
        changes = _answer_changes(form) if outcome == "corrected" else {}
        answered = writeback.answer(current_user, objection_id, outcome, (form.get("note") or "")[:4000], changes)
    except NotFound:
        raise
    except DomainError as error:
        transaction.refused(error)
        return _objection_page(objection_id, error, form)
    if answered.status == "open":
        flash(t("The correction is proposed; a second reviewer of the station must approve it."), "success")
    else:
        flash(t("The objection is answered: %(outcome)s.", outcome=outcome_name(answered.outcome)), "success")
    return redirect(url_for(".objection", objection_id=objection_id))


@bureau_bp.route("")
@require(Permission.TAX_WRITE_BACK_READ)
def preferences():
    """Preferences used per tax year and preference, and the objections with their outcome."""
    return render_template(
        "tax/preferences.html",
        rows=writeback.preferences_used(),
        objections=writeback.list_objections(current_user, limit=100),
    )
