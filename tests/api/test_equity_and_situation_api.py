"""Technology as equity (a flag of transfers) and the filing's situation, through the API."""

from __future__ import annotations

import csv
import io

import pytest

from app.certificates.services import certificate_data
from app.domain.clock import today_local
from app.extensions import db
from app.models import Contract
from app.tax.services.exports import KEYS
from tests.api.test_contracts_api import attach, create, error_codes
from tests.factories import CATEGORY_VARIANTS, filing

TRANSFER = CATEGORY_VARIANTS["transfer"]  # a patent right with its number


def finding_codes(contract) -> set[tuple[str, str, str]]:
    return {(f["code"], f["severity"], f["field"]) for f in contract["findings"]}


def test_a_transfer_contributed_as_equity_is_filed_with_the_flag_and_submitted(api):
    contract = create(api, **TRANSFER, equity=True)
    assert (contract["subtype"], contract["equity"]) == ("patent_right", True)
    assert not [f for f in contract["findings"] if f["field"] == "equity"]
    attach(api, contract["id"])
    attach(api, contract["id"], kind="ip_certificate")
    submitted = api.post(f"/api/v1/contracts/{contract['id']}/submit", json={"acknowledge": []})
    assert submitted.status_code == 200, submitted.json
    assert submitted.json["equity"] is True


def test_a_contract_is_not_equity_unless_it_says_so(api):
    contract = create(api, **TRANSFER)
    assert (contract["equity"], contract["signed_by_internal_unit"], contract["government_funded"]) == (
        False,
        False,
        False,
    )


@pytest.mark.parametrize("category", ["development", "licensing", "service"])
def test_equity_on_another_category_is_a_finding_that_blocks_submission(api, category):
    contract = create(api, **CATEGORY_VARIANTS[category], equity=True)
    assert ("equity.not_transfer", "error", "equity") in finding_codes(contract)
    message = next(f["message"] for f in contract["findings"] if f["code"] == "equity.not_transfer")
    assert message.startswith("技术入股只适用于技术转让合同")
    attach(api, contract["id"])
    attach(api, contract["id"], kind="ip_certificate")
    refused = api.post(f"/api/v1/contracts/{contract['id']}/submit", json={"acknowledge": []})
    assert refused.status_code == 422 and ("equity.not_transfer", "equity") in error_codes(refused)


@pytest.mark.parametrize(
    "ip, subtype",
    [
        (dict(ip_type="invention_patent", ip_numbers=["ZL201310699744.2"]), "patent_right"),
        (dict(ip_type="know_how", ip_numbers=[]), "know_how"),
        (dict(ip_type="software_copyright", ip_numbers=["2020SR0123456"]), "other_transfer"),
    ],
)
def test_the_former_subtype_equity_is_mapped_to_the_flag_and_the_subtype_the_rights_say(api, ip, subtype):
    contract = create(api, category="transfer", subtype="equity", **ip)
    assert (contract["category"], contract["subtype"], contract["equity"]) == ("transfer", subtype, True)
    patched = api.patch(f"/api/v1/contracts/{contract['id']}", json={"subtype": "know_how"})
    assert (patched.json["subtype"], patched.json["equity"]) == ("know_how", True)  # the flag stays until unset
    unset = api.patch(f"/api/v1/contracts/{contract['id']}", json={"equity": False})
    assert unset.json["equity"] is False


@pytest.mark.parametrize(
    "value, code", [("perhaps", "type.boolean"), ("true", "type.boolean"), (1, "type.boolean"), (None, "null")]
)
def test_equity_must_be_a_json_boolean(api, value, code):
    response = api.post("/api/v1/contracts", json=filing(**TRANSFER, equity=value))
    assert response.status_code == 422 and error_codes(response) == {(code, "equity")}


@pytest.mark.parametrize(
    "situation, kind, code",
    [
        ("signed_by_internal_unit", "representative_authorisation", "attachments.representative_authorisation_missing"),
        ("government_funded", "funder_consent", "attachments.funder_consent_missing"),
    ],
)
def test_a_declared_situation_asks_for_its_attachment_before_submission(api, situation, kind, code):
    contract = create(api, **{situation: True})
    assert contract[situation] is True and (code, "error", "attachments") in finding_codes(contract)
    attach(api, contract["id"])
    refused = api.post(f"/api/v1/contracts/{contract['id']}/submit", json={"acknowledge": []})
    assert refused.status_code == 422 and (code, "attachments") in error_codes(refused)
    assert attach(api, contract["id"], kind=kind).status_code == 201
    submitted = api.post(f"/api/v1/contracts/{contract['id']}/submit", json={"acknowledge": []})
    assert submitted.status_code == 200, submitted.json


def test_a_development_contract_without_annex_or_quotation_is_noted_but_not_held_up(api):
    contract = create(api)
    notices = {(c, f) for c, s, f in finding_codes(contract) if s == "notice"}
    assert {
        ("attachments.technical_annex_missing", "attachments"),
        ("attachments.quotation_missing", "attachments"),
    } <= notices
    for kind in ("technical_annex", "quotation"):
        assert attach(api, contract["id"], kind=kind).status_code == 201
    after = api.get(f"/api/v1/contracts/{contract['id']}").json
    assert not {c for c, *_ in finding_codes(after)} & {
        "attachments.technical_annex_missing",
        "attachments.quotation_missing",
    }


KNOW_HOW_EQUITY = dict(category="transfer", subtype="know_how", ip_type="know_how", ip_numbers=[], equity=True)


def test_a_registered_equity_transfer_shows_on_the_certificate_in_statistics_and_in_the_tax_export(
    app, api_as, make_account, file_contract
):
    reviewer = api_as(make_account("reviewer", station_code="130402"))
    equity_id, plain_id = file_contract(**KNOW_HOW_EQUITY), file_contract(title="另一份合同")
    verify_urls = {}
    for contract_id, register in (
        (equity_id, {"category": "transfer", "subtype": "equity"}),  # the former sub-type names the flagged one's
        (plain_id, {"category": "development", "subtype": "commissioned"}),
    ):
        assert reviewer.post(f"/api/v1/contracts/{contract_id}/accept", json={}).status_code == 200
        body = {**register, "certified_technical_amount": "1080000.00"}
        registered = reviewer.post(f"/api/v1/contracts/{contract_id}/register", json=body)
        assert registered.status_code == 200, registered.json
        verify_urls[contract_id] = registered.json["certificate"]["verify_url"]
    assert (registered.json["subtype"], registered.json["equity"]) == ("commissioned", False)
    anyone = app.test_client()  # the public verification states the flag, on the page and in the JSON
    for contract_id, flagged in ((equity_id, True), (plain_id, False)):
        path = verify_urls[contract_id].split("/verify/", 1)[1]
        assert anyone.get(f"/api/v1/verify/{path}").json["equity"] is flagged
        assert ('id="equity-flag"' in anyone.get(f"/verify/{path}").text) is flagged
    with app.test_request_context():
        contract = db.session.get(Contract, equity_id)
        assert (contract.subtype, contract.contributed_as_equity) == ("know_how", True)
        assert certificate_data(contract, 1, "X", None).subtype == "技术秘密转让（技术入股）"
        plain = db.session.get(Contract, plain_id)
        assert "技术入股" not in certificate_data(plain, 1, "X", None).subtype

    year = today_local().year
    bureau = api_as(make_account("bureau"))
    rows = {row["equity"]: row for row in bureau.get(f"/api/v1/stats?year={year}&group_by=equity").json["rows"]}
    assert rows["equity"]["count"] == 1 and rows["equity"]["labels"]["equity"] == "技术入股"
    assert rows["not_equity"]["count"] == 1

    tax = api_as(make_account("tax", area_codes=("130402",)))
    today = today_local().isoformat()
    export = tax.get(f"/api/v1/tax/exports?from={today}&to={today}&format=csv")
    table = list(csv.reader(io.StringIO(export.get_data().decode("utf-8-sig"), newline="")))
    export.close()
    records = {row[KEYS.index("title")]: dict(zip(KEYS, row)) for row in table[2:]}
    assert table[0][KEYS.index("equity")] == "技术入股"
    flagged = next(r for title, r in records.items() if title != "另一份合同")
    assert (flagged["subtype"], flagged["equity"], flagged["equity_label"]) == ("know_how", "true", "技术入股")
    assert (records["另一份合同"]["equity"], records["另一份合同"]["equity_label"]) == ("false", "")
    feed = {item["subtype"]: item["equity"] for item in tax.get("/api/v1/tax/feed").json["items"]}
    assert feed == {"know_how": True, "commissioned": False}


def test_a_station_cannot_register_an_unflagged_contract_as_the_former_subtype_equity(
    api_as, make_account, file_contract
):
    reviewer = api_as(make_account("reviewer", station_code="130402"))
    contract_id = file_contract(**{**KNOW_HOW_EQUITY, "equity": False})
    reviewer.post(f"/api/v1/contracts/{contract_id}/accept", json={})
    body = {"category": "transfer", "subtype": "equity", "certified_technical_amount": "1080000.00", "note": "改类"}
    refused = reviewer.post(f"/api/v1/contracts/{contract_id}/register", json=body)
    assert refused.status_code == 422 and ("subtype.equity_is_a_flag", "subtype") in error_codes(refused)
    assert "技术入股已不再是合同子类" in refused.json["errors"][0]["message"]
