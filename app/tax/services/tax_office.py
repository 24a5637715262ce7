"""What a tax office reads about registrations in its areas: one registration's facts, and recent endings."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.domain.eligibility import eligibility_facts
from app.errors import NotFound
from app.extensions import db
from app.i18n import t
from app.models import Contract, StatusChange
from app.tax.services.exports import EXPORTED_STATUSES
from app.tax.services.tax_scope import scope_condition

ENDINGS = ("cancelled", "revoked")


def lookup(user, number: str) -> tuple[Contract, dict]:
    """The registration with this number in the officer's scope, with its eligibility facts; else NotFound."""
    contract = db.session.scalars(
        select(Contract)
        .where(
            Contract.registration_number == (number or "").strip(),
            Contract.status.in_(EXPORTED_STATUSES),
            scope_condition(user),
        )
        .options(selectinload(Contract.certificates), selectinload(Contract.history))
    ).first()
    if contract is None:
        raise NotFound(t("No registration with this number in your areas."))
    seller, buyer = contract.seller, contract.buyer
    facts = eligibility_facts(
        contract.category or "",
        contract.subtype or "",
        contract.ip_type,
        seller.nature if seller else None,
        seller.country if seller else None,
        contract.license_years,
        buyer_nature=buyer.nature if buyer else None,
        buyer_country=buyer.country if buyer else None,
        registered_on=contract.registered_on,
    )
    return contract, facts


def recent_endings(user, limit: int = 20) -> list[StatusChange]:
    """The latest cancellations and revocations of registrations in the officer's scope, newest first."""
    return list(
        db.session.scalars(
            select(StatusChange)
            .join(StatusChange.contract)
            .where(StatusChange.to_status.in_(ENDINGS), scope_condition(user))
            .options(selectinload(StatusChange.contract))
            .order_by(StatusChange.created_at.desc(), StatusChange.id.desc())
            .limit(limit)
        )
    )
