"""Domain exceptions: what a service raises when a request cannot be done. app/problems.py turns them into answers."""

from __future__ import annotations

from dataclasses import dataclass


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

    def __init__(self, detail: str = "", errors: list[FieldError] | None = None, *, keep_changes: bool = False):
        super().__init__(detail)
        self.detail = detail
        self.errors = errors or []
        # What the service wrote before refusing is kept (the findings of a refused submission, which the applicant
        # reads next); otherwise the whole request is undone.
        self.keep_changes = keep_changes


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


class StoredFileUnavailable(DomainError):
    """A stored file is missing or its bytes no longer match their SHA-256: nothing is served instead."""

    status = 503
    code = "stored_file_unavailable"
