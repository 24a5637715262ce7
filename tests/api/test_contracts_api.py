"""The contracts API as API.md promises it: filing, validation, attachments, submission, access."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from tests.factories import BUYER_CODE, CATEGORY_VARIANTS, MINIMAL_PDF, filing


def create(api, **overrides):
    response = api.post("/api/v1/contracts", json=filing(**overrides))
    assert response.status_code == 201, response.json
    return response.json


def attach(api, contract_id, content=MINIMAL_PDF, name="contract.pdf", kind="contract_text"):
    return api.post(
        f"/api/v1/contracts/{contract_id}/attachments", data={"kind": kind, "file": (io.BytesIO(content), name)}
    )


def error_codes(response) -> set[tuple[str, str]]:
    return {(e["code"], e["field"]) for e in response.json["errors"]}


@pytest.mark.parametrize("category", sorted(CATEGORY_VARIANTS))
def test_each_category_is_filed_and_submitted(api, category):
    contract = create(api, **CATEGORY_VARIANTS[category])
    assert attach(api, contract["id"]).status_code == 201
    if contract["ip_numbers"]:  # registered rights need a copy of their certificate
        assert attach(api, contract["id"], kind="ip_certificate").status_code == 201
    response = api.post(f"/api/v1/contracts/{contract['id']}/submit", json={"acknowledge": []})
    assert response.status_code == 200, response.json
    body = response.json
    assert body["status"] == "submitted"
    assert body["station"] == {"code": "130402", "name": "邯山区技术合同登记站"}
    assert body["rule_set"] == "miit-2026"
    assert [h["to"] for h in body["history"]] == ["draft", "submitted"]
    assert body["history"][0]["from"] is None


def test_draft_reports_findings_and_submit_refuses_blocking_ones(api):
    contract = create(api, technical_amount="1000000.00")
    assert ("amount.technical_mismatch", "technical_amount") in {(f["code"], f["field"]) for f in contract["findings"]}
    response = api.post(f"/api/v1/contracts/{contract['id']}/submit", json={"acknowledge": []})
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    codes = error_codes(response)
    assert ("amount.technical_mismatch", "technical_amount") in codes
    assert ("attachments.contract_text_required", "attachments") in codes
    assert api.get(f"/api/v1/contracts/{contract['id']}").json["status"] == "draft"


def test_warning_must_be_acknowledged(make_account, api_as):
    pilot_code = "91350100M0001TGQXM"  # well formed, wrong check digit (DOMAIN.md §10)
    api = api_as(make_account("applicant", credit_code=pilot_code))
    seller = {"name": "试点企业", "credit_code": pilot_code, "area_code": "130402", "nature": "150"}
    contract = create(api, seller=seller)
    attach(api, contract["id"])
    refused = api.post(f"/api/v1/contracts/{contract['id']}/submit", json={"acknowledge": []})
    assert refused.status_code == 422
    assert ("credit_code.check_digit", "seller.credit_code") in error_codes(refused)
    accepted = api.post(f"/api/v1/contracts/{contract['id']}/submit", json={"acknowledge": ["credit_code.check_digit"]})
    assert accepted.status_code == 200
    assert accepted.json["acknowledged_warnings"] == ["credit_code.check_digit"]


def test_duplicate_filing_is_refused_naming_the_other(api):
    first = create(api)
    attach(api, first["id"])
    assert api.post(f"/api/v1/contracts/{first['id']}/submit", json={}).status_code == 200
    second = create(api)
    attach(api, second["id"])
    response = api.post(f"/api/v1/contracts/{second['id']}/submit", json={})
    assert response.status_code == 422
    duplicate = [e for e in response.json["errors"] if e["code"] == "duplicate"]
    assert duplicate and f"#{first['id']}" in duplicate[0]["message"]


@pytest.mark.parametrize(
    "amount, code",
    [
        (1250000, "money.not_string"),
        ("1250000.5", "money.format"),
        ("1250000.005", "money.format"),
        ("-1.00", "money.negative"),
        ("1000000000000.00", "money.too_large"),
        ("1,250,000.00", "money.format"),
        ("abc", "money.format"),
        ("NaN", "money.format"),
    ],
)
def test_malformed_amounts_are_field_errors(api, amount, code):
    response = api.post("/api/v1/contracts", json=filing(amount=amount))
    assert response.status_code == 422
    assert (code, "amount") in error_codes(response)
    assert api.get("/api/v1/contracts").json["items"] == []  # nothing half-stored


def test_nested_errors_use_dotted_paths(api):
    payload = filing(deductions=[{"kind": "equipment", "description": "x", "amount": "1.5"}], ip_numbers=["ok", 7])
    payload["seller"]["colour"] = "red"
    response = api.post("/api/v1/contracts", json=payload)
    assert response.status_code == 422
    codes = error_codes(response)
    assert ("money.format", "deductions.0.amount") in codes
    assert ("type.string", "ip_numbers.1") in codes
    assert ("unknown_field", "seller.colour") in codes


@pytest.mark.parametrize(
    "field, value, code",
    [
        ("category", "research", "code.unknown"),
        ("subtype", "bespoke", "code.unknown"),
        ("technical_field", "magic", "code.unknown"),
        ("signed_on", "2026-02-30", "date.invalid"),
        ("surprise", "!", "unknown_field"),
    ],
)
def test_unknown_codes_and_fields_are_refused(api, field, value, code):
    response = api.post("/api/v1/contracts", json=filing(**{field: value}))
    assert response.status_code == 422
    assert (code, field) in error_codes(response)


def test_messages_follow_the_request_language(api):
    zh = api.post("/api/v1/contracts", json=filing(amount="1.5"))
    en = api.post("/api/v1/contracts", json=filing(amount="1.5"), headers={"Accept-Language": "en"})
    assert "两位小数" in zh.json["errors"][0]["message"]
    assert "two decimals" in en.json["errors"][0]["message"]


def test_rare_characters_and_emoji_are_stored_intact(api):
    name = "𠀀𪚥龘科技😀有限公司"
    contract = create(
        api,
        title="𡃁测试合同😀",
        buyer={"name": name, "credit_code": BUYER_CODE, "area_code": "440300", "nature": "160"},
    )
    again = api.get(f"/api/v1/contracts/{contract['id']}").json
    assert again["buyer"]["name"] == name
    assert again["title"] == "𡃁测试合同😀"


def test_individual_id_numbers_are_masked(api):
    seller_person = {"name": "张三", "id_number": "11010519491231002X", "area_code": "130402", "nature": "400"}
    contract = create(api, buyer=seller_person)
    assert contract["buyer"]["id_number"] == "110105********002X"


def test_patch_edits_a_draft_only(api):
    contract = create(api)
    response = api.patch(f"/api/v1/contracts/{contract['id']}", json={"title": "新的名称"})
    assert response.status_code == 200 and response.json["title"] == "新的名称"
    assert response.json["seller"]["name"] == "示范科技有限公司"  # untouched fields stay
    attach(api, contract["id"])
    api.post(f"/api/v1/contracts/{contract['id']}/submit", json={})
    locked = api.patch(f"/api/v1/contracts/{contract['id']}", json={"title": "改不了"})
    assert locked.status_code == 409


def test_attachment_round_trip_and_delete_on_draft(api):
    contract = create(api)
    uploaded = attach(api, contract["id"])
    assert uploaded.status_code == 201
    assert len(uploaded.json["sha256"]) == 64 and uploaded.json["media_type"] == "application/pdf"
    url = f"/api/v1/contracts/{contract['id']}/attachments/{uploaded.json['id']}"
    download = api.get(url)
    assert download.status_code == 200 and download.data == MINIMAL_PDF
    assert download.headers["Content-Type"] == "application/pdf"
    download.close()
    assert api.delete(url).status_code == 204
    assert api.get(url).status_code == 404


def test_images_are_accepted_by_content(api):
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, "PNG")
    contract = create(api)
    response = attach(api, contract["id"], buffer.getvalue(), "scan.jpg", "ip_certificate")
    assert response.status_code == 201 and response.json["media_type"] == "image/png"


@pytest.mark.parametrize("content", [b"MZ\x90\x00 not a pdf", b"%PDF-1.4 but truncated", b"\x89PNG\r\n\x1a\nbroken"])
def test_content_that_is_not_pdf_png_or_jpeg_is_refused(api, content):
    contract = create(api)
    response = attach(api, contract["id"], content, "contract.pdf")
    assert response.status_code == 422
    assert ("attachment.type", "file") in error_codes(response)
    assert api.get(f"/api/v1/contracts/{contract['id']}").json["attachments"] == []


def test_oversized_upload_is_413(app, api):
    app.config.update(MAX_UPLOAD_BYTES=1024, MAX_CONTENT_LENGTH=1024 * 1024)
    contract = create(api)
    big = MINIMAL_PDF + b"0" * 4096
    response = attach(api, contract["id"], big)
    assert response.status_code == 413
    assert response.mimetype == "application/problem+json"
    app.config.update(MAX_CONTENT_LENGTH=2048)
    assert attach(api, contract["id"], big).status_code == 413


def test_broken_multipart_body_is_a_client_error(api):
    contract = create(api)
    response = api.post(
        f"/api/v1/contracts/{contract['id']}/attachments",
        data=b'--xyz\r\nContent-Disposition: form-data; name="kind"\r\n\r\ncontract_text\r\n--xy',
        headers={"Content-Type": "multipart/form-data; boundary=xyz"},
    )
    assert 400 <= response.status_code < 500
    assert api.get(f"/api/v1/contracts/{contract['id']}").json["attachments"] == []


def test_deleting_after_submission_is_refused(api):
    contract = create(api)
    attachment = attach(api, contract["id"]).json
    api.post(f"/api/v1/contracts/{contract['id']}/submit", json={})
    response = api.delete(f"/api/v1/contracts/{contract['id']}/attachments/{attachment['id']}")
    assert response.status_code == 409


def test_other_organisations_contract_is_404(api, make_account, api_as):
    contract = create(api)
    other = api_as(make_account("applicant", credit_code=BUYER_CODE, org_name="别家公司"))
    for response in (
        other.get(f"/api/v1/contracts/{contract['id']}"),
        other.patch(f"/api/v1/contracts/{contract['id']}", json={"title": "x"}),
        other.post(f"/api/v1/contracts/{contract['id']}/submit", json={}),
        attach(other, contract["id"]),
    ):
        assert response.status_code == 404
    assert other.get("/api/v1/contracts").json["items"] == []


def test_credentials_are_required(client, app):
    assert client.get("/api/v1/contracts").status_code == 401
    bad = client.get("/api/v1/contracts", headers={"Authorization": "Bearer tcr_not-a-token"})
    assert bad.status_code == 401 and bad.mimetype == "application/problem+json"


def test_session_callers_need_csrf_but_token_callers_do_not(client, applicant, api):
    from tests.conftest import login

    login(client, applicant.email, applicant.password)
    assert client.post("/api/v1/contracts", json=filing()).status_code == 400  # CSRF missing
    assert api.post("/api/v1/contracts", json=filing()).status_code == 201


def test_list_filters_and_cursor_paging(api):
    ids = [create(api, title=f"合同{i}", category="consultation", subtype="consultation")["id"] for i in range(5)]
    create(api, title="开发合同")
    first = api.get("/api/v1/contracts?category=consultation&limit=2").json
    assert [c["id"] for c in first["items"]] == ids[::-1][:2]
    second = api.get(f"/api/v1/contracts?category=consultation&limit=2&cursor={first['next_cursor']}").json
    third = api.get(f"/api/v1/contracts?category=consultation&limit=2&cursor={second['next_cursor']}").json
    assert [c["id"] for c in second["items"] + third["items"]] == ids[::-1][2:]
    assert third["next_cursor"] is None
    assert [c["title"] for c in api.get("/api/v1/contracts?q=开发").json["items"]] == ["开发合同"]
    assert api.get("/api/v1/contracts?limit=201").status_code == 422
    assert api.get("/api/v1/contracts?cursor=garbage").status_code == 422
    assert api.get("/api/v1/contracts?status=nonsense").status_code == 422


def test_withdraw_is_the_applicants_exit(api):
    contract = create(api)
    attach(api, contract["id"])
    api.post(f"/api/v1/contracts/{contract['id']}/submit", json={})
    response = api.post(f"/api/v1/contracts/{contract['id']}/withdraw", json={"note": "合同终止"})
    assert response.status_code == 200 and response.json["status"] == "withdrawn"
    assert api.post(f"/api/v1/contracts/{contract['id']}/withdraw", json={}).status_code == 409


def test_openapi_document_is_generated_from_the_schemas(client):
    spec = client.get("/api/v1/openapi.json").json
    assert spec["openapi"].startswith("3.")
    assert "/api/v1/contracts/{contract_id}/submit" in spec["paths"]
    assert "ContractIn" in spec["components"]["schemas"]


def test_interactive_api_page_is_served_without_a_cdn(client):
    page = client.get("/api/v1/docs")
    assert page.status_code == 200
    assert "/api/v1/docs/assets/swagger-ui-bundle.js" in page.text
    assert "cdn" not in page.text.lower()
    script = client.get("/api/v1/docs/assets/swagger-ui-bundle.js")
    assert script.status_code == 200 and len(script.data) > 100_000
    script.close()


@pytest.mark.parametrize("body", [b"{not json", b"[1, 2]", b'"text"'])
def test_malformed_json_bodies_are_client_errors(api, body):
    response = api.post("/api/v1/contracts", data=body, headers={"Content-Type": "application/json"})
    assert response.status_code in (400, 422)
    assert response.mimetype == "application/problem+json"
