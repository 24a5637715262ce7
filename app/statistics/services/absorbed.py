"""The absorption tables count the registrations imported from other registries beside the local registry's facts:
one UNION ALL of registration_facts and imported_registrations, labelled like the facts, with a `source` column
(本地登记, 北京吸纳, 天津吸纳, …). The output tables never read it."""

from __future__ import annotations

from sqlalchemy import BigInteger, Integer, cast, extract, func, literal, null, select
from sqlalchemy.sql.util import ClauseAdapter

from app.domain.absorption import LOCAL_SOURCE
from app.models import ImportedRegistration, RegistrationFact
from app.statistics.services.stats_facts import FACT_COLUMNS, region_sql

F, IMP = RegistrationFact, ImportedRegistration
NAMES = [name for name in FACT_COLUMNS if name != "contract_id"]


def _cents(amount):
    return cast(func.round(amount * 100), BigInteger)


def _imported_columns() -> dict[str, object]:
    """The imported registrations in the facts' columns (no station, no contract: another registry's)."""
    return {
        "station_id": cast(null(), Integer),
        "status": IMP.status,
        "registered_on": IMP.registered_on,
        "registered_year": cast(extract("year", IMP.registered_on), BigInteger),
        "registered_month": cast(extract("month", IMP.registered_on), BigInteger),
        "category": IMP.category,
        "subtype": IMP.subtype,
        "contributed_as_equity": IMP.contributed_as_equity,
        "technical_field": IMP.technical_field,
        "ip_type": cast(null(), F.ip_type.type),
        "plan_category": cast(null(), F.plan_category.type),
        "seller_area": IMP.seller_area,
        "seller_nature": IMP.seller_nature,
        "seller_region": region_sql(IMP.seller_area, IMP.seller_country),
        "buyer_area": IMP.buyer_area,
        "buyer_nature": IMP.buyer_nature,
        "buyer_region": region_sql(IMP.buyer_area, IMP.buyer_country),
        "amount_cents": _cents(IMP.amount),
        "technical_amount_cents": _cents(IMP.technical_amount),
    }


def _imported():
    imported = _imported_columns()
    return select(*(imported[name].label(name) for name in NAMES), IMP.source.label("source"))


def _local():
    return select(*(getattr(F, name) for name in NAMES), literal(LOCAL_SOURCE).label("source"))


def union():
    """registration_facts UNION ALL imported_registrations, as a subquery with the facts' column names and
    `source`."""
    return _local().union_all(_imported()).subquery("absorbed")


def including_imports(statement):
    """A statement over registration_facts rewritten to read the union instead: every column of the facts (in the
    selected dimensions, the filters and the sums) becomes the union's column of the same name."""
    return ClauseAdapter(union(), adapt_on_names=True).traverse(statement)


def imports_only(statement):
    """The same statement over the imported registrations alone (what the rollup, local by nature, lacks)."""
    return ClauseAdapter(_imported().subquery("absorbed"), adapt_on_names=True).traverse(statement)


def local_only(statement):
    """The same statement over the local registry's facts alone, with their `source`."""
    return ClauseAdapter(_local().subquery("absorbed"), adapt_on_names=True).traverse(statement)
