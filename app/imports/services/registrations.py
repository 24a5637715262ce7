"""Importing another registry's registrations: one file, one batch; each good row stored (new, updated or kept as
it is, by source and registration number), each bad row reported with its findings and storing nothing."""

from __future__ import annotations

import hashlib

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.audit.services.audit import record
from app.auth.permissions import Permission, has_permission
from app.domain.absorption import IMPORT_SOURCES
from app.errors import FieldError, Forbidden, NotFound, PayloadTooLarge, ValidationFailed
from app.extensions import db
from app.i18n import t
from app.imports.services import parsing
from app.models import Contract, ImportBatch, ImportedRegistration
from app.models.base import utcnow

MAX_IMPORT_BYTES = 5 * 1024 * 1024
STORED = (
    "status",
    "registered_on",
    "title",
    "category",
    "subtype",
    "contributed_as_equity",
    "technical_field",
    "amount",
    "technical_amount",
    "seller_name",
    "seller_credit_code",
    "seller_area",
    "seller_nature",
    "seller_country",
    "buyer_name",
    "buyer_credit_code",
    "buyer_area",
    "buyer_nature",
    "buyer_country",
)
BATCH_LIST = 50


def require_importer(actor) -> None:
    """Only the bureau imports other registries' registrations and reads the absorption figures."""
    if not has_permission(actor, Permission.REGISTRATION_IMPORT):
        raise Forbidden(t("Only the bureau imports registrations of other registries."))


def _limit() -> int:
    return min(MAX_IMPORT_BYTES, current_app.config["MAX_UPLOAD_BYTES"])


def _read(stream) -> bytes:
    limit = _limit()
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise PayloadTooLarge(t("The upload exceeds the limit of %(mib)s MiB.", mib=limit // (1024 * 1024)))
    return data


def _checked_source(source: str) -> str:
    if source not in IMPORT_SOURCES:
        message = t("Unknown source registry: %(code)s", code=source)
        raise ValidationFailed(message, [FieldError("source.unknown", "source", message)])
    return source


def import_file(actor, source: str, registry_name: str | None, stream, filename: str | None) -> ImportBatch:
    """Import a CSV of another registry: every row checked and answered; good rows stored, each in a savepoint of
    the request's one transaction, so that a row the database refuses costs only that row."""
    require_importer(actor)
    source = _checked_source(source)
    data = _read(stream)
    rows = parsing.read(data)
    batch = ImportBatch(
        source=source,
        registry_name=(registry_name or "").strip()[:200] or None,
        filename=(filename or "")[:255] or None,
        sha256=hashlib.sha256(data).hexdigest(),
        imported_by_id=actor.id,
        imported_at=utcnow(),
        rows_total=len(rows),
    )
    db.session.add(batch)
    db.session.flush()
    local = _local_numbers([row.number for row in rows if row.values])
    report = [_import_row(batch, row, local) for row in rows]
    for outcome in ("imported", "updated", "unchanged", "rejected"):
        setattr(batch, outcome, sum(1 for entry in report if entry["status"] == outcome))
    batch.report = report
    db.session.flush()
    record(actor, "import_batch.import", "import_batch", batch.id, None, _summary(batch))
    return batch


def _summary(batch: ImportBatch) -> dict:
    return {
        "source": batch.source,
        "sha256": batch.sha256,
        "rows": batch.rows_total,
        "imported": batch.imported,
        "updated": batch.updated,
        "unchanged": batch.unchanged,
        "rejected": batch.rejected,
    }


def _local_numbers(numbers: list[str]) -> set[str]:
    """Which of the numbers belong to the local registry (one query for the file)."""
    found: set[str] = set()
    for start in range(0, len(numbers), 500):
        chunk = numbers[start : start + 500]
        found.update(
            db.session.scalars(select(Contract.registration_number).where(Contract.registration_number.in_(chunk)))
        )
    return found


def _entry(row: parsing.Row, status: str) -> dict:
    return {
        "row": row.line,
        "registration_number": row.number,
        "status": status,
        "findings": [finding.as_dict() for finding in row.findings],
    }


def _import_row(batch: ImportBatch, row: parsing.Row, local: set[str]) -> dict:
    """One row's outcome: rejected (nothing stored), or imported, updated or unchanged."""
    if row.values is not None and row.number in local:
        message = t("This registration number belongs to this registry: it is not imported.")
        row.findings.append(FieldError("registration_number.local", "registration_number", message))
    if row.values is None or row.findings:
        return _entry(row, "rejected")
    try:
        with db.session.begin_nested():
            status = _store(batch, row.values)
    except IntegrityError:  # the database refused the row (a concurrent import of the same number): only this row
        row.findings.append(FieldError("row.conflict", None, t("The row could not be stored; import it again.")))
        return _entry(row, "rejected")
    return _entry(row, status)


def _store(batch: ImportBatch, values: dict) -> str:
    existing = db.session.scalars(
        select(ImportedRegistration).where(
            ImportedRegistration.source == batch.source,
            ImportedRegistration.registration_number == values["registration_number"],
        )
    ).first()
    if existing is None:
        now = utcnow()
        db.session.add(
            ImportedRegistration(
                source=batch.source,
                registration_number=values["registration_number"],
                first_batch_id=batch.id,
                batch_id=batch.id,
                created_at=now,
                updated_at=now,
                **{name: values[name] for name in STORED},
            )
        )
        return "imported"
    if all(getattr(existing, name) == values[name] for name in STORED):
        return "unchanged"
    for name in STORED:
        setattr(existing, name, values[name])
    existing.batch_id = batch.id
    existing.updated_at = utcnow()
    return "updated"


def batches(actor, limit: int = BATCH_LIST) -> list[ImportBatch]:
    """The latest import batches, newest first."""
    require_importer(actor)
    return list(db.session.scalars(select(ImportBatch).order_by(ImportBatch.id.desc()).limit(limit)))


def batch(actor, batch_id: int) -> ImportBatch:
    """One import batch with its per-row report."""
    require_importer(actor)
    found = db.session.get(ImportBatch, batch_id)
    if found is None:
        raise NotFound(t("No such import."))
    return found
