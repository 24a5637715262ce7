"""Rate-limit keys for the forms that guess at accounts: per client address and account name, with a looser
ceiling per address, so that one client behind a shared address (an office, a proxy) cannot lock out the others.

The client address is request.remote_addr: X-Forwarded-For counts only through TCR_PROXY_COUNT's ProxyFix."""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from flask import current_app, request
from flask.wrappers import Response
from flask_login import current_user

from app.extensions import limiter


def client_address() -> str:
    """The client's address as the (configured) proxies report it."""
    return request.remote_addr or "unknown"


def address_and_field(field: str) -> Callable[[], str]:
    """A key function: the client address and the (hashed, case-folded) value of a form field."""

    def key() -> str:
        value = request.form.get(field, "").strip().casefold()[:254]
        digest = hashlib.sha256(value.encode("utf-8")).hexdigest()[:32]  # no e-mail addresses in the store
        return f"{client_address()}|{field}:{digest}"

    return key


def did_not_sign_in(response: Response) -> bool:
    """Count an attempt only when it failed: a successful log-in (or password change) answers with a redirect."""
    return response.status_code != 302


def login_limits(view):
    """The log-in form's limits (POSTs only, failed attempts only): TCR_LOGIN_RATE_LIMIT per address and
    account, TCR_LOGIN_ADDRESS_RATE_LIMIT per address."""
    per_account = limiter.limit(
        lambda: current_app.config["LOGIN_RATE_LIMIT"],
        key_func=address_and_field("email"),
        methods=["POST"],
        deduct_when=did_not_sign_in,
        scope="login-account",
    )
    per_address = limiter.limit(
        lambda: current_app.config["LOGIN_ADDRESS_RATE_LIMIT"],
        key_func=client_address,
        methods=["POST"],
        deduct_when=did_not_sign_in,
        scope="login-address",
    )
    return per_address(per_account(view))


def signup_limits(view):
    """The sign-up form's limits (POSTs only): TCR_SIGNUP_RATE_LIMIT per address and e-mail (no mailbox is flooded
    with activation links), TCR_SIGNUP_ADDRESS_RATE_LIMIT per address (a looser ceiling, so that colleagues behind
    one office address can still sign up while one of them is held)."""
    per_email = limiter.limit(
        lambda: current_app.config["SIGNUP_RATE_LIMIT"],
        key_func=address_and_field("email"),
        methods=["POST"],
        scope="signup-email",
    )
    per_address = limiter.limit(
        lambda: current_app.config["SIGNUP_ADDRESS_RATE_LIMIT"],
        key_func=client_address,
        methods=["POST"],
        scope="signup-address",
    )
    return per_address(per_email(view))


def password_reset_limits(view):
    """The forgotten-password form's limits, as sign-up's (POSTs only): TCR_SIGNUP_RATE_LIMIT per address and
    e-mail (no mailbox is flooded with reset links), TCR_SIGNUP_ADDRESS_RATE_LIMIT per address."""
    per_email = limiter.limit(
        lambda: current_app.config["SIGNUP_RATE_LIMIT"],
        key_func=address_and_field("email"),
        methods=["POST"],
        scope="reset-email",
    )
    per_address = limiter.limit(
        lambda: current_app.config["SIGNUP_ADDRESS_RATE_LIMIT"],
        key_func=client_address,
        methods=["POST"],
        scope="reset-address",
    )
    return per_address(per_email(view))


def reset_link_limits(view):
    """Failed POSTs to a reset link (the link itself is signed, so this only slows a client that keeps trying):
    TCR_LOGIN_ADDRESS_RATE_LIMIT per address."""
    return limiter.limit(
        lambda: current_app.config["LOGIN_ADDRESS_RATE_LIMIT"],
        key_func=client_address,
        methods=["POST"],
        deduct_when=did_not_sign_in,
        scope="reset-link",
    )(view)


def _signed_in_user() -> str:
    return f"user:{current_user.get_id()}"


def password_change_limits(view):
    """Guesses at the current password from a signed-in session: TCR_LOGIN_RATE_LIMIT per account."""
    return limiter.limit(
        lambda: current_app.config["LOGIN_RATE_LIMIT"],
        key_func=_signed_in_user,
        methods=["POST"],
        deduct_when=did_not_sign_in,
        scope="password-change",
    )(view)
