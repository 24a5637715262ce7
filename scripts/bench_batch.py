"""Benchmark of batch filing: one workbook of N contracts uploaded through the app, against the same contracts filed
one JSON POST at a time, in the same run.

    python scripts/bench_batch.py                       # SQLite in a temporary directory, 1,000 rows
    python scripts/bench_batch.py --rows 200 --database-url postgresql://postgres@127.0.0.1:5432/tcr_bench_batch

Builds a fresh database (migrated, with the demo's stations and an applicant), makes a workbook of N valid contracts
(app.filing.services.batch_template.filled), then times (i) POST /api/v1/contracts/batch with it through the test
client, (ii) N single POST /api/v1/contracts of the same contracts. Prints each time, the rows per second, and the
process's peak RSS after each; `--trace-memory` prints the peak of Python allocations (tracemalloc) during each
instead, at the cost of a slower (not comparable) timing.
"""

from __future__ import annotations

import argparse
import io
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app import create_app  # noqa: E402 - the path above must come first
from app.accounts.services import accounts, tokens  # noqa: E402
from app.demo.seed import complete_credit_code, seed_stations  # noqa: E402
from app.extensions import db  # noqa: E402
from app.filing.services.batch_template import filled  # noqa: E402
from tests.factories import filing  # noqa: E402

SELLER = {
    "name": "邯郸某大学科研院",
    "credit_code": complete_credit_code("12130400MB0A00001"),
    "area_code": "130402",
    "nature": "022",
}


def _sqlalchemy_url(url: str) -> str:
    return url.replace("postgresql://", "postgresql+psycopg://", 1) if url.startswith("postgresql://") else url


def _reset_postgres(url: str) -> None:
    import sqlalchemy as sa

    target = sa.engine.make_url(_sqlalchemy_url(url))
    admin = sa.create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)'))
        connection.execute(sa.text(f'CREATE DATABASE "{target.database}"'))
    admin.dispose()


def make_app(url: str | None, workdir: Path):
    """A migrated database with the stations and one applicant of the university; returns (app, bearer token)."""
    from flask_migrate import upgrade

    if url:
        _reset_postgres(url)
    uri = _sqlalchemy_url(url) if url else f"sqlite:///{workdir / 'bench.sqlite3'}"
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": uri,
            "TESTING": True,
            "STORAGE_DIR": str(workdir / "files"),
            "RATELIMIT_ENABLED": False,
            "AUDIT_CHECKPOINT_PATH": str(workdir / "checkpoints.jsonl"),
        }
    )
    with app.app_context():
        upgrade()
        seed_stations()
        organisation = accounts.find_or_create_organisation(SELLER["credit_code"], SELLER["name"], "130402", "022")
        user = accounts.create_user(
            "bench-batch@example.cn", "Bench-batch-2026", "applicant", "科研院", organisation=organisation
        )
        _, plain = tokens.create_token(user, "bench")
        db.session.commit()
    return app, plain


def filings(count: int) -> list[dict]:
    """N distinct valid contracts of the university (distinct titles: no duplicate findings)."""
    return [filing(title=f"科研院横向课题{i:04d}：钢渣综合利用技术开发", seller=SELLER) for i in range(count)]


def _peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(label: str, action, trace: bool) -> tuple[float, float | None]:
    """Seconds of one action and, with `trace`, the peak of its Python allocations (tracemalloc slows the action
    several times: the time is then not the real one)."""
    if trace:
        tracemalloc.start()
    started = time.perf_counter()
    action()
    elapsed = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1] / 2**20 if trace else None
    if trace:
        tracemalloc.stop()
    memory = (
        f"   peak {peak:7.1f} MiB traced" if peak is not None else f"   process peak RSS {_peak_rss_mib():6.0f} MiB"
    )
    print(f"{label:<42} {elapsed:8.2f} s{memory}")
    return elapsed, peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--database-url", default=None, help="PostgreSQL URL (the database is dropped and recreated)")
    parser.add_argument(
        "--trace-memory", action="store_true", help="measure Python allocations with tracemalloc (slows the timing)"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        app, token = make_app(args.database_url, Path(tmp))
        client, headers = app.test_client(), {"Authorization": f"Bearer {token}"}
        contracts = filings(args.rows)
        workbook = filled(contracts)
        print(
            f"database: {'PostgreSQL' if args.database_url else 'SQLite'}; {args.rows} rows; workbook {len(workbook) / 1024:.0f} KiB"
        )

        answers = {}

        def upload():
            answers["batch"] = client.post(
                "/api/v1/contracts/batch",
                data={"file": (io.BytesIO(workbook), "contracts.xlsx")},
                content_type="multipart/form-data",
                headers=headers,
            )

        def singles():
            answers["singles"] = [
                client.post(
                    "/api/v1/contracts", json={**c, "title": f"{c['title']}（逐份）"}, headers=headers
                ).status_code
                for c in contracts
            ]

        batch_time, _ = measure("batch upload (one workbook)", upload, args.trace_memory)
        rows = answers["batch"].json["rows"]
        created = sum(r["status"] == "created" for r in rows)
        assert answers["batch"].status_code == 200 and created == args.rows, (answers["batch"].status_code, rows[:2])
        single_time, _ = measure(f"{args.rows} single JSON POSTs (baseline)", singles, args.trace_memory)
        assert set(answers["singles"]) == {201}
        print(
            f"batch: {args.rows / batch_time:7.1f} rows/s;  singles: {args.rows / single_time:7.1f} contracts/s;  ratio {single_time / batch_time:.2f}x"
        )
        print(f"process peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
