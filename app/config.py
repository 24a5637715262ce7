"""Settings from the environment (prefix TCR_), with safe development defaults and a strict production mode."""

from __future__ import annotations

import os
from pathlib import Path

DEFAULT_SECRET_KEY = "dev-only-not-secret"  # noqa: S105 - refused in production, see validate()
DEFAULT_CERTS_PASSPHRASE = "tcr-demo-keys"  # noqa: S105 - protects demo keys only; refused in production
PROJECT_ROOT = Path(__file__).resolve().parents[1]


class ConfigurationError(RuntimeError):
    """The configuration cannot run in the requested mode."""


def _env(name: str, default: str | None = None) -> str | None:
    return os.environ.get(f"TCR_{name}", default)


def _env_int(name: str, default: int | None) -> int | None:
    value = _env(name)
    return int(value) if value else default


def _env_bool(name: str, default: bool | None) -> bool | None:
    value = _env(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def from_environment() -> dict:
    """Read every TCR_* setting into a Flask config mapping."""
    instance = Path(_env("INSTANCE_PATH", str(PROJECT_ROOT / "instance")))
    return {
        "ENV_MODE": _env("ENV", "development"),
        "SECRET_KEY": _env("SECRET_KEY", DEFAULT_SECRET_KEY),
        "SQLALCHEMY_DATABASE_URI": _env("DATABASE_URL", f"sqlite:///{instance / 'tcr.sqlite3'}"),
        "INSTANCE_DIR": str(instance),
        "STORAGE_DIR": _env("STORAGE_DIR", str(instance / "files")),
        "MAX_UPLOAD_BYTES": _env_int("MAX_UPLOAD_BYTES", 20 * 1024 * 1024),
        "MAX_IMAGE_PIXELS": _env_int("MAX_IMAGE_PIXELS", 40_000_000),
        "BATCH_MAX_BYTES": _env_int("BATCH_MAX_BYTES", 10 * 1024 * 1024),  # a batch-filing workbook (XLSX)
        "BATCH_MAX_ROWS": _env_int("BATCH_MAX_ROWS", 2000),  # rows of any one sheet of that workbook
        "RATELIMIT_STORAGE_URI": _env("RATELIMIT_STORAGE_URI"),  # by mode: see MODE_DEFAULTS
        "RATELIMIT_ENABLED": _env_bool("RATELIMIT_ENABLED", True),
        "LOGIN_RATE_LIMIT": _env("LOGIN_RATE_LIMIT", "10 per minute"),  # per client address and account
        "LOGIN_ADDRESS_RATE_LIMIT": _env("LOGIN_ADDRESS_RATE_LIMIT", "60 per minute"),  # per client address
        "PROXY_COUNT": _env_int("PROXY_COUNT", 0),  # reverse proxies whose X-Forwarded-For/-Proto are trusted
        "SESSION_COOKIE_SECURE": _env_bool("SESSION_COOKIE_SECURE", None),
        "HSTS_MAX_AGE": _env_int("HSTS_MAX_AGE", None),  # seconds; 0 sends no Strict-Transport-Security
        "SIGNUP_RATE_LIMIT": _env("SIGNUP_RATE_LIMIT", "3 per hour"),  # per client address and e-mail
        "SIGNUP_ADDRESS_RATE_LIMIT": _env("SIGNUP_ADDRESS_RATE_LIMIT", "30 per hour"),  # per client address
        "PUBLIC_BASE_URL": _env("PUBLIC_BASE_URL") or _served_address(),
        "CERTS_DIR": _env("CERTS_DIR", str(PROJECT_ROOT / "certs")),
        "CERTS_PASSPHRASE": _env("CERTS_PASSPHRASE", DEFAULT_CERTS_PASSPHRASE),
        # other cities' registries whose signed certificates back subsidy claims: one PEM certificate (the
        # registry's root or signing CA) per *.pem file in this directory
        "TRUSTED_REGISTRIES_DIR": _env("TRUSTED_REGISTRIES_DIR", str(PROJECT_ROOT / "certs" / "trusted-registries")),
        "AUDIT_CHECKPOINT_PATH": _env("AUDIT_CHECKPOINT_PATH", str(instance / "audit-checkpoints.jsonl")),
        "AUDIT_CHECKPOINT_EVERY": _env_int("AUDIT_CHECKPOINT_EVERY", 100),  # audit rows; 0: not by count
        "AUDIT_CHECKPOINT_MINUTES": _env_int("AUDIT_CHECKPOINT_MINUTES", 15),  # 0: not by time
        "TIMESTAMP_URL": _env("TIMESTAMP_URL"),  # RFC 3161 server; none by default (no network)
        "MAIL_BACKEND": _env("MAIL_BACKEND", "console"),  # console | file | smtp
        "MAIL_DIR": _env("MAIL_DIR", str(instance / "mail")),
        "MAIL_FROM": _env("MAIL_FROM", "TCR <noreply@tcr.localhost>"),
        "MAIL_SERVER": _env("MAIL_SERVER", "localhost"),
        "MAIL_PORT": _env_int("MAIL_PORT", 25),
        "MAIL_STARTTLS": _env_bool("MAIL_STARTTLS", False),
        "MAIL_USERNAME": _env("MAIL_USERNAME"),
        "MAIL_PASSWORD": _env("MAIL_PASSWORD"),
        # who runs the service and how to reach them (the footer and the service guide); demo values by default
        "ORGANISER_NAME": _env("ORGANISER_NAME", "邯郸市科学技术局"),
        "ORGANISER_NAME_EN": _env("ORGANISER_NAME_EN", "Handan Municipal Science and Technology Bureau"),
        "CONTACT_PHONE": _env("CONTACT_PHONE", "0310-0000000（演示 demo）"),
        "CONTACT_EMAIL": _env("CONTACT_EMAIL", "tcr-demo@example.invalid"),
        "CONTACT_ADDRESS": _env("CONTACT_ADDRESS", "河北省邯郸市（演示地址 demo address）"),
        # the stations' service commitment for accepting a complete filing (the guide shows it; a demo value)
        "ACCEPTANCE_WORKING_DAYS": _env_int("ACCEPTANCE_WORKING_DAYS", 3),
    }


def _served_address() -> str:
    """The address this server answers on, from the TCR_HOST/TCR_PORT that gunicorn.conf.py binds to: links in
    e-mails and on certificates follow the port the demo is served on unless TCR_PUBLIC_BASE_URL says otherwise."""
    host = _env("HOST") or "127.0.0.1"
    if host in {"0.0.0.0", "::", "[::]"}:  # noqa: S104 - a wildcard bind is reached through loopback here
        host = "127.0.0.1"
    return f"http://{host}:{_env('PORT') or '5000'}"


STATIC_DEFAULTS = {
    "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "REMEMBER_COOKIE_HTTPONLY": True,  # never set by TCR's log-in; should one appear, it cannot outlive a session
    "REMEMBER_COOKIE_SAMESITE": "Lax",
    "BABEL_DEFAULT_LOCALE": "zh_Hans_CN",
    "BABEL_DEFAULT_TIMEZONE": "Asia/Shanghai",
    "BABEL_TRANSLATION_DIRECTORIES": str(PROJECT_ROOT / "translations"),
    "BOOTSTRAP_SERVE_LOCAL": True,
    "API_TITLE": "TCR API",
    "API_VERSION": "v1",
    "OPENAPI_VERSION": "3.0.3",
    "OPENAPI_URL_PREFIX": "/api/v1",
    "OPENAPI_JSON_PATH": "openapi.json",
    "OPENAPI_SWAGGER_UI_PATH": "docs",  # the interactive page, its assets served locally (no CDN)
    "OPENAPI_SWAGGER_UI_URL": "/api/v1/docs/assets/",
    "WTF_CSRF_TIME_LIMIT": None,
    "JSON_SORT_KEYS": False,
}


# Settings left unset take the value of the mode: production is secure by default, development works on plain HTTP.
MODE_DEFAULTS = {
    "production": {
        "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/0",
        "SESSION_COOKIE_SECURE": True,
        "HSTS_MAX_AGE": 365 * 24 * 3600,
    },
    "development": {"RATELIMIT_STORAGE_URI": "memory://", "SESSION_COOKIE_SECURE": False, "HSTS_MAX_AGE": 0},
}


def _apply_mode_defaults(config: dict) -> None:
    """Fill the settings the environment left unset with the mode's values."""
    defaults = MODE_DEFAULTS["production" if config.get("ENV_MODE") == "production" else "development"]
    for name, value in defaults.items():
        if config.get(name) is None:
            config[name] = value
    config["REMEMBER_COOKIE_SECURE"] = config["SESSION_COOKIE_SECURE"]
    # Redis down: count in the worker's memory rather than refuse every log-in (and log it).
    config.setdefault("RATELIMIT_IN_MEMORY_FALLBACK_ENABLED", True)


def build_config(overrides: dict | None = None) -> dict:
    """Defaults, then the environment, then explicit overrides (tests); validated for the mode."""
    config = dict(STATIC_DEFAULTS)
    config.update(from_environment())
    config.update(overrides or {})
    _apply_mode_defaults(config)
    config["MAX_CONTENT_LENGTH"] = config["MAX_UPLOAD_BYTES"] + 1024 * 1024  # multipart overhead
    config["SQLALCHEMY_ENGINE_OPTIONS"] = _engine_options(config)
    explicit_database = "TCR_DATABASE_URL" in os.environ or "SQLALCHEMY_DATABASE_URI" in (overrides or {})
    validate(config, explicit_database=explicit_database)
    return config


def _engine_options(config: dict) -> dict:
    """PostgreSQL without JIT compilation: for the statistics' aggregations over a million rows it costs more than
    the query (0.9 s of compiling for 0.3 s of work, measured with scripts/bench_stats.py); TCR runs no query long
    enough to gain from it. A connect_args "options" given in the settings wins."""
    options = dict(config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    if str(config.get("SQLALCHEMY_DATABASE_URI", "")).startswith("postgresql"):
        options["connect_args"] = {"options": "-c jit=off", **(options.get("connect_args") or {})}
    return options


def validate(config: dict, explicit_database: bool) -> None:
    """Production refuses a default secret and an implicit database."""
    if config.get("ENV_MODE") != "production":
        return
    secret = config.get("SECRET_KEY") or ""
    if secret == DEFAULT_SECRET_KEY or len(secret) < 32:
        raise ConfigurationError("TCR_SECRET_KEY must be set to a random value of 32+ characters in production")
    if not explicit_database:
        raise ConfigurationError("TCR_DATABASE_URL must be set in production")
    if config.get("CERTS_PASSPHRASE") == DEFAULT_CERTS_PASSPHRASE:
        raise ConfigurationError("TCR_CERTS_PASSPHRASE must be set in production (it unlocks the signing keys)")
    if str(config.get("RATELIMIT_STORAGE_URI")).startswith("memory://"):
        raise ConfigurationError(
            "TCR_RATELIMIT_STORAGE_URI must name a store all workers share (redis://…) "
            "in production: in memory, each worker counts log-in attempts on its own"
        )
