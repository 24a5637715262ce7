"""Benchmark of the tax office's CSV export against PostgreSQL's own COPY of the same rows.

    python scripts/bench_export.py --database-url postgresql://postgres@127.0.0.1:5432/tcr_bench --contracts 1000000

Creates the database if missing and migrates it, fills it with synthetic registrations (app.demo.synth) up
to --contracts, then in one run measures (i) the app's CSV export generator over every row (a tax officer scoped
to every area code present, a period covering every registration) streamed to /dev/null in a child process that
does nothing else: rows per second and that child's peak RSS (VmHWM); (ii) `COPY (<the export's own SELECT>) TO STDOUT
WITH CSV` through psycopg's cursor.copy(): rows per second (the better of two runs, one before and one after the
export). Prints both, the ratio, and PASS/MISS against the targets (>= 25 % of COPY's rate, < 200 MB peak).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TAX_EMAIL = "bench-tax@demo.tcr"
TARGET_RATIO = 0.25
TARGET_MB = 200


def _sqlalchemy_url(url: str) -> str:
    return url.replace("postgresql://", "postgresql+psycopg://", 1) if url.startswith("postgresql://") else url


def _make_app(url: str):
    from app import create_app

    return create_app({"SQLALCHEMY_DATABASE_URI": _sqlalchemy_url(url), "TESTING": True})


def _ensure_database(url: str) -> None:
    import sqlalchemy as sa

    target = sa.engine.make_url(_sqlalchemy_url(url))
    if not target.get_backend_name().startswith("postgresql"):
        return  # SQLite makes its file on first use
    admin = sa.create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        exists = connection.execute(
            sa.text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": target.database}
        ).first()
        if not exists:
            connection.execute(sa.text(f'CREATE DATABASE "{target.database}"'))
            print(f"created database {target.database}")
    admin.dispose()


def _period_and_user():
    """The tax officer scoped to every area code present, and the period covering every registration."""
    from sqlalchemy import func, select

    from app.extensions import db
    from app.models import Contract, ContractParty, User

    user = db.session.scalars(select(User).where(User.email == TAX_EMAIL)).first()
    codes = sorted(c for c in db.session.scalars(select(ContractParty.area_code).distinct()) if c)
    if user is None or sorted(user.area_codes) != codes:
        from app.accounts.services import accounts
        from app.models import UserArea

        if user is None:
            user = accounts.create_user(TAX_EMAIL, "Bench-tax-" + "x" * 10, "tax", "基准税务", area_codes=codes)
        else:
            user.areas = [UserArea(area_code=c) for c in codes]
        db.session.commit()
    first, last = db.session.execute(select(func.min(Contract.registered_on), func.max(Contract.registered_on))).one()
    return user, first, last


def prepare(url: str, contracts: int, seed: int) -> None:
    from flask_migrate import upgrade
    from sqlalchemy import func, select

    from app.demo import seed as demo
    from app.demo import synth
    from app.extensions import db
    from app.models import Contract

    _ensure_database(url)
    app = _make_app(url)
    with app.app_context():
        upgrade()
        demo.seed_stations()
        db.session.commit()
        present = (
            db.session.scalar(select(func.count()).select_from(Contract).where(Contract.status == "registered")) or 0
        )
        if present < contracts:
            started = time.perf_counter()
            print(f"synthesising {contracts - present} registrations ({present} present) ...", flush=True)
            synth.generate(
                contracts - present, seed=seed + present, progress=lambda n: print(f"  {n}", end="\r", flush=True)
            )
            print(f"\nsynthesised in {time.perf_counter() - started:.1f} s", flush=True)
        else:
            print(f"{present} registrations present", flush=True)
        _period_and_user()
        db.engine.dispose()


def child_export(url: str) -> None:
    """Only the export: the CSV generator over every row, bytes to /dev/null; prints a JSON line."""
    from app.extensions import db
    from app.tax.services import exports

    app = _make_app(url)
    with app.app_context():
        user, first, last = _period_and_user()
        records = exports._Counting(exports.records(user, first, last))
        size = 0
        started = time.perf_counter()
        with open(os.devnull, "wb") as sink:
            for chunk in exports._csv(iter(records)):
                size += len(chunk)
                sink.write(chunk)
        seconds = time.perf_counter() - started
        db.engine.dispose()
    status = Path("/proc/self/status").read_text()
    hwm_kb = int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM:")))
    print(
        json.dumps(
            {
                "rows": records.count,
                "bytes": size,
                "seconds": seconds,
                "vmhwm_kb": hwm_kb,
                "self_maxrss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
            }
        )
    )


def copy_rate(url: str) -> dict:
    """PostgreSQL's COPY of the export's own SELECT (same columns, joins, scope and order) to STDOUT."""
    import psycopg
    from sqlalchemy.dialects import postgresql

    from app.tax.services import exports

    app = _make_app(url)
    with app.app_context():
        user, first, last = _period_and_user()
        statement = exports._query(user, first, last, "postgresql")
        sql = str(statement.compile(dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True}))
    with psycopg.connect(url) as connection, connection.cursor() as cursor:
        started = time.perf_counter()
        size = lines = 0
        with cursor.copy(f"COPY ({sql}) TO STDOUT WITH CSV") as copy:
            for data in copy:
                size += len(data)
                lines += bytes(data).count(b"\n")
        seconds = time.perf_counter() - started
    return {"rows": lines, "bytes": size, "seconds": seconds}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--contracts", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--child-export", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_export:
        child_export(args.database_url)
        return

    prepare(args.database_url, args.contracts, args.seed)
    copies = [copy_rate(args.database_url)]
    print(f"COPY (warm-up):  {copies[0]['rows']} rows in {copies[0]['seconds']:.2f} s", flush=True)
    completed = subprocess.run(
        [sys.executable, __file__, "--database-url", args.database_url, "--child-export"],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    export = json.loads(completed.stdout.strip().splitlines()[-1])
    # The child's own peak RSS after exec (VmHWM). ru_maxrss is also printed, but Linux carries the forking
    # parent's resident size over exec into it, so with a parent grown by synthesis it overstates the child.
    peak_mb = export["vmhwm_kb"] / 1024
    children_maxrss_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # Linux: kilobytes
    copies.append(copy_rate(args.database_url))
    copy = min(copies, key=lambda c: c["seconds"])

    export_rate = export["rows"] / export["seconds"]
    copy_rows_per_s = copy["rows"] / copy["seconds"]
    ratio = export_rate / copy_rows_per_s
    runs = ", ".join("%.2f s" % c["seconds"] for c in copies)
    print(f"rows:              {export['rows']} (COPY: {copy['rows']})")
    print(f"export (CSV):      {export['seconds']:.2f} s, {export_rate:,.0f} rows/s, {export['bytes'] / 2**20:.0f} MiB")
    print(
        f"export peak RSS:   {peak_mb:.1f} MB (child process VmHWM; RUSAGE_CHILDREN ru_maxrss "
        f"{children_maxrss_mb:.1f} MB, which may include this parent's pre-exec image)"
    )
    print(
        f"COPY TO STDOUT:    {copy['seconds']:.2f} s, {copy_rows_per_s:,.0f} rows/s, {copy['bytes'] / 2**20:.0f} MiB"
        f" (best of {len(copies)}: {runs})"
    )
    print(f"ratio export/COPY: {ratio:.1%}")
    print(f"{'PASS' if ratio >= TARGET_RATIO else 'MISS'}  export rate >= 25 % of COPY's")
    print(f"{'PASS' if peak_mb < TARGET_MB else 'MISS'}  peak memory < {TARGET_MB} MB")
    if export["rows"] != copy["rows"]:
        print("WARNING: the export and COPY counted different rows")


if __name__ == "__main__":
    main()
