"""Pages of a registration station: the reviewer's queue (here), the review page with one form per decision
(decisions.py), and what those pages show beyond the stored facts (display.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from flask import render_template, request
from flask_login import current_user

from app.auth.permissions import Permission, require
from app.domain import catalogue as cat
from app.domain import workflow
from app.domain.clock import today_local
from app.errors import ValidationFailed
from app.filing.services import contracts
from app.requests import services as contract_requests
from app.review.services import queue as review_queue
from app.review.views.blueprint import bp
from app.review.views.decisions import render_review
from app.review.views.display import TEMPLATE_GLOBALS, deadline_of
from app.review.views.parsing import parse_amount, parse_date

__all__ = ["PAGE_SIZE", "TEMPLATE_GLOBALS", "bp", "deadline_of", "render_review"]

PAGE_SIZE = 50
WEEK = 7
UNDECIDED = workflow.UNDECIDED
QUEUE_STATUSES = tuple(s for s in cat.STATUSES if s != "draft")
APPROVAL = "approval"  # the queue of registrations and changes awaiting a second reviewer
TO_APPROVE = "to_approve"  # those of them the viewer may approve (proposed by someone else)
APPROVAL_PREVIEW = 5  # how many of them the queue page lists above its table
PSEUDO_STATUSES = ("all", APPROVAL, TO_APPROVE)


@dataclass
class Queue:
    """What the queue is narrowed by (the query string, parsed), and what could not be read."""

    status: str = ""  # "" = the undecided ones; "all"; "approval" (awaiting a second reviewer); "to_approve"
    # (awaiting the viewer's approval); or one status
    filters: contracts.ContractFilters | None = None
    invalid: tuple[str, ...] = ()

    @property
    def statuses(self) -> tuple[str, ...]:
        if self.status == "all":
            return QUEUE_STATUSES
        if self.status in (APPROVAL, TO_APPROVE):
            return ("accepted", "registered")
        return (self.status,) if self.status in QUEUE_STATUSES else UNDECIDED

    def args(self) -> dict:
        """The query string that reproduces these filters (for paging links)."""
        f = self.filters
        args = {
            "status": self.status,
            "category": f.category,
            "q": f.q,
            "due_before": f.due_before,
            "amount_min": f.amount_min,
            "amount_max": f.amount_max,
            "overdue": "1" if f.overdue else None,
        }
        return {k: v for k, v in args.items() if v not in (None, "")}


def queue_from_args(args) -> Queue:
    """The queue's filters from the query string; unreadable values are dropped and marked."""
    invalid, parsed = [], {}
    for name, parse in (("due_before", parse_date), ("amount_min", parse_amount), ("amount_max", parse_amount)):
        text = (args.get(name) or "").strip()
        if text:
            try:
                parsed[name] = parse(text) if name == "due_before" else parse(text, name)
            except (ValueError, ValidationFailed):
                invalid.append(name)
    status = args.get("status") or ""
    filters = contracts.ContractFilters(
        category=args.get("category") if args.get("category") in cat.CATEGORIES else None,
        q=(args.get("q") or "").strip()[:100] or None,
        overdue=True if args.get("overdue") else None,
        awaiting_approval=True if status in (APPROVAL, TO_APPROVE) else None,
        **parsed,
    )
    return Queue(status if status in QUEUE_STATUSES or status in PSEUDO_STATUSES else "", filters, tuple(invalid))


def _awaiting_my_approval(count: int) -> list:
    """The first few filings waiting for the viewer's approval, listed above the queue (none: not queried)."""
    if not count:
        return []
    items, _ = review_queue.queue_contracts(
        current_user, ("accepted", "registered"), contracts.ContractFilters(), None, APPROVAL_PREVIEW, current_user
    )
    return items


@bp.route("/queue")
@require(Permission.CONTRACT_REVIEW)
def queue():
    """The station's filings, the undecided ones by default, the most urgent first."""
    chosen = queue_from_args(request.args)
    cursor = request.args.get("cursor") or None
    approver = current_user if chosen.status == TO_APPROVE else None
    items, next_cursor = review_queue.queue_contracts(
        current_user, chosen.statuses, chosen.filters, cursor, PAGE_SIZE, approver
    )
    counts = review_queue.queue_counts(current_user, WEEK)
    return render_template(
        "station/queue.html",
        to_approve=_awaiting_my_approval(counts["to_approve"]),
        requests_pending=contract_requests.pending_for_station(current_user.station_id),
        items=items,
        queue=chosen,
        cursor=cursor,
        next_cursor=next_cursor,
        counts=counts,
        statuses=QUEUE_STATUSES,
        week_end=today_local() + timedelta(days=WEEK),
    )
