"""A visitor's session cookie is written only when its content changes: requests that merely read it (a page, the
favicon the browser fetches beside it) must not send it back, or a late response overwrites the cookie a form page
has just set and the form then fails its CSRF check ("the form has expired")."""

from __future__ import annotations


def _cookies(answer) -> str:
    return " | ".join(answer.headers.getlist("Set-Cookie"))


def test_reading_requests_leave_a_visitors_session_cookie_alone(client):
    assert "session=" in _cookies(client.get("/?lang=en"))  # the language is remembered
    assert "session=" in _cookies(client.get("/verify"))  # the form's CSRF token is kept
    for path in ("/static/favicon.svg", "/", "/guide", "/verify"):
        answer = client.get(path)
        assert answer.status_code in (200, 304), path
        assert _cookies(answer) == "", (path, _cookies(answer))
