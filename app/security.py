"""Security headers on every response, and the client address read through the configured proxies only."""

from __future__ import annotations

from flask import Flask, Response
from werkzeug.middleware.proxy_fix import ProxyFix

# The pages load scripts and styles from this origin only: no inline script, style element or style attribute.
_POLICY = (
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",  # Bootstrap's form controls draw their arrows and ticks as data: SVG
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
)
# A page is never framed (clickjacking). Anything else (a PDF, an image) may be framed by this site's own pages:
# the reviewer's page previews an attachment in an iframe. X-Frame-Options says the same to older browsers.
PAGE_POLICY = "; ".join((*_POLICY, "frame-ancestors 'none'"))
EMBEDDABLE_POLICY = "; ".join((*_POLICY, "frame-ancestors 'self'"))
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=()"
FIXED_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Permissions-Policy": PERMISSIONS_POLICY,
    "Cross-Origin-Opener-Policy": "same-origin",
}


def _add_policy(response: Response) -> None:
    """The default policy, unless the view set one of its own (an attachment's sandbox): that one is kept whole."""
    if "Content-Security-Policy" in response.headers:
        return
    page = response.mimetype == "text/html"
    response.headers["Content-Security-Policy"] = PAGE_POLICY if page else EMBEDDABLE_POLICY
    response.headers.setdefault("X-Frame-Options", "DENY" if page else "SAMEORIGIN")


def init_security(app: Flask) -> None:
    """Trust X-Forwarded-* from TCR_PROXY_COUNT proxies only, and add the security headers to every response."""
    proxies = app.config.get("PROXY_COUNT", 0)
    if proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)  # type: ignore[method-assign]
    hsts_seconds = app.config.get("HSTS_MAX_AGE", 0)

    @app.after_request
    def add_security_headers(response: Response) -> Response:
        _add_policy(response)
        for name, value in FIXED_HEADERS.items():
            response.headers.setdefault(name, value)
        if hsts_seconds:
            response.headers.setdefault("Strict-Transport-Security", f"max-age={hsts_seconds}; includeSubDomains")
        return response
