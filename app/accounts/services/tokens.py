"""API tokens: created once and shown once, stored as SHA-256, revocable."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.audit.services import audit
from app.errors import NotFound, ValidationFailed
from app.extensions import db
from app.i18n import t
from app.models import ApiToken, User
from app.models.base import utcnow

TOKEN_PREFIX = "tcr_"
TOKEN_SCOPES = ("tax:pii",)  # grants beyond the role: personal ID numbers in clear in the tax feed
LAST_USED_RESOLUTION = timedelta(minutes=1)  # record use at most once a minute: no write on every request


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_token(user: User, name: str, scopes: list[str] | tuple[str, ...] = ()) -> tuple[ApiToken, str]:
    """A new token for the user; returns the row and the plain token, which is never stored."""
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise ValidationFailed(t("Give the token a name of at most 100 characters."))
    scopes = sorted(set(scopes or ()))
    unknown = [scope for scope in scopes if scope not in TOKEN_SCOPES]
    if unknown:
        raise ValidationFailed(t("Unknown token scope: %(scopes)s", scopes=", ".join(unknown)))
    plain = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user=user, name=name, token_hash=_digest(plain), prefix=plain[:10], scopes=scopes)
    db.session.add(token)
    db.session.flush()
    audit.record(
        user, "token.create", "api_token", token.id, None, {"name": name, "prefix": token.prefix, "scopes": scopes}
    )
    return token, plain


def authenticate(plain: str) -> User | None:
    """The active user owning this unrevoked token, or None."""
    token = authenticate_token(plain)
    return None if token is None else token.user


def authenticate_token(plain: str) -> ApiToken | None:
    """The unrevoked token of an active user (its scopes matter to the caller), or None."""
    if not plain.startswith(TOKEN_PREFIX):
        return None
    token = db.session.scalars(
        select(ApiToken).options(joinedload(ApiToken.user)).where(ApiToken.token_hash == _digest(plain))
    ).first()
    if token is None or token.revoked_at is not None or not token.user.active:
        return None
    now = utcnow()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        token.last_used_at = now
    return token


def revoke(user: User, token_id: int) -> ApiToken:
    """Revoke one of the user's own tokens."""
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id:
        raise NotFound("token not found")
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        audit.record(user, "token.revoke", "api_token", token.id, {"revoked": False}, {"revoked": True})
    return token
