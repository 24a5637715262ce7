"""The bureau's broker pages (registry with amounts, registration form, a broker's page and standing), brokers on
the filing form without JavaScript and on the contract's page, and the dashboard's count against the plan."""

from __future__ import annotations

from app.brokers import services as brokers
from app.demo.brokers import complete_resident_id
from app.extensions import db
from app.models import AuditRecord, Broker, User
from tests.api.test_contracts_api import attach
from tests.factories import filing, unique
from tests.web.webtools import contract_id_of, csrf, element, form_fields

ID_NUMBER = complete_resident_id("13040319900726082")
NEW = "/contracts/new?category=development&subtype=commissioned"
REGISTER = {
    "category": "development",
    "subtype": "commissioned",
    "certified_technical_amount": "1000000.00",
    "note": "核减非技术性费用",
}


def _register(app, bureau, name: str = "陈佳怡", **extra) -> int:
    with app.app_context():
        data = {"name": name, "id_number": ID_NUMBER, "certificate_no": unique("JSJJR-"), **extra}
        broker = brokers.register(db.session.get(User, bureau.id), data)
        db.session.commit()
        return broker.id


def test_the_bureau_registers_a_broker_on_the_form_and_sees_the_id_number_masked(make_account, sign_in):
    bureau = sign_in(make_account("bureau"))
    token = csrf(bureau, "/bureau/brokers")
    wrong = bureau.post("/bureau/brokers", data={"name": "陈佳怡", "id_number": "123", "csrf_token": token})
    assert wrong.status_code == 422
    assert 'data-code="id_number.malformed"' in wrong.text and 'data-code="required"' in wrong.text
    form = {"kind": "manager", "name": "陈佳怡", "id_number": ID_NUMBER, "certificate_no": "JSJLR-2025-0003"}
    done = bureau.post("/bureau/brokers", data={**form, "organisation": "河北工程大学", "csrf_token": token})
    assert done.status_code == 302
    page = bureau.get(done.headers["Location"]).text
    assert ID_NUMBER not in page and ID_NUMBER[-4:] in element(page, "broker-details").text
    again = bureau.post("/bureau/brokers", data={**form, "csrf_token": token})
    assert again.status_code == 409 and 'data-code="certificate_no.taken"' in again.text


def test_the_registry_totals_each_brokers_registered_contracts(app, sign_in, role_accounts, api_as):
    bureau_account = role_accounts["bureau"]
    named, idle = _register(app, bureau_account, "甲经纪"), _register(app, bureau_account, "乙经纪")
    owner, reviewer = api_as(role_accounts["owner"]), api_as(role_accounts["reviewer"])
    ids = []
    for amount in ("1200000.00", "300000.00"):
        body = filing(brokers=[named], amount=amount, technical_amount=amount, deductions=[])
        ids.append(owner.post("/api/v1/contracts", json=body).json["id"])
    for contract_id in ids:
        attach(owner, contract_id)
        assert owner.post(f"/api/v1/contracts/{contract_id}/submit", json={}).status_code == 200
    reviewer.post(f"/api/v1/contracts/{ids[0]}/accept", json={})
    assert reviewer.post(f"/api/v1/contracts/{ids[0]}/register", json=REGISTER).status_code == 200
    page = sign_in(bureau_account).get("/bureau/brokers").text
    rows = element(page, "brokers").text
    assert "甲经纪" in rows and "乙经纪" in rows
    with app.app_context():
        overview = {
            r.broker.id: r for r in brokers.overview(db.session.get(User, bureau_account.id), brokers.BrokerFilters())
        }
    assert (overview[named].filings, overview[named].registered) == (2, 1)
    assert (str(overview[named].amount), str(overview[named].technical_amount)) == ("1200000.00", "1000000.00")
    assert (overview[idle].filings, str(overview[idle].amount)) == (0, "0.00")
    assert "1,200,000.00" in page and "1,000,000.00" in page
    broker_page = sign_in(bureau_account).get(f"/bureau/brokers/{named}").text
    assert f'data-contract="{ids[0]}"' in broker_page and f'data-contract="{ids[1]}"' in broker_page
    filtered = sign_in(bureau_account).get("/bureau/brokers?q=乙经纪").text
    assert "甲经纪" not in element(filtered, "brokers").text


def test_suspending_a_broker_is_audited_and_revoking_is_final(app, make_account, sign_in):
    account = make_account("bureau")
    broker_id = _register(app, account)
    client = sign_in(account)
    token = csrf(client, f"/bureau/brokers/{broker_id}")
    client.post(f"/bureau/brokers/{broker_id}/status", data={"status": "revoked", "note": "注销", "csrf_token": token})
    page = client.get(f"/bureau/brokers/{broker_id}").text
    assert 'data-status="revoked"' in page and 'name="status"' not in page
    client.post(f"/bureau/brokers/{broker_id}/status", data={"status": "active", "csrf_token": token})
    with app.app_context():
        assert db.session.get(Broker, broker_id).status == "revoked"
        audited = db.session.query(AuditRecord).filter_by(action="broker.status", object_id=str(broker_id)).all()
        assert [(r.before, r.after["status"]) for r in audited] == [({"status": "active"}, "revoked")]


def test_the_filing_form_names_brokers_and_the_contract_page_lists_them(app, make_account, web):
    bureau = make_account("bureau")
    chosen, other = _register(app, bureau, "刘晓峰"), _register(app, bureau, "赵雅琴")
    suspended = _register(app, bureau, "孙立伟")
    with app.app_context():
        brokers.change_status(db.session.get(User, bureau.id), db.session.get(Broker, suspended), "suspended")
        db.session.commit()
    form = web.get(NEW).text
    select = element(form, "i-brokers")
    assert f'value="{chosen}"' in form and f'value="{other}"' in form and f'value="{suspended}"' not in form
    assert select is not None
    data = {**form_fields(filing()), "brokers": [str(chosen)], "then": "view", "csrf_token": csrf(web, NEW)}
    saved = web.post("/contracts/new", data=data)
    contract_id = contract_id_of(saved)
    page = web.get(f"/contracts/{contract_id}").text
    assert "刘晓峰" in element(page, "contract-brokers").text and "赵雅琴" not in page
    edit = web.get(f"/contracts/{contract_id}/edit").text
    assert f'<option value="{chosen}" selected>' in edit
    refused = web.post(f"/contracts/{contract_id}/edit", data={**data, "brokers": [str(chosen), str(suspended)]})
    assert refused.status_code == 422 and "broker.not_active" in element(refused.text, "f-brokers").codes


def test_the_city_dashboard_counts_active_brokers_against_the_plan(app, make_account, sign_in):
    account = make_account("bureau")
    _register(app, account)
    _register(app, account)
    page = sign_in(account).get("/stats").text
    assert "2 / 60" in element(page, "headline").text
