"""Income records: the applicant declares the income received under a registered contract for a period and its
costs; a reviewer of the contract's station verifies the technical income (DOMAIN.md §12, 技术性收入核定).

A verification whose technical income reaches the four-eyes threshold follows the one rule of
app/domain/four_eyes.py: the first reviewer's verification is a proposal that a second reviewer of the station
approves. Once verified the record is on the contract's history, in the audit log and in the tax feed, in the
same transaction."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.audit.services import audit
from app.auth.permissions import can_file, can_review, can_view
from app.domain import four_eyes, workflow
from app.domain.clock import now_utc, today_local
from app.domain.four_eyes import Classification
from app.domain.income import COST_KINDS, periods_overlap
from app.domain.rules import rule_set_by_code
from app.errors import Conflict, FieldError, Forbidden, NotFound, ValidationFailed
from app.extensions import db
from app.filing.services.history import transition
from app.i18n import t
from app.models import Contract, IncomeCost, IncomeRecord
from app.models.base import MAX_ID
from app.models.income import PENDING_INCOME
from app.tax.services import taxfeed


def _invalid(code: str, field: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, [FieldError(code, field, message)])


def _lock(contract: Contract) -> None:
    """Serialise the records of one contract (PostgreSQL: the contract's row; SQLite has a single writer)."""
    db.session.execute(select(Contract.id).where(Contract.id == contract.id).with_for_update())


def _check_period(contract: Contract, period_from: date, period_to: date) -> None:
    if period_from is None or period_to is None:
        raise _invalid("required", "period_from" if period_from is None else "period_to", t("Give the period."))
    if period_to < period_from:
        raise _invalid("period.order", "period_to", t("The period cannot end before it begins."))
    if period_to > today_local():
        raise _invalid("period.future", "period_to", t("Income is declared for a period that has ended."))
    if contract.signed_on is not None and period_from < contract.signed_on:
        raise _invalid(
            "period.before_signing", "period_from", t("The period cannot begin before the contract was signed.")
        )
    for other in _records_of(contract):
        if periods_overlap(period_from, period_to, other.period_from, other.period_to):
            message = t(
                "The period overlaps the income already declared for %(start)s to %(end)s.",
                start=other.period_from.isoformat(),
                end=other.period_to.isoformat(),
            )
            raise Conflict(message, [FieldError("period.overlap", "period_from", message)])


def _checked_costs(received: Decimal, costs: list[dict]) -> list[IncomeCost]:
    rows = []
    for index, cost in enumerate(costs or []):
        kind, amount = cost.get("kind"), cost.get("amount")
        if kind not in COST_KINDS:
            raise _invalid("code.unknown", f"costs.{index}.kind", t("Unknown kind of cost."))
        if amount is None or amount < 0:
            raise _invalid("amount.negative", f"costs.{index}.amount", t("A cost cannot be negative."))
        rows.append(IncomeCost(kind=kind, amount=amount))
    if sum((row.amount for row in rows), Decimal("0.00")) > received:
        raise _invalid("costs.exceed_received", "costs", t("The costs together cannot exceed the income received."))
    return rows


def create(
    actor,
    contract: Contract,
    period_from: date,
    period_to: date,
    received: Decimal,
    costs: list[dict] | None,
    note: str | None,
) -> IncomeRecord:
    """Declare the income received under a registered contract for a period, with its costs (the applicant of the
    contract's organisation; one record per period, periods of a contract never overlapping)."""
    if not can_file(actor, contract):
        raise Forbidden(t("Only an applicant of the contract's organisation declares its income."))
    if not workflow.allows("record_income", contract.status):
        raise Conflict(t("Income is declared only on a registered contract."))
    if received is None or received <= 0:
        raise _invalid("amount.not_positive", "received", t("The income received must be more than zero."))
    _lock(contract)
    _check_period(contract, period_from, period_to)
    record = IncomeRecord(
        contract_id=contract.id,
        period_from=period_from,
        period_to=period_to,
        received=received,
        note=(note or "").strip() or None,
        status="submitted",
        created_by_id=actor.id,
        costs=_checked_costs(received, costs or []),
    )
    db.session.add(record)
    db.session.flush()
    audit.record(actor, "income.recorded", "income_record", record.id, None, figures(record))
    return record


def figures(record: IncomeRecord) -> dict:
    """The record's period and figures, as the audit log, the feed and the 核定表 state them."""
    by_kind = costs_by_kind(record)
    return {
        "contract_id": record.contract_id,
        "period_from": record.period_from,
        "period_to": record.period_to,
        "received": record.received,
        "costs": {kind: by_kind[kind] for kind in COST_KINDS if kind in by_kind},
        "total_costs": record.total_costs,
        "technical_income": record.technical_income,
        "status": record.status,
    }


def costs_by_kind(record: IncomeRecord) -> dict[str, Decimal]:
    """The declared costs summed per kind, in the order of COST_KINDS (kinds without a cost left out)."""
    sums: dict[str, Decimal] = defaultdict(lambda: Decimal("0.00"))
    for cost in record.costs:
        sums[cost.kind] += cost.amount
    return {kind: sums[kind] for kind in COST_KINDS if kind in sums}


def _records_of(contract: Contract) -> list[IncomeRecord]:
    return list(
        db.session.scalars(
            select(IncomeRecord)
            .where(IncomeRecord.contract_id == contract.id)
            .options(selectinload(IncomeRecord.costs))
            .order_by(IncomeRecord.period_from, IncomeRecord.id)
        )
    )


def for_contract(user, contract: Contract) -> list[IncomeRecord]:
    """The contract's income records in period order (whoever sees the contract sees them)."""
    return _records_of(contract)


def visible(actor, record_id: int, contract: Contract | None = None) -> IncomeRecord:
    """The record (on `contract`, when given) if the actor sees its contract, else a 404."""
    record = db.session.get(IncomeRecord, record_id) if 0 < record_id <= MAX_ID else None
    if record is None or (contract is not None and record.contract_id != contract.id):
        raise NotFound(t("No such income record."))
    if not can_view(actor, record.contract):
        raise NotFound(t("No such income record."))
    return record


def _for_station(actor, record_id: int, contract: Contract | None) -> IncomeRecord:
    """The record if the actor sees it (404), is a reviewer of its station (403), on a registered contract (409)."""
    record = visible(actor, record_id, contract)
    if not can_review(actor, record.contract):
        raise Forbidden(t("Only a reviewer of the responsible station verifies technical income."))
    if not workflow.allows("verify_income", record.contract.status):
        raise Conflict(t("Technical income is verified only on a registered contract."))
    return record


def second_review_reasons(contract: Contract, technical_income: Decimal) -> tuple[str, ...]:
    """Why verifying this technical income needs a second reviewer: the one four-eyes rule, applied to the
    technical income as the amount the station fixes (the class is the registration's and does not change)."""
    threshold = rule_set_by_code(contract.rule_set).second_review_threshold
    before = Classification(contract.category, contract.subtype, None)
    after = Classification(contract.category, contract.subtype, technical_income)
    return four_eyes.second_review_reasons(threshold, before, after, in_force=False)


def verify(actor, record_id: int, technical_income: Decimal, note: str | None, contract: Contract | None = None):
    """Fix the technical income of a declared record (between 0 and the income received; a figure other than the
    income minus the declared costs needs a note); where four eyes apply it waits for a second reviewer."""
    record = _for_station(actor, record_id, contract)
    if record.status != "submitted":
        raise Conflict(t("This income record has already been verified."))
    note = (note or "").strip() or None
    if technical_income is None or technical_income < 0 or technical_income > record.received:
        raise _invalid(
            "amount.technical_income_range",
            "technical_income",
            t("The technical income must be between 0 and the income received."),
        )
    if technical_income != record.declared_technical_income and note is None:
        raise _invalid(
            "correction.reason_required",
            "note",
            t("Give the reason why the technical income differs from the income minus the declared costs."),
        )
    record.technical_income, record.verify_note = technical_income, note
    record.verified_by_id, record.verified_at = actor.id, now_utc()
    reasons = second_review_reasons(record.contract, technical_income)
    record.review_reasons = list(reasons)
    if reasons:
        record.status = "proposed"
        audit.record(
            actor,
            "income.proposed",
            "income_record",
            record.id,
            {"status": "submitted"},
            {**figures(record), "reasons": list(reasons)},
        )
        return record
    return _finalise(actor, record)


def approve(actor, record_id: int, contract: Contract | None = None) -> IncomeRecord:
    """A second reviewer of the station approves a verification waiting for one (never the first reviewer)."""
    record = _for_station(actor, record_id, contract)
    if record.status != "proposed":
        raise Conflict(t("Nothing is waiting for approval."))
    if record.verified_by_id == actor.id:
        raise Forbidden(t("The second approval must come from another reviewer."))
    record.approved_by_id, record.approved_at = actor.id, now_utc()
    return _finalise(actor, record)


def _finalise(actor, record: IncomeRecord) -> IncomeRecord:
    """The record is verified: an entry on the contract's history (audited), and a feed event, together."""
    before = record.status
    record.status = "verified"
    contract = record.contract
    stated = figures(record)
    transition(
        contract,
        actor,
        contract.status,
        note=record.verify_note,
        details={
            "action": "income_verified",
            "income_record_id": record.id,
            **{k: stated[k] for k in ("period_from", "period_to", "received", "total_costs", "technical_income")},
            "verified_by": record.verified_by_id,
            "approved_by": record.approved_by_id,
        },
    )
    audit.record(actor, "income.verified", "income_record", record.id, {"status": before}, stated)
    taxfeed.record(contract, "income_verified", income=feed_income(record))
    return record


def feed_income(record: IncomeRecord) -> dict:
    """What the feed's event carries of the verified record: the period and the figures."""
    return audit.json_safe(
        {
            "record_id": record.id,
            "period_from": record.period_from,
            "period_to": record.period_to,
            "received": record.received,
            "costs": [{"kind": kind, "amount": amount} for kind, amount in costs_by_kind(record).items()],
            "technical_income": record.technical_income,
            "verified_on": today_local(),
        }
    )


def pending_for_station(station_id: int | None) -> list[IncomeRecord]:
    """The records waiting for the station: declared, or verified once and waiting for a second reviewer."""
    if station_id is None:
        return []
    return list(
        db.session.scalars(
            select(IncomeRecord)
            .join(Contract, Contract.id == IncomeRecord.contract_id)
            .where(IncomeRecord.status.in_(PENDING_INCOME), Contract.station_id == station_id)
            .options(selectinload(IncomeRecord.costs), selectinload(IncomeRecord.contract))
            .order_by(IncomeRecord.id)
        )
    )
