"""Other parties on the filing form without JavaScript: add a block, remove one, save, errors at the right party;
the contract pages list every party with its role."""

from __future__ import annotations

import re
from datetime import timedelta

from app.domain.clock import today_local
from app.extensions import db
from app.models import Contract
from tests.factories import filing
from tests.web.webtools import contract_id_of, csrf, element, form_fields, submit

NEW = "/contracts/new?category=development&subtype=commissioned"
BROKER = {
    "role": "intermediary",
    "name": "邯郸某某技术转移中心",
    "credit_code": "91130400105834526F",
    "area_code": "130403",
    "nature": "150",
    "country": "156",
}
CO_SELLER = {
    "role": "seller",
    "name": "邯郸某某研究院",
    "credit_code": "12100000400000624D",
    "area_code": "130402",
    "nature": "021",
    "country": "156",
}


def posted(client, url: str, parties: list[dict], **extra):
    fields = form_fields(filing())
    for index, party in enumerate(parties):
        fields |= {f"other_parties.{index}.{name}": value for name, value in party.items()}
    data = {**fields, "other_party_rows": str(len(parties)), "csrf_token": csrf(client, NEW), **extra}
    return client.post(url, data=data)


def test_add_a_party_shows_one_more_empty_block_and_saves_nothing(web, app):
    page = web.get(NEW)
    assert 'id="f-other_parties.0"' not in page.text and 'value="add_party"' in page.text
    response = posted(web, "/contracts/new", [BROKER], then="add_party")
    assert response.status_code == 200
    first, second = element(response.text, "f-other_parties.0"), element(response.text, "f-other_parties.1")
    assert first.inputs["other_parties.0.name"] == BROKER["name"]
    assert second.inputs["other_parties.1.name"] == "" and second.inputs["other_parties.1.country"] == "156"
    assert 'name="other_party_rows" value="2"' in response.text
    first_button = re.search(r'<button type="submit"[^>]*>', response.text.split('id="filing-form"')[1]).group(0)
    assert 'value="save"' in first_button  # pressing Enter in a field saves, never adds or removes a party
    with app.app_context():
        assert db.session.query(Contract).count() == 0


def test_remove_a_party_moves_the_next_ones_up(web, app):
    response = posted(web, "/contracts/new", [BROKER, CO_SELLER], remove_party="0")
    assert response.status_code == 200
    assert element(response.text, "f-other_parties.0").inputs["other_parties.0.name"] == CO_SELLER["name"]
    assert 'id="f-other_parties.1"' not in response.text
    with app.app_context():
        assert db.session.query(Contract).count() == 0


def test_saved_parties_come_back_in_the_form_and_on_both_contract_pages(web, app, sign_in, make_account):
    empty = {name: "" for name in BROKER} | {"role": "seller", "country": "156"}
    saved = posted(web, "/contracts/new", [BROKER, empty, CO_SELLER], then="edit")
    assert saved.status_code == 302, saved.text
    contract_id = contract_id_of(saved)
    with app.app_context():
        contract = db.session.get(Contract, contract_id)
        assert [(p.position, p.role, p.name) for p in contract.other_parties] == [
            (0, "intermediary", BROKER["name"]),
            (1, "seller", CO_SELLER["name"]),
        ]
    form = web.get(f"/contracts/{contract_id}/edit").text
    assert element(form, "f-other_parties.1").inputs["other_parties.1.credit_code"] == CO_SELLER["credit_code"]
    assert 'value="intermediary" selected' in form
    detail = element(web.get(f"/contracts/{contract_id}").text, "f-other_parties").text
    assert "中介方" in detail and BROKER["name"] in detail and CO_SELLER["name"] in detail


def test_an_error_is_shown_at_the_partys_own_field(web, app):
    wrong = CO_SELLER | {"credit_code": "12345"}
    response = posted(web, "/contracts/new", [BROKER, wrong], then="edit")
    assert response.status_code == 302
    form = web.get(response.headers["Location"]).text
    assert "credit_code.malformed" in element(form, "f-other_parties.1.credit_code").codes
    assert "credit_code.malformed" not in element(form, "f-other_parties.0.credit_code").codes
    bad_code = posted(web, "/contracts/new", [BROKER | {"nature": "999"}], then="edit")
    assert bad_code.status_code == 422
    assert "code.unknown" in element(bad_code.text, "f-other_parties.0.nature").codes


def test_the_station_sees_every_party_with_its_role_and_the_first_sellers_station(file_contract, sign_in, make_account):
    contract_id = file_contract(other_parties=[{k: v for k, v in BROKER.items() if k != "country"}])
    reviewer = sign_in(make_account("reviewer", station_code="130402"))
    page = reviewer.get(f"/station/contracts/{contract_id}")
    assert page.status_code == 200
    party = element(page.text, "f-other_parties.0")
    assert "中介方" in party.text and BROKER["name"] in party.text and BROKER["credit_code"] in party.text
    other_station = sign_in(make_account("reviewer", station_code="130403"))
    assert other_station.get(f"/station/contracts/{contract_id}").status_code == 404


def test_after_a_resubmission_the_station_sees_the_changed_party(web, file_contract, sign_in, make_account):
    broker = {k: v for k, v in BROKER.items() if k != "country"}
    contract_id = file_contract(other_parties=[broker])
    reviewer = sign_in(make_account("reviewer", station_code="130402"))
    token = csrf(reviewer, f"/station/contracts/{contract_id}")
    assert reviewer.post(f"/station/contracts/{contract_id}/accept", data={"csrf_token": token}).status_code == 302
    token = csrf(reviewer, f"/station/contracts/{contract_id}")
    due = (today_local() + timedelta(days=10)).isoformat()
    amend = {"csrf_token": token, "reasons": "核对中介方信息", "due_on": due}
    assert reviewer.post(f"/station/contracts/{contract_id}/request-amendment", data=amend).status_code == 302

    fields = form_fields(filing()) | {f"other_parties.0.{k}": v for k, v in (BROKER | {"name": "邯郸新中介"}).items()}
    fields |= {"other_party_rows": "1", "csrf_token": csrf(web, f"/contracts/{contract_id}/edit"), "then": "view"}
    assert web.post(f"/contracts/{contract_id}/edit", data=fields).status_code == 302
    assert submit(web, contract_id).status_code == 302

    page = reviewer.get(f"/station/contracts/{contract_id}").text
    rows = dict(re.findall(r'<tr data-field="([\w.]+)">(.*?)</tr>', page, re.S))
    assert list(rows) == ["other_parties.0.name"]
    assert "其他当事人 1" in rows["other_parties.0.name"] and "邯郸新中介" in rows["other_parties.0.name"]
    assert BROKER["name"] in rows["other_parties.0.name"]
