"""Status transitions: each one is a history row and an audit record, written together."""

from __future__ import annotations

from app.audit.services import audit
from app.domain import workflow
from app.models import Contract, StatusChange


def transition(
    contract: Contract,
    actor,
    to_status: str,
    note: str | None = None,
    details: dict | None = None,
    *,
    initial: bool = False,
) -> StatusChange:
    """Move the contract to a new status, recording who, in which role, from, to and why; a move the workflow does
    not have is refused."""
    workflow.check_move(None if initial else contract.status, to_status)
    change = StatusChange(
        from_status=None if initial else contract.status,
        to_status=to_status,
        actor_id=getattr(actor, "id", None),
        actor_role=getattr(actor, "role", "system"),
        note=note,
        details=audit.json_safe(details or {}),
    )
    before = None if initial else {"status": contract.status}
    contract.status = to_status
    contract.history.append(change)
    audit.record(
        actor,
        f"contract.{to_status}",
        "contract",
        contract.id,
        before,
        {"status": to_status, "note": note, **(change.details or {})},
    )
    return change
