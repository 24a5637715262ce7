"""Attachments: stored by content hash, accepted only as real PDF, PNG or JPEG content."""
from __future__ import annotations

from flask import current_app

from app.domain.catalogue import ATTACHMENT_KINDS
from app.errors import Conflict, FieldError, NotFound, PayloadTooLarge, ValidationFailed
from app.extensions import db
from app.models import Attachment, Contract
from app.services import audit
from app.services.contracts import require_editable, run_checks
from app.services.storage import TooLarge, get_storage, sniff_media_type
from app.web.i18n import t

MAX_FILENAME = 255


def clean_filename(name: str | None) -> str:
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    name = "".join(ch for ch in name if ch.isprintable())
    return name[:MAX_FILENAME] or "attachment"


def accept_upload(stream, field: str = "file") -> tuple[str, int, str]:
    """Store an upload that is real PDF, PNG or JPEG content within the size limit: (sha256, size, media type)."""
    storage, limit = get_storage(), current_app.config["MAX_UPLOAD_BYTES"]
    try:
        sha256, size, head = storage.put(stream, limit)
    except TooLarge:
        raise PayloadTooLarge(t("The upload exceeds the limit of %(mib)s MiB.", mib=limit // (1024 * 1024))) from None
    if size == 0:
        raise ValidationFailed(t("The file is empty."), [
            FieldError("attachment.empty", field, t("The file is empty."))])
    media_type = sniff_media_type(storage, sha256, head)
    if media_type is None:
        raise ValidationFailed(t("Only PDF, PNG and JPEG files are accepted."), [
            FieldError("attachment.type", field, t("The file's content is not PDF, PNG or JPEG."))])
    return sha256, size, media_type


def add_attachment(actor, contract: Contract, stream, filename: str | None, kind: str | None) -> Attachment:
    """Store the upload under its SHA-256 and attach it; refuse what is not PDF/PNG/JPEG or too large."""
    require_editable(actor, contract)
    if kind not in ATTACHMENT_KINDS:
        raise ValidationFailed(t("Choose what kind of document this is."), [
            FieldError("attachment.kind", "kind", t("Unknown attachment kind."))])
    sha256, size, media_type = accept_upload(stream)
    attachment = Attachment(kind=kind, filename=clean_filename(filename), media_type=media_type, size=size,
                            sha256=sha256, uploaded_by_id=actor.id)
    contract.attachments.append(attachment)
    db.session.flush()
    audit.record(actor, "attachment.add", "contract", contract.id, None,
                 {"attachment_id": attachment.id, "kind": kind, "sha256": sha256, "size": size})
    run_checks(contract)
    return attachment


def get_attachment(contract: Contract, attachment_id: int) -> Attachment:
    """One attachment of this contract (404 for another contract's)."""
    attachment = db.session.get(Attachment, attachment_id)
    if attachment is None or attachment.contract_id != contract.id:
        raise NotFound("attachment not found")
    return attachment


def delete_attachment(actor, contract: Contract, attachment_id: int) -> None:
    """Remove an attachment from a draft (the bytes stay in content storage)."""
    require_editable(actor, contract)
    if contract.status != "draft":
        raise Conflict(t("Attachments can only be removed from a draft."))
    attachment = get_attachment(contract, attachment_id)
    contract.attachments.remove(attachment)
    db.session.flush()
    audit.record(actor, "attachment.delete", "contract", contract.id,
                 {"attachment_id": attachment_id, "sha256": attachment.sha256}, None)
    run_checks(contract)


def attachment_path(attachment: Attachment):
    """Where the attachment's bytes are stored."""
    return get_storage().path(attachment.sha256)
