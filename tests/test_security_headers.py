"""Security headers on every kind of response, Secure cookies and HSTS in production, and templates that need no
inline script or style (the browser test proves the pages in Chromium; this finds a regression in any template)."""

from __future__ import annotations

import re

import pytest
from flask import Response

from app import create_app
from app.config import PROJECT_ROOT
from app.extensions import db
from app.security import EMBEDDABLE_POLICY, PAGE_POLICY
from tests.conftest import login

REQUIRED_DIRECTIVES = (
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "img-src 'self' data:",
)


def directives(policy: str) -> set[str]:
    return {part.strip() for part in policy.split(";")}


def assert_secured(response, page: bool) -> None:
    headers = response.headers
    policy = headers["Content-Security-Policy"]
    assert set(REQUIRED_DIRECTIVES) <= directives(policy)
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert ("frame-ancestors 'none'" if page else "frame-ancestors 'self'") in directives(policy)
    assert headers["X-Frame-Options"] == ("DENY" if page else "SAMEORIGIN")
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] in (
        "strict-origin-when-cross-origin",
        "strict-origin",
        "same-origin",
        "no-referrer",
    )
    assert "camera=()" in headers["Permissions-Policy"] and "geolocation=()" in headers["Permissions-Policy"]


@pytest.mark.parametrize(
    "path, status, page",
    [
        ("/", 200, True),
        ("/login", 200, True),
        ("/no-such-page", 404, True),
        ("/api/v1/docs", 200, True),
        ("/api/v1/openapi.json", 200, False),
        ("/api/v1/contracts", 401, False),
        ("/api/v1/contracts/1", 401, False),
        ("/static/css/tcr.css", 200, False),
        ("/static/js/tcr.js", 200, False),
        ("/bootstrap/static/css/bootstrap.min.css", 200, False),
        ("/api/v1/docs/assets/swagger-ui-bundle.js", 200, False),
    ],
)
def test_every_kind_of_response_carries_the_security_headers(client, path, status, page):
    response = client.get(path)
    response.close()  # a static file's handle
    assert response.status_code == status
    assert_secured(response, page)
    assert "Strict-Transport-Security" not in response.headers  # development runs on plain HTTP


def test_a_refused_method_and_a_server_error_carry_them_too(app):
    app.config["PROPAGATE_EXCEPTIONS"] = False

    @app.route("/boom")
    def boom():
        raise RuntimeError("a defect")

    client = app.test_client()
    assert_secured(client.get("/logout"), page=True)  # 405
    response = client.get("/boom")
    assert response.status_code == 500
    assert "Content-Security-Policy" in response.headers and response.headers["X-Content-Type-Options"] == "nosniff"


def test_a_view_that_sets_its_own_policy_keeps_it(app):
    sandbox = "sandbox; default-src 'none'"

    @app.route("/own-policy")
    def own_policy():
        return Response(b"%PDF-", mimetype="application/pdf", headers={"Content-Security-Policy": sandbox})

    response = app.test_client().get("/own-policy")
    assert response.headers.getlist("Content-Security-Policy") == [sandbox]
    assert "X-Frame-Options" not in response.headers  # the view's policy decides about framing
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_production_adds_hsts_and_sends_the_session_cookie_over_https_only(app, applicant):
    production = create_app(
        {
            **{
                key: app.config[key]
                for key in (
                    "SQLALCHEMY_DATABASE_URI",
                    "STORAGE_DIR",
                    "PASSWORD_HASH_PARAMS",
                    "CERTS_DIR",
                    "CERTS_PASSPHRASE",
                )
            },
            "ENV_MODE": "production",
            "TESTING": True,
            "SECRET_KEY": "s" * 40,
            "RATELIMIT_ENABLED": False,
            "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/15",
        }
    )
    response = login(production.test_client(), applicant.email, applicant.password)
    with production.app_context():
        db.session.remove()
        db.engine.dispose()
    assert response.status_code == 302
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("session=") and "; Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_the_two_policies_differ_only_in_who_may_frame(client):
    assert directives(PAGE_POLICY) - directives(EMBEDDABLE_POLICY) == {"frame-ancestors 'none'"}


INLINE = re.compile(r"<script(?![^>]*\ssrc=)[^>]*>|<style[\s>]|\sstyle=|\son[a-z]+=|javascript:", re.IGNORECASE)
# Not pages: the certificate and the annual tables' PDF are rendered by WeasyPrint, e-mails are plain text.
NOT_SERVED_AS_PAGES = ("certificate/", "emails/", "stats/print_base.html")


def test_no_template_carries_inline_script_style_or_event_handlers():
    found = []
    for path in sorted((PROJECT_ROOT / "templates").rglob("*.html")):
        name = path.relative_to(PROJECT_ROOT / "templates").as_posix()
        if name.startswith(NOT_SERVED_AS_PAGES):
            continue
        found += [f"{name}: {match.group(0)}" for match in INLINE.finditer(path.read_text(encoding="utf-8"))]
    assert found == []
