"""Claims on registrations of another city's registry: the buyer uploads that registry's signed certificate.

The PDF's signature must be intact and chain to one of the trusted registries' certificates (the PEM files in
TRUSTED_REGISTRIES_DIR); the file is checked like every upload and stored by its hash. The facts the claimant declares
(number, date, category, amounts) cannot be read reliably from another registry's layout, so such a claim is always
reviewed by hand: the bureau opens the certificate beside the declared facts and says so when it approves."""

from __future__ import annotations

import io
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from app.certificates.verify import verify_other_registry_pdf
from app.domain.subsidies import basis_amount, in_programme_year, subsidy_amount
from app.errors import Conflict, FieldError, PayloadTooLarge, ValidationFailed
from app.extensions import db
from app.filing.services.attachments import accept_upload, clean_filename
from app.i18n import t
from app.models import Contract, SubsidyClaim
from app.subsidies.services import claims, programmes


def trusted_certificates() -> list[bytes]:
    """The trusted registries' certificates: every *.pem file of the configured directory (none: nothing is
    trusted, and every certificate's check is "unknown")."""
    directory = Path(current_app.config["TRUSTED_REGISTRIES_DIR"])
    if not directory.is_dir():
        return []
    return [path.read_bytes() for path in sorted(directory.glob("*.pem"))]


def _read(stream) -> bytes:
    limit = current_app.config["MAX_UPLOAD_BYTES"]
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise PayloadTooLarge(t("The upload exceeds the limit of %(mib)s MiB.", mib=limit // (1024 * 1024)))
    return data


def _refused_file(message: str) -> ValidationFailed:
    return ValidationFailed(message, [FieldError("subsidy.certificate", "file", message)])


def _basis(programme, data: dict):
    if programme.basis == "equity":
        raise Conflict(t("Equity programmes are claimed on registrations of this registry only."))
    basis = basis_amount(programme.basis, data["category"], data["amount"], data.get("technical_amount"), False)
    if not basis:
        raise ValidationFailed(
            t("State the technical amount the certificate shows."),
            [FieldError("required", "technical_amount", t("This field is required."))],
        )
    return basis


def claim(actor, data: dict, stream, filename: str | None) -> SubsidyClaim:
    """A buyer's claim on another registry's registration, with that registry's certificate (pending review)."""
    programme = programmes.get(actor, data["programme"])
    credit_code, name = claims.organisation_of(actor)
    if not programmes.is_open(programme):
        raise Conflict(t("The programme does not take claims today."))
    if programme.beneficiary != "buyer":
        raise Conflict(t("Registrations of other registries are claimed on programmes for buyers only."))
    number = data["registration_number"].strip()
    if db.session.scalar(select(Contract.id).where(Contract.registration_number == number)) is not None:
        raise Conflict(t("This registration is in this registry: claim it from your list of qualifying programmes."))
    if not in_programme_year(programme.year, data["registered_on"]):
        raise Conflict(t("The programme pays on registrations of %(year)s.", year=programme.year))
    if programme.categories and data["category"] not in programme.categories:
        raise Conflict(t("The programme does not cover this category."))
    basis = _basis(programme, data)
    pdf = _read(stream)
    check = verify_other_registry_pdf(pdf, trusted_certificates())
    if check.status == "invalid":
        raise _refused_file(t("The certificate's signature was not accepted: %(reason)s", reason=check.reason))
    sha256, _, media_type = accept_upload(io.BytesIO(pdf))
    if media_type != "application/pdf":
        raise _refused_file(t("The certificate must be a PDF file."))
    amount = subsidy_amount(
        programme.rate, basis, programme.cap_per_contract, claims.left_for_organisation(programme, credit_code)
    )
    if amount <= 0:
        raise Conflict(t("Your organisation has reached the programme's cap for the year."))
    return claims.store(
        actor,
        SubsidyClaim(
            programme_id=programme.id,
            registration_number=number,
            beneficiary_credit_code=credit_code,
            beneficiary_name=name,
            beneficiary_role="buyer",
            category=data["category"],
            registered_on=data["registered_on"],
            basis_amount=basis,
            amount=amount,
            external=True,
            external_registry=data["registry"].strip(),
            certificate_sha256=sha256,
            certificate_filename=clean_filename(filename),
            certificate_check=check.status,
            certificate_reason=check.reason,
            certificate_signer=(check.signer_subject or "")[:500] or None,
            claimed_by_id=actor.id,
        ),
    )
