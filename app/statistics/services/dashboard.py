"""The statistics dashboard: which tables it shows (each a StatsQuery), and the headline figures read off them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select

from app.brokers import services as brokers
from app.domain import workflow
from app.domain.catalogue import Label
from app.domain.statistics import OUTSIDE_PROVINCE, share_percent
from app.extensions import db
from app.models import Contract, Station
from app.statistics.services.stats import Figures, StatsQuery, StatsTable, compute


@dataclass(frozen=True)
class PanelSpec:
    """One table of the dashboard and how to draw it: bars, monthly columns, or one stacked share bar."""

    key: str
    title: Label
    group_by: tuple[str, ...]
    flow: str = "output"
    chart: str = "bars"
    city_only: bool = False  # meaningless for one station (e.g. the table by station)


PANELS: tuple[PanelSpec, ...] = (
    PanelSpec("month", Label("按月登记情况", "By month"), ("month",), chart="columns"),
    PanelSpec("category", Label("按合同类别", "By category"), ("category",)),
    PanelSpec("subtype", Label("按合同子类", "By sub-type"), ("subtype",)),
    PanelSpec("technical_field", Label("按技术领域", "By technical field"), ("technical_field",)),
    PanelSpec("seller_nature", Label("按卖方单位性质", "By the seller's nature"), ("nature_group",)),
    PanelSpec("buyer_nature", Label("按买方单位性质", "By the buyer's nature"), ("nature_group",), flow="absorption"),
    PanelSpec("ip_type", Label("按知识产权类型", "By IP type"), ("ip_type",)),
    PanelSpec("plan_category", Label("按计划类别", "By plan category"), ("plan_category",)),
    PanelSpec("station", Label("按登记机构", "By station"), ("station",), city_only=True),
    PanelSpec("output_area", Label("技术输出：按卖方所在地区", "Output: by the seller's area"), ("area",)),
    PanelSpec(
        "absorption_province",
        Label("技术吸纳：按买方所在省份", "Absorption: by the buyer's province"),
        ("province",),
        flow="absorption",
    ),
    PanelSpec(
        "output_flow",
        Label(
            "技术流向：买方在本市、省内、省外及京津",
            "Where the technology goes: buyers in the city, the province, outside it, Beijing and Tianjin",
        ),
        ("counterpart_region",),
        chart="share",
    ),
    PanelSpec(
        "absorption_source",
        Label(
            "技术来源：卖方所在地（含来自京津）", "Where absorbed technology comes from (Beijing and Tianjin included)"
        ),
        ("counterpart_region",),
        flow="absorption",
        chart="share",
    ),
    PanelSpec(
        "absorption_by_source",
        Label(
            "技术吸纳：按来源（本地登记及京津等外地登记）",
            "Absorption by source: the local registry and registries elsewhere (Beijing, Tianjin, …)",
        ),
        ("source",),
        flow="absorption",
        chart="share",
    ),
    PanelSpec(
        "amount_band",
        Label("按成交额区间（重大技术合同 ≥ 1000万元）", "By amount band (major contracts: ¥10 million and above)"),
        ("amount_band",),
    ),
)
PANELS_BY_KEY = {panel.key: panel for panel in PANELS}


@dataclass
class Panel:
    """A panel's specification with its computed table."""

    spec: PanelSpec
    table: StatsTable


@dataclass
class Headline:
    """The figures at the top of the dashboard, each with last year's for comparison."""

    totals: Figures
    major: Figures
    beijing_tianjin: Figures  # absorbed: the seller is in Beijing or Tianjin
    outside_province: Figures  # output: the buyer is outside the province (Beijing, Tianjin, elsewhere, abroad)
    active_stations: int
    active_brokers: int = 0  # technology brokers and managers in good standing (the plan wants 60 or more)

    @property
    def outside_province_share(self) -> Decimal | None:
        return share_percent(self.outside_province.technical_amount, self.totals.technical_amount)


def panels_for(year: int, station: Station | None) -> list[Panel]:
    """Every panel's table for the year (and the year before), for the city or one station."""
    return [
        Panel(spec, compute(StatsQuery(year, spec.group_by, spec.flow, station)))
        for spec in PANELS
        if not (spec.city_only and station is not None)
    ]


def _sum_rows(table: StatsTable, dimension: str, codes) -> Figures:
    total = Figures()
    for row in table.rows:
        if row.keys[dimension] in codes:
            total.add(row.figures)
    return total


def headline(panels: list[Panel]) -> Headline:
    """Read the headline off the panels' tables (no further query but the count of active stations)."""
    tables = {panel.spec.key: panel.table for panel in panels}
    return Headline(
        totals=tables["category"].totals,
        major=_sum_rows(tables["amount_band"], "amount_band", ("major",)),
        beijing_tianjin=_sum_rows(tables["absorption_source"], "counterpart_region", ("beijing", "tianjin")),
        outside_province=_sum_rows(tables["output_flow"], "counterpart_region", OUTSIDE_PROVINCE),
        active_stations=db.session.scalar(select(func.count()).select_from(Station).where(Station.active.is_(True)))
        or 0,
        active_brokers=brokers.active_count(),
    )


def year_elapsed(year: int, today: date) -> Decimal:
    """How much of the year has passed (0–1): the pace a yearly goal is measured against."""
    if year < today.year:
        return Decimal(1)
    if year > today.year:
        return Decimal(0)
    days = (date(year + 1, 1, 1) - date(year, 1, 1)).days
    return Decimal(today.timetuple().tm_yday) / Decimal(days)


@dataclass
class StationStanding:
    """One station's year on the dashboard's first screen: its figures and its overdue filings."""

    station: Station
    figures: Figures
    overdue: int = 0


@dataclass
class Glance:
    """What the leadership asks first: which stations lead and lag this year, and what is overdue."""

    leading: list[StationStanding]
    lagging: list[StationStanding]
    most_overdue: list[StationStanding]
    overdue_total: int


def _overdue_by_station(station: Station | None, today: date) -> dict[int, int]:
    """Undecided filings past their due date, per station (one small aggregation over the undecided filings)."""
    statement = (
        select(Contract.station_id, func.count())
        .where(Contract.status.in_(workflow.UNDECIDED), Contract.due_on < today, Contract.station_id.is_not(None))
        .group_by(Contract.station_id)
    )
    if station is not None:
        statement = statement.where(Contract.station_id == station.id)
    return {station_id: count for station_id, count in db.session.execute(statement)}


def glance(panels: list[Panel], station: Station | None, today: date, size: int = 3) -> Glance:
    """Leading and lagging active stations by technical amount (then registrations), read off the panel by
    station; the stations with the most overdue filings; and the overdue total."""
    overdue = _overdue_by_station(station, today)
    tables = {panel.spec.key: panel.table for panel in panels}
    if "station" not in tables:  # one station's dashboard: no ranking, only its overdue filings
        return Glance([], [], [], sum(overdue.values()))
    figures = {row.keys["station"]: row.figures for row in tables["station"].rows}
    active = db.session.scalars(select(Station).where(Station.active.is_(True)).order_by(Station.code)).all()
    standings = [StationStanding(s, figures.get(s.code, Figures()), overdue.get(s.id, 0)) for s in active]
    ranked = sorted(standings, key=lambda s: (s.figures.technical_amount, s.figures.count), reverse=True)
    late = sorted((s for s in standings if s.overdue), key=lambda s: s.overdue, reverse=True)
    return Glance(
        leading=ranked[:size],
        lagging=list(reversed(ranked[-size:])) if len(ranked) > size else [],
        most_overdue=late[:size],
        overdue_total=sum(overdue.values()),
    )
