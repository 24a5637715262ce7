"""Subsidy pages: the enterprise's subsidies (qualifying programmes, claims, the claim on another registry's
certificate) and the bureau's programmes, claims queue and signed payment list."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal, InvalidOperation

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app import transaction
from app.auth.permissions import Permission, require
from app.domain import catalogue
from app.domain.money import AmountError, parse_amount
from app.domain.subsidies import BASES, BENEFICIARIES, CLAIM_STATUSES
from app.errors import DomainError, FieldError, ValidationFailed
from app.files.http import ATTACHMENT_CSP, send_stored
from app.i18n import current_language, t
from app.models.base import MAX_ID
from app.subsidies.services import claims, external, payments, programmes, qualifying

bp = Blueprint("subsidies", __name__)

LABELS = {"beneficiary": BENEFICIARIES, "basis": BASES, "status": CLAIM_STATUSES}
PROGRAMME_TEXT = ("name", "year", "beneficiary", "basis", "rate", "cap_per_contract", "cap_per_organisation_year")
PROGRAMME_FORM = (*PROGRAMME_TEXT, "budget", "open_from", "open_until")
EXTERNAL_FORM = (
    "programme",
    "registration_number",
    "registry",
    "category",
    "registered_on",
    "amount",
    "technical_amount",
)
ACTIONS = {"approve", "reject", "pay", "clear-flag"}


def subsidy_label(kind: str, code: str | None) -> str:
    """The name of a beneficiary, basis or claim status in the reader's language (the code when unknown)."""
    entry = LABELS[kind].get(code or "")
    return entry.for_locale(current_language()) if entry else (code or "—")


def rate_text(rate: Decimal) -> str:
    """0.05 → "5 %", 0.001 → "1 ‰"."""
    percent = rate * 100
    return f"{percent.normalize():f} %" if percent >= 1 else f"{(rate * 1000).normalize():f} ‰"


TEMPLATE_GLOBALS = {"subsidy_label": subsidy_label, "rate_text": rate_text}  # installed by the factory


def _errors(error: DomainError) -> dict[str, list[FieldError]]:
    placed: dict[str, list[FieldError]] = {}
    for item in error.errors or [FieldError(error.code, None, error.detail)]:
        placed.setdefault(item.field or "", []).append(item)
    return placed


def _parsed(values: dict[str, str], money: tuple[str, ...], dates: tuple[str, ...], ints: tuple[str, ...]) -> dict:
    """The form's text as the service's values; a malformed entry is a field error."""
    out: dict = {}
    for name, raw in values.items():
        try:
            if name in money:
                out[name] = parse_amount(raw) if raw else None
            elif name in dates:
                out[name] = date.fromisoformat(raw) if raw else None
            elif name in ints:
                out[name] = int(raw) if raw else None
            elif name == "rate":
                out[name] = Decimal(raw) if raw else None
            else:
                out[name] = raw
        except (AmountError, ValueError, InvalidOperation):
            raise ValidationFailed(t("Check the form."), [FieldError("format", name, t("Check this value."))]) from None
    return out


# The enterprise's pages


@bp.route("/subsidies")
@require(Permission.SUBSIDY_CLAIM)
def mine():
    """The programmes the organisation's registrations qualify for (claim with one click) and its claims."""
    try:
        offers, own = qualifying.qualifying(current_user), claims.listing(current_user)
    except DomainError as error:
        transaction.refused(error)
        return render_template("subsidies/mine.html", offers=[], claims=[], refusal=error.detail), error.status
    return render_template("subsidies/mine.html", offers=offers, claims=own, refusal=None)


@bp.route("/subsidies/claim", methods=["POST"])
@require(Permission.SUBSIDY_CLAIM)
def claim():
    """Claim one qualifying programme for one registration."""
    try:
        programme = int(request.form.get("programme") or 0)
        created = claims.claim(current_user, programme, (request.form.get("registration_number") or "").strip())
    except (DomainError, ValueError) as error:
        error = error if isinstance(error, DomainError) else ValidationFailed(t("Check the form."))
        transaction.refused(error)
        flash(error.detail, "danger")
        return redirect(url_for(".mine"))
    flash(
        t("Your claim #%(id)s of %(amount)s yuan was sent to the bureau.", id=created.id, amount=created.amount),
        "success",
    )
    return redirect(url_for(".mine"))


def _external_page(values=None, errors=None, status=200):
    offered = [p for p in programmes.visible(current_user) if p.beneficiary == "buyer" and p.basis != "equity"]
    page = render_template(
        "subsidies/external.html",
        programmes=offered,
        values=values or {},
        errors=errors or {},
        categories=catalogue.CATEGORIES,
    )
    return page, status


@bp.route("/subsidies/external", methods=["GET", "POST"])
@require(Permission.SUBSIDY_CLAIM)
def external_claim():
    """A buyer's claim on a registration of another city's registry, with that registry's signed certificate."""
    if request.method == "GET":
        return _external_page()
    values = {name: (request.form.get(name) or "").strip() for name in EXTERNAL_FORM}
    upload = request.files.get("file")
    try:
        data = _parsed(values, ("amount", "technical_amount"), ("registered_on",), ("programme",))
        for name in ("programme", "registration_number", "registry", "category", "registered_on", "amount"):
            if not data.get(name):
                raise ValidationFailed(
                    t("Check the form."), [FieldError("required", name, t("This field is required."))]
                )
        if upload is None or not upload.filename:
            raise ValidationFailed(t("Attach a file."), [FieldError("required", "file", t("This field is required."))])
        created = external.claim(current_user, data, upload.stream, upload.filename)
    except DomainError as error:
        transaction.refused(error)
        return _external_page(values, _errors(error), error.status)
    flash(t("Your claim #%(id)s was sent: the bureau checks the certificate by hand.", id=created.id), "success")
    return redirect(url_for(".mine"))


# The bureau's pages


def _programmes_page(values=None, errors=None, status=200, editing=None):
    page = render_template(
        "subsidies/programmes.html",
        programmes=programmes.visible(current_user),
        totals=programmes.totals(),
        values=values or {},
        errors=errors or {},
        editing=editing,
        categories=catalogue.CATEGORIES,
        beneficiaries=BENEFICIARIES,
        bases=BASES,
    )
    return page, status


def _programme_form() -> tuple[dict, dict]:
    values = {name: (request.form.get(name) or "").strip() for name in PROGRAMME_FORM}
    data = _parsed(
        values, ("cap_per_contract", "cap_per_organisation_year", "budget"), ("open_from", "open_until"), ("year",)
    )
    data["categories"] = request.form.getlist("categories")
    return values | {"categories": data["categories"]}, data


@bp.route("/bureau/subsidies/programmes", methods=["GET", "POST"])
@require(Permission.SUBSIDY_MANAGE)
def programmes_page():
    """The programmes with their budget used, and the form for a new one."""
    if request.method == "GET":
        return _programmes_page()
    values = {}
    try:
        values, data = _programme_form()
        created = programmes.create(current_user, data)
    except DomainError as error:
        transaction.refused(error)
        return _programmes_page(values, _errors(error), error.status)
    flash(t("Programme %(name)s was created.", name=created.name), "success")
    return redirect(url_for(".programmes_page"))


@bp.route("/bureau/subsidies/programmes/<int:programme_id>/edit", methods=["GET", "POST"])
@require(Permission.SUBSIDY_MANAGE)
def edit_programme(programme_id: int):
    """Edit a programme nobody has claimed on yet."""
    programme = programmes.get(current_user, programme_id)
    if request.method == "GET":
        return _programmes_page(_values_of(programme), editing=programme)
    values = {}
    try:
        values, data = _programme_form()
        programmes.update(current_user, programme, data)
    except DomainError as error:
        transaction.refused(error)
        return _programmes_page(values, _errors(error), error.status, editing=programme)
    flash(t("Programme %(name)s was saved.", name=programme.name), "success")
    return redirect(url_for(".programmes_page"))


def _values_of(programme) -> dict:
    values = {
        name: "" if getattr(programme, name) is None else str(getattr(programme, name)) for name in PROGRAMME_FORM
    }
    values["rate"] = f"{programme.rate.normalize():f}"
    return values | {"categories": programme.categories}


@bp.route("/bureau/subsidies/claims")
@require(Permission.SUBSIDY_MANAGE)
def claims_queue():
    """The claims, filtered by status and programme, each with its decisions."""
    status = request.args.get("status") or None
    status = status if status in CLAIM_STATUSES else None
    programme = request.args.get("programme", type=int)
    before = request.args.get("before", type=int)
    before = before if before and 0 < before <= MAX_ID else None
    items, following = claims.page(current_user, status, programme, before)
    return render_template(
        "subsidies/claims.html",
        items=items,
        following=following,
        before=before,
        programmes=programmes.visible(current_user),
        status=status,
        programme=programme,
        statuses=CLAIM_STATUSES,
    )


@bp.route("/bureau/subsidies/claims/<int:claim_id>/decide", methods=["POST"])
@require(Permission.SUBSIDY_MANAGE)
def decide(claim_id: int):
    """Approve, reject (with a reason), pay (a second account) or clear the flag of a claim."""
    action = request.form.get("action")
    back = redirect(
        request.form.get("back")
        if (request.form.get("back") or "").startswith("/bureau/")
        else url_for(".claims_queue")
    )
    try:
        if action == "approve":
            claims.approve(current_user, claim_id, request.form.get("certificate_checked") == "1")
        elif action == "reject":
            claims.reject(current_user, claim_id, request.form.get("reason"))
        elif action == "pay":
            claims.pay(current_user, claim_id)
        elif action == "clear-flag":
            claims.clear_flag(current_user, claim_id, request.form.get("note"))
        else:
            raise ValidationFailed(t("Check the form."), [FieldError("code.unknown", "action", t("Unknown action."))])
    except DomainError as error:
        transaction.refused(error)
        flash(t("Claim #%(id)s: %(detail)s", id=claim_id, detail=error.detail), "danger")
        return back
    flash(t("Claim #%(id)s: done.", id=claim_id), "success")
    return back


@bp.route("/bureau/subsidies/claims/<int:claim_id>/certificate.pdf")
@require(Permission.SUBSIDY_MANAGE)
def certificate(claim_id: int):
    """The other registry's certificate the claimant uploaded, shown sandboxed."""
    found = claims.get(current_user, claim_id)
    if not found.certificate_sha256:
        return Response(status=404)
    name = found.certificate_filename or "certificate.pdf"
    return send_stored(found.certificate_sha256, "application/pdf", name, inline=True, csp=ATTACHMENT_CSP)


def _payment_args() -> tuple[int | None, str]:
    fmt = request.args.get("format") if request.args.get("format") in payments.FORMATS else "csv"
    return request.args.get("programme", type=int), fmt


@bp.route("/bureau/subsidies/payments")
@require(Permission.SUBSIDY_MANAGE)
def payment_list():
    """The payment list (approved and paid claims) as CSV or XLSX."""
    programme, fmt = _payment_args()
    return Response(
        payments.export(programme, fmt),
        mimetype=payments.FORMATS[fmt],
        headers={"Content-Disposition": f'attachment; filename="{payments.filename(programme, fmt)}"'},
    )


@bp.route("/bureau/subsidies/payments/manifest.json")
@require(Permission.SUBSIDY_MANAGE)
def payment_manifest():
    """The list's signed manifest as a JSON file to keep beside it."""
    programme, fmt = _payment_args()
    body = json.dumps(payments.manifest(programme, fmt), ensure_ascii=False, indent=2) + "\n"
    name = payments.filename(programme, fmt) + ".manifest.json"
    return Response(
        body.encode("utf-8"),
        content_type="application/json; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
