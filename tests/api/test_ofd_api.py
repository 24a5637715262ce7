"""The OFD electronic licence over HTTP: download beside the PDF, verification by upload, versions and statuses."""

from __future__ import annotations

import io
import shutil
import zipfile

from app.extensions import db
from app.models import Certificate
from tests.api.test_certificates_api import REGISTER

CONTENT = "Doc_0/Pages/Page_0/Content.xml"


def upload(client, data: bytes):
    return client.post("/api/v1/verify", data={"file": (io.BytesIO(data), "certificate.ofd")})


def download(api, contract_id: int, query: str = ""):
    response = api.get(f"/api/v1/contracts/{contract_id}/certificate.ofd{query}")
    data, status, headers = response.data, response.status_code, dict(response.headers)
    response.close()
    return status, data, headers


def register(reviewer, file_contract) -> dict:
    contract_id = file_contract()
    reviewer.post(f"/api/v1/contracts/{contract_id}/accept", json={})
    return reviewer.post(f"/api/v1/contracts/{contract_id}/register", json=REGISTER).json


def tampered(ofd: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(ofd)) as source, zipfile.ZipFile(out, "w") as target:
        for name in source.namelist():
            content = source.read(name)
            target.writestr(name, content.replace(b"1,080,000.00", b"1,980,000.00"))
    return out.getvalue()


def test_the_ofd_licence_downloads_and_verifies_and_a_changed_copy_does_not(
    api, client, make_account, api_as, file_contract
):
    reviewer = api_as(make_account("reviewer", station_code="130402"))
    body = register(reviewer, file_contract)
    status, ofd, headers = download(api, body["id"])
    assert status == 200 and headers["Content-Type"] == "application/ofd"
    assert f"{body['registration_number']}-v1.ofd" in headers["Content-Disposition"]
    assert zipfile.ZipFile(io.BytesIO(ofd)).read("OFD.xml").startswith(b"<?xml")
    answer = upload(client, ofd).json
    assert answer["result"] == "valid" and answer["registry_status"] == "valid"
    assert (answer["registration_number"], answer["version"]) == (body["registration_number"], 1)
    assert "130402" in answer["signer"]
    broken = upload(client, tampered(ofd)).json
    assert broken["result"] == "invalid" and broken["reason"] == "文件内容与其签名不符。"


def test_a_change_supersedes_the_first_ofd_and_a_revocation_shows(api, client, make_account, api_as, file_contract):
    reviewer = api_as(make_account("reviewer", station_code="130402"))
    body = register(reviewer, file_contract)
    _, first, _ = download(api, body["id"])
    reviewer.post(
        f"/api/v1/contracts/{body['id']}/change", json={"certified_technical_amount": "1000000.00", "reason": "核减"}
    )
    old = upload(client, first).json
    assert old["result"] == "invalid" and old["registry_status"] == "superseded"
    assert download(api, body["id"], "?version=1")[1] == first
    _, second, _ = download(api, body["id"])
    assert upload(client, second).json["version"] == 2
    reviewer.post(f"/api/v1/contracts/{body['id']}/revoke", json={"reason": "提供虚假材料"})
    assert upload(client, second).json["registry_status"] == "revoked"


def test_a_version_issued_before_ofd_licences_gets_one_on_first_download_if_current(
    app, api, client, make_account, api_as, file_contract
):
    reviewer = api_as(make_account("reviewer", station_code="130402"))
    body = register(reviewer, file_contract)
    reviewer.post(
        f"/api/v1/contracts/{body['id']}/change", json={"certified_technical_amount": "1000000.00", "reason": "核减"}
    )
    with app.app_context():
        for certificate in db.session.scalars(db.select(Certificate).where(Certificate.contract_id == body["id"])):
            certificate.ofd_sha256 = certificate.ofd_size = None
        db.session.commit()
    assert download(api, body["id"], "?version=1")[0] == 404  # its facts are no longer the contract's
    status, ofd, _ = download(api, body["id"])
    assert status == 200 and upload(client, ofd).json["result"] == "valid"
    assert download(api, body["id"])[1] == ofd  # made once, then served from storage


def test_a_station_without_an_electronic_seal_cannot_register(
    app, tmp_path, pki_dir, make_account, api_as, file_contract
):
    directory = tmp_path / "certs"
    shutil.copytree(pki_dir, directory)
    (directory / "station-130402.esl").unlink()
    app.config["CERTS_DIR"] = str(directory)
    reviewer = api_as(make_account("reviewer", station_code="130402"))
    contract_id = file_contract()
    reviewer.post(f"/api/v1/contracts/{contract_id}/accept", json={})
    refused = reviewer.post(f"/api/v1/contracts/{contract_id}/register", json=REGISTER)
    assert refused.status_code == 503 and "电子印章" in refused.json["detail"]
    assert reviewer.get(f"/api/v1/contracts/{contract_id}").json["status"] == "accepted"
