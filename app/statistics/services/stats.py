"""Statistics tables: registrations, contract amount and technical amount grouped by up to three dimensions, for
a year and the year before: added up from the rollup where one of its groupings answers the table, else in one SQL
aggregation over registration_facts (never a loop over registrations)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import and_, false, func, literal_column, select, text

from app.auth.permissions import Permission, has_permission
from app.domain.clock import today_local
from app.domain.statistics import COUNTED_STATUS, cents_to_yuan, change_percent, comparison_cutoff
from app.errors import FieldError, NotFound, ValidationFailed
from app.extensions import db
from app.i18n import t
from app.models import Station
from app.stations import lookup as station_lookup
from app.statistics.services import absorbed, rollup
from app.statistics.services.dimensions import DIMENSIONS, MAX_DIMENSIONS, F


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


def _aggregate(query: StatsQuery) -> list[tuple]:
    """The table's rows: the dimensions' codes, then this year's registrations and cent sums, then last year's.
    From the rollup where a grouping answers the dimensions; from registration_facts otherwise."""
    cutoff = comparison_cutoff(query.year, today_local())
    grouping = rollup.grouping_for(query.group_by, query.flow)
    if grouping is None:
        return _from_facts(query, cutoff)
    rows = rollup.aggregate(query, grouping, cutoff)
    if cutoff is not None and (query.through_month is None or cutoff.month <= query.through_month):
        rows += _from_facts(query, cutoff, part_of_month=True)  # last year's month up to today's date
    if query.flow == "absorption":
        rows += _from_facts(query, cutoff, imports=True)
    return _merge(rows, len(query.group_by))


def _from_facts(query: StatsQuery, cutoff: date | None, part_of_month: bool = False, imports: bool = False):
    """One SQL aggregation over registration_facts (with the imported registrations for absorption tables); or
    only last year's days of the cutoff's month, which the rollup's months cannot tell apart; or only the imports."""
    current = F.registered_year == query.year
    previous = F.registered_year == query.year - 1
    years = F.registered_year.in_((query.year, query.year - 1))
    if cutoff is not None:
        previous = and_(previous, F.registered_on <= cutoff)
    if part_of_month:
        current = false()
        years = F.registered_on.between(cutoff.replace(day=1), cutoff)
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
        .where(F.status == COUNTED_STATUS, years)
        # by position: the dimension expressions carry constants that PostgreSQL must see as the same expression
        .group_by(*[text(str(i + 1)) for i in range(len(columns))])
    )
    if query.station is not None:
        statement = statement.where(F.station_id == query.station.id)
    if query.flow == "absorption":  # imported registrations have no station: a station's tables keep none of them
        if imports:
            statement = absorbed.imports_only(statement)
        elif part_of_month:
            statement = absorbed.local_only(statement)
        else:
            statement = absorbed.including_imports(statement)
    return [tuple(row) for row in db.session.execute(statement)]


def _merge(rows: list[tuple], dimensions: int) -> list[tuple]:
    """Add up the rows of the same group (the rollup's, the part of a month's, the imports')."""
    merged: dict[tuple, list] = {}
    for row in rows:
        keys, figures = row[:dimensions], row[dimensions:]
        if keys in merged:
            merged[keys] = [a + b for a, b in zip(merged[keys], figures)]
        else:
            merged[keys] = list(figures)
    return [(*keys, *figures) for keys, figures in merged.items()]


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
