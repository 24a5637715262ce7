"""A registered contract with several parties: the certificate, the tax feed and the tax exports list every party
with its role, and the statistics count the contract once, by its first seller and buyer."""

from __future__ import annotations

import csv
import io
import json
import zipfile

import pytest

from app.domain.clock import today_local
from tests.api.test_other_parties_api import CO_SELLER, INTERMEDIARY, PERSON
from tests.documents.test_documents import documents_of, download, one
from tests.documents.test_documents import pdf_text as document_text
from tests.unit.test_certificates import pdf_text

REGISTER = {"category": "development", "subtype": "commissioned", "certified_technical_amount": "1080000.00"}
FEED = "/api/v1/tax/feed"


@pytest.fixture
def reviewer(make_account, api_as):
    return api_as(make_account("reviewer", station_code="130402"))


@pytest.fixture
def registered(reviewer, file_contract) -> dict:
    """A registered commissioned development with a co-seller, an intermediary and an individual co-buyer."""
    contract_id = file_contract(other_parties=[CO_SELLER, INTERMEDIARY, PERSON])
    assert reviewer.post(f"/api/v1/contracts/{contract_id}/accept", json={}).status_code == 200
    body = reviewer.post(f"/api/v1/contracts/{contract_id}/register", json=REGISTER).json
    assert body["status"] == "registered", body
    return body


@pytest.fixture
def tax(api_as, make_account):
    return api_as(make_account("tax", area_codes=("130402",)))


def test_the_certificate_lists_every_party_with_its_role(api, registered):
    response = api.get(registered["certificate"]["url"])
    text = pdf_text(response.get_data())
    response.close()
    for name in ("示范科技有限公司", "深圳买方股份有限公司", CO_SELLER["name"], INTERMEDIARY["name"], "张三"):
        assert name in text
    assert "中介方" in text and INTERMEDIARY["credit_code"] in text and "110105********002X" in text
    assert "11010519491231002X" not in text
    assert text.index("示范科技有限公司") < text.index(CO_SELLER["name"]) < text.index(INTERMEDIARY["name"])


def test_the_feed_carries_the_other_parties_with_ids_masked(registered, tax):
    items = tax.get(FEED).json["items"]
    assert len(items) == 1
    assert [(p["role"], p["name"]) for p in items[0]["other_parties"]] == [
        ("seller", CO_SELLER["name"]),
        ("intermediary", INTERMEDIARY["name"]),
        ("buyer", "张三"),
    ]
    assert items[0]["other_parties"][2]["id_number"] == "110105********002X"


def _download(client, fmt: str) -> bytes:
    today = today_local().isoformat()
    response = client.get(f"/api/v1/tax/exports?from={today}&to={today}&format={fmt}")
    assert response.status_code == 200
    data = response.get_data()
    response.close()
    return data


EXPECTED_CELL = (
    f"卖方:{CO_SELLER['name']}:{CO_SELLER['credit_code']}; "
    f"中介方:{INTERMEDIARY['name']}:{INTERMEDIARY['credit_code']}; 买方:张三:110105********002X"
)


def test_the_exports_list_the_other_parties_in_one_column(registered, tax):
    table = list(csv.reader(io.StringIO(_download(tax, "csv").decode("utf-8-sig"), newline="")))
    column = table[1].index("other_parties")
    assert table[0][column] == "其他当事人（角色:名称:代码）"
    assert [row[column] for row in table[2:]] == [EXPECTED_CELL]
    assert json.loads(_download(tax, "json"))[0]["other_parties"] == EXPECTED_CELL
    with zipfile.ZipFile(io.BytesIO(_download(tax, "xlsx"))) as book:
        text = b"".join(book.read(name) for name in book.namelist() if name.endswith(".xml")).decode()
    assert "其他当事人（角色:名称:代码）" in text and f"中介方:{INTERMEDIARY['name']}" in text


def test_a_contract_without_other_parties_has_an_empty_cell(reviewer, file_contract, tax):
    contract_id = file_contract()
    reviewer.post(f"/api/v1/contracts/{contract_id}/accept", json={})
    reviewer.post(f"/api/v1/contracts/{contract_id}/register", json=REGISTER)
    assert [r["other_parties"] for r in json.loads(_download(tax, "json"))] == [""]
    assert tax.get(FEED).json["items"][0]["other_parties"] == []


def test_statistics_count_a_contract_with_several_parties_once(registered, make_account, api_as):
    bureau = api_as(make_account("bureau"))
    year = today_local().year
    document = bureau.get(f"/api/v1/stats?year={year}&group_by=area&flow=output").json
    assert document["totals"]["count"] == 1 and document["totals"]["amount"] == "1250000.00"
    assert [(row["area"], row["count"]) for row in document["rows"]] == [("130402", 1)]
    absorption = bureau.get(f"/api/v1/stats?year={year}&group_by=province&flow=absorption").json
    assert [(row["province"], row["count"]) for row in absorption["rows"]] == [("440000", 1)]


def test_the_printed_filing_form_lists_the_other_parties(api, file_contract):
    contract_id = file_contract(other_parties=[INTERMEDIARY, PERSON])
    text = document_text(download(api, one(documents_of(api, contract_id), "filing")["url"]))
    assert "中介方" in text and INTERMEDIARY["name"] in text and "110105********002X" in text
