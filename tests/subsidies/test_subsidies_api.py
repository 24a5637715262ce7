"""Subsidies through the API: who may claim on which registration and how much, the bureau's decisions under the
budget, the caps and four eyes, flags on ended registrations, and the signed payment list."""

from __future__ import annotations

import base64
import csv
import hashlib
import io
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, utils
from sqlalchemy import select

from app.extensions import db
from app.models import AuditRecord
from tests.subsidies.helpers import INTERMEDIARY, REGISTER, buyer_account, create_programme, register


@pytest.fixture
def people(make_account, api_as):
    """The seller (the default applicant), the buyer, the intermediary, a reviewer and two bureau accounts."""
    return {
        "seller": api_as(make_account("applicant")),
        "buyer": api_as(buyer_account(make_account)),
        "intermediary": api_as(
            make_account("applicant", credit_code=INTERMEDIARY["credit_code"], org_name=INTERMEDIARY["name"])
        ),
        "reviewer": api_as(make_account("reviewer", station_code="130402")),
        "bureau": api_as(make_account("bureau")),
        "bureau2": api_as(make_account("bureau")),
    }


@pytest.fixture
def registration(people, file_contract):
    """register(**filing overrides) → the registration number of a registered contract with an intermediary."""

    def make(registered_as: dict | None = None, **overrides) -> str:
        contract_id = file_contract(other_parties=[INTERMEDIARY], **overrides)
        return register(people["reviewer"], contract_id, registered_as)["registration_number"]

    return make


def claim(client, programme: int, number: str):
    return client.post("/api/v1/subsidy-claims", json={"programme": programme, "registration_number": number})


def test_the_buyer_claims_the_bureau_approves_and_a_second_account_pays(app, people, registration):
    programme = create_programme(people["bureau"])
    number = registration()
    offered = people["buyer"].get("/api/v1/subsidy-programmes/qualifying").json["items"]
    assert [(o["programme"], o["registration_number"], o["amount"]) for o in offered] == [
        (programme, number, "62500.00")  # 5 % of ¥1,250,000
    ]
    created = claim(people["buyer"], programme, number)
    assert created.status_code == 201
    assert (created.json["status"], created.json["amount"]) == ("pending", "62500.00")
    assert claim(people["buyer"], programme, number).status_code == 409  # once per programme and beneficiary
    assert people["buyer"].get("/api/v1/subsidy-programmes/qualifying").json["items"] == []
    claim_id = created.json["id"]
    assert people["buyer"].post(f"/api/v1/subsidy-claims/{claim_id}/approve", json={}).status_code == 403
    assert people["bureau"].post(f"/api/v1/subsidy-claims/{claim_id}/approve", json={}).json["status"] == "approved"
    refused = people["bureau"].post(f"/api/v1/subsidy-claims/{claim_id}/pay")
    assert refused.status_code == 403  # four eyes: whoever approved does not pay
    assert people["bureau2"].post(f"/api/v1/subsidy-claims/{claim_id}/pay").json["status"] == "paid"
    assert people["bureau2"].post(f"/api/v1/subsidy-claims/{claim_id}/pay").status_code == 409
    mine = people["buyer"].get("/api/v1/subsidy-claims").json["items"]
    assert [(c["id"], c["status"]) for c in mine] == [(claim_id, "paid")]
    assert people["seller"].get("/api/v1/subsidy-claims").json["items"] == []  # not the seller's claim
    with app.app_context():
        actions = db.session.scalars(
            select(AuditRecord.action).where(AuditRecord.object_type == "subsidy_claim").order_by(AuditRecord.id)
        ).all()
    assert actions == ["subsidy_claim.create", "subsidy_claim.approve", "subsidy_claim.pay"]


def test_only_the_beneficiary_role_claims_and_the_intermediary_gets_its_1_permille(people, registration):
    buyers = create_programme(people["bureau"])
    reward = create_programme(people["bureau"], beneficiary="intermediary", rate="0.001", cap_per_contract=None)
    number = registration()
    assert claim(people["seller"], buyers, number).status_code == 403  # the seller is not the buyer
    assert claim(people["intermediary"], buyers, number).status_code == 403
    assert claim(people["buyer"], reward, number).status_code == 403
    assert claim(people["intermediary"], reward, number).json["amount"] == "1250.00"  # 1 ‰ of ¥1,250,000
    assert claim(people["buyer"], buyers, "1304022026999999").status_code == 404
    assert people["reviewer"].get("/api/v1/subsidy-programmes").status_code == 403


def test_caps_per_contract_and_per_organisation_and_the_budget(people, registration):
    capped = create_programme(
        people["bureau"], rate="0.10", cap_per_contract="100000.00", cap_per_organisation_year="150000.00"
    )
    first, second, third = registration(), registration(title="第二份合同"), registration(title="第三份合同")
    assert claim(people["buyer"], capped, first).json["amount"] == "100000.00"  # 10 % = 125,000, capped
    assert claim(people["buyer"], capped, second).json["amount"] == "50000.00"  # what the yearly cap leaves
    assert claim(people["buyer"], capped, third).status_code == 409  # nothing left
    small = create_programme(people["bureau"], budget="100000.00")
    ids = [claim(people["buyer"], small, number).json["id"] for number in (first, second)]
    assert people["bureau"].post(f"/api/v1/subsidy-claims/{ids[0]}/approve", json={}).status_code == 200
    over = people["bureau"].post(f"/api/v1/subsidy-claims/{ids[1]}/approve", json={})
    assert over.status_code == 409 and "37500.00" in over.json["detail"]  # 100,000 − 62,500 left


def test_what_is_not_claimable(people, registration):
    programme = create_programme(people["bureau"], categories=["transfer"])
    assert claim(people["buyer"], programme, registration()).status_code == 409  # a development contract
    open_amount = registration(
        {**REGISTER, "certified_technical_amount": "0.00"},
        amount_fixed=False,
        amount=None,
        technical_amount=None,
        deductions=[],
        payment_method="royalty",
    )
    every = create_programme(people["bureau"])
    refused = claim(people["buyer"], every, open_amount)
    assert refused.status_code == 409 and "补正" in refused.json["detail"]
    last_year = create_programme(people["bureau"], year=2001)
    assert claim(people["buyer"], last_year, registration(title="另一份")).status_code == 409
    closed = create_programme(people["bureau"], open_from="2020-01-01", open_until="2020-12-31")
    assert closed not in [p["id"] for p in people["buyer"].get("/api/v1/subsidy-programmes").json["items"]]
    assert closed in [p["id"] for p in people["bureau"].get("/api/v1/subsidy-programmes").json["items"]]


def test_a_cancelled_registration_flags_its_claims_until_the_bureau_clears_them(people, registration, app):
    programme = create_programme(people["bureau"])
    number = registration()
    claim_id = claim(people["buyer"], programme, number).json["id"]
    people["bureau"].post(f"/api/v1/subsidy-claims/{claim_id}/approve", json={})
    with app.app_context():
        from app.models import Contract

        contract_id = db.session.scalar(select(Contract.id).where(Contract.registration_number == number))
    cancelled = people["reviewer"].post(f"/api/v1/contracts/{contract_id}/cancel", json={"reason": "合同提前终止"})
    assert cancelled.status_code == 200
    flagged = people["buyer"].get("/api/v1/subsidy-claims").json["items"][0]
    assert flagged["flagged"] is True and "合同提前终止" in flagged["flag_reason"]
    assert people["bureau2"].post(f"/api/v1/subsidy-claims/{claim_id}/pay").status_code == 409
    assert people["bureau"].post(f"/api/v1/subsidy-claims/{claim_id}/clear-flag", json={"note": ""}).status_code == 422
    cleared = people["bureau"].post(f"/api/v1/subsidy-claims/{claim_id}/clear-flag", json={"note": "已履行完毕"})
    assert cleared.json["flagged"] is False
    assert people["bureau2"].post(f"/api/v1/subsidy-claims/{claim_id}/pay").json["status"] == "paid"


def test_a_rejection_needs_a_reason(people, registration):
    programme = create_programme(people["bureau"])
    claim_id = claim(people["buyer"], programme, registration()).json["id"]
    assert people["bureau"].post(f"/api/v1/subsidy-claims/{claim_id}/reject", json={"reason": ""}).status_code == 422
    rejected = people["bureau"].post(f"/api/v1/subsidy-claims/{claim_id}/reject", json={"reason": "材料不全"})
    assert (rejected.json["status"], rejected.json["rejection_reason"]) == ("rejected", "材料不全")
    assert people["bureau2"].post(f"/api/v1/subsidy-claims/{claim_id}/pay").status_code == 409


def test_the_payment_list_is_signed_by_the_bureau_root(app, people, registration, pki_dir):
    programme = create_programme(people["bureau"])
    claim_id = claim(people["buyer"], programme, registration()).json["id"]
    people["bureau"].post(f"/api/v1/subsidy-claims/{claim_id}/approve", json={})
    for fmt in ("csv", "xlsx"):
        body = people["bureau"].get(f"/api/v1/subsidy-payments?format={fmt}&programme={programme}").data
        manifest = people["bureau"].get(f"/api/v1/subsidy-payments/manifest?format={fmt}&programme={programme}").json
        assert manifest["rows"] == 1 and manifest["sha256"] == hashlib.sha256(body).hexdigest()
        root = x509.load_pem_x509_certificate(Path(pki_dir, "root-ca.pem").read_bytes())
        root.public_key().verify(
            base64.b64decode(manifest["signature"]),
            hashlib.sha256(body).digest(),
            ec.ECDSA(utils.Prehashed(hashes.SHA256())),
        )
    rows = list(csv.reader(io.StringIO(people["bureau"].get("/api/v1/subsidy-payments").data.decode("utf-8-sig"))))
    header, keys, row = rows[0], rows[1], rows[2]
    assert header[keys.index("role_label")] == "受益角色" and row[keys.index("role")] == "buyer"
    assert row[keys.index("role_label")] == "买方（承接成果企业）" and row[keys.index("status_label")] == "已批准"
    assert row[keys.index("amount")] == "62500.00"
    assert people["buyer"].get("/api/v1/subsidy-payments").status_code == 403
