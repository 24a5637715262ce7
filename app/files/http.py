"""Files at the HTTP edge, for the API and the pages alike: uploads read with a bound, and stored files as
answers: hashed against their SHA-256 before a byte is sent, and served with headers that
keep a browser from treating an upload as anything but the document it is."""

from __future__ import annotations

from flask import Response, request, send_file

from app.errors import FieldError, PayloadTooLarge, StoredFileUnavailable, ValidationFailed
from app.files.storage import get_storage, open_verified
from app.i18n import t
from app.problems import problem_for

# An upload is shown, never run: no script, no plugin, no form, no same-origin access (sandbox), nothing fetched
# (default-src 'none'), framed only by our own review page. Chromium's PDF viewer still displays it.
ATTACHMENT_CSP = "sandbox; default-src 'none'; frame-ancestors 'self'"
MAX_VERIFY_BYTES = 10 * 1024 * 1024  # a certificate PDF to verify


def send_stored(sha256: str, media_type: str, download_name: str, *, inline: bool, csp: str | None = None) -> Response:
    """The stored bytes after they were checked against `sha256` (a missing or altered file is a 503: problem+json,
    or a page for a browser's navigation), as an attachment unless `inline`, never sniffed, with `csp` if given."""
    try:
        handle, size = open_verified(get_storage(), sha256)
    except StoredFileUnavailable as error:
        return problem_for(error.status, error.detail, code=error.code, html=_browser_navigation())
    try:
        response = send_file(
            handle,
            mimetype=media_type,
            as_attachment=not inline,
            download_name=download_name,
            etag=sha256,
            conditional=False,
        )
    except BaseException:
        handle.close()
        raise
    response.content_length = size
    response.headers["X-Content-Type-Options"] = "nosniff"
    if csp:
        response.headers["Content-Security-Policy"] = csp
        response.headers["X-Frame-Options"] = "SAMEORIGIN"
    return response.make_conditional(request, accept_ranges=True, complete_length=size)


def _browser_navigation() -> bool:
    """A browser opening the file (a tab, the preview frame) asks for HTML first; API clients do not."""
    best = request.accept_mimetypes.best_match(["application/problem+json", "application/json", "text/html"])
    return best == "text/html"


def read_upload(upload=None) -> bytes:
    """The uploaded file's bytes (default: the request's `file` part), bounded in size."""
    upload = upload if upload is not None else request.files.get("file")
    if upload is None:
        raise ValidationFailed(t("Attach a file."), [FieldError("required", "file", t("This field is required."))])
    data = upload.stream.read(MAX_VERIFY_BYTES + 1)
    if len(data) > MAX_VERIFY_BYTES:
        raise PayloadTooLarge(t("The upload exceeds the limit of %(mib)s MiB.", mib=MAX_VERIFY_BYTES // 2**20))
    return data
