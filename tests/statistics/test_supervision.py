"""Supervision of the stations on a varied synthetic registry: every figure of every station and the city's
percentiles equal what a plain walk over the filings in Python gives (Beijing dates, nearest-rank percentiles, the
statutory and the promised due dates from the working-day calendar)."""

from __future__ import annotations

import math
import random
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from fractions import Fraction

import pytest
from sqlalchemy import select

from app.demo import synth
from app.domain.calendar import promised_due_on
from app.domain.clock import local
from app.extensions import db
from app.models import Contract, Station, StatusChange
from app.statistics.services import supervision

YEAR = 2025


def _rank(days: list[int], p: Fraction) -> int | None:
    ordered = sorted(days)
    return ordered[math.ceil(p * len(ordered)) - 1] if ordered else None


def _expected(year: int, today: date) -> dict[str, dict]:
    """The figures walked filing by filing, as the supervision page defines them."""
    amended = set(
        db.session.scalars(select(StatusChange.contract_id).where(StatusChange.to_status == "amendment_requested"))
    )
    out: dict[str, dict] = {}
    days_by_station: dict[str, list[int]] = {}
    for contract in db.session.scalars(select(Contract).where(Contract.station_id.is_not(None))):
        if contract.status == "draft":
            continue
        code = contract.station.code
        row = out.setdefault(code, dict.fromkeys(("received", "decided", "registered", "refused", "amended"), 0))
        row.update({k: row.get(k, 0) for k in ("pending", "overdue", "late", "late_on_commitment")})
        decided_on = local(contract.decided_at).date() if contract.decided_at else None
        decided = contract.status in supervision.DECIDED and decided_on is not None and decided_on.year == year
        undecided = contract.status in supervision.UNDECIDED
        row["received"] += contract.filed_on is not None and contract.filed_on.year == year
        if decided:
            row["decided"] += 1
            row["refused" if contract.status == "refused" else "registered"] += 1
            row["amended"] += contract.id in amended
            if contract.filed_on:
                days_by_station.setdefault(code, []).append((decided_on - contract.filed_on).days)
        if undecided:
            row["pending"] += 1
            row["overdue"] += contract.due_on is not None and contract.due_on < today
        if contract.due_on and (decided or undecided):
            on = decided_on if decided else today
            row["late"] += on > contract.due_on
            promised = promised_due_on(contract.clock_started_on, contract.station.commitment_days, contract.due_on)
            row["late_on_commitment"] += promised is not None and on > promised
    for code, days in days_by_station.items():
        out[code]["median_days"], out[code]["p90_days"] = _rank(days, Fraction(1, 2)), _rank(days, Fraction(9, 10))
    city = [d for days in days_by_station.values() for d in days]
    out["city"] = {"median_days": _rank(city, Fraction(1, 2)), "p90_days": _rank(city, Fraction(9, 10))}
    return out


@pytest.fixture
def varied(app):
    """Registrations with clocks, due dates and decisions at all hours (UTC midnight crossings included), some
    refused or waiting, some returned for amendment first; two stations with a service commitment."""
    rng = random.Random(7)
    with app.app_context():
        synth.generate(300, seed=3, batch=100)
        for code, days in (("130402", 5), ("130403", 12)):
            db.session.scalars(select(Station).where(Station.code == code)).one().commitment_days = days
        for contract in db.session.scalars(select(Contract).order_by(Contract.id)):
            start = contract.filed_on + timedelta(days=rng.randint(0, 3))
            contract.clock_started_on = start
            contract.due_on = start + timedelta(days=rng.choice((10, 20, 30, 400)))  # 400: a clock long paused
            took = rng.randint(0, 40) if rng.random() < 0.9 else rng.randint(100, 300)  # some very late
            contract.decided_at = datetime.combine(start, datetime.min.time(), UTC) + timedelta(
                days=took, hours=rng.randint(0, 23)
            )
            draw = rng.random()
            if draw < 0.1:
                contract.status, contract.decided_at = rng.choice(("submitted", "accepted", "expert_review")), None
            elif draw < 0.2:
                contract.status = "refused"
            if rng.random() < 0.15:
                db.session.add(
                    StatusChange(
                        contract_id=contract.id, to_status="amendment_requested", actor_role="reviewer", details={}
                    )
                )
        db.session.commit()
    return app


@pytest.mark.parametrize("year", [YEAR, 2026])
def test_every_station_figure_equals_a_walk_over_the_filings(varied, year):
    with varied.app_context():
        today = supervision.today_local()
        expected = _expected(year, today)
        items = supervision.supervise(year)
        assert {item.station.code for item in items} >= set(expected) - {"city"}
        compared = 0
        for item in items:
            want = expected.get(item.station.code)
            if want is None:
                continue
            got = {name: getattr(item, name) for name in want}
            assert got == want, item.station.code
            compared += 1
        assert compared >= 5
        assert sum(item.late_on_commitment for item in items) > 0 and sum(item.late for item in items) > 0
        city = supervision.city_totals(items)
        assert (city.median_days, city.p90_days) == (expected["city"]["median_days"], expected["city"]["p90_days"])
        assert city.decided == sum(want["decided"] for code, want in expected.items() if code != "city")


@pytest.mark.parametrize(
    ("histogram", "median", "p90"),
    [({}, None, None), ({7: 1}, 7, 7), ({1: 5, 2: 4, 3: 1}, 1, 2), ({3: 2, 10: 8}, 10, 10), ({1: 9, 50: 1}, 1, 1)],
)
def test_nearest_rank_percentiles_of_a_histogram(histogram, median, p90):
    """⌈p·n⌉ exactly: of ten decisions the 90th percentile is the 9th (a float 0.9 × 10 would give the 10th)."""
    assert supervision.nearest_rank(Counter(histogram), Fraction(1, 2)) == median
    assert supervision.nearest_rank(Counter(histogram), Fraction(9, 10)) == p90
