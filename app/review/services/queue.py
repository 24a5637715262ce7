"""The reviewer's queue: filings in due-date order (keyset paging across pages) and its headline counts."""

from __future__ import annotations

import base64
from datetime import date, timedelta

from sqlalchemy import and_, func, or_, select

from app.domain import workflow
from app.domain.clock import today_local
from app.extensions import db
from app.filing.services.contracts import (
    LIST_ROW_LOAD,
    ContractFilters,
    apply_queue_filters,
    awaiting_approval,
    visible_contracts,
)
from app.models import Contract, ContractParty, RegistrationProposal


def cursor_after(contract: Contract) -> str:
    """The opaque cursor of the position just after this contract."""
    raw = f"q1:{contract.due_on.isoformat() if contract.due_on else '-'}:{contract.id}"
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _after(cursor: str | None):
    """The keyset condition of "after this row" in the order due date (empty last), id; a bad cursor is ignored."""
    if not cursor:
        return None
    try:
        prefix, due, last_id = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode().split(":")
        last_id, due = int(last_id), None if due == "-" else date.fromisoformat(due)
        if prefix != "q1":
            return None
    except (ValueError, UnicodeDecodeError):
        return None
    if due is None:
        return and_(Contract.due_on.is_(None), Contract.id > last_id)
    return or_(Contract.due_on > due, and_(Contract.due_on == due, Contract.id > last_id), Contract.due_on.is_(None))


def _search(q: str):
    """Title, registration number, seller's name, or #id."""
    pattern = f"%{q}%"
    seller = (
        select(ContractParty.id)
        .where(
            ContractParty.contract_id == Contract.id, ContractParty.role == "seller", ContractParty.name.like(pattern)
        )
        .exists()
    )
    found = or_(Contract.title.like(pattern), Contract.registration_number.like(pattern), seller)
    number = q.lstrip("#")
    return or_(found, Contract.id == int(number)) if number.isdigit() and len(number) < 10 else found


def for_approval_by(user):
    """The condition "a registration or change of this contract waits for a second reviewer, and the user did not
    propose it" (no one approves their own proposal)."""
    return (
        select(RegistrationProposal.id)
        .where(
            RegistrationProposal.contract_id == Contract.id,
            RegistrationProposal.status == "pending",
            RegistrationProposal.proposed_by_id != user.id,
        )
        .exists()
    )


def queue_contracts(
    user,
    statuses: tuple[str, ...],
    filters: ContractFilters,
    cursor: str | None = None,
    limit: int = 50,
    approver=None,
) -> tuple[list[Contract], str | None]:
    """One page of the filings the user may see, by due date (none last) then id, and the next page's cursor;
    with `approver`, only those waiting for that user's approval.

    list_contracts pages newest first by id; a queue is read in due-date order across pages, with the same
    visibility rule and the same filters."""
    query = visible_contracts(user).where(Contract.status.in_(statuses))
    if approver is not None:
        query = query.where(for_approval_by(approver))
    if filters.category:
        query = query.where(Contract.category == filters.category)
    if filters.q:
        query = query.where(_search(filters.q))
    query = apply_queue_filters(query, filters)
    after = _after(cursor)
    if after is not None:
        query = query.where(after)
    query = query.options(*LIST_ROW_LOAD).order_by(Contract.due_on.is_(None), Contract.due_on, Contract.id)
    query = query.limit(limit + 1)
    rows = list(db.session.scalars(query))
    return rows[:limit], (cursor_after(rows[limit - 1]) if len(rows) > limit else None)


def queue_counts(user, soon_days: int = 7) -> dict[str, int]:
    """Undecided, overdue and due-soon filings the user may see, those awaiting a second reviewer, and those
    awaiting this user's approval (the queue's headline)."""
    undecided = visible_contracts(user).where(Contract.status.in_(workflow.UNDECIDED)).subquery()
    today = today_local()
    row = db.session.execute(
        select(
            func.count(),
            func.count().filter(undecided.c.due_on < today),
            func.count().filter(undecided.c.due_on <= today + timedelta(days=soon_days)),
            func.count().filter(undecided.c.status == "submitted"),
        ).select_from(undecided)
    ).one()
    waiting = db.session.scalar(
        select(func.count()).select_from(visible_contracts(user).where(awaiting_approval()).subquery())
    )
    mine = db.session.scalar(
        select(func.count()).select_from(visible_contracts(user).where(for_approval_by(user)).subquery())
    )
    return {
        "undecided": row[0],
        "overdue": row[1],
        "due_week": row[2],
        "to_accept": row[3],
        "awaiting_approval": waiting,
        "to_approve": mine,
    }
