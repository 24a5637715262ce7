"""Station actions on a contract (reviewers of the responsible station) and reassignment (bureau)."""

from __future__ import annotations

from flask_login import current_user

from app.api.blueprint import Blueprint
from app.auth.permissions import load_visible, signed_in
from app.filing.schemas import ContractOut
from app.filing.services import contracts
from app.review.schemas import (
    ChangeIn,
    EmptyIn,
    ExpertOpinionIn,
    ReasonIn,
    ReassignIn,
    RefuseIn,
    RegisterIn,
    RequestAmendmentIn,
)
from app.review.services import experts, review
from app.stations import lookup as station_lookup

blp = Blueprint("review_api", __name__, description="Station decisions on filings")
ACTION_PROBLEMS = (400, 401, 403, 404, 409, 415)  # 422 comes with the body's schema


def _act(contract_id: int, action, *args, **kwargs):
    """Load the contract (404 if not visible), run one service action, commit."""
    contract = load_visible(current_user, contract_id, contracts.API_ITEM_LOAD)
    action(current_user, contract, *args, **kwargs)
    return contract


@blp.route("/<int:contract_id>/accept", methods=["POST"])
@signed_in
@blp.arguments(EmptyIn, required=False)
@blp.response(200, ContractOut)
@blp.problems(*ACTION_PROBLEMS)
def accept(data, contract_id):
    """Accept the filing for review; the decision clock starts."""
    return _act(contract_id, review.accept)


@blp.route("/<int:contract_id>/request-amendment", methods=["POST"])
@signed_in
@blp.arguments(RequestAmendmentIn)
@blp.response(200, ContractOut)
@blp.problems(*ACTION_PROBLEMS)
def request_amendment(data, contract_id):
    """Return the filing for amendment with reasons and a due date."""
    return _act(contract_id, review.request_amendment, data["reasons"], data["due_on"])


@blp.route("/<int:contract_id>/refuse", methods=["POST"])
@signed_in
@blp.arguments(RefuseIn)
@blp.response(200, ContractOut)
@blp.problems(*ACTION_PROBLEMS)
def refuse(data, contract_id):
    """Refuse registration on grounds of DOMAIN.md §4, with a note."""
    return _act(contract_id, review.refuse, data["grounds"], data["note"])


@blp.route("/<int:contract_id>/expert-review", methods=["POST"])
@signed_in
@blp.arguments(ReasonIn)
@blp.response(200, ContractOut)
@blp.problems(*ACTION_PROBLEMS)
def send_to_experts(data, contract_id):
    """Send an accepted filing to the expert panel, with the reason (a filing whose technical amount reaches the
    rule set's threshold goes there by itself at acceptance); the panel then holds the file."""
    return _act(contract_id, experts.send_to_experts, data["reason"])


@blp.route("/<int:contract_id>/expert-opinion", methods=["POST"])
@signed_in
@blp.arguments(ExpertOpinionIn)
@blp.response(200, ContractOut)
@blp.problems(*ACTION_PROBLEMS)
def record_expert_opinion(data, contract_id):
    """The bureau records the expert panel's opinion; the file returns to the station (status `accepted`)."""
    return _act(contract_id, experts.record_opinion, data["outcome"], data["opinion"])


@blp.route("/<int:contract_id>/register", methods=["POST"])
@signed_in
@blp.arguments(RegisterIn)
@blp.response(200, ContractOut)
@blp.problems(*ACTION_PROBLEMS)
def register(data, contract_id):
    """Register (or, above the threshold, propose for a second reviewer's approval)."""
    return _act(
        contract_id,
        review.register,
        data["category"],
        data["subtype"],
        data["certified_technical_amount"],
        data["note"],
        data["correction_reasons"],
    )


@blp.route("/<int:contract_id>/approve", methods=["POST"])
@signed_in
@blp.arguments(EmptyIn, required=False)
@blp.response(200, ContractOut)
@blp.problems(*ACTION_PROBLEMS)
def approve(data, contract_id):
    """A second reviewer approves the pending registration."""
    return _act(contract_id, review.approve)


@blp.route("/<int:contract_id>/change", methods=["POST"])
@signed_in
@blp.arguments(ChangeIn)
@blp.response(200, ContractOut)
@blp.problems(*ACTION_PROBLEMS)
def change(data, contract_id):
    """Change the registered facts (a new version)."""
    reason = data.pop("reason")
    return _act(contract_id, review.change, data, reason)


@blp.route("/<int:contract_id>/cancel", methods=["POST"])
@signed_in
@blp.arguments(ReasonIn)
@blp.response(200, ContractOut)
@blp.problems(*ACTION_PROBLEMS)
def cancel(data, contract_id):
    """Cancel the registration (注销)."""
    return _act(contract_id, review.cancel, data["reason"])


@blp.route("/<int:contract_id>/revoke", methods=["POST"])
@signed_in
@blp.arguments(ReasonIn)
@blp.response(200, ContractOut)
@blp.problems(*ACTION_PROBLEMS)
def revoke(data, contract_id):
    """Revoke the registration (撤销)."""
    return _act(contract_id, review.revoke, data["reason"])


@blp.route("/<int:contract_id>/reassign", methods=["POST"])
@signed_in
@blp.arguments(ReassignIn)
@blp.response(200, ContractOut)
@blp.problems(*ACTION_PROBLEMS)
def reassign(data, contract_id):
    """The bureau moves an undecided filing to another station."""
    station = station_lookup.by_code(data["station"])
    return _act(contract_id, review.reassign, station, data["reason"])
