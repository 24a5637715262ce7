"""Four eyes through the API: registration and change obey one rule, and API.md's /register body works."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Certificate, RegistrationFact, RegistrationProposal, TaxEvent
from tests.factories import through_experts

LARGE = {"amount": "12000000.00", "deductions": [], "technical_amount": "12000000.00"}  # four eyes from 10,000,000


@pytest.fixture
def reviewer(make_account, api_as):
    return api_as(make_account("reviewer", station_code="130402"))


@pytest.fixture
def second(make_account, api_as):
    """Another reviewer of the same station."""
    return api_as(make_account("reviewer", station_code="130402"))


def act(client, contract_id, action, body=None):
    """One station action; a large filing that acceptance hands to the expert panel comes back with the panel's
    opinion, recorded as the bureau would."""
    response = client.post(f"/api/v1/contracts/{contract_id}/{action}", json=body or {})
    if action == "accept" and response.status_code == 200 and response.json["status"] == "expert_review":
        through_experts(client.client.application, contract_id)
    return response


def registered(reviewer, contract_id, **body):
    """Accept and register at once (below the threshold, the filed class)."""
    assert act(reviewer, contract_id, "accept").status_code == 200
    values = {"category": "development", "subtype": "commissioned", "certified_technical_amount": "1080000.00"}
    response = act(reviewer, contract_id, "register", {**values, **body})
    assert response.status_code == 200 and response.json["status"] == "registered", response.json
    return response.json


def stored(app, contract_id):
    """What the registry holds for the contract: feed events, certificate versions, the counted technical amount."""
    with app.app_context():
        events = db.session.scalars(
            select(TaxEvent.event).where(TaxEvent.contract_id == contract_id).order_by(TaxEvent.id)
        ).all()
        versions = db.session.scalars(
            select(Certificate.version).where(Certificate.contract_id == contract_id).order_by(Certificate.version)
        ).all()
        fact = db.session.get(RegistrationFact, contract_id)
        return events, versions, fact.technical_amount_cents if fact else None


def test_a_change_above_the_threshold_waits_for_a_second_reviewer_of_the_station(
    app, reviewer, second, make_account, api_as, file_contract
):
    contract_id = file_contract(**LARGE)
    first = registered(reviewer, contract_id, certified_technical_amount="9999999.99", note="扣除非技术性内容")
    assert first["version"] == 1 and first["pending_change"] is None

    proposed = act(reviewer, contract_id, "change", {"certified_technical_amount": "12000000.00", "reason": "补充协议"})
    assert proposed.status_code == 200
    body = proposed.json
    assert body["version"] == 1 and body["certified_technical_amount"] == "9999999.99"  # nothing applied yet
    pending = body["pending_change"]
    assert pending["kind"] == "change" and pending["reasons"] == ["amount.threshold"]
    assert pending["changes"] == {"certified_technical_amount": {"from": "9999999.99", "to": "12000000.00"}}
    assert body["history"][-1]["details"]["action"] == "change_proposed"
    assert stored(app, contract_id)[:2] == (["registered"], [1])

    refused = act(reviewer, contract_id, "approve")
    assert refused.status_code == 403 and "另一名审核人" in refused.json["detail"]
    elsewhere = api_as(make_account("reviewer", station_code="130403"))
    assert act(elsewhere, contract_id, "approve").status_code == 404

    approved = act(second, contract_id, "approve")
    assert approved.status_code == 200
    body = approved.json
    assert body["version"] == 2 and body["certified_technical_amount"] == "12000000.00"
    assert body["certificate"]["version"] == 2 and body["pending_change"] is None
    entry = body["history"][-1]
    assert entry["details"]["action"] == "change" and entry["note"] == "补充协议"
    assert entry["details"]["proposed_by"] != entry["details"]["approved_by"]
    assert stored(app, contract_id) == (["registered", "changed"], [1, 2], 1_200_000_000)
    assert act(second, contract_id, "approve").status_code == 409  # applied once


def test_a_change_of_category_needs_approval_even_when_small(app, reviewer, second, file_contract):
    contract_id = file_contract()
    registered(reviewer, contract_id)
    proposed = act(
        reviewer,
        contract_id,
        "change",
        {"category": "service", "subtype": "technical_service", "reason": "实为技术服务"},
    )
    assert proposed.status_code == 200 and proposed.json["category"] == "development"
    assert proposed.json["pending_change"]["reasons"] == ["category.changed"]
    approved = act(second, contract_id, "approve")
    assert approved.status_code == 200
    assert (approved.json["category"], approved.json["subtype"]) == ("service", "technical_service")
    assert stored(app, contract_id)[:2] == (["registered", "changed"], [1, 2])


def test_lowering_an_amount_that_two_reviewers_certified_needs_two_again(reviewer, second, file_contract):
    contract_id = file_contract(**LARGE)
    assert act(reviewer, contract_id, "accept").status_code == 200
    act(
        reviewer,
        contract_id,
        "register",
        {"category": "development", "subtype": "commissioned", "certified_technical_amount": "12000000.00"},
    )
    assert act(second, contract_id, "approve").json["status"] == "registered"
    lowered = act(reviewer, contract_id, "change", {"certified_technical_amount": "100000.00", "reason": "部分解除"})
    assert lowered.json["pending_change"]["reasons"] == ["amount.from_threshold"]
    assert lowered.json["certified_technical_amount"] == "12000000.00"


def test_a_small_change_applies_at_once_with_one_feed_event(app, reviewer, file_contract):
    contract_id = file_contract()
    first = registered(reviewer, contract_id)
    valid_until = "2099-12-31"
    changed = act(
        reviewer,
        contract_id,
        "change",
        {
            "amount": "1500000.00",
            "certified_technical_amount": "1300000.00",
            "valid_until": valid_until,
            "reason": "补充协议增加价款",
        },
    )
    assert changed.status_code == 200
    body = changed.json
    assert (body["amount"], body["certified_technical_amount"], body["valid_until"]) == (
        "1500000.00",
        "1300000.00",
        valid_until,
    )
    assert body["version"] == 2 and body["pending_change"] is None and body["certificate"]["version"] == 2
    assert body["history"][-1]["details"]["before"] == {
        "amount": "1250000.00",
        "certified_technical_amount": "1080000.00",
        "valid_until": first["valid_until"],
    }
    assert stored(app, contract_id) == (["registered", "changed"], [1, 2], 130_000_000)


def test_a_new_proposal_or_an_ended_registration_withdraws_the_waiting_change(app, reviewer, second, file_contract):
    contract_id = file_contract()
    registered(reviewer, contract_id)
    act(reviewer, contract_id, "change", {"category": "service", "subtype": "training", "reason": "a"})
    replaced = act(
        reviewer, contract_id, "change", {"category": "service", "subtype": "technical_service", "reason": "b"}
    )
    assert replaced.json["pending_change"]["note"] == "b"
    assert act(reviewer, contract_id, "cancel", {"reason": "合同解除"}).json["status"] == "cancelled"
    assert act(second, contract_id, "approve").status_code == 409
    with app.app_context():
        statuses = db.session.scalars(
            select(RegistrationProposal.status)
            .where(RegistrationProposal.contract_id == contract_id)
            .order_by(RegistrationProposal.id)
        ).all()
    assert statuses == ["approved", "withdrawn", "withdrawn"]


@pytest.mark.parametrize(
    "body, field",
    [
        ({"certified_technical_amount": "-1.00"}, "certified_technical_amount"),
        ({"certified_technical_amount": 1300000}, "certified_technical_amount"),  # a JSON number
        ({"certified_technical_amount": "1250000.01"}, "certified_technical_amount"),  # above the contract amount
        ({"amount": "1000000.00"}, "amount"),  # below the certified amount
        ({"amount": "abc"}, "amount"),
        ({"valid_until": "2000-01-01"}, "valid_until"),  # before valid_from
        ({"valid_until": "明年"}, "valid_until"),
        ({"subtype": "training"}, "subtype"),  # not a development sub-type
        ({"category": "nonsense"}, "category"),
        ({"title": "x", "registration_number": "1"}, "registration_number"),  # unknown field
    ],
)
def test_hostile_changes_are_field_errors_that_store_nothing(app, reviewer, file_contract, body, field):
    contract_id = file_contract()
    before = registered(reviewer, contract_id)
    refused = act(reviewer, contract_id, "change", {**body, "reason": "试探"})
    assert refused.status_code == 422
    assert field in {e["field"] for e in refused.json["errors"]}
    after = reviewer.get(f"/api/v1/contracts/{contract_id}").json
    assert after["version"] == 1 and after["history"] == before["history"] and after["pending_change"] is None
    assert (after["amount"], after["certified_technical_amount"], after["valid_until"], after["subtype"]) == (
        before["amount"],
        before["certified_technical_amount"],
        before["valid_until"],
        before["subtype"],
    )
    assert stored(app, contract_id)[:2] == (["registered"], [1])


def test_register_takes_api_md_body_with_a_note_as_the_reason_for_corrections(reviewer, file_contract):
    contract_id = file_contract()
    assert act(reviewer, contract_id, "accept").status_code == 200
    done = act(
        reviewer,
        contract_id,
        "register",
        {
            "category": "development",
            "subtype": "cooperative",
            "certified_technical_amount": "900000.00",
            "note": "双方共同研发；扣除材料费",
        },
    )
    assert done.status_code == 200 and done.json["status"] == "registered"
    corrections = done.json["history"][-1]["details"]["corrections"]
    assert corrections == {
        "subtype": {"from": "commissioned", "to": "cooperative", "reason": "双方共同研发；扣除材料费"},
        "certified_technical_amount": {"from": "1080000.00", "to": "900000.00", "reason": "双方共同研发；扣除材料费"},
    }


def test_register_prefers_a_fields_own_reason_and_refuses_a_correction_with_no_reason(reviewer, file_contract):
    contract_id = file_contract()
    assert act(reviewer, contract_id, "accept").status_code == 200
    body = {"category": "development", "subtype": "cooperative", "certified_technical_amount": "900000.00"}
    missing = act(reviewer, contract_id, "register", {**body, "note": "   "})
    assert missing.status_code == 422
    assert {e["field"] for e in missing.json["errors"]} == {
        "correction_reasons.subtype",
        "correction_reasons.certified_technical_amount",
    }
    done = act(
        reviewer, contract_id, "register", {**body, "note": "总说明", "correction_reasons": {"subtype": "双方共同研发"}}
    )
    corrections = done.json["history"][-1]["details"]["corrections"]
    assert corrections["subtype"]["reason"] == "双方共同研发"
    assert corrections["certified_technical_amount"]["reason"] == "总说明"


def test_registration_with_a_corrected_category_waits_for_a_second_reviewer(reviewer, second, file_contract):
    contract_id = file_contract()
    assert act(reviewer, contract_id, "accept").status_code == 200
    proposed = act(
        reviewer,
        contract_id,
        "register",
        {
            "category": "service",
            "subtype": "technical_service",
            "certified_technical_amount": "1080000.00",
            "note": "实为技术服务",
        },
    )
    assert proposed.status_code == 200 and proposed.json["status"] == "accepted"
    assert proposed.json["pending_registration"]["reasons"] == ["category.changed"]
    assert proposed.json["history"][-1]["details"]["action"] == "registration_proposed"
    approved = act(second, contract_id, "approve")
    assert approved.json["status"] == "registered" and approved.json["category"] == "service"
