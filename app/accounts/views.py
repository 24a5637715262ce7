"""Pages: sign up, log in and out, and one's own API tokens."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user

from app import transaction
from app.accounts.services import accounts, password_reset, sessions, tokens
from app.auth.limits import (
    login_limits,
    password_change_limits,
    password_reset_limits,
    reset_link_limits,
    signup_limits,
)
from app.auth.permissions import Permission, has_permission, require, signed_in
from app.auth.session import SESSION_KEY
from app.errors import DomainError, FieldError, ValidationFailed
from app.i18n import t
from app.web.templating import reads_contracts

bp = Blueprint("account", __name__)

SIGNUP_FIELDS = ("email", "name", "org_name", "credit_code", "area_code", "nature")
PLACED_FIELDS = SIGNUP_FIELDS + ("password", "licence")


def safe_next(target: str | None) -> str | None:
    """A path on this site to return to after log-in; anything that could leave the site is dropped."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target or any(ord(ch) < 32 or ch == "\x7f" for ch in target):
        return None  # browsers read "/\evil" as "//evil", and control characters are stripped before parsing
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target


# Where each role starts its day after signing in: its own work, not the home page.
LANDING_PAGES = (
    (Permission.CONTRACT_FILE, "applicant.contracts"),
    (Permission.CONTRACT_REVIEW, "station.queue"),
    (Permission.STATION_SUPERVISE, "stats.dashboard_page"),
    (Permission.TAX_READ, "tax.home"),
)


def _landing() -> str:
    """Where a signed-in user starts: an applicant at the contracts, a reviewer at the queue, the bureau at the
    statistics dashboard, a tax officer at the tax office's page."""
    for permission, endpoint in LANDING_PAGES:
        if has_permission(current_user, permission):
            return url_for(endpoint)
    return url_for("applicant.contracts") if reads_contracts() else url_for("public.home")


# What an account that must change its password may still reach: the password page, signing out, and the files
# the pages need. The API is not held up: a token (or a session call) keeps working, the password is the browser's.
PASSWORD_CHANGE_OPEN = frozenset({"account.password", "account.logout", "static", "bootstrap.static"})


@bp.before_app_request
def _require_password_change():
    """An account made by someone else (the bureau, `flask users create`) first chooses its own password: every
    page sends it to the password page, with the reason, until it has done so."""
    if not (current_user.is_authenticated and current_user.must_change_password):
        return None
    if request.endpoint in PASSWORD_CHANGE_OPEN or request.path.startswith("/api/"):
        return None
    reason = t("Your account was created for you: choose your own password before you go on.")
    if reason not in (message for _, message in session.get("_flashes", [])):
        flash(reason, "warning")
    return redirect(url_for("account.password"))


def _fresh_cookie() -> None:
    """An empty session cookie that keeps only the language choice."""
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang


def _start_session(user) -> None:
    """A fresh session for the signed-in user, backed by a server-side record (written in the request's one
    transaction with the account's changes, so a failure leaves nothing half done)."""
    session_id = sessions.start_session(user)
    _fresh_cookie()
    session[SESSION_KEY] = session_id
    login_user(user)


def _errors_by_field(errors) -> tuple[dict[str, list[str]], list[str]]:
    placed: dict[str, list[str]] = {}
    general = []
    for error in errors:
        if error.field in PLACED_FIELDS:
            placed.setdefault(error.field, []).append(error.message)
        else:
            general.append(error.message)
    return placed, general


def _licence_upload() -> tuple | None:
    """The optional business-licence file of the sign-up form as (stream, filename)."""
    upload = request.files.get("licence")
    if upload is None or not upload.filename:
        return None
    return upload.stream, upload.filename


@bp.route("/signup", methods=["GET", "POST"])
@signup_limits
def signup():
    """An enterprise's applicant account. A valid form always leads to "check your e-mail", whether or not the
    address has an account, so the page never tells who is registered."""
    if request.method == "GET":
        return render_template("account/signup.html", values={}, errors={}, general=[])
    values = {name: request.form.get(name, "").strip() for name in SIGNUP_FIELDS}
    try:
        accounts.sign_up(
            values["email"],
            request.form.get("password", ""),
            values["name"],
            values["org_name"],
            values["credit_code"],
            values["area_code"] or None,
            values["nature"] or None,
            licence=_licence_upload(),
        )
    except DomainError as error:
        transaction.refused(error)
        errors, general = _errors_by_field(error.errors)
        if not error.errors:
            general.append(error.detail)
        return render_template("account/signup.html", values=values, errors=errors, general=general), error.status
    return redirect(url_for("account.signup_sent"))


@bp.route("/signup/sent")
def signup_sent():
    """Check your e-mail: the same page for every sign-up."""
    return render_template("account/signup_sent.html")


@bp.route("/activate/<token>", methods=["GET", "POST"])
def activate(token: str):
    """The e-mailed link: a GET shows a button (mail scanners follow links), the POST activates and signs in."""
    if accounts.pending_activation(token) is None:
        return render_template("account/activate.html", valid=False), 404
    if request.method == "GET":
        return render_template("account/activate.html", valid=True, token=token)
    user = accounts.activate(token)
    _start_session(user)
    flash(
        t("Your account is active. Your organisation is confirmed after its business licence has been checked."),
        "success",
    )
    return redirect(url_for("claims.own_claim"))


@bp.route("/login", methods=["GET", "POST"])
@login_limits
def login():
    """E-mail and password; one message for every failure, so the page does not reveal who has an account."""
    next_url = safe_next(request.values.get("next"))
    if request.method == "GET":
        return render_template("account/login.html", email="", next_url=next_url, failed=False)
    email = request.form.get("email", "").strip()
    user = accounts.authenticate(email, request.form.get("password", ""))
    if user is None:  # a failed sign-in writes nothing
        return render_template("account/login.html", email=email, next_url=next_url, failed=True)
    _start_session(user)
    return redirect(next_url or _landing())


@bp.route("/logout", methods=["POST"])
def logout():
    """End the session on the server too (a POST with the CSRF token, so no other site can sign a user out)."""
    session_id = session.get(SESSION_KEY)
    if isinstance(session_id, str):
        sessions.end_session(session_id)
    logout_user()
    _fresh_cookie()
    flash(t("You have signed out."), "info")
    return redirect(url_for("public.home"))


@bp.route("/account/password", methods=["GET", "POST"])
@signed_in
@password_change_limits
def password():
    """Change one's password: every session of the account ends, this browser continues in a new one."""
    if request.method == "GET":
        return render_template("account/password.html", errors={})
    new_password = request.form.get("new_password", "")
    try:
        if new_password != request.form.get("confirm_password", ""):
            raise ValidationFailed(
                t("The password has not been changed."),
                [FieldError("password.mismatch", "confirm_password", t("The two new passwords differ."))],
            )
        accounts.change_password(current_user, request.form.get("current_password", ""), new_password)
    except DomainError as error:
        transaction.refused(error)
        errors: dict[str, list[str]] = {}
        for item in error.errors:
            errors.setdefault(item.field, []).append(item.message)
        return render_template("account/password.html", errors=errors), 422
    _start_session(current_user._get_current_object())
    flash(t("Your password has been changed. You have been signed out everywhere else."), "success")
    return redirect(url_for("account.password"))


@bp.route("/password/forgot", methods=["GET", "POST"])
@password_reset_limits
def forgot_password():
    """Ask for a reset link: the same answer whether or not the address has an account."""
    if request.method == "GET":
        return render_template("account/forgot.html", email="", sent=False)
    email = request.form.get("email", "").strip()
    password_reset.request_reset(email)
    return render_template("account/forgot.html", email=email, sent=True)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
@reset_link_limits
def reset_password(token: str):
    """The e-mailed link: choose a new password; every session of the account ends, then sign in again."""
    user = password_reset.user_for_reset(token)
    if user is None:
        return render_template("account/reset.html", valid=False, errors={}), 404
    if request.method == "GET":
        return render_template("account/reset.html", valid=True, token=token, email=user.email, errors={})
    new_password = request.form.get("new_password", "")
    try:
        if new_password != request.form.get("confirm_password", ""):
            raise ValidationFailed(
                t("The password has not been changed."),
                [FieldError("password.mismatch", "confirm_password", t("The two new passwords differ."))],
            )
        password_reset.reset_password(token, new_password)
    except DomainError as error:
        transaction.refused(error)
        errors: dict[str, list[str]] = {}
        for item in error.errors:
            errors.setdefault(item.field, []).append(item.message)
        return render_template("account/reset.html", valid=True, token=token, email=user.email, errors=errors), 422
    if current_user.is_authenticated:
        logout_user()
        _fresh_cookie()
    flash(t("Your password has been changed. Sign in with the new password."), "success")
    return redirect(url_for("account.login"))


def _own_tokens():
    return sorted(current_user.tokens, key=lambda token: token.created_at, reverse=True)


@bp.route("/account/tokens", methods=["GET", "POST"])
@require(Permission.TOKEN_MANAGE)
def tokens_page():
    """List one's API tokens; a POST creates one and shows it this once."""
    if request.method == "GET":
        return render_template("account/tokens.html", tokens=_own_tokens(), plain=None, name="", error=None)
    name = request.form.get("name", "").strip()
    try:
        token, plain = tokens.create_token(current_user, name)
    except DomainError as error:
        transaction.refused(error)
        return render_template(
            "account/tokens.html", tokens=_own_tokens(), plain=None, name=name, error=error.detail
        ), 422
    # Rendered, not redirected: the plain token must never be stored, not even in the session cookie.
    response = render_template(
        "account/tokens.html", tokens=_own_tokens(), plain=plain, created=token, name="", error=None
    )
    return response, 200, {"Cache-Control": "no-store"}


@bp.route("/account/tokens/<int:token_id>/revoke", methods=["POST"])
@require(Permission.TOKEN_MANAGE)
def revoke_token(token_id: int):
    """Revoke one of one's own tokens."""
    token = tokens.revoke(current_user, token_id)
    flash(t("Token %(prefix)s… has been revoked.", prefix=token.prefix), "success")
    return redirect(url_for("account.tokens_page"))
