"""Requests after registration: the applicant asks on a registered contract; a reviewer of its station approves
or refuses."""

from __future__ import annotations

from flask.views import MethodView
from flask_login import current_user

from app.api.blueprint import Blueprint
from app.auth.permissions import load_visible, signed_in
from app.requests import services as requests
from app.requests.schemas import DecisionIn, RequestIn, RequestList, RequestOut

blp = Blueprint("requests_api", __name__, description="Requests after registration: change, supplement, cancel")


@blp.route("/contracts/<int:contract_id>/requests")
class ContractRequests(MethodView):
    """The requests on one contract."""

    @signed_in
    @blp.response(200, RequestList)
    @blp.problems(401, 404)
    def get(self, contract_id):
        """The contract's requests and their outcome (whoever sees the contract)."""
        contract = load_visible(current_user, contract_id)
        return {"items": requests.for_contract(current_user, contract)}

    @signed_in
    @blp.arguments(RequestIn)
    @blp.response(201, RequestOut)
    @blp.problems(400, 401, 403, 404, 409, 415)
    def post(self, data, contract_id):
        """Ask a change, a supplement of an open amount or a cancellation of a registered contract (409 unless
        registered, or while another request waits)."""
        contract = load_visible(current_user, contract_id)
        return requests.create(current_user, contract, data["kind"], data["changes"], data["reason"])


@blp.route("/requests/<int:request_id>/approve", methods=["POST"])
@signed_in
@blp.arguments(DecisionIn, required=False)
@blp.response(200, RequestOut)
@blp.problems(400, 401, 403, 404, 409, 415)
def approve(data, request_id):
    """Approve: a new certificate version (or a proposal for a second reviewer's approval), or the cancellation."""
    return requests.approve(current_user, request_id, (data or {}).get("note"))


@blp.route("/requests/<int:request_id>/refuse", methods=["POST"])
@signed_in
@blp.arguments(DecisionIn)
@blp.response(200, RequestOut)
@blp.problems(400, 401, 403, 404, 409, 415)
def refuse(data, request_id):
    """Refuse, with the note the applicant reads (422 without one)."""
    return requests.refuse(current_user, request_id, data.get("note"))
