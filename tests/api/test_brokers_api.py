"""Technology brokers through the API: the bureau registers them (ID numbers checked and always masked, a
certificate once), anyone signed in lists the active ones, and filings name active brokers only."""

from __future__ import annotations

import pytest

from app.demo.brokers import complete_resident_id
from app.demo.seed import complete_credit_code
from app.extensions import db
from app.models import AuditRecord
from tests.api.test_contracts_api import create
from tests.factories import filing, unique

ID_NUMBER = complete_resident_id("13040219850312051")


def broker_body(**overrides) -> dict:
    return {
        "kind": "broker",
        "name": "刘晓峰",
        "id_number": ID_NUMBER,
        "organisation": "邯郸市技术转移中心",
        "certificate_no": unique("JSJJR-"),
        "qualified_on": "2024-06-18",
    } | overrides


@pytest.fixture
def bureau_api(api_as, make_account):
    return api_as(make_account("bureau"))


@pytest.fixture
def register(bureau_api):
    def make(**overrides) -> dict:
        response = bureau_api.post("/api/v1/brokers", json=broker_body(**overrides))
        assert response.status_code == 201, response.json
        return response.json

    return make


def test_the_bureau_registers_a_broker_whose_id_number_is_only_ever_shown_masked(bureau_api, register, api):
    broker = register(organisation_credit_code=complete_credit_code("12130400MB0T00001"))
    assert broker["id_number"] == ID_NUMBER[:6] + "********" + ID_NUMBER[-4:]
    assert broker["status"] == "active" and broker["organisation"] == "邯郸市技术转移中心"
    for response in (bureau_api.get(f"/api/v1/brokers/{broker['id']}"), bureau_api.get("/api/v1/brokers")):
        assert ID_NUMBER not in response.text
    assert ID_NUMBER not in api.get("/api/v1/brokers").text


def test_identifiers_are_checked_and_a_certificate_is_registered_once(bureau_api, register):
    wrong = ID_NUMBER[:-1] + ("0" if ID_NUMBER[-1] != "0" else "1")
    response = bureau_api.post("/api/v1/brokers", json=broker_body(id_number=wrong, organisation_credit_code="X"))
    assert response.status_code == 422
    assert {(e["code"], e["field"]) for e in response.json["errors"]} == {
        ("id_number.check_digit", "id_number"),
        ("credit_code.invalid", "organisation_credit_code"),
    }
    first = register()
    again = bureau_api.post("/api/v1/brokers", json=broker_body(certificate_no=first["certificate_no"].lower()))
    assert again.status_code == 409
    assert again.json["errors"][0]["field"] == "certificate_no"


def test_others_list_only_active_brokers_and_the_bureau_filters_by_status(bureau_api, register, api):
    active, suspended = register(name="在册甲"), register(name="暂停乙")
    assert bureau_api.patch(f"/api/v1/brokers/{suspended['id']}", json={"status": "suspended"}).status_code == 200
    listed = {b["id"] for b in api.get("/api/v1/brokers").json["items"]}
    assert active["id"] in listed and suspended["id"] not in listed
    assert api.get("/api/v1/brokers?status=suspended").json["items"] == []
    only = bureau_api.get("/api/v1/brokers?status=suspended&q=暂停").json["items"]
    assert [b["id"] for b in only] == [suspended["id"]]


def test_revocation_is_final_and_audited(app, bureau_api, register):
    broker = register()
    url = f"/api/v1/brokers/{broker['id']}"
    assert bureau_api.patch(url, json={"status": "revoked", "note": "资格证书注销"}).json["status"] == "revoked"
    assert bureau_api.patch(url, json={"status": "active"}).status_code == 409
    with app.app_context():
        actions = db.session.query(AuditRecord.action).filter(AuditRecord.object_type == "broker").all()
        assert sorted(a for (a,) in actions if a.startswith("broker.")) == ["broker.register", "broker.status"]


def test_a_filing_names_active_brokers_and_shows_them_without_id_numbers(bureau_api, register, api):
    first, second = register(name="甲经纪"), register(name="乙经理", kind="manager")
    contract = create(api, brokers=[second["id"], first["id"]])
    assert [(b["id"], b["name"]) for b in contract["brokers"]] == [(first["id"], "甲经纪"), (second["id"], "乙经理")]
    assert set(contract["brokers"][0]) == {"id", "name", "certificate_no"}
    url = f"/api/v1/contracts/{contract['id']}"
    assert [b["id"] for b in api.patch(url, json={"title": "改名"}).json["brokers"]] == [first["id"], second["id"]]
    # suspended after being named: the draft keeps them, a new filing cannot name them
    bureau_api.patch(f"/api/v1/brokers/{first['id']}", json={"status": "suspended"})
    assert api.patch(url, json={"brokers": [first["id"]]}).status_code == 200
    refused = api.post("/api/v1/contracts", json=filing(brokers=[second["id"], first["id"]]))
    assert refused.status_code == 422
    assert [(e["code"], e["field"]) for e in refused.json["errors"]] == [("broker.not_active", "brokers.1")]
    assert api.patch(url, json={"brokers": []}).json["brokers"] == []


def test_unknown_duplicate_and_too_many_brokers_are_refused(register, api):
    broker = register()
    duplicate = api.post("/api/v1/contracts", json=filing(brokers=[broker["id"], broker["id"], 2_000_000_000]))
    assert duplicate.status_code == 422
    assert [(e["code"], e["field"]) for e in duplicate.json["errors"]] == [
        ("broker.duplicate", "brokers.1"),
        ("broker.not_active", "brokers.2"),
    ]
    assert api.post("/api/v1/contracts", json=filing(brokers=list(range(1, 12)))).status_code == 422


def test_only_the_bureau_registers_and_changes_brokers(register, api):
    broker = register()
    assert api.post("/api/v1/brokers", json=broker_body()).status_code == 403
    assert api.patch(f"/api/v1/brokers/{broker['id']}", json={"status": "revoked"}).status_code == 403
    assert api.get(f"/api/v1/brokers/{broker['id']}").status_code == 403
