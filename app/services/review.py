"""Station decisions: accept, request amendment, refuse, register (with four eyes above the threshold),
and after registration change, cancel and revoke; the bureau reassigns. Each is one audited transition."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from app.auth.permissions import Permission, can_review, has_permission
from app.domain.catalogue import CATEGORIES, REFUSAL_GROUNDS, SUBTYPES
from app.domain.clock import now_utc, today_local
from app.domain.rules import rule_set_by_code
from app.errors import Conflict, FieldError, Forbidden, ValidationFailed
from app.extensions import db
from app.models import Contract, RegistrationProposal, Station
from app.services import audit, certificates, claims, deadlines, mail, stats_facts, taxfeed
from app.services.history import transition
from app.services.numbering import next_number
from app.web.i18n import t

UNDECIDED = ("submitted", "accepted", "amendment_requested")


def _require_reviewer(actor, contract: Contract, *statuses: str) -> None:
    if not can_review(actor, contract):
        raise Forbidden(t("Only a reviewer of the responsible station may decide on this filing."))
    if statuses and contract.status not in statuses:
        raise Conflict(t("This action is not possible in status %(status)s.", status=contract.status))


def _invalid(code: str, field: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, [FieldError(code, field, message)])


def _require_text(value: str | None, field: str) -> str:
    text = (value or "").strip()
    if not text:
        raise _invalid("required", field, t("Give a reason."))
    return text


def accept(actor, contract: Contract) -> Contract:
    """Accept the filing for review; the decision clock starts (or restarts where the rule set says so)."""
    _require_reviewer(actor, contract, "submitted")
    started = deadlines.on_acceptance(contract)
    contract.accepted_at = now_utc()
    contract.amendment_due_on = None
    transition(contract, actor, "accepted", details={"due_on": contract.due_on, "clock_started": started})
    mail.notify_applicant(contract, "accepted")
    return contract


def request_amendment(actor, contract: Contract, reasons: list[str], due_on: date) -> Contract:
    """Return the filing to the applicant with reasons and a due date for the amended materials."""
    _require_reviewer(actor, contract, "submitted", "accepted")
    reasons = [r.strip() for r in reasons or [] if r and r.strip()]
    if not reasons:
        raise _invalid("required", "reasons", t("State at least one reason."))
    if due_on is None or due_on <= today_local():
        raise _invalid("due_on.past", "due_on", t("The due date must be after today."))
    contract.amendment_due_on = due_on
    transition(contract, actor, "amendment_requested", note="；".join(reasons),
               details={"reasons": reasons, "due_on": due_on})
    mail.notify_applicant(contract, "amendment_requested", reasons=reasons, due_on=due_on)
    return contract


def refuse(actor, contract: Contract, grounds: list[str], note: str | None) -> Contract:
    """Refuse registration (未予登记) on stated grounds, with a note."""
    _require_reviewer(actor, contract, *UNDECIDED)
    grounds = list(dict.fromkeys(grounds or []))
    if not grounds:
        raise _invalid("required", "grounds", t("Choose at least one ground."))
    unknown = [g for g in grounds if g not in REFUSAL_GROUNDS]
    if unknown:
        raise _invalid("code.unknown", "grounds", t("Unknown ground: %(codes)s", codes=", ".join(unknown)))
    note = _require_text(note, "note")
    contract.decided_at = now_utc()
    transition(contract, actor, "refused", note=note, details={"grounds": grounds})
    mail.notify_applicant(contract, "refused", grounds=[REFUSAL_GROUNDS[g].zh for g in grounds], note=note)
    return contract


def _corrections(contract: Contract, category: str, subtype: str, amount: Decimal,
                 reasons: dict[str, str]) -> dict:
    """What the station changes from the filing, each with its reason (a correction without one is refused)."""
    proposed = {"category": category, "subtype": subtype, "certified_technical_amount": amount}
    filed = {"category": contract.category, "subtype": contract.subtype,
             "certified_technical_amount": contract.technical_amount}
    corrections, missing = {}, []
    for field, value in proposed.items():
        if value != filed[field]:
            reason = (reasons.get(field) or "").strip()
            if not reason:
                missing.append(FieldError("correction.reason_required", f"correction_reasons.{field}",
                                          t("Give the reason for this correction.")))
            corrections[field] = {"from": filed[field], "to": value, "reason": reason}
    if missing:
        raise ValidationFailed(t("Each correction needs a reason."), missing)
    return corrections


def _check_classification(contract: Contract, category: str, subtype: str, amount: Decimal) -> None:
    rule_set = rule_set_by_code(contract.rule_set)
    if category not in CATEGORIES or category not in rule_set.categories:
        raise _invalid("code.unknown", "category", t("This category does not exist under the rule set applied."))
    if subtype not in SUBTYPES.get(category, {}):
        raise _invalid("subtype.mismatch", "subtype", t("The sub-type does not belong to the category."))
    if amount is None or amount < 0 or (contract.amount is not None and amount > contract.amount):
        raise _invalid("amount.certified_range", "certified_technical_amount",
                       t("The certified technical amount must be between 0 and the contract amount."))


def register(actor, contract: Contract, category: str, subtype: str, certified_technical_amount: Decimal,
             note: str | None = None, correction_reasons: dict[str, str] | None = None) -> Contract:
    """Register the filing; above the rule set's threshold it waits for a second reviewer's approval."""
    _require_reviewer(actor, contract, "accepted")
    _check_classification(contract, category, subtype, certified_technical_amount)
    corrections = _corrections(contract, category, subtype, certified_technical_amount, correction_reasons or {})
    _withdraw_pending(contract)
    proposal = RegistrationProposal(
        proposed_by_id=actor.id, category=category, subtype=subtype,
        certified_technical_amount=certified_technical_amount, corrections=audit.json_safe(corrections), note=note)
    contract.proposals.append(proposal)
    threshold = rule_set_by_code(contract.rule_set).second_review_threshold
    if certified_technical_amount >= threshold:
        db.session.flush()
        audit.record(actor, "contract.registration_proposed", "contract", contract.id, None,
                     {"proposal_id": proposal.id, "certified_technical_amount": certified_technical_amount,
                      "corrections": proposal.corrections})
        return contract
    return _finalise(contract, proposal, actor, approved_by=None)


def _withdraw_pending(contract: Contract) -> None:
    """A new proposal or a reassignment replaces whatever was waiting for approval."""
    for proposal in contract.proposals:
        if proposal.status == "pending":
            proposal.status = "withdrawn"


def approve(actor, contract: Contract) -> Contract:
    """A second reviewer of the same station approves a pending registration (never the proposer)."""
    _require_reviewer(actor, contract, "accepted")
    proposal = contract.pending_proposal
    if proposal is None:
        raise Conflict(t("No registration is waiting for approval."))
    if proposal.proposed_by_id == actor.id:
        raise Forbidden(t("The second approval must come from another reviewer."))
    return _finalise(contract, proposal, proposal.proposed_by, approved_by=actor)


def _finalise(contract: Contract, proposal: RegistrationProposal, registered_by, approved_by) -> Contract:
    """Assign the number and register, in this transaction: a failure later rolls the number back too."""
    today = today_local()
    contract.registration_number = next_number(contract.station, today.year)
    contract.category, contract.subtype = proposal.category, proposal.subtype
    contract.certified_technical_amount = proposal.certified_technical_amount
    contract.registered_on, contract.decided_at, contract.version = today, now_utc(), 1
    contract.registered_by_id = registered_by.id
    contract.approved_by_id = approved_by.id if approved_by else None
    proposal.status = "approved"
    proposal.decided_by_id = (approved_by or registered_by).id
    proposal.decided_at = now_utc()
    actor = approved_by or registered_by
    transition(contract, actor, "registered", note=proposal.note, details={
        "registration_number": contract.registration_number, "corrections": proposal.corrections,
        "certified_technical_amount": contract.certified_technical_amount,
        "registered_by": registered_by.id, "approved_by": approved_by.id if approved_by else None})
    certificates.issue(actor, contract)  # no number without a certificate: a failure rolls both back
    taxfeed.record(contract, "registered")  # the tax office hears of it in the same transaction
    stats_facts.refresh_contract(contract)  # and the statistics count it
    claims.confirm_by_registration(actor, contract)  # the station checked the seller's documents
    mail.notify_applicant(contract, "registered")
    return contract


CHANGEABLE = ("title", "category", "subtype", "certified_technical_amount")


def change(actor, contract: Contract, changes: dict, reason: str | None) -> Contract:
    """Change a registration: a new version of its registered facts, with the reason."""
    _require_reviewer(actor, contract, "registered")
    reason = _require_text(reason, "reason")
    changes = {k: v for k, v in changes.items() if k in CHANGEABLE and v is not None and v != getattr(contract, k)}
    if not changes:
        raise _invalid("change.empty", "changes", t("Nothing would change."))
    category = changes.get("category", contract.category)
    subtype = changes.get("subtype", contract.subtype)
    _check_classification(contract, category, subtype,
                          changes.get("certified_technical_amount", contract.certified_technical_amount))
    before = {k: getattr(contract, k) for k in changes}
    for key, value in changes.items():
        setattr(contract, key, value)
    contract.version += 1
    transition(contract, actor, "registered", note=reason,
               details={"action": "change", "version": contract.version, "before": before, "after": changes})
    certificates.issue(actor, contract)  # version N+1; the earlier one is marked superseded
    taxfeed.record(contract, "changed")
    stats_facts.refresh_contract(contract)
    mail.notify_applicant(contract, "changed", reason=reason)
    return contract


def _end_registration(actor, contract: Contract, to_status: str, reason: str | None) -> Contract:
    _require_reviewer(actor, contract, "registered")
    reason = _require_text(reason, "reason")
    transition(contract, actor, to_status, note=reason, details={"registration_number": contract.registration_number})
    taxfeed.record(contract, to_status)  # "cancelled" or "revoked"
    stats_facts.refresh_contract(contract)  # no longer counted
    mail.notify_applicant(contract, to_status, reason=reason)
    return contract


def cancel(actor, contract: Contract, reason: str | None) -> Contract:
    """Cancel a registration (注销), e.g. the contract was terminated."""
    return _end_registration(actor, contract, "cancelled", reason)


def revoke(actor, contract: Contract, reason: str | None) -> Contract:
    """Revoke a registration (撤销), e.g. obtained by false materials."""
    return _end_registration(actor, contract, "revoked", reason)


def reassign(actor, contract: Contract, station: Station | None, reason: str | None) -> Contract:
    """The bureau moves an undecided filing to another station, with a reason."""
    if not has_permission(actor, Permission.CONTRACT_REASSIGN):
        raise Forbidden(t("Only the bureau reassigns filings."))
    if contract.status not in UNDECIDED:
        raise Conflict(t("This action is not possible in status %(status)s.", status=contract.status))
    if station is None or not station.active:
        raise _invalid("station.unknown", "station", t("Choose an active station."))
    if station.id == contract.station_id:
        raise _invalid("station.same", "station", t("The filing is already with this station."))
    reason = _require_text(reason, "reason")
    before = contract.station.code if contract.station else None
    contract.station = station
    _withdraw_pending(contract)
    transition(contract, actor, contract.status, note=reason,
               details={"action": "reassign", "from_station": before, "to_station": station.code})
    return contract
