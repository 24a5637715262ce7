"""The tax feed through the API: commit order, resumable cursors, area scope, roles, ID masking, Content-Digest."""

from __future__ import annotations

import base64
import hashlib

import pytest
from sqlalchemy import select

from app.accounts.services import tokens
from app.extensions import db
from app.models import Contract, User

PERSON_BUYER = {"name": "李四", "id_number": "11010519491231002X", "area_code": "130402", "nature": "400"}
FEED = "/api/v1/tax/feed"


def act(client, contract_id, action, body=None):
    response = client.post(f"/api/v1/contracts/{contract_id}/{action}", json=body or {})
    assert response.status_code == 200, response.json
    return response.json


@pytest.fixture
def registry(make_account, api_as, file_contract):
    """Three registrations; the first changed, the second cancelled, the third (an individual buyer) revoked."""
    reviewer = api_as(make_account("reviewer", station_code="130402"))
    ids = [file_contract(title=f"税务订阅{i}") for i in range(2)] + [
        file_contract(title="个人买方", buyer=PERSON_BUYER)
    ]
    for contract_id in ids:
        act(reviewer, contract_id, "accept")
        act(
            reviewer,
            contract_id,
            "register",
            {"category": "development", "subtype": "commissioned", "certified_technical_amount": "1080000.00"},
        )
    act(reviewer, ids[0], "change", {"certified_technical_amount": "1000000.00", "reason": "核减"})
    act(reviewer, ids[1], "cancel", {"reason": "合同解除"})
    act(reviewer, ids[2], "revoke", {"reason": "材料虚假"})
    return ids


@pytest.fixture
def tax(make_account, api_as):
    return api_as(make_account("tax", area_codes=("130402",)))


def pull_all(client, limit=100, after=None):
    items, cursors = [], []
    while True:
        response = client.get(FEED, query_string={"limit": limit, **({"after": after} if after else {})})
        assert response.status_code == 200, response.json
        cursors.append(after)
        if not response.json["items"]:
            assert response.json["next_cursor"] == (after or response.json["next_cursor"])
            return items, cursors
        items += response.json["items"]
        after = response.json["next_cursor"]


def test_feed_carries_every_decision_in_order(app, registry, tax):
    items, _ = pull_all(tax)
    with app.app_context():
        numbers = {c.id: c.registration_number for c in db.session.scalars(select(Contract))}
    first, second, third = (numbers[i] for i in registry)
    assert [(i["event"], i["registration_number"]) for i in items] == [
        ("registered", first),
        ("registered", second),
        ("registered", third),
        ("changed", first),
        ("cancelled", second),
        ("revoked", third),
    ]
    assert [i["seq"] for i in items] == sorted(i["seq"] for i in items)
    assert [i["version"] for i in items] == [1, 1, 1, 2, 1, 1]
    changed = items[3]
    assert changed["certified_technical_amount"] == "1000000.00" and changed["amount"] == "1250000.00"
    assert changed["occurred_at"].endswith("+08:00") and changed["station"]["code"] == "130402"
    assert changed["eligibility"]["vat_exemption"]["eligible"] is True
    assert changed["eligibility"]["rd_super_deduction"]["eligible"] is True
    assert len(changed["certificate_sha256"]) == 64 and changed["certificate_sha256"] != items[0]["certificate_sha256"]
    assert changed["seller"]["credit_code"] == "91330100716105852F" and changed["buyer"]["area_code"] == "440300"


def test_pages_resume_from_every_cursor_without_skips_or_repeats(registry, tax):
    everything, _ = pull_all(tax)
    paged, cursors = pull_all(tax, limit=2)
    assert [i["seq"] for i in paged] == [i["seq"] for i in everything]
    for index, cursor in enumerate(cursors):
        rest, _ = pull_all(tax, limit=2, after=cursor)
        assert [i["seq"] for i in rest] == [i["seq"] for i in everything][2 * index :]
    last = tax.get(FEED, query_string={"after": cursors[-1]})
    assert last.json == {"items": [], "next_cursor": cursors[-1]}  # polling at the end keeps the cursor


def test_other_areas_and_other_roles(registry, make_account, api_as, applicant, api):
    other_tax = api_as(make_account("tax", area_codes=("130403",), email="tax2@example.cn"))
    assert other_tax.get(FEED).json["items"] == []
    shenzhen = api_as(make_account("tax", area_codes=("440300",), email="tax3@example.cn"))
    assert len(shenzhen.get(FEED).json["items"]) == 4  # the buyer's area: the two contracts with that buyer
    assert api.get(FEED).status_code == 403
    assert api_as(make_account("reviewer", station_code="130402", email="r2@example.cn")).get(FEED).status_code == 403


def test_anonymous_and_bad_parameters(app, tax):
    assert app.test_client().get(FEED).status_code == 401
    for query in (
        {"after": "nonsense"},
        {"after": "dGF4LWZlZWQ6djE6LTE"},
        {"limit": 0},
        {"limit": 501},
        {"limit": "x"},
    ):
        assert tax.get(FEED, query_string=query).status_code == 422, query


def test_id_numbers_masked_unless_the_token_has_the_pii_scope(app, registry, make_account, api_as):
    from tests.conftest import ApiClient

    account = make_account("tax", area_codes=("130402",), email="taxpii@example.cn")
    plain_items = api_as(account).get(FEED).json["items"]
    with app.app_context():
        _, plain = tokens.create_token(db.session.get(User, account.id), "pii", ["tax:pii"])
        db.session.commit()
    clear_items = ApiClient(app, plain).get(FEED).json["items"]
    masked = [i["buyer"]["id_number"] for i in plain_items if i["buyer"]["id_number"]]
    clear = [i["buyer"]["id_number"] for i in clear_items if i["buyer"]["id_number"]]
    assert masked == ["110105********002X"] * 2 and clear == ["11010519491231002X"] * 2


def test_unknown_token_scope_is_refused(app, make_account):
    from app.errors import ValidationFailed

    account = make_account("tax", area_codes=("130402",), email="taxscope@example.cn")
    with app.app_context(), pytest.raises(ValidationFailed):
        tokens.create_token(db.session.get(User, account.id), "x", ["admin"])


def test_content_digest_matches_the_body(registry, tax):
    response = tax.get(FEED, query_string={"limit": 3})
    expected = base64.b64encode(hashlib.sha256(response.get_data()).digest()).decode()
    assert response.headers["Content-Digest"] == f"sha-256=:{expected}:"
    assert len(response.json["items"]) == 3
