"""The review page of a filing, and the decisions taken from it: one POST form each, one service call each."""

from __future__ import annotations

from datetime import timedelta

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from app import transaction
from app.auth.permissions import Permission, can_review, has_permission, load_visible, signed_in
from app.domain import workflow
from app.domain.clock import today_local
from app.domain.rules import amendment_days, find_rule_set
from app.errors import DomainError, FieldError
from app.extensions import db
from app.files.http import ATTACHMENT_CSP, send_stored
from app.filing.services import contracts, deadlines
from app.i18n import t
from app.models import Contract, Station
from app.requests import services as contract_requests
from app.review.services import experts, review
from app.review.services import queue as review_queue
from app.review.views.blueprint import bp
from app.review.views.display import accept_preview, confirmations, resubmission_changes
from app.review.views.parsing import form_date, parse_amount
from app.web import forms

UNDECIDED = workflow.UNDECIDED


def _next_in_queue(contract: Contract) -> Contract | None:
    """The filing after this one in the default queue (undecided, by due date)."""
    items, _ = review_queue.queue_contracts(
        current_user, UNDECIDED, contracts.ContractFilters(), review_queue.cursor_after(contract), 1
    )
    return items[0] if items else None


def _errors_by_field(errors: list[FieldError]) -> tuple[dict[str, list[FieldError]], list[FieldError]]:
    placed: dict[str, list[FieldError]] = {}
    general = []
    for error in errors:
        if error.field:
            placed.setdefault(error.field, []).append(error)
        else:
            general.append(error)
    return placed, general


def render_review(
    contract: Contract, status: int = 200, action: str | None = None, errors: list[FieldError] = (), form=None
):
    """The review page; after a refused action, that action's form shows its errors and the values entered."""
    reviewer = can_review(current_user, contract)
    notes = forms.notes_from_findings(contract.findings, forms.DETAIL_ANCHORS)
    placed, general = _errors_by_field(list(errors))
    entered = form if form is not None else {}

    def value(for_action: str, name: str, default=""):
        """What a form input shows: the value just entered in that form, or its default."""
        return entered.get(name, "") if action == for_action else default

    allowed = workflow.review_actions(contract.status) if reviewer else set()
    pending = contract.pending_proposal
    if pending is None:
        allowed.discard("approve")
    can_reassign = has_permission(current_user, Permission.CONTRACT_REASSIGN) and workflow.allows(
        "reassign", contract.status
    )
    stations = (
        db.session.scalars(
            select(Station).where(Station.active.is_(True), Station.id != contract.station_id).order_by(Station.code)
        ).all()
        if can_reassign
        else []
    )
    page = render_template(
        "station/contract.html",
        contract=contract,
        notes=notes,
        notes_by_field=forms.by_anchor(notes),
        reviewer=reviewer,
        allowed=allowed,
        pending=pending,
        action=action,
        errors=placed,
        general_errors=general,
        entered_grounds=set(entered.getlist("grounds")) if action == "refuse" and entered else set(),
        value=value,
        amendment_due=today_local() + timedelta(days=amendment_days(find_rule_set(contract.rule_set))),
        rule_set=find_rule_set(contract.rule_set),
        can_reassign=can_reassign,
        stations=stations,
        next_contract=_next_in_queue(contract) if reviewer else None,
        accept_hint=accept_preview(contract) if "accept" in allowed else None,
        changed=resubmission_changes(contract),
        confirm=confirmations(contract, pending),
        opinion=experts.latest_opinion(contract),
        held_by=deadlines.holder(contract),
        promised_due_on=deadlines.promised_due_on(contract),
    )
    return page, status


@bp.route("/contracts/<int:contract_id>")
@signed_in
def contract(contract_id: int):
    """Everything filed, the findings, the attachments, the deadline, the history and the decisions allowed."""
    contract = load_visible(current_user, contract_id)
    if not any(
        has_permission(current_user, p) for p in (Permission.CONTRACT_READ_STATION, Permission.CONTRACT_READ_ALL)
    ):
        abort(403)  # the filer follows its filing on its own page
    return render_review(contract)


def decide(contract_id: int, action: str, call, done):
    """Load (404 unless visible, 403 unless the user reviews it), run one service call, commit, flash, go back;
    a refused action renders the page again with its errors and the values entered."""
    contract = load_visible(current_user, contract_id)
    if not can_review(current_user, contract):
        abort(403)
    try:
        call(contract)
    except DomainError as error:
        transaction.refused(error)
        errors = error.errors or [FieldError(error.code, None, error.detail)]
        return render_review(contract, error.status, action, errors, request.form)
    flash(done(contract), "success")
    return redirect(url_for(".contract", contract_id=contract.id))


@bp.route("/contracts/<int:contract_id>/accept", methods=["POST"])
@signed_in
def accept(contract_id: int):
    """Accept the filing: the decision clock starts."""
    return decide(
        contract_id,
        "accept",
        lambda c: review.accept(current_user, c),
        lambda c: (
            t("Accepted and sent to the expert panel. The decision is due by %(date)s.", date=c.due_on.isoformat())
            if c.status == "expert_review"
            else t("Accepted. The decision is due by %(date)s.", date=c.due_on.isoformat())
        ),
    )


def _reasons(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


@bp.route("/contracts/<int:contract_id>/expert-review", methods=["POST"])
@signed_in
def send_to_experts(contract_id: int):
    """Send the accepted filing to the expert panel, with the reason."""
    return decide(
        contract_id,
        "send_to_experts",
        lambda c: experts.send_to_experts(current_user, c, request.form.get("reason")),
        lambda c: t("Sent to the expert panel. The decision is due by %(date)s.", date=c.due_on.isoformat()),
    )


@bp.route("/contracts/<int:contract_id>/history/<int:change_id>/opinion.pdf")
@signed_in
def expert_opinion_file(contract_id: int, change_id: int):
    """The expert panel's signed opinion (PDF) recorded with this history entry: for the station and the bureau."""
    contract = load_visible(current_user, contract_id)
    if not any(
        has_permission(current_user, p) for p in (Permission.CONTRACT_READ_STATION, Permission.CONTRACT_READ_ALL)
    ):
        abort(403)
    change = next((h for h in contract.history if h.id == change_id), None)
    stored = ((change.details or {}).get("file") if change is not None else None) or None
    if stored is None:
        abort(404)
    return send_stored(stored["sha256"], "application/pdf", stored["filename"], inline=True, csp=ATTACHMENT_CSP)


@bp.route("/contracts/<int:contract_id>/request-amendment", methods=["POST"])
@signed_in
def request_amendment(contract_id: int):
    """Return the filing to the applicant: one reason a line, and a due date for the amended materials."""
    form = request.form
    return decide(
        contract_id,
        "request_amendment",
        lambda c: review.request_amendment(
            current_user, c, _reasons(form.get("reasons")), form_date(form.get("due_on"), "due_on")
        ),
        lambda c: t("Returned to the applicant for amendment by %(date)s.", date=c.amendment_due_on.isoformat()),
    )


@bp.route("/contracts/<int:contract_id>/refuse", methods=["POST"])
@signed_in
def refuse(contract_id: int):
    """Refuse registration (未予登记) on the grounds checked, with a note."""
    form = request.form
    return decide(
        contract_id,
        "refuse",
        lambda c: review.refuse(current_user, c, form.getlist("grounds"), form.get("note")),
        lambda c: t("Registration refused."),
    )


def _registration(form) -> dict:
    """The register form's values as review.register takes them (an unreadable amount is a field error)."""
    return {
        "category": form.get("category") or "",
        "subtype": form.get("subtype") or "",
        "certified_technical_amount": parse_amount(
            form.get("certified_technical_amount"), "certified_technical_amount"
        ),
        "note": (form.get("note") or "").strip() or None,
        "correction_reasons": {
            field: form.get(f"correction_reasons.{field}", "")
            for field in ("category", "subtype", "certified_technical_amount")
        },
    }


def _registered_message(contract: Contract) -> str:
    if contract.status == "registered":
        return t("Registered under number %(number)s.", number=contract.registration_number)
    return t("Proposed for registration: another reviewer of the station must approve it.")


@bp.route("/contracts/<int:contract_id>/register", methods=["POST"])
@signed_in
def register(contract_id: int):
    """Register with the classification and the certified amount (corrections need reasons); above the rule
    set's threshold this proposes, and another reviewer approves."""
    return decide(
        contract_id,
        "register",
        lambda c: review.register(current_user, c, **_registration(request.form)),
        _registered_message,
    )


def _changed_message(contract: Contract) -> str:
    if contract.pending_change is not None:
        return t("Change proposed: another reviewer of the station must approve it.")
    return t("The registration has been changed (version %(n)s).", n=contract.version)


def _approved_message(contract: Contract) -> str:
    last = (contract.history[-1].details or {}) if contract.history else {}
    return _changed_message(contract) if last.get("action") == "change" else _registered_message(contract)


@bp.route("/contracts/<int:contract_id>/approve", methods=["POST"])
@signed_in
def approve(contract_id: int):
    """The second reviewer approves the pending registration or change."""
    return decide(contract_id, "approve", lambda c: review.approve(current_user, c), _approved_message)


def _changes(form) -> dict:
    """The change form's values as review.change takes them; an empty input changes nothing, an unreadable amount
    or date is a field error."""
    changes = {name: (form.get(name) or "").strip() or None for name in ("title", "category", "subtype")}
    for name in ("certified_technical_amount", "amount"):
        text = (form.get(name) or "").strip()
        changes[name] = parse_amount(text, name) if text else None
    text = (form.get("valid_until") or "").strip()
    changes["valid_until"] = form_date(text, "valid_until") if text else None
    return changes


@bp.route("/contracts/<int:contract_id>/change", methods=["POST"])
@signed_in
def change(contract_id: int):
    """Change the registered facts (a new certificate version), with the reason; where four eyes are needed
    this proposes, and another reviewer approves."""
    form = request.form
    return decide(
        contract_id,
        "change",
        lambda c: review.change(current_user, c, _changes(form), form.get("reason")),
        _changed_message,
    )


@bp.route("/contracts/<int:contract_id>/cancel", methods=["POST"])
@signed_in
def cancel(contract_id: int):
    """Cancel the registration (注销), with the reason."""
    return decide(
        contract_id,
        "cancel",
        lambda c: review.cancel(current_user, c, request.form.get("reason")),
        lambda c: t("The registration has been cancelled."),
    )


@bp.route("/contracts/<int:contract_id>/revoke", methods=["POST"])
@signed_in
def revoke(contract_id: int):
    """Revoke the registration (撤销), with the reason."""
    return decide(
        contract_id,
        "revoke",
        lambda c: review.revoke(current_user, c, request.form.get("reason")),
        lambda c: t("The registration has been revoked."),
    )


@bp.route("/contracts/<int:contract_id>/requests/<int:request_id>/approve", methods=["POST"])
@signed_in
def approve_request(contract_id: int, request_id: int):
    """Approve the applicant's request (a change, a supplement or a cancellation), with an optional note."""
    return decide(
        contract_id,
        "approve_request",
        lambda c: contract_requests.approve(current_user, request_id, request.form.get("note"), contract=c),
        lambda c: (
            t("The request is approved.")
            if c.status != "registered" or c.pending_change is None
            else t("The request is approved once; a second reviewer of the station must approve the change.")
        ),
    )


@bp.route("/contracts/<int:contract_id>/requests/<int:request_id>/refuse", methods=["POST"])
@signed_in
def refuse_request(contract_id: int, request_id: int):
    """Refuse the applicant's request, with the note the applicant reads."""
    return decide(
        contract_id,
        "refuse_request",
        lambda c: contract_requests.refuse(current_user, request_id, request.form.get("note"), contract=c),
        lambda c: t("The request is refused."),
    )
