"""Configuration: TCR_* variables, and a production mode that refuses unsafe settings."""

from __future__ import annotations

import pytest

from app import create_app
from app.config import ConfigurationError

STRONG_SECRET = "x" * 40


def test_production_refuses_the_default_secret(monkeypatch):
    monkeypatch.setenv("TCR_ENV", "production")
    monkeypatch.setenv("TCR_CERTS_PASSPHRASE", "a-real-passphrase")
    monkeypatch.setenv("TCR_DATABASE_URL", "sqlite:///:memory:")
    monkeypatch.delenv("TCR_SECRET_KEY", raising=False)
    with pytest.raises(ConfigurationError, match="TCR_SECRET_KEY"):
        create_app()


def test_production_refuses_a_short_secret(monkeypatch):
    monkeypatch.setenv("TCR_ENV", "production")
    monkeypatch.setenv("TCR_DATABASE_URL", "sqlite:///:memory:")
    monkeypatch.setenv("TCR_SECRET_KEY", "short")
    with pytest.raises(ConfigurationError):
        create_app()


def test_production_needs_an_explicit_database(monkeypatch):
    monkeypatch.setenv("TCR_ENV", "production")
    monkeypatch.setenv("TCR_CERTS_PASSPHRASE", "a-real-passphrase")
    monkeypatch.setenv("TCR_SECRET_KEY", STRONG_SECRET)
    monkeypatch.delenv("TCR_DATABASE_URL", raising=False)
    with pytest.raises(ConfigurationError, match="TCR_DATABASE_URL"):
        create_app()


def test_production_refuses_the_demo_key_passphrase(monkeypatch):
    monkeypatch.setenv("TCR_ENV", "production")
    monkeypatch.setenv("TCR_SECRET_KEY", STRONG_SECRET)
    monkeypatch.setenv("TCR_DATABASE_URL", "sqlite:///:memory:")
    monkeypatch.delenv("TCR_CERTS_PASSPHRASE", raising=False)
    with pytest.raises(ConfigurationError, match="TCR_CERTS_PASSPHRASE"):
        create_app()


def test_production_starts_with_proper_settings(monkeypatch):
    monkeypatch.setenv("TCR_ENV", "production")
    monkeypatch.setenv("TCR_CERTS_PASSPHRASE", "a-real-passphrase")
    monkeypatch.setenv("TCR_SECRET_KEY", STRONG_SECRET)
    monkeypatch.setenv("TCR_DATABASE_URL", "sqlite:///:memory:")
    monkeypatch.setenv("TCR_MAX_UPLOAD_BYTES", "1048576")
    app = create_app()
    assert app.config["SECRET_KEY"] == STRONG_SECRET
    assert app.config["MAX_UPLOAD_BYTES"] == 1048576


def test_development_defaults_to_embedded_sqlite(monkeypatch):
    monkeypatch.delenv("TCR_ENV", raising=False)
    monkeypatch.delenv("TCR_DATABASE_URL", raising=False)
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///")


def test_passwords_are_hashed_with_argon2id_at_full_cost_unless_a_test_says_otherwise(monkeypatch):
    monkeypatch.delenv("TCR_ENV", raising=False)
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite:///:memory:"})
    with app.app_context():
        from app.accounts.services.accounts import hash_password

        assert hash_password("a-long-password").startswith("$argon2id$v=19$m=65536,t=3,")


def _production(monkeypatch):
    monkeypatch.setenv("TCR_ENV", "production")
    monkeypatch.setenv("TCR_CERTS_PASSPHRASE", "a-real-passphrase")
    monkeypatch.setenv("TCR_SECRET_KEY", STRONG_SECRET)
    monkeypatch.setenv("TCR_DATABASE_URL", "sqlite:///:memory:")
    for name in ("TCR_RATELIMIT_STORAGE_URI", "TCR_SESSION_COOKIE_SECURE", "TCR_HSTS_MAX_AGE", "TCR_PROXY_COUNT"):
        monkeypatch.delenv(name, raising=False)


def test_production_counts_log_ins_in_redis_and_sends_cookies_over_https_only(monkeypatch):
    _production(monkeypatch)
    config = create_app().config
    assert config["RATELIMIT_STORAGE_URI"].startswith("redis://")
    assert config["SESSION_COOKIE_SECURE"] is True and config["REMEMBER_COOKIE_SECURE"] is True
    assert config["HSTS_MAX_AGE"] >= 180 * 24 * 3600


def test_production_refuses_per_worker_memory_for_the_log_in_limits(monkeypatch):
    _production(monkeypatch)
    monkeypatch.setenv("TCR_RATELIMIT_STORAGE_URI", "memory://")
    with pytest.raises(ConfigurationError, match="TCR_RATELIMIT_STORAGE_URI"):
        create_app()


def test_development_counts_in_memory_and_works_over_plain_http(monkeypatch):
    for name in ("TCR_ENV", "TCR_RATELIMIT_STORAGE_URI", "TCR_SESSION_COOKIE_SECURE", "TCR_HSTS_MAX_AGE"):
        monkeypatch.delenv(name, raising=False)
    config = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite:///:memory:"}).config
    assert config["RATELIMIT_STORAGE_URI"] == "memory://"
    assert config["SESSION_COOKIE_SECURE"] is False and config["HSTS_MAX_AGE"] == 0
