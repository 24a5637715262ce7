"""Verification of an uploaded certificate PDF: one intact signature over the whole file, by a station of the bureau.

The answer is a fact sheet for the registry check that follows (the service compares `content_sha256` and the
registration number with what it issued). A failure of this code itself is "unknown", never "invalid".
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from io import BytesIO
from typing import Literal

from asn1crypto import pem
from asn1crypto import x509 as asn1_x509
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.errors import SignatureValidationError
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from app.certificates.data import PDF_INFO_REGISTRATION_NUMBER, PDF_INFO_VERSION

logger = logging.getLogger(__name__)

Status = Literal["valid", "invalid", "unknown"]

# Stable reasons (English; the web layer translates them).
REASON_VALID = "signature valid, signed by a station of the bureau"
REASON_NOT_PDF = "not a PDF file"
REASON_DAMAGED = "damaged PDF file"
REASON_UNSIGNED = "the document carries no signature"
REASON_SEVERAL = "the document carries more than one signature"
REASON_MODIFIED = "document modified after signing"
REASON_ALTERED = "the document's content does not match its signature"
REASON_BAD_SIGNATURE = "the signature value is not valid"
REASON_FOREIGN = "not signed by the bureau's PKI"
REASON_CERT_TIME = "the signing certificate was not valid when the document was signed"
REASON_REVOKED = "the signing certificate is revoked"
REASON_NOT_STATION = "the signing certificate is not a station certificate"
REASON_NO_NUMBER = "not a TCR certificate (no registration number in the signed document)"
REASON_BAD_ROOT = "the bureau's root certificate is not available"
REASON_TRUSTED = "signature valid, signed under a trusted registry's certificate"
REASON_NO_TRUSTED = "no trusted registry certificate is configured"

_PDF_HEADER_WINDOW = 1024  # a PDF header may follow some junk bytes (ISO 32000-1, annex H)
# AdES sub-indications by name (they are spread over pyHanko's AdESFailure and AdESIndeterminate enums).
_TIME_INDICATIONS = {"EXPIRED", "NOT_YET_VALID", "OUT_OF_BOUNDS_NO_POE", "OUT_OF_BOUNDS_NOT_REVOKED"}
_REVOKED_INDICATIONS = {"REVOKED", "REVOKED_NO_POE", "REVOKED_CA_NO_POE"}


class _Verdict(Exception):
    """Raised inside the checks to stop at the first definite answer about the document."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass
class VerificationResult:
    """What the signature check found; the registry check is the caller's."""

    status: Status
    reason: str
    signer_subject: str | None = None
    signed_by_station: str | None = None
    content_sha256: str | None = None
    registration_number: str | None = None
    version: int | None = None


def verify_pdf(pdf: bytes, root_cert_pem: bytes) -> VerificationResult:
    """Check that `pdf` is signed once, over the whole file, by a station certificate issued by the given root."""
    try:
        digest = hashlib.sha256(pdf).hexdigest()
    except TypeError:
        return VerificationResult("invalid", REASON_NOT_PDF)
    try:
        root = _load_root(root_cert_pem)
    except Exception:  # noqa: BLE001 -- our own configuration is broken: no verdict on the document
        logger.exception("cannot read the bureau's root certificate")
        return VerificationResult("unknown", REASON_BAD_ROOT, content_sha256=digest)
    result = VerificationResult("invalid", "", content_sha256=digest)
    try:
        _check(pdf, root, result)
    except _Verdict as verdict:
        result.status, result.reason = "invalid", verdict.reason
    except Exception as error:  # noqa: BLE001 -- a failure of ours is "unknown", never "invalid"
        logger.exception("certificate verification failed")
        result.status, result.reason = "unknown", f"verification could not be completed ({type(error).__name__})"
    else:
        result.status, result.reason = "valid", REASON_VALID
    return result


def _load_root(root_cert_pem: bytes) -> asn1_x509.Certificate:
    """The root certificate from PEM (or DER) bytes."""
    data = pem.unarmor(root_cert_pem)[2] if pem.detect(root_cert_pem) else root_cert_pem
    root = asn1_x509.Certificate.load(data)
    root.native  # noqa: B018 -- parse it fully now, so a broken file fails here and not mid-validation
    return root


def verify_other_registry_pdf(pdf: bytes, trusted_pems: list[bytes]) -> VerificationResult:
    """Check that `pdf` is signed once, over the whole file, by a certificate that chains to one of the trusted
    registries' certificates (another city's registry: no station or registration-number checks, those are the
    reviewer's by hand)."""
    try:
        digest = hashlib.sha256(pdf).hexdigest()
    except TypeError:
        return VerificationResult("invalid", REASON_NOT_PDF)
    try:
        roots = [_load_root(item) for item in trusted_pems]
    except Exception:  # noqa: BLE001 -- our own configuration is broken: no verdict on the document
        logger.exception("cannot read a trusted registry's certificate")
        return VerificationResult("unknown", REASON_BAD_ROOT, content_sha256=digest)
    if not roots:
        return VerificationResult("unknown", REASON_NO_TRUSTED, content_sha256=digest)
    result = VerificationResult("invalid", "", content_sha256=digest)
    try:
        _check_signature(pdf, roots, result)
    except _Verdict as verdict:
        result.status, result.reason = "invalid", verdict.reason
    except Exception as error:  # noqa: BLE001 -- a failure of ours is "unknown", never "invalid"
        logger.exception("certificate verification failed")
        result.status, result.reason = "unknown", f"verification could not be completed ({type(error).__name__})"
    else:
        result.status, result.reason = "valid", REASON_TRUSTED
    return result


def _check(pdf: bytes, root: asn1_x509.Certificate, result: VerificationResult) -> None:
    """Fill `result` with the facts, raising _Verdict at the first thing wrong with the document."""
    reader, signer_cert = _check_signature(pdf, [root], result)
    if result.signed_by_station is None or signer_cert.ca:
        raise _Verdict(REASON_NOT_STATION)
    result.registration_number, result.version = _registration_of(reader)
    if result.registration_number is None:
        raise _Verdict(REASON_NO_NUMBER)


def _check_signature(pdf: bytes, roots: list[asn1_x509.Certificate], result: VerificationResult):
    """The one signature over the whole file, valid and trusted under `roots`: (reader, signer certificate)."""
    reader, signature, coverage = _read(pdf)
    if coverage != SignatureCoverageLevel.ENTIRE_FILE:
        raise _Verdict(REASON_MODIFIED)
    signer_cert = signature.signer_cert
    result.signer_subject = signer_cert.subject.human_friendly
    result.signed_by_station = signer_cert.subject.native.get("serial_number")
    context = ValidationContext(
        trust_roots=roots,
        allow_fetching=False,
        # Point-in-time validation at the signing time the station's signature states: whether a certificate is
        # still current is the registry's answer, not the expiry of the station's certificate.
        moment=signature.self_reported_timestamp,
    )
    try:
        status = validate_pdf_signature(signature, context, skip_diff=True)
    except SignatureValidationError as error:  # a malformed or unsupported signature: the document's defect
        raise _Verdict(f"{REASON_BAD_SIGNATURE}: {error}") from error
    _judge(status)
    return reader, signer_cert


def _read(pdf: bytes):
    """The parsed PDF, its one signature (fully decoded) and what the signature covers; a file that does not
    yield them is invalid."""
    if b"%PDF-" not in pdf[:_PDF_HEADER_WINDOW]:
        raise _Verdict(REASON_NOT_PDF)
    try:
        reader = PdfFileReader(BytesIO(pdf), strict=False)
        signature = _the_signature(reader)
        # Decode everything the checks will read now (asn1crypto parses lazily), so that a damaged file fails
        # here, where any error is the file's, and not half-way through validation.
        signature.signed_data.native  # noqa: B018
        signature.signer_cert.native  # noqa: B018
        signature.self_reported_timestamp  # noqa: B018
        signature.compute_digest()  # the digest algorithm the signature names must be one we know
        reader.trailer_view.get("/Info")  # noqa: B018
        coverage = signature.evaluate_signature_coverage()
    except _Verdict:
        raise
    except MemoryError:
        raise
    except Exception as error:  # noqa: BLE001 -- the parser choked on the file's own bytes: a verdict on it
        raise _Verdict(REASON_DAMAGED) from error
    return reader, signature, coverage


def _the_signature(reader: PdfFileReader):
    """The single signature of the document."""
    signatures = reader.embedded_signatures
    if not signatures:
        raise _Verdict(REASON_UNSIGNED)
    if len(signatures) > 1:
        raise _Verdict(REASON_SEVERAL)
    return signatures[0]


def _judge(status) -> None:
    """Raise the verdict for a signature status that is not intact, valid and trusted."""
    if not status.intact:
        raise _Verdict(REASON_ALTERED)
    if not status.valid:
        raise _Verdict(REASON_BAD_SIGNATURE)
    if status.trusted:
        return
    indication = getattr(status.trust_problem_indic, "name", None)
    if indication in _REVOKED_INDICATIONS:
        raise _Verdict(REASON_REVOKED)
    if indication in _TIME_INDICATIONS:
        raise _Verdict(REASON_CERT_TIME)
    raise _Verdict(REASON_FOREIGN)


def _registration_of(reader: PdfFileReader) -> tuple[str | None, int | None]:
    """The registration number and version that rendering put in the document information dictionary."""
    info = reader.trailer_view.get("/Info")
    if info is None:
        return None, None
    info = info.get_object()
    number = info.get(PDF_INFO_REGISTRATION_NUMBER)
    version = info.get(PDF_INFO_VERSION)
    number = str(number) if number is not None else None
    try:
        version = int(str(version)) if version is not None else None
    except ValueError:
        version = None
    return number, version
