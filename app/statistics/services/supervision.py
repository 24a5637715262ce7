"""Supervision of the stations: workload, days to a decision (median and 90th percentile), overdue filings,
refusals by ground and amendment requests, per station for a year — each an SQL aggregation."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import Date, Integer, and_, cast, column, exists, func, literal_column, or_, select, text, true, values

from app.domain import workflow
from app.domain.calendar import promised_due_on
from app.domain.catalogue import REFUSAL_GROUNDS
from app.domain.clock import SHANGHAI, today_local
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


def _postgres() -> bool:
    return db.session.get_bind().dialect.name == "postgresql"


def _decided_on():
    """The Beijing date of the decision (decided_at is a naive UTC timestamp)."""
    if _postgres():
        return func.date(func.timezone("Asia/Shanghai", func.timezone("UTC", Contract.decided_at)))
    return func.date(Contract.decided_at, literal_column("'+8 hours'"))


def _days_to_decision():
    """Calendar days from the first submission (filed_on, a Beijing date) to the decision's Beijing date."""
    if _postgres():  # date - date is days
        return _decided_on() - Contract.filed_on
    return cast(func.julianday(_decided_on()) - func.julianday(Contract.filed_on), Integer)


def _decided_in(year: int):
    start, end = _year_bounds(year)
    return and_(Contract.decided_at >= start, Contract.decided_at < end, Contract.status.in_(DECIDED))


def _counts(year: int) -> dict[int, dict]:
    """Per station: received (first submitted in the year), decided in the year and how, waiting and overdue. Three
    aggregations, each over its own index range (filings of the year, decisions of the year, undecided filings)
    rather than one pass over every filing."""
    out: dict[int, dict] = {}

    def put(rows, keys):
        for station_id, *figures in rows:
            out.setdefault(station_id, {}).update(zip(keys, figures))

    in_station = (Contract.station_id.is_not(None), Contract.status != "draft")
    put(
        db.session.execute(
            select(Contract.station_id, func.count())
            .where(Contract.filed_on.between(date(year, 1, 1), date(year, 12, 31)), *in_station)
            .group_by(Contract.station_id)
        ),
        ("received",),
    )
    amended = exists().where(StatusChange.contract_id == Contract.id, StatusChange.to_status == "amendment_requested")
    put(
        db.session.execute(
            select(
                Contract.station_id,
                func.count(),
                func.count().filter(Contract.status != "refused"),
                func.count().filter(Contract.status == "refused"),
                func.count().filter(amended),
            )
            .where(_decided_in(year), *in_station)
            .group_by(Contract.station_id)
        ),
        ("decided", "registered", "refused", "amended"),
    )
    put(
        db.session.execute(
            select(Contract.station_id, func.count(), func.count().filter(Contract.due_on < today_local()))
            .where(Contract.status.in_(UNDECIDED), *in_station)
            .group_by(Contract.station_id)
        ),
        ("pending", "overdue"),
    )
    return out


def _percentiles(year: int, by_station: bool = True) -> dict[int | None, dict]:
    """Nearest-rank percentiles: the value at rank ⌈p·n⌉ of the sorted days, per station or for the whole city.
    PostgreSQL's percentile_disc is exactly that; SQLite numbers the ranks with window functions."""
    days = _days_to_decision().label("days")
    if _postgres():
        columns = [func.percentile_disc(p).within_group(days) for p in PERCENTILES.values()]
        statement = select(Contract.station_id if by_station else literal_column("NULL"), *columns).where(
            _decided_in(year), Contract.filed_on.is_not(None)
        )
        rows = db.session.execute(statement.group_by(Contract.station_id) if by_station else statement)
    else:
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
    if _postgres():
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


def _promised_dates(year: int, today: date):
    """The date each service commitment promises for each day a clock may have started on, as a CTE (start, days,
    promised): working days come from the calendar in Python, for the few thousand (day, commitment) pairs that can
    occur, instead of for every filing."""
    commitments = db.session.scalars(
        select(Station.commitment_days).where(Station.commitment_days > 0).distinct()
    ).all()
    first = db.session.scalar(
        select(func.min(Contract.clock_started_on)).where(
            Contract.due_on.is_not(None), _decided_in(year) | Contract.status.in_(UNDECIDED)
        )
    )
    pairs = []
    if commitments and first is not None:
        last = max(today, date(year, 12, 31))
        for offset in range((last - first).days + 1):
            start = first + timedelta(days=offset)
            pairs += [(start, days, promised_due_on(start, days, None)) for days in commitments]
    if not pairs:
        pairs = [(date(year, 1, 1), -1, date(year, 1, 1))]  # a VALUES list cannot be empty; no station has -1 days
    table = values(
        column("start", Date), column("days", Integer), column("promised", Date), name="promised_dates"
    ).data(pairs)
    return table.cte("promised_dates")


def _breaches(year: int) -> dict[int, dict[str, int]]:
    """Per station: filings decided in the year (or undecided today) after the statutory due date, and after the
    date the station's service commitment promised (counted in working days from the clock's start, never later
    than the statutory date). One aggregation in SQL."""
    today = today_local()
    promised = _promised_dates(year, today)
    decided_on = func.coalesce(_decided_on(), today)
    rows = db.session.execute(
        select(
            Contract.station_id,
            func.count().filter(decided_on > Contract.due_on),
            func.count().filter(
                and_(
                    promised.c.promised.is_not(None),
                    or_(decided_on > promised.c.promised, decided_on > Contract.due_on),  # the earlier of the two
                )
            ),
        )
        .join(Station, Station.id == Contract.station_id)
        .outerjoin(
            promised,
            and_(promised.c.start == Contract.clock_started_on, promised.c.days == Station.commitment_days),
        )
        .where(Contract.due_on.is_not(None), _decided_in(year) | Contract.status.in_(UNDECIDED))
        .group_by(Contract.station_id)
    )
    return {station_id: {"late": late, "late_on_commitment": late_on} for station_id, late, late_on in rows}


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
