"""Supervision of the stations: workload, days to a decision (median and 90th percentile), overdue filings,
refusals by ground and amendment requests, per station for a year — each an SQL aggregation."""

from __future__ import annotations

import json
import math
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from fractions import Fraction

from sqlalchemy import (
    Date,
    Integer,
    and_,
    cast,
    column,
    func,
    literal,
    literal_column,
    or_,
    select,
    text,
    true,
)

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
PERCENTILES = {"median_days": Fraction(1, 2), "p90_days": Fraction(9, 10)}  # fractions of the ranks, exact
FIGURES = ("received", "decided", "registered", "refused", "amended", "pending", "overdue", *BREACHES)


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
    days: Counter = field(default_factory=Counter, repr=False)  # decisions by days taken (for the percentiles)

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
    """The Beijing date of the decision: decided_at is a naive UTC timestamp, and Beijing keeps UTC+8 all year (an
    addition is several times cheaper than a time-zone conversion over a year's decisions)."""
    if _postgres():
        return cast(Contract.decided_at + literal_column("interval '8 hours'"), Date)
    return func.date(Contract.decided_at, literal_column("'+8 hours'"))


def _days_to_decision():
    """Calendar days from the first submission (filed_on, a Beijing date) to the decision's Beijing date."""
    if _postgres():  # date - date is days
        return _decided_on() - Contract.filed_on
    return cast(func.julianday(_decided_on()) - func.julianday(Contract.filed_on), Integer)


def _decided_in(year: int):
    start, end = _year_bounds(year)
    return and_(Contract.decided_at >= start, Contract.decided_at < end, Contract.status.in_(DECIDED))


def _promise_horizon(days: int, bound: date) -> date:
    """The earliest clock start whose promise may still fall on or after `bound`: any earlier start promised a date
    before it (promises never move back as the start moves back), so a filing decided on or after `bound` that
    started earlier missed its commitment whatever the calendar says."""
    horizon = bound - timedelta(days=2 * days + 30)
    while promised_due_on(horizon - timedelta(days=1), days, None) >= bound:
        horizon -= timedelta(days=30)
    return horizon


def _promises(year: int, today: date):
    """The date each service commitment promises for each day a clock may have started on and still matter, as a
    CTE (start, days, promised), and the first such day; None when no station has a commitment. Working days come
    from the calendar in Python for a few hundred (day, commitment) pairs instead of for every filing."""
    commitments = db.session.scalars(
        select(Station.commitment_days).where(Station.commitment_days > 0).distinct()
    ).all()
    if not commitments:
        return None
    bound = min(date(year, 1, 1), today)  # decisions of the year and filings waiting today come no earlier
    horizon = min(_promise_horizon(days, bound) for days in commitments)
    last = max(today, date(year, 12, 31))
    promises = []
    for offset in range((last - horizon).days + 1):
        start = horizon + timedelta(days=offset)
        for days in commitments:
            promised = promised_due_on(start, days, None)
            promises.append({"start": start.isoformat(), "days": days, "promised": promised.isoformat()})
    # One JSON parameter rather than a VALUES list of thousands of bound parameters (costly to compile).
    if _postgres():
        rows = "SELECT * FROM json_to_recordset(CAST(:promises AS json)) AS p(start date, days integer, promised date)"
    else:
        rows = (
            "SELECT json_extract(value, '$.start') AS start, json_extract(value, '$.days') AS days, "
            "json_extract(value, '$.promised') AS promised FROM json_each(:promises)"
        )
    table = (
        text(rows)
        .bindparams(promises=json.dumps(promises))
        .columns(column("start", Date), column("days", Integer), column("promised", Date))
    )
    return table.cte("promised_dates"), horizon


def _breach_counts(decided_on, promises):
    """Filings decided (or, for the waiting, today) after the statutory due date; and after the date the service
    commitment promised, which is never later than the statutory one (a clock started before the horizon promised
    a date before any decision counted here)."""
    late = func.count().filter(decided_on > Contract.due_on)
    if promises is None:  # no station promises anything
        return late, literal_column("0")
    promised, horizon = promises
    return (
        late,
        func.count().filter(
            and_(
                Station.commitment_days > 0,
                Contract.clock_started_on.is_not(None),
                Contract.due_on.is_not(None),
                or_(
                    Contract.clock_started_on < horizon,
                    decided_on > promised.c.promised,
                    decided_on > Contract.due_on,
                ),
            )
        ),
    )


def _with_promise(statement, promises):
    if promises is None:
        return statement
    promised, _ = promises
    return statement.join(Station, Station.id == Contract.station_id).outerjoin(
        promised, and_(promised.c.start == Contract.clock_started_on, promised.c.days == Station.commitment_days)
    )


IN_STATION = (Contract.station_id.is_not(None), Contract.status != "draft")


def _figures(year: int) -> tuple[dict[int, dict], dict[int, Counter]]:
    """Per station: the year's figures, and how many decisions took how many days (from which the percentiles
    are read). Three aggregations, each over its own index range: filings received in the year, decisions of the
    year (grouped by station and days, a few thousand groups at most), filings waiting today."""
    today = today_local()
    promises = _promises(year, today)
    out: dict[int, dict] = {}
    days: dict[int, Counter] = {}

    def add(station_id, names, figures):
        row = out.setdefault(station_id, dict.fromkeys(FIGURES, 0))
        for name, value in zip(names, figures):
            row[name] += value

    received = select(Contract.station_id, func.count()).where(
        Contract.filed_on.between(date(year, 1, 1), date(year, 12, 31)), *IN_STATION
    )
    for station_id, count in db.session.execute(received.group_by(Contract.station_id)):
        add(station_id, ("received",), (count,))

    # returned for amendment at least once: a join to the few such filings (a hash join), not a probe per decision
    amended = (
        select(StatusChange.contract_id)
        .where(StatusChange.to_status == "amendment_requested")
        .distinct()
        .subquery("amended")
    )
    took = _days_to_decision()
    decided = select(
        Contract.station_id,
        took,
        func.count(),
        func.count().filter(Contract.status != "refused"),
        func.count().filter(Contract.status == "refused"),
        func.count().filter(amended.c.contract_id.is_not(None)),
        *_breach_counts(_decided_on(), promises),
    ).where(_decided_in(year), *IN_STATION)
    decided = decided.outerjoin(amended, amended.c.contract_id == Contract.id)
    names = ("decided", "registered", "refused", "amended", *BREACHES)
    for station_id, spent, *figures in db.session.execute(
        _with_promise(decided, promises).group_by(text("1"), text("2"))
    ):
        add(station_id, names, figures)
        if spent is not None:
            days.setdefault(station_id, Counter())[int(spent)] += figures[0]

    waiting = select(
        Contract.station_id,
        func.count(),
        func.count().filter(Contract.due_on < today),
        *_breach_counts(literal(today, Date), promises),
    ).where(Contract.status.in_(UNDECIDED), *IN_STATION)
    for station_id, *figures in db.session.execute(_with_promise(waiting, promises).group_by(Contract.station_id)):
        add(station_id, ("pending", "overdue", *BREACHES), figures)
    return out, days


def nearest_rank(histogram: Counter, fraction: Fraction) -> int | None:
    """The value at rank ⌈p·n⌉ of the sorted values a histogram {value: how many} counts (None when empty)."""
    total = sum(histogram.values())
    if not total:
        return None
    rank, seen = math.ceil(fraction * total), 0
    for value in sorted(histogram):
        seen += histogram[value]
        if seen >= rank:
            return value
    raise AssertionError("unreachable: the ranks add up to the total")


def _percentiles(histogram: Counter) -> dict[str, int | None]:
    return {name: nearest_rank(histogram, fraction) for name, fraction in PERCENTILES.items()}


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


def supervise(year: int) -> list[StationSupervision]:
    """Every station (active, or with filings) for the year, in code order."""
    figures, days = _figures(year)
    refusals = _refusals(year)
    stations = db.session.scalars(select(Station).order_by(Station.code)).all()
    out = []
    for station in stations:
        if not station.active and station.id not in figures:
            continue
        spent = days.get(station.id, Counter())
        item = StationSupervision(station, **figures.get(station.id, {}), **_percentiles(spent), days=spent)
        item.refusals_by_ground = {g: refusals.get(station.id, {}).get(g, 0) for g in REFUSAL_GROUNDS}
        out.append(item)
    return out


def city_totals(items: list[StationSupervision]) -> StationSupervision:
    """The stations added up; the city's percentiles come from all its decisions (they are not additive)."""
    days = sum((item.days for item in items), Counter())
    total = StationSupervision(station=None, **_percentiles(days), days=days)
    for item in items:
        for name in FIGURES:
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
