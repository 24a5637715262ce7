"""The bureau's import and absorption pages: an upload answers per row and the absorption page moves by the
imported amount; a form without a file is refused in place."""

from __future__ import annotations

import io

from app.domain.clock import today_local
from tests.conftest import login
from tests.factories import csrf_from
from tests.imports.helpers import BEIJING_SELLER, HANDAN_BUYER, write_export

ROW = {
    "registration_number": "2026110108000501",
    "status": "registered",
    "registered_on": today_local().isoformat(),
    "category": "transfer",
    "subtype": "know_how",
    "equity": "false",
    "seller_name": "北京某大学",
    "seller_credit_code": BEIJING_SELLER,
    "seller_area": "110108",
    "buyer_name": "邯郸某装备制造有限公司",
    "buyer_credit_code": HANDAN_BUYER,
    "buyer_area": "130481",
    "amount": "880000.00",
    "certified_technical_amount": "800000.00",
}


def test_upload_shows_rows_and_the_absorption_page_moves(app, make_account):
    bureau = make_account("bureau")
    client = app.test_client()
    login(client, bureau.email, bureau.password)
    before = client.get(f"/bureau/absorption?year={today_local().year}").text
    assert 'id="beijing-tianjin-amount">0.00' in before

    token = csrf_from(client.get("/bureau/imports").text)
    bad = {**ROW, "registration_number": "2026110108000502", "buyer_area": "110108"}
    data = write_export([ROW, bad], keys=list(ROW))
    answer = client.post(
        "/bureau/imports",
        data={"source": "beijing", "registry": "北京", "csrf_token": token, "file": (io.BytesIO(data), "bj.csv")},
        follow_redirects=True,
    )
    assert answer.status_code == 200
    assert 'data-status="imported" data-number="2026110108000501"' in answer.text
    assert 'data-status="rejected" data-number="2026110108000502"' in answer.text
    assert "买方不在邯郸市" in answer.text

    after = client.get(f"/bureau/absorption?year={today_local().year}").text
    assert 'id="beijing-tianjin-amount">800,000.00' in after
    assert 'data-area="130481"' in after and "武安市" in after


def test_upload_without_a_file_is_refused_in_place(app, make_account):
    bureau = make_account("bureau")
    client = app.test_client()
    login(client, bureau.email, bureau.password)
    token = csrf_from(client.get("/bureau/imports").text)
    answer = client.post("/bureau/imports", data={"source": "beijing", "csrf_token": token})
    assert answer.status_code == 422
    assert 'id="import-form"' in answer.text
