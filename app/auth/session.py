"""Flask-Login wiring: session users for pages, bearer tokens for the API."""
from __future__ import annotations

from flask import Flask, g

from app.extensions import db, login_manager
from app.models import User


def init_login(app: Flask) -> None:
    """Load users from the session cookie or from an Authorization: Bearer header."""
    from app.services import tokens

    login_manager.init_app(app)
    login_manager.login_view = "account.login"
    login_manager.session_protection = "strong"

    @login_manager.user_loader
    def load_user(user_id: str):
        user = db.session.get(User, int(user_id)) if user_id.isdigit() else None
        return user if user is not None and user.active else None

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
                db.session.commit()
        return user

    @login_manager.unauthorized_handler
    def unauthorized():
        from flask import redirect, request, url_for

        from app.errors import problem_for, wants_json
        from app.web.i18n import t

        if wants_json():
            return problem_for(401, t("Sign in or send a valid API token."), code="unauthorized")
        return redirect(url_for("account.login", next=request.full_path.rstrip("?")))
