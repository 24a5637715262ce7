"""The sample feed client against a real HTTP server: interrupted after one page, then resumed to the end."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

from sqlalchemy import select

from app.extensions import db
from app.models import TaxEvent
from tests.api.test_tax_feed import registry, tax  # noqa: F401 - fixtures shared with the API tests

CLIENT = Path(__file__).resolve().parents[2] / "scripts" / "tax_feed_client.py"


def run_client(base_url: str, token: str, path: Path, *extra: str) -> str:
    result = subprocess.run(
        [
            sys.executable,
            str(CLIENT),
            "--base-url",
            base_url,
            "--token",
            token,
            "--db",
            str(path),
            "--limit",
            "2",
            *extra,
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return result.stdout


def test_interrupted_client_resumes_to_exactly_the_registry(app, registry, tax, live_server, tmp_path):  # noqa: F811
    token = tax.headers["Authorization"].removeprefix("Bearer ")
    local = tmp_path / "feed.sqlite3"
    first = run_client(live_server, token, local, "--max-pages", "1")
    assert "pages=1 new_events=2 stored_events=2" in first
    second = run_client(live_server, token, local)
    assert "stored_events=6" in second
    with sqlite3.connect(local) as conn:
        stored = conn.execute("SELECT seq, event, registration_number FROM events ORDER BY seq").fetchall()
    with app.app_context():
        expected = [
            (e.position, e.event, e.registration_number)
            for e in db.session.scalars(select(TaxEvent).order_by(TaxEvent.position))
        ]
    assert stored == expected and len(expected) == 6
    again = run_client(live_server, token, local)  # polling at the end adds nothing
    assert "new_events=0 stored_events=6" in again
