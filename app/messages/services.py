"""Messages to users: written with the e-mail that carries the same notice, listed, opened and marked read.

app/mail.py is the one place that queues a notice; it calls `deliver` here for each account the notice is for."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select, update

from app.auth.permissions import can_view
from app.errors import NotFound
from app.extensions import db
from app.models import Contract, Message, User
from app.models.base import utcnow

PER_PAGE = 20
MAX_PER_PAGE = 200


@dataclass(frozen=True)
class MessagePage:
    """One page of a user's messages, newest first, with the counts a pager and a badge need."""

    items: list[Message]
    page: int
    per_page: int
    total: int
    unread: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def deliver(
    user: User, event: str, subject: str, body: str, link: str | None = None, contract_id: int | None = None
) -> Message:
    """Put a notice in the user's message centre (in the current transaction, like the e-mail beside it)."""
    message = Message(
        user_id=user.id, event=event, subject=subject[:300], body=body, link=link, contract_id=contract_id
    )
    db.session.add(message)
    return message


def account_at(address: str) -> User | None:
    """The account an e-mail address belongs to, if any."""
    return db.session.scalars(select(User).where(User.email == address.strip().lower())).first()


def organisation_readers(contract: Contract) -> list[User]:
    """The filing organisation's active accounts that see the contract: those that speak for the organisation,
    and the account that filed it (an unconfirmed account sees only its own filings, app/auth/permissions.py)."""
    if contract.organisation_id is None:
        return []
    candidates = db.session.scalars(
        select(User)
        .where(User.organisation_id == contract.organisation_id, User.role == "applicant", User.active.is_(True))
        .order_by(User.id)
    )
    return [user for user in candidates if can_view(user, contract)]


def station_reviewers(contract: Contract) -> list[User]:
    """The active reviewers of the station the contract is routed to."""
    if contract.station_id is None:
        return []
    return list(
        db.session.scalars(
            select(User)
            .where(User.station_id == contract.station_id, User.role == "reviewer", User.active.is_(True))
            .order_by(User.id)
        )
    )


def unread_count(user: User) -> int:
    """How many of the user's messages are unread: one COUNT on an index, cheap enough for every page's header."""
    return db.session.scalar(
        select(func.count(Message.id)).where(Message.user_id == user.id, Message.read_at.is_(None))
    )


def page_of(user: User, page: int = 1, per_page: int = PER_PAGE, unread_only: bool = False) -> MessagePage:
    """One page of the user's messages, newest first (unread ones only on request)."""
    page, per_page = max(1, page), min(max(1, per_page), MAX_PER_PAGE)
    mine = select(Message).where(Message.user_id == user.id)
    if unread_only:
        mine = mine.where(Message.read_at.is_(None))
    total = db.session.scalar(select(func.count()).select_from(mine.subquery()))
    items = db.session.scalars(
        mine.order_by(Message.created_at.desc(), Message.id.desc()).offset((page - 1) * per_page).limit(per_page)
    ).all()
    return MessagePage(list(items), page, per_page, total, unread_count(user))


def _own(user: User, message_id: int) -> Message:
    """The user's own message; another user's is a 404 that does not tell it exists."""
    message = db.session.get(Message, message_id)
    if message is None or message.user_id != user.id:
        raise NotFound("message not found")
    return message


def mark_read(user: User, message_id: int) -> Message:
    """Open one of the user's messages: it counts as read from now on (reading it again changes nothing)."""
    message = _own(user, message_id)
    if message.read_at is None:
        message.read_at = utcnow()
        db.session.flush()
    return message


def mark_all_read(user: User) -> int:
    """Mark every unread message of the user read; returns how many there were."""
    result = db.session.execute(
        update(Message)
        .where(Message.user_id == user.id, Message.read_at.is_(None))
        .values(read_at=utcnow())
        .execution_options(synchronize_session="fetch")
    )
    return result.rowcount
