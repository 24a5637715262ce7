"""Synthetic registrations: bulk-written, numbered uniquely per station and year, and exported in full."""

from __future__ import annotations

import csv
import io
from collections import Counter
from datetime import UTC
from decimal import Decimal

from sqlalchemy import func, select

from app.demo import synth
from app.demo.seed import complete_credit_code
from app.domain.clock import SHANGHAI
from app.extensions import db
from app.models import Contract, ContractParty, RegistrationSequence, Station, User
from app.tax.services import exports


def test_synth_writes_numbered_registrations_that_export_in_full(app, make_account):
    with app.app_context():
        summary = synth.generate(200, seed=7, batch=64)
        db.session.commit()
        assert summary.contracts == 200
        contracts = db.session.scalars(select(Contract)).all()
        assert len(contracts) == 200 and {c.status for c in contracts} == {"registered"}
        numbers = [c.registration_number for c in contracts]
        assert len(set(numbers)) == 200 and all(len(n) == 16 for n in numbers)
        assert db.session.scalar(select(func.count()).select_from(ContractParty)) == 400
        for contract in contracts[:20]:
            assert contract.seller.area_code.startswith("1304") and contract.amount > 0
            assert complete_credit_code(contract.seller.credit_code[:17]) == contract.seller.credit_code
            assert contract.registration_number.startswith(contract.station.code)
            assert contract.registration_number[6:10] == str(contract.registered_on.year)
        # Each station's year is numbered 1..n and its sequence row is up to date.
        per_key = Counter((c.station_id, c.registered_on.year) for c in contracts)
        sequences = {(s.station_id, s.year): s.last_value for s in db.session.scalars(select(RegistrationSequence))}
        assert sequences == dict(per_key)
        codes = {s.id: s.code for s in db.session.scalars(select(Station))}
        for (station_id, year), count in per_key.items():
            mine = sorted(n for n in numbers if n[:10] == f"{codes[station_id]}{year}")
            assert [int(n[10:]) for n in mine] == list(range(1, count + 1))
        areas = sorted({p.area_code for c in contracts for p in c.parties})
        first = min(c.registered_on for c in contracts)
        last = max(c.registered_on for c in contracts)
    officer = make_account("tax", area_codes=tuple(areas), email="synth-tax@example.cn")
    with app.app_context():
        user = db.session.get(User, officer.id)
        data = b"".join(exports._csv(exports.records(user, first, last)))
        table = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
        assert table[1] == exports.KEYS and len(table) - 2 == 200
        assert sorted(row[0] for row in table[2:]) == sorted(numbers)


def test_synth_command_refuses_production_mode(app):
    app.config["ENV_MODE"] = "production"
    result = app.test_cli_runner().invoke(args=["demo", "synth", "--contracts", "5"])
    assert result.exit_code != 0 and "production" in result.output


def test_synthetic_filings_give_supervision_figures_that_agree_with_the_registry(app):
    from collections import Counter
    from datetime import datetime, timedelta

    from app.demo import synth_filings
    from app.domain.clock import SHANGHAI, today_local
    from app.models import StatusChange
    from app.statistics.services import supervision

    with app.app_context():
        synth.generate(60, seed=3)
        synth_filings.generate(150, seed=4)
        year = (today_local() - timedelta(days=200)).year  # a year with months of refusals whatever today is
        items = {item.station.code: item for item in supervision.supervise(year)}
        start = datetime(year, 1, 1, tzinfo=SHANGHAI)
        end = datetime(year + 1, 1, 1, tzinfo=SHANGHAI)
        contracts = db.session.scalars(select(Contract)).all()
        refused = [c for c in contracts if c.status == "refused" and start <= c.decided_at < end]
        assert refused and sum(i.refused for i in items.values()) == len(refused)
        undecided = [c for c in contracts if c.status in ("submitted", "accepted", "amendment_requested")]
        assert sum(i.pending for i in items.values()) == len(undecided)
        overdue = [c for c in undecided if c.due_on and c.due_on < today_local()]
        assert overdue and sum(i.overdue for i in items.values()) == len(overdue)
        grounds = Counter(
            g
            for change in db.session.scalars(select(StatusChange).where(StatusChange.to_status == "refused"))
            if start <= change.created_at < end
            for g in change.details["grounds"]
        )
        city = supervision.city_totals(list(items.values()))
        assert {g: n for g, n in city.refusals_by_ground.items() if n} == dict(grounds)
        busiest = max(items.values(), key=lambda i: i.refused)
        days = sorted(
            (c.decided_at.astimezone(SHANGHAI).date() - c.filed_on).days
            for c in contracts
            if c.station_id == busiest.station.id and c.decided_at and start <= c.decided_at < end
        )
        rank = lambda p: days[max(0, -(-len(days) * p // 100) - 1)]  # noqa: E731 - nearest rank, ⌈p·n⌉
        assert (busiest.median_days, busiest.p90_days) == (rank(50), rank(90))
        assert 0 < busiest.amendment_rate < 100


def test_synthetic_registrations_and_filings_keep_the_invariants_of_real_ones(app):
    from datetime import datetime

    from app.demo import synth_filings
    from app.domain.calendar import decision_deadline
    from app.domain.registration_number import parse_number
    from app.domain.rules import check_filing, rule_set_for
    from app.filing.services import contracts as filing
    from app.models import RegistrationFact, StatusChange, TaxEvent
    from app.tax.services import taxfeed

    with app.app_context():
        synth.generate(150, seed=11, batch=40)
        synth_filings.generate(120, seed=12)
        now = datetime.now(UTC)
        everything = db.session.scalars(select(Contract)).all()
        assert len(everything) == 270
        for contract in everything:
            rule_set = rule_set_for(contract.filed_on)
            assert contract.rule_set == rule_set.code, contract.id
            errors = {
                f.code
                for f in check_filing(filing.to_filing(contract), filing.check_context(contract))
                if f.severity.value == "error"
            }
            assert errors <= {"attachments.contract_text_required"}, (contract.id, errors)  # no files are written
            deducted = sum((d.amount for d in contract.deductions), Decimal("0"))
            assert contract.technical_amount == contract.amount - deducted > 0
            # filed_on is a date in Beijing time: after 16:00 UTC it is already the next day there
            assert contract.signed_on <= contract.filed_on <= contract.submitted_at.astimezone(SHANGHAI).date()
            moments = [c.created_at for c in contract.history]
            assert moments == sorted(moments) and moments[-1] <= now and moments[0] == contract.submitted_at
            assert contract.history[-1].to_status == contract.status
            if contract.accepted_at:
                assert contract.submitted_at <= contract.accepted_at <= (contract.decided_at or now)
                due = decision_deadline(rule_set, contract.clock_started_on, contract.technical_amount)
                assert (contract.due_on, contract.due_provisional) == (due.due_on, due.provisional)
        flagged = [c for c in everything if c.contributed_as_equity]  # technology as equity: transfers only
        assert flagged and {c.category for c in flagged} == {"transfer"}
        roles = [[p.role for p in c.other_parties] for c in everything]
        assert roles.count(["seller"]) and roles.count(["intermediary"]) and roles.count(["seller", "intermediary"])
        assert all(p.credit_code != c.seller.credit_code for c in everything for p in c.other_parties)
        registered = [c for c in everything if c.status == "registered"]
        assert len(registered) == 150
        events = {e.contract_id: e for e in db.session.scalars(select(TaxEvent).order_by(TaxEvent.position))}
        facts = set(db.session.scalars(select(RegistrationFact.contract_id)))
        for contract in registered:
            assert contract.certified_technical_amount <= contract.technical_amount
            assert contract.filed_on < contract.registered_on == contract.decided_at.astimezone(SHANGHAI).date()
            station, year, _ = parse_number(contract.registration_number)
            assert (station, year) == (contract.station.code, contract.registered_on.year)
            event = events[contract.id]
            assert event.payload == taxfeed.payload_of(contract, "registered", contract.decided_at)
            assert (event.event, event.version, event.seller_area) == ("registered", 1, contract.seller.area_code)
        assert facts == {c.id for c in registered} and len(events) == 150
        # the feed runs in registration order
        in_feed = [events[c].contract_id for c in events]
        assert in_feed == [c.id for c in sorted(registered, key=lambda c: (c.decided_at, c.id))]
        assert (
            db.session.scalar(
                select(func.count()).select_from(StatusChange).where(StatusChange.to_status == "registered")
            )
            == 150
        )


def test_the_tax_feed_and_the_export_list_the_same_synthetic_registrations(app, make_account, api_as):
    with app.app_context():
        synth.generate(90, seed=13)
        areas = sorted({p.area_code for c in db.session.scalars(select(Contract)) for p in c.parties})
    officer = api_as(make_account("tax", area_codes=tuple(areas), email="feed-tax@example.cn"))
    fed, url = [], "/api/v1/tax/feed?limit=25"
    while url:
        page = officer.get(url).json
        fed += [item["registration_number"] for item in page["items"]]
        url = f"/api/v1/tax/feed?limit=25&after={page['next_cursor']}" if page["items"] else None
    exported = officer.get("/api/v1/tax/exports?from=2024-01-01&to=2024-12-31&format=json").json
    exported += officer.get("/api/v1/tax/exports?from=2025-01-01&to=2025-12-31&format=json").json
    exported += officer.get("/api/v1/tax/exports?from=2026-01-01&to=2026-12-31&format=json").json
    assert len(fed) == 90 and sorted(fed) == sorted(row["registration_number"] for row in exported)
