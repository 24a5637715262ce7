"""Probes for the process manager and the load balancer: liveness without the database, readiness with it."""

from __future__ import annotations

import os
from pathlib import Path

import psycopg
from flask import Blueprint, current_app, jsonify
from sqlalchemy import exc as sa_exc
from sqlalchemy import text

from app.extensions import db
from app.i18n import t
from app.problems import RETRY_AFTER_SECONDS, Problem

bp = Blueprint("health", __name__)


@bp.route("/healthz")
def healthz():
    """The process answers requests (nothing else is checked: a database outage must not restart workers)."""
    return jsonify({"status": "ok"})


@bp.route("/readyz")
def readyz():
    """The database (migrated) and the attachment storage are reachable: 200, else 503 with what failed."""
    checks = {"database": _database_ready(), "storage": _storage_ready()}
    if all(checks.values()):
        return jsonify({"status": "ok", "checks": {name: "ok" for name in checks}})
    failed = [name for name, ok in checks.items() if not ok]
    problem = Problem(
        503,
        t("Service unavailable"),
        t("Not ready: %(parts)s.", parts=", ".join(failed)),
        "urn:tcr:problem:not_ready",
        extra={"checks": {name: "ok" if ok else "unavailable" for name, ok in checks.items()}},
    )
    response = problem.response()
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def _database_ready() -> bool:
    """A round trip that needs the schema too: an empty or re-created database is not ready."""
    try:
        db.session.execute(text("SELECT version_num FROM alembic_version")).first()
        db.session.rollback()
        return True
    except (sa_exc.DBAPIError, sa_exc.TimeoutError, psycopg.Error) as error:  # unreachable, or no schema
        current_app.logger.warning("readiness: database unavailable: %s", error)
        db.session().invalidate()
        return False


def _storage_ready() -> bool:
    """The attachment directory exists (or can be made) and is writable."""
    root = Path(current_app.config["STORAGE_DIR"])
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError:
        return False
    return os.access(root, os.W_OK | os.X_OK)
