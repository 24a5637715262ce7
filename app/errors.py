"""Domain exceptions, and the one handler that maps them (and HTTP errors) to problem+json or an HTML page."""
from __future__ import annotations

from dataclasses import dataclass, field

from flask import Flask, Response, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from app.web.i18n import t


@dataclass
class FieldError:
    """One field-level problem: stable code, dotted field path, message in the request's language."""

    code: str
    field: str | None
    message: str

    def as_dict(self) -> dict:
        return {"code": self.code, "field": self.field, "message": self.message}


class DomainError(Exception):
    """Base of the errors services raise; each maps to one HTTP status."""

    status = 400
    code = "error"

    def __init__(self, detail: str = "", errors: list[FieldError] | None = None):
        super().__init__(detail)
        self.detail = detail
        self.errors = errors or []


class NotFound(DomainError):
    """The resource does not exist, or the caller may not know that it does."""

    status = 404
    code = "not_found"


class Forbidden(DomainError):
    """The caller may see the resource but not take this action."""

    status = 403
    code = "forbidden"


class Conflict(DomainError):
    """The action does not fit the resource's current state."""

    status = 409
    code = "conflict"


class ValidationFailed(DomainError):
    """The input is malformed or the filing has blocking findings."""

    status = 422
    code = "validation_failed"


class UnsupportedMediaType(DomainError):
    """A request body of a media type the endpoint does not read."""

    status = 415
    code = "unsupported_media_type"


class PayloadTooLarge(DomainError):
    """An upload over the configured size limit."""

    status = 413
    code = "payload_too_large"


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
        400: t("Bad request"), 401: t("Sign-in required"), 403: t("Not allowed"), 404: t("Not found"),
        405: t("Method not allowed"), 409: t("Conflict"), 413: t("File too large"),
        415: t("Unsupported media type"),
        422: t("The input has errors"), 429: t("Too many requests"), 500: t("Internal error"),
    }
    return titles.get(status, t("Error"))


def problem_for(status: int, detail: str = "", errors: list[FieldError] | None = None, code: str = "") -> Response:
    """Render a problem as JSON or as an HTML page, depending on the client."""
    problem = Problem(
        status=status, title=_title(status), detail=detail,
        type=f"urn:tcr:problem:{code}" if code else "about:blank",
        errors=[e.as_dict() for e in errors or []],
    )
    if wants_json():
        return problem.response()
    html = render_template("errors/problem.html", problem=problem)
    return Response(html, status=status, mimetype="text/html")


def init_errors(app: Flask) -> None:
    """Register the handlers."""

    @app.errorhandler(DomainError)
    def handle_domain(error: DomainError):
        return problem_for(error.status, error.detail, error.errors, error.code)

    @app.errorhandler(RequestEntityTooLarge)
    def handle_too_large(error):
        limit = app.config["MAX_UPLOAD_BYTES"] // (1024 * 1024)
        return problem_for(413, t("The upload exceeds the limit of %(mib)s MiB.", mib=limit), code="payload_too_large")

    @app.errorhandler(CSRFError)
    def handle_csrf(error):
        return problem_for(400, t("The form has expired or did not come from this site. Reload the page and try "
                                  "again."), code="csrf")

    @app.errorhandler(HTTPException)
    def handle_http(error: HTTPException):
        messages = (getattr(error, "data", None) or {}).get("messages")
        if error.code == 422 and messages:  # webargs/flask-smorest schema validation
            from app.schemas.errors import flatten

            return problem_for(422, t("The input has errors."), flatten(messages), code="validation_failed")
        detail = error.description if error.code not in (500,) else ""
        return problem_for(error.code or 500, detail or "", code="http")

    @app.errorhandler(Exception)
    def handle_unexpected(error: Exception):
        app.logger.exception("unhandled error")
        from app.extensions import db

        db.session.rollback()
        return problem_for(500, t("Something went wrong on our side; nothing was saved."), code="internal")
