"""Sample tax-feed client (standard library only): pulls pages, checks Content-Digest, stores events locally.

Each page's events and the cursor after it are written in ONE local SQLite transaction, so an interruption at
any point resumes exactly where the last stored page ended: nothing skipped, nothing stored twice.

    python scripts/tax_feed_client.py --base-url http://127.0.0.1:5000 --token tcr_... --db feed.sqlite3
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import sqlite3
import sys
import urllib.parse
import urllib.request

SCHEMA = """
CREATE TABLE IF NOT EXISTS events (seq INTEGER PRIMARY KEY, event TEXT NOT NULL, registration_number TEXT,
                                   version INTEGER, occurred_at TEXT, item TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS state (id INTEGER PRIMARY KEY CHECK (id = 1), cursor TEXT);
"""


def fetch_page(base_url: str, token: str, cursor: str | None, limit: int, timeout: float = 30) -> dict:
    """One page of the feed, after verifying the body against its Content-Digest (RFC 9530)."""
    query = {"limit": limit, **({"after": cursor} if cursor else {})}
    request = urllib.request.Request(
        f"{base_url.rstrip('/')}/api/v1/tax/feed?{urllib.parse.urlencode(query)}",
        headers={"Authorization": f"Bearer {token}", "Accept": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - the URL is the user's own
        body = response.read()
        header = response.headers.get("Content-Digest", "")
    expected = "sha-256=:%s:" % base64.b64encode(hashlib.sha256(body).digest()).decode("ascii")
    if expected not in [part.strip() for part in header.split(",")]:
        raise ValueError(f"Content-Digest mismatch: got {header!r}")
    return json.loads(body)


def store_page(db: sqlite3.Connection, page: dict) -> int:
    """Events and the next cursor in one transaction; returns how many events were new."""
    with db:  # commits both or neither
        before = db.total_changes
        db.executemany(
            "INSERT OR IGNORE INTO events (seq, event, registration_number, version, occurred_at, item) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [
                (
                    i["seq"],
                    i["event"],
                    i.get("registration_number"),
                    i.get("version"),
                    i.get("occurred_at"),
                    json.dumps(i, ensure_ascii=False, sort_keys=True),
                )
                for i in page["items"]
            ],
        )
        added = db.total_changes - before
        db.execute(
            "INSERT INTO state (id, cursor) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET cursor = excluded.cursor",
            (page["next_cursor"],),
        )
    return added


def run(base_url: str, token: str, db_path: str, limit: int = 100, max_pages: int | None = None) -> tuple[int, int]:
    """Pull until a page comes back empty (or max_pages); returns (pages, new events)."""
    db = sqlite3.connect(db_path)
    try:
        db.executescript(SCHEMA)
        pages = added = 0
        while max_pages is None or pages < max_pages:
            row = db.execute("SELECT cursor FROM state WHERE id = 1").fetchone()
            page = fetch_page(base_url, token, row[0] if row else None, limit)
            pages += 1
            added += store_page(db, page)
            if not page["items"]:
                break
        return pages, added
    finally:
        db.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--db", required=True, help="local SQLite file (created if missing)")
    parser.add_argument("--limit", type=int, default=100)
    parser.add_argument("--max-pages", type=int, default=None)
    args = parser.parse_args(argv)
    pages, added = run(args.base_url, args.token, args.db, args.limit, args.max_pages)
    with sqlite3.connect(args.db) as db:
        total, cursor = (
            db.execute("SELECT count(*) FROM events").fetchone()[0],
            db.execute("SELECT cursor FROM state WHERE id = 1").fetchone(),
        )
    print(f"pages={pages} new_events={added} stored_events={total} cursor={cursor[0] if cursor else ''}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
