"""Keeps registration_facts in step with the registry: one INSERT … SELECT rewrites the facts of the registrations
that match a condition (one contract after a decision, a synthetic batch, or everything for a rebuild), and the
statistics rollup with them."""

from __future__ import annotations

from sqlalchemy import BigInteger, and_, case, cast, delete, extract, func, insert, literal, select, true
from sqlalchemy.orm import aliased

from app.domain import workflow
from app.domain.catalogue import COUNTRY_CHINA
from app.domain.statistics import REGION_PREFIXES
from app.extensions import db
from app.models import Contract, ContractParty, RegistrationFact
from app.statistics.services import rollup

REGISTRY_STATUSES = workflow.IN_REGISTRY  # a registration number was issued


def region_sql(area, country):
    """app.domain.statistics.region_of as a SQL CASE over a party's area code and country."""
    whens = [
        (and_(country.is_not(None), country != COUNTRY_CHINA), literal("abroad")),
        (area.is_(None), literal("unknown")),
    ]
    whens += [(area.like(prefix + "%"), literal(region)) for region, prefix in REGION_PREFIXES]
    return case(*whens, else_=literal("other_province"))


def _cents(column):
    return cast(func.round(column * 100), BigInteger)


FACT_COLUMNS = (
    "contract_id",
    "station_id",
    "status",
    "registered_on",
    "registered_year",
    "registered_month",
    "category",
    "subtype",
    "contributed_as_equity",
    "technical_field",
    "ip_type",
    "plan_category",
    "seller_area",
    "seller_nature",
    "seller_region",
    "buyer_area",
    "buyer_nature",
    "buyer_region",
    "amount_cents",
    "technical_amount_cents",
)


def source(condition):
    """The facts as a SELECT over the registry itself (labelled like registration_facts' columns)."""
    seller, buyer = aliased(ContractParty), aliased(ContractParty)
    columns = (
        Contract.id,
        Contract.station_id,
        Contract.status,
        Contract.registered_on,
        cast(extract("year", Contract.registered_on), BigInteger),
        cast(extract("month", Contract.registered_on), BigInteger),
        Contract.category,
        Contract.subtype,
        Contract.contributed_as_equity,
        Contract.technical_field,
        Contract.ip_type,
        Contract.plan_category,
        seller.area_code,
        seller.nature,
        region_sql(seller.area_code, seller.country),
        buyer.area_code,
        buyer.nature,
        region_sql(buyer.area_code, buyer.country),
        _cents(func.coalesce(Contract.amount, 0)),
        _cents(func.coalesce(Contract.certified_technical_amount, Contract.technical_amount, 0)),
    )
    return (
        select(*(column.label(name) for column, name in zip(columns, FACT_COLUMNS)))
        .outerjoin(seller, and_(seller.contract_id == Contract.id, seller.role == "seller"))
        .outerjoin(buyer, and_(buyer.contract_id == Contract.id, buyer.role == "buyer"))
        .where(
            Contract.status.in_(REGISTRY_STATUSES),
            Contract.registered_on.is_not(None),
            Contract.station_id.is_not(None),
            condition,
        )
    )


def refresh(condition=None) -> None:
    """Rewrite the facts of the contracts matching `condition` (a clause on Contract; None: all of them), and the
    rollup with them: the cells they counted in before, the cells they count in now."""
    everything = condition is None
    condition = true() if everything else condition
    db.session.flush()  # the SELECT below reads the registry as this transaction has it
    matching = RegistrationFact.contract_id.in_(select(Contract.id).where(condition))
    before = None if everything else rollup.cells_of(matching)
    db.session.execute(delete(RegistrationFact).where(matching), execution_options={"synchronize_session": False})
    db.session.execute(insert(RegistrationFact).from_select(FACT_COLUMNS, source(condition)))
    if everything:
        rollup.rebuild()
    else:
        rollup.add_difference(before, rollup.cells_of(matching))


def refresh_contract(contract: Contract) -> None:
    """After a registration, change, cancellation or revocation: the statistics see it in the same transaction."""
    refresh(Contract.id == contract.id)


def rebuild() -> int:
    """Recompute every fact from the registry; returns how many registrations there are."""
    refresh()
    return db.session.scalar(select(func.count()).select_from(RegistrationFact)) or 0
