"""A buyer's claim on another city's registration: the certificate's signature must chain to a trusted registry;
the file is stored and the bureau approves only once it says it checked the certificate."""

from __future__ import annotations

import io
import shutil

import pytest
from pyhanko.pdf_utils.generic import StreamObject
from pyhanko.pdf_utils.writer import PageObject, PdfFileWriter

from app.certificates.pki import create_demo_pki, load_station_signer
from app.certificates.sign import sign_pdf
from tests.subsidies.helpers import buyer_account, create_programme

PASSPHRASE = b"other-registry-test"


def _blank_pdf() -> bytes:
    """A one-page PDF with a cross-reference table, as pyHanko signs it."""
    writer = PdfFileWriter()
    writer.insert_page(
        PageObject(contents=writer.add_object(StreamObject(stream_data=b"")), media_box=(0, 0, 595, 842))
    )
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _signed_by(directory) -> bytes:
    create_demo_pki(directory, PASSPHRASE, [("110108", "北京市海淀区技术合同登记站")])
    signer = load_station_signer(directory, "110108", PASSPHRASE)
    return sign_pdf(_blank_pdf(), signer, reason="技术合同登记证明", location="北京")


@pytest.fixture
def registries(app, tmp_path):
    """A trusted registry (its root in TRUSTED_REGISTRIES_DIR) and an unknown one: a certificate of each."""
    trusted_pdf, unknown_pdf = _signed_by(tmp_path / "beijing"), _signed_by(tmp_path / "unknown")
    trusted = tmp_path / "trusted"
    trusted.mkdir()
    shutil.copy(tmp_path / "beijing" / "root-ca.pem", trusted / "beijing.pem")
    app.config["TRUSTED_REGISTRIES_DIR"] = str(trusted)
    return trusted_pdf, unknown_pdf


def _claim(client, programme: int, pdf: bytes, number: str = "1101082026000123"):
    return client.post(
        "/api/v1/subsidy-claims/external",
        data={
            "programme": str(programme),
            "registration_number": number,
            "registry": "北京技术市场管理办公室",
            "category": "development",
            "registered_on": f"{programme_year()}-03-02",
            "amount": "2000000.00",
            "file": (io.BytesIO(pdf), "beijing.pdf"),
        },
        content_type="multipart/form-data",
    )


def programme_year() -> int:
    from app.domain.clock import today_local

    return today_local().year


def test_a_trusted_registry_certificate_makes_a_claim_the_bureau_checks_by_hand(app, registries, make_account, api_as):
    trusted_pdf, unknown_pdf = registries
    bureau = api_as(make_account("bureau"))
    buyer = api_as(buyer_account(make_account))
    programme = create_programme(bureau)
    refused = _claim(buyer, programme, unknown_pdf, "1101082026000999")
    assert refused.status_code == 422 and refused.json["errors"][0]["field"] == "file"
    created = _claim(buyer, programme, trusted_pdf)
    assert created.status_code == 201, created.json
    claim = created.json
    assert (claim["status"], claim["amount"], claim["external"]) == ("pending", "100000.00", True)
    assert claim["certificate_check"] == "valid" and claim["external_registry"] == "北京技术市场管理办公室"
    assert _claim(buyer, programme, trusted_pdf).status_code == 409
    unchecked = bureau.post(f"/api/v1/subsidy-claims/{claim['id']}/approve", json={})
    assert unchecked.status_code == 422 and unchecked.json["errors"][0]["field"] == "certificate_checked"
    approved = bureau.post(f"/api/v1/subsidy-claims/{claim['id']}/approve", json={"certificate_checked": True})
    assert approved.json["status"] == "approved"
