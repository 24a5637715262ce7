"""Verification of an uploaded certificate OFD: one intact SM2/SM3 seal over every part, by a station of the bureau.

The seal is intact when every part but the signature's own files is listed in Signature.xml with its SM3 digest
(nothing added, nothing changed), the SES_Signature's digest is SM3(Signature.xml), its SM2 signature verifies under
the station's certificate, the seal was made by the bureau's SM2 root, and the station's certificate was issued by
that root and valid when it signed. The answer has the shape of the PDF verifier's (`VerificationResult`), so the
registry check that follows is the same. A failure of this code itself is "unknown", never "invalid".
"""

from __future__ import annotations

import base64
import hashlib
import io
import logging
import posixpath
import zipfile
from xml.etree import ElementTree

from app.certificates import ses
from app.certificates import verify as pdf_verify
from app.certificates.ofd import CUSTOM_NUMBER, CUSTOM_VERSION, SM3, q
from app.certificates.sm2pki import load_certificate, sm3_digest
from app.certificates.verify import VerificationResult

logger = logging.getLogger(__name__)

OFD_MAGIC = b"PK\x03\x04"
MAX_PARTS = 200
MAX_UNPACKED = 32 * 1024 * 1024  # bytes, all parts together: a certificate is far smaller; a zip bomb is not
_SEAL_REASONS = {
    "damaged": pdf_verify.REASON_DAMAGED,
    "algorithm": pdf_verify.REASON_BAD_SIGNATURE,
    "altered": pdf_verify.REASON_ALTERED,
    "bad_signature": pdf_verify.REASON_BAD_SIGNATURE,
    "foreign_seal": pdf_verify.REASON_FOREIGN,
    "foreign": pdf_verify.REASON_FOREIGN,
    "not_holder": pdf_verify.REASON_FOREIGN,
    "cert_time": pdf_verify.REASON_CERT_TIME,
}


class _Verdict(Exception):
    """Stops the checks at the first definite answer about the document."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def is_ofd(data: bytes) -> bool:
    """Whether the upload looks like an OFD package (a ZIP file)."""
    return data[:4] == OFD_MAGIC


def verify_ofd(data: bytes, sm2_root_pem: bytes) -> VerificationResult:
    """Check that `data` is an OFD sealed once, over all its parts, by a station certificate of the SM2 root."""
    digest = hashlib.sha256(data).hexdigest()
    try:
        root = load_certificate(sm2_root_pem)
    except Exception:  # noqa: BLE001 -- our own configuration is broken: no verdict on the document
        logger.exception("cannot read the bureau's SM2 root certificate")
        return VerificationResult("unknown", pdf_verify.REASON_BAD_ROOT, content_sha256=digest)
    result = VerificationResult("invalid", "", content_sha256=digest)
    try:
        _check(data, root, result)
    except _Verdict as verdict:
        result.status, result.reason = "invalid", verdict.reason
    except Exception as error:  # noqa: BLE001 -- a failure of ours is "unknown", never "invalid"
        logger.exception("OFD verification failed")
        result.status, result.reason = "unknown", f"verification could not be completed ({type(error).__name__})"
    else:
        result.status, result.reason = "valid", pdf_verify.REASON_VALID
    return result


def _check(data: bytes, root, result: VerificationResult) -> None:
    parts = _unpack(data)
    ofd = _parse(parts, "OFD.xml")
    signatures_path = _path("/", ofd.findtext(f"{q('DocBody')}/{q('Signatures')}"))
    if signatures_path is None or signatures_path not in parts:
        raise _Verdict(pdf_verify.REASON_UNSIGNED)
    entries = _parse(parts, signatures_path).findall(q("Signature"))
    if not entries:
        raise _Verdict(pdf_verify.REASON_UNSIGNED)
    if len(entries) > 1:
        raise _Verdict(pdf_verify.REASON_SEVERAL)
    signature_path = _path(posixpath.dirname(signatures_path), entries[0].get("BaseLoc"))
    signature = _parse(parts, signature_path)
    info = signature.find(q("SignedInfo"))
    if info is None:
        raise _Verdict(pdf_verify.REASON_DAMAGED)
    base = posixpath.dirname(signature_path)
    value_path = _path(base, signature.findtext(q("SignedValue")))
    seal_path = _path(base, info.findtext(f"{q('Seal')}/{q('BaseLoc')}"))
    own = {signatures_path, signature_path, value_path, seal_path}
    _check_references(info, parts, own)
    try:
        facts = ses.verify(parts[value_path], sm3_digest(parts[signature_path]), root)
    except KeyError as error:
        raise _Verdict(pdf_verify.REASON_DAMAGED) from error
    except ses.SealProblem as problem:
        raise _Verdict(_SEAL_REASONS.get(str(problem), pdf_verify.REASON_BAD_SIGNATURE)) from problem
    if seal_path is not None and parts.get(seal_path) != facts.seal_der:
        raise _Verdict(pdf_verify.REASON_MODIFIED)
    result.signer_subject = facts.signer.subject.human_friendly
    result.signed_by_station = facts.signer.subject.native.get("serial_number")
    if result.signed_by_station is None or facts.signer.ca:
        raise _Verdict(pdf_verify.REASON_NOT_STATION)
    result.registration_number, result.version = _registration_of(ofd)
    if result.registration_number is None:
        raise _Verdict(pdf_verify.REASON_NO_NUMBER)


def _unpack(data: bytes) -> dict[str, bytes]:
    """The package's parts by name, bounded in number and size."""
    if not is_ofd(data):
        raise _Verdict(pdf_verify.REASON_DAMAGED)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = [m for m in archive.infolist() if not m.is_dir()]
            if len(members) > MAX_PARTS or sum(m.file_size for m in members) > MAX_UNPACKED:
                raise _Verdict(pdf_verify.REASON_DAMAGED)
            parts = {}
            for member in members:
                name = member.filename.lstrip("/")
                if name in parts:
                    raise _Verdict(pdf_verify.REASON_MODIFIED)  # a second part of the same name shadows the first
                with archive.open(member) as handle:
                    parts[name] = handle.read(MAX_UNPACKED + 1)
                if len(parts[name]) > member.file_size:
                    raise _Verdict(pdf_verify.REASON_DAMAGED)
            return parts
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, NotImplementedError) as error:
        raise _Verdict(pdf_verify.REASON_DAMAGED) from error


def _parse(parts: dict[str, bytes], name: str | None) -> ElementTree.Element:
    """A part as XML; no DTD (no entities to expand), well-formed, or the file is damaged."""
    content = parts.get(name) if name else None
    if content is None or b"<!DOCTYPE" in content or b"<!ENTITY" in content:
        raise _Verdict(pdf_verify.REASON_DAMAGED)
    try:
        return ElementTree.fromstring(content)
    except ElementTree.ParseError as error:
        raise _Verdict(pdf_verify.REASON_DAMAGED) from error


def _path(base: str, location: str | None) -> str | None:
    """A part's name from an OFD location: absolute from the package root, else relative to `base`."""
    if not location:
        return None
    location = location.strip()
    joined = location if location.startswith("/") else posixpath.join("/", base, location)
    return posixpath.normpath(joined).lstrip("/")


def _check_references(info: ElementTree.Element, parts: dict[str, bytes], own: set) -> None:
    """Every part but the signature's own is listed, and its SM3 digest matches."""
    references = info.find(q("References"))
    if references is None or references.get("CheckMethod") not in (SM3, "SM3"):
        raise _Verdict(pdf_verify.REASON_BAD_SIGNATURE)
    listed = set()
    for reference in references.findall(q("Reference")):
        name = _path("/", reference.get("FileRef"))
        if name not in parts:
            raise _Verdict(pdf_verify.REASON_ALTERED)
        try:
            expected = base64.b64decode(reference.findtext(q("CheckValue")) or "", validate=True)
        except ValueError as error:
            raise _Verdict(pdf_verify.REASON_DAMAGED) from error
        if sm3_digest(parts[name]) != expected:
            raise _Verdict(pdf_verify.REASON_ALTERED)
        listed.add(name)
    if set(parts) - listed - own:
        raise _Verdict(pdf_verify.REASON_MODIFIED)


def _registration_of(ofd: ElementTree.Element) -> tuple[str | None, int | None]:
    """The registration number and version that the writer put in the document info's custom data."""
    found = {
        item.get("Name"): (item.text or "").strip()
        for item in ofd.iterfind(f"{q('DocBody')}/{q('DocInfo')}/{q('CustomDatas')}/{q('CustomData')}")
    }
    version = found.get(CUSTOM_VERSION)
    return found.get(CUSTOM_NUMBER) or None, int(version) if version and version.isdigit() else None
