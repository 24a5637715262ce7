"""Registration yields a signed certificate; anyone verifies it by number and code or by uploading the file."""

from __future__ import annotations

import hashlib
import io
import shutil
import subprocess
from pathlib import Path

import pytest

from app.domain.clock import today_local
from tests.factories import BUYER_CODE

REGISTER = {"category": "development", "subtype": "commissioned", "certified_technical_amount": "1080000.00"}


@pytest.fixture
def reviewer(make_account, api_as):
    return api_as(make_account("reviewer", station_code="130402"))


@pytest.fixture
def registered(api, reviewer, file_contract):
    """A registered contract (as the API returns it) with its signed certificate's bytes."""
    contract_id = file_contract()
    reviewer.post(f"/api/v1/contracts/{contract_id}/accept", json={})
    body = reviewer.post(f"/api/v1/contracts/{contract_id}/register", json=REGISTER).json
    pdf = api.get(body["certificate"]["url"])
    data = pdf.data
    pdf.close()
    return body, data


def upload(client, data: bytes):
    return client.post("/api/v1/verify", data={"file": (io.BytesIO(data), "certificate.pdf")})


def test_registration_issues_a_signed_certificate(registered):
    body, pdf = registered
    certificate = body["certificate"]
    assert certificate["version"] == 1 and len(certificate["check_code"]) == 8
    assert pdf.startswith(b"%PDF-") and hashlib.sha256(pdf).hexdigest() == certificate["sha256"]
    assert certificate["verify_url"].endswith(f"/verify/{body['registration_number']}?c={certificate['check_code']}")
    assert b"/ByteRange" in pdf and len(pdf) < 80 * 1024


def test_public_lookup_needs_the_check_code_for_details(client, registered):
    body, _ = registered
    number, code = body["registration_number"], body["certificate"]["check_code"]
    bare = client.get(f"/api/v1/verify/{number}").json
    assert bare == {"registration_number": number, "exists": True, "code_checked": False}
    wrong = client.get(f"/api/v1/verify/{number}?c=WRONG222").json
    assert wrong["code_checked"] is False and "status" not in wrong
    facts = client.get(f"/api/v1/verify/{number}?c={code}").json
    assert facts["status"] == "valid" and facts["certified_technical_amount"] == "1080000.00"
    assert facts["seller"] == "示范**有限公司" and facts["station"]["code"] == "130402"
    assert client.get(f"/api/v1/verify/{number[:-1]}9?c={code}").json["exists"] is False
    page = client.get(f"/verify/{number}?c={code}")
    assert page.status_code == 200 and "有效" in page.text and "示范**有限公司" in page.text


def test_an_intact_certificate_verifies(client, registered):
    body, pdf = registered
    answer = upload(client, pdf).json
    assert answer["result"] == "valid", answer
    assert answer["registration_number"] == body["registration_number"] and answer["registry_status"] == "valid"


def test_a_flipped_byte_is_invalid(client, registered):
    _, pdf = registered
    position = pdf.index(b"/Contents") + 200  # inside the page content, covered by the signature
    tampered = pdf[:position] + bytes([pdf[position] ^ 0x01]) + pdf[position + 1 :]
    answer = upload(client, tampered).json
    assert answer["result"] == "invalid", answer


def test_an_edit_after_signing_is_invalid(client, registered):
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    _, pdf = registered
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    page = writer.root["/Pages"]["/Kids"][0].get_object()
    note = generic.DictionaryObject(
        {
            generic.NameObject("/Type"): generic.NameObject("/Annot"),
            generic.NameObject("/Subtype"): generic.NameObject("/FreeText"),
            generic.NameObject("/Rect"): generic.ArrayObject([generic.FloatObject(v) for v in (300, 300, 500, 320)]),
            generic.NameObject("/Contents"): generic.TextStringObject("核定技术交易额 ¥9,080,000.00"),
            generic.NameObject("/DA"): generic.TextStringObject("/Helv 12 Tf 0 g"),
        }
    )
    page[generic.NameObject("/Annots")] = generic.ArrayObject([writer.add_object(note)])
    writer.update_container(page)
    out = io.BytesIO()
    writer.write(out)
    answer = upload(client, out.getvalue()).json
    assert answer["result"] == "invalid", answer


def test_a_certificate_signed_by_another_key_is_invalid(app, client, registered, tmp_path):
    from app.certificates.pki import create_demo_pki, load_station_signer
    from app.certificates.render import render_certificate
    from app.certificates.services import certificate_data
    from app.certificates.sign import sign_pdf
    from app.extensions import db
    from app.models import Contract

    body, _ = registered
    create_demo_pki(tmp_path / "rogue", b"rogue", [("130402", "邯山区技术合同登记站")])
    rogue = load_station_signer(tmp_path / "rogue", "130402", b"rogue")
    with app.test_request_context():
        contract = db.session.get(Contract, body["id"])
        data = certificate_data(contract, 1, body["certificate"]["check_code"], None)
        forged = sign_pdf(render_certificate(data), rogue, reason="伪造", location="x")
    answer = upload(client, forged).json
    assert answer["result"] == "invalid", answer


def test_garbage_is_invalid_and_a_missing_file_is_a_field_error(client):
    assert upload(client, b"not a pdf at all").json["result"] == "invalid"
    missing = client.post("/api/v1/verify", data={})
    assert missing.status_code == 422 and missing.json["errors"][0]["field"] == "file"


def test_a_revoked_registration_no_longer_verifies(client, reviewer, registered):
    body, pdf = registered
    reviewer.post(f"/api/v1/contracts/{body['id']}/revoke", json={"reason": "提供虚假材料"})
    answer = upload(client, pdf).json
    assert answer["result"] == "invalid" and answer["registry_status"] == "revoked"
    facts = client.get(f"/api/v1/verify/{body['registration_number']}?c={body['certificate']['check_code']}").json
    assert facts["status"] == "revoked"


def test_a_change_issues_version_two_and_supersedes_version_one(api, client, reviewer, registered):
    body, first_pdf = registered
    changed = reviewer.post(
        f"/api/v1/contracts/{body['id']}/change", json={"certified_technical_amount": "1000000.00", "reason": "核减"}
    ).json
    assert changed["certificate"]["version"] == 2 and changed["certificate"]["sha256"] != body["certificate"]["sha256"]
    old = upload(client, first_pdf).json
    assert old["result"] == "invalid" and old["registry_status"] == "superseded"
    again = api.get(f"/api/v1/contracts/{body['id']}/certificate.pdf?version=1")
    assert again.status_code == 200 and again.data == first_pdf
    again.close()
    current = api.get(f"/api/v1/contracts/{body['id']}/certificate.pdf")
    assert upload(client, current.data).json["result"] == "valid"
    current.close()


def test_a_failed_certificate_rolls_the_registration_back(app, reviewer, file_contract, monkeypatch):
    from app.certificates import services as certificates

    contract_id = file_contract()
    reviewer.post(f"/api/v1/contracts/{contract_id}/accept", json={})

    def broken(*args, **kwargs):
        raise RuntimeError("renderer crashed")

    monkeypatch.setattr(certificates, "render_certificate", broken)
    failed = reviewer.post(f"/api/v1/contracts/{contract_id}/register", json=REGISTER)
    assert failed.status_code == 503 and failed.mimetype == "application/problem+json"
    after = reviewer.get(f"/api/v1/contracts/{contract_id}").json
    assert after["status"] == "accepted" and after["registration_number"] is None and after["certificate"] is None
    monkeypatch.undo()
    done = reviewer.post(f"/api/v1/contracts/{contract_id}/register", json=REGISTER).json
    assert done["registration_number"] == f"130402{today_local().year}000001"


def test_only_parties_and_staff_download(app, make_account, api_as, registered):
    body, _ = registered
    url = body["certificate"]["url"]
    stranger = api_as(make_account("applicant", credit_code="91350100M0001TGQXM", org_name="无关公司"))
    assert stranger.get(url).status_code == 404
    buyer = api_as(make_account("applicant", credit_code=BUYER_CODE, org_name="深圳买方股份有限公司"))
    response = buyer.get(url)
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    response.close()


def test_root_certificate_is_served(client, pki_dir):
    response = client.get("/.well-known/tcr/root-ca.pem")
    assert response.status_code == 200 and response.data == (Path(pki_dir) / "root-ca.pem").read_bytes()


@pytest.mark.skipif(
    shutil.which("pyhanko") is None
    and not Path(".venv/bin/pyhanko").exists()
    and not Path("/tmp/probe-venv/bin/pyhanko").exists(),
    reason="pyHanko CLI not installed",
)
def test_pyhanko_command_line_validates_against_the_served_root(client, registered, tmp_path):
    _, pdf = registered
    (tmp_path / "root.pem").write_bytes(client.get("/.well-known/tcr/root-ca.pem").data)
    (tmp_path / "certificate.pdf").write_bytes(pdf)
    import sys

    cli = Path(sys.executable).with_name("pyhanko")
    result = subprocess.run(
        [
            str(cli),
            "sign",
            "validate",
            "--no-revocation-check",
            "--trust-replace",
            "--trust",
            str(tmp_path / "root.pem"),
            "--pretty-print",
            str(tmp_path / "certificate.pdf"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "The signature is judged VALID." in result.stdout
    assert "The signature covers the entire file." in result.stdout


def test_a_station_key_in_pkcs12_signs_and_verifies(
    app, client, pki_dir, tmp_path, make_account, api_as, file_contract
):
    """Production keys may come as a PKCS#12 file per station; it takes precedence over the PEM pair."""
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.serialization import pkcs12

    directory = tmp_path / "certs"
    shutil.copytree(pki_dir, directory)
    key = serialization.load_pem_private_key((directory / "station-130402.key").read_bytes(), b"test-key-passphrase")
    cert = x509.load_pem_x509_certificate((directory / "station-130402.pem").read_bytes())
    root = x509.load_pem_x509_certificate((directory / "root-ca.pem").read_bytes())
    (directory / "station-130402.key").unlink()  # only the PKCS#12 file can sign now
    (directory / "station-130402.p12").write_bytes(
        pkcs12.serialize_key_and_certificates(
            b"130402", key, cert, [root], serialization.BestAvailableEncryption(b"test-key-passphrase")
        )
    )
    app.config["CERTS_DIR"] = str(directory)
    reviewer = api_as(make_account("reviewer", station_code="130402"))
    contract_id = file_contract()
    reviewer.post(f"/api/v1/contracts/{contract_id}/accept", json={})
    body = reviewer.post(f"/api/v1/contracts/{contract_id}/register", json=REGISTER).json
    pdf = reviewer.get(body["certificate"]["url"])
    assert upload(client, pdf.data).json["result"] == "valid"
    pdf.close()


def test_a_station_without_a_key_cannot_register_and_keeps_its_number(
    app, tmp_path, pki_dir, make_account, api_as, file_contract
):
    directory = tmp_path / "empty-certs"
    directory.mkdir()
    shutil.copy(Path(pki_dir) / "root-ca.pem", directory)
    app.config["CERTS_DIR"] = str(directory)
    reviewer = api_as(make_account("reviewer", station_code="130402"))
    contract_id = file_contract()
    reviewer.post(f"/api/v1/contracts/{contract_id}/accept", json={})
    refused = reviewer.post(f"/api/v1/contracts/{contract_id}/register", json=REGISTER)
    assert refused.status_code == 503 and "130402" in refused.json["detail"]
    assert reviewer.get(f"/api/v1/contracts/{contract_id}").json["registration_number"] is None
