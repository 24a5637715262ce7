"""A tax office exports the registrations in its areas as CSV, JSON or XLSX, each with a signed manifest."""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec

from app.domain.clock import today_local
from app.tax.services.exports import HEADERS, KEYS
from tests.factories import SELLER_CODE, filing

REGISTER = {"category": "development", "subtype": "commissioned", "certified_technical_amount": "1080000.00"}


@pytest.fixture
def registered(api, api_as, make_account, file_contract):
    """Two registrations with the seller in 130402 (one later revoked) and one with both parties elsewhere."""
    reviewers = {code: api_as(make_account("reviewer", station_code=code)) for code in ("130402", "130403")}
    numbers = []
    for title, area in (("余热回收技术开发", "130402"), ("焦化废水处理技术开发", "130402"), ("外区合同", "130403")):
        seller = {**filing()["seller"], "area_code": area}
        contract_id = file_contract(title=title, seller=seller)
        station = api.get(f"/api/v1/contracts/{contract_id}").json["station"]["code"]
        reviewer = reviewers[station]
        assert reviewer.post(f"/api/v1/contracts/{contract_id}/accept", json={}).status_code == 200
        body = reviewer.post(f"/api/v1/contracts/{contract_id}/register", json=REGISTER).json
        numbers.append((contract_id, body["registration_number"], reviewer))
    contract_id, _, reviewer = numbers[1]
    assert reviewer.post(f"/api/v1/contracts/{contract_id}/revoke", json={"reason": "虚假材料"}).status_code == 200
    return [number for _, number, _ in numbers]


@pytest.fixture
def tax(api_as, make_account):
    return api_as(make_account("tax", area_codes=("130402",)))


def period(fmt: str = "csv") -> str:
    today = today_local().isoformat()
    return f"from={today}&to={today}&format={fmt}"


def download(client, fmt: str) -> bytes:
    response = client.get(f"/api/v1/tax/exports?{period(fmt)}")
    assert response.status_code == 200, response.data[:500]
    data = response.get_data()
    response.close()
    return data


def test_csv_holds_exactly_the_officers_rows(registered, tax):
    mine = sorted(registered[:2])
    response = tax.get(f"/api/v1/tax/exports?{period()}")
    assert response.mimetype == "text/csv" and ".csv" in response.headers["Content-Disposition"]
    data = response.get_data()
    response.close()
    assert data.startswith("\ufeff".encode()) and b"\r\n" in data
    table = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert table[0] == HEADERS and table[0][0] == "登记编号" and table[1] == KEYS
    records = [dict(zip(KEYS, row)) for row in table[2:]]
    assert [r["registration_number"] for r in records] == mine
    assert {r["status"] for r in records} == {"registered", "revoked"}
    first = records[0]
    assert first["seller_credit_code"] == SELLER_CODE and first["seller_area"] == "130402"
    assert first["amount"] == "1250000.00" and first["vat_exemption"] == "eligible"
    assert first["rd_super_deduction"] == "eligible" and len(first["certificate_sha256"]) == 64
    assert download(tax, "csv") == data  # deterministic


def test_json_and_xlsx_hold_the_same_rows(registered, tax):
    records = json.loads(download(tax, "json"))
    assert [r["registration_number"] for r in records] == sorted(registered[:2])
    assert list(records[0]) == KEYS
    data = download(tax, "xlsx")
    assert data == download(tax, "xlsx")  # a fixed creation date keeps the bytes reproducible
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        names = book.namelist()
        assert "xl/worksheets/sheet1.xml" in names and "xl/worksheets/sheet2.xml" in names
        sheet = book.read("xl/worksheets/sheet1.xml").decode()
        strings = book.read("xl/sharedStrings.xml").decode() if "xl/sharedStrings.xml" in names else ""
        workbook = book.read("xl/workbook.xml").decode()
    text = sheet + strings
    assert "登记编号" in text and "registration_number" in text and "字段说明" in workbook
    assert all(number in text for number in registered[:2]) and registered[2] not in text


def _verify(manifest: dict, data: bytes, pki_dir: Path) -> None:
    root = x509.load_pem_x509_certificate((pki_dir / "root-ca.pem").read_bytes())
    root.public_key().verify(base64.b64decode(manifest["signature"]), data, ec.ECDSA(hashes.SHA256()))


@pytest.mark.parametrize("fmt", ["csv", "json", "xlsx"])
def test_the_manifest_matches_and_its_signature_verifies(registered, tax, pki_dir, fmt):
    data = download(tax, fmt)
    manifest = tax.get(f"/api/v1/tax/exports/manifest?{period(fmt)}").json
    assert manifest["rows"] == 2 and manifest["sha256"] == hashlib.sha256(data).hexdigest()
    assert manifest["algorithm"] == "ecdsa-with-SHA256" and "TCR Demo Bureau Root CA" in manifest["signed_by"]
    assert manifest["certificate_url"] == "/.well-known/tcr/root-ca.pem"
    _verify(manifest, data, pki_dir)
    altered = data[:-3] + bytes([data[-3] ^ 0x01]) + data[-2:]
    with pytest.raises(InvalidSignature):
        _verify(manifest, altered, pki_dir)


@pytest.mark.skipif(shutil.which("openssl") is None, reason="openssl is not installed")
def test_the_readme_recipe_verifies_with_openssl(client, registered, tax, tmp_path):
    (tmp_path / "export.csv").write_bytes(download(tax, "csv"))
    manifest = tax.get(f"/api/v1/tax/exports/manifest?{period()}").json
    (tmp_path / "root-ca.pem").write_bytes(client.get("/.well-known/tcr/root-ca.pem").data)
    (tmp_path / "sig.der").write_bytes(base64.b64decode(manifest["signature"]))

    def run(*command: str) -> subprocess.CompletedProcess:
        return subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, check=False)

    pub = run("openssl", "x509", "-in", "root-ca.pem", "-pubkey", "-noout")
    (tmp_path / "bureau.pub").write_text(pub.stdout)
    verified = run("openssl", "dgst", "-sha256", "-verify", "bureau.pub", "-signature", "sig.der", "export.csv")
    assert verified.returncode == 0 and "Verified OK" in verified.stdout
    (tmp_path / "export.csv").write_bytes((tmp_path / "export.csv").read_bytes() + b" ")
    failed = run("openssl", "dgst", "-sha256", "-verify", "bureau.pub", "-signature", "sig.der", "export.csv")
    assert failed.returncode != 0


def test_another_area_sees_other_rows(registered, api_as, make_account):
    elsewhere = api_as(make_account("tax", area_codes=("130403",)))
    records = json.loads(download(elsewhere, "json"))
    assert [r["registration_number"] for r in records] == [registered[2]]


@pytest.mark.parametrize(
    "query",
    [
        "from=2026-03-01&to=2026-02-01",  # reversed
        "from=2025-01-01&to=2026-01-02",  # 367 days
        "from=2026-01-01&to=2026-01-31&format=pdf",
        "to=2026-01-31",
        "from=2026-01-01&to=not-a-date",
    ],
)
@pytest.mark.parametrize("path", ["/api/v1/tax/exports", "/api/v1/tax/exports/manifest"])
def test_bad_queries_are_422(tax, path, query):
    response = tax.get(f"{path}?{query}")
    assert response.status_code == 422, response.json
    assert response.mimetype == "application/problem+json"


def test_a_full_year_is_allowed(tax):
    assert tax.get("/api/v1/tax/exports/manifest?from=2024-01-01&to=2024-12-31").json["rows"] == 0


@pytest.mark.parametrize("role", ["applicant", "reviewer", "bureau"])
def test_other_roles_are_refused(api_as, make_account, client, role):
    query = "from=2026-01-01&to=2026-01-31"
    assert client.get(f"/api/v1/tax/exports?{query}").status_code == 401
    other = api_as(make_account(role))
    assert other.get(f"/api/v1/tax/exports?{query}").status_code == 403
    assert other.get(f"/api/v1/tax/exports/manifest?{query}").status_code == 403
