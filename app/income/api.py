"""Technical-income verification over the API: the applicant declares income and names researchers, the station
verifies (and a second reviewer approves where four eyes apply), whoever sees the contract reads the records and
downloads each verified record's signed 核定表."""

from __future__ import annotations

from flask.views import MethodView
from flask_login import current_user

from app.api.blueprint import BINARY, Blueprint
from app.auth.permissions import load_visible, signed_in
from app.files.http import send_stored
from app.income.schemas import (
    IncomeRecordIn,
    IncomeRecordList,
    IncomeRecordOut,
    ResearchersIn,
    ResearchersOut,
    VerifyIn,
)
from app.income.services import records, researchers, sheet

blp = Blueprint("income_api", __name__, description="Technical-income verification (技术性收入核定)")


@blp.route("/contracts/<int:contract_id>/income-records")
class ContractIncomeRecords(MethodView):
    """The income records of one contract."""

    @signed_in
    @blp.response(200, IncomeRecordList)
    @blp.problems(401, 404)
    def get(self, contract_id):
        """The contract's income records with the verified figures (whoever sees the contract)."""
        contract = load_visible(current_user, contract_id)
        return {"items": records.for_contract(current_user, contract)}

    @signed_in
    @blp.arguments(IncomeRecordIn)
    @blp.response(201, IncomeRecordOut)
    @blp.problems(400, 401, 403, 404, 409, 415)
    def post(self, data, contract_id):
        """Declare the income received for a period and its costs (the applicant; registered contracts only, 409
        otherwise or when the period overlaps another record's)."""
        contract = load_visible(current_user, contract_id)
        return records.create(
            current_user,
            contract,
            data["period_from"],
            data["period_to"],
            data["received"],
            data["costs"],
            data["note"],
        )


@blp.route("/income-records/<int:record_id>/verify", methods=["POST"])
@signed_in
@blp.arguments(VerifyIn)
@blp.response(200, IncomeRecordOut)
@blp.problems(400, 401, 403, 404, 409, 415)
def verify(data, record_id):
    """Fix the technical income (a reviewer of the contract's station); at or above the four-eyes threshold it
    waits for a second reviewer's approval."""
    return records.verify(current_user, record_id, data["technical_income"], data["note"])


@blp.route("/income-records/<int:record_id>/approve", methods=["POST"])
@signed_in
@blp.response(200, IncomeRecordOut)
@blp.problems(401, 403, 404, 409)
def approve(record_id):
    """A second reviewer of the station approves a verification waiting for one (never the first reviewer)."""
    return records.approve(current_user, record_id)


def _sheet(record):
    sha256, name = sheet.sheet_for(record)
    return send_stored(sha256, "application/pdf", name, inline=True)


@blp.route("/contracts/<int:contract_id>/income-records/<int:record_id>.pdf")
@signed_in
@blp.files({"application/pdf": BINARY}, "The signed 核定表")
@blp.problems(401, 404, 409, 503)
def contract_sheet(contract_id, record_id):
    """The signed 核定表 of a verified record (409 before it is verified); the same bytes on every download."""
    contract = load_visible(current_user, contract_id)
    return _sheet(records.visible(current_user, record_id, contract))


@blp.route("/income-records/<int:record_id>.pdf")
@signed_in
@blp.files({"application/pdf": BINARY}, "The signed 核定表")
@blp.problems(401, 404, 409, 503)
def record_sheet(record_id):
    """The signed 核定表 of a verified record, by the record's id alone."""
    return _sheet(records.visible(current_user, record_id))


@blp.route("/contracts/<int:contract_id>/researchers")
class ContractResearchers(MethodView):
    """The researchers a contract names."""

    @signed_in
    @blp.response(200, ResearchersOut)
    @blp.problems(401, 404)
    def get(self, contract_id):
        """The contract's researchers, ID numbers masked (whoever sees the contract)."""
        contract = load_visible(current_user, contract_id)
        return {"researchers": researchers.for_contract(contract)}

    @signed_in
    @blp.arguments(ResearchersIn)
    @blp.response(200, ResearchersOut)
    @blp.problems(400, 401, 403, 404, 409, 415)
    def put(self, data, contract_id):
        """Name the contract's researchers, replacing the list before (the applicant; registered contracts)."""
        contract = load_visible(current_user, contract_id)
        return {"researchers": researchers.replace(current_user, contract, data["researchers"])}
