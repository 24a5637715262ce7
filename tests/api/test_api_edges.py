"""The API's edges: ids out of range on every route, texts longer than their columns, bodies of the wrong media
type or with wrongly typed fields — each refused with a 4xx and nothing stored."""

from __future__ import annotations

import base64
import io
import re

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Contract
from app.routing import MAX_ID
from tests.conftest import login
from tests.factories import MINIMAL_PDF, filing

OUT_OF_RANGE_IDS = (MAX_ID + 1, 2**63, 2**64, -1, 0, "0001")
PLACEHOLDERS = {
    "code": "130402",
    "number": "1304022026000001",
    "filename": "swagger-ui.css",
    "kind": "receipt",
    "fmt": "csv",
}


def _contract_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Contract))


def _urls_with(app, value) -> list[tuple[str, str]]:
    """(method, url) of every route with an `<int:...>` id, each id replaced by `value`."""
    found = []
    for rule in app.url_map.iter_rules():
        if not any(type(c).__name__ == "IdConverter" for c in rule._converters.values()):
            continue
        url = re.sub(r"<int:\w+>", str(value), rule.rule)
        url = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: PLACEHOLDERS[m.group(1)], url)
        found += [(method, url) for method in sorted(rule.methods - {"HEAD", "OPTIONS"})]
    return found


@pytest.mark.parametrize("value", OUT_OF_RANGE_IDS, ids=str)
def test_an_id_out_of_range_is_a_404_on_every_route(app, api, make_account, value):
    reviewer = make_account("reviewer")
    page_client = app.test_client()
    assert login(page_client, reviewer.email, reviewer.password).status_code == 302
    urls = _urls_with(app, value)
    assert any(u.startswith("/api/") for _, u in urls) and any(not u.startswith("/api/") for _, u in urls)
    answers = {}
    for method, url in urls:
        client = api if url.startswith("/api/") else page_client
        response = getattr(client, method.lower())(url)
        answers[f"{method} {url}"] = response.status_code
        response.close()
    assert set(answers.values()) == {404}, {k: v for k, v in answers.items() if v != 404}


def test_the_largest_id_still_reaches_the_view(api):
    response = api.get(f"/api/v1/contracts/{MAX_ID}")
    assert response.status_code == 404 and response.json["detail"] == "contract not found"


def test_path_ids_are_documented_with_their_bounds(client):
    document = client.get("/api/v1/openapi.json").json
    schemas = [
        p["schema"]
        for item in document["paths"].values()
        for p in item.get("parameters", [])
        if p["name"].endswith("_id")
    ]
    assert schemas and all(s == {"type": "integer", "minimum": 1, "maximum": MAX_ID} for s in schemas)


@pytest.mark.parametrize("length", (19, 32))
@pytest.mark.parametrize("field", ("credit_code", "id_number"))
def test_identifiers_longer_than_their_column_are_refused(app, api, field, length):
    before = _contract_count(app)
    seller = {**filing()["seller"], field: "9" * length}
    response = api.post("/api/v1/contracts", json=filing(seller=seller))
    assert response.status_code == 422
    assert {"code": "text.too_long", "field": f"seller.{field}"} in [
        {"code": e["code"], "field": e["field"]} for e in response.json["errors"]
    ]
    assert _contract_count(app) == before


def test_an_identifier_as_long_as_its_column_is_stored(api):
    response = api.post("/api/v1/contracts", json=filing(buyer={**filing()["buyer"], "credit_code": "9" * 18}))
    assert response.status_code == 201 and response.json["buyer"]["credit_code"] == "9" * 18


def test_a_nul_character_is_refused_not_stored(app, api):
    before = _contract_count(app)
    response = api.post("/api/v1/contracts", json=filing(title="合同\x00名称"))
    assert response.status_code == 422 and response.json["errors"][0]["field"] == "title"
    assert _contract_count(app) == before


@pytest.mark.parametrize(
    "body",
    [
        {"data": "title=x", "content_type": "text/plain"},
        {"data": {"title": "x"}},  # an HTML form's encoding
        {"data": '{"title": "x"}', "content_type": "text/plain"},  # JSON inside, but not said to be JSON
        {"data": b'{"title": "x"}', "content_type": ""},
    ],
    ids=("text", "form", "json-as-text", "no-type"),
)
def test_a_body_that_is_not_json_is_a_415_and_stores_nothing(app, api, body):
    before = _contract_count(app)
    response = api.post("/api/v1/contracts", **body)
    assert response.status_code == 415
    assert response.mimetype == "application/problem+json" and response.json["status"] == 415
    assert _contract_count(app) == before


def test_a_body_that_is_not_json_changes_no_draft(api):
    created = api.post("/api/v1/contracts", json=filing(title="原名称")).json
    response = api.patch(f"/api/v1/contracts/{created['id']}", data={"title": "新名称"})
    assert response.status_code == 415
    assert api.get(f"/api/v1/contracts/{created['id']}").json["title"] == "原名称"


def test_a_required_json_body_cannot_be_left_out(app, api):
    before = _contract_count(app)
    assert api.post("/api/v1/contracts").status_code == 415
    assert _contract_count(app) == before


def test_json_with_a_structured_suffix_is_json(api):
    response = api.post(
        "/api/v1/contracts", data='{"title": "结构化后缀"}', content_type="application/merge-patch+json"
    )
    assert response.status_code == 201 and response.json["title"] == "结构化后缀"


def test_wrongly_typed_fields_are_422_with_field_errors_and_store_nothing(app, api):
    before = _contract_count(app)
    response = api.post(
        "/api/v1/contracts", json=filing(title=5, amount=1250000, signed_on="8 Oct 2026", deductions="none")
    )
    assert response.status_code == 422
    codes = {e["field"]: e["code"] for e in response.json["errors"]}
    assert codes == {
        "title": "type.string",
        "amount": "money.not_string",
        "signed_on": "date.invalid",
        "deductions": "type.list",
    }
    assert _contract_count(app) == before


def test_a_body_that_is_not_a_json_object_is_422(app, api):
    before = _contract_count(app)
    assert api.post("/api/v1/contracts", json=["title"]).status_code == 422
    assert _contract_count(app) == before


def test_an_upload_must_be_multipart_with_a_file_part(api):
    contract_id = api.post("/api/v1/contracts", json=filing()).json["id"]
    url = f"/api/v1/contracts/{contract_id}/attachments"
    assert api.post(url, json={"kind": "other", "file": "JVBERi0="}).status_code == 415
    as_text = api.post(url, data={"kind": "other", "file": "%PDF-1.4"}, content_type="multipart/form-data")
    assert as_text.status_code == 422 and as_text.json["errors"][0]["field"] == "file"
    missing_kind = api.post(url, data={"file": (io.BytesIO(MINIMAL_PDF), "c.pdf")})
    assert missing_kind.status_code == 422 and missing_kind.json["errors"][0]["field"] == "kind"
    assert api.get(f"/api/v1/contracts/{contract_id}").json["attachments"] == []


def test_an_optional_body_may_be_left_out_but_not_sent_as_a_form(api):
    contract_id = api.post("/api/v1/contracts", json=filing()).json["id"]
    api.post(
        f"/api/v1/contracts/{contract_id}/attachments",
        data={"kind": "contract_text", "file": (io.BytesIO(MINIMAL_PDF), "c.pdf")},
    )
    assert api.post(f"/api/v1/contracts/{contract_id}/submit", data={"acknowledge": "x"}).status_code == 415
    assert api.get(f"/api/v1/contracts/{contract_id}").json["status"] == "draft"
    assert api.post(f"/api/v1/contracts/{contract_id}/submit").status_code == 200


@pytest.mark.parametrize("position", ("99999999999999999999", str(2**31), "-5", "1_0", " 7", "0"))
def test_a_list_cursor_out_of_range_is_a_422(api, position):
    cursor = base64.urlsafe_b64encode(f"c1:{position}".encode()).decode().rstrip("=")
    response = api.get("/api/v1/contracts", query_string={"cursor": cursor})
    assert response.status_code == 422 and response.json["errors"][0]["field"] == "cursor"
