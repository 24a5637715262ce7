"""Server-side session records: one row per log-in, checked on every request, revoked on log-out,
on a password change and when an account is disabled."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from flask import current_app
from sqlalchemy import delete, or_, select, update

from app.extensions import db
from app.models import User, UserSession
from app.models.base import utcnow


def _digest(session_id: str) -> str:
    return hashlib.sha256(session_id.encode("utf-8")).hexdigest()


def _not_before() -> datetime:
    """Rows older than the signed cookie's own lifetime can have no valid cookie left."""
    return utcnow() - current_app.permanent_session_lifetime


def start_session(user: User) -> str:
    """A new session for the user; returns its id for the signed cookie (only its hash is stored).
    The user's revoked and expired rows go on the way, so the table does not grow with every log-in."""
    db.session.execute(
        delete(UserSession).where(
            UserSession.user_id == user.id,
            or_(UserSession.revoked_at.is_not(None), UserSession.created_at < _not_before()),
        )
    )
    session_id = secrets.token_urlsafe(32)
    db.session.add(UserSession(user_id=user.id, token_hash=_digest(session_id)))
    db.session.flush()
    return session_id


def load_user(user_id: int, session_id: str) -> User | None:
    """The active user of this live session (one query), or None: revoked, expired, disabled or unknown."""
    return db.session.scalars(
        select(User)
        .join(UserSession, UserSession.user_id == User.id)
        .where(
            UserSession.token_hash == _digest(session_id),
            UserSession.user_id == user_id,
            UserSession.revoked_at.is_(None),
            UserSession.created_at >= _not_before(),
            User.active.is_(True),
        )
    ).first()


def end_session(session_id: str) -> None:
    """Revoke one session (log-out): its cookie, replayed, finds no live row."""
    db.session.execute(
        update(UserSession)
        .where(UserSession.token_hash == _digest(session_id), UserSession.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )


def end_sessions(user: User) -> int:
    """Revoke every session of the user (password changed, account disabled); returns how many were live."""
    result = db.session.execute(
        update(UserSession)
        .where(UserSession.user_id == user.id, UserSession.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
    return result.rowcount or 0
