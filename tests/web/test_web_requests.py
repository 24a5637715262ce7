"""Requests after registration on the pages: the applicant asks on its registered contract's page, the station
sees them in its queue and decides on the contract's page; an open amount filed through the form."""

from __future__ import annotations

import re

import pytest

from app.extensions import db
from app.models import Contract
from tests.factories import filing
from tests.web.webtools import contract_id_of, csrf, element, form_fields, submit, upload


@pytest.fixture
def reviewer_api(make_account, api_as):
    return api_as(make_account("reviewer", station_code="130402"))


@pytest.fixture
def reviewer(sign_in, make_account):
    return sign_in(make_account("reviewer", station_code="130402"))


def registered(reviewer_api, contract_id: int, amount: str = "1080000.00") -> int:
    assert reviewer_api.post(f"/api/v1/contracts/{contract_id}/accept", json={}).status_code == 200
    body = {"category": "development", "subtype": "commissioned", "certified_technical_amount": amount}
    assert reviewer_api.post(f"/api/v1/contracts/{contract_id}/register", json=body).json["status"] == "registered"
    return contract_id


def ask(client, contract_id: int, **data):
    token = csrf(client, f"/contracts/{contract_id}")
    return client.post(f"/contracts/{contract_id}/requests", data={**data, "csrf_token": token})


def decide(client, contract_id: int, request_id: int, action: str, **data):
    token = csrf(client, f"/station/contracts/{contract_id}")
    url = f"/station/contracts/{contract_id}/requests/{request_id}/{action}"
    return client.post(url, data={**data, "csrf_token": token})


def asks_confirmation(page: str, element_id: str) -> bool:
    return re.search(rf'id="{element_id}"[^>]*data-confirm="[^"]+"', page) is not None


def request_id_on(page: str) -> int:
    assert element(page, "requests-list") is not None, "no requests on the page"
    return int(re.findall(r'id="request-(\d+)"', page)[-1])


def test_the_applicant_asks_a_change_and_the_station_approves_it_on_its_pages(
    web, reviewer, reviewer_api, file_contract
):
    contract_id = registered(reviewer_api, file_contract())
    page = web.get(f"/contracts/{contract_id}").text
    for kind in ("change", "cancel"):
        assert asks_confirmation(page, f"form-request-{kind}")
    assert element(page, "form-request-supplement") is None  # the amount was fixed at signing

    asked = ask(web, contract_id, kind="change", amount="1,500,000", technical_amount="1300000", reason="补充协议")
    assert asked.status_code == 302
    page = web.get(f"/contracts/{contract_id}").text
    listed = element(page, "requests-list")
    assert listed.statuses == ["pending"] and "待处理" in listed.text and "补充协议" in listed.text
    assert listed.codes == ["amount", "technical_amount"] and "1,500,000.00" in listed.text
    assert element(page, "request-forms") is None  # one waiting request at a time

    queue = reviewer.get("/station/queue").text
    callout = element(queue, "requests-pending")
    assert callout is not None and "变更" in callout.text

    request_id = request_id_on(reviewer.get(f"/station/contracts/{contract_id}").text)
    station_page = reviewer.get(f"/station/contracts/{contract_id}").text
    assert asks_confirmation(station_page, f"form-approve-request-{request_id}")
    assert asks_confirmation(station_page, f"form-refuse-request-{request_id}")
    assert decide(reviewer, contract_id, request_id, "approve", note="同意").status_code == 302

    page = web.get(f"/contracts/{contract_id}").text
    assert element(page, "requests-list").statuses == ["approved"] and "已同意" in element(page, "requests-list").text
    timeline = element(page, "timeline").text
    assert "申请人申请" in timeline and "申请已同意" in timeline and "第 2 版" in timeline
    assert element(reviewer.get("/station/queue").text, "requests-pending") is None


def test_refusing_without_a_note_is_shown_beside_the_note_and_changes_nothing(
    web, reviewer, reviewer_api, file_contract, app
):
    contract_id = registered(reviewer_api, file_contract())
    ask(web, contract_id, kind="cancel", reason="合同提前终止")
    request_id = request_id_on(web.get(f"/contracts/{contract_id}").text)
    refused = decide(reviewer, contract_id, request_id, "refuse", note="")
    assert refused.status_code == 422
    form = element(refused.text, f"form-refuse-request-{request_id}")
    assert form.codes == ["required"]
    assert decide(reviewer, contract_id, request_id, "refuse", note="未协商一致").status_code == 302
    page = web.get(f"/contracts/{contract_id}").text
    listed = element(page, "requests-list")
    assert listed.statuses == ["refused"] and "未协商一致" in listed.text and "未同意" in listed.text
    with app.app_context():
        assert db.session.get(Contract, contract_id).status == "registered"


def test_a_bad_amount_in_the_request_form_is_flashed_and_stores_nothing(web, reviewer_api, file_contract):
    contract_id = registered(reviewer_api, file_contract())
    response = ask(web, contract_id, kind="change", amount="abc", reason="补充协议")
    assert response.status_code == 302
    page = web.get(f"/contracts/{contract_id}").text
    assert "成交额" in page and element(page, "requests-list") is None


def test_requests_are_not_offered_before_registration_nor_to_another_organisation(
    web, file_contract, sign_in, make_account, reviewer
):
    contract_id = file_contract()
    assert element(web.get(f"/contracts/{contract_id}").text, "request-forms") is None
    assert ask(web, contract_id, kind="cancel", reason="x").status_code == 302  # refused, flashed
    assert "只能对已登记" in web.get(f"/contracts/{contract_id}").text
    stranger = sign_in(make_account("applicant", credit_code="91110108551385082Q", org_name="别家"))
    assert stranger.post(f"/contracts/{contract_id}/requests", data={"csrf_token": csrf(stranger)}).status_code == 404


def test_an_open_amount_filed_through_the_form_is_registered_and_supplemented(web, reviewer, reviewer_api, app):
    data = filing(amount=None, technical_amount=None, deductions=[], payment_method="royalty")
    token = csrf(web, "/contracts/new?category=development&subtype=commissioned")
    saved = web.post(
        "/contracts/new", data={**form_fields(data), "amount_open": "1", "csrf_token": token, "then": "view"}
    )
    assert saved.status_code == 302
    contract_id = contract_id_of(saved)
    upload(web, contract_id)
    assert submit(web, contract_id).status_code == 302
    with app.app_context():
        contract = db.session.get(Contract, contract_id)
        assert contract.status == "submitted" and contract.amount_fixed is False and contract.amount is None
    edit = web.get(f"/contracts/{contract_id}").text
    assert "补正" in edit
    assert reviewer_api.post(f"/api/v1/contracts/{contract_id}/accept", json={}).status_code == 200
    station = element(reviewer.get(f"/station/contracts/{contract_id}").text, "form-register")
    assert station.inputs["certified_technical_amount"] == "0.00"  # the register form proposes the fixed part
    body = {"category": "development", "subtype": "commissioned", "certified_technical_amount": "0.00"}
    assert reviewer_api.post(f"/api/v1/contracts/{contract_id}/register", json=body).json["status"] == "registered"
    page = web.get(f"/contracts/{contract_id}").text
    assert element(page, "amount-open-note") is not None and element(page, "form-request-supplement") is not None
    ask(web, contract_id, kind="supplement", amount="800000", technical_amount="700000", reason="首年提成结算")
    request_id = request_id_on(web.get(f"/contracts/{contract_id}").text)
    assert decide(reviewer, contract_id, request_id, "approve").status_code == 302
    with app.app_context():
        contract = db.session.get(Contract, contract_id)
        assert contract.amount_fixed is True and str(contract.certified_technical_amount) == "700000.00"
        assert contract.version == 2
    assert element(web.get(f"/contracts/{contract_id}").text, "amount-open-note") is None


def test_the_change_form_shows_the_deductions_and_parties_in_force_and_asks_to_replace_them(
    web, reviewer, reviewer_api, file_contract
):
    contract_id = registered(reviewer_api, file_contract())
    form = element(web.get(f"/contracts/{contract_id}").text, "form-request-change")
    assert form.inputs["deductions.0.description"] == "换热器两台" and form.inputs["deductions.0.amount"] == "170000.00"
    assert form.inputs["other_parties.0.name"] == ""  # one empty block to add a party
    assert "第一卖方和第一买方" in form.text

    fields = {name: value for name, value in form.inputs.items() if name != "csrf_token"}
    fields |= {
        "deductions.0.kind": "equipment",
        "deductions.1.kind": "raw_materials",
        "deductions.1.description": "试剂",
        "deductions.1.amount": "30,000",
        "other_parties.0.role": "intermediary",
        "other_parties.0.name": "邯郸某某技术转移中心",
        "other_parties.0.credit_code": "91130400105834526F",
        "other_parties.0.area_code": "130403",
        "other_parties.0.nature": "150",
        "reason": "补充协议增加材料费并引入中介",
    }
    assert ask(web, contract_id, **fields).status_code == 302
    listed = element(web.get(f"/contracts/{contract_id}").text, "requests-list")
    assert listed.statuses == ["pending"], web.get(f"/contracts/{contract_id}").text
    assert set(listed.codes) == {"deductions", "other_parties", "technical_amount"}
    assert "试剂 30,000.00" in listed.text and "1,050,000.00" in listed.text and "邯郸某某技术转移中心" in listed.text

    station_page = reviewer.get(f"/station/contracts/{contract_id}").text
    request_id = request_id_on(station_page)
    assert "试剂 30,000.00" in element(station_page, f"request-{request_id}").text
    assert decide(reviewer, contract_id, request_id, "approve").status_code == 302
    page = web.get(f"/contracts/{contract_id}").text
    assert element(page, "requests-list").statuses == ["approved"]
    assert "邯郸某某技术转移中心" in element(page, "timeline").text


def test_a_bad_party_in_the_change_form_is_flashed_with_its_field(web, reviewer_api, file_contract):
    contract_id = registered(reviewer_api, file_contract())
    asked = ask(
        web,
        contract_id,
        kind="change",
        with_other_parties="1",
        **{"other_parties.0.role": "seller", "other_parties.0.name": "某研究院", "other_parties.0.credit_code": "123"},
        reason="增加卖方",
    )
    assert asked.status_code == 302
    page = web.get(f"/contracts/{contract_id}").text
    assert element(page, "requests-list") is None and "其他当事人 1 的统一社会信用代码" in page
