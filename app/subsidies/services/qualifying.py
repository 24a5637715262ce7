"""What an enterprise could claim: the open programmes its registrations in force qualify for, with the amount."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select, union_all

from app.domain.subsidies import basis_amount, in_programme_year, subsidy_amount
from app.extensions import db
from app.models import Contract, ContractOtherParty, ContractParty
from app.subsidies.services import claims, programmes

MAX_ITEMS = 200  # an enterprise with more unclaimed registrations sees the newest ones first


def _registrations(credit_code: str, years: set[int]):
    """The organisation's registrations in force, with fixed amounts, of the given years, with its role in each (one
    query over both party tables, by their credit-code indexes)."""
    roles = union_all(
        select(ContractParty.contract_id, ContractParty.role).where(ContractParty.credit_code == credit_code),
        select(ContractOtherParty.contract_id, ContractOtherParty.role).where(
            ContractOtherParty.credit_code == credit_code
        ),
    ).subquery()
    return db.session.execute(
        select(
            Contract.id,
            Contract.registration_number,
            Contract.title,
            Contract.category,
            Contract.amount,
            Contract.technical_amount,
            Contract.certified_technical_amount,
            Contract.contributed_as_equity,
            Contract.registered_on,
            roles.c.role,
        )
        .join(roles, roles.c.contract_id == Contract.id)
        .where(
            Contract.status == "registered",
            Contract.amount_fixed.is_(True),
            Contract.registered_on >= date(min(years), 1, 1),
            Contract.registered_on <= date(max(years), 12, 31),
        )
        .order_by(Contract.registered_on.desc(), Contract.id.desc())
    ).all()


def qualifying(actor) -> list[dict]:
    """Each (open programme, registration) the organisation may claim now and has not claimed, with the amount it
    would get (the cap per organisation counts its pending claims too)."""
    credit_code, _ = claims.organisation_of(actor)
    open_programmes = [p for p in programmes.visible(actor) if p.beneficiary != "platform"]
    if not open_programmes:
        return []
    rows = _registrations(credit_code, {p.year for p in open_programmes})
    claimed = claims.claimed_keys(credit_code)
    items, seen = [], set()
    for programme in open_programmes:
        left = claims.left_for_organisation(programme, credit_code)
        for row in rows:
            key = (programme.id, row.registration_number)
            if row.role != programme.beneficiary or key in claimed or key in seen:
                continue
            if not in_programme_year(programme.year, row.registered_on):
                continue
            if programme.categories and row.category not in programme.categories:
                continue
            technical = (
                row.certified_technical_amount if row.certified_technical_amount is not None else row.technical_amount
            )
            basis = basis_amount(programme.basis, row.category, row.amount, technical, row.contributed_as_equity)
            if not basis:
                continue
            amount = subsidy_amount(programme.rate, basis, programme.cap_per_contract, left)
            if amount <= 0:
                continue
            seen.add(key)
            items.append(
                {
                    "programme": programme,
                    "contract_id": row.id,
                    "registration_number": row.registration_number,
                    "title": row.title,
                    "role": row.role,
                    "basis_amount": basis,
                    "amount": amount,
                }
            )
            if len(items) >= MAX_ITEMS:
                return items
    return items
