"""Attachments: accepted only as real PDF (without active content), PNG or JPEG, then stored by content hash."""

from __future__ import annotations

from flask import current_app

from app.audit.services import audit
from app.domain.catalogue import ATTACHMENT_KINDS
from app.errors import Conflict, FieldError, NotFound, PayloadTooLarge, ValidationFailed
from app.extensions import db
from app.files.storage import TooLarge, get_storage, spooled
from app.filing.services import upload_checks
from app.filing.services.contracts import require_editable, run_checks
from app.i18n import t
from app.models import Attachment, Contract

MAX_FILENAME = 255


def clean_filename(name: str | None) -> str:
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    name = "".join(ch for ch in name if ch.isprintable())
    return name[:MAX_FILENAME] or "attachment"


def accept_upload(stream, field: str = "file") -> tuple[str, int, str]:
    """Check an upload from a spool outside storage (real PDF without active content, PNG or JPEG within the pixel
    and size limits), then store it under its SHA-256: (sha256, size, media type). Errors name `field`."""
    limit = current_app.config["MAX_UPLOAD_BYTES"]
    try:
        with spooled(stream, limit) as (upload, size):
            if size == 0:
                raise ValidationFailed(
                    t("The file is empty."), [FieldError("attachment.empty", field, t("The file is empty."))]
                )
            media_type = upload_checks.media_type(upload, current_app.config["MAX_IMAGE_PIXELS"])
            sha256, size, _ = get_storage().put(upload, limit)  # only accepted bytes reach storage
    except TooLarge:
        raise PayloadTooLarge(t("The upload exceeds the limit of %(mib)s MiB.", mib=limit // (1024 * 1024))) from None
    except ValidationFailed as error:
        for item in error.errors:
            item.field = field if item.field == "file" else item.field
        raise
    return sha256, size, media_type


def add_attachment(actor, contract: Contract, stream, filename: str | None, kind: str | None) -> Attachment:
    """Check the upload from a spool outside storage, then store it under its SHA-256 and attach it; refuse what
    is not PDF/PNG/JPEG, a PDF with active content, an image with too many pixels, or a file over the limit."""
    require_editable(actor, contract)
    if kind not in ATTACHMENT_KINDS:
        raise ValidationFailed(
            t("Choose what kind of document this is."),
            [FieldError("attachment.kind", "kind", t("Unknown attachment kind."))],
        )
    sha256, size, media_type = accept_upload(stream)
    attachment = Attachment(
        kind=kind,
        filename=clean_filename(filename),
        media_type=media_type,
        size=size,
        sha256=sha256,
        uploaded_by_id=actor.id,
    )
    contract.attachments.append(attachment)
    db.session.flush()
    audit.record(
        actor,
        "attachment.add",
        "contract",
        contract.id,
        None,
        {"attachment_id": attachment.id, "kind": kind, "sha256": sha256, "size": size},
    )
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
    audit.record(
        actor,
        "attachment.delete",
        "contract",
        contract.id,
        {"attachment_id": attachment_id, "sha256": attachment.sha256},
        None,
    )
    run_checks(contract)
