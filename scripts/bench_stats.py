"""Benchmark of the statistics on PostgreSQL: every table of the dashboard and of the annual tables, for the whole
city and for one station, as the app computes it (added up from the rollup), against the baseline of the same table
counted over registration_facts; then the dashboard, the annual tables and the supervision page through the
application (signed in as the bureau), this year and last, beside the same pages with every table counted over the
facts.

    python scripts/bench_stats.py --database-url postgresql://postgres@127.0.0.1:5432/tcr_bench --contracts 1000000

Fills the database like scripts/bench_export.py (synthetic registrations up to --contracts; facts rebuilt if they
lag behind the registry), then prints per table the best and the median of --runs runs in milliseconds, the
baseline's single run, and PASS/MISS against the targets: every table under one second, every page under 400 ms.
`--as-of 2026-11-30` compares this year with last year up to that date instead of today (a month's last day is the
most of last year's month the tables read from the facts). Set stations' service commitments first to time the
supervision's promised dates too (`UPDATE stations SET commitment_days = 10`, on a copy).

Then the county assessment (GET /bureau/assessment): its one aggregation over registration_facts, and the whole page
through the application as the bureau (test client, signed in through the log-in page), for this year and the last
complete one. `--assessment-only` times just that, on any database the app can open (e.g. the demo's SQLite file):

    python scripts/bench_stats.py --database-url sqlite:////tmp/demo.sqlite3 --assessment-only
"""

from __future__ import annotations

import argparse
import re
import statistics as pystats
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

TARGET_SECONDS = 1.0
STATION = "130402"


def _tables():
    """(name, group_by, flow) of every dashboard panel and annual table, without repeats."""
    from app.statistics.services.annual import ANNUAL_TABLES
    from app.statistics.services.dashboard import PANELS

    seen, out = set(), []
    for panel in PANELS:
        key = (panel.group_by, panel.flow)
        if key not in seen:
            seen.add(key)
            out.append((panel.key, panel.group_by, panel.flow))
    for spec in ANNUAL_TABLES:
        if spec.breakdown:
            key = ((spec.dimension, spec.breakdown), spec.flow)
            if key not in seen:
                seen.add(key)
                out.append((f"{spec.dimension}×{spec.breakdown}", key[0], spec.flow))
    return out


def _ensure_facts() -> None:
    from sqlalchemy import func, select, text

    from app.extensions import db
    from app.models import Contract, RegistrationFact
    from app.statistics.services import stats_facts

    registry = db.session.scalar(
        select(func.count()).select_from(Contract).where(Contract.registration_number.is_not(None))
    )
    facts = db.session.scalar(select(func.count()).select_from(RegistrationFact))
    print(f"registry: {registry} registrations, facts: {facts}", flush=True)
    if facts != registry:
        started = time.perf_counter()
        stats_facts.rebuild()
        db.session.commit()
        db.session.execute(text("ANALYZE registration_facts"))
        db.session.commit()
        print(f"facts rebuilt in {time.perf_counter() - started:.1f} s", flush=True)


def _time(compute, runs: int) -> tuple[float, float, int]:
    seconds = []
    rows = 0
    for _ in range(runs):
        started = time.perf_counter()
        table = compute()
        seconds.append(time.perf_counter() - started)
        rows = len(table.rows)
    return min(seconds), pystats.median(seconds), rows


BENCH_BUREAU = ("bench-bureau@example.invalid", "Bench-Bureau-2026")


def _bureau_client(app):
    """A test client signed in as a bureau account made for the benchmark (once)."""
    from sqlalchemy import select

    from app.accounts.services import accounts
    from app.extensions import db
    from app.models import User

    email, password = BENCH_BUREAU
    with app.app_context():
        if db.session.scalars(select(User).where(User.email == email)).first() is None:
            accounts.create_user(email, password, "bureau", "基准测试")
            db.session.commit()
    client = app.test_client()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', client.get("/login").text).group(1)
    answer = client.post("/login", data={"email": email, "password": password, "csrf_token": token})
    assert answer.status_code == 302, answer.status_code
    return client


def _bench_assessment(app, runs: int) -> float:
    """Time the assessment's aggregation and its page, this year and last; returns the slowest median (s)."""
    from app.domain.clock import today_local
    from app.extensions import db
    from app.statistics.services import assessment

    client = _bureau_client(app)
    today = today_local()
    worst = 0.0
    print(
        f"{'county assessment':<28}{'year':<6}{'groups':>7}{'query best':>12}{'median':>9}{'page best':>11}{'median':>9}"
        f"{'baseline':>10}"
    )
    for year in (today.year, today.year - 1):
        with app.app_context():
            query = [_time_call(lambda: assessment.county_figures(year, today)) for _ in range(runs)]
            groups = len(assessment.county_figures(year, today))
            baseline = _time_call(lambda: _assessment_per_county(assessment.counties(), year))
            db.session.remove()
        page = []
        for _ in range(runs):
            started = time.perf_counter()
            answer = client.get(f"/bureau/assessment?year={year}")
            page.append(time.perf_counter() - started)
            assert answer.status_code == 200 and "ranking" in answer.text, answer.status_code
        worst = max(worst, pystats.median(query), pystats.median(page))
        print(
            f"{'':<28}{year:<6}{groups:>7}{min(query) * 1000:>10.0f}ms{pystats.median(query) * 1000:>7.0f}ms"
            f"{min(page) * 1000:>9.0f}ms{pystats.median(page) * 1000:>7.0f}ms{baseline * 1000:>8.0f}ms",
            flush=True,
        )
    print(f"{'PASS' if worst < TARGET_SECONDS else 'MISS'}  the county assessment (query and page) under 1 s")
    print("baseline: the same monthly sums asked county by county and year by year (one query each), once")
    return worst


PAGE_TARGET_SECONDS = 0.4  # the statistics pages at province scale
PAGES = (
    ("dashboard", "/stats?year={year}", "first-screen"),
    ("annual tables", "/stats/annual?year={year}", "<table"),
    ("supervision", "/stats/supervision?year={year}", "<table"),
)


def _bench_pages(app, runs: int, baseline: bool) -> float:
    """The statistics pages through the application as the bureau (test client, signed in through the log-in page):
    the dashboard, the annual tables and the supervision page, for this year and the last complete one; with the
    baseline of the dashboard's tables counted over registration_facts (what the page cost before the rollup).
    Returns the slowest median (s)."""
    from unittest import mock

    from sqlalchemy import event

    from app.domain.clock import today_local
    from app.extensions import db
    from app.statistics.services import rollup

    client = _bureau_client(app)
    today = today_local()
    print(f"{'page':<28}{'year':<6}{'queries':>8}{'best':>9}{'median':>9}{'baseline':>10}")
    worst = 0.0
    for label, path, marker in PAGES:
        for year in (today.year, today.year - 1):
            url = path.format(year=year)
            statements = []
            with app.app_context():
                listener = lambda *args: statements.append(1)  # noqa: E731 (counted per page)
                event.listen(db.engine, "before_cursor_execute", listener)
                answer = client.get(url)
                event.remove(db.engine, "before_cursor_execute", listener)
            assert answer.status_code == 200 and marker in answer.text, (url, answer.status_code)
            seconds = [_time_call(lambda: client.get(url)) for _ in range(runs)]
            before = ""
            if baseline and label != "supervision":  # the tables counted over the facts, as before the rollup
                with mock.patch.object(rollup, "grouping_for", lambda *args: None):
                    before = f"{_time_call(lambda: client.get(url)) * 1000:>8.0f}ms"
            median = pystats.median(seconds)
            worst = max(worst, median)
            print(
                f"{label:<28}{year:<6}{len(statements):>8}{min(seconds) * 1000:>7.0f}ms{median * 1000:>7.0f}ms"
                f"{before:>10}",
                flush=True,
            )
    print(
        f"{'PASS' if worst < PAGE_TARGET_SECONDS else 'MISS'}  every statistics page under "
        f"{PAGE_TARGET_SECONDS * 1000:.0f} ms (slowest median {worst * 1000:.0f} ms)"
    )
    print("baseline: the same page with every table counted over registration_facts (no rollup), once")
    return worst


REFRESHED = 200  # registrations whose facts are rewritten to time the writers' share of the rollup


def _bench_refresh(app) -> None:
    """What the rollup costs the transactions that register, change, cancel or revoke: stats_facts.refresh_contract
    for REFRESHED registrations of the latest year, with the rollup kept and (baseline) with the facts alone, each
    in a transaction rolled back (nothing is written)."""
    from unittest import mock

    from sqlalchemy import select

    from app.extensions import db
    from app.models import Contract
    from app.statistics.services import rollup, stats_facts

    def run(keep_rollup: bool) -> list[float]:
        seconds = []
        with app.app_context():
            contracts = db.session.scalars(
                select(Contract).where(Contract.status == "registered").order_by(Contract.id.desc()).limit(REFRESHED)
            ).all()
            patches = (
                []
                if keep_rollup
                else [
                    mock.patch.object(rollup, "cells_of", lambda condition: {}),
                    mock.patch.object(rollup, "add_difference"),
                ]
            )
            for patch in patches:
                patch.start()
            try:
                for contract in contracts:
                    contract.amount += 1  # a change: the rollup's cells move by a cent
                    seconds.append(_time_call(lambda c=contract: stats_facts.refresh_contract(c)))
            finally:
                for patch in patches:
                    patch.stop()
                db.session.rollback()
        return seconds

    kept, alone = run(True), run(False)
    print(
        f"refresh of one registration's facts ({REFRESHED} changes, rolled back): with the rollup "
        f"{pystats.median(kept) * 1000:.1f} ms median, {max(kept) * 1000:.1f} ms max; "
        f"baseline, the facts alone {pystats.median(alone) * 1000:.1f} ms median"
    )


def _assessment_per_county(counties, year: int) -> None:
    """The baseline: what a per-county loop costs (36 queries) instead of the one grouped aggregation."""
    from sqlalchemy import func, select

    from app.extensions import db
    from app.models import RegistrationFact as F

    for county in counties:
        for registered_year in (year, year - 1):
            db.session.execute(
                select(F.registered_month, func.sum(F.amount_cents))
                .where(F.status == "registered", F.registered_year == registered_year, F.seller_area == county.code)
                .group_by(F.registered_month)
            ).all()


def _time_call(call) -> float:
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--contracts", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument("--assessment-only", action="store_true", help="time only the county assessment")
    parser.add_argument(
        "--subsidies", action="store_true", help="time the subsidy pages instead (bench_subsidies: writes claims)"
    )
    parser.add_argument(
        "--as-of",
        type=date.fromisoformat,
        help="compare the current year with last year up to this date instead of today (e.g. a month's last day: "
        "the most of last year's month the tables read from the facts)",
    )
    args = parser.parse_args()
    if args.as_of:
        from app.statistics.services import stats

        stats.today_local = lambda: args.as_of
    if args.subsidies:
        bench_subsidies(args.database_url, args.contracts, args.seed, args.runs)
        return

    import bench_export
    from sqlalchemy import select, text

    from app.domain.clock import today_local
    from app.domain.statistics import comparison_cutoff
    from app.extensions import db
    from app.models import Station
    from app.statistics.services import stats

    bench_export.prepare(args.database_url, args.contracts, args.seed)  # migrated, filled up to --contracts
    if args.assessment_only:
        _bench_assessment(bench_export._make_app(args.database_url), args.runs)
        return
    app = bench_export._make_app(args.database_url)
    with app.app_context():
        _ensure_facts()
        station = db.session.scalars(select(Station).where(Station.code == STATION)).one()
        year = today_local().year - 1  # the latest complete year (the current one is smaller)
        counted = db.session.scalar(
            text("SELECT count(*) FROM registration_facts WHERE status = 'registered' AND registered_year IN (:y, :p)"),
            {"y": year, "p": year - 1},
        )
        print(f"year {year} (with {year - 1} for comparison): {counted} registrations aggregated per city table")
        print(
            f"{'table':<28}{'flow':<11}{'rows':>5}{'city best':>11}{'median':>9}{'station':>9}"
            f"{'baseline':>10}{'speed-up':>9}"
        )
        worst = 0.0
        for name, group_by, flow in _tables():
            city = stats.StatsQuery(year, group_by, flow)
            best, median, rows = _time(lambda: stats.compute(city), args.runs)
            _, station_median, _ = _time(
                lambda: stats.compute(stats.StatsQuery(year, group_by, flow, station)), args.runs
            )
            worst = max(worst, median, station_median)
            baseline = ""
            speedup = ""
            if not args.no_baseline:  # the same table counted over registration_facts, without the rollup
                seconds = _time_call(lambda: stats._from_facts(city, comparison_cutoff(year, stats.today_local())))
                baseline, speedup = f"{seconds * 1000:>8.0f}ms", f"{seconds / median:>8.1f}×"
            print(
                f"{name:<28}{flow:<11}{rows:>5}{best * 1000:>9.0f}ms{median * 1000:>7.0f}ms"
                f"{station_median * 1000:>7.0f}ms{baseline:>10}{speedup:>9}",
                flush=True,
            )
        rollup_rows = db.session.scalar(text("SELECT count(*) FROM stats_rollup"))
        print(f"rollup: {rollup_rows} rows; baseline: the same table counted over registration_facts, once")
        print(f"slowest table (median): {worst * 1000:.0f} ms")
        print(
            f"{'PASS' if worst < TARGET_SECONDS else 'MISS'}  every table under {TARGET_SECONDS:.0f} s "
            f"on {counted} registrations of the year and the year before"
        )
        db.engine.dispose()
    _bench_pages(app, args.runs, not args.no_baseline)
    _bench_refresh(app)
    _bench_assessment(app, args.runs)


SUBSIDY_CLAIMS = 2_000  # claims written for the bureau's pages (one per registration of the busiest buyers)


def bench_subsidies(url: str, contracts: int, seed: int, runs: int) -> None:
    """The subsidy pages' figures through the app: the qualifying programmes of the organisation that bought most
    this year (GET /api/v1/subsidy-programmes/qualifying), and the bureau's claims and programmes lists with
    SUBSIDY_CLAIMS claims present. Writes a programme, two accounts and the claims: run it on a copy."""
    from datetime import date
    from decimal import Decimal

    import bench_export
    from sqlalchemy import func, select, text

    from app.accounts.services import accounts, tokens
    from app.domain.clock import today_local
    from app.extensions import db
    from app.models import Contract, ContractParty, SubsidyClaim, SubsidyProgramme, User
    from app.subsidies.services import programmes

    bench_export.prepare(url, contracts, seed)
    app = bench_export._make_app(url)
    year = today_local().year
    with app.app_context():
        this_year = (Contract.status == "registered", Contract.registered_on >= date(year, 1, 1))
        buyer = db.session.execute(
            select(ContractParty.credit_code, func.max(ContractParty.name), func.count())
            .join(Contract, Contract.id == ContractParty.contract_id)
            .where(ContractParty.role == "buyer", ContractParty.credit_code.is_not(None), *this_year)
            .group_by(ContractParty.credit_code)
            .order_by(func.count().desc())
            .limit(1)
        ).one()
        print(f"busiest buyer this year: {buyer[0]} with {buyer[2]} registrations", flush=True)
        bureau = db.session.scalar(select(User).where(User.email == "bench-bureau@bench.tcr")) or accounts.create_user(
            "bench-bureau@bench.tcr", "Bench-2026-pw", "bureau", "基准测试"
        )
        organisation = accounts.find_or_create_organisation(buyer[0], buyer[1] or "基准买方", "130402", "150")
        applicant = db.session.scalar(
            select(User).where(User.email == "bench-buyer@bench.tcr")
        ) or accounts.create_user(
            "bench-buyer@bench.tcr", "Bench-2026-pw", "applicant", "基准", organisation=organisation
        )
        name = f"{year}年基准补贴"
        programme = db.session.scalar(select(SubsidyProgramme).where(SubsidyProgramme.name == name))
        if programme is None:
            body = {"name": name, "year": year, "beneficiary": "buyer", "basis": "contract_amount"}
            body |= {"rate": Decimal("0.05"), "cap_per_contract": None}
            body |= {"cap_per_organisation_year": None, "budget": Decimal("999999999.00")}
            body |= {"categories": [], "open_from": today_local(), "open_until": today_local()}
            programme = programmes.create(bureau, body)
            db.session.execute(
                text(
                    "INSERT INTO subsidy_claims (programme_id, contract_id, registration_number, "
                    "beneficiary_credit_code, beneficiary_name, beneficiary_role, basis_amount, amount, status, "
                    "flagged, external, claimed_by_id, created_at) "
                    "SELECT :p, c.id, c.registration_number, b.credit_code, coalesce(b.name, ''), 'buyer', c.amount, "
                    "round(c.amount * 0.05, 2), 'pending', false, false, :u, CURRENT_TIMESTAMP "
                    "FROM contracts c JOIN contract_parties b ON b.contract_id = c.id AND b.role = 'buyer' "
                    "WHERE c.status = 'registered' AND c.amount IS NOT NULL AND b.credit_code IS NOT NULL "
                    "AND b.credit_code <> :mine ORDER BY c.id DESC LIMIT :n"
                ),
                {"p": programme.id, "u": bureau.id, "mine": buyer[0], "n": SUBSIDY_CLAIMS},
            )
        _, bureau_token = tokens.create_token(bureau, "bench")
        _, buyer_token = tokens.create_token(applicant, "bench")
        db.session.commit()
        claims_present = db.session.scalar(select(func.count()).select_from(SubsidyClaim))
        registrations = db.session.scalar(select(func.count()).where(Contract.status == "registered"))
        programme_id = programme.id
    client = app.test_client()
    pages = [
        ("qualifying (busiest buyer)", "/api/v1/subsidy-programmes/qualifying", buyer_token),
        ("bureau claims list", "/api/v1/subsidy-claims", bureau_token),
        (
            "bureau claims, one programme",
            f"/api/v1/subsidy-claims?status=pending&programme={programme_id}",
            bureau_token,
        ),
        ("bureau programmes", "/api/v1/subsidy-programmes", bureau_token),
        ("bureau claims page (HTML)", "/bureau/subsidies/claims", None),
        ("bureau programmes page (HTML)", "/bureau/subsidies/programmes", None),
        # the baseline in the same run: the bureau's plain contract list (an existing, paged endpoint)
        ("baseline: bureau's contract list", "/api/v1/contracts", bureau_token),
    ]
    page_client = _bureau_client(app)
    print(f"{registrations} registrations, {claims_present} claims")
    worst = 0.0
    for label, path, token in pages:
        seconds, items = [], 0
        for _ in range(runs):
            started = time.perf_counter()
            if token is None:  # a page, signed in
                response = page_client.get(path)
            else:
                response = client.get(path, headers={"Authorization": f"Bearer {token}"})
            seconds.append(time.perf_counter() - started)
            assert response.status_code == 200, response.status_code
            items = (
                len(response.json["items"])
                if token
                else len(re.findall(r'id="(?:claim|programme)-\d+"', response.text))
            )
        if not label.startswith("baseline"):
            worst = max(worst, pystats.median(seconds))
        print(
            f"{label:<32}{items:>6} items {min(seconds) * 1000:>7.0f}ms best {pystats.median(seconds) * 1000:>7.0f}ms median"
        )
    print(f"{'PASS' if worst < TARGET_SECONDS else 'MISS'}  every subsidy page under {TARGET_SECONDS:.0f} s")
    with app.app_context():
        db.engine.dispose()


if __name__ == "__main__":
    main()
