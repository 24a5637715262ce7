"""The OFD electronic licence: its package, the SM2/SM3 seal, tampering, and independent readers (easyofd, OpenSSL)."""

from __future__ import annotations

import base64
import datetime as dt
import io
import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest

from app.certificates import ses
from app.certificates.ofd import SIGNED_VALUE, build_ofd, q
from app.certificates.ofd_verify import verify_ofd
from app.certificates.pki import create_demo_pki
from app.certificates.sm2pki import (
    SM2_ROOT_CERT_FILE,
    load_station_sm2_signer,
    sm3_digest,
    station_seal_file,
    station_sm2_cert_file,
)
from app.certificates.verify import (
    REASON_ALTERED,
    REASON_DAMAGED,
    REASON_FOREIGN,
    REASON_MODIFIED,
    REASON_VALID,
)
from tests.unit.test_certificates import PASSPHRASE, STATION, certificate

CONTENT = "Doc_0/Pages/Page_0/Content.xml"


def _sealed(directory: Path, data=None) -> bytes:
    signer = load_station_sm2_signer(directory, STATION[0], PASSPHRASE)
    seal = ses.load_seal(station_seal_file(directory, STATION[0]).read_bytes())
    return build_ofd(data or certificate(), signer, seal, dt.datetime.now(dt.UTC))


@pytest.fixture(scope="module")
def pki(tmp_path_factory) -> Path:
    directory = tmp_path_factory.mktemp("sm2-certs")
    create_demo_pki(directory, PASSPHRASE, [STATION])
    return directory


@pytest.fixture(scope="module")
def sm2_root(pki) -> bytes:
    return (pki / SM2_ROOT_CERT_FILE).read_bytes()


@pytest.fixture(scope="module")
def sealed(pki) -> bytes:
    return _sealed(pki)


def parts_of(ofd: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(ofd)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def repack(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return out.getvalue()


def test_the_ofd_is_a_package_of_well_formed_parts_with_the_certificate_text(sealed):
    parts = parts_of(sealed)
    assert {
        "OFD.xml",
        "Doc_0/Document.xml",
        "Doc_0/PublicRes.xml",
        "Doc_0/DocumentRes.xml",
        CONTENT,
        "Doc_0/Signs/Signatures.xml",
        "Doc_0/Signs/Sign_0/Signature.xml",
        "Doc_0/Signs/Sign_0/SignedValue.dat",
        "Doc_0/Signs/Sign_0/Seal.esl",
    } <= set(parts)
    for name in (n for n in parts if n.endswith(".xml")):
        ElementTree.fromstring(parts[name])  # well-formed
    fonts = ElementTree.fromstring(parts["Doc_0/PublicRes.xml"]).findall(f"{q('Fonts')}/{q('Font')}")
    assert [font.get("FontName") for font in fonts] == ["宋体", "黑体"]
    text = "".join(node.text or "" for node in ElementTree.fromstring(parts[CONTENT]).iter(q("TextCode")))
    data = certificate()
    for expected in (
        "技术合同认定登记证明",
        data.registration_number,
        data.title,
        data.seller.name,
        data.buyer.name,
        "技术开发",
        "¥1,080,000.00",
        "¥960,000.00",
        "2026年3月12日",
        data.station_name,
        data.verify_url,
        data.check_code,
        "本版替代第 1 版",
    ):
        assert expected in text, expected
    assert parts["Doc_0/Res/qr.png"].startswith(b"\x89PNG")


def test_the_seal_verifies_and_names_the_station_and_the_registration(sealed, sm2_root):
    result = verify_ofd(sealed, sm2_root)
    assert (result.status, result.reason) == ("valid", REASON_VALID)
    assert result.signed_by_station == STATION[0]
    assert (result.registration_number, result.version) == ("1304022026000123", 2)
    seal = ses.SesSignature.load(parts_of(sealed)[SIGNED_VALUE])
    assert seal["to_sign"]["eseal"]["eseal_info"]["picture"]["type"].native == "PNG"
    assert seal["to_sign"]["eseal"]["eseal_info"]["property"]["name"].native.startswith(STATION[1])


def test_a_changed_page_an_added_part_or_a_recomputed_digest_breaks_the_seal(sealed, sm2_root):
    parts = parts_of(sealed)
    changed = dict(parts, **{CONTENT: parts[CONTENT].replace(b"1,080,000.00", b"9,080,000.00")})
    assert verify_ofd(repack(changed), sm2_root).reason == REASON_ALTERED
    added = dict(parts, **{"Doc_0/Pages/Page_1/Content.xml": parts[CONTENT]})
    assert verify_ofd(repack(added), sm2_root).reason == REASON_MODIFIED
    # the forger also updates the page's digest in Signature.xml: the seal's digest of Signature.xml no longer fits
    signature = "Doc_0/Signs/Sign_0/Signature.xml"
    old = base64.b64encode(sm3_digest(parts[CONTENT]))
    new = base64.b64encode(sm3_digest(changed[CONTENT]))
    forged = dict(changed, **{signature: parts[signature].replace(old, new)})
    assert verify_ofd(repack(forged), sm2_root).reason == REASON_ALTERED
    assert verify_ofd(b"PK\x03\x04 not a zip", sm2_root).reason == REASON_DAMAGED
    assert verify_ofd(sealed, sm2_root).status == "valid"


def test_an_ofd_sealed_under_another_sm2_root_is_foreign(tmp_path, sealed, sm2_root):
    create_demo_pki(tmp_path, PASSPHRASE, [STATION])
    foreign = _sealed(tmp_path)
    assert verify_ofd(foreign, (tmp_path / SM2_ROOT_CERT_FILE).read_bytes()).status == "valid"
    assert verify_ofd(foreign, sm2_root).reason == REASON_FOREIGN


# easyofd unpacks into the working directory and leaves files open: it runs in a child process, in a scratch folder.
READ_WITH_EASYOFD = """
import json, sys
from easyofd import OFD
reader = OFD()
reader.read(open(sys.argv[1], "rb").read(), fmt="binary")
document = reader.data[0]
pdf = reader.to_pdf()
print(json.dumps({
    "text": "".join(item["text"] for item in document["page_content_info"][0]["text_list"]),
    "stamps": [s["Boundary"] for s in document["signatures_page_id"][0]],
    "pdf": pdf[:5].decode(),
}))
"""


def test_an_independent_reader_opens_the_ofd_and_finds_its_text(sealed, tmp_path):
    pytest.importorskip("easyofd")
    (tmp_path / "certificate.ofd").write_bytes(sealed)
    run = subprocess.run(
        [sys.executable, "-c", READ_WITH_EASYOFD, "certificate.ofd"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    found = json.loads(run.stdout.strip().splitlines()[-1])
    assert "1304022026000123" in found["text"] and "基于机器视觉的钢铁表面缺陷智能检测系统开发" in found["text"]
    assert found["stamps"] == ["138.0 222.0 40.0 40.0"]  # the seal's place on page 1
    assert found["pdf"] == "%PDF-"


@pytest.mark.skipif(shutil.which("openssl") is None, reason="OpenSSL CLI not installed")
def test_openssl_verifies_the_station_certificate_and_the_seal_signature(pki, sealed, tmp_path):
    chain = subprocess.run(
        [
            "openssl",
            "verify",
            "-vfyopt",
            "distid:1234567812345678",
            "-CAfile",
            str(pki / SM2_ROOT_CERT_FILE),
            str(station_sm2_cert_file(pki, STATION[0])),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert chain.returncode == 0, chain.stderr
    signature = ses.SesSignature.load(parts_of(sealed)[SIGNED_VALUE])
    (tmp_path / "tbs.der").write_bytes(signature["to_sign"].dump())
    (tmp_path / "sig.der").write_bytes(signature["signature"].native)
    station = subprocess.run(
        ["openssl", "x509", "-in", str(station_sm2_cert_file(pki, STATION[0])), "-pubkey", "-noout"],
        capture_output=True,
        check=True,
    )
    (tmp_path / "pub.pem").write_bytes(station.stdout)
    check = [
        "openssl",
        "dgst",
        "-sm3",
        "-verify",
        str(tmp_path / "pub.pem"),
        "-sigopt",
        "distid:1234567812345678",
        "-signature",
        str(tmp_path / "sig.der"),
    ]
    assert subprocess.run([*check, str(tmp_path / "tbs.der")], capture_output=True, check=False).returncode == 0
    (tmp_path / "tbs.der").write_bytes(signature["to_sign"].dump()[:-1] + b"\x00")
    assert subprocess.run([*check, str(tmp_path / "tbs.der")], capture_output=True, check=False).returncode != 0
