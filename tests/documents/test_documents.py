"""Printable documents: what each one says, made once on the first download and served unchanged, signed by the
station, linked from the timeline, and shown only to those who see the contract."""

from __future__ import annotations

import hashlib
import re
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.certificates.verify import REASON_NO_NUMBER, verify_pdf
from app.extensions import db
from app.models import Contract, Document, StatusChange
from tests.conftest import login

REASONS = ["请补充技术附件（工艺包目录）", "合同第五条价款支付方式与登记内容不一致"]
GROUNDS = ["parties_unclear", "other"]


@pytest.fixture
def reviewer(make_account, api_as):
    return api_as(make_account("reviewer", station_code="130402"))


def pdf_text(pdf: bytes) -> str:
    """The PDF's text as poppler extracts it, without whitespace (CJK lines break anywhere)."""
    extracted = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True)
    return re.sub(r"\s+", "", extracted.stdout.decode())


def documents_of(api, contract_id: int) -> list[dict]:
    response = api.get(f"/api/v1/contracts/{contract_id}/documents")
    assert response.status_code == 200, response.json
    return response.json["items"]


def one(items: list[dict], kind: str) -> dict:
    found = [item for item in items if item["kind"] == kind]
    assert len(found) == 1, items
    return found[0]


def download(client, url: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, response.data[:300]
    assert response.mimetype == "application/pdf"
    data = response.data
    response.close()
    return data


def case_number(app, contract_id: int) -> str:
    with app.app_context():
        contract = db.session.get(Contract, contract_id)
        return f"130402-{contract.filed_on.year}-{contract_id:06d}"


def test_the_receipt_states_the_case_the_documents_and_the_expected_decision_date(app, api, reviewer, file_contract):
    contract_id = file_contract()
    accepted = reviewer.post(f"/api/v1/contracts/{contract_id}/accept", json={}).json
    receipt = one(documents_of(api, contract_id), "receipt")
    assert receipt["label_zh"] == "受理回执" and receipt["sha256"] is None  # listed, not made yet

    text = pdf_text(download(api, receipt["url"]))
    due = accepted["due_on"]
    year, month, day = (int(part) for part in due.split("-"))
    for expected in (
        "受理回执",
        "Acceptancereceipt",
        case_number(app, contract_id),
        f"{year}年{month}月{day}日",  # the expected decision date
        "合同文本",
        "c.pdf",  # the attachment received, with its kind and hash
        "邯山区",  # the station
        f"/contracts/{contract_id}",  # where to follow the case
        "钢铁冶炼余热回收技术开发",
    ):
        assert expected in text, expected


def test_a_document_is_made_once_and_served_identically(app, api, reviewer, file_contract):
    contract_id = file_contract()
    reviewer.post(f"/api/v1/contracts/{contract_id}/accept", json={})
    url = one(documents_of(api, contract_id), "receipt")["url"]
    first = download(api, url)
    second = download(reviewer, url)  # the station sees the same bytes
    assert first == second
    listed = one(documents_of(api, contract_id), "receipt")
    assert listed["sha256"] == hashlib.sha256(first).hexdigest() and listed["size"] == len(first)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Document)) == 1


def test_a_document_is_signed_by_the_station(api, reviewer, file_contract, pki_dir):
    contract_id = file_contract()
    reviewer.post(f"/api/v1/contracts/{contract_id}/accept", json={})
    pdf = download(api, one(documents_of(api, contract_id), "receipt")["url"])
    result = verify_pdf(pdf, (Path(pki_dir) / "root-ca.pem").read_bytes())
    # Every check of the certificate verifier passes (whole file signed, by a station certificate of the bureau's
    # root) up to the last one: a document is not a certificate, so it carries no registration number.
    assert result.reason == REASON_NO_NUMBER, result
    assert result.signed_by_station and "130402" in result.signer_subject + result.signed_by_station
    assert b"/ByteRange" in pdf


def test_an_altered_stored_document_is_not_served(app, api, reviewer, file_contract):
    contract_id = file_contract()
    reviewer.post(f"/api/v1/contracts/{contract_id}/accept", json={})
    url = one(documents_of(api, contract_id), "receipt")["url"]
    pdf = download(api, url)
    stored = Path(app.config["STORAGE_DIR"]).rglob(hashlib.sha256(pdf).hexdigest())
    path = next(stored)
    path.write_bytes(pdf[:-10] + b"0000000000")
    response = api.get(url)
    assert response.status_code == 503 and response.mimetype == "application/problem+json"


def test_the_amendment_notice_gives_the_reasons_the_due_date_and_what_follows(app, api, reviewer, file_contract):
    contract_id = file_contract()
    sent = reviewer.post(
        f"/api/v1/contracts/{contract_id}/request-amendment", json={"reasons": REASONS, "due_on": "2099-12-31"}
    )
    assert sent.status_code == 200, sent.json
    notice = one(documents_of(api, contract_id), "amendment")
    text = pdf_text(download(api, notice["url"]))
    for expected in ("补正通知书", case_number(app, contract_id), *REASONS, "2099年12月31日", "逾期未提交补正材料"):
        assert re.sub(r"\s+", "", expected) in text, expected


def test_the_refusal_notice_gives_the_grounds_the_note_and_how_to_object(app, api, reviewer, file_contract):
    contract_id = file_contract()
    refused = reviewer.post(
        f"/api/v1/contracts/{contract_id}/refuse", json={"grounds": GROUNDS, "note": "卖方与合同签章名称不一致"}
    )
    assert refused.status_code == 200, refused.json
    text = pdf_text(download(api, one(documents_of(api, contract_id), "refusal")["url"]))
    for expected in (
        "不予登记通知书",
        case_number(app, contract_id),
        "当事人不明确",
        "其他原因",
        "卖方与合同签章名称不一致",
        "60日内申请行政复议",
        "6个月内提起行政诉讼",
    ):
        assert expected in text, expected


def test_the_filing_form_prints_the_filing_as_submitted(app, api, file_contract):
    contract_id = file_contract()
    form = one(documents_of(api, contract_id), "filing")
    text = pdf_text(download(api, form["url"]))
    for expected in (
        "技术合同登记表",
        case_number(app, contract_id),
        "钢铁冶炼余热回收技术开发",
        "示范科技有限公司",
        "深圳买方股份有限公司",
        "¥1,250,000.00",
        "换热器两台",
        "¥170,000.00",
        "¥1,080,000.00",
        "壹佰零捌万元整",
        "新能源",
    ):
        assert expected in text, expected


def test_the_filing_form_says_technology_as_equity_also_for_a_snapshot_of_the_former_subtype(app, api, file_contract):
    know_how = dict(category="transfer", subtype="know_how", ip_type="know_how", ip_numbers=[])
    flagged, old = file_contract(**know_how, equity=True), file_contract(**know_how, title="旧合同")
    with app.app_context():  # a submission recorded while "equity" was a sub-type of its own
        change = db.session.scalars(select(StatusChange).where(StatusChange.contract_id == old)).all()[-1]
        details = dict(change.details)
        details["snapshot"] = {**details["snapshot"], "subtype": "equity", "contributed_as_equity": None}
        change.details = details
        db.session.commit()
    printed = {cid: pdf_text(download(api, one(documents_of(api, cid), "filing")["url"])) for cid in (flagged, old)}
    assert "技术秘密转让（技术入股）" in printed[flagged]
    assert "合同子类Sub-type技术入股" in printed[old] and "技术秘密转让" not in printed[old]


def test_the_filing_form_of_an_earlier_submission_needs_its_snapshot(app, api, reviewer, file_contract):
    kept, lost = file_contract(), file_contract(title="另一份技术开发合同", signed_on="2026-03-02")
    for contract_id in (kept, lost):
        reviewer.post(
            f"/api/v1/contracts/{contract_id}/request-amendment", json={"reasons": REASONS, "due_on": "2099-12-31"}
        )
    with app.app_context():
        submission = db.session.scalars(
            select(StatusChange).where(StatusChange.contract_id == lost, StatusChange.to_status == "submitted")
        ).one()
        submission.details = {k: v for k, v in submission.details.items() if k != "snapshot"}  # as before snapshots
        db.session.commit()
    # The submission kept what was filed: the form prints it although the draft is editable again.
    form = one(documents_of(api, kept), "filing")
    assert "钢铁冶炼余热回收技术开发" in pdf_text(download(api, form["url"]))
    # Without the snapshot the contract's fields are no longer necessarily those submitted: no form.
    assert [item["kind"] for item in documents_of(api, lost)] == ["amendment"]


def test_others_get_nothing(app, make_account, api_as, reviewer, api, file_contract):
    contract_id = file_contract()
    reviewer.post(f"/api/v1/contracts/{contract_id}/accept", json={})
    receipt = one(documents_of(api, contract_id), "receipt")
    stranger = api_as(make_account("applicant", credit_code="91440300MA5FXXXX1X", org_name="别家公司"))
    other_station = api_as(make_account("reviewer", station_code="130403"))
    for client in (stranger, other_station):
        assert client.get(receipt["url"]).status_code == 404
        assert client.get(f"/api/v1/contracts/{contract_id}/documents").status_code == 404
    anonymous = app.test_client()
    assert anonymous.get(receipt["url"]).status_code == 401
    assert anonymous.get(receipt["page_url"]).status_code == 302  # to the log-in page
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Document)) == 0  # nothing made for them


def test_a_kind_the_entry_does_not_have_is_not_found(api, reviewer, file_contract):
    contract_id = file_contract()
    reviewer.post(f"/api/v1/contracts/{contract_id}/accept", json={})
    receipt = one(documents_of(api, contract_id), "receipt")
    change_id = receipt["change_id"]
    for kind in ("refusal", "nonsense"):
        assert api.get(f"/api/v1/contracts/{contract_id}/documents/{kind}/{change_id}.pdf").status_code == 404
    assert api.get(f"/api/v1/contracts/{contract_id}/documents/receipt/{change_id + 999}.pdf").status_code == 404


def test_the_timeline_links_each_document(app, applicant, reviewer, file_contract):
    contract_id = file_contract()
    reviewer.post(f"/api/v1/contracts/{contract_id}/accept", json={})
    web = app.test_client()
    assert login(web, applicant.email, applicant.password).status_code == 302
    page = web.get(f"/contracts/{contract_id}")
    assert page.status_code == 200
    links = re.findall(r'<a href="([^"]+)"[^>]*data-kind="(\w+)">([^<]+)</a>', page.text)
    kinds = {kind: (href, text) for href, kind, text in links}
    assert set(kinds) == {"filing", "receipt"}
    assert kinds["receipt"][1] == "受理回执 (PDF)"
    assert download(web, kinds["receipt"][0]).startswith(b"%PDF-")
    assert "Acceptance receipt (PDF)" in web.get(f"/contracts/{contract_id}?lang=en").text
