"""DELETE /api/v1/contracts/{id}: a draft disappears (204); a submitted filing is a 409; another's is a 404."""

from __future__ import annotations

from tests.factories import BUYER_CODE, filing


def test_deleting_a_draft_answers_204_and_the_draft_is_gone(api):
    contract = api.post("/api/v1/contracts", json=filing()).json
    response = api.delete(f"/api/v1/contracts/{contract['id']}")
    assert response.status_code == 204 and response.data == b""
    assert api.get(f"/api/v1/contracts/{contract['id']}").status_code == 404
    assert contract["id"] not in [item["id"] for item in api.get("/api/v1/contracts").json["items"]]


def test_a_submitted_filing_is_not_deleted(api, file_contract):
    contract_id = file_contract()
    response = api.delete(f"/api/v1/contracts/{contract_id}")
    assert response.status_code == 409
    assert response.headers["Content-Type"].startswith("application/problem+json")
    assert api.get(f"/api/v1/contracts/{contract_id}").json["status"] == "submitted"


def test_another_organisations_draft_is_not_found(api, api_as, make_account):
    contract = api.post("/api/v1/contracts", json=filing()).json
    stranger = api_as(make_account("applicant", credit_code=BUYER_CODE, org_name="别家公司"))
    assert stranger.delete(f"/api/v1/contracts/{contract['id']}").status_code == 404
    assert api.get(f"/api/v1/contracts/{contract['id']}").status_code == 200


def test_the_operation_is_documented(api):
    operation = api.get("/api/v1/openapi.json").json["paths"]["/api/v1/contracts/{contract_id}"]["delete"]
    assert set(operation["responses"]) >= {"204", "401", "403", "404", "409"}
    assert "draft" in (operation.get("summary", "") + operation.get("description", "")).lower()
