"""The station's answer to a tax office's objection, written once: by the answer itself, and by the second
reviewer's approval of the change a "corrected" answer proposed (review.approve calls `settle_by_approval`)."""

from __future__ import annotations

from sqlalchemy import select

from app.domain.clock import local, now_utc
from app.extensions import db
from app.filing.services.history import transition
from app.models import Contract, RegistrationProposal, TaxObjection
from app.tax.services import taxfeed


def described(objection: TaxObjection) -> dict:
    """The objection as the feed and the timeline carry it (never the officer's e-mail)."""
    return {
        "id": objection.id,
        "reason": objection.reason,
        "tax_office": objection.tax_office,
        "raised_at": local(objection.raised_at).isoformat() if objection.raised_at else None,
        "status": objection.status,
        "outcome": objection.outcome,
        "note": objection.answer_note,
        "version": objection.version,
    }


def settle(actor, objection: TaxObjection, outcome: str, note: str) -> TaxObjection:
    """Record the station's answer: on the timeline (audited), in the feed, on the objection."""
    contract = objection.contract
    objection.status, objection.outcome, objection.answer_note = "answered", outcome, note
    objection.answered_by_id, objection.answered_at = actor.id, now_utc()
    objection.version = contract.version if outcome == "corrected" else None
    transition(
        contract,
        actor,
        contract.status,
        note=note,
        details={
            "action": "objection_answered",
            "objection_id": objection.id,
            "outcome": outcome,
            "version": objection.version,
            "proposed_by": objection.proposed_by_id,
        },
    )
    taxfeed.record(contract, "objection_answered", objection=described(objection))
    return objection


def settle_with_registration(actor, contract: Contract, to_status: str, reason: str) -> None:
    """The registration ends (cancelled or revoked) while an objection is still open: the end answers it, so no
    objection waits for an answer the station can no longer give."""
    waiting = db.session.scalars(
        select(TaxObjection).where(TaxObjection.contract_id == contract.id, TaxObjection.status == "open")
    )
    for objection in waiting:
        objection.proposal, objection.proposed_by_id = None, None  # a proposed correction was withdrawn with it
        settle(actor, objection, to_status, reason)


def settle_by_approval(actor, contract: Contract, proposal: RegistrationProposal) -> None:
    """A second reviewer approved a change: an open objection whose answer proposed it is answered "corrected"."""
    waiting = db.session.scalars(
        select(TaxObjection).where(
            TaxObjection.contract_id == contract.id,
            TaxObjection.proposal_id == proposal.id,
            TaxObjection.status == "open",
        )
    )
    for objection in waiting:
        settle(actor, objection, "corrected", objection.answer_note or proposal.note or "")
