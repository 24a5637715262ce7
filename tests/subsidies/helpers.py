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


def make_claim(app, bureau_id: int, *, status: str = "pending", decided_by_id: int | None = None) -> dict:
    """A programme and a claim on it written straight to the database (for the access matrices): its ids."""
    from datetime import date
    from decimal import Decimal

    from app.extensions import db
    from app.models import SubsidyClaim, User
    from app.subsidies.services import programmes

    today = today_local()
    with app.app_context():
        bureau = db.session.get(User, bureau_id)
        body = programme_body()
        body.update(
            rate=Decimal("0.05"),
            cap_per_contract=None,
            budget=Decimal("5000000.00"),
            open_from=date.fromisoformat(body["open_from"]),
            open_until=date.fromisoformat(body["open_until"]),
        )
        programme = programmes.create(bureau, body)
        claim = SubsidyClaim(
            programme_id=programme.id,
            registration_number=f"13040220269{programme.id:05d}",
            beneficiary_credit_code=BUYER_CODE,
            beneficiary_name="深圳买方股份有限公司",
            beneficiary_role="buyer",
            registered_on=today,
            basis_amount=Decimal("1250000.00"),
            amount=Decimal("62500.00"),
            status=status,
            decided_by_id=decided_by_id,
            claimed_by_id=bureau_id,
        )
        db.session.add(claim)
        db.session.commit()
        return {"programme_id": programme.id, "claim_id": claim.id, "programme": programme.id}
