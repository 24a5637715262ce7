"""Station decisions: accept, request amendment, refuse, register, and after registration change, cancel and revoke
(registration and change under one four-eyes rule); the bureau reassigns. Each is one audited transition."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from app import mail
from app.audit.services import audit
from app.auth.permissions import Permission, can_review, has_permission
from app.certificates import services as certificates
from app.claims import services as claims
from app.domain import four_eyes, workflow
from app.domain.catalogue import CATEGORIES, LEGACY_EQUITY_SUBTYPE, REFUSAL_GROUNDS, SUBTYPES, equity_subtype
from app.domain.clock import now_utc, today_local
from app.domain.four_eyes import Classification
from app.domain.rules import accepted_refusal_codes, find_rule_set, rule_set_by_code
from app.errors import Conflict, FieldError, Forbidden, ValidationFailed
from app.extensions import db
from app.filing.services import contracts as filing_contracts
from app.filing.services import deadlines
from app.filing.services.history import transition
from app.i18n import t
from app.models import Contract, RegistrationProposal, Station
from app.review.services import experts
from app.review.services.numbering import next_number
from app.statistics.services import stats_facts
from app.subsidies.services import claims as subsidy_claims
from app.tax.services import objection_answers, taxfeed


def _require_reviewer(actor, contract: Contract, action: str) -> None:
    if not can_review(actor, contract):
        raise Forbidden(t("Only a reviewer of the responsible station may decide on this filing."))
    if not workflow.allows(action, contract.status):
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
    _require_reviewer(actor, contract, "accept")
    started = deadlines.on_acceptance(contract)
    contract.accepted_at = now_utc()
    contract.amendment_due_on = None
    transition(contract, actor, "accepted", details={"due_on": contract.due_on, "clock_started": started})
    mail.notify_applicant(contract, "accepted")
    if deadlines.goes_to_experts_at_acceptance(contract):
        experts.hand_over(actor, contract, experts.auto_reason(), automatic=True)
    return contract


def request_amendment(actor, contract: Contract, reasons: list[str], due_on: date) -> Contract:
    """Return the filing to the applicant with reasons and a due date for the amended materials."""
    _require_reviewer(actor, contract, "request_amendment")
    reasons = [r.strip() for r in reasons or [] if r and r.strip()]
    if not reasons:
        raise _invalid("required", "reasons", t("State at least one reason."))
    if due_on is None or due_on <= today_local():
        raise _invalid("due_on.past", "due_on", t("The due date must be after today."))
    contract.amendment_due_on = due_on
    transition(
        contract, actor, "amendment_requested", note="；".join(reasons), details={"reasons": reasons, "due_on": due_on}
    )
    mail.notify_applicant(contract, "amendment_requested", reasons=reasons, due_on=due_on)
    return contract


def refuse(actor, contract: Contract, grounds: list[str], note: str | None) -> Contract:
    """Refuse registration (未予登记) on stated grounds, with a note."""
    _require_reviewer(actor, contract, "refuse")
    grounds = list(dict.fromkeys(grounds or []))
    if not grounds:
        raise _invalid("required", "grounds", t("Choose at least one ground."))
    unknown = [g for g in grounds if g not in REFUSAL_GROUNDS]
    if unknown:
        raise _invalid("code.unknown", "grounds", t("Unknown ground: %(codes)s", codes=", ".join(unknown)))
    accepted = accepted_refusal_codes(find_rule_set(contract.rule_set))
    foreign = [g for g in grounds if g not in accepted]
    if foreign:
        raise _invalid(
            "ground.not_in_rule_set",
            "grounds",
            t("Not a ground of this filing's rule set: %(codes)s", codes=", ".join(foreign)),
        )
    note = _require_text(note, "note")
    contract.decided_at = now_utc()
    transition(contract, actor, "refused", note=note, details={"grounds": grounds})
    mail.notify_applicant(contract, "refused", grounds=[REFUSAL_GROUNDS[g].zh for g in grounds], note=note)
    return contract


def certifiable_amount(contract: Contract) -> Decimal | None:
    """The technical amount the filing declares for certification: for an amount not fixed at signing, its fixed
    part, 0.00 when nothing is fixed yet (the rest is supplemented after registration)."""
    if contract.technical_amount is None and contract.amount_fixed is False:
        return Decimal("0.00")
    return contract.technical_amount


def _corrections(
    contract: Contract, category: str, subtype: str, amount: Decimal, reasons: dict[str, str], note: str | None
) -> dict:
    """What the station changes from the filing, each with its reason: the field's own reason, else the note
    (a correction with neither is refused)."""
    proposed = {"category": category, "subtype": subtype, "certified_technical_amount": amount}
    filed = {
        "category": contract.category,
        "subtype": contract.subtype,
        "certified_technical_amount": certifiable_amount(contract),
    }
    corrections, missing = {}, []
    for field, value in proposed.items():
        if value != filed[field]:
            reason = (reasons.get(field) or "").strip() or (note or "").strip()
            if not reason:
                missing.append(
                    FieldError(
                        "correction.reason_required",
                        f"correction_reasons.{field}",
                        t("Give the reason for this correction, in the note or for this field."),
                    )
                )
            corrections[field] = {"from": filed[field], "to": value, "reason": reason}
    if missing:
        raise ValidationFailed(t("Each correction needs a reason."), missing)
    return corrections


def registered_subtype(contract: Contract, subtype: str) -> str:
    """The sub-type a station's decision means: the former sub-type "equity" names the transfer sub-type of a
    contract flagged as contributed as equity; for any other contract it is refused (the flag is the filing's)."""
    if subtype != LEGACY_EQUITY_SUBTYPE:
        return subtype
    if not contract.contributed_as_equity:
        raise _invalid(
            "subtype.equity_is_a_flag",
            "subtype",
            t(
                "Technology as equity is no longer a sub-type but a flag of a transfer contract, set in the filing; "
                "choose the transfer's sub-type."
            ),
        )
    return (
        contract.subtype
        if contract.subtype in SUBTYPES["transfer"]
        else equity_subtype(contract.ip_type, contract.ip_numbers)
    )


def _check_classification(
    contract: Contract,
    category: str,
    subtype: str,
    amount: Decimal,
    contract_amount: Decimal | None = None,
    amount_field: str = "certified_technical_amount",
) -> None:
    """The class exists under the contract's rule set and 0 <= certified amount <= contract amount; a breach of
    the upper bound is reported on `amount_field` (the contract amount, when that is what a change lowers)."""
    rule_set = rule_set_by_code(contract.rule_set)
    if category not in CATEGORIES or category not in rule_set.categories:
        raise _invalid("code.unknown", "category", t("This category does not exist under the rule set applied."))
    if subtype not in SUBTYPES.get(category, {}):
        raise _invalid("subtype.mismatch", "subtype", t("The sub-type does not belong to the category."))
    if amount is None or amount < 0:
        raise _invalid(
            "amount.certified_range",
            "certified_technical_amount",
            t("The certified technical amount must be between 0 and the contract amount."),
        )
    ceiling = contract.amount if contract_amount is None else contract_amount
    if ceiling is not None and amount > ceiling:
        raise _invalid(
            "amount.certified_range",
            amount_field,
            t("The certified technical amount must be between 0 and the contract amount."),
        )


def second_review_reasons(
    contract: Contract, category: str | None, subtype: str | None, certified_technical_amount: Decimal | None
) -> tuple[str, ...]:
    """Why registering or changing the contract to this class and certified amount needs a second reviewer of its
    station (empty: one reviewer may act alone). The one four-eyes rule for registration, change and requests."""
    in_force = contract.status == "registered"
    before = Classification(
        contract.category,
        contract.subtype,
        contract.certified_technical_amount if in_force else contract.technical_amount,
    )
    after = Classification(category, subtype, certified_technical_amount)
    threshold = rule_set_by_code(contract.rule_set).second_review_threshold
    return four_eyes.second_review_reasons(threshold, before, after, in_force=in_force)


def _propose(actor, contract: Contract, proposal: RegistrationProposal, reasons: tuple[str, ...]) -> Contract:
    """Keep the act waiting for a second reviewer; the timeline and the audit log show who proposed what."""
    _withdraw_pending(contract)
    proposal.review_reasons = list(reasons)
    contract.proposals.append(proposal)
    db.session.flush()
    transition(
        contract,
        actor,
        contract.status,
        note=proposal.note,
        details={
            "action": f"{proposal.kind}_proposed",
            "proposal_id": proposal.id,
            "reasons": list(reasons),
            "category": proposal.category,
            "subtype": proposal.subtype,
            "certified_technical_amount": proposal.certified_technical_amount,
            "corrections": proposal.corrections,
            "changes": proposal.changes,
        },
    )
    return contract


def register(
    actor,
    contract: Contract,
    category: str,
    subtype: str,
    certified_technical_amount: Decimal,
    note: str | None = None,
    correction_reasons: dict[str, str] | None = None,
) -> Contract:
    """Register the filing; where the four-eyes rule says so it waits for a second reviewer's approval."""
    _require_reviewer(actor, contract, "register")
    subtype = registered_subtype(contract, subtype)
    _check_classification(contract, category, subtype, certified_technical_amount)
    note = (note or "").strip() or None
    corrections = _corrections(contract, category, subtype, certified_technical_amount, correction_reasons or {}, note)
    proposal = RegistrationProposal(
        kind="registration",
        proposed_by_id=actor.id,
        category=category,
        subtype=subtype,
        certified_technical_amount=certified_technical_amount,
        corrections=audit.json_safe(corrections),
        note=note,
    )
    reasons = second_review_reasons(contract, category, subtype, certified_technical_amount)
    if reasons:
        return _propose(actor, contract, proposal, reasons)
    _withdraw_pending(contract)
    contract.proposals.append(proposal)
    return _finalise(contract, proposal, actor, approved_by=None)


def _withdraw_pending(contract: Contract) -> None:
    """A new proposal, a change applied at once, an ended registration or a reassignment replaces whatever was
    waiting for approval: a proposal is always judged against the facts in force when it is applied."""
    for proposal in contract.proposals:
        if proposal.status == "pending":
            proposal.status = "withdrawn"


def approve(actor, contract: Contract) -> Contract:
    """A second reviewer of the same station approves the pending registration or change (never the proposer)."""
    _require_reviewer(actor, contract, "approve")
    proposal = contract.pending_proposal
    if proposal is None:
        raise Conflict(t("Nothing is waiting for approval."))
    if proposal.proposed_by_id == actor.id:
        raise Forbidden(t("The second approval must come from another reviewer."))
    if proposal.kind == "change":
        changes = {field: _from_json(field, c["to"]) for field, c in proposal.changes.items()}
        _check_change(contract, changes)  # still possible on the facts in force
        _decided(proposal, actor)
        _apply_change(actor, contract, changes, proposal.note, proposal.proposed_by, approved_by=actor)
        for request in contract.requests:  # an applicant's request this change answers is approved with it
            if request.proposal_id == proposal.id and request.status == "pending":
                settle_request(actor, contract, request, "approved", request.note)
        objection_answers.settle_by_approval(actor, contract, proposal)  # and a tax office's objection it answers
        return contract
    return _finalise(contract, proposal, proposal.proposed_by, approved_by=actor)


def _decided(proposal: RegistrationProposal, decided_by) -> None:
    proposal.status = "approved"
    proposal.decided_by_id = decided_by.id
    proposal.decided_at = now_utc()


def _finalise(contract: Contract, proposal: RegistrationProposal, registered_by, approved_by) -> Contract:
    """Assign the number and register, in this transaction: a failure later rolls the number back too."""
    today = today_local()
    contract.registration_number = next_number(contract.station, today.year)
    contract.category, contract.subtype = proposal.category, proposal.subtype
    contract.certified_technical_amount = proposal.certified_technical_amount
    contract.registered_on, contract.decided_at, contract.version = today, now_utc(), 1
    contract.registered_by_id = registered_by.id
    contract.approved_by_id = approved_by.id if approved_by else None
    actor = approved_by or registered_by
    _decided(proposal, actor)
    transition(
        contract,
        actor,
        "registered",
        note=proposal.note,
        details={
            "registration_number": contract.registration_number,
            "corrections": proposal.corrections,
            "certified_technical_amount": contract.certified_technical_amount,
            "registered_by": registered_by.id,
            "approved_by": approved_by.id if approved_by else None,
        },
    )
    certificates.issue(actor, contract)  # no number without a certificate: a failure rolls both back
    taxfeed.record(contract, "registered")  # the tax office hears of it in the same transaction
    stats_facts.refresh_contract(contract)  # and the statistics count it
    claims.confirm_by_registration(actor, contract)  # the station checked the seller's documents
    mail.notify_applicant(contract, "registered")
    return contract


CHANGEABLE = ("title", "category", "subtype", "certified_technical_amount", "amount", "valid_until")
# what an applicant's request may change besides (its technical amount, and a supplement fixes an open amount)
# and its deduction rows and other parties, each a full list replacing the one in force (never the first seller or
# buyer: the registration and its station depend on them)
REQUESTABLE = ("technical_amount", "amount_fixed", "deductions", "other_parties")
LISTS = ("deductions", "other_parties")
_AMOUNTS = ("certified_technical_amount", "amount", "technical_amount")


def in_force(contract: Contract, field: str):
    """A changeable fact in force: a list (deductions, other parties) as rows of plain values, as a request states
    it, any other field as it is."""
    if field in LISTS:
        return filing_contracts.filing_dict(contract)[field]
    return getattr(contract, field)


def _from_json(field: str, value):
    """A proposed value as stored (JSON) back to its type."""
    if value is None:
        return None
    if field == "deductions":
        return [{**row, "amount": None if row.get("amount") is None else Decimal(row["amount"])} for row in value]
    if field in _AMOUNTS:
        return Decimal(value)
    if field == "valid_until":
        return date.fromisoformat(value)
    return value


def _check_change(contract: Contract, changes: dict) -> None:
    """The registered facts after the change hold together: the class exists, the certified amount lies between 0
    and the contract amount, the validity does not end before it begins."""

    def after(field):
        return changes.get(field, getattr(contract, field))

    if "title" in changes and not (changes["title"] or "").strip():
        raise _invalid("required", "title", t("The title cannot be empty."))
    amount_field = "certified_technical_amount"
    if "amount" in changes and "certified_technical_amount" not in changes:
        amount_field = "amount"  # it is the new contract amount that falls below the certified one
    _check_classification(
        contract,
        after("category"),
        after("subtype"),
        after("certified_technical_amount"),
        after("amount"),
        amount_field,
    )
    valid_from, valid_until = contract.valid_from, after("valid_until")
    if valid_from is not None and valid_until is not None and valid_until < valid_from:
        raise _invalid("date.order", "valid_until", t("The validity cannot end before it begins."))


def change(actor, contract: Contract, changes: dict, reason: str | None, *, requested: bool = False) -> Contract:
    """Change a registration: a new version of its registered facts, with the reason; where the four-eyes rule
    says so, the change waits for a second reviewer's approval. `requested`: the change an applicant's request
    asks, which may also change the declared technical amount and fix an open amount."""
    _require_reviewer(actor, contract, "change")
    reason = _require_text(reason, "reason")
    if "subtype" in changes and changes["subtype"] is not None:
        changes = {**changes, "subtype": registered_subtype(contract, changes["subtype"])}
    fields = CHANGEABLE + REQUESTABLE if requested else CHANGEABLE
    changes = {k: v for k, v in changes.items() if k in fields and v is not None and v != in_force(contract, k)}
    if not changes:
        raise _invalid("change.empty", "changes", t("Nothing would change."))
    _check_change(contract, changes)
    category = changes.get("category", contract.category)
    subtype = changes.get("subtype", contract.subtype)
    certified = changes.get("certified_technical_amount", contract.certified_technical_amount)
    reasons = second_review_reasons(contract, category, subtype, certified)
    if reasons:
        proposal = RegistrationProposal(
            kind="change",
            proposed_by_id=actor.id,
            category=category,
            subtype=subtype,
            certified_technical_amount=certified,
            note=reason,
            changes=audit.json_safe({k: {"from": in_force(contract, k), "to": v} for k, v in changes.items()}),
        )
        return _propose(actor, contract, proposal, reasons)
    _withdraw_pending(contract)
    return _apply_change(actor, contract, changes, reason, actor, approved_by=None)


def _apply_change(actor, contract: Contract, changes: dict, reason: str, proposed_by, approved_by) -> Contract:
    """Apply the change: new version, new certificate, a "changed" feed event and fresh statistics, together."""
    before = {k: in_force(contract, k) for k in changes}
    for key, value in changes.items():
        if key == "deductions":
            filing_contracts.set_deductions(contract, value)
        elif key == "other_parties":
            filing_contracts.set_other_parties(contract, value)
        else:
            setattr(contract, key, value)
    contract.version += 1
    transition(
        contract,
        actor,
        "registered",
        note=reason,
        details={
            "action": "change",
            "version": contract.version,
            "before": before,
            "after": changes,
            "proposed_by": proposed_by.id,
            "approved_by": approved_by.id if approved_by else None,
        },
    )
    certificates.issue(actor, contract)  # version N+1; the earlier one is marked superseded
    taxfeed.record(contract, "changed")
    stats_facts.refresh_contract(contract)
    mail.notify_applicant(contract, "changed", reason=reason)
    return contract


def settle_request(actor, contract: Contract, request, outcome: str, note: str | None) -> None:
    """The station's decision on an applicant's request ("approved" or "refused"), on the timeline; the applicant
    hears of a refusal here, of an approval through the change or cancellation it made."""
    request.status, request.note = outcome, note
    request.decided_by_id, request.decided_at = actor.id, now_utc()
    transition(
        contract,
        actor,
        contract.status,
        note=note,
        details={"action": f"request_{outcome}", "request_id": request.id, "kind": request.kind},
    )
    if outcome == "refused":
        mail.notify_applicant(contract, "request_refused", request=request, note=note)


def _end_registration(actor, contract: Contract, to_status: str, reason: str | None) -> Contract:
    _require_reviewer(actor, contract, {"cancelled": "cancel", "revoked": "revoke"}[to_status])
    reason = _require_text(reason, "reason")
    _withdraw_pending(contract)  # a change waiting for approval ends with the registration
    for request in contract.requests:  # and so does an applicant's request still waiting
        if request.status == "pending":
            settle_request(
                actor, contract, request, "refused", t("The registration ended before the request was decided.")
            )
    objection_answers.settle_with_registration(actor, contract, to_status, reason)  # answered by the end
    transition(contract, actor, to_status, note=reason, details={"registration_number": contract.registration_number})
    taxfeed.record(contract, to_status)  # "cancelled" or "revoked"
    stats_facts.refresh_contract(contract)  # no longer counted
    mail.notify_applicant(contract, to_status, reason=reason)
    subsidy_claims.flag_registration(actor, contract, to_status, reason)  # not payable until the bureau decides
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
    if not workflow.allows("reassign", contract.status):
        raise Conflict(t("This action is not possible in status %(status)s.", status=contract.status))
    if station is None or not station.active:
        raise _invalid("station.unknown", "station", t("Choose an active station."))
    if station.id == contract.station_id:
        raise _invalid("station.same", "station", t("The filing is already with this station."))
    reason = _require_text(reason, "reason")
    before = contract.station.code if contract.station else None
    contract.station = station
    _withdraw_pending(contract)
    transition(
        contract,
        actor,
        contract.status,
        note=reason,
        details={"action": "reassign", "from_station": before, "to_station": station.code},
    )
    return contract
