"""Append to the hash-chained audit log, and verify the chain."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import func, select, text

from app.extensions import db
from app.models import AuditRecord
from app.models.base import utcnow

GENESIS = "0" * 64
_LOCK_KEY = 7_301_001  # PostgreSQL advisory lock serialising appends to the chain


def json_safe(value):
    """Decimals, dates and datetimes as strings, recursively: what the log stores and hashes."""
    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_safe(v) for v in value]
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


def _digest(prev_hash: str, row: AuditRecord) -> str:
    payload = {
        "prev": prev_hash,
        "at": row.created_at.isoformat(),
        "actor": row.actor_id,
        "role": row.actor_role,
        "action": row.action,
        "type": row.object_type,
        "id": row.object_id,
        "before": row.before,
        "after": row.after,
    }
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def record(actor, action: str, object_type: str, object_id, before: dict | None, after: dict | None) -> AuditRecord:
    """Append one row whose hash covers the previous row's hash and this row's content."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})
    last = db.session.scalars(select(AuditRecord.hash).order_by(AuditRecord.id.desc()).limit(1)).first()
    row = AuditRecord(
        created_at=utcnow(),
        actor_id=getattr(actor, "id", None),
        actor_role=getattr(actor, "role", "system"),
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        before=json_safe(before),
        after=json_safe(after),
        prev_hash=last or GENESIS,
    )
    row.hash = _digest(row.prev_hash, row)
    db.session.add(row)
    db.session.flush()
    db.session.info["audit_pending"] = True  # after the commit, a checkpoint may be due (audit_checkpoints)
    return row


@dataclass
class ChainReport:
    """The outcome of walking the chain: how many rows, and the first broken one."""

    rows: int
    ok: bool
    broken_at: int | None = None
    reason: str = ""


def verify_chain() -> ChainReport:
    """Recompute every hash in order; an edited, deleted or inserted row breaks the chain."""
    prev, count = GENESIS, 0
    for row in db.session.scalars(select(AuditRecord).order_by(AuditRecord.id)).yield_per(1000):
        count += 1
        if row.prev_hash != prev:
            return ChainReport(count, False, row.id, "previous hash does not match (a row was deleted or inserted)")
        if _digest(prev, row) != row.hash:
            return ChainReport(count, False, row.id, "content does not match its hash (the row was altered)")
        prev = row.hash
    return ChainReport(count, True)


def rows_after(last_id: int) -> int:
    """How many rows came after a given one (not yet covered by a checkpoint)."""
    return db.session.scalar(select(func.count()).select_from(AuditRecord).where(AuditRecord.id > last_id))
