"""Load benchmark: the production server (gunicorn with gunicorn.conf.py) against Flask's development server, on
PostgreSQL with synthetic data, under the same mixed load at fixed offered rates.

    python scripts/bench_load.py --database-url postgresql://postgres@127.0.0.1:5432/tcr_bench_load

Creates the database when it does not exist, migrates it, seeds the demo accounts and writes synthetic registrations
and filings (`flask demo synth`, only into an empty registry), creates one API token per role, then for each server
drives an open-loop load: requests are sent at fixed times (rate × duration of them per step, from a pool of client
threads with keep-alive connections), whether or not earlier ones have been answered, and each latency is measured
from the request's scheduled time, so that a server falling behind shows as growing latency rather than as a slower
client. A request not answered within --timeout counts as an error. The mix: contract lists (bureau, reviewer,
applicant), single contracts, public verification, tax-feed pages and statistics tables.

Prints, per server and offered rate: achieved rate (answered 2xx per second), p50/p95/p99 in milliseconds and
errors; with --by-kind also per request kind. The client runs on the same machine and takes CPU from the server:
on a shared 2-core machine the figures are noisy, so compare the two servers within one run.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
DEMO_ACCOUNTS = {
    "bureau": "bureau@demo.tcr",
    "reviewer": "reviewer@demo.tcr",
    "applicant": "applicant@demo.tcr",
    "tax": "tax@demo.tcr",
}
TARGET_RATE, TARGET_P95_MS = 200, 100


# ---- the database ------------------------------------------------------------------------------------------


def app_env(database_url: str, instance: Path) -> dict[str, str]:
    """The environment of the flask commands and of both servers."""
    url = database_url.replace("postgresql://", "postgresql+psycopg://", 1)
    env = dict(os.environ)
    env.update(
        {
            "TCR_DATABASE_URL": url,
            "TCR_INSTANCE_PATH": str(instance),
            "FLASK_APP": "app:create_app",
            "PYTHONPATH": str(ROOT),
        }
    )
    return env


def create_database(database_url: str) -> None:
    """CREATE DATABASE unless it exists (connected to the server's `postgres` database)."""
    import psycopg
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    params = conninfo_to_dict(database_url)
    name = params.get("dbname")
    with psycopg.connect(make_conninfo(database_url, dbname="postgres"), autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone() is None:
            conn.execute(f'CREATE DATABASE "{name}"')
            print(f"created database {name}", flush=True)


def flask(env: dict, *args: str) -> str:
    """Run a flask command of the application; its standard output."""
    done = subprocess.run([str(BIN / "flask"), *args], env=env, cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"flask {' '.join(args)} failed:\n{done.stderr[-2000:]}")
    return done.stdout


def prepare(env: dict, contracts: int, filings: int) -> dict[str, str]:
    """Migrated, seeded and filled; returns a fresh API token per role."""
    started = time.perf_counter()
    flask(env, "db", "upgrade")
    flask(env, "demo", "seed")
    print(
        flask(
            env, "demo", "synth", "--contracts", str(contracts), "--filings", str(filings), "--unless-present"
        ).strip(),
        flush=True,
    )
    print(f"database ready in {time.perf_counter() - started:.0f} s", flush=True)
    return {
        role: flask(env, "tokens", "create", email, "--name", "bench-load").strip().splitlines()[-1]
        for role, email in DEMO_ACCOUNTS.items()
    }


# ---- the servers -------------------------------------------------------------------------------------------


class Server:
    """A server process in its own process group, stopped with SIGTERM (gunicorn: graceful shutdown)."""

    def __init__(self, kind: str, env: dict, port: int, log: Path):
        self.kind, self.port, self.log = kind, port, log
        env = {**env, "TCR_HOST": "127.0.0.1", "TCR_PORT": str(port), "TCR_ACCESS_LOG": str(log.with_suffix(".access"))}
        if kind == "gunicorn":
            command = [str(BIN / "gunicorn"), "--config", str(ROOT / "gunicorn.conf.py")]
        else:
            command = [str(BIN / "flask"), "run", "--host", "127.0.0.1", "--port", str(port)]
        self.process = subprocess.Popen(
            command, env=env, cwd=ROOT, stdout=log.open("wb"), stderr=subprocess.STDOUT, start_new_session=True
        )

    def wait_ready(self, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                sys.exit(f"{self.kind} exited:\n{self.log.read_text()[-3000:]}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                conn.request("GET", "/readyz")
                if conn.getresponse().status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        sys.exit(f"{self.kind} not ready after {seconds} s")

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=40)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


# ---- the load ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Call:
    """One request of the mix."""

    kind: str
    path: str
    token: str | None


@dataclass
class Outcome:
    """What came back for one kind of request."""

    latencies_ms: list[float] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)

    def fail(self, reason: str) -> None:
        self.errors[reason] = self.errors.get(reason, 0) + 1


def _get_json(port: int, path: str, token: str | None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", path, headers={"Authorization": f"Bearer {token}"} if token else {})
    response = conn.getresponse()
    body = response.read()
    if response.status != 200:
        sys.exit(f"GET {path}: {response.status} {body[:300]!r}")
    return json.loads(body)


def build_mix(port: int, tokens: dict[str, str], seed: int) -> list[Call]:
    """A shuffled list of calls in the proportions of a working day, with real ids read from the server."""
    rng = random.Random(seed)
    listed = _get_json(port, "/api/v1/contracts?limit=200", tokens["bureau"])["items"]
    ids = [c["id"] for c in listed]
    numbers = [c["registration_number"] for c in listed if c.get("registration_number")] or ["1304022026000001"]
    year = max((c.get("registered_on") or "2026")[:4] for c in listed) if listed else "2026"
    feed = _get_json(port, "/api/v1/tax/feed?limit=50", tokens["tax"])
    feed_cursors = [feed["next_cursor"]]
    weights = {
        "list (bureau)": (12, lambda: Call("list (bureau)", "/api/v1/contracts?limit=20", tokens["bureau"])),
        "list (station)": (
            8,
            lambda: Call(
                "list (station)",
                "/api/v1/contracts?limit=20&status=" + rng.choice(["accepted", "submitted", "registered"]),
                tokens["reviewer"],
            ),
        ),
        "list (applicant)": (5, lambda: Call("list (applicant)", "/api/v1/contracts?limit=20", tokens["applicant"])),
        "contract": (25, lambda: Call("contract", f"/api/v1/contracts/{rng.choice(ids)}", tokens["bureau"])),
        "verify": (25, lambda: Call("verify", f"/api/v1/verify/{quote(rng.choice(numbers))}", None)),
        "tax feed": (
            10,
            lambda: Call(
                "tax feed",
                "/api/v1/tax/feed?limit=100" + (f"&after={rng.choice(feed_cursors)}" if rng.random() < 0.5 else ""),
                tokens["tax"],
            ),
        ),
        "stats": (
            15,
            lambda: Call(
                "stats",
                f"/api/v1/stats?year={year}&group_by="
                + rng.choice(["category", "month", "station", "technical_field"]),
                tokens["bureau"],
            ),
        ),
    }
    kinds = [kind for kind, (weight, _) in weights.items() for _ in range(weight)]
    return [weights[rng.choice(kinds)][1]() for _ in range(5000)]


class Client:
    """Client threads, each with its own keep-alive connection (re-opened after any failure)."""

    def __init__(self, port: int, timeout: float):
        self.port, self.timeout = port, timeout
        self.local = threading.local()

    def _connection(self) -> http.client.HTTPConnection:
        conn = getattr(self.local, "conn", None)
        if conn is None:
            conn = self.local.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
        return conn

    def send(self, call: Call, scheduled: float, outcome: Outcome, lock: threading.Lock) -> None:
        if time.perf_counter() - scheduled > self.timeout:  # never sent: the client gave up waiting for a thread
            with lock:
                outcome.fail("timeout")
            return
        headers = {"Authorization": f"Bearer {call.token}"} if call.token else {}
        try:
            conn = self._connection()
            conn.request("GET", call.path, headers=headers)
            response = conn.getresponse()
            response.read()
            status = response.status
        except (OSError, http.client.HTTPException) as error:
            self.local.conn = None
            with lock:
                outcome.fail("timeout" if isinstance(error, TimeoutError) else type(error).__name__)
            return
        elapsed_ms = (time.perf_counter() - scheduled) * 1000
        with lock:
            if 200 <= status < 300:
                outcome.latencies_ms.append(elapsed_ms)
            else:
                outcome.fail(str(status))
        if response.getheader("Connection", "").lower() == "close":
            conn.close()
            self.local.conn = None


def drive(port: int, calls: list[Call], rate: float, seconds: float, threads: int, timeout: float):
    """Offer `rate` requests per second for `seconds`; per kind, what came back; and the wall time taken."""
    client, lock = Client(port, timeout), threading.Lock()
    outcomes: dict[str, Outcome] = {}
    total = int(rate * seconds)
    with ThreadPoolExecutor(max_workers=threads) as pool:
        start = time.perf_counter() + 0.05
        for i in range(total):
            scheduled = start + i / rate
            delay = scheduled - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            call = calls[i % len(calls)]
            outcome = outcomes.setdefault(call.kind, Outcome())
            pool.submit(client.send, call, scheduled, outcome, lock)
    return outcomes, time.perf_counter() - start


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile; NaN for no values."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def summary(outcomes: dict[str, Outcome], wall: float) -> dict:
    latencies = [ms for o in outcomes.values() for ms in o.latencies_ms]
    errors: dict[str, int] = {}
    for o in outcomes.values():
        for reason, count in o.errors.items():
            errors[reason] = errors.get(reason, 0) + count
    return {
        "achieved": len(latencies) / wall,
        "p50": percentile(latencies, 0.50),
        "p95": percentile(latencies, 0.95),
        "p99": percentile(latencies, 0.99),
        "errors": errors,
        "answered": len(latencies),
    }


def print_row(server: str, rate: float, row: dict) -> None:
    errors = sum(row["errors"].values())
    detail = f"  ({', '.join(f'{k}: {v}' for k, v in sorted(row['errors'].items()))})" if errors else ""
    print(
        f"{server:<10} {rate:>7.0f} {row['achieved']:>9.1f} {row['p50']:>8.1f} {row['p95']:>8.1f} "
        f"{row['p99']:>8.1f} {errors:>7}{detail}",
        flush=True,
    )


def run_server(kind: str, env: dict, port: int, tokens: dict, args, workdir: Path) -> list[tuple[float, dict]]:
    server = Server(kind, env, port, workdir / f"{kind}.log")
    rows = []
    try:
        server.wait_ready()
        calls = build_mix(port, tokens, args.seed)
        drive(port, calls, args.warmup_rate, args.warmup, args.client_threads, args.timeout)  # caches, pools
        for rate in args.rates:
            outcomes, wall = drive(port, calls, rate, args.duration, args.client_threads, args.timeout)
            row = summary(outcomes, wall)
            rows.append((rate, row))
            print_row(kind, rate, row)
            if args.by_kind:
                for name, outcome in sorted(outcomes.items()):
                    print_row(f"  {name}"[:10], rate, summary({name: outcome}, wall))
            time.sleep(args.pause)
    finally:
        server.stop()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", required=True, help="postgresql://… (created when missing)")
    parser.add_argument(
        "--contracts", type=int, default=6000, help="synthetic registrations (written only into an empty registry)"
    )
    parser.add_argument("--filings", type=int, default=400, help="synthetic filings in review")
    parser.add_argument("--rates", default="50,100,200,300", help="offered requests per second, comma-separated")
    parser.add_argument("--duration", type=float, default=15, help="seconds per rate")
    parser.add_argument("--warmup", type=float, default=4, help="seconds of warm-up per server")
    parser.add_argument("--warmup-rate", type=float, default=30)
    parser.add_argument("--pause", type=float, default=2, help="seconds between rates")
    parser.add_argument("--timeout", type=float, default=10, help="a request unanswered after this is an error")
    parser.add_argument("--client-threads", type=int, default=64)
    parser.add_argument("--servers", default="gunicorn,flask", help="which servers, in order")
    parser.add_argument("--port", type=int, default=5890)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--by-kind", action="store_true", help="also a line per request kind")
    parser.add_argument("--keep-logs", action="store_true", help="keep the servers' logs (and access logs)")
    args = parser.parse_args()
    args.rates = [float(r) for r in args.rates.split(",")]
    if not args.database_url.startswith("postgresql"):
        sys.exit("the benchmark runs on PostgreSQL: --database-url postgresql://…")

    workdir = Path(tempfile.mkdtemp(prefix="tcr-bench-load-"))
    env = app_env(args.database_url, workdir / "instance")
    create_database(args.database_url)
    tokens = prepare(env, args.contracts, args.filings)
    cores = len(os.sched_getaffinity(0))
    print(
        f"\n{cores} cores, load average {os.getloadavg()[0]:.1f} at start; gunicorn: "
        f"{env.get('TCR_WORKERS', 'config default')} workers × {env.get('TCR_THREADS', 'config default')} threads; "
        f"{args.duration:.0f} s per rate" + (f"; logs in {workdir}" if args.keep_logs else "")
    )
    print(f"{'server':<10} {'offered':>7} {'achieved':>9} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>7}")
    results = {}
    for index, kind in enumerate(args.servers.split(",")):
        results[kind] = run_server(kind, env, args.port + index, tokens, args, workdir)
    for kind, rows in results.items():
        good = [
            rate
            for rate, row in rows
            if not row["errors"] and row["p95"] < TARGET_P95_MS and row["achieved"] >= 0.95 * rate
        ]
        print(
            f"{kind}: highest offered rate served fully with p95 < {TARGET_P95_MS} ms and no errors: "
            f"{max(good) if good else 'none'} req/s"
        )
    if not args.keep_logs:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
