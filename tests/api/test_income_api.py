"""Technical-income verification through the API (API.md "Technical-income verification"): the applicant declares
income and costs on a registered contract, a reviewer of its station verifies (with a second reviewer at or above
the four-eyes threshold), the feed and the history hear of it, and the signed 核定表 states the figures."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader
from sqlalchemy import select

from app.domain.clock import today_local
from app.extensions import db
from app.models import AuditRecord, StatusChange, TaxEvent
from tests.unit.test_certificates import pdf_text

REGISTER = {"category": "development", "subtype": "commissioned", "certified_technical_amount": "1080000.00"}


@pytest.fixture
def reviewer(make_account, api_as):
    return api_as(make_account("reviewer", station_code="130402"))


@pytest.fixture
def second(make_account, api_as):
    return api_as(make_account("reviewer", station_code="130402"))


@pytest.fixture
def registered(file_contract, reviewer):
    """A registered contract of the default applicant, signed 30 days ago."""
    contract_id = file_contract()
    assert reviewer.post(f"/api/v1/contracts/{contract_id}/accept", json={}).status_code == 200
    assert reviewer.post(f"/api/v1/contracts/{contract_id}/register", json=REGISTER).status_code == 200
    return contract_id


def days_ago(n: int) -> str:
    return (today_local() - timedelta(days=n)).isoformat()


def declare(api, contract_id, start=20, end=10, received="900000.00", costs=None, note="首期付款"):
    body = {
        "period_from": days_ago(start),
        "period_to": days_ago(end),
        "received": received,
        "costs": costs if costs is not None else [{"kind": "labour", "amount": "100000.00"}],
        "note": note,
    }
    return api.post(f"/api/v1/contracts/{contract_id}/income-records", json=body)


def download(client, url):
    """A served file's status and bytes (the response closed: a sent file stays open until then)."""
    response = client.get(url)
    try:
        return response.status_code, response.data, response.mimetype
    finally:
        response.close()


def test_declared_verified_and_its_sheet_states_the_figures(app, api, reviewer, registered):
    costs = [
        {"kind": "labour", "amount": "120000.00"},
        {"kind": "materials", "amount": "30000.00"},
        {"kind": "labour", "amount": "50000.00"},
        {"kind": "equipment", "amount": "20000.50"},
    ]
    created = declare(api, registered, costs=costs)
    assert created.status_code == 201, created.json
    record = created.json
    assert record["status"] == "submitted" and record["total_costs"] == "220000.50"
    assert record["declared_technical_income"] == "679999.50" and record["sheet_url"] is None
    assert api.get(f"/api/v1/income-records/{record['id']}.pdf").status_code == 409  # not verified yet

    verified = reviewer.post(
        f"/api/v1/income-records/{record['id']}/verify", json={"technical_income": "679999.50", "note": "同意"}
    )
    assert verified.status_code == 200, verified.json
    listed = api.get(f"/api/v1/contracts/{registered}/income-records").json["items"]
    assert [(r["status"], r["technical_income"]) for r in listed] == [("verified", "679999.50")]
    assert listed[0]["verified_by"] and listed[0]["sheet_url"].endswith(f"/income-records/{record['id']}.pdf")

    status, sheet, mimetype = download(api, listed[0]["sheet_url"])
    assert status == 200 and mimetype == "application/pdf"
    text = pdf_text(sheet)
    for expected in (
        "技术性收入核定表",
        "900,000.00",
        "170,000.00",
        "30,000.00",
        "20,000.50",
        "220,000.50",
        "679,999.50",
    ):
        assert expected in text, expected
    number = reviewer.get(f"/api/v1/contracts/{registered}").json["registration_number"]
    assert number in text
    signatures = PdfFileReader(io.BytesIO(sheet)).embedded_signatures
    assert len(signatures) == 1
    assert (
        download(api, f"/api/v1/income-records/{record['id']}.pdf")[1] == sheet
    )  # stored: the same bytes on every download

    with app.app_context():
        event = db.session.scalars(select(TaxEvent).where(TaxEvent.event == "income_verified")).one()
        assert event.payload["income"]["technical_income"] == "679999.50"
        assert event.payload["income"]["period_to"] == days_ago(10)
        assert {"kind": "labour", "amount": "170000.00"} in event.payload["income"]["costs"]
        entry = db.session.scalars(select(StatusChange).where(StatusChange.contract_id == registered)).all()[-1]
        assert entry.details["action"] == "income_verified" and entry.to_status == "registered"
        actions = db.session.scalars(select(AuditRecord.action)).all()
        assert "income.recorded" in actions and "income.verified" in actions


def test_the_tax_feed_carries_the_verified_income(api, reviewer, registered, make_account, api_as):
    record = declare(api, registered).json
    reviewer.post(f"/api/v1/income-records/{record['id']}/verify", json={"technical_income": "800000.00"})
    officer = api_as(make_account("tax", area_codes=("130402",)))
    items = officer.get("/api/v1/tax/feed").json["items"]
    income = [i for i in items if i["event"] == "income_verified"]
    assert len(income) == 1
    assert income[0]["income"]["technical_income"] == "800000.00"
    assert income[0]["income"]["period_from"] == days_ago(20)


@pytest.mark.parametrize(
    "start, end, received, costs, code, status",
    [
        (10, 20, "900000.00", [], "period.order", 422),
        (5, -1, "900000.00", [], "period.future", 422),
        (40, 10, "900000.00", [], "period.before_signing", 422),
        (20, 10, "0.00", [], "amount.not_positive", 422),
        (
            20,
            10,
            "100.00",
            [{"kind": "power", "amount": "60.00"}, {"kind": "other", "amount": "40.01"}],
            "costs.exceed_received",
            422,
        ),
    ],
)
def test_a_declaration_that_does_not_hold_is_refused(api, registered, start, end, received, costs, code, status):
    answer = declare(api, registered, start, end, received, costs)
    assert answer.status_code == status
    assert answer.json["errors"][0]["code"] == code


def test_periods_never_overlap_and_only_registered_contracts_take_income(api, registered, file_contract):
    assert declare(api, registered, 20, 10).status_code == 201
    overlapping = declare(api, registered, 12, 5)
    assert (
        overlapping.status_code == 409
        and "overlaps" in overlapping.json["detail"]
        or "重叠" in overlapping.json["detail"]
    )
    assert declare(api, registered, 9, 5).status_code == 201  # the next period
    submitted = file_contract(title="尚未登记的合同")
    assert declare(api, submitted).status_code == 409


def test_the_technical_income_stays_within_the_income_and_a_correction_needs_a_note(api, reviewer, registered):
    record = declare(api, registered).json
    url = f"/api/v1/income-records/{record['id']}/verify"
    assert reviewer.post(url, json={"technical_income": "900000.01"}).json["errors"][0]["field"] == "technical_income"
    assert reviewer.post(url, json={"technical_income": "700000.00"}).json["errors"][0]["field"] == "note"
    done = reviewer.post(url, json={"technical_income": "700000.00", "note": "差旅费不属于技术成本"})
    assert done.status_code == 200 and done.json["technical_income"] == "700000.00"
    assert reviewer.post(url, json={"technical_income": "700000.00"}).status_code == 409  # decided once


def test_four_eyes_at_the_threshold_a_second_reviewer_approves(app, api, reviewer, second, registered):
    record = declare(
        api, registered, received="12000000.00", costs=[{"kind": "materials", "amount": "1000000.00"}]
    ).json
    first = reviewer.post(f"/api/v1/income-records/{record['id']}/verify", json={"technical_income": "11000000.00"})
    assert first.status_code == 200 and first.json["status"] == "proposed" and first.json["awaits_second_approval"]
    assert api.get(f"/api/v1/income-records/{record['id']}.pdf").status_code == 409
    assert reviewer.post(f"/api/v1/income-records/{record['id']}/approve").status_code == 403  # not the same reviewer
    approved = second.post(f"/api/v1/income-records/{record['id']}/approve")
    assert approved.status_code == 200 and approved.json["status"] == "verified" and approved.json["approved_by"]
    text = pdf_text(download(api, f"/api/v1/income-records/{record['id']}.pdf")[1])
    assert "复核人" in text and "动力" in text and "11,000,000.00" in text
    with app.app_context():
        assert len(db.session.scalars(select(TaxEvent).where(TaxEvent.event == "income_verified")).all()) == 1


def test_below_the_threshold_one_reviewer_verifies_and_approve_has_nothing_to_approve(api, reviewer, registered):
    record = declare(api, registered).json
    assert reviewer.post(f"/api/v1/income-records/{record['id']}/approve").status_code == 409
    done = reviewer.post(f"/api/v1/income-records/{record['id']}/verify", json={"technical_income": "800000.00"})
    assert done.json["status"] == "verified" and done.json["approved_by"] is None


def test_researchers_are_checked_and_shown_masked(api, reviewer, registered):
    url = f"/api/v1/contracts/{registered}/researchers"
    bad = api.put(url, json={"researchers": [{"name": "张三", "id_number": "110101199003074515"}]})
    assert bad.status_code == 422 and bad.json["errors"][0]["code"] == "id_number.check_digit"
    twice = [{"name": "张三", "id_number": "110101199003074514"}, {"name": "张三", "id_number": "110101199003074514"}]
    assert api.put(url, json={"researchers": twice}).json["errors"][0]["code"] == "researcher.duplicate"
    named = api.put(url, json={"researchers": [{"name": "张三", "id_number": "110101199003074514", "role": "负责人"}]})
    assert named.status_code == 200, named.json
    assert [{k: v for k, v in r.items() if k != "id"} for r in named.json["researchers"]] == [
        {"name": "张三", "id_number": "110101********4514", "role": "负责人"}
    ]
    assert reviewer.get(url).json == named.json
    assert "110101199003074514" not in reviewer.get(url).text
    assert reviewer.put(url, json={"researchers": []}).status_code == 403
