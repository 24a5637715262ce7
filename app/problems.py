"""The one handler that maps domain errors, HTTP errors and database outages to problem+json or an HTML page."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field

import psycopg
from flask import Flask, Response, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy import exc as sa_exc
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from app import transaction
from app.errors import DomainError, FieldError
from app.extensions import db, login_manager
from app.i18n import t
from app.schemas.errors import flatten


@dataclass
class Problem:
    """An RFC 9457 problem document."""

    status: int
    title: str
    detail: str = ""
    type: str = "about:blank"
    errors: list[dict] = field(default_factory=list)
    extra: dict = field(default_factory=dict)

    def response(self) -> Response:
        body = {"type": self.type, "title": self.title, "status": self.status, "detail": self.detail}
        if self.errors:
            body["errors"] = self.errors
        body.update(self.extra)
        resp = jsonify(body)
        resp.status_code = self.status
        resp.mimetype = "application/problem+json"
        return resp


def wants_json() -> bool:
    """API paths and clients that ask for JSON get problem+json; browsers get a page."""
    if request.path.startswith("/api/"):
        return True
    best = request.accept_mimetypes.best_match(["text/html", "application/json", "application/problem+json"])
    return best in ("application/json", "application/problem+json")


def _title(status: int) -> str:
    titles = {
        400: t("Bad request"),
        401: t("Sign-in required"),
        403: t("Not allowed"),
        404: t("Not found"),
        405: t("Method not allowed"),
        409: t("Conflict"),
        413: t("File too large"),
        415: t("Unsupported media type"),
        422: t("The input has errors"),
        429: t("Too many requests"),
        500: t("Internal error"),
        503: t("Service unavailable"),
    }
    return titles.get(status, t("Error"))


def problem_for(
    status: int, detail: str = "", errors: list[FieldError] | None = None, code: str = "", html: bool | None = None
) -> Response:
    """Render a problem as JSON or as an HTML page, depending on the client (or on `html` when given)."""
    problem = Problem(
        status=status,
        title=_title(status),
        detail=detail,
        type=f"urn:tcr:problem:{code}" if code else "about:blank",
        errors=[e.as_dict() for e in errors or []],
    )
    as_json = wants_json() if html is None else not html
    if as_json:
        return problem.response()
    page = render_template("errors/problem.html", problem=problem)
    return Response(page, status=status, mimetype="text/html")


RETRY_AFTER_SECONDS = 30
# SQLite reports a missing or unreadable database file with these (a removed file is re-created empty, hence
# "no such table"); its syntax errors and unknown columns are OperationalErrors too, and stay programming errors.
SQLITE_OUTAGES = (
    "unable to open database file",
    "disk i/o error",
    "database is locked",
    "no such table",
    "attempt to write a readonly database",
)


def database_unavailable(error: BaseException) -> bool:
    """Whether an exception means the database cannot be reached (an outage), not that the code is wrong."""
    if isinstance(error, (sa_exc.TimeoutError, psycopg.OperationalError)):  # pool exhausted; raw driver
        return True
    if not isinstance(error, sa_exc.DBAPIError):
        return False
    if error.connection_invalidated:
        return True
    if isinstance(error.orig, psycopg.OperationalError):  # refused, terminated, timed out, server shut down
        return True
    if isinstance(error.orig, sqlite3.OperationalError):
        return str(error.orig).lower().startswith(SQLITE_OUTAGES)
    return False


def unavailable_response() -> Response:
    """503 with Retry-After: problem+json for the API, a page for browsers, without touching the database."""
    detail = t("The database cannot be reached at the moment; nothing was saved. Try again in a minute.")
    if wants_json():
        response = Problem(503, _title(503), detail, "urn:tcr:problem:database_unavailable").response()
    else:
        response = Response(_unavailable_page(detail), status=503, mimetype="text/html")
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def _unavailable_page(detail: str) -> str:
    """The friendly page, rendered as if signed out: loading the account would need the database."""
    login_manager._update_request_context_with_user()  # anonymous for the rest of this request
    try:
        return render_template("errors/unavailable.html", title=_title(503), detail=detail)
    except Exception:  # a template helper still reached for the database: a plain page rather than a bare 500
        return f"<!doctype html><meta charset=utf-8><title>503</title><h1>{_title(503)}</h1><p>{detail}</p>"


def init_errors(app: Flask) -> None:
    """Register the handlers."""

    @app.errorhandler(DomainError)
    def handle_domain(error: DomainError):
        transaction.refused(error)  # nothing of a refused request is kept, unless the error keeps it
        return problem_for(error.status, error.detail, error.errors, error.code)

    @app.errorhandler(RequestEntityTooLarge)
    def handle_too_large(error):
        limit = app.config["MAX_UPLOAD_BYTES"] // (1024 * 1024)
        return problem_for(413, t("The upload exceeds the limit of %(mib)s MiB.", mib=limit), code="payload_too_large")

    @app.errorhandler(CSRFError)
    def handle_csrf(error):
        # Why (token missing, session token missing, tokens differ): the user sees one message, the log the reason.
        app.logger.warning("form refused (CSRF) on %s %s: %s", request.method, request.path, error.description)
        return problem_for(
            400, t("The form has expired or did not come from this site. Reload the page and try again."), code="csrf"
        )

    @app.errorhandler(HTTPException)
    def handle_http(error: HTTPException):
        messages = (getattr(error, "data", None) or {}).get("messages")
        if error.code == 422 and messages:  # webargs/flask-smorest schema validation
            return problem_for(422, t("The input has errors."), flatten(messages), code="validation_failed")
        detail = error.description if error.code not in (500,) else ""
        return problem_for(error.code or 500, detail or "", code="http")

    @app.errorhandler(sa_exc.DBAPIError)
    @app.errorhandler(sa_exc.TimeoutError)
    @app.errorhandler(psycopg.OperationalError)
    def handle_database(error: Exception):
        if not database_unavailable(error):
            return handle_unexpected(error)
        app.logger.error("database unavailable: %s", error, exc_info=error)
        _rollback_quietly()
        return unavailable_response()

    @app.errorhandler(Exception)
    def handle_unexpected(error: Exception):
        app.logger.exception("unhandled error")
        _rollback_quietly()
        return problem_for(500, t("Something went wrong on our side; nothing was saved."), code="internal")


def _rollback_quietly() -> None:
    """Roll the request's transaction back; with the database gone even that may fail, and must not hide why."""
    try:
        db.session.rollback()
    except (sa_exc.DBAPIError, sa_exc.TimeoutError, psycopg.Error):
        db.session().invalidate()
