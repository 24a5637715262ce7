"""Uploads: only accepted files reach storage; PDFs that would run something and oversized images are refused;
attachments are served as downloads, never sniffed, sandboxed, and only while their bytes match their hash."""

from __future__ import annotations

import io
import logging
from pathlib import Path

import pytest
from PIL import Image
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.writer import PdfFileWriter

from tests.conftest import login
from tests.factories import MINIMAL_PDF, filing
from tests.web.webtools import upload as web_upload

N = generic.NameObject
JAVASCRIPT = {N("/S"): N("/JavaScript"), N("/JS"): generic.TextStringObject("app.alert('hi')")}
LAUNCH = {N("/S"): N("/Launch"), N("/F"): generic.TextStringObject("C:\\Windows\\System32\\calc.exe")}
GOTO_PAGE = {N("/S"): N("/GoTo"), N("/D"): generic.ArrayObject([generic.NumberObject(0), N("/Fit")])}


def pdf(catalogue_entries: dict | None = None, packed: bool = True, filler: int = 0) -> bytes:
    """A one-page PDF whose catalogue holds `catalogue_entries` (each value a dictionary of its own object),
    those objects in a compressed object stream when `packed`, after `filler` other objects in that stream."""
    writer = PdfFileWriter()
    writer.insert_page(
        generic.DictionaryObject(
            {
                N("/Type"): N("/Page"),
                N("/MediaBox"): generic.ArrayObject([generic.NumberObject(v) for v in (0, 0, 595, 842)]),
            }
        )
    )
    stream = writer.prepare_object_stream() if packed else None
    fillers = [
        writer.add_object(generic.DictionaryObject({N("/Index"): generic.NumberObject(i)}), obj_stream=stream)
        for i in range(filler)
    ]
    if fillers:
        writer.root[N("/Filler")] = generic.ArrayObject(fillers)
    for key, entries in (catalogue_entries or {}).items():
        writer.root[N(key)] = writer.add_object(generic.DictionaryObject(entries), obj_stream=stream)
    writer.update_root()
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def png(width: int, height: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("L", (width, height)).save(buffer, "PNG")
    return buffer.getvalue()


def stored_files(app) -> list[Path]:
    root = Path(app.config["STORAGE_DIR"])
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


@pytest.fixture
def draft(api) -> int:
    response = api.post("/api/v1/contracts", json=filing())
    assert response.status_code == 201
    return response.json["id"]


def upload(api, contract_id: int, content: bytes, name: str = "contract.pdf"):
    return api.post(
        f"/api/v1/contracts/{contract_id}/attachments",
        data={"kind": "contract_text", "file": (io.BytesIO(content), name)},
    )


def codes(response) -> list[str]:
    return [error["code"] for error in response.json["errors"]]


ACTIVE_PDFS = {
    "JavaScript on opening, in an object stream": pdf({"/OpenAction": JAVASCRIPT}),
    "JavaScript after 2,000 other objects of its stream": pdf({"/OpenAction": JAVASCRIPT}, filler=2000),
    "a launch action on opening": pdf({"/OpenAction": LAUNCH}, packed=False),
    "automatic actions of the document": pdf({"/AA": {N("/WC"): generic.DictionaryObject(GOTO_PAGE)}}),
    "a document-level JavaScript name tree": pdf(
        {"/Names": {N("/JavaScript"): generic.DictionaryObject({N("/Names"): generic.ArrayObject([])})}}
    ),
    "a damaged file with escaped names": MINIMAL_PDF.replace(
        b"/Pages 2 0 R>>", b"/Pages 2 0 R/OpenAction<</S/Java#53cript/J#53(app.alert(1))>>>>"
    ),
}


@pytest.mark.parametrize("content", list(ACTIVE_PDFS.values()), ids=list(ACTIVE_PDFS))
def test_a_pdf_that_would_run_something_is_refused_and_not_stored(app, api, draft, content):
    response = upload(api, draft, content)
    assert response.status_code == 422, response.json
    assert codes(response) == ["attachment.pdf_active_content"]
    assert "JavaScript" in response.json["detail"] or "actions" in response.json["detail"]
    assert api.get(f"/api/v1/contracts/{draft}").json["attachments"] == []
    assert stored_files(app) == []


def test_the_javascript_was_compressed_so_only_a_real_reader_finds_it():
    assert b"JavaScript" not in ACTIVE_PDFS["JavaScript on opening, in an object stream"]


def test_a_pdf_that_opens_at_its_first_page_is_accepted_and_stored_once(app, api, draft):
    response = upload(api, draft, pdf({"/OpenAction": GOTO_PAGE}, filler=2000))
    assert response.status_code == 201, response.json
    assert [path.name for path in stored_files(app)] == [response.json["sha256"]]


@pytest.mark.parametrize("content", [b"MZ\x90\x00 not a pdf", b"%PDF-1.4 but truncated", b""])
def test_a_refused_type_leaves_nothing_in_storage(app, api, draft, content):
    assert upload(api, draft, content).status_code == 422
    assert stored_files(app) == []


def test_an_oversized_upload_leaves_nothing_in_storage(app, api, draft):
    app.config.update(MAX_UPLOAD_BYTES=1024)
    assert upload(api, draft, MINIMAL_PDF + b"0" * 4096).status_code == 413
    assert stored_files(app) == []


def test_an_image_above_the_pixel_limit_is_refused(app, api, draft):
    app.config.update(MAX_IMAGE_PIXELS=10_000)
    refused = upload(api, draft, png(200, 100), "scan.png")
    assert refused.status_code == 422 and codes(refused) == ["attachment.image_too_large"]
    assert "0.02" in refused.json["detail"] and stored_files(app) == []
    assert upload(api, draft, png(100, 100), "scan.png").status_code == 201


def test_the_web_form_refuses_active_pdfs_without_storing_them(app, applicant, draft):
    client = app.test_client()
    assert login(client, applicant.email, applicant.password).status_code == 302
    response = web_upload(client, draft, content=ACTIVE_PDFS["JavaScript on opening, in an object stream"])
    assert response.status_code == 422 and "JavaScript" in response.text
    assert stored_files(app) == []


@pytest.fixture
def attachment_url(api, draft) -> str:
    response = upload(api, draft, MINIMAL_PDF)
    assert response.status_code == 201
    return f"/api/v1/contracts/{draft}/attachments/{response.json['id']}"


def fetch(api, url: str, **kwargs):
    """The answer, read and closed (a served file stays open until its response is closed)."""
    response = api.get(url, **kwargs)
    response.get_data()
    response.close()
    return response


def _stored_path(app, sha256: str) -> Path:
    return Path(app.config["STORAGE_DIR"]) / sha256[:2] / sha256[2:4] / sha256


def test_attachments_are_downloads_never_sniffed_and_sandboxed(api, attachment_url):
    response = fetch(api, attachment_url)
    assert response.status_code == 200 and response.data == MINIMAL_PDF
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    policy = response.headers["Content-Security-Policy"]
    assert policy.startswith("sandbox;") and "default-src 'none'" in policy and "frame-ancestors 'self'" in policy
    preview = fetch(api, attachment_url + "?inline=1")
    assert preview.headers["Content-Disposition"].startswith("inline") and preview.data == MINIMAL_PDF
    assert preview.headers["Content-Security-Policy"] == policy
    part = fetch(api, attachment_url, headers={"Range": "bytes=0-4"})
    assert part.status_code == 206 and part.data == b"%PDF-"


def test_an_altered_stored_file_is_a_503_never_the_wrong_bytes(app, api, attachment_url, caplog):
    sha256 = fetch(api, attachment_url).headers["ETag"].strip('"')
    _stored_path(app, sha256).write_bytes(MINIMAL_PDF.replace(b"595", b"596"))
    with caplog.at_level(logging.ERROR):
        response = fetch(api, attachment_url)
    assert response.status_code == 503 and response.mimetype == "application/problem+json"
    assert response.json["type"] == "urn:tcr:problem:stored_file_unavailable" and b"596" not in response.data
    assert any(sha256 in record.getMessage() and "does not match" in record.getMessage() for record in caplog.records)
    page = fetch(api, attachment_url + "?inline=1", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert page.status_code == 503 and page.mimetype == "text/html" and b"596" not in page.data


def test_a_missing_stored_file_is_a_503(app, api, attachment_url):
    sha256 = fetch(api, attachment_url).headers["ETag"].strip('"')
    _stored_path(app, sha256).unlink()
    assert fetch(api, attachment_url).status_code == 503


def test_an_altered_certificate_is_a_503(app, api, api_as, make_account, file_contract):
    reviewer = api_as(make_account("reviewer", station_code="130402"))
    contract_id = file_contract()
    assert reviewer.post(f"/api/v1/contracts/{contract_id}/accept", json={}).status_code == 200
    registered = reviewer.post(
        f"/api/v1/contracts/{contract_id}/register",
        json={"category": "development", "subtype": "commissioned", "certified_technical_amount": "1080000.00"},
    )
    url = f"/api/v1/contracts/{contract_id}/certificate.pdf"
    intact = fetch(api, url)
    assert intact.status_code == 200 and intact.headers["X-Content-Type-Options"] == "nosniff"
    path = _stored_path(app, registered.json["certificate"]["sha256"])
    path.write_bytes(path.read_bytes() + b"%tampered\n")
    assert fetch(api, url).status_code == 503
