"""Expert review on the pages: the station sends a filing to the panel (or a large one goes there at acceptance),
the bureau records the opinion on its list, and the station sees it and decides."""

from __future__ import annotations

import io

import pytest

from app.extensions import db
from app.models import Contract
from tests.factories import MINIMAL_PDF
from tests.web.webtools import csrf, element

BIG = {"amount": "6000000.00", "technical_amount": "6000000.00", "deductions": []}


@pytest.fixture
def reviewer(sign_in, make_account):
    return sign_in(make_account("reviewer", station_code="130402"))


@pytest.fixture
def bureau(sign_in, make_account):
    return sign_in(make_account("bureau"))


def act(client, contract_id: int, action: str, **data):
    token = csrf(client, f"/station/contracts/{contract_id}")
    return client.post(f"/station/contracts/{contract_id}/{action}", data={**data, "csrf_token": token})


def record(bureau, contract_id: int, **data):
    token = csrf(bureau, "/bureau/expert-review")
    return bureau.post(
        f"/bureau/contracts/{contract_id}/expert-opinion",
        data={**data, "csrf_token": token},
        content_type="multipart/form-data",
    )


def test_a_disputed_filing_goes_to_the_panel_and_returns_with_the_opinion(reviewer, bureau, file_contract):
    contract_id = file_contract()
    assert act(reviewer, contract_id, "accept").status_code == 302
    page = reviewer.get(f"/station/contracts/{contract_id}").text
    form = element(page, "form-send_to_experts")
    assert form is not None and "data-confirm" in page.split('id="form-send_to_experts"')[1].split(">")[0]
    assert element(page, "held-by").text.strip() == "登记机构"
    refused = act(reviewer, contract_id, "expert-review", reason="")
    assert refused.status_code == 422 and "required" in element(refused.text, "action-send_to_experts").codes

    assert act(reviewer, contract_id, "expert-review", reason="技术来源存在争议").status_code == 302
    page = reviewer.get(f"/station/contracts/{contract_id}").text
    assert element(page, "held-by").text.strip() == "专家评审组（科技局）"
    assert element(page, "with-experts") is not None and element(page, "form-register") is None
    assert "技术来源存在争议" in element(page, "timeline").text

    bureau_view = bureau.get(f"/station/contracts/{contract_id}").text
    assert f'href="/bureau/expert-review#held-{contract_id}" id="record-opinion-link"' in bureau_view
    listed = bureau.get("/bureau/expert-review").text
    assert "技术来源存在争议" in element(listed, f"held-{contract_id}").text
    bad = record(bureau, contract_id, outcome="", opinion="", file=(io.BytesIO(b"not a pdf"), "x.pdf"))
    assert bad.status_code == 422
    assert "expert_outcome.unknown" in element(bad.text, f"held-{contract_id}").codes
    done = record(
        bureau,
        contract_id,
        outcome="does_not_support",
        opinion="专家组认为不属于技术开发。",
        file=(io.BytesIO(MINIMAL_PDF), "意见.pdf"),
    )
    assert done.status_code == 302
    assert element(bureau.get("/bureau/expert-review").text, f"held-{contract_id}") is None

    page = reviewer.get(f"/station/contracts/{contract_id}").text
    opinion = element(page, "expert-opinion")
    assert "不同意登记" in opinion.text and "专家组认为不属于技术开发。" in opinion.text
    assert element(page, "form-refuse") is not None  # the station decides
    timeline = element(page, "timeline").text
    assert "已送专家评审" in timeline and "已记录专家评审意见" in timeline
    link = page.split('id="expert-opinion"')[1].split('href="')[1].split('"')[0]
    pdf = reviewer.get(link)
    assert pdf.status_code == 200 and pdf.data == MINIMAL_PDF
    pdf.close()
    assert reviewer.get(f"/station/contracts/{contract_id}/history/999999/opinion.pdf").status_code == 404


def test_a_wrong_file_keeps_the_filing_with_the_panel(reviewer, bureau, file_contract, app):
    contract_id = file_contract(**BIG)
    act(reviewer, contract_id, "accept")
    bad = record(bureau, contract_id, outcome="supports", opinion="同意", file=(io.BytesIO(b"\x89PNG\r\n"), "a.png"))
    assert bad.status_code == 422
    with app.app_context():
        assert db.session.get(Contract, contract_id).status == "expert_review"


def test_only_the_bureau_sees_the_list(reviewer, client):
    assert reviewer.get("/bureau/expert-review").status_code == 403
    assert client.get("/bureau/expert-review").status_code in (302, 401)
