"""The tax office answering back on the pages: the officer records a claim and objects from the look-up page, a
second record names the first recorder, the station answers, the bureau reads the preferences used, and the
applicant's timeline shows every act."""

from __future__ import annotations

from app.domain.clock import today_local
from tests.factories import BUYER_CODE, csrf_from

REGISTER = {"category": "development", "subtype": "commissioned", "certified_technical_amount": "1080000.00"}


def test_claim_objection_answer_and_the_bureaus_table(make_account, api_as, sign_in, file_contract, applicant):
    reviewer_account = make_account("reviewer", station_code="130402")
    reviewer_api = api_as(reviewer_account)
    contract_id = file_contract()
    reviewer_api.post(f"/api/v1/contracts/{contract_id}/accept", json={})
    number = reviewer_api.post(f"/api/v1/contracts/{contract_id}/register", json=REGISTER).json["registration_number"]
    officer = sign_in(make_account("tax", area_codes=("130402",)))
    colleague = sign_in(make_account("tax", area_codes=("130402",)))

    page = officer.get(f"/tax/lookup?number={number}")
    assert page.status_code == 200 and 'id="claim-form"' in page.text and 'id="objection-form"' in page.text
    form = {"number": number, "preference": "rd_super_deduction", "tax_year": str(today_local().year)}
    form |= {"claimant_credit_code": BUYER_CODE, "csrf_token": csrf_from(page.text)}
    recorded = officer.post("/tax/claims", data=form)
    assert recorded.status_code == 302
    twice = colleague.post("/tax/claims", data={**form, "csrf_token": csrf_from(colleague.get("/tax").text)})
    assert twice.status_code == 409 and 'id="claim-error"' in twice.text and "测试tax" in twice.text
    objected = officer.post(
        "/tax/objections", data={"number": number, "reason": "研发内容存疑", "csrf_token": csrf_from(page.text)}
    )
    assert objected.status_code == 302
    page = officer.get(f"/tax/lookup?number={number}").text
    assert 'data-preference="rd_super_deduction"' in page and 'data-status="open"' in page
    assert 'id="objection-form"' not in page  # one open objection at a time

    station = sign_in(reviewer_account)
    queue = station.get("/station/objections").text
    objection_id = int(queue.split("/station/objections/")[1].split('"')[0])
    answer_page = station.get(f"/station/objections/{objection_id}").text
    assert "研发内容存疑" in answer_page and "data-confirm" in answer_page
    answered = station.post(
        f"/station/objections/{objection_id}/answer",
        data={"outcome": "upheld", "note": "经复核，登记无误", "csrf_token": csrf_from(answer_page)},
    )
    assert answered.status_code == 302
    mine = officer.get("/tax/answers").text
    assert 'data-outcome="upheld"' in mine and "经复核，登记无误" in mine

    timeline = sign_in(applicant).get(f"/contracts/{contract_id}").text
    for action in ("tax_claim", "objection_raised", "objection_answered"):
        assert f'data-action="{action}"' in timeline

    bureau = sign_in(make_account("bureau")).get("/bureau/tax-preferences").text
    row = bureau.split('data-preference="rd_super_deduction"')[1].split("</tr>")[0]
    assert "data-claims>1<" in row and "data-registrations>1<" in row
    assert "研发费用加计扣除" in row and "1,080,000.00" in row  # the Chinese label beside the code, the amount
