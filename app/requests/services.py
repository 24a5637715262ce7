"""Requests after registration (2024 draft art. 16; 2001 rules art. 51 for amounts supplemented later).

The applicant of the contract's organisation asks; a reviewer of the responsible station approves or refuses with a
note. An approval is the station's own act: a change or supplement goes through `review.change` (a new certificate
version, a "changed" feed event, the one four-eyes rule: where a second reviewer is needed the first approval is a
change proposal and the request stays pending until it is approved), a cancellation through `review.cancel`."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import select

from app import mail
from app.audit.services import audit
from app.auth.permissions import can_file, can_review, can_view
from app.domain import workflow
from app.domain.findings import blocking
from app.domain.rules import check_filing, find_rule_set
from app.errors import Conflict, FieldError, Forbidden, NotFound, ValidationFailed
from app.extensions import db
from app.filing.services import contracts as filing_contracts
from app.filing.services.contracts import PARTY_FIELDS
from app.filing.services.history import transition
from app.i18n import current_language, t
from app.models import Contract, ContractRequest
from app.models.base import MAX_ID
from app.models.request import REQUEST_KINDS
from app.review.services import review

# What each kind may change. A change may replace the deduction rows and the other parties (each a full list); the
# first seller and buyer are not changeable by a request (the registration and its station depend on them).
REQUEST_FIELDS: dict[str, tuple[str, ...]] = {
    "change": ("amount", "technical_amount", "valid_until", "deductions", "other_parties"),
    "supplement": ("amount", "technical_amount"),
    "cancel": (),
}
FIRST_PARTIES = ("seller", "buyer")
# the filing's findings a change answers for: the paths each changed field's checks report on
_CHECKED_PATHS = {
    "deductions": ("deductions", "technical_amount", "amount"),
    "other_parties": ("other_parties",),
}


def _invalid(code: str, field: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, [FieldError(code, field, message)])


def _check_changes(contract: Contract, kind: str, changes: dict) -> dict:
    """The changes the kind allows, each a real change, holding together with the facts in force."""
    allowed = REQUEST_FIELDS[kind]
    first = [k for k in FIRST_PARTIES if k in changes]
    if first:
        raise _invalid(
            "request.party_not_changeable",
            f"changes.{first[0]}",
            t(
                "The first seller and buyer cannot be changed by a request: the registration and its station depend on them."
            ),
        )
    foreign = sorted(k for k in changes if k not in allowed)
    if foreign:
        raise _invalid(
            "request.field_not_allowed",
            f"changes.{foreign[0]}",
            t("A request of this kind cannot change: %(fields)s", fields=", ".join(foreign)),
        )
    changes = {k: v for k, v in changes.items() if v is not None}
    if kind == "cancel":
        return {}
    if kind == "supplement":
        if contract.amount_fixed is not False:
            raise Conflict(t("The amount of this contract was fixed at signing: ask a change instead."))
        for name in ("amount", "technical_amount"):
            if name not in changes:
                raise _invalid(
                    "required", f"changes.{name}", t("A supplement states the amount and the technical amount.")
                )
    elif contract.amount_fixed is False and ({"amount", "technical_amount", "deductions"} & changes.keys()):
        raise _invalid(
            "request.use_supplement",
            "changes.amount",
            t("The amount was not fixed at signing: supplement it with a request of kind supplement."),
        )
    changes = _normalised(changes)
    technical_given = "technical_amount" in changes
    changes = {k: v for k, v in changes.items() if v != review.in_force(contract, k)}
    if "deductions" in changes and not technical_given:
        computed = _technical(changes.get("amount", contract.amount), changes["deductions"])
        if computed is not None and computed != contract.technical_amount:
            changes["technical_amount"] = computed  # as the filing computes it: the amount minus the deductions
    if not changes:
        raise _invalid("change.empty", "changes", t("Nothing would change."))
    _check_as_filed(contract, changes)
    amount = changes.get("amount", contract.amount)
    technical = changes.get("technical_amount", contract.technical_amount)
    if "amount" in changes and amount <= 0:
        raise _invalid("amount.not_positive", "changes.amount", t("The contract amount must be more than zero."))
    if technical is not None and (technical < 0 or (amount is not None and technical > amount)):
        raise _invalid(
            "amount.technical_range",
            "changes.technical_amount",
            t("The technical amount must be between 0 and the contract amount."),
        )
    valid_until = changes.get("valid_until")
    if valid_until is not None and contract.valid_from is not None and valid_until < contract.valid_from:
        raise _invalid("date.order", "changes.valid_until", t("The validity cannot end before it begins."))
    return changes


def _normalised(changes: dict) -> dict:
    """The lists as rows of every field, in the shape the facts in force are compared in (a party's country
    defaults to China, as filed)."""
    out = dict(changes)
    if "deductions" in out:
        out["deductions"] = [
            {"kind": d.get("kind"), "description": d.get("description"), "amount": d.get("amount")}
            for d in out["deductions"]
        ]
    if "other_parties" in out:
        out["other_parties"] = [
            {
                "role": p.get("role"),
                **{name: p.get(name) for name in PARTY_FIELDS if name != "country"},
                "country": p.get("country") or "156",
            }
            for p in out["other_parties"]
        ]
    return out


def _technical(amount: Decimal | None, deductions: list[dict]) -> Decimal | None:
    """The contract amount minus the deductions, while every amount is known."""
    deducted = [d["amount"] for d in deductions]
    if amount is None or None in deducted:
        return None
    return amount - sum(deducted, Decimal("0.00"))


def _check_as_filed(contract: Contract, changes: dict) -> None:
    """Changed deductions and other parties pass the filing's own checks of the contract's rule set, on the facts
    after the change: each error is refused with the path of the change it concerns ("changes.other_parties.0.
    credit_code")."""
    paths = tuple(p for field, fields in _CHECKED_PATHS.items() if field in changes for p in fields)
    if not paths:
        return
    after = filing_contracts.after_change(contract, changes)
    findings = check_filing(after, filing_contracts.check_context(contract), find_rule_set(contract.rule_set))
    lang = current_language()
    errors = [
        FieldError(f.code, f"changes.{f.field}", f.message(lang))
        for f in blocking(findings)
        if f.field and any(f.field == p or f.field.startswith(f"{p}.") for p in paths)
    ]
    if errors:
        raise ValidationFailed(errors[0].message, errors)


def create(actor, contract: Contract, kind: str, changes: dict | None, reason: str | None) -> ContractRequest:
    """The applicant asks the station to change, supplement or cancel the registration (one request at a time)."""
    if not can_file(actor, contract):
        raise Forbidden(t("Only an applicant of the contract's organisation makes requests on it."))
    if not workflow.allows("request", contract.status):
        raise Conflict(t("Requests are possible only on a registered contract."))
    if kind not in REQUEST_KINDS:
        raise _invalid("code.unknown", "kind", t("Unknown kind of request."))
    reason = (reason or "").strip()
    if not reason:
        raise _invalid("required", "reason", t("Give a reason."))
    if any(r.status == "pending" for r in contract.requests):
        raise Conflict(t("A request on this contract is already waiting for the station's decision."))
    changes = _check_changes(contract, kind, dict(changes or {}))
    request = ContractRequest(
        kind=kind, status="pending", changes=_json(changes), reason=reason, created_by_id=actor.id
    )
    contract.requests.append(request)
    db.session.flush()
    transition(
        contract,
        actor,
        contract.status,
        note=reason,
        details={"action": "request_made", "request_id": request.id, "kind": kind, "changes": request.changes},
    )
    mail.notify_station(contract, "request_made", request=request)
    return request


def _json(changes: dict) -> dict:
    """Amounts as two-decimal strings, dates as ISO text, lists as rows of these."""
    return audit.json_safe(changes)


def _from_json(field: str, value):
    if value is None:
        return None
    if field == "valid_until":
        return date.fromisoformat(value)
    if field == "deductions":
        return [{**d, "amount": None if d.get("amount") is None else Decimal(d["amount"])} for d in value]
    if field == "other_parties":
        return [dict(p) for p in value]
    return Decimal(value)


def _typed(request: ContractRequest) -> dict:
    """The request's changes (JSON) as the station's change takes them: the technical amount asked is what the
    station certifies; a supplement fixes the open amount."""
    changes = {field: _from_json(field, value) for field, value in request.changes.items()}
    if "technical_amount" in changes:
        changes["certified_technical_amount"] = changes["technical_amount"]
    if request.kind == "supplement":
        changes["amount_fixed"] = True
    return changes


def _for_station(actor, request_id: int, contract: Contract | None) -> ContractRequest:
    """The request (on `contract`, when given) if the actor sees its contract (else 404), and decides on it (else
    403), while pending (409)."""
    request = db.session.get(ContractRequest, request_id) if 0 < request_id <= MAX_ID else None
    if request is None or (contract is not None and request.contract_id != contract.id) or not _visible(actor, request):
        raise NotFound("request not found")
    contract = request.contract
    if not can_review(actor, contract):
        raise Forbidden(t("Only a reviewer of the responsible station decides on requests."))
    if request.status != "pending" or not workflow.allows("decide_request", contract.status):
        raise Conflict(t("This request has already been decided."))
    return request


def _visible(actor, request: ContractRequest) -> bool:
    return can_view(actor, request.contract)


def approve(actor, request_id: int, note: str | None, contract: Contract | None = None) -> ContractRequest:
    """Approve: the change or supplement becomes a new version of the registration (or, where four eyes are needed,
    a proposal that a second reviewer's approval applies), the cancellation cancels it."""
    request = _for_station(actor, request_id, contract)
    contract = request.contract
    note = (note or "").strip() or None
    reason = t("At the applicant's request: %(reason)s", reason=request.reason)
    if request.awaits_second_approval:
        request.note = note or request.note
        review.approve(actor, contract)  # never the first approver; settles this request with the change
        return request
    if request.kind == "cancel":
        review.settle_request(actor, contract, request, "approved", note)  # on the timeline before it ends
        review.cancel(actor, contract, reason)
        return request
    review.change(actor, contract, _typed(request), reason, requested=True)
    pending = contract.pending_change
    if pending is not None:  # four eyes: the first approval is a proposal a second reviewer approves
        request.proposal, request.proposed_by_id, request.note = pending, actor.id, note
        return request
    review.settle_request(actor, contract, request, "approved", note)
    return request


def refuse(actor, request_id: int, note: str | None, contract: Contract | None = None) -> ContractRequest:
    """Refuse the request, with the note the applicant reads (required)."""
    request = _for_station(actor, request_id, contract)
    note = (note or "").strip()
    if not note:
        raise _invalid("required", "note", t("Give a reason."))
    contract = request.contract
    if request.proposal is not None and request.proposal.status == "pending":
        request.proposal.status = "withdrawn"  # the change a first approval proposed goes with the request
    review.settle_request(actor, contract, request, "refused", note)
    return request


def for_contract(user, contract: Contract) -> list[ContractRequest]:
    """The contract's requests, oldest first (whoever sees the contract sees them)."""
    return list(contract.requests)


def pending_for_station(station_id: int | None) -> list[ContractRequest]:
    """The requests waiting for a decision of the station, oldest first (the queue's callout)."""
    if station_id is None:
        return []
    return list(
        db.session.scalars(
            select(ContractRequest)
            .join(Contract, Contract.id == ContractRequest.contract_id)
            .where(ContractRequest.status == "pending", Contract.station_id == station_id)
            .order_by(ContractRequest.id)
        )
    )
