"""Expert review as a hand-over: above the threshold a filing goes to the panel at acceptance, a disputed one by
hand with a reason; the bureau records the opinion and the station decides, under the longer time limit."""

from __future__ import annotations

import pytest

from app.domain.calendar import add_working_days
from app.domain.clock import today_local
from app.extensions import db
from app.models import Contract

BIG = {"amount": "6000000.00", "deductions": [], "technical_amount": "6000000.00"}  # threshold: 5,000,000 (2026)
OPINION = {"outcome": "supports_with_changes", "opinion": "专家组认为技术内容属实，建议核减技术交易额。"}


@pytest.fixture
def reviewer(make_account, api_as):
    return api_as(make_account("reviewer", station_code="130402"))


@pytest.fixture
def bureau(make_account, api_as):
    return api_as(make_account("bureau"))


def act(client, contract_id, action, body=None):
    return client.post(f"/api/v1/contracts/{contract_id}/{action}", json=body or {})


def test_a_filing_above_the_threshold_goes_to_the_panel_at_acceptance_and_returns_with_the_opinion(
    reviewer, bureau, file_contract
):
    contract_id = file_contract(**BIG)
    held = act(reviewer, contract_id, "accept").json
    assert held["status"] == "expert_review" and held["held_by"] == "experts"
    assert held["due_on"] == add_working_days(today_local(), 30)[0].isoformat()
    assert [h["to"] for h in held["history"]][-2:] == ["accepted", "expert_review"]
    assert held["history"][-1]["details"]["automatic"] is True
    # the station waits: it can neither register nor refuse while the panel holds the file
    body = {"category": "development", "subtype": "commissioned", "certified_technical_amount": "6000000.00"}
    assert act(reviewer, contract_id, "register", body).status_code == 409
    assert act(reviewer, contract_id, "refuse", {"grounds": ["other"], "note": "x"}).status_code == 409
    # only the bureau records the opinion
    assert act(reviewer, contract_id, "expert-opinion", OPINION).status_code == 403
    back = act(bureau, contract_id, "expert-opinion", OPINION)
    assert back.status_code == 200, back.json
    back = back.json
    assert back["status"] == "accepted" and back["held_by"] == "station"
    assert back["expert_outcome"] == "supports_with_changes" and back["due_on"] == held["due_on"]
    assert back["history"][-1]["note"] == OPINION["opinion"]
    # the station decides, seeing the opinion; a second opinion is not possible
    assert act(bureau, contract_id, "expert-opinion", OPINION).status_code == 409
    registered = act(
        reviewer,
        contract_id,
        "register",
        {**body, "certified_technical_amount": "5000000.00", "note": "按专家意见核减"},
    )
    assert registered.status_code == 200, registered.json
    assert registered.json["status"] == "registered"


def test_a_disputed_filing_goes_to_the_panel_by_hand_with_a_reason(app, reviewer, bureau, file_contract):
    contract_id = file_contract()
    accepted = act(reviewer, contract_id, "accept").json
    assert accepted["status"] == "accepted" and accepted["days_left"] == 15
    assert act(reviewer, contract_id, "expert-review", {"reason": "  "}).status_code == 422
    sent = act(reviewer, contract_id, "expert-review", {"reason": "技术来源存在争议"})
    assert sent.status_code == 200, sent.json
    sent = sent.json
    assert sent["status"] == "expert_review" and sent["days_left"] == 30 and sent["expert_review"] is True
    assert sent["history"][-1]["note"] == "技术来源存在争议" and sent["history"][-1]["details"]["automatic"] is False
    assert act(reviewer, contract_id, "expert-review", {"reason": "again"}).status_code == 409
    refused = act(bureau, contract_id, "expert-opinion", {"outcome": "maybe", "opinion": "x"})
    assert refused.status_code == 422
    back = act(bureau, contract_id, "expert-opinion", {"outcome": "does_not_support", "opinion": "不属于技术合同"}).json
    assert back["status"] == "accepted" and back["expert_outcome"] == "does_not_support"
    refused = act(reviewer, contract_id, "refuse", {"grounds": ["other"], "note": "依专家意见不予登记"})
    assert refused.status_code == 200 and refused.json["status"] == "refused"


def test_a_reviewer_of_another_station_cannot_send_to_the_panel(make_account, api_as, reviewer, file_contract):
    contract_id = file_contract()
    act(reviewer, contract_id, "accept")
    other = api_as(make_account("reviewer", station_code="130403"))
    assert act(other, contract_id, "expert-review", {"reason": "x"}).status_code == 404


def test_the_2001_rules_have_no_threshold(app, reviewer, file_contract):
    contract_id = file_contract(**BIG)
    with app.app_context():
        db.session.get(Contract, contract_id).rule_set = "most-2000"
        db.session.commit()
    accepted = act(reviewer, contract_id, "accept").json
    assert accepted["status"] == "accepted" and accepted["expert_review"] is False and accepted["days_left"] == 30
    # by hand the panel still can be asked; the 2001 rules have no longer limit, so the due date stays
    sent = act(reviewer, contract_id, "expert-review", {"reason": "争议"}).json
    assert sent["status"] == "expert_review" and sent["due_on"] == accepted["due_on"]


def test_the_applicant_hears_of_the_hand_over_and_the_station_of_the_opinion(api, reviewer, bureau, file_contract):
    contract_id = file_contract(**BIG)
    held = act(reviewer, contract_id, "accept").json

    def notices(client) -> dict:
        return {m["event"]: m for m in client.get("/api/v1/messages").json["items"] if m["contract_id"] == contract_id}

    told = notices(api)["sent_to_experts"]
    assert "专家评审" in told["subject"] and held["due_on"] in told["body"]
    assert "expert_opinion" not in notices(reviewer)
    assert act(bureau, contract_id, "expert-opinion", OPINION).status_code == 200
    opinion = notices(reviewer)["expert_opinion"]
    assert "修改后同意登记" in opinion["body"] and opinion["link"] == f"/station/contracts/{contract_id}"
