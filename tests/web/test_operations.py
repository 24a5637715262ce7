"""Operations: the liveness and readiness probes, and what users see while the database is down."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from app import create_app
from app.extensions import db
from tests.factories import PASSWORD, csrf_from

UNREACHABLE_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:1/tcr"  # nothing listens on port 1


@pytest.fixture(params=["postgres_port", "sqlite_dir_removed", "sqlite_file_removed"])
def dead_database(request, tmp_path):
    """A database URL that cannot serve: a closed PostgreSQL port, or an SQLite file (or its folder) removed."""
    if request.param == "postgres_port":
        return UNREACHABLE_POSTGRES
    if request.param == "sqlite_dir_removed":
        return f"sqlite:///{tmp_path / 'removed' / 'tcr.sqlite3'}"
    return f"sqlite:///{tmp_path / 'tcr-removed.sqlite3'}"  # SQLite re-creates it empty: no tables


@pytest.fixture
def outage(app, dead_database, tmp_path):
    """The same application (same secret key, so the same sessions) with its database gone."""
    broken = create_app(
        {
            **app.config,
            "SQLALCHEMY_DATABASE_URI": dead_database,
            "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True, "connect_args": _connect_args(dead_database)},
        }
    )
    yield broken
    with broken.app_context():
        db.session.remove()
        db.engine.dispose()


def _connect_args(url: str) -> dict:
    return {"connect_timeout": 2} if url.startswith("postgresql") else {}


def _moved_session(from_client, to_app):
    """A client of to_app carrying from_client's session cookie (signed in there, before the outage)."""
    client = to_app.test_client()
    cookie = from_client.get_cookie("session")
    client.set_cookie("session", cookie.value)
    return client


def _assert_unavailable_problem(response):
    assert response.status_code == 503
    assert response.mimetype == "application/problem+json"
    assert response.headers["Retry-After"] == "30"
    assert response.json["status"] == 503
    assert response.json["type"] == "urn:tcr:problem:database_unavailable"


def _assert_unavailable_page(response):
    assert response.status_code == 503
    assert response.mimetype == "text/html"
    assert response.headers["Retry-After"] == "30"
    assert "503" in response.text and "Traceback" not in response.text
    assert "数据库" in response.text or "database" in response.text  # says what is wrong, in the page's language


def test_healthz_answers_without_a_database(outage):
    response = outage.test_client().get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok"}


def test_readyz_is_ok_when_database_and_storage_answer(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "checks": {"database": "ok", "storage": "ok"}}


def test_readyz_is_503_problem_without_the_database(outage):
    response = outage.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.mimetype == "application/problem+json"
    assert response.headers["Retry-After"]
    assert response.json["checks"] == {"database": "unavailable", "storage": "ok"}


def test_readyz_is_503_when_storage_cannot_be_written(app, tmp_path):
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("x")
    app.config["STORAGE_DIR"] = str(blocker / "files")
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.json["checks"] == {"database": "ok", "storage": "unavailable"}


@pytest.mark.parametrize(
    "method, url",
    [
        ("get", "/api/v1/contracts"),
        ("post", "/api/v1/contracts"),
        ("get", "/api/v1/contracts/1"),
        ("get", "/api/v1/tax/feed"),
        ("get", "/api/v1/stats?year=2026"),
    ],
)
def test_api_requests_with_a_token_are_503_with_retry_after(outage, method, url):
    client = outage.test_client()
    response = getattr(client, method)(
        url, headers={"Authorization": "Bearer tcr_any-token-needs-the-database"}, json={} if method == "post" else None
    )
    _assert_unavailable_problem(response)


def test_public_verification_is_503_with_retry_after(outage):
    _assert_unavailable_problem(outage.test_client().get("/api/v1/verify/1304022026000001"))


def test_signed_in_pages_show_a_friendly_503(app, outage, sign_in, applicant):
    before = sign_in(applicant)
    assert before.get("/contracts").status_code == 200
    during = _moved_session(before, outage)
    for path in ("/contracts", "/account/tokens", "/"):
        response = during.get(path)
        _assert_unavailable_page(response)
        assert "Sign in" in response.text or "登录" in response.text  # rendered without loading the account


def test_the_log_in_form_shows_a_friendly_503(outage, applicant):
    client = outage.test_client()
    form = client.get("/login")
    assert form.status_code == 200  # the form itself needs no database
    response = client.post(
        "/login", data={"email": applicant.email, "password": PASSWORD, "csrf_token": csrf_from(form.text)}
    )
    _assert_unavailable_page(response)


def test_a_programming_error_stays_a_500(app):
    @app.route("/test-broken-sql")
    def broken_sql():
        db.session.execute(text("SELEC 1"))  # a typo, not an outage

    response = app.test_client().get("/test-broken-sql", headers={"Accept": "application/json"})
    assert response.status_code == 500
    assert "Retry-After" not in response.headers
    assert response.json["type"] == "urn:tcr:problem:internal"
