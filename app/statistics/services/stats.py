"""Statistics tables: registrations, contract amount and technical amount grouped by up to three dimensions, for
a year and the year before, in one SQL aggregation over registration_facts (never a loop over registrations)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import and_, case, func, literal_column, select, text

from app.auth.permissions import Permission, has_permission
from app.domain import areas, catalogue
from app.domain.absorption import SOURCES
from app.domain.catalogue import Label
from app.domain.clock import today_local
from app.domain.statistics import (
    AMOUNT_BANDS,
    COUNTED_STATUS,
    COUNTERPART,
    FLOW_PARTY,
    NATURE_GROUP_PREFIXES,
    NATURE_GROUPS,
    REGIONS,
    cents_to_yuan,
    change_percent,
    comparison_cutoff,
)
from app.errors import FieldError, NotFound, ValidationFailed
from app.extensions import db
from app.i18n import t
from app.models import RegistrationFact, Station
from app.stations import lookup as station_lookup
from app.statistics.services import absorbed

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
        lambda flow: absorbed.SOURCE if flow == "absorption" else literal_column("'local'"),
        _labels(SOURCES),
        lambda: list(SOURCES),
    ),
}


@dataclass(frozen=True)
class StatsQuery:
    """What to count: a year (with the year before for comparison), dimensions, flow, and optionally a station."""

    year: int
    group_by: tuple[str, ...]
    flow: str = "output"
    station: Station | None = None
    through_month: int | None = (
        None  # a quarterly report counts January to this month (and the same of the year before)
    )


@dataclass
class Figures:
    """Registrations and amounts (yuan) for one group, this year and the same period of the year before."""

    count: int = 0
    amount: Decimal = Decimal("0.00")
    technical_amount: Decimal = Decimal("0.00")
    previous_count: int = 0
    previous_amount: Decimal = Decimal("0.00")
    previous_technical_amount: Decimal = Decimal("0.00")

    @property
    def technical_amount_change(self) -> Decimal | None:
        return change_percent(self.technical_amount, self.previous_technical_amount)

    @property
    def count_change(self) -> Decimal | None:
        return change_percent(self.count, self.previous_count)

    def add(self, other: Figures) -> None:
        """Add another group's figures to these (totals)."""
        for name in (
            "count",
            "amount",
            "technical_amount",
            "previous_count",
            "previous_amount",
            "previous_technical_amount",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class StatsRow:
    """One group: its codes by dimension (a station by its code) and its figures."""

    keys: dict[str, object]
    figures: Figures


@dataclass
class StatsTable:
    """The answer to a StatsQuery: rows in display order and the totals."""

    query: StatsQuery
    rows: list[StatsRow]
    totals: Figures = field(default_factory=Figures)

    @property
    def group_by(self) -> tuple[str, ...]:
        return self.query.group_by


def parse_group_by(value: str | list | tuple | None) -> tuple[str, ...]:
    """ "category,technical_field" → ("category", "technical_field"), refusing unknown or too many dimensions."""
    names = [n.strip() for n in (value.split(",") if isinstance(value, str) else value or []) if n.strip()]
    unknown = [n for n in names if n not in DIMENSIONS]
    if unknown:
        raise _invalid("group_by.unknown", t("Unknown dimension: %(names)s", names=", ".join(unknown)))
    if not names or len(names) > MAX_DIMENSIONS or len(set(names)) != len(names):
        raise _invalid("group_by.count", t("Group by one to three different dimensions."))
    return tuple(names)


def _invalid(code: str, message: str, field_name: str = "group_by") -> ValidationFailed:
    return ValidationFailed(message, [FieldError(code, field_name, message)])


def _aggregate(query: StatsQuery):
    current = F.registered_year == query.year
    previous = F.registered_year == query.year - 1
    cutoff = comparison_cutoff(query.year, today_local())
    if cutoff is not None:
        previous = and_(previous, F.registered_on <= cutoff)
    if query.through_month is not None:
        current = and_(current, F.registered_month <= query.through_month)
        previous = and_(previous, F.registered_month <= query.through_month)
    columns = [DIMENSIONS[name].column(query.flow).label(name) for name in query.group_by]
    zero = literal_column("0")
    statement = (
        select(
            *columns,
            func.count().filter(current),
            func.coalesce(func.sum(F.amount_cents).filter(current), zero),
            func.coalesce(func.sum(F.technical_amount_cents).filter(current), zero),
            func.count().filter(previous),
            func.coalesce(func.sum(F.amount_cents).filter(previous), zero),
            func.coalesce(func.sum(F.technical_amount_cents).filter(previous), zero),
        )
        .where(F.status == COUNTED_STATUS, F.registered_year.in_((query.year, query.year - 1)))
        # by position: the dimension expressions carry constants that PostgreSQL must see as the same expression
        .group_by(*[text(str(i + 1)) for i in range(len(columns))])
    )
    if query.station is not None:
        statement = statement.where(F.station_id == query.station.id)
    if query.flow == "absorption":  # imported registrations have no station: a station's tables keep none of them
        statement = absorbed.including_imports(statement)
    return db.session.execute(statement).all()


def _station_codes() -> dict[int, str]:
    return dict(db.session.execute(select(Station.id, Station.code)).all())


def compute(query: StatsQuery) -> StatsTable:
    """The table for a query: one SQL aggregation, rows in display order, totals."""
    dimensions = len(query.group_by)
    stations = _station_codes() if "station" in query.group_by else {}
    rows = []
    for record in _aggregate(query):
        keys = dict(zip(query.group_by, record[:dimensions]))
        if "station" in keys:
            keys["station"] = stations.get(keys["station"], keys["station"])
        count, amount, technical, p_count, p_amount, p_technical = record[dimensions:]
        rows.append(
            StatsRow(
                keys,
                Figures(
                    int(count),
                    cents_to_yuan(amount),
                    cents_to_yuan(technical),
                    int(p_count),
                    cents_to_yuan(p_amount),
                    cents_to_yuan(p_technical),
                ),
            )
        )
    rows = _complete_and_order(query.group_by, rows)
    totals = Figures()
    for row in rows:
        totals.add(row.figures)
    return StatsTable(query, rows, totals)


def _complete_and_order(group_by: tuple[str, ...], rows: list[StatsRow]) -> list[StatsRow]:
    """A one-dimension table over a known code list shows every code (zeros too), in the list's order; other
    tables put the groups in code-list order where there is one, else by technical amount, largest first."""
    if len(group_by) == 1 and DIMENSIONS[group_by[0]].codes is not None:
        name = group_by[0]
        present = {row.keys[name] for row in rows}
        rows = rows + [StatsRow({name: code}, Figures()) for code in DIMENSIONS[name].codes() if code not in present]

    positions = {
        name: {code: i for i, code in enumerate(DIMENSIONS[name].codes() if DIMENSIONS[name].codes else ())}
        for name in group_by
    }

    def sort_key(row: StatsRow):
        parts = [positions[name].get(row.keys[name], len(positions[name])) for name in group_by]
        return (*parts, -row.figures.technical_amount, -row.figures.previous_technical_amount, str(row.keys))

    return sorted(rows, key=sort_key)


def table_for(user, year: int | None, group_by, flow: str | None, station_code: str | None) -> StatsTable:
    """The table a user asked for (API, page download): dimensions parsed, the station the user may see."""
    query = StatsQuery(
        year=year or today_local().year,
        group_by=parse_group_by(group_by),
        flow=flow or "output",
        station=scope_station(user, station_code),
    )
    return compute(query)


def label(dimension: str, code, lang: str = "zh", stations: dict[str, str] | None = None) -> str:
    """The display name of a group's code in a dimension ("（未填写）" for a missing value)."""
    if code is None:
        return t("(not given)")
    if dimension == "station":
        return (stations or {}).get(code, str(code))
    found = DIMENSIONS[dimension].label_of(code)
    return found.for_locale(lang) if found else str(code)


def station_names() -> dict[str, str]:
    """Station code → name, for labelling the station dimension."""
    return dict(db.session.execute(select(Station.code, Station.name)).all())


def scope_station(user, code: str | None) -> Station | None:
    """The station a user's statistics cover: the bureau chooses (None: the whole city); a reviewer always gets
    their own station, and asking for another one is a 404 (its figures are not theirs to see)."""
    if has_permission(user, Permission.CONTRACT_READ_ALL):
        if not code:
            return None
        station = station_lookup.by_code(code)
        if station is None:
            raise NotFound(t("No such station."))
        return station
    own = getattr(user, "station", None)
    if own is None or (code and code != own.code):
        raise NotFound(t("No such station."))
    return own
