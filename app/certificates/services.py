"""Certificates: issue a signed PDF and a sealed OFD in the registering transaction, store every version, verify
them."""

from __future__ import annotations

import dataclasses
import io
import secrets
from pathlib import Path

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import joinedload, selectinload

from app.audit.services import audit
from app.certificates import ses
from app.certificates import verify as verifier
from app.certificates.data import CertificateData, PartyLine
from app.certificates.ofd import build_ofd
from app.certificates.ofd_verify import is_ofd, verify_ofd
from app.certificates.pki import PkiError, load_signer_pkcs12, load_station_signer
from app.certificates.render import render_certificate
from app.certificates.sign import sign_pdf
from app.certificates.sm2pki import SM2_ROOT_CERT_FILE, Sm2Error, load_station_sm2_signer, station_seal_file
from app.certificates.verify import verify_pdf
from app.domain import areas
from app.domain.catalogue import CATEGORIES, EQUITY, PARTY_ROLES, TECHNICAL_FIELDS, subtype_label
from app.domain.clock import local, now_utc, today_local
from app.domain.identifiers import mask_id_number
from app.domain.masking import mask_name
from app.domain.rules import rule_set_by_code
from app.errors import DomainError, NotFound
from app.extensions import db
from app.files.storage import get_storage
from app.i18n import lt, t
from app.models import Certificate, Contract, ContractOtherParty, ContractParty

CHECK_CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read off paper
CHECK_CODE_LENGTH = 8
MAX_CERTIFICATE_BYTES = 10 * 1024 * 1024


class CertificateUnavailable(DomainError):
    """The certificate could not be rendered or signed; the registration it belonged to is rolled back."""

    status = 503
    code = "certificate_unavailable"


def new_check_code() -> str:
    """The short code printed beside the QR code (40 bits, unguessable)."""
    return "".join(secrets.choice(CHECK_CODE_ALPHABET) for _ in range(CHECK_CODE_LENGTH))


def verify_url(number: str, code: str) -> str:
    """The public verification address a certificate's QR code carries."""
    return f"{current_app.config['PUBLIC_BASE_URL'].rstrip('/')}/verify/{number}?c={code}"


def _party_line(party: ContractParty | ContractOtherParty | None) -> PartyLine:
    if party is None:
        return PartyLine("—", "—", "—")
    identifier = party.credit_code or (mask_id_number(party.id_number) if party.id_number else "—")
    where = areas.full_name(party.area_code) if party.area_code else (party.country or "—")
    return PartyLine(party.name or "—", identifier, where)


def certificate_data(contract: Contract, version: int, check_code: str, supersedes: int | None) -> CertificateData:
    """What the certificate states (DOMAIN.md §7), taken from the registered contract."""
    subtype = subtype_label(contract.category, contract.subtype)
    return CertificateData(
        registration_number=contract.registration_number,
        version=version,
        check_code=check_code,
        verify_url=verify_url(contract.registration_number, check_code),
        title=contract.title,
        category=CATEGORIES[contract.category].zh,
        subtype=(subtype.zh if subtype else "—") + (f"（{EQUITY.zh}）" if contract.contributed_as_equity else ""),
        seller=_party_line(contract.seller),
        buyer=_party_line(contract.buyer),
        signed_on=contract.signed_on,
        valid_from=contract.valid_from,
        valid_until=contract.valid_until,
        amount=contract.amount,
        certified_technical_amount=contract.certified_technical_amount,
        technical_field=TECHNICAL_FIELDS[contract.technical_field].zh if contract.technical_field else "—",
        station_name=contract.station.name,
        station_code=contract.station.code,
        registered_on=contract.registered_on,
        rule_set=rule_set_by_code(contract.rule_set).name.zh,
        issued_on=today_local(),
        supersedes_version=supersedes,
        other_parties=tuple((PARTY_ROLES[p.role].zh, _party_line(p)) for p in contract.other_parties),
        amount_open=contract.amount_fixed is False,
    )


def station_signer(station_code: str):
    """The station's signer, loaded (and its key decrypted) once per process."""
    cache = current_app.extensions.setdefault("tcr_signers", {})
    if station_code not in cache:
        directory = Path(current_app.config["CERTS_DIR"])
        passphrase = current_app.config["CERTS_PASSPHRASE"].encode("utf-8")
        pkcs12 = directory / f"station-{station_code}.p12"
        cache[station_code] = (
            load_signer_pkcs12(pkcs12, passphrase)
            if pkcs12.is_file()
            else load_station_signer(directory, station_code, passphrase)
        )
    return cache[station_code]


def _render_and_sign(data: CertificateData, station_code: str) -> bytes:
    try:
        signer = station_signer(station_code)
    except (OSError, ValueError, PkiError) as error:
        current_app.logger.error("no signing key for station %s: %s", station_code, error)
        raise CertificateUnavailable(
            t(
                "Station %(code)s has no usable signing key; nothing was registered. "
                "Run `flask certs init` or configure the station's key.",
                code=station_code,
            )
        ) from error
    try:
        return sign_pdf(
            render_certificate(data),
            signer,
            reason="技术合同认定登记证明",
            location=data.station_name,
            timestamp_url=current_app.config.get("TIMESTAMP_URL"),
        )
    except Exception as error:  # noqa: BLE001 - any render/sign failure must undo the registration
        current_app.logger.exception("certificate for %s could not be issued", data.registration_number)
        raise CertificateUnavailable(
            t("The certificate could not be issued; nothing was registered. Please try again.")
        ) from error


def station_seal(station_code: str) -> tuple:
    """The station's SM2 signer and its electronic seal (made by the bureau), loaded once per process."""
    cache = current_app.extensions.setdefault("tcr_sm2_seals", {})
    if station_code not in cache:
        directory = Path(current_app.config["CERTS_DIR"])
        passphrase = current_app.config["CERTS_PASSPHRASE"].encode("utf-8")
        signer = load_station_sm2_signer(directory, station_code, passphrase)
        try:
            seal = ses.load_seal(station_seal_file(directory, station_code).read_bytes())
        except ValueError as error:
            raise Sm2Error(f"the seal of station {station_code} is damaged") from error
        if signer.certificate.dump() not in ses.seal_holders(seal):
            raise Sm2Error(f"the seal of station {station_code} is not for its SM2 certificate")
        cache[station_code] = (signer, seal)
    return cache[station_code]


def _seal_ofd(data: CertificateData, station_code: str) -> bytes:
    """The certificate as an OFD sealed with the station's SM2 seal; CertificateUnavailable if it cannot be."""
    try:
        signer, seal = station_seal(station_code)
    except (OSError, Sm2Error) as error:
        current_app.logger.error("no SM2 seal for station %s: %s", station_code, error)
        raise CertificateUnavailable(
            t(
                "Station %(code)s has no usable electronic seal; nothing was registered. "
                "Run `flask certs init` or configure the station's SM2 key and seal.",
                code=station_code,
            )
        ) from error
    try:
        return build_ofd(data, signer, seal, now_utc())
    except Exception as error:  # noqa: BLE001 - any failure must undo the registration, as for the PDF
        current_app.logger.exception("OFD certificate for %s could not be issued", data.registration_number)
        raise CertificateUnavailable(
            t("The certificate could not be issued; nothing was registered. Please try again.")
        ) from error


def issue(actor, contract: Contract) -> Certificate:
    """Render, sign and store the certificate of the contract's current version, as a signed PDF and a sealed OFD;
    the previous one is superseded. Runs inside the registering (or changing) transaction, so a failure leaves no
    number and no change."""
    previous = contract.current_certificate
    check_code = new_check_code()
    data = certificate_data(contract, contract.version, check_code, previous.version if previous else None)
    pdf = _render_and_sign(data, contract.station.code)
    ofd = _seal_ofd(data, contract.station.code)
    sha256, size, _ = get_storage().put(io.BytesIO(pdf), MAX_CERTIFICATE_BYTES)
    ofd_sha256, ofd_size, _ = get_storage().put(io.BytesIO(ofd), MAX_CERTIFICATE_BYTES)
    if previous is not None:
        previous.status, previous.superseded_at = "superseded", now_utc()
    signer = station_signer(contract.station.code)
    certificate = Certificate(
        contract_id=contract.id,
        registration_number=contract.registration_number,
        version=contract.version,
        check_code=check_code,
        sha256=sha256,
        size=size,
        status="current",
        station_id=contract.station_id,
        signer_subject=signer.signing_cert.subject.human_friendly[:300],
        ofd_sha256=ofd_sha256,
        ofd_size=ofd_size,
    )
    contract.certificates.append(certificate)
    db.session.flush()
    audit.record(
        actor,
        "certificate.issue",
        "contract",
        contract.id,
        None,
        {
            "version": certificate.version,
            "sha256": sha256,
            "ofd_sha256": ofd_sha256,
            "registration_number": contract.registration_number,
        },
    )
    return certificate


def ofd_of(actor, contract: Contract, certificate: Certificate) -> str:
    """The SHA-256 of the version's sealed OFD. A version issued before OFD licences gets one on first download
    if it is still the current version (its facts are the contract's); an older one has none (NotFound)."""
    if certificate.ofd_sha256:
        return certificate.ofd_sha256
    if certificate.status != "current" or certificate.version != contract.version:
        raise NotFound(t("No OFD licence was issued for this version of the certificate."))
    earlier = [c.version for c in contract.certificates if c.version < certificate.version]
    data = certificate_data(contract, certificate.version, certificate.check_code, max(earlier, default=None))
    data = dataclasses.replace(data, issued_on=local(certificate.issued_at).date())
    ofd = _seal_ofd(data, contract.station.code)
    certificate.ofd_sha256, certificate.ofd_size, _ = get_storage().put(io.BytesIO(ofd), MAX_CERTIFICATE_BYTES)
    db.session.flush()
    audit.record(
        actor,
        "certificate.issue_ofd",
        "contract",
        contract.id,
        None,
        {"version": certificate.version, "ofd_sha256": certificate.ofd_sha256},
    )
    return certificate.ofd_sha256


def by_number_and_code(number: str, code: str | None) -> tuple[Contract | None, Certificate | None]:
    """The registration with this number, and the certificate version whose check code this is (if any)."""
    query = select(Contract).where(Contract.registration_number == number)
    if code:  # the answer then shows the certificate and the station
        query = query.options(selectinload(Contract.certificates), joinedload(Contract.station))
    contract = db.session.scalars(query).first()
    if contract is None or not code:
        return contract, None
    certificate = next((c for c in contract.certificates if c.check_code == code.strip().upper()), None)
    return contract, certificate


def registry_status(contract: Contract, certificate: Certificate) -> str:
    """valid | superseded | cancelled | revoked — what a verifier should know about this certificate now."""
    if contract.status in ("cancelled", "revoked"):
        return contract.status
    if certificate.status == "superseded":
        return "superseded"
    return "valid"


def public_facts(contract: Contract | None, certificate: Certificate | None, number: str) -> dict:
    """What the public verification page and JSON show: only existence without the right check code."""
    if contract is None or certificate is None:
        return {"registration_number": number, "exists": contract is not None, "code_checked": False}
    current = contract.current_certificate
    return {
        "registration_number": number,
        "exists": True,
        "code_checked": True,
        "status": registry_status(contract, certificate),
        "version": certificate.version,
        "current_version": current.version if current else certificate.version,
        "station": {"code": contract.station.code, "name": contract.station.name},
        "registered_on": contract.registered_on.isoformat(),
        "category": contract.category,
        "subtype": contract.subtype,
        "equity": bool(contract.contributed_as_equity),
        "amount": None if contract.amount is None else f"{contract.amount:.2f}",
        "amount_fixed": contract.amount_fixed is not False,
        "certified_technical_amount": f"{contract.certified_technical_amount:.2f}",
        "seller": mask_name(contract.seller.name if contract.seller else ""),
        "buyer": mask_name(contract.buyer.name if contract.buyer else ""),
        "certificate_sha256": certificate.sha256,
    }


def root_certificate_pem() -> bytes:
    """The bureau's root certificate, as served at /.well-known/tcr/root-ca.pem."""
    return (Path(current_app.config["CERTS_DIR"]) / "root-ca.pem").read_bytes()


def sm2_root_certificate_pem() -> bytes:
    """The bureau's SM2 root certificate (the seal maker of the OFD licences)."""
    return (Path(current_app.config["CERTS_DIR"]) / SM2_ROOT_CERT_FILE).read_bytes()


VERIFIER_REASONS = {
    verifier.REASON_VALID: lt("The signature is valid and was made by a station of the bureau."),
    verifier.REASON_NOT_PDF: lt("The file is not a PDF."),
    verifier.REASON_DAMAGED: lt("The PDF file is damaged."),
    verifier.REASON_UNSIGNED: lt("The document carries no signature."),
    verifier.REASON_SEVERAL: lt("The document carries more than one signature."),
    verifier.REASON_MODIFIED: lt("The document was modified after it was signed."),
    verifier.REASON_ALTERED: lt("The document's content does not match its signature."),
    verifier.REASON_BAD_SIGNATURE: lt("The signature value is not valid."),
    verifier.REASON_FOREIGN: lt("The document was not signed with a key of the bureau's certification authority."),
    verifier.REASON_CERT_TIME: lt("The signing certificate was not valid when the document was signed."),
    verifier.REASON_REVOKED: lt("The signing certificate is revoked."),
    verifier.REASON_NOT_STATION: lt("The signing certificate is not a registration station's certificate."),
    verifier.REASON_NO_NUMBER: lt("This is not a TCR certificate (no registration number in the signed document)."),
    verifier.REASON_BAD_ROOT: lt("The bureau's root certificate is not available right now."),
}


def verify_upload(data: bytes) -> dict:
    """Check an uploaded certificate, PDF or OFD: signature (or seal), chain to the bureau root, the registry's
    record, the status. Answers valid, invalid (with the reason) or unknown — never invalid for a failure of our
    own."""
    ofd = is_ofd(data)
    try:
        root = sm2_root_certificate_pem() if ofd else root_certificate_pem()
    except OSError:
        return {"result": "unknown", "reason": t("The bureau's root certificate is not available right now.")}
    result = verify_ofd(data, root) if ofd else verify_pdf(data, root)
    reason = str(VERIFIER_REASONS.get(result.reason, result.reason))
    answer = {
        "result": result.status,
        "reason": reason,
        "registration_number": result.registration_number,
        "version": result.version,
        "sha256": result.content_sha256,
        "signer": result.signer_subject,
    }
    if result.status != "valid":
        return answer
    stored_as = Certificate.ofd_sha256 if ofd else Certificate.sha256
    try:
        certificate = db.session.scalars(select(Certificate).where(stored_as == result.content_sha256)).first()
        contract = db.session.get(Contract, certificate.contract_id) if certificate else None
    except SQLAlchemyError:
        db.session.rollback()
        return {**answer, "result": "unknown", "reason": t("The registry cannot be reached right now.")}
    if certificate is None:
        return {
            **answer,
            "result": "invalid",
            "reason": t("The signature is intact, but this document is not a certificate the registry issued."),
        }
    status = registry_status(contract, certificate)
    answer.update(
        registry_status=status, registration_number=certificate.registration_number, version=certificate.version
    )
    if status == "valid":
        return {**answer, "reason": t("Authentic and current.")}
    return {**answer, "result": "invalid", "reason": _status_reason(contract, status)}


def _status_reason(contract: Contract, status: str) -> str:
    if status == "superseded":
        return t(
            "This certificate was superseded by version %(version)s.", version=contract.current_certificate.version
        )
    if status == "cancelled":
        return t("The registration was cancelled.")
    return t("The registration was revoked.")
