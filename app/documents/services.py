"""Printable documents: which history entries have one, and each made (rendered, signed, stored) on its first
download; every later download serves the stored bytes, checked against their SHA-256, identical every time."""

from __future__ import annotations

import io
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.certificates.pki import PkiError
from app.certificates.services import station_signer  # the station's key, loaded once per process
from app.certificates.sign import sign_pdf
from app.documents.content import DOCUMENT_KINDS, case_number, context, kind_of, snapshot
from app.documents.render import render_document
from app.domain import workflow
from app.errors import DomainError, NotFound
from app.extensions import db
from app.files.storage import get_storage
from app.i18n import t
from app.models import Contract, Document, StatusChange

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024


class DocumentUnavailable(DomainError):
    """The document could not be rendered or signed now; nothing was stored."""

    status = 503
    code = "document_unavailable"


@dataclass(frozen=True)
class Available:
    """A document a history entry has: its kind, the entry, and the stored file once it was made."""

    kind: str
    change: StatusChange
    document: Document | None


def available(contract: Contract) -> list[Available]:
    """Every document of the contract's history, in the history's order, with the stored file if made."""
    made = {(d.status_change_id, d.kind): d for d in _documents_of(contract)}
    found = []
    for change in contract.history:
        kind = kind_of(change)
        if kind is not None and has_document(contract, change, kind.code):
            found.append(Available(kind.code, change, made.get((change.id, kind.code))))
    return found


def document_for(contract: Contract, kind: str, change_id: int) -> Document:
    """The stored document of this history entry, made now if this is its first download (a 404 for an entry
    that has no document of this kind)."""
    change = next((c for c in contract.history if c.id == change_id), None)
    found = kind_of(change) if change is not None else None
    if found is None or found.code != kind or not has_document(contract, change, kind):
        raise NotFound(t("No such document."))
    existing = _stored(change.id, kind)
    return existing if existing is not None else _make(contract, change, kind)


def download_name(contract: Contract, document: Document) -> str:
    """The file name a download offers: kind, case number and history entry."""
    return f"{document.kind}-{case_number(contract)}-{document.status_change_id}.pdf"


def has_document(contract: Contract, change: StatusChange, kind: str) -> bool:
    """Every entry of its kind has its document, except that the filing form of a submission that recorded no
    snapshot is printed from the contract's fields only while they are still those of that submission (it is
    the latest one and the applicant cannot edit)."""
    if kind != "filing" or snapshot(change) is not None:
        return True
    submissions = [c for c in contract.history if kind_of(c) is not None and kind_of(c).code == "filing"]
    return bool(submissions) and submissions[-1].id == change.id and contract.status not in workflow.EDITABLE


def _documents_of(contract: Contract) -> list[Document]:
    return list(db.session.scalars(select(Document).where(Document.contract_id == contract.id)))


def _stored(change_id: int, kind: str) -> Document | None:
    return db.session.scalars(
        select(Document).where(Document.status_change_id == change_id, Document.kind == kind)
    ).first()


def _make(contract: Contract, change: StatusChange, kind: str) -> Document:
    """Render, sign and store the document; a concurrent first download that stored it first wins."""
    pdf = _render_and_sign(contract, change, kind)
    sha256, size, _ = get_storage().put(io.BytesIO(pdf), MAX_DOCUMENT_BYTES)
    document = Document(kind=kind, contract_id=contract.id, status_change_id=change.id, sha256=sha256, size=size)
    try:
        with db.session.begin_nested():
            db.session.add(document)
    except IntegrityError:
        winner = _stored(change.id, kind)
        if winner is None:
            raise
        return winner
    return document


def _render_and_sign(contract: Contract, change: StatusChange, kind: str) -> bytes:
    station = contract.station
    if station is None:
        raise NotFound(t("No such document."))
    data = context(kind, contract, change, current_app.config["PUBLIC_BASE_URL"])
    try:
        signer = station_signer(station.code)
    except (OSError, ValueError, PkiError) as error:
        current_app.logger.error("no signing key for station %s: %s", station.code, error)
        raise DocumentUnavailable(
            t("Station %(code)s has no usable signing key; the document cannot be issued now.", code=station.code)
        ) from error
    try:
        pdf = render_document(kind, data, station_name=station.name, case_number=data["case_number"])
        return sign_pdf(
            pdf,
            signer,
            reason=DOCUMENT_KINDS[kind].title.zh,
            location=station.name,
            timestamp_url=current_app.config.get("TIMESTAMP_URL"),
        )
    except Exception as error:  # noqa: BLE001 - any render/sign failure is a 503, never a half-made document
        current_app.logger.exception("document %s of history entry %s could not be made", kind, change.id)
        raise DocumentUnavailable(t("The document could not be issued. Please try again.")) from error
