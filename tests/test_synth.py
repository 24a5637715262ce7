"""Synthetic registrations: bulk-written, numbered uniquely per station and year, and exported in full."""
from __future__ import annotations

import csv
import io
from collections import Counter

from sqlalchemy import func, select

from app.extensions import db
from app.models import Contract, ContractParty, RegistrationSequence, Station, User
from app.services import exports, synth
from app.services.demo import complete_credit_code


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

    from app.domain.clock import SHANGHAI, today_local
    from app.models import StatusChange
    from app.services import supervision, synth_filings

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
        grounds = Counter(g for change in db.session.scalars(select(StatusChange)
                                                             .where(StatusChange.to_status == "refused"))
                          if start <= change.created_at < end
                          for g in change.details["grounds"])
        city = supervision.city_totals(list(items.values()), year)
        assert {g: n for g, n in city.refusals_by_ground.items() if n} == dict(grounds)
        busiest = max(items.values(), key=lambda i: i.refused)
        days = sorted((c.decided_at.astimezone(SHANGHAI).date() - c.filed_on).days for c in contracts
                      if c.station_id == busiest.station.id and c.decided_at and start <= c.decided_at < end)
        rank = lambda p: days[max(0, -(-len(days) * p // 100) - 1)]  # noqa: E731 - nearest rank, ⌈p·n⌉
        assert (busiest.median_days, busiest.p90_days) == (rank(50), rank(90))
        assert 0 < busiest.amendment_rate < 100
