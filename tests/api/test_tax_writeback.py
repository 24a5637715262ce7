"""The tax office answering back over the API (API.md "Tax write-back"): claims, objections and the station's answer,
their problems, and their feed events."""

from __future__ import annotations

import pytest

from app.domain.clock import today_local
from tests.factories import BUYER_CODE, SELLER_CODE

YEAR = today_local().year
REGISTER = {"category": "development", "subtype": "commissioned", "certified_technical_amount": "1080000.00"}


@pytest.fixture
def office(make_account, api_as, file_contract):
    reviewer = api_as(make_account("reviewer", station_code="130402"))
    contract_id = file_contract()
    reviewer.post(f"/api/v1/contracts/{contract_id}/accept", json={})
    number = reviewer.post(f"/api/v1/contracts/{contract_id}/register", json=REGISTER).json["registration_number"]
    return {
        "number": number,
        "contract_id": contract_id,
        "reviewer": reviewer,
        "officer": api_as(make_account("tax", area_codes=("130402",))),
        "colleague": api_as(make_account("tax", area_codes=("130402",))),
        "elsewhere": api_as(make_account("tax", area_codes=("130403",))),
    }


def claim(number: str, **overrides) -> dict:
    return {
        "registration_number": number,
        "preference": "rd_super_deduction",
        "tax_year": YEAR,
        "claimant_credit_code": BUYER_CODE,
        **overrides,
    }


def test_the_same_claim_twice_is_a_409_naming_the_first_recorder(office):
    first = office["officer"].post("/api/v1/tax/claims", json=claim(office["number"]))
    assert first.status_code == 201, first.json
    assert first.json["claimant_name"] == "深圳买方股份有限公司" and first.json["recorded_by"] == "测试tax"
    again = office["colleague"].post("/api/v1/tax/claims", json=claim(office["number"]))
    assert again.status_code == 409 and again.mimetype == "application/problem+json"
    assert "测试tax" in again.json["detail"] and first.json["tax_office"] in again.json["detail"]
    assert "@" not in again.json["detail"]  # the officer's e-mail stays private
    assert again.json["errors"][0]["code"] == "tax_claim.duplicate"
    listed = office["colleague"].get(f"/api/v1/tax/claims?tax_year={YEAR}").json["items"]
    assert [c["id"] for c in listed] == [first.json["id"]]
    assert office["colleague"].get("/api/v1/tax/claims?mine=true").json["items"] == []


def test_out_of_scope_and_unknown_numbers_are_the_same_404_and_the_wrong_claimant_a_422(office):
    foreign = office["elsewhere"].post("/api/v1/tax/claims", json=claim(office["number"]))
    unknown = office["officer"].post("/api/v1/tax/claims", json=claim("1304022026999999"))
    assert foreign.status_code == unknown.status_code == 404 and foreign.json["detail"] == unknown.json["detail"]
    seller = office["officer"].post(
        "/api/v1/tax/claims", json=claim(office["number"], claimant_credit_code=SELLER_CODE)
    )
    assert seller.status_code == 422 and seller.json["errors"][0]["code"] == "claimant.not_entitled"
    assert (
        office["elsewhere"]
        .post("/api/v1/tax/objections", json={"registration_number": office["number"], "reason": "x"})
        .status_code
        == 404
    )


def test_an_objection_corrected_over_the_api_issues_version_two_and_reaches_the_feed(office):
    body = {"registration_number": office["number"], "reason": "认定金额偏高"}
    raised = office["officer"].post("/api/v1/tax/objections", json=body)
    assert raised.status_code == 201 and raised.json["status"] == "open"
    assert office["colleague"].post("/api/v1/tax/objections", json=body).status_code == 409  # one open at a time
    waiting = office["reviewer"].get("/api/v1/tax/objections?status=open").json["items"]
    assert [o["id"] for o in waiting] == [raised.json["id"]]
    answer = {"outcome": "corrected", "note": "核减", "changes": {"certified_technical_amount": "900000.00"}}
    answered = office["reviewer"].post(f"/api/v1/objections/{raised.json['id']}/answer", json=answer)
    assert answered.status_code == 200, answered.json
    assert (answered.json["status"], answered.json["outcome"], answered.json["version"]) == ("answered", "corrected", 2)
    contract = office["reviewer"].get(f"/api/v1/contracts/{office['contract_id']}").json
    assert contract["certified_technical_amount"] == "900000.00" and contract["version"] == 2
    again = office["reviewer"].post(f"/api/v1/objections/{raised.json['id']}/answer", json=answer)
    assert again.status_code == 409
    feed = office["officer"].get("/api/v1/tax/feed?limit=500").json["items"]
    mine = [item for item in feed if item["registration_number"] == office["number"]]
    assert [item["event"] for item in mine] == ["registered", "objection", "changed", "objection_answered"]
    assert mine[-1]["objection"]["outcome"] == "corrected" and mine[-1]["version"] == 2


def test_a_correction_without_changes_is_a_422(office):
    raised = (
        office["officer"]
        .post("/api/v1/tax/objections", json={"registration_number": office["number"], "reason": "类别有误"})
        .json
    )
    refused = office["reviewer"].post(
        f"/api/v1/objections/{raised['id']}/answer", json={"outcome": "corrected", "note": "更正"}
    )
    assert refused.status_code == 422 and refused.json["errors"][0]["field"] == "changes"
    assert office["officer"].get(f"/api/v1/objections/{raised['id']}").json["status"] == "open"
