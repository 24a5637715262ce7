"""Every extension, created unbound and initialised in the application factory (Babel lives in app/i18n.py)."""

from __future__ import annotations

import http

from flask import session
from flask_bootstrap import Bootstrap5
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_smorest import Api
from flask_smorest.utils import prepare_response
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect

from app.models.base import Base
from app.schemas.problem import PROBLEM_MEDIA_TYPE, ProblemOut


class ProblemApi(Api):
    """flask-smorest's Api, its error responses documented as app/errors.py sends them: problem+json.

    No catch-all `default` response: each operation lists the statuses it can answer, so a client (and the
    schema test) learns of an undocumented status."""

    ERROR_SCHEMA = ProblemOut
    DEFAULT_ERROR_RESPONSE_NAME = None

    def _register_responses(self):
        for status in http.HTTPStatus:
            response = {"description": status.phrase}
            content_type = self.DEFAULT_RESPONSE_CONTENT_TYPE
            if status >= 400:
                response["schema"], content_type = self.ERROR_SCHEMA, PROBLEM_MEDIA_TYPE
            prepare_response(response, self.spec, content_type)
            self.spec.components.response(status.name, response, lazy=True)


db = SQLAlchemy(model_class=Base)
migrate = Migrate()


class VisitorSafeLoginManager(LoginManager):
    """Flask-Login's "strong" session protection, for signed-in sessions only. Flask-Login also applies it to a
    visitor's session (the language chosen, a form's CSRF token): it finds no identifier there and rewrites the
    cookie on every request, so a response that reads the old cookie (the favicon fetched beside a form page) can
    overwrite the token the form page has just stored, and the form then fails as "expired"."""

    def _session_protection_failed(self):
        if "_user_id" not in session:
            return False
        return super()._session_protection_failed()


login_manager = VisitorSafeLoginManager()
csrf = CSRFProtect()
bootstrap = Bootstrap5()
limiter = Limiter(key_func=get_remote_address, default_limits=[])
api = ProblemApi()


def dialect_insert(table):
    """An INSERT for the session's database, with its ON CONFLICT clauses (PostgreSQL's or SQLite's)."""
    from sqlalchemy.dialects import postgresql, sqlite

    return (postgresql.insert if db.session.get_bind().dialect.name == "postgresql" else sqlite.insert)(table)
