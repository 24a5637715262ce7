"""Synthetic filings still in review or refused, with their status history, so that supervision has work to show.

app.services.synth writes registrations only; this adds the rest of a station's workload: filings submitted,
accepted or returned for amendment (some of them past their due date), and refusals on coded grounds, some after
an amendment request. Written with bulk Core inserts (a demo needs hundreds, not millions). No certificates,
numbers, feed events or audit records: synthetic data is for reading.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

from sqlalchemy import func, insert, select

from app.domain import catalogue
from app.domain.clock import today_local
from app.extensions import db
from app.models import Contract, ContractParty, Party, StatusChange
from app.services import synth

OUTCOMES = {"refused": 30, "accepted": 35, "submitted": 15, "amendment_requested": 20}
GROUNDS = {"not_technology_contract": 30, "price_unclear": 20, "documents_missing": 25, "subject_unclear": 10,
           "seals_incomplete": 10, "other": 5}
LIMIT_DAYS = 30
HISTORY_SPAN_DAYS = 540


def _filed_on(rng: random.Random, outcome: str, today: date) -> date:
    """Refusals spread over the last year and a half; open filings are mostly recent, a few past their limit."""
    if outcome == "refused" or rng.random() < 0.15:
        return today - timedelta(days=rng.randint(1, HISTORY_SPAN_DAYS))
    return today - timedelta(days=rng.randint(0, LIMIT_DAYS - 1))


def _history(contract_id: int, outcome: str, filed: datetime, amended: bool, grounds: list[str],
             decided: datetime | None) -> list[dict]:
    steps = [(None, "submitted", filed, {}), ("submitted", "accepted", filed + timedelta(hours=20), {})]
    if outcome == "submitted":
        steps = steps[:1]
    if amended:
        steps.append(("accepted", "amendment_requested", filed + timedelta(days=3),
                      {"reasons": ["补充技术附件"], "due_on": (filed + timedelta(days=18)).date().isoformat()}))
    if outcome == "refused":
        steps.append((steps[-1][1], "refused", decided, {"grounds": grounds}))
    return [{"contract_id": contract_id, "from_status": before, "to_status": after, "actor_id": None,
             "actor_role": "system", "note": "合成数据" if after == "refused" else None, "details": details,
             "created_at": at} for before, after, at, details in steps]


@dataclass
class _Setting:
    """What every synthetic filing draws from: the filer account, stations, organisations and today."""

    user_id: int
    serving: dict
    sellers: list[dict]
    buyers: list[dict]
    today: date
    now: datetime


def _filing(rng: random.Random, setting: _Setting, contract_id: int) -> tuple[dict, list[dict], list[dict]]:
    """One filing: its contract row, its two party rows and its status history."""
    outcome = synth.pick(rng, OUTCOMES, 1)[0]
    category = synth.pick(rng, synth.CATEGORY_WEIGHTS, 1)[0]
    seller, buyer = rng.choice(setting.sellers), rng.choice(setting.buyers)
    filed_on = _filed_on(rng, outcome, setting.today)
    filed = datetime.combine(filed_on, time(1, 30), timezone.utc)
    amended = outcome == "amendment_requested" or (outcome == "refused" and rng.random() < 0.4)
    decided = filed + timedelta(days=rng.randint(2, 28), hours=3) if outcome == "refused" else None
    grounds = sorted(set(synth.pick(rng, GROUNDS, rng.choice((1, 1, 2)))))
    amount = synth.lognormal_amount(rng)
    reviewed = outcome != "submitted"
    contract = {
        "id": contract_id, "organisation_id": seller["id"], "created_by_id": setting.user_id,
        "station_id": setting.serving[seller["area_code"]].id, "status": outcome, "rule_set": str(filed_on.year),
        "title": f"{rng.choice(synth.WORDS)}{catalogue.CATEGORIES[category].zh}合同", "category": category,
        "subtype": synth.pick(rng, synth.SUBTYPE_WEIGHTS[category], 1)[0],
        "signed_on": filed_on - timedelta(days=rng.randint(3, 40)), "amount": amount, "technical_amount": amount,
        "technical_field": synth.pick(rng, synth.FIELD_WEIGHTS, 1)[0], "ip_type": "none", "ip_numbers": [],
        "plan_category": "none", "payment_method": "lump_sum", "acknowledged_warnings": [], "filed_on": filed_on,
        "submitted_at": filed, "accepted_at": filed + timedelta(hours=20) if reviewed else None,
        "clock_started_on": filed_on if reviewed else None,
        "due_on": filed_on + timedelta(days=LIMIT_DAYS) if reviewed else None,
        "due_provisional": False, "expert_review": False, "decided_at": decided, "version": 0,
        "created_at": setting.now, "updated_at": setting.now,
    }
    parties = [{"contract_id": contract_id, "role": role, "party_id": party["id"], "name": party["name"],
                "credit_code": party["credit_code"], "id_number": None, "nature": party["nature"],
                "area_code": party["area_code"], "country": "156"}
               for role, party in (("seller", seller), ("buyer", buyer))]
    return contract, parties, _history(contract_id, outcome, filed, amended, grounds, decided)


def _setting(rng: random.Random, count: int) -> _Setting:
    serving, seller_areas = synth.station_of_area()
    start = (db.session.scalar(select(func.max(Party.id))) or 0) + 1
    size = max(10, count // 5)
    written = synth.insert_parties(
        synth.organisations(rng, size, seller_areas, None, synth.SELLER_NATURES, start)
        + synth.organisations(rng, size, list(synth.BUYER_AREAS), None, synth.BUYER_NATURES, start + size))
    return _Setting(synth.synth_user().id, serving, written[:size], written[size:], today_local(),
                    datetime.now(timezone.utc))


def generate(count: int, seed: int = 1) -> int:
    """Write `count` filings in review or refused, at the stations serving their sellers; returns how many."""
    rng = random.Random(seed)
    setting = _setting(rng, count)
    next_id = (db.session.scalar(select(func.max(Contract.id))) or 0) + 1
    contracts, parties, history = [], [], []
    for index in range(count):
        contract, contract_parties, changes = _filing(rng, setting, next_id + index)
        contracts.append(contract)
        parties += contract_parties
        history += changes
    db.session.execute(insert(Contract.__table__), contracts)
    db.session.execute(insert(ContractParty.__table__), parties)
    db.session.execute(insert(StatusChange.__table__), history)
    if db.engine.dialect.name == "postgresql":
        db.session.execute(select(func.setval(func.pg_get_serial_sequence("contracts", "id"),
                                              select(func.max(Contract.id)).scalar_subquery())))
    db.session.commit()
    return count
