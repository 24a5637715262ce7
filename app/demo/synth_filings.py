"""Synthetic filings still in review or refused, with their status history, so that supervision has work to show.

app.demo.synth writes registrations only; this adds the rest of a station's workload: filings submitted,
accepted or returned for amendment (some of them past their due date), and refusals on coded grounds, some after
an amendment request. Written with bulk Core inserts (a demo needs hundreds, not millions), through the same
invariants as real filings (app.demo.synth_invariants: rule set and due date of the filing date, terms the rule
set accepts, amounts, ordered steps none of them in the future). No attachments, findings or audit records.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func, insert, select

from app.demo import synth
from app.demo import synth_invariants as rules
from app.domain import catalogue
from app.domain.clock import local, today_local
from app.domain.rules import rule_set_for
from app.extensions import db
from app.models import Contract, ContractOtherParty, ContractParty, Deduction, Party, StatusChange

OUTCOMES = {"refused": 30, "accepted": 35, "submitted": 15, "amendment_requested": 20}
GROUNDS = {
    "not_technology_contract": 30,
    "price_unclear": 20,
    "documents_missing": 25,
    "subject_unclear": 10,
    "seals_incomplete": 10,
    "other": 5,
}
LIMIT_DAYS = 30  # open filings are mostly from the last month (some past the rule set's limit)
AMENDMENT_DAYS = 15  # the time given for amended materials, as the station's form proposes
HISTORY_SPAN_DAYS = 540
BACKLOG_DAYS = 90  # the oldest open filing


def _filed_on(rng: random.Random, outcome: str, today: date) -> date:
    """Refusals spread over the last year and a half; open filings are mostly recent, a few weeks past their limit
    (a station's backlog, not filings forgotten for a year)."""
    if outcome == "refused":
        return today - timedelta(days=rng.randint(1, HISTORY_SPAN_DAYS))
    if rng.random() < 0.15:
        return today - timedelta(days=rng.randint(LIMIT_DAYS, BACKLOG_DAYS))
    return today - timedelta(days=rng.randint(0, LIMIT_DAYS - 1))


@dataclass
class _Steps:
    """When each step of a filing happened, in order and never after now."""

    filed: datetime
    accepted: datetime | None
    amended: datetime | None
    decided: datetime | None


def _steps(rng: random.Random, outcome: str, filed_on: date, amended: bool, now: datetime) -> _Steps:
    """Submission, acceptance, the amendment request and the refusal, each after the one before, none in future."""
    filed = min(datetime.combine(filed_on, time(1, 30), UTC), now)
    accepted = min(filed + timedelta(hours=20), now) if outcome != "submitted" else None
    amendment = min(accepted + timedelta(days=rng.randint(1, 4)), now) if amended else None
    decided = None
    if outcome == "refused":
        decided = min((amendment or accepted) + timedelta(days=rng.randint(2, 28), hours=3), now)
    return _Steps(filed, accepted, amendment, decided)


def _history(contract: dict, steps: _Steps, grounds: list[str]) -> list[dict]:
    """The status_changes rows of those steps, with the details the real decisions record."""
    contract_id = contract["id"]
    rows = [
        rules.step(
            contract_id,
            None,
            "submitted",
            steps.filed,
            {"station": contract["_station"], "rule_set": contract["rule_set"], "resubmission": False},
        )
    ]
    if steps.accepted:
        rows.append(
            rules.step(
                contract_id,
                "submitted",
                "accepted",
                steps.accepted,
                {"due_on": contract["due_on"].isoformat(), "clock_started": True},
            )
        )
    if steps.amended:
        rows.append(
            rules.step(
                contract_id,
                "accepted",
                "amendment_requested",
                steps.amended,
                {"reasons": ["补充技术附件"], "due_on": contract["amendment_due_on"].isoformat()},
                note="补充技术附件",
            )
        )
    if steps.decided:
        rows.append(
            rules.step(
                contract_id, rows[-1]["to_status"], "refused", steps.decided, {"grounds": grounds}, note="合成数据"
            )
        )
    return rows


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
    """One filing: its contract row (deductions under "_deductions", other parties under "_others"), its two party
    rows and its status history."""
    outcome = synth.pick(rng, OUTCOMES, 1)[0]
    seller, buyer = rng.choice(setting.sellers), rng.choice(setting.buyers)
    filed_on = _filed_on(rng, outcome, setting.today)
    rule_set = rule_set_for(filed_on)
    amended = outcome == "amendment_requested" or (outcome == "refused" and rng.random() < 0.4)
    steps = _steps(rng, outcome, filed_on, amended, setting.now)
    grounds = sorted(set(synth.pick(rng, GROUNDS, rng.choice((1, 1, 2)))))
    amount = synth.lognormal_amount(rng)
    technical, deductions = rules.split_amount(rng, amount, rng.choice((1.0, 1.0, rng.uniform(0.7, 1.0))))
    terms = rules.terms(
        rng,
        rule_set,
        synth.pick(rng, synth.CATEGORY_WEIGHTS, 1)[0],
        filed_on - timedelta(days=rng.randint(3, 40)),
        synth.SUBTYPE_WEIGHTS,
        synth.IP_BY_SUBTYPE,
    )
    clock = {"clock_started_on": None, "due_on": None, "due_provisional": False, "expert_review": False}
    if steps.accepted:  # the clock starts on the (Shanghai) day of acceptance
        clock = rules.clock_columns(rule_set, local(steps.accepted).date(), technical)
    word = rng.choice(synth.WORDS)
    station = setting.serving[seller["area_code"]]
    contract = {
        "id": contract_id,
        "organisation_id": seller["id"],
        "created_by_id": setting.user_id,
        "station_id": station.id,
        "status": outcome,
        "rule_set": rule_set.code,
        **terms,
        "title": f"{word}{catalogue.CATEGORIES[terms['category']].zh}合同",
        "amount": amount,
        "technical_amount": technical,
        "amount_fixed": True,
        "technical_field": synth.pick(rng, synth.FIELD_WEIGHTS, 1)[0],
        "plan_category": "none",
        "payment_method": "lump_sum",
        "summary": f"{word}相关技术服务与成果交付。",
        "acknowledged_warnings": [],
        "filed_on": filed_on,
        "submitted_at": steps.filed,
        "accepted_at": steps.accepted,
        **clock,
        "amendment_due_on": local(steps.amended).date() + timedelta(days=AMENDMENT_DAYS) if steps.amended else None,
        "decided_at": steps.decided,
        "version": 0,
        "created_at": steps.filed - timedelta(days=1),
        "updated_at": steps.decided or steps.amended or steps.accepted or steps.filed,
        "_station": station.code,
        "_deductions": deductions,
        "_others": synth.other_party_rows(contract_id, seller, setting.sellers),
    }
    parties = synth.party_rows(contract_id, seller, buyer)
    return contract, parties, _history(contract, steps, grounds)


def _setting(rng: random.Random, count: int) -> _Setting:
    serving, seller_areas = synth.station_of_area()
    start = (db.session.scalar(select(func.max(Party.id))) or 0) + 1
    size = max(10, count // 5)
    written = synth.insert_parties(
        synth.organisations(rng, size, seller_areas, None, synth.SELLER_NATURES, start)
        + synth.organisations(rng, size, list(synth.BUYER_AREAS), None, synth.BUYER_NATURES, start + size)
    )
    return _Setting(synth.synth_user().id, serving, written[:size], written[size:], today_local(), datetime.now(UTC))


def generate(count: int, seed: int = 1) -> int:
    """Write `count` filings in review or refused, at the stations serving their sellers; returns how many."""
    rng = random.Random(seed)
    setting = _setting(rng, count)
    next_id = (db.session.scalar(select(func.max(Contract.id))) or 0) + 1
    contracts, parties, others, deductions, history = [], [], [], [], []
    for index in range(count):
        contract, contract_parties, changes = _filing(rng, setting, next_id + index)
        deductions += [{**d, "contract_id": contract["id"]} for d in contract["_deductions"]]
        others += contract["_others"]
        contracts.append({k: v for k, v in contract.items() if not k.startswith("_")})
        parties += contract_parties
        history += changes
    db.session.execute(insert(Contract.__table__), contracts)
    for model, rows in (
        (ContractParty, parties),
        (ContractOtherParty, others),
        (Deduction, deductions),
        (StatusChange, history),
    ):
        if rows:
            db.session.execute(insert(model.__table__), rows)
    if db.engine.dialect.name == "postgresql":
        db.session.execute(
            select(
                func.setval(
                    func.pg_get_serial_sequence("contracts", "id"), select(func.max(Contract.id)).scalar_subquery()
                )
            )
        )
    db.session.commit()
    return count
