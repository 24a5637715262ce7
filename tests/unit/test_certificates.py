"""Certificates: rendering (PDF/A-3b, text, rare characters), the demo PKI, PAdES signing and verification."""

from __future__ import annotations

import datetime as dt
import hashlib
import http.server
import io
import re
import shutil
import subprocess
import threading
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from asn1crypto import keys as asn1_keys
from asn1crypto import tsp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from fontTools.cffLib import CFFFontSet
from fontTools.ttLib import TTFont
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper

from app.certificates import verify as verify_module
from app.certificates.data import CertificateData, PartyLine
from app.certificates.fonts import WORKING_FAMILY, working_font_css
from app.certificates.pki import (
    ROOT_CERT_FILE,
    ROOT_KEY_FILE,
    create_demo_pki,
    load_signer_pkcs12,
    load_station_signer,
    station_cert_file,
    station_key_file,
)
from app.certificates.render import render_certificate
from app.certificates.sign import sign_pdf
from app.certificates.verify import verify_pdf

PASSPHRASE = b"test-passphrase"
STATION = ("130402", "邯郸市丛台区技术合同登记站")
RARE = "𠀀𪚥𡃁"  # CJK extension B, outside Noto CJK for the first two


def certificate(seller: str = "邯郸市智造科技有限公司", **changes) -> CertificateData:
    """A sample certificate."""
    values = dict(
        registration_number="1304022026000123",
        version=2,
        check_code="7KQ2M9XD",
        verify_url="https://tcr.example.cn/verify/1304022026000123?c=7KQ2M9XD",
        title="基于机器视觉的钢铁表面缺陷智能检测系统开发",
        category="技术开发",
        subtype="委托开发",
        seller=PartyLine(seller, "91130402MA0ABCDE1X", "河北省邯郸市丛台区"),
        buyer=PartyLine("河北钢铁集团邯郸钢铁有限公司", "91130400105834526J", "河北省邯郸市复兴区"),
        signed_on=date(2026, 3, 12),
        valid_from=date(2026, 3, 15),
        valid_until=date(2027, 3, 14),
        amount=Decimal("1080000.00"),
        certified_technical_amount=Decimal("960000.00"),
        technical_field="先进制造",
        station_name=STATION[1],
        station_code=STATION[0],
        registered_on=date(2026, 3, 20),
        rule_set="技术合同认定规则（2026版）",
        issued_on=date(2026, 3, 20),
        supersedes_version=1,
    )
    values.update(changes)
    return CertificateData(**values)


@pytest.fixture(scope="module")
def pki(tmp_path_factory) -> Path:
    directory = tmp_path_factory.mktemp("certs")
    create_demo_pki(directory, PASSPHRASE, [STATION])
    return directory


@pytest.fixture(scope="module")
def root_pem(pki) -> bytes:
    return (pki / ROOT_CERT_FILE).read_bytes()


@pytest.fixture(scope="module")
def signer(pki):
    return load_station_signer(pki, STATION[0], PASSPHRASE)


@pytest.fixture(scope="module")
def unsigned_pdf() -> bytes:
    return render_certificate(certificate(seller=f"邯郸市{RARE}科技有限公司"))


@pytest.fixture(scope="module")
def signed_pdf(unsigned_pdf, signer) -> bytes:
    return sign_pdf(unsigned_pdf, signer, reason="技术合同认定登记", location=STATION[1])


def pdf_text(pdf: bytes) -> str:
    """The text of a PDF as poppler extracts it."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    extracted = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True)
    return extracted.stdout.decode()


# Rendering ------------------------------------------------------------------------------------------------------


def test_an_amount_not_fixed_at_signing_prints_as_to_be_supplemented():
    text = pdf_text(
        render_certificate(certificate(amount=None, certified_technical_amount=Decimal("0.00"), amount_open=True))
    )
    assert "待补正" in text and "补正后换发新版本" in text and "0.00" in text
    assert "待补正" not in pdf_text(render_certificate(certificate()))


def test_render_gives_a_pdf_with_the_certificate_text(unsigned_pdf):
    assert unsigned_pdf.startswith(b"%PDF-")
    text = pdf_text(unsigned_pdf)
    for expected in (
        "技术合同认定登记证明",
        "1304022026000123",
        "壹佰零捌万元整",
        "玖拾陆万元整",
        "1,080,000.00",
        "委托开发",
        "91130402MA0ABCDE1X",
        "河北省邯郸市复兴区",
        "2026年3月15日",
        "技术合同认定规则（2026版）",
        "本版替代第 1 版",
        "https://tcr.example.cn/verify/1304022026000123?",
        "7KQ2M9XD",
    ):
        assert expected in text


def test_render_is_pdfa_3b_with_embedded_fonts_and_registration_metadata(unsigned_pdf):
    reader = PdfFileReader(io.BytesIO(unsigned_pdf))
    xmp = reader.root["/Metadata"].get_object().data
    assert re.search(rb'pdfaid:part="3"', xmp) and re.search(rb'pdfaid:conformance="B"', xmp)
    assert reader.root["/OutputIntents"][0]["/S"] == "/GTS_PDFA1"
    info = reader.trailer["/Info"]
    assert info["/TCR-Registration-Number"] == "1304022026000123" and info["/TCR-Version"] == "2"
    for font in _fonts(reader).values():
        descriptor = font["/DescendantFonts"][0]["/FontDescriptor"]
        assert "/FontFile2" in descriptor or "/FontFile3" in descriptor


def test_render_is_deterministic():
    assert render_certificate(certificate()) == render_certificate(certificate())


def test_rare_characters_are_drawn_with_real_glyphs(unsigned_pdf):
    reader = PdfFileReader(io.BytesIO(unsigned_pdf))
    fonts = _fonts(reader)
    for char in RARE + "邯郸":
        drawn = [font for font in fonts.values() if _glyph_has_outline(font, char)]
        assert drawn, f"no embedded glyph with an outline for {char}"


def test_working_fonts_are_compact_copies_with_cid_equal_to_glyph_id(tmp_path):
    css = working_font_css(tmp_path)
    assert css.count(f'font-family: "{WORKING_FAMILY}"') == 2
    for path in tmp_path.glob("*.otf"):
        program = TTFont(path)
        order = program.getGlyphOrder()
        assert 7000 < len(order) < 12000  # GB 2312 and punctuation, not Noto's 65,535
        assert order[1:] == [f"cid{gid:05d}" for gid in range(1, len(order))]
        assert program.getBestCmap()[ord("邯")] in order


def test_signed_certificate_is_small(signed_pdf):
    assert len(signed_pdf) <= 80 * 1024


# PKI ------------------------------------------------------------------------------------------------------------


def test_demo_pki_is_a_root_and_station_certificates_without_revocation_urls(pki):
    root = x509.load_pem_x509_certificate((pki / ROOT_CERT_FILE).read_bytes())
    station = x509.load_pem_x509_certificate(station_cert_file(pki, STATION[0]).read_bytes())
    assert root.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    assert root.extensions.get_extension_for_class(x509.KeyUsage).value.key_cert_sign
    usage = station.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.digital_signature and usage.content_commitment and not usage.key_cert_sign
    assert station.issuer == root.subject and station.public_key().curve.name == "secp256r1"
    root.public_key().verify(
        station.signature, station.tbs_certificate_bytes, ec.ECDSA(station.signature_hash_algorithm)
    )
    present = {extension.oid for extension in station.extensions}
    assert x509.ExtensionOID.CRL_DISTRIBUTION_POINTS not in present
    assert x509.ExtensionOID.AUTHORITY_INFORMATION_ACCESS not in present


def test_demo_pki_keys_are_encrypted_and_kept_on_a_second_run(pki):
    key_files = [pki / ROOT_KEY_FILE, station_key_file(pki, STATION[0])]
    before = [path.read_bytes() for path in key_files]
    assert all(data.startswith(b"-----BEGIN ENCRYPTED PRIVATE KEY-----") for data in before)
    with pytest.raises(TypeError):
        serialization.load_pem_private_key(before[1], password=None)
    create_demo_pki(pki, PASSPHRASE, [STATION])
    assert [path.read_bytes() for path in key_files] == before


def test_pkcs12_signer_signs_verifiable_certificates(pki, unsigned_pdf, root_pem, tmp_path):
    key = serialization.load_pem_private_key(station_key_file(pki, STATION[0]).read_bytes(), password=PASSPHRASE)
    cert = x509.load_pem_x509_certificate(station_cert_file(pki, STATION[0]).read_bytes())
    root = x509.load_pem_x509_certificate(root_pem)
    bundle = tmp_path / "station.p12"
    bundle.write_bytes(
        pkcs12.serialize_key_and_certificates(
            b"station", key, cert, [root], serialization.BestAvailableEncryption(b"p12-pass")
        )
    )
    signed = sign_pdf(unsigned_pdf, load_signer_pkcs12(bundle, b"p12-pass"), reason="r", location="l")
    assert verify_pdf(signed, root_pem).status == "valid"


# Signing and verification ---------------------------------------------------------------------------------------


def test_signed_certificate_verifies(signed_pdf, root_pem):
    result = verify_pdf(signed_pdf, root_pem)
    assert (result.status, result.reason) == ("valid", verify_module.REASON_VALID)
    assert result.signed_by_station == STATION[0] and STATION[1] in result.signer_subject
    assert (result.registration_number, result.version) == ("1304022026000123", 2)
    assert result.content_sha256 == hashlib.sha256(signed_pdf).hexdigest()


def test_signature_is_pades_over_the_whole_document(signed_pdf):
    reader = PdfFileReader(io.BytesIO(signed_pdf))
    (signature,) = reader.embedded_signatures
    assert signature.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"
    assert signature.sig_object["/Reason"] == "技术合同认定登记"


def test_signing_keeps_the_pdfa_metadata_consistent(signed_pdf):
    reader = PdfFileReader(io.BytesIO(signed_pdf))
    xmp = reader.root["/Metadata"].get_object().data.decode()
    assert 'pdfaid:part="3"' in xmp and 'pdfaid:conformance="B"' in xmp
    producer = re.search(r'pdf:Producer="([^"]*)"', xmp).group(1)
    assert reader.trailer["/Info"]["/Producer"] == producer
    (annotation,) = reader.root["/Pages"]["/Kids"][0]["/Annots"]
    assert annotation.get_object()["/F"] & 4  # printable, as PDF/A wants of every annotation


def test_a_configured_timestamp_server_adds_an_rfc3161_timestamp(pki, unsigned_pdf, signer, root_pem):
    with _local_tsa(pki) as url:
        signed = sign_pdf(unsigned_pdf, signer, reason="r", location="l", timestamp_url=url)
    (signature,) = PdfFileReader(io.BytesIO(signed)).embedded_signatures
    unsigned_attributes = signature.signer_info["unsigned_attrs"].native
    assert [attribute["type"] for attribute in unsigned_attributes] == ["signature_time_stamp_token"]
    assert verify_pdf(signed, root_pem).status == "valid"


def test_a_flipped_byte_is_invalid(signed_pdf, root_pem):
    reader = PdfFileReader(io.BytesIO(signed_pdf))
    first_range_end = reader.embedded_signatures[0].sig_object["/ByteRange"][1]
    tampered = bytearray(signed_pdf)
    tampered[first_range_end // 2] ^= 0x01
    result = verify_pdf(bytes(tampered), root_pem)
    assert result.status == "invalid"
    assert result.reason in (verify_module.REASON_ALTERED, verify_module.REASON_DAMAGED)


def test_an_incremental_update_after_signing_is_invalid(signed_pdf, root_pem):
    writer = IncrementalPdfFileWriter(io.BytesIO(signed_pdf))
    page = writer.root["/Pages"]["/Kids"][0].get_object()
    cover = generic.StreamObject(stream_data=b"1 1 1 rg 140 430 300 40 re f")  # hides the amount
    contents = page["/Contents"]
    page["/Contents"] = generic.ArrayObject([contents, writer.add_object(cover)])
    writer.update_container(page)
    output = io.BytesIO()
    writer.write(output)
    result = verify_pdf(output.getvalue(), root_pem)
    assert (result.status, result.reason) == ("invalid", verify_module.REASON_MODIFIED)


def test_a_certificate_signed_by_another_pki_is_invalid(unsigned_pdf, root_pem, tmp_path):
    create_demo_pki(tmp_path, b"other", [STATION])
    forged = sign_pdf(unsigned_pdf, load_station_signer(tmp_path, STATION[0], b"other"), reason="r", location="l")
    result = verify_pdf(forged, root_pem)
    assert (result.status, result.reason) == ("invalid", verify_module.REASON_FOREIGN)
    assert verify_pdf(forged, (tmp_path / ROOT_CERT_FILE).read_bytes()).status == "valid"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", verify_module.REASON_NOT_PDF),
        (b"PK\x03\x04 a zip file", verify_module.REASON_NOT_PDF),
        (b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer\n", verify_module.REASON_DAMAGED),
    ],
)
def test_garbage_is_invalid(data, reason, root_pem):
    assert (verify_pdf(data, root_pem).status, verify_pdf(data, root_pem).reason) == ("invalid", reason)


def test_an_unsigned_certificate_is_invalid(unsigned_pdf, root_pem):
    assert (verify_pdf(unsigned_pdf, root_pem).status, verify_pdf(unsigned_pdf, root_pem).reason) == (
        "invalid",
        verify_module.REASON_UNSIGNED,
    )


def test_an_unreadable_root_is_unknown_not_invalid(signed_pdf):
    result = verify_pdf(signed_pdf, b"not a certificate")
    assert (result.status, result.reason) == ("unknown", verify_module.REASON_BAD_ROOT)


def test_a_failure_of_the_verifier_is_unknown_not_invalid(signed_pdf, root_pem, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("validation service down")

    monkeypatch.setattr(verify_module, "validate_pdf_signature", broken)
    result = verify_pdf(signed_pdf, root_pem)
    assert result.status == "unknown" and "RuntimeError" in result.reason


# Helpers -----------------------------------------------------------------------------------------------------


class _TsaHandler(http.server.BaseHTTPRequestHandler):
    """An RFC 3161 server on the loopback interface, answering with pyHanko's test time stamper."""

    stamper: DummyTimeStamper

    def do_POST(self):  # noqa: N802 -- the http.server API
        request = tsp.TimeStampReq.load(self.rfile.read(int(self.headers["Content-Length"])))
        body = self.stamper.request_tsa_response(request).dump()
        self.send_response(200)
        self.send_header("Content-Type", "application/timestamp-reply")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class _local_tsa:  # noqa: N801 -- used as a context manager
    """A time-stamping authority whose certificate the test bureau root issues, served on 127.0.0.1."""

    def __init__(self, pki: Path) -> None:
        root_key = serialization.load_pem_private_key((pki / ROOT_KEY_FILE).read_bytes(), password=PASSPHRASE)
        root = x509.load_pem_x509_certificate((pki / ROOT_CERT_FILE).read_bytes())
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)  # pyHanko's test stamper is RSA-only
        now = dt.datetime.now(dt.UTC)
        cert = (
            x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(x509.NameOID.COMMON_NAME, "Test TSA")]))
            .issuer_name(root.subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.ExtendedKeyUsage([x509.ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
            .sign(root_key, hashes.SHA256())
        )
        der_key = key.private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        handler = type(
            "Handler",
            (_TsaHandler,),
            {
                "stamper": DummyTimeStamper(
                    tsa_cert=asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER)),
                    tsa_key=asn1_keys.PrivateKeyInfo.load(der_key),
                )
            },
        )
        self.server = http.server.HTTPServer(("127.0.0.1", 0), handler)

    def __enter__(self) -> str:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return f"http://127.0.0.1:{self.server.server_address[1]}/"

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()


def _fonts(reader: PdfFileReader) -> dict:
    page = reader.root["/Pages"]["/Kids"][0].get_object()
    return {name: font.get_object() for name, font in page["/Resources"]["/Font"].items()}


def _glyph_has_outline(font, char: str) -> bool:
    """Whether the Type 0 font maps a code to `char` and its embedded program draws something for that code."""
    to_unicode = font["/ToUnicode"].get_object().data
    codes = [
        int(code, 16)
        for code, text in re.findall(rb"<([0-9a-f]{4})> <([0-9a-f]+)>", to_unicode)
        if bytes.fromhex(text.decode()).decode("utf-16-be") == char
    ]
    if not codes:
        return False
    descriptor = font["/DescendantFonts"][0]["/FontDescriptor"]
    if "/FontFile2" in descriptor:  # TrueType, CIDToGIDMap /Identity: code = glyph id
        program = TTFont(io.BytesIO(descriptor["/FontFile2"].get_object().data))
        glyph = program["glyf"][program.getGlyphName(codes[0])]
        return glyph.numberOfContours != 0
    cff = CFFFontSet()
    cff.decompile(io.BytesIO(descriptor["/FontFile3"].get_object().data), None)
    charstrings = cff[cff.fontNames[0]].CharStrings
    name = f"cid{codes[0]:05d}"  # CID-keyed: the code is a CID, found through the charset
    if name not in charstrings:
        return False
    bounds = charstrings[name].calcBounds(charstrings)
    return bounds is not None
