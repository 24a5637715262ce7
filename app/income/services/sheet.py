"""The signed 核定表 of a verified income record: rendered and signed like the station's documents
(app/documents/render.py and the station's signer), made on its first download and stored by its SHA-256; every
later download serves the same bytes."""

from __future__ import annotations

import io

from flask import current_app

from app.certificates.marks import SEAL_MOTTO
from app.certificates.pki import PkiError
from app.certificates.render import chinese_date, grouped_amount
from app.certificates.services import station_signer
from app.certificates.sign import sign_pdf
from app.documents.content import case_number
from app.documents.render import render_document
from app.documents.services import MAX_DOCUMENT_BYTES, DocumentUnavailable
from app.domain.clock import local
from app.domain.income import COST_KINDS
from app.domain.money import amount_in_words
from app.errors import Conflict
from app.files.storage import get_storage
from app.i18n import t
from app.income.services.records import costs_by_kind
from app.models import IncomeRecord

SHEET_KIND = "income"  # templates/documents/income.html
SHEET_TITLE = {"zh": "技术性收入核定表", "en": "Technical income verification sheet"}


def sheet_for(record: IncomeRecord) -> tuple[str, str]:
    """The stored 核定表 of a verified record (its SHA-256 and download name), made now on its first download."""
    if record.status != "verified":
        raise Conflict(t("The technical income of this record has not been verified yet."))
    if record.sheet_sha256 is None:
        pdf = _render_and_sign(record)
        record.sheet_sha256, record.sheet_size, _ = get_storage().put(io.BytesIO(pdf), MAX_DOCUMENT_BYTES)
    return record.sheet_sha256, download_name(record)


def download_name(record: IncomeRecord) -> str:
    return f"income-{case_number(record.contract)}-{record.id}.pdf"


def _person(user) -> str:
    return user.name if user is not None else "—"


def context(record: IncomeRecord) -> dict:
    """The template variables of the 核定表."""
    contract = record.contract
    station = contract.station
    decided = record.approved_at or record.verified_at
    issued = local(decided).date()
    by_kind = costs_by_kind(record)
    seller = contract.seller
    return {
        "kind": {"title": SHEET_TITLE},
        "case_number": case_number(contract),
        "title": contract.title or "—",
        "registration_number": contract.registration_number or "—",
        "applicant": contract.organisation.name if contract.organisation else "—",
        "seller": seller.name if seller and seller.name else "—",
        "period_from": chinese_date(record.period_from),
        "period_to": chinese_date(record.period_to),
        "received": grouped_amount(record.received),
        "costs": [
            {"zh": label.zh, "en": label.en, "amount": grouped_amount(by_kind[code]) if code in by_kind else "0.00"}
            for code, label in COST_KINDS.items()
        ],
        "total_costs": grouped_amount(record.total_costs),
        "declared": grouped_amount(record.declared_technical_income),
        "technical_income": grouped_amount(record.technical_income),
        "technical_income_words": amount_in_words(record.technical_income),
        "note": record.verify_note,
        "verified_by": _person(record.verified_by),
        "verified_on": chinese_date(local(record.verified_at).date()),
        "approved_by": _person(record.approved_by) if record.approved_by_id else None,
        "approved_on": chinese_date(local(record.approved_at).date()) if record.approved_at else None,
        "station_name": station.name if station else "—",
        "station_code": station.code if station else "—",
        "issued_on": chinese_date(issued),
        "issued_iso": issued.isoformat(),
        "seal_motto": SEAL_MOTTO,
        "reference": f"{case_number(contract)}-I{record.id}",
    }


def _render_and_sign(record: IncomeRecord) -> bytes:
    station = record.contract.station
    data = context(record)
    try:
        signer = station_signer(station.code)
    except (OSError, ValueError, PkiError) as error:
        current_app.logger.error("no signing key for station %s: %s", station.code, error)
        raise DocumentUnavailable(
            t("Station %(code)s has no usable signing key; the document cannot be issued now.", code=station.code)
        ) from error
    try:
        pdf = render_document(SHEET_KIND, data, station_name=station.name, case_number=data["case_number"])
        return sign_pdf(
            pdf,
            signer,
            reason=SHEET_TITLE["zh"],
            location=station.name,
            timestamp_url=current_app.config.get("TIMESTAMP_URL"),
        )
    except Exception as error:  # noqa: BLE001 - any render/sign failure is a 503, never a half-made document
        current_app.logger.exception("the 核定表 of income record %s could not be made", record.id)
        raise DocumentUnavailable(t("The document could not be issued. Please try again.")) from error
