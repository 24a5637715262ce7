"""Realised income: the verified technical income totalled per organisation (the contract's seller) and per person
(each researcher the contract names, matched by ID number), against the title green channel's thresholds. One
aggregate query per table."""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal

from sqlalchemy import func, select

from app.domain.identifiers import mask_id_number
from app.domain.income import GREEN_CHANNEL_LEVELS, GreenChannelLevel, progress_percent, reached_level
from app.extensions import db
from app.models import Contract, ContractParty, ContractResearcher, IncomeRecord

# Income verified on a contract whose registration was revoked no longer counts (the registration is void); a
# cancelled contract keeps what it had realised before it ended.
COUNTED_STATUSES = ("registered", "cancelled")


@dataclass(frozen=True)
class Realised:
    """One organisation's or person's realised technical income, and how far it is towards each level."""

    rank: int
    name: str
    key: str  # the credit code (an organisation) or the masked ID number (a person)
    contracts: int
    records: int
    income: Decimal
    level: GreenChannelLevel | None
    progress: tuple[int, ...]  # percent towards each of GREEN_CHANNEL_LEVELS


def _ranked(rows) -> list[Realised]:
    found = []
    for rank, (key, name, contracts, records, income) in enumerate(rows, start=1):
        income = Decimal(income or 0).quantize(Decimal("0.01"))
        found.append(
            Realised(
                rank=rank,
                name=name or "—",
                key=key or "—",
                contracts=contracts,
                records=records,
                income=income,
                level=reached_level(income),
                progress=tuple(progress_percent(income, level.threshold) for level in GREEN_CHANNEL_LEVELS),
            )
        )
    return found


def _verified():
    return (IncomeRecord.status == "verified", Contract.status.in_(COUNTED_STATUSES))


def by_organisation(limit: int = 200) -> list[Realised]:
    """Sellers ranked by the verified technical income of their contracts (one query)."""
    income = func.sum(IncomeRecord.technical_income)
    key = func.coalesce(ContractParty.credit_code, ContractParty.id_number, ContractParty.name)
    rows = db.session.execute(
        select(
            key,
            func.max(ContractParty.name),
            func.count(func.distinct(Contract.id)),
            func.count(IncomeRecord.id),
            income,
        )
        .select_from(IncomeRecord)
        .join(Contract, Contract.id == IncomeRecord.contract_id)
        .join(ContractParty, (ContractParty.contract_id == Contract.id) & (ContractParty.role == "seller"))
        .where(*_verified())
        .group_by(key)
        .order_by(income.desc(), key)
        .limit(limit)
    ).all()
    return _ranked(rows)


def by_person(limit: int = 200) -> list[Realised]:
    """Researchers ranked by the verified technical income of the contracts naming them (one query); the ID
    numbers leave masked."""
    income = func.sum(IncomeRecord.technical_income)
    rows = db.session.execute(
        select(
            ContractResearcher.id_number,
            func.max(ContractResearcher.name),
            func.count(func.distinct(Contract.id)),
            func.count(IncomeRecord.id),
            income,
        )
        .select_from(ContractResearcher)
        .join(Contract, Contract.id == ContractResearcher.contract_id)
        .join(IncomeRecord, IncomeRecord.contract_id == Contract.id)
        .where(*_verified())
        .group_by(ContractResearcher.id_number)
        .order_by(income.desc(), ContractResearcher.id_number)
        .limit(limit)
    ).all()
    return [replace(r, key=mask_id_number(r.key)) for r in _ranked(rows)]
