"""The dimensions statistics group registrations by: each one's SQL over registration_facts (given the flow), its
known codes in display order and its names. The tables (stats) and the rollup (rollup) read the same definitions."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import case, func, literal_column
from sqlalchemy.sql import column

from app.domain import areas, catalogue
from app.domain.absorption import SOURCES
from app.domain.catalogue import Label
from app.domain.statistics import AMOUNT_BANDS, COUNTERPART, FLOW_PARTY, NATURE_GROUP_PREFIXES, NATURE_GROUPS, REGIONS
from app.models import RegistrationFact

SOURCE = column("source")  # the absorption union's source column (app.statistics.services.absorbed)
F = RegistrationFact
MAX_DIMENSIONS = 3
MONTHS = {
    m: Label(f"{m}月", ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")[m - 1])
    for m in range(1, 13)
}


def _party_column(flow: str, suffix: str, counterpart: bool = False):
    party = (COUNTERPART if counterpart else FLOW_PARTY)[flow]
    return getattr(F, f"{party}_{suffix}")


def _amount_band(_flow: str):
    # Inline constants: the statement groups by ordinal, but inline values keep the SQL readable in EXPLAIN too.
    whens = [
        (F.amount_cents >= literal_column(str(int(lower * 100))), literal_column(f"'{code}'"))
        for code, (_label, lower) in reversed(AMOUNT_BANDS.items())
        if lower is not None
    ]
    return case(*whens, else_=literal_column("'under_100k'"))


def _nature_group(flow: str):
    column = _party_column(flow, "nature")
    whens = [
        (column.like(literal_column(f"'{prefix}%'")), literal_column(f"'{group}'"))
        for group, prefix in NATURE_GROUP_PREFIXES
    ]
    return case(*whens, else_=column)


def _province(flow: str):
    return func.substr(_party_column(flow, "area"), 1, 2).concat(literal_column("'0000'"))


# The national layout counts technology contributed as equity (技术入股) in a column of its own beside the sub-types.
EQUITY_CODES: dict[str, Label] = {
    "equity": catalogue.EQUITY,
    "not_equity": Label("非技术入股", "Not contributed as equity"),
}


def _equity(_flow: str):
    return case((F.contributed_as_equity, literal_column("'equity'")), else_=literal_column("'not_equity'"))


def _area_label(code: str) -> Label:
    name = areas.full_name(code)
    return Label(name, name)


def _labels(mapping: dict[str, Label]) -> Callable[[object], Label | None]:
    return mapping.get


@dataclass(frozen=True)
class Dimension:
    """A way to group registrations: its SQL (given the flow), its known codes in display order, and names."""

    label: Label
    column: Callable[[str], object]
    label_of: Callable[[object], Label | None]
    codes: Callable[[], list] | None = None  # the whole domain, in display order; None: order by amount
    by_flow: bool = False  # which party it reads depends on the flow (output: the seller; absorption: the buyer)


def _subtype_codes() -> list[str]:
    return [code for subtypes in catalogue.SUBTYPES.values() for code in subtypes]


def _subtype_label(code) -> Label | None:
    return catalogue.subtype_label(catalogue.category_of_subtype(code), code)


DIMENSIONS: dict[str, Dimension] = {
    "month": Dimension(Label("月份", "Month"), lambda flow: F.registered_month, MONTHS.get, lambda: list(MONTHS)),
    "category": Dimension(
        Label("合同类别", "Category"),
        lambda flow: F.category,
        _labels(catalogue.CATEGORIES),
        lambda: list(catalogue.CATEGORIES),
    ),
    "subtype": Dimension(Label("合同子类", "Sub-type"), lambda flow: F.subtype, _subtype_label, _subtype_codes),
    "equity": Dimension(
        Label("技术入股", "Technology as equity"), _equity, _labels(EQUITY_CODES), lambda: list(EQUITY_CODES)
    ),
    "technical_field": Dimension(
        Label("技术领域", "Technical field"),
        lambda flow: F.technical_field,
        _labels(catalogue.TECHNICAL_FIELDS),
        lambda: list(catalogue.TECHNICAL_FIELDS),
    ),
    "nature": Dimension(
        Label("单位性质", "Party nature"),
        lambda flow: _party_column(flow, "nature"),
        _labels(catalogue.PARTY_NATURES),
        lambda: list(catalogue.PARTY_NATURES),
        by_flow=True,
    ),
    "nature_group": Dimension(
        Label("单位性质（大类）", "Party nature (group)"),
        _nature_group,
        _labels(catalogue.PARTY_NATURES),
        lambda: list(NATURE_GROUPS),
        by_flow=True,
    ),
    "ip_type": Dimension(
        Label("知识产权类型", "IP type"),
        lambda flow: F.ip_type,
        _labels(catalogue.IP_TYPES),
        lambda: list(catalogue.IP_TYPES),
    ),
    "plan_category": Dimension(
        Label("计划类别", "Plan category"),
        lambda flow: F.plan_category,
        _labels(catalogue.PLAN_CATEGORIES),
        lambda: list(catalogue.PLAN_CATEGORIES),
    ),
    "station": Dimension(Label("登记机构", "Station"), lambda flow: F.station_id, lambda code: None),
    "area": Dimension(Label("地区", "Area"), lambda flow: _party_column(flow, "area"), _area_label, by_flow=True),
    "province": Dimension(Label("省份", "Province"), _province, _area_label, by_flow=True),
    "region": Dimension(
        Label("地域", "Region"),
        lambda flow: _party_column(flow, "region"),
        _labels(REGIONS),
        lambda: list(REGIONS),
        by_flow=True,
    ),
    "counterpart_region": Dimension(
        Label("对方地域", "Counterpart's region"),
        lambda flow: _party_column(flow, "region", counterpart=True),
        _labels(REGIONS),
        lambda: list(REGIONS),
        by_flow=True,
    ),
    "amount_band": Dimension(
        Label("成交额区间", "Amount band"),
        _amount_band,
        lambda code: AMOUNT_BANDS[code][0] if code in AMOUNT_BANDS else None,
        lambda: list(AMOUNT_BANDS),
    ),
    # Absorption tables also count the registrations imported from other registries: which registry (本地登记 for
    # the local one). An output table is the local registry's alone.
    "source": Dimension(
        Label("来源", "Source"),
        lambda flow: SOURCE if flow == "absorption" else literal_column("'local'"),
        _labels(SOURCES),
        lambda: list(SOURCES),
    ),
}
