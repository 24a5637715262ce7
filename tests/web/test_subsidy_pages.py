"""The subsidy pages: the enterprise sees what it qualifies for and claims with one click; the bureau approves,
a second bureau account pays; a flagged claim shows its flag and offers no payment; the programme form."""

from __future__ import annotations

import re

from sqlalchemy import select

from app.extensions import db
from app.models import SubsidyClaim
from tests.conftest import login
from tests.factories import csrf_from
from tests.subsidies.helpers import buyer_account, create_programme, register


def _post(client, url: str, data: dict, page: str):
    return client.post(url, data={**data, "csrf_token": csrf_from(client.get(page).text)})


def test_claim_approve_and_pay_through_the_pages(app, make_account, api_as, file_contract):
    reviewer = api_as(make_account("reviewer", station_code="130402"))
    bureau, bureau2 = make_account("bureau"), make_account("bureau")
    programme = create_programme(api_as(bureau))
    number = register(reviewer, file_contract())["registration_number"]
    buyer = buyer_account(make_account)

    client = app.test_client()
    login(client, buyer.email, buyer.password)
    page = client.get("/subsidies").text
    assert number in page and "62,500.00" in page and "data-confirm" in page
    answer = _post(client, "/subsidies/claim", {"programme": programme, "registration_number": number}, "/subsidies")
    assert answer.status_code == 302
    page = client.get("/subsidies").text
    assert 'data-status="pending"' in page and 'id="no-offers"' in page
    with app.app_context():
        claim_id = db.session.scalar(select(SubsidyClaim.id))

    desk = app.test_client()
    login(desk, bureau.email, bureau.password)
    queue = desk.get("/bureau/subsidies/claims?status=pending").text
    assert f'id="claim-{claim_id}"' in queue and "深圳买方股份有限公司" in queue
    _post(desk, f"/bureau/subsidies/claims/{claim_id}/decide", {"action": "approve"}, "/bureau/subsidies/claims")
    refused = _post(desk, f"/bureau/subsidies/claims/{claim_id}/decide", {"action": "pay"}, "/bureau/subsidies/claims")
    assert refused.status_code == 302
    assert "另一名" in desk.get("/bureau/subsidies/claims").text  # the refusal, flashed

    second = app.test_client()
    login(second, bureau2.email, bureau2.password)
    _post(second, f"/bureau/subsidies/claims/{claim_id}/decide", {"action": "pay"}, "/bureau/subsidies/claims")
    assert re.search(rf'id="claim-{claim_id}" data-status="paid"', second.get("/bureau/subsidies/claims").text)
    assert 'data-status="paid"' in client.get("/subsidies").text
    csv_file = second.get(f"/bureau/subsidies/payments?programme={programme}&format=csv")
    assert "已拨付" in csv_file.data.decode("utf-8-sig")


def test_the_programme_form_creates_and_refuses_with_field_errors(app, make_account):
    bureau = make_account("bureau")
    desk = app.test_client()
    login(desk, bureau.email, bureau.password)
    form = {
        "name": "中介奖励",
        "year": "2026",
        "beneficiary": "intermediary",
        "basis": "contract_amount",
        "rate": "0.001",
        "budget": "500000.00",
        "open_from": "2026-01-01",
        "open_until": "2026-12-31",
    }
    bad = _post(desk, "/bureau/subsidies/programmes", {**form, "rate": "2"}, "/bureau/subsidies/programmes")
    assert bad.status_code == 422 and 'data-code="subsidy.rate"' in bad.text
    good = _post(desk, "/bureau/subsidies/programmes", form, "/bureau/subsidies/programmes")
    assert good.status_code == 302
    listing = desk.get("/bureau/subsidies/programmes").text
    assert "中介奖励" in listing and "1 ‰" in listing


def test_claims_come_a_page_at_a_time_through_the_api_and_the_page(app, make_account, api_as, monkeypatch):
    """Five claims, pages of two: newest first, each page's `next` leads to the older ones, the last has none; the
    page links to the older claims and back to the newest, keeping the filter."""
    from app.subsidies.services import claims as claim_service
    from tests.subsidies.helpers import make_claim

    monkeypatch.setattr(claim_service, "LIST_LIMIT", 2)
    bureau = make_account("bureau")
    ids = sorted((make_claim(app, bureau.id)["claim_id"] for _ in range(5)), reverse=True)
    api = api_as(bureau)
    seen, before = [], None
    for expected in (ids[:2], ids[2:4], ids[4:]):
        answer = api.get("/api/v1/subsidy-claims" + (f"?before={before}" if before else ""))
        assert answer.status_code == 200
        assert [item["id"] for item in answer.json["items"]] == expected
        seen += expected
        before = answer.json["next"]
    assert before is None and seen == ids
    assert api.get("/api/v1/subsidy-claims?before=0").status_code == 422

    desk = app.test_client()
    login(desk, bureau.email, bureau.password)
    first = desk.get("/bureau/subsidies/claims?status=pending").text
    assert f'id="claim-{ids[0]}"' in first and f'id="claim-{ids[2]}"' not in first and 'id="claims-newest"' not in first
    older = re.search(r'href="([^"]+)" id="claims-older"', first).group(1).replace("&amp;", "&")
    assert "status=pending" in older and f"before={ids[1]}" in older
    second = desk.get(older).text
    assert f'id="claim-{ids[2]}"' in second and f'id="claim-{ids[1]}"' not in second and 'id="claims-newest"' in second
