"""A forgotten password: a time-limited link by e-mail that works once. The link is signed (nothing is stored) and
carries a fingerprint of the account's current password hash, so it stops working as soon as the password
changes; a reset ends every session of the account."""

from __future__ import annotations

import hashlib

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer

from app import mail
from app.accounts.services import accounts
from app.accounts.services.accounts import user_by_email
from app.audit.services import audit
from app.errors import NotFound
from app.extensions import db
from app.i18n import t
from app.models import User

RESET_MINUTES = 60
_SALT = "tcr.password-reset"


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=_SALT)


def _fingerprint(user: User) -> str:
    """Changes whenever the password does: what makes a used link useless."""
    return hashlib.sha256(user.password_hash.encode("utf-8")).hexdigest()[:32]


def request_reset(email: str) -> None:
    """E-mail a reset link to an active account with this address; for any other address nothing happens, and the
    caller answers the same either way (the page never tells who has an account)."""
    user = user_by_email(email.strip().lower())
    if user is None or not user.active:
        return
    token = _serializer().dumps({"user": user.id, "password": _fingerprint(user)})
    mail.notify_user(user.email, "password_reset", user=user, token=token, minutes=RESET_MINUTES)
    audit.record(user, "user.password_reset_requested", "user", user.id, None, None)


def user_for_reset(token: str) -> User | None:
    """The active account whose password this link may still reset: None when forged, expired or used."""
    try:
        payload = _serializer().loads(token or "", max_age=RESET_MINUTES * 60)
    except BadSignature:  # SignatureExpired is a BadSignature too
        return None
    if not isinstance(payload, dict) or not isinstance(payload.get("user"), int):
        return None
    user = db.session.get(User, payload["user"])
    if user is None or not user.active or payload.get("password") != _fingerprint(user):
        return None
    return user


def reset_password(token: str, new_password: str) -> User:
    """Set a new password through the e-mailed link; the link is spent and every session of the account ends."""
    user = user_for_reset(token)
    if user is None:
        raise NotFound(t("This password reset link is not valid, has been used or has expired."))
    accounts.set_own_password(user, new_password, "user.password_reset")
    return user
