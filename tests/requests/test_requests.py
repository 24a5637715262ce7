"""Requests after registration, through the services: the station's decision goes through review's change and
cancel under the one four-eyes rule."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest

from app.errors import Conflict, Forbidden
from app.extensions import db
from app.filing.schemas import ContractIn
from app.filing.services import attachments, contracts
from app.models import User
from app.requests import services as requests
from app.review.services import review
from tests.factories import MINIMAL_PDF, filing

LARGE = {"amount": Decimal("12000000.00"), "technical_amount": Decimal("12000000.00")}


@pytest.fixture
def people(app, make_account):
    accounts = {
        "applicant": make_account("applicant"),
        "reviewer": make_account("reviewer", station_code="130402"),
        "second": make_account("reviewer", station_code="130402"),
    }
    with app.app_context():
        yield {role: db.session.get(User, account.id) for role, account in accounts.items()}


def registered(people, **overrides):
    applicant, reviewer = people["applicant"], people["reviewer"]
    contract = contracts.create_draft(applicant, ContractIn().load(filing(**overrides)))
    attachments.add_attachment(applicant, contract, io.BytesIO(MINIMAL_PDF), "c.pdf", "contract_text")
    contracts.submit(applicant, contract)
    review.accept(reviewer, contract)
    review.register(reviewer, contract, "development", "commissioned", review.certifiable_amount(contract))
    db.session.commit()
    return contract


def test_refusing_after_a_first_approval_withdraws_the_proposed_change(people):
    contract = registered(people)
    asked = requests.create(people["applicant"], contract, "change", LARGE, "补充协议")
    requests.approve(people["reviewer"], asked.id, "同意")
    assert asked.awaits_second_approval and contract.pending_change is not None
    with pytest.raises(Forbidden):
        requests.approve(people["reviewer"], asked.id, None)  # the first approver cannot be the second
    requests.refuse(people["second"], asked.id, "金额依据不足")
    assert asked.status == "refused" and asked.note == "金额依据不足" and asked.decided_by_id == people["second"].id
    assert contract.pending_change is None and contract.version == 1 and contract.amount == Decimal("1250000.00")
    with pytest.raises(Conflict):
        requests.approve(people["second"], asked.id, None)


def test_the_second_approval_applies_the_change_with_both_reviewers_credited(people):
    contract = registered(people)
    asked = requests.create(people["applicant"], contract, "change", LARGE, "补充协议")
    requests.approve(people["reviewer"], asked.id, None)
    assert asked.proposed_by_id == people["reviewer"].id
    requests.approve(people["second"], asked.id, "复核同意")
    assert asked.status == "approved" and asked.decided_by_id == people["second"].id
    assert contract.version == 2 and contract.certified_technical_amount == Decimal("12000000.00")
    assert [c.version for c in contract.certificates] == [1, 2]
    change = next(h for h in reversed(contract.history) if h.details.get("action") == "change")
    assert (change.details["proposed_by"], change.details["approved_by"]) == (
        people["reviewer"].id,
        people["second"].id,
    )


def test_a_supplement_fixes_an_open_amount_and_issues_a_new_certificate_version(people):
    contract = registered(people, amount_fixed=False, amount=None, technical_amount=None, deductions=[])
    assert contract.certified_technical_amount == Decimal("0.00") and contract.amount_fixed is False
    asked = requests.create(
        people["applicant"],
        contract,
        "supplement",
        {"amount": Decimal("500000.00"), "technical_amount": Decimal("450000.00")},
        "年度结算",
    )
    requests.approve(people["reviewer"], asked.id, None)
    assert contract.amount_fixed is True and contract.amount == Decimal("500000.00")
    assert contract.certified_technical_amount == Decimal("450000.00") and contract.version == 2
    assert contract.current_certificate.version == 2


def test_a_request_still_waiting_ends_with_the_registration(people):
    contract = registered(people)
    asked = requests.create(
        people["applicant"], contract, "change", {"valid_until": contract.valid_until.replace(year=2099)}, "延期"
    )
    review.revoke(people["reviewer"], contract, "虚假材料")
    assert asked.status == "refused" and "终止" in asked.note
    assert requests.pending_for_station(contract.station_id) == []
