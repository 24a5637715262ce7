"""Certificate downloads (parties and staff) and public verification (anyone)."""

from __future__ import annotations

from flask_login import current_user

from app.api.blueprint import BINARY, Blueprint
from app.auth.permissions import can_download_certificate, signed_in
from app.certificates import services as certificates
from app.certificates.ofd import OFD_MEDIA_TYPE
from app.certificates.schemas import CertificateQuery, PublicFactsOut, VerificationOut, VerifyQuery, VerifyUploadIn
from app.errors import NotFound
from app.extensions import db, limiter
from app.files.http import read_upload, send_stored
from app.models import Certificate, Contract

blp = Blueprint("certificates_api", __name__, description="Signed certificates and their verification")


def _downloadable(contract: Contract | None, version: int | None) -> Certificate:
    """The certificate version (default: current) for a caller who may download it; else 404."""
    if contract is None or not can_download_certificate(current_user, contract) or not contract.certificates:
        raise NotFound("certificate not found")
    wanted = version or contract.current_certificate.version
    certificate = next((c for c in contract.certificates if c.version == wanted), None)
    if certificate is None:
        raise NotFound("certificate not found")
    return certificate


def certificate_response(contract: Contract | None, version: int | None):
    """The signed PDF of a version (default: current) for a caller who may download it; else 404."""
    certificate = _downloadable(contract, version)
    name = f"{certificate.registration_number}-v{certificate.version}.pdf"
    return send_stored(certificate.sha256, "application/pdf", name, inline=True)


@blp.route("/contracts/<int:contract_id>/certificate.pdf")
@signed_in
@blp.arguments(CertificateQuery, location="query")
@blp.files({"application/pdf": BINARY}, "The signed PDF")
@blp.problems(401, 404)
def download(args, contract_id):
    """The signed certificate of the current version, or `?version=N`."""
    return certificate_response(db.session.get(Contract, contract_id), args.get("version"))


@blp.route("/contracts/<int:contract_id>/certificate.ofd")
@signed_in
@blp.arguments(CertificateQuery, location="query")
@blp.files({OFD_MEDIA_TYPE: BINARY}, "The OFD electronic licence (GB/T 33190) with the station's SM2/SM3 seal")
@blp.problems(401, 404, 503)
def download_ofd(args, contract_id):
    """The certificate of the current version, or `?version=N`, as a sealed OFD document."""
    contract = db.session.get(Contract, contract_id)
    certificate = _downloadable(contract, args.get("version"))
    sha256 = certificates.ofd_of(current_user, contract, certificate)
    name = f"{certificate.registration_number}-v{certificate.version}.ofd"
    return send_stored(sha256, OFD_MEDIA_TYPE, name, inline=False)


@blp.route("/verify/<string:number>")
@blp.arguments(VerifyQuery, location="query")
@blp.response(200, PublicFactsOut)
def lookup(args, number):
    """Public: the status of a registration; without the correct check code only whether the number exists."""
    contract, certificate = certificates.by_number_and_code(number, args.get("c"))
    return certificates.public_facts(contract, certificate, number)


@blp.route("/verify", methods=["POST"])
@limiter.limit("30 per minute")
@blp.arguments(VerifyUploadIn, location="multipart")
@blp.response(200, VerificationOut)
@blp.problems(413, 415, 429)
def verify_upload(data):
    """Public: check an uploaded certificate, PDF or OFD (multipart `file`): valid, invalid with the reason, or
    unknown."""
    return certificates.verify_upload(read_upload(data["file"]))
