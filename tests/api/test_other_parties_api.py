"""Several parties through the API: accepted, returned, bounded, checked, and never changing who files, where it
is registered, or what is a duplicate."""

from __future__ import annotations

from tests.api.test_contracts_api import attach, create
from tests.factories import filing

# A co-seller in another district (served by the 130403 station) and an intermediary.
CO_SELLER = {
    "role": "seller",
    "name": "邯郸某某研究院",
    "credit_code": "12100000400000624D",
    "area_code": "130403",
    "nature": "021",
}
INTERMEDIARY = {
    "role": "intermediary",
    "name": "邯郸某某技术转移中心",
    "credit_code": "91130400105834526F",
    "area_code": "130403",
    "nature": "150",
}
PERSON = {"role": "buyer", "name": "张三", "id_number": "11010519491231002X", "area_code": "130402", "nature": "400"}


def test_other_parties_round_trip_in_order_with_ids_masked(api):
    contract = create(api, other_parties=[INTERMEDIARY, CO_SELLER, PERSON])
    got = api.get(f"/api/v1/contracts/{contract['id']}").json
    assert [(p["role"], p["name"]) for p in got["other_parties"]] == [
        ("intermediary", "邯郸某某技术转移中心"),
        ("seller", "邯郸某某研究院"),
        ("buyer", "张三"),
    ]
    assert got["other_parties"][2]["id_number"] == "110105********002X"
    assert got["other_parties"][0]["country"] == "156"
    assert got["seller"]["name"] == "示范科技有限公司"
    assert [f for f in got["findings"] if f["field"] != "attachments"] == []


def test_patch_replaces_the_list_and_leaving_it_out_keeps_it(api):
    contract = create(api, other_parties=[INTERMEDIARY, CO_SELLER])
    url = f"/api/v1/contracts/{contract['id']}"
    assert [p["role"] for p in api.patch(url, json={"title": "新名称"}).json["other_parties"]] == [
        "intermediary",
        "seller",
    ]
    assert [p["name"] for p in api.patch(url, json={"other_parties": [PERSON]}).json["other_parties"]] == ["张三"]
    assert api.patch(url, json={"other_parties": []}).json["other_parties"] == []


def test_a_contract_without_other_parties_returns_an_empty_list(api):
    assert create(api)["other_parties"] == []


def test_role_is_required_and_known_and_the_list_is_bounded(api):
    response = api.post(
        "/api/v1/contracts", json=filing(other_parties=[{"name": "无角色"}, {**CO_SELLER, "role": "x"}])
    )
    assert response.status_code == 422
    codes = {(e["code"], e["field"]) for e in response.json["errors"]}
    assert ("code.unknown", "other_parties.1.role") in codes
    assert any(field == "other_parties.0.role" for _, field in codes)
    response = api.post("/api/v1/contracts", json=filing(other_parties=[CO_SELLER] * 21))
    assert response.status_code == 422
    assert {(e["code"], e["field"]) for e in response.json["errors"]} == {("list.too_long", "other_parties")}


def test_each_party_is_checked_with_a_finding_naming_it(api):
    bad = {**INTERMEDIARY, "credit_code": "12345", "area_code": None}
    contract = create(api, other_parties=[CO_SELLER, bad])
    findings = {(f["code"], f["field"]) for f in contract["findings"] if f["field"] != "attachments"}
    assert findings == {
        ("credit_code.malformed", "other_parties.1.credit_code"),
        ("required", "other_parties.1.area_code"),
    }


def test_the_first_seller_chooses_the_station_whatever_the_other_parties(api):
    contract = create(api, other_parties=[CO_SELLER, INTERMEDIARY])
    assert attach(api, contract["id"]).status_code == 201
    response = api.post(f"/api/v1/contracts/{contract['id']}/submit", json={})
    assert response.status_code == 200, response.json
    assert response.json["station"]["code"] == "130402"


def test_a_co_seller_cannot_file_for_the_first_seller(make_account, api_as):
    co_seller = api_as(make_account("applicant", credit_code=CO_SELLER["credit_code"], area_code="130403"))
    contract = create(co_seller, other_parties=[CO_SELLER])
    assert ("filer.not_seller", "seller.credit_code") in {(f["code"], f["field"]) for f in contract["findings"]}


def test_duplicates_are_judged_by_the_first_seller_and_buyer(api):
    first = create(api, other_parties=[INTERMEDIARY])
    attach(api, first["id"])
    assert api.post(f"/api/v1/contracts/{first['id']}/submit", json={}).status_code == 200
    same_but_other_parties = create(api, other_parties=[CO_SELLER])
    assert "duplicate" in {f["code"] for f in same_but_other_parties["findings"]}
