"""Shared set-up of the subsidy tests: a registered contract, programmes, a second bureau account."""

from __future__ import annotations

from datetime import timedelta

from app.domain.clock import today_local
from tests.factories import BUYER_CODE

REGISTER = {"category": "development", "subtype": "commissioned", "certified_technical_amount": "1080000.00"}
INTERMEDIARY = {
    "role": "intermediary",
    "name": "邯郸某某技术转移中心",
    "credit_code": "91130400105834526F",
    "area_code": "130403",
    "nature": "150",
}


def register(reviewer, contract_id: int, body: dict | None = None) -> dict:
    assert reviewer.post(f"/api/v1/contracts/{contract_id}/accept", json={}).status_code == 200
    response = reviewer.post(f"/api/v1/contracts/{contract_id}/register", json=body or REGISTER)
    assert response.status_code == 200, response.json
    return response.json


def programme_body(**overrides) -> dict:
    today = today_local()
    body = {
        "name": f"{today.year}年邯郸市技术交易补贴",
        "year": today.year,
        "beneficiary": "buyer",
        "basis": "contract_amount",
        "rate": "0.05",
        "cap_per_contract": "1000000.00",
        "budget": "5000000.00",
        "categories": [],
        "open_from": (today - timedelta(days=30)).isoformat(),
        "open_until": (today + timedelta(days=30)).isoformat(),
    }
    return {**body, **overrides}


def create_programme(bureau, **overrides) -> int:
    response = bureau.post("/api/v1/subsidy-programmes", json=programme_body(**overrides))
    assert response.status_code == 201, response.json
    return response.json["id"]


def buyer_account(make_account):
    return make_account("applicant", credit_code=BUYER_CODE, org_name="深圳买方股份有限公司")
