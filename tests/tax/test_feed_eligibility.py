"""The feed's eligibility facts (DOMAIN.md §8, §12): the basis valid on the registration date, flagged when
unconfirmed; the R&D super deduction only for an enterprise buyer; provincial confirmation for transfer income."""

from __future__ import annotations

import io

import pytest

from tests.factories import MINIMAL_PDF, filing

GOVERNMENT_BUYER = {**filing()["buyer"], "nature": "010"}
PATENT_TRANSFER = {
    "category": "transfer",
    "subtype": "patent_right",
    "ip_type": "invention_patent",
    "ip_numbers": ["ZL201310699744.2"],
    "deductions": [],
    "technical_amount": "1250000.00",
}


@pytest.fixture
def feed(make_account, api, api_as):
    """register(**filing overrides) → the eligibility of its feed item."""
    reviewer = api_as(make_account("reviewer", station_code="130402"))
    officer = api_as(make_account("tax", area_codes=("130402",)))

    def submitted(**overrides) -> int:
        contract_id = api.post("/api/v1/contracts", json=filing(**overrides)).json["id"]
        for kind in ("contract_text", "ip_certificate"):
            api.post(
                f"/api/v1/contracts/{contract_id}/attachments",
                data={"kind": kind, "file": (io.BytesIO(MINIMAL_PDF), f"{kind}.pdf")},
            )
        response = api.post(f"/api/v1/contracts/{contract_id}/submit", json={})
        assert response.status_code == 200, response.json
        return contract_id

    def register(**overrides) -> dict:
        contract_id = submitted(**overrides)
        assert reviewer.post(f"/api/v1/contracts/{contract_id}/accept", json={}).status_code == 200
        body = {
            "category": overrides.get("category", "development"),
            "subtype": overrides.get("subtype", "commissioned"),
            "certified_technical_amount": overrides.get("technical_amount", "1080000.00"),
        }
        registered = reviewer.post(f"/api/v1/contracts/{contract_id}/register", json=body)
        assert registered.status_code == 200, registered.json
        items = officer.get("/api/v1/tax/feed", query_string={"limit": 200}).json["items"]
        return next(i for i in items if i["registration_number"] == registered.json["registration_number"])[
            "eligibility"
        ]

    return register


def test_a_registration_of_2026_states_the_vat_law_unconfirmed_and_an_enterprise_buyers_rd_deduction(feed):
    eligibility = feed()
    vat = eligibility["vat_exemption"]
    assert vat["eligible"] is True and "增值税法" in vat["basis"]  # registered today, after 2026-01-01
    assert vat["confirmed"] is False and vat["basis_valid_from"] == "2026-01-01"
    rd = eligibility["rd_super_deduction"]
    assert rd["eligible"] is True and rd["confirmed"] is True and "119号" in rd["basis"]


def test_a_government_buyer_gets_no_rd_deduction(feed):
    rd = feed(title="政府委托开发", buyer=GOVERNMENT_BUYER)["rd_super_deduction"]
    assert rd["eligible"] is False and rd["status"] == "not_eligible" and "机关" in rd["reason"]


def test_transfer_income_relief_says_a_city_registration_needs_provincial_confirmation(feed):
    cit = feed(title="专利权转让", **PATENT_TRANSFER)["cit_transfer_income"]
    assert cit["status"] == "needs_review" and cit["provincial_confirmation_required"] is True
    assert "省级" in cit["reason"] and "111号" in cit["basis"]
