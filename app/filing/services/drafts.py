"""Deleting a draft: a filing that never reached a station disappears with its findings, attachments and history;
the files no other record refers to are removed from storage once the deletion is committed."""

from __future__ import annotations

from flask import current_app
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from app.audit.services import audit
from app.auth.permissions import can_file
from app.domain import workflow
from app.errors import Conflict, Forbidden
from app.extensions import db
from app.files.storage import LocalDiskStorage
from app.filing.services.contracts import filing_dict
from app.i18n import t
from app.models import Attachment, Contract, OrganisationClaim

_PENDING = "tcr_discard_files"


def delete_draft(actor, contract: Contract) -> None:
    """Delete a draft of the actor's organisation (findings, attachments, history with it); audit-logged."""
    if not can_file(actor, contract):
        raise Forbidden(t("Only the filing organisation may delete this draft."))
    if contract.status not in workflow.DELETABLE:
        raise Conflict(t("Only a draft can be deleted; a filing sent to a station can be withdrawn."))
    hashes = {a.sha256 for a in contract.attachments}
    before = filing_dict(contract) | {"status": contract.status, "attachments": sorted(hashes)}
    contract_id = contract.id
    db.session.delete(contract)
    db.session.flush()
    audit.record(actor, "contract.delete", "contract", contract_id, before, None)
    orphans = {sha256 for sha256 in hashes if not _referenced(sha256)}
    if orphans:
        pending = db.session.info.setdefault(_PENDING, {"root": current_app.config["STORAGE_DIR"], "hashes": set()})
        pending["hashes"] |= orphans


def _referenced(sha256: str) -> bool:
    """Whether another attachment or a claim's business licence still holds these bytes."""
    attachments = db.session.scalar(select(func.count()).select_from(Attachment).where(Attachment.sha256 == sha256))
    licences = db.session.scalar(
        select(func.count()).select_from(OrganisationClaim).where(OrganisationClaim.licence_sha256 == sha256)
    )
    return bool(attachments or licences)


@event.listens_for(Session, "after_commit")
def _discard_files(session: Session) -> None:
    """The deletion is committed: its files go too (never before, so a rolled-back deletion keeps them)."""
    pending = session.info.pop(_PENDING, None)
    if pending:
        storage = LocalDiskStorage(pending["root"])
        for sha256 in pending["hashes"]:
            storage.delete(sha256)


@event.listens_for(Session, "after_rollback")
def _keep_files(session: Session) -> None:
    session.info.pop(_PENDING, None)
