"""Requests after registration through the API (API.md "Requests after registration"; "Amounts not fixed at
signing"): the applicant asks, a reviewer of the station approves through the station's own change and cancel,
under the one four-eyes rule, or refuses with a note."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.domain.clock import today_local
from app.extensions import db
from app.models import Certificate, Message, TaxEvent
from tests import factories
from tests.unit.test_certificates import pdf_text

OPEN = {"amount_fixed": False, "amount": None, "technical_amount": None, "deductions": [], "payment_method": "royalty"}


@pytest.fixture
def reviewer(make_account, api_as):
    return api_as(make_account("reviewer", station_code="130402"))


@pytest.fixture
def second(make_account, api_as):
    return api_as(make_account("reviewer", station_code="130402"))


def register(reviewer, contract_id, amount="1080000.00"):
    assert reviewer.post(f"/api/v1/contracts/{contract_id}/accept", json={}).status_code == 200
    body = {"category": "development", "subtype": "commissioned", "certified_technical_amount": amount}
    response = reviewer.post(f"/api/v1/contracts/{contract_id}/register", json=body)
    assert response.status_code == 200 and response.json["status"] == "registered", response.json
    return response.json


def ask(api, contract_id, kind, changes=None, reason="补充协议"):
    body = {"kind": kind, "reason": reason, **({"changes": changes} if changes is not None else {})}
    return api.post(f"/api/v1/contracts/{contract_id}/requests", json=body)


def decide(client, request_id, action, note=None):
    return client.post(f"/api/v1/requests/{request_id}/{action}", json={} if note is None else {"note": note})


def feed_and_versions(app, contract_id):
    with app.app_context():
        events = db.session.scalars(
            select(TaxEvent.event).where(TaxEvent.contract_id == contract_id).order_by(TaxEvent.id)
        ).all()
        versions = db.session.scalars(
            select(Certificate.version).where(Certificate.contract_id == contract_id).order_by(Certificate.version)
        ).all()
        return events, versions


def test_a_change_request_approved_issues_a_new_certificate_version_and_a_feed_event(app, api, reviewer, file_contract):
    contract_id = file_contract()
    register(reviewer, contract_id)
    asked = ask(api, contract_id, "change", {"amount": "1500000.00", "technical_amount": "1300000.00"})
    assert asked.status_code == 201, asked.json
    body = asked.json
    assert body["kind"] == "change" and body["status"] == "pending" and body["reason"] == "补充协议"
    assert body["changes"] == {"amount": "1500000.00", "technical_amount": "1300000.00"}
    assert set(body) >= {"id", "kind", "status", "changes", "reason", "created_at"}

    approved = decide(reviewer, body["id"], "approve", "核实补充协议")
    assert approved.status_code == 200, approved.json
    assert approved.json["status"] == "approved" and approved.json["note"] == "核实补充协议"
    contract = api.get(f"/api/v1/contracts/{contract_id}").json
    assert (contract["amount"], contract["certified_technical_amount"], contract["version"]) == (
        "1500000.00",
        "1300000.00",
        2,
    )
    assert contract["certificate"]["version"] == 2
    actions = [h["details"].get("action") for h in contract["history"][-3:]]
    assert actions == ["request_made", "change", "request_approved"]
    assert feed_and_versions(app, contract_id) == (["registered", "changed"], [1, 2])
    listed = api.get(f"/api/v1/contracts/{contract_id}/requests").json["items"]
    assert [(r["kind"], r["status"]) for r in listed] == [("change", "approved")]
    assert decide(reviewer, body["id"], "approve").status_code == 409  # decided once


def test_a_refused_request_changes_nothing_and_tells_the_applicant(app, api, applicant, reviewer, file_contract):
    contract_id = file_contract()
    register(reviewer, contract_id)
    request_id = ask(api, contract_id, "change", {"valid_until": "2099-12-31"}).json["id"]

    without_note = decide(reviewer, request_id, "refuse")
    assert without_note.status_code == 422
    assert without_note.headers["Content-Type"].startswith("application/problem+json")
    assert without_note.json["errors"][0]["field"] == "note"

    refused = decide(reviewer, request_id, "refuse", "未提交补充协议")
    assert refused.status_code == 200 and refused.json["status"] == "refused"
    contract = api.get(f"/api/v1/contracts/{contract_id}").json
    assert contract["version"] == 1 and contract["valid_until"] != "2099-12-31"
    assert contract["history"][-1]["details"]["action"] == "request_refused"
    assert feed_and_versions(app, contract_id) == (["registered"], [1])
    with app.app_context():
        subjects = db.session.scalars(select(Message.subject).where(Message.user_id == applicant.id)).all()
    assert any("未获同意" in s for s in subjects)


def test_a_cancel_request_approved_cancels_the_registration(app, api, reviewer, file_contract):
    contract_id = file_contract()
    register(reviewer, contract_id)
    assert ask(api, contract_id, "cancel", {"amount": "1.00"}).status_code == 422  # a cancellation changes nothing
    assert api.post(f"/api/v1/contracts/{contract_id}/requests", json={"kind": "cancel"}).status_code == 422
    request_id = ask(api, contract_id, "cancel", reason="合同提前终止").json["id"]
    assert ask(api, contract_id, "cancel").status_code == 409  # one waiting request at a time
    assert decide(reviewer, request_id, "approve").json["status"] == "approved"
    contract = api.get(f"/api/v1/contracts/{contract_id}").json
    assert contract["status"] == "cancelled"
    assert feed_and_versions(app, contract_id)[0] == ["registered", "cancelled"]


def test_a_cancel_request_refused_keeps_the_registration(api, reviewer, file_contract):
    contract_id = file_contract()
    register(reviewer, contract_id)
    request_id = ask(api, contract_id, "cancel").json["id"]
    assert decide(reviewer, request_id, "refuse", "双方未协商一致").status_code == 200
    assert api.get(f"/api/v1/contracts/{contract_id}").json["status"] == "registered"


def test_a_large_change_needs_a_second_reviewer_before_it_applies(app, api, reviewer, second, file_contract):
    contract_id = file_contract()
    register(reviewer, contract_id)
    request_id = ask(api, contract_id, "change", {"amount": "12000000.00", "technical_amount": "12000000.00"}).json[
        "id"
    ]
    first = decide(reviewer, request_id, "approve", "同意")
    assert first.status_code == 200
    assert first.json["status"] == "pending" and first.json["awaits_second_approval"] is True
    contract = api.get(f"/api/v1/contracts/{contract_id}").json
    assert contract["version"] == 1 and contract["pending_change"]["reasons"] == ["amount.threshold"]

    same = decide(reviewer, request_id, "approve")
    assert same.status_code == 403  # never the first approver
    approved = decide(second, request_id, "approve")
    assert approved.status_code == 200 and approved.json["status"] == "approved"
    contract = api.get(f"/api/v1/contracts/{contract_id}").json
    assert contract["version"] == 2 and contract["certified_technical_amount"] == "12000000.00"
    entry = contract["history"][-2]
    assert entry["details"]["action"] == "change" and entry["details"]["proposed_by"] != entry["details"]["approved_by"]
    assert feed_and_versions(app, contract_id) == (["registered", "changed"], [1, 2])


def test_the_second_approval_through_the_contract_settles_the_request(api, reviewer, second, file_contract):
    contract_id = file_contract()
    register(reviewer, contract_id)
    request_id = ask(api, contract_id, "change", {"amount": "12000000.00", "technical_amount": "11000000.00"}).json[
        "id"
    ]
    decide(reviewer, request_id, "approve")
    assert second.post(f"/api/v1/contracts/{contract_id}/approve", json={}).status_code == 200
    listed = api.get(f"/api/v1/contracts/{contract_id}/requests").json["items"]
    assert listed[0]["status"] == "approved" and listed[0]["awaits_second_approval"] is False


def test_an_open_amount_is_registered_at_its_fixed_part_then_supplemented(app, client, api, reviewer, file_contract):
    contract_id = file_contract(**OPEN)
    contract = api.get(f"/api/v1/contracts/{contract_id}").json
    assert contract["status"] == "submitted" and contract["amount_fixed"] is False and contract["amount"] is None
    assert "amount.open" in [f["code"] for f in contract["findings"]]
    registered = register(reviewer, contract_id, amount="0.00")
    assert registered["certified_technical_amount"] == "0.00"
    code = registered["certificate"]["check_code"]
    facts = client.get(f"/api/v1/verify/{registered['registration_number']}?c={code}").json
    assert facts["amount"] is None and facts["amount_fixed"] is False and facts["status"] == "valid"
    assert "待补正" in client.get(f"/verify/{registered['registration_number']}?c={code}").text
    assert registered["history"][-1]["details"]["corrections"] == {}  # the fixed part is what was filed

    assert ask(api, contract_id, "change", {"amount": "800000.00"}).json["errors"][0]["code"] == (
        "request.use_supplement"
    )
    partial = ask(api, contract_id, "supplement", {"amount": "800000.00"})
    assert partial.status_code == 422 and partial.json["errors"][0]["field"] == "changes.technical_amount"
    request_id = ask(api, contract_id, "supplement", {"amount": "800000.00", "technical_amount": "700000.00"}).json[
        "id"
    ]
    assert decide(reviewer, request_id, "approve").json["status"] == "approved"
    contract = api.get(f"/api/v1/contracts/{contract_id}").json
    assert contract["amount_fixed"] is True and contract["version"] == 2
    assert (contract["amount"], contract["technical_amount"], contract["certified_technical_amount"]) == (
        "800000.00",
        "700000.00",
        "700000.00",
    )
    assert feed_and_versions(app, contract_id) == (["registered", "changed"], [1, 2])
    first_code = registered["certificate"]["check_code"]
    old = client.get(f"/api/v1/verify/{registered['registration_number']}?c={first_code}").json
    assert (old["status"], old["version"], old["current_version"]) == ("superseded", 1, 2)
    assert old["amount"] == "800000.00" and old["amount_fixed"] is True  # the registry as it stands now
    page = client.get(f"/verify/{registered['registration_number']}?c={first_code}").text
    assert "现行版本为第 2 版" in page
    # a fixed amount is changed, not supplemented
    assert ask(api, contract_id, "supplement", {"amount": "1.00", "technical_amount": "1.00"}).status_code == 409


def test_requests_only_on_registered_contracts_and_only_by_the_organisation(
    api, reviewer, role_accounts, api_as, file_contract
):
    contract_id = file_contract()
    refused = ask(api, contract_id, "cancel")
    assert refused.status_code == 409 and refused.headers["Content-Type"].startswith("application/problem+json")
    register(reviewer, contract_id)
    stranger = api_as(role_accounts["other_applicant"])
    assert ask(stranger, contract_id, "cancel").status_code == 404
    assert stranger.get(f"/api/v1/contracts/{contract_id}/requests").status_code == 404
    assert ask(reviewer, contract_id, "cancel").status_code == 403
    request_id = ask(api, contract_id, "cancel").json["id"]
    assert decide(api, request_id, "approve").status_code == 403
    elsewhere = api_as(role_accounts["other_reviewer"])
    assert decide(elsewhere, request_id, "approve").status_code == 404
    assert decide(reviewer, 2**40, "approve").status_code == 404


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"seller": {"name": "别家"}}, "changes.seller"),
        ({"amount": "-1.00"}, "changes.amount"),
        ({"technical_amount": "9999999.00"}, "changes.technical_amount"),
        ({"valid_until": "1999-01-01"}, "changes.valid_until"),
        ({}, "changes"),
    ],
)
def test_hostile_changes_are_field_errors(api, reviewer, file_contract, changes, field):
    contract_id = file_contract()
    register(reviewer, contract_id)
    response = ask(api, contract_id, "change", changes)
    assert response.status_code == 422, response.json
    assert response.json["errors"][0]["field"].startswith(field)
    assert api.get(f"/api/v1/contracts/{contract_id}/requests").json["items"] == []


def test_the_tax_feed_and_exports_show_an_open_amount(api, reviewer, make_account, api_as, file_contract):
    contract_id = file_contract(**OPEN)
    number = register(reviewer, contract_id, amount="0.00")["registration_number"]
    tax = api_as(make_account("tax", area_codes=(factories.VALID_FILING["seller"]["area_code"],)))
    items = tax.get("/api/v1/tax/feed").json["items"]
    item = next(i for i in items if i["registration_number"] == number)
    assert item["amount"] is None and item["amount_fixed"] is False
    today = today_local().isoformat()
    for fmt in ("json", "csv", "xlsx"):
        response = tax.get(f"/api/v1/tax/exports?from={today}&to={today}&format={fmt}")
        assert response.status_code == 200
        if fmt == "json":
            (row,) = response.json
            assert (row["amount"], row["amount_status"], row["amount_status_label"]) == ("", "to_supplement", "待补正")
            assert row["certified_technical_amount"] == "0.00"
        response.close()


def test_a_change_of_the_deductions_recomputes_the_technical_amount_and_the_certificate(
    app, api, reviewer, file_contract
):
    contract_id = file_contract()  # 1,250,000.00 less equipment 170,000.00 = 1,080,000.00
    register(reviewer, contract_id)
    rows = [
        {"kind": "equipment", "description": "换热器两台", "amount": "170000.00"},
        {"kind": "raw_materials", "description": "试剂", "amount": "30000.00"},
    ]
    asked = ask(api, contract_id, "change", {"deductions": rows})
    assert asked.status_code == 201, asked.json
    assert asked.json["changes"]["technical_amount"] == "1050000.00"  # computed as in filing
    assert [d["amount"] for d in asked.json["changes"]["deductions"]] == ["170000.00", "30000.00"]

    assert decide(reviewer, asked.json["id"], "approve").status_code == 200
    contract = api.get(f"/api/v1/contracts/{contract_id}").json
    assert [(d["kind"], d["amount"]) for d in contract["deductions"]] == [
        ("equipment", "170000.00"),
        ("raw_materials", "30000.00"),
    ]
    assert (contract["technical_amount"], contract["certified_technical_amount"]) == ("1050000.00", "1050000.00")
    assert (contract["version"], contract["certificate"]["version"]) == (2, 2)
    change = next(h["details"] for h in contract["history"] if h["details"].get("action") == "change")
    assert change["before"]["certified_technical_amount"] == "1080000.00"
    assert change["after"]["certified_technical_amount"] == "1050000.00"
    assert [d["description"] for d in change["before"]["deductions"]] == ["换热器两台"]
    assert [d["description"] for d in change["after"]["deductions"]] == ["换热器两台", "试剂"]
    assert feed_and_versions(app, contract_id) == (["registered", "changed"], [1, 2])


def test_a_technical_amount_that_does_not_match_the_deductions_is_refused(api, reviewer, file_contract):
    contract_id = file_contract()
    register(reviewer, contract_id)
    rows = [{"kind": "equipment", "description": "换热器两台", "amount": "200000.00"}]
    response = ask(api, contract_id, "change", {"deductions": rows, "technical_amount": "1080000.00"})
    assert response.status_code == 422, response.json
    assert [(e["code"], e["field"]) for e in response.json["errors"]] == [
        ("amount.technical_mismatch", "changes.technical_amount")
    ]
    incomplete = ask(api, contract_id, "change", {"deductions": [{"kind": "equipment", "amount": "1.00"}]})
    assert incomplete.status_code == 422
    assert incomplete.json["errors"][0]["field"] == "changes.deductions.0.description"
    assert api.get(f"/api/v1/contracts/{contract_id}/requests").json["items"] == []


def test_a_change_of_the_other_parties_is_listed_on_the_new_certificate(api, reviewer, file_contract):
    contract_id = file_contract()
    register(reviewer, contract_id)
    intermediary = {
        "role": "intermediary",
        "name": "邯郸某某技术转移中心",
        "credit_code": "91130400105834526F",
        "area_code": "130403",
        "nature": "150",
    }
    asked = ask(api, contract_id, "change", {"other_parties": [intermediary]})
    assert asked.status_code == 201, asked.json
    assert decide(reviewer, asked.json["id"], "approve").status_code == 200
    contract = api.get(f"/api/v1/contracts/{contract_id}").json
    assert [(p["role"], p["name"]) for p in contract["other_parties"]] == [("intermediary", "邯郸某某技术转移中心")]
    assert contract["certificate"]["version"] == 2
    response = api.get(contract["certificate"]["url"])
    text = pdf_text(response.get_data())
    response.close()
    assert "中介方" in text and "邯郸某某技术转移中心" in text and "91130400105834526F" in text


def test_another_party_is_checked_as_in_filing_and_the_first_parties_stay(api, reviewer, file_contract):
    contract_id = file_contract()
    register(reviewer, contract_id)
    wrong = {
        "role": "seller",
        "name": "邯郸某某研究院",
        "credit_code": "1210000040",
        "area_code": "130403",
        "nature": "021",
    }
    response = ask(api, contract_id, "change", {"other_parties": [wrong]})
    assert response.status_code == 422, response.json
    assert "changes.other_parties.0.credit_code" in [e["field"] for e in response.json["errors"]]
    for role in ("seller", "buyer"):
        refused = ask(api, contract_id, "change", {role: {"name": "别家"}, "valid_until": "2099-01-01"})
        assert refused.status_code == 422
        assert [(e["code"], e["field"]) for e in refused.json["errors"]] == [
            ("request.party_not_changeable", f"changes.{role}")
        ]
        assert (
            "seller and buyer" in refused.json["errors"][0]["message"] or "卖方" in refused.json["errors"][0]["message"]
        )
    assert api.get(f"/api/v1/contracts/{contract_id}/requests").json["items"] == []


def test_a_large_change_of_the_deductions_waits_for_a_second_reviewer(api, reviewer, second, file_contract):
    contract_id = file_contract()
    register(reviewer, contract_id)
    rows = [{"kind": "equipment", "description": "成套设备", "amount": "500000.00"}]
    asked = ask(api, contract_id, "change", {"amount": "12000000.00", "deductions": rows})
    assert asked.status_code == 201, asked.json
    assert decide(reviewer, asked.json["id"], "approve").json["awaits_second_approval"] is True
    pending = api.get(f"/api/v1/contracts/{contract_id}").json
    assert pending["version"] == 1 and [d["description"] for d in pending["deductions"]] == ["换热器两台"]
    proposed = pending["pending_change"]["changes"]["deductions"]
    assert [d["description"] for d in proposed["from"]] == ["换热器两台"]
    assert [d["description"] for d in proposed["to"]] == ["成套设备"]

    assert decide(second, asked.json["id"], "approve").json["status"] == "approved"
    contract = api.get(f"/api/v1/contracts/{contract_id}").json
    assert [(d["description"], d["amount"]) for d in contract["deductions"]] == [("成套设备", "500000.00")]
    assert (contract["technical_amount"], contract["certified_technical_amount"]) == ("11500000.00", "11500000.00")
    assert contract["version"] == 2


def test_a_request_naming_a_person_shows_the_id_number_masked(api, reviewer, file_contract):
    """The request and the contract's history record the change of the other parties, never a full ID number."""
    contract_id = file_contract()
    register(reviewer, contract_id)
    person = {
        "role": "buyer",
        "name": "张三",
        "id_number": "11010519491231002X",
        "area_code": "130402",
        "nature": "400",
    }
    asked = ask(api, contract_id, "change", {"other_parties": [person]})
    assert asked.status_code == 201, asked.json
    assert asked.json["changes"]["other_parties"][0]["id_number"] == "110105********002X"
    for client in (api, reviewer):
        listed = client.get(f"/api/v1/contracts/{contract_id}/requests").json["items"]
        assert listed[0]["changes"]["other_parties"][0]["name"] == "张三"
        contract = client.get(f"/api/v1/contracts/{contract_id}")
        assert "11010519491231002X" not in contract.get_data(as_text=True)
        assert "11010519491231002X" not in client.get(f"/api/v1/contracts/{contract_id}/requests").get_data(
            as_text=True
        )
    assert decide(reviewer, asked.json["id"], "approve").status_code == 200
    contract = api.get(f"/api/v1/contracts/{contract_id}")
    assert "11010519491231002X" not in contract.get_data(as_text=True)
    assert contract.json["other_parties"][0]["id_number"] == "110105********002X"
