"""Pages of organisation claims: the applicant's own claim and licence; the station's and the bureau's claims list
and claim page, where a claim is confirmed or rejected."""

from __future__ import annotations

import io

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from app import transaction
from app.auth.permissions import Permission, require, signed_in
from app.claims import services as claims
from app.errors import DomainError, FieldError
from app.extensions import db
from app.files.http import ATTACHMENT_CSP, send_stored
from app.i18n import lt, t
from app.models import Contract, OrganisationClaim

bp = Blueprint("claims", __name__)

LIST_LIMIT = 200
LIST_STATUSES = ("pending", "confirmed", "rejected")
CLAIM_LABELS = {
    "unverified": lt("e-mail not confirmed"),
    "pending": lt("waiting for confirmation"),
    "confirmed": lt("confirmed"),
    "rejected": lt("rejected"),
    "first": lt("first account"),
    "contest": lt("contest"),
    "licence_review": lt("business licence checked"),
    "seller_registration": lt("registered a filing as seller"),
    "administrator": lt("account made by an administrator"),
    "existing_account": lt("account older than claims"),
    "contest_resolution": lt("contest decided by the bureau"),
    "invitation": lt("invited by an admin of the organisation"),
}
EVIDENCE_LIMIT = 10


def claim_label(code: str | None) -> str:
    """A claim's status, kind or basis in the reader's language."""
    return str(CLAIM_LABELS.get(code or "", code or "—"))


TEMPLATE_GLOBALS = {"claim_label": claim_label}  # installed by the factory


def _own_page(errors=(), status: int = 200):
    claim = current_user.claim
    if claim is None:
        abort(404)
    return render_template("claims/own.html", claim=claim, errors=list(errors)), status


@bp.route("/account/claim")
@require(Permission.CONTRACT_FILE)
def own_claim():
    """The state of the account's claim on its organisation, and what the account may see meanwhile."""
    return _own_page()


@bp.route("/account/claim/licence", methods=["POST"])
@require(Permission.CONTRACT_FILE)
def upload_licence():
    """Upload (or replace) the business licence of a pending claim."""
    upload = request.files.get("licence")
    stream, filename = (upload.stream, upload.filename) if upload else (io.BytesIO(b""), None)
    try:
        claims.upload_licence(current_user, stream, filename)
    except DomainError as error:
        transaction.refused(error)
        return _own_page(error.errors or [FieldError(error.code, "licence", error.detail)], error.status)
    flash(t("The business licence has been uploaded."), "success")
    return redirect(url_for(".own_claim"))


@bp.route("/claims/<int:claim_id>/licence")
@signed_in
def licence(claim_id: int):
    """The licence file: for the claimant and for those who decide the claim."""
    claim = db.session.get(OrganisationClaim, claim_id)
    if claim is None or not (claim.user_id == current_user.id or claims.can_see(current_user, claim)):
        abort(404)
    if claim.licence_sha256 is None:
        abort(404)
    return send_stored(
        claim.licence_sha256,
        claim.licence_media_type,
        claim.licence_filename or "licence",
        inline=request.args.get("inline") == "1",
        csp=ATTACHMENT_CSP,
    )


@bp.route("/claims")
@require(Permission.CLAIM_REVIEW)
def claims_list():
    """Claims of the organisations in the station's areas (the bureau: all), pending first by default."""
    status = request.args.get("status", "pending")
    status = status if status in LIST_STATUSES or status == "all" else "pending"
    query = claims.visible_claims(current_user, None if status == "all" else status).limit(LIST_LIMIT)
    items = list(db.session.scalars(query))
    return render_template(
        "claims/list.html", items=items, status=status, statuses=LIST_STATUSES, can_decide=claims.can_decide
    )


def _filings_of(claim: OrganisationClaim) -> list[Contract]:
    """What the claimant filed: evidence beside the licence."""
    return list(
        db.session.scalars(
            select(Contract)
            .where(Contract.created_by_id == claim.user_id)
            .order_by(Contract.id.desc())
            .limit(EVIDENCE_LIMIT)
        )
    )


def _claim_page(claim: OrganisationClaim, errors=(), note: str = "", status: int = 200):
    side_by_side = [claim] + claims.rivals(claim)
    page = render_template(
        "claims/claim.html",
        claim=claim,
        side_by_side=side_by_side,
        filings={c.id: _filings_of(c) for c in side_by_side},
        can_decide=claims.can_decide(current_user, claim),
        errors=list(errors),
        note=note,
    )
    return page, status


@bp.route("/claims/<int:claim_id>")
@require(Permission.CLAIM_REVIEW)
def claim_page(claim_id: int):
    """A claim with its licence and the claimant's filings; a contest shows every claim on the organisation."""
    return _claim_page(claims.load(current_user, claim_id))


@bp.route("/claims/<int:claim_id>/decide", methods=["POST"])
@require(Permission.CLAIM_REVIEW)
def decide(claim_id: int):
    """Confirm or reject, with a note saying what was checked."""
    claim = claims.load(current_user, claim_id)
    note = request.form.get("note", "")
    try:
        claims.decide(current_user, claim, request.form.get("outcome"), note)
    except DomainError as error:
        transaction.refused(error)
        return _claim_page(claim, error.errors or [FieldError(error.code, None, error.detail)], note, error.status)
    flash(t("The claim is %(status)s.", status=claim_label(claim.status)), "success")
    return redirect(url_for(".claim_page", claim_id=claim.id))
