"""Technical income on the pages: the applicant declares income with a cost row per kind and names researchers on
the registered contract's income page, the station verifies from its list, the applicant downloads the 核定表,
and the bureau reads the realised income with masked ID numbers."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.domain.clock import today_local
from tests.web.webtools import csrf, element

REGISTER = {"category": "development", "subtype": "commissioned", "certified_technical_amount": "1080000.00"}
ID_NUMBER = "110101199003074514"


@pytest.fixture
def people(make_account, sign_in, api_as, applicant):
    reviewer = make_account("reviewer", station_code="130402")
    return {
        "owner": sign_in(applicant),
        "reviewer": sign_in(reviewer),
        "reviewer_api": api_as(reviewer),
        "bureau": sign_in(make_account("bureau")),
    }


@pytest.fixture
def contract_id(file_contract, people):
    contract_id = file_contract()
    people["reviewer_api"].post(f"/api/v1/contracts/{contract_id}/accept", json={})
    assert people["reviewer_api"].post(f"/api/v1/contracts/{contract_id}/register", json=REGISTER).status_code == 200
    return contract_id


def declaration(**costs) -> dict:
    return {
        "period_from": (today_local() - timedelta(days=20)).isoformat(),
        "period_to": (today_local() - timedelta(days=10)).isoformat(),
        "received": "1,200,000",
        "note": "首期",
        **{f"cost_{kind}": amount for kind, amount in costs.items()},
    }


def post(client, url: str, page: str, data: dict):
    return client.post(url, data={**data, "csrf_token": csrf(client, page)}, follow_redirects=True)


def test_declared_on_the_page_verified_by_the_station_and_the_sheet_downloaded(people, contract_id):
    owner, reviewer = people["owner"], people["reviewer"]
    page = f"/contracts/{contract_id}/income"
    assert element(owner.get(f"/contracts/{contract_id}").text, "link-income") is not None
    declared = post(owner, page, page, declaration(labour="150,000", power="50000.5"))
    assert declared.status_code == 200 and element(declared.text, "income-records") is not None
    assert "999,999.50" in declared.text  # declared technical income: 1,200,000 − 200,000.50

    queue = reviewer.get("/station/income")
    assert queue.status_code == 200 and "999999.50" in queue.text  # the form proposes the declared figure
    record_id = int(queue.text.split('id="income-')[1].split('"')[0])
    refused = post(
        reviewer, f"/station/income-records/{record_id}/verify", "/station/income", {"technical_income": "900000"}
    )
    assert "alert-danger" in refused.text  # a figure other than the declared one needs a note
    assert element(refused.text, f"income-{record_id}") is not None  # still waiting
    done = post(
        reviewer,
        f"/station/income-records/{record_id}/verify",
        "/station/income",
        {"technical_income": "900,000", "note": "动力费不予扣除以外的差额"},
    )
    assert element(done.text, "pending-none") is not None

    after = owner.get(page).text
    row = element(after, f"income-{record_id}")
    assert row is not None and "900,000.00" in after
    sheet = owner.get(f"/contracts/{contract_id}/income-records/{record_id}.pdf")
    assert sheet.status_code == 200 and sheet.mimetype == "application/pdf" and sheet.data.startswith(b"%PDF")
    sheet.close()


def test_a_declaration_that_does_not_hold_is_refused_with_its_reason(people, contract_id):
    page = f"/contracts/{contract_id}/income"
    refused = post(people["owner"], page, page, declaration(materials="2,000,000"))
    assert element(refused.text, "income-none") is not None  # nothing stored
    assert "alert-danger" in refused.text


def test_researchers_are_named_masked_and_ranked_for_the_bureau(people, contract_id):
    owner, reviewer = people["owner"], people["reviewer"]
    page = f"/contracts/{contract_id}/income"
    named = post(
        owner, f"/contracts/{contract_id}/researchers", page, {"name": "李明", "id_number": ID_NUMBER, "role": "负责人"}
    )
    assert "110101********4514" in named.text and ID_NUMBER not in named.text
    post(owner, page, page, declaration())
    record_id = int(reviewer.get("/station/income").text.split('id="income-')[1].split('"')[0])
    post(reviewer, f"/station/income-records/{record_id}/verify", "/station/income", {"technical_income": "1200000"})

    ranking = people["bureau"].get("/bureau/realised-income")
    assert ranking.status_code == 200
    persons = element(ranking.text, "realised-persons")
    assert persons is not None and "李明" in ranking.text and "110101********4514" in ranking.text
    assert ID_NUMBER not in ranking.text
    assert "1,200,000.00" in ranking.text and "2 %" in ranking.text  # 1.2 million of 50 million
