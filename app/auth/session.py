"""Flask-Login wiring: session users for pages (each log-in a server-side record), bearer tokens for the API."""

from __future__ import annotations

from flask import Flask, g, redirect, request, session, url_for

from app import transaction
from app.accounts.services import sessions, tokens
from app.extensions import db, login_manager
from app.i18n import t
from app.problems import problem_for, wants_json

SESSION_KEY = "sid"  # the id of the log-in's server-side record, in the signed session cookie


def init_login(app: Flask) -> None:
    """Load users from the session cookie or from an Authorization: Bearer header."""
    login_manager.init_app(app)
    login_manager.login_view = "account.login"
    login_manager.session_protection = "strong"

    @login_manager.user_loader
    def load_user(user_id: str):
        # Only a cookie whose log-in record is still live counts: log-out, a password change or disabling the
        # account revoke it. A remember-me cookie carries no record id, so it can never bring a session back.
        session_id = session.get(SESSION_KEY)
        if not user_id.isdigit() or not isinstance(session_id, str):
            return None
        return sessions.load_user(int(user_id), session_id)

    @login_manager.request_loader
    def load_from_token(request):
        header = request.headers.get("Authorization", "")
        if not header.lower().startswith("bearer "):
            return None
        token = tokens.authenticate_token(header[7:].strip())
        user = None if token is None else token.user
        if user is not None:
            g.auth_method = "token"
            g.api_token = token  # its scopes (e.g. "tax:pii") widen what this request may see
            if db.session.dirty:  # last_used_at moved: record it before the request's own work begins
                transaction.commit_so_far()
        return user

    @login_manager.unauthorized_handler
    def unauthorized():
        if wants_json():
            return problem_for(401, t("Sign in or send a valid API token."), code="unauthorized")
        return redirect(url_for("account.login", next=request.full_path.rstrip("?")))
