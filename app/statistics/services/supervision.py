"""Supervision of the stations: workload, days to a decision (median and 90th percentile), overdue filings,
refusals by ground and amendment requests, per station for a year — each an SQL aggregation."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import Integer, and_, cast, exists, func, literal_column, select, text, true

from app.domain import workflow
from app.domain.calendar import promised_due_on
from app.domain.catalogue import REFUSAL_GROUNDS
from app.domain.clock import SHANGHAI, local, today_local
from app.domain.statistics import share_percent
from app.extensions import db
from app.models import Contract, Station, StatusChange

UNDECIDED = workflow.UNDECIDED
DECIDED = ("registered", "refused", "cancelled", "revoked")  # cancelled and revoked were registered first
BREACHES = ("late", "late_on_commitment")
PERCENTILES = {"median_days": 0.5, "p90_days": 0.9}  # fractions of the ranks, not amounts


@dataclass
class StationSupervision:
    """One station's year: what came in, what was decided and how fast, what is waiting and overdue."""

    station: Station
    received: int = 0
    decided: int = 0
    registered: int = 0
    refused: int = 0
    amended: int = 0  # decided filings that had been returned for amendment at least once
    pending: int = 0
    overdue: int = 0
    late: int = 0  # decided in the year after the statutory due date, or undecided past it today
    late_on_commitment: int = 0  # the same against the station's own, shorter, service commitment
    median_days: int | None = None
    p90_days: int | None = None
    refusals_by_ground: dict[str, int] = field(default_factory=dict)

    @property
    def refusal_rate(self) -> Decimal | None:
        return share_percent(self.refused, self.decided)

    @property
    def amendment_rate(self) -> Decimal | None:
        return share_percent(self.amended, self.decided)


def _year_bounds(year: int) -> tuple[datetime, datetime]:
    """The year in Beijing time as UTC instants (decisions are stored in UTC)."""
    start = datetime(year, 1, 1, tzinfo=SHANGHAI).astimezone(UTC)
    end = datetime(year + 1, 1, 1, tzinfo=SHANGHAI).astimezone(UTC)
    return start, end


def _days_to_decision():
    """Calendar days from the first submission (filed_on, a Beijing date) to the decision's Beijing date."""
    if db.engine.dialect.name == "postgresql":  # decided_at is a naive UTC timestamp; date - date is days
        return func.date(func.timezone("Asia/Shanghai", func.timezone("UTC", Contract.decided_at))) - Contract.filed_on
    return cast(
        func.julianday(func.date(Contract.decided_at, literal_column("'+8 hours'")))
        - func.julianday(Contract.filed_on),
        Integer,
    )


def _decided_in(year: int):
    start, end = _year_bounds(year)
    return and_(Contract.status.in_(DECIDED), Contract.decided_at >= start, Contract.decided_at < end)


def _counts(year: int) -> dict[int, dict]:
    amended = exists().where(StatusChange.contract_id == Contract.id, StatusChange.to_status == "amendment_requested")
    decided = _decided_in(year)
    rows = db.session.execute(
        select(
            Contract.station_id,
            func.count().filter(Contract.filed_on.between(date(year, 1, 1), date(year, 12, 31))),
            func.count().filter(decided),
            func.count().filter(and_(decided, Contract.status != "refused")),
            func.count().filter(and_(decided, Contract.status == "refused")),
            func.count().filter(and_(decided, amended)),
            func.count().filter(Contract.status.in_(UNDECIDED)),
            func.count().filter(and_(Contract.status.in_(UNDECIDED), Contract.due_on < today_local())),
        )
        .where(Contract.station_id.is_not(None), Contract.status != "draft")
        .group_by(Contract.station_id)
    )
    keys = ("received", "decided", "registered", "refused", "amended", "pending", "overdue")
    return {row[0]: dict(zip(keys, row[1:])) for row in rows}


def _percentiles(year: int, by_station: bool = True) -> dict[int | None, dict]:
    """Nearest-rank percentiles: the value at rank ⌈p·n⌉ of the sorted days, per station or for the whole city
    (window functions; the same SQL on PostgreSQL and SQLite)."""
    days = _days_to_decision().label("days")
    partition = Contract.station_id if by_station else None
    ranked = (
        select(
            Contract.station_id.label("station_id"),
            days,
            func.row_number().over(partition_by=partition, order_by=days).label("rank"),
            func.count().over(partition_by=partition).label("n"),
        )
        .where(_decided_in(year), Contract.filed_on.is_not(None))
        .subquery()
    )
    columns = [func.min(ranked.c.days).filter(ranked.c.rank >= ranked.c.n * p) for p in PERCENTILES.values()]
    if by_station:
        rows = db.session.execute(select(ranked.c.station_id, *columns).group_by(ranked.c.station_id))
    else:
        rows = db.session.execute(select(literal_column("NULL"), *columns))
    return {row[0]: dict(zip(PERCENTILES, (None if v is None else int(v) for v in row[1:]))) for row in rows}


def _grounds_of_refusals():
    """The refusal grounds of a status change as rows (`value`): JSON array elements, per database."""
    if db.engine.dialect.name == "postgresql":
        return func.json_array_elements_text(StatusChange.details["grounds"]).table_valued("value")
    return func.json_each(StatusChange.details, "$.grounds").table_valued("value")


def _refusals(year: int) -> dict[int, dict[str, int]]:
    start, end = _year_bounds(year)
    ground = _grounds_of_refusals()
    rows = db.session.execute(
        select(Contract.station_id, ground.c.value, func.count())
        .select_from(StatusChange)
        .join(Contract, Contract.id == StatusChange.contract_id)
        .join(ground, true())
        .where(
            StatusChange.to_status == "refused",
            StatusChange.created_at >= start,
            StatusChange.created_at < end,
            Contract.status == "refused",
        )
        .group_by(text("1"), text("2"))
    )
    out: dict[int, dict[str, int]] = {}
    for station_id, code, count in rows:
        out.setdefault(station_id, {})[code] = count
    return out


def _breaches(year: int) -> dict[int, dict[str, int]]:
    """Per station: filings decided in the year (or undecided today) after the statutory due date, and after the
    date the station's service commitment promised (counted in working days from the clock's start)."""
    today = today_local()
    rows = db.session.execute(
        select(Contract.station_id, Contract.decided_at, Contract.clock_started_on, Contract.due_on, Station)
        .join(Station, Station.id == Contract.station_id)
        .where(Contract.due_on.is_not(None), _decided_in(year) | Contract.status.in_(UNDECIDED))
    )
    out: dict[int, dict[str, int]] = {}
    for station_id, decided_at, clock_start, due_on, station in rows:
        decided_on = local(decided_at).date() if decided_at else today
        counts = out.setdefault(station_id, {"late": 0, "late_on_commitment": 0})
        counts["late"] += decided_on > due_on
        promised = promised_due_on(clock_start, station.commitment_days, due_on)
        counts["late_on_commitment"] += promised is not None and decided_on > promised
    return out


def supervise(year: int) -> list[StationSupervision]:
    """Every station (active, or with filings) for the year, in code order."""
    counts, percentiles, refusals = _counts(year), _percentiles(year), _refusals(year)
    breaches = _breaches(year)
    stations = db.session.scalars(select(Station).order_by(Station.code)).all()
    out = []
    for station in stations:
        if not station.active and station.id not in counts:
            continue
        item = StationSupervision(
            station, **counts.get(station.id, {}), **percentiles.get(station.id, {}), **breaches.get(station.id, {})
        )
        item.refusals_by_ground = {g: refusals.get(station.id, {}).get(g, 0) for g in REFUSAL_GROUNDS}
        out.append(item)
    return out


def city_totals(items: list[StationSupervision], year: int) -> StationSupervision:
    """The stations added up; the city's percentiles come from all its decisions (they are not additive)."""
    total = StationSupervision(station=None, **_percentiles(year, by_station=False).get(None, {}))
    for item in items:
        for name in ("received", "decided", "registered", "refused", "amended", "pending", "overdue", *BREACHES):
            setattr(total, name, getattr(total, name) + getattr(item, name))
        for ground, count in item.refusals_by_ground.items():
            total.refusals_by_ground[ground] = total.refusals_by_ground.get(ground, 0) + count
    return total


def overdue_filings(limit: int = 20) -> list[Contract]:
    """The undecided filings past their due date across the city, the longest overdue first."""
    overdue = select(Contract).where(Contract.status.in_(UNDECIDED), Contract.due_on < today_local())
    return list(db.session.scalars(overdue.order_by(Contract.due_on, Contract.id).limit(limit)))


def decisions_in_last_year(now: datetime | None = None) -> dict[int, int]:
    """Per station: filings decided (registered or refused, including those since cancelled or revoked) in the last
    twelve months. Counted from the filings, not from who decided: synthetic and imported decisions have no
    reviewer account behind them."""
    now = now or datetime.now(UTC)
    since = now - timedelta(days=365)
    rows = db.session.execute(
        select(Contract.station_id, func.count())
        .where(Contract.status.in_(DECIDED), Contract.decided_at >= since, Contract.station_id.is_not(None))
        .group_by(Contract.station_id)
    )
    return {station_id: count for station_id, count in rows}
