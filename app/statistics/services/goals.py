"""The bureau's yearly goals (¥4.5 billion of technical transactions, ten stations, …) and progress towards them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from sqlalchemy import select

from app.audit.services import audit
from app.auth.permissions import Permission, has_permission
from app.domain.statistics import GOAL_METRICS, GoalMetric, share_percent
from app.errors import FieldError, Forbidden, NotFound, ValidationFailed
from app.extensions import db
from app.i18n import t
from app.models import Goal, Station
from app.statistics.services.dashboard import Headline, year_elapsed

MAX_TARGET = Decimal("999999999999.99")
TEN_THOUSAND = Decimal(10000)


def _invalid(code: str, field: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, [FieldError(code, field, message)])


def _parse_target(metric: GoalMetric, value, in_ten_thousands: bool = False) -> Decimal:
    """The target in yuan (or a count); an amount typed in 万元 is multiplied by 10,000 first."""
    try:
        target = Decimal(str(value).replace(",", "").strip())
    except (InvalidOperation, ValueError):
        raise _invalid("target.invalid", "target", t("Enter the target as a number.")) from None
    if metric.money and in_ten_thousands and target.is_finite():
        target = target * TEN_THOUSAND
    if not target.is_finite() or target <= 0 or target > MAX_TARGET:
        raise _invalid("target.range", "target", t("The target must be a positive number."))
    if not metric.money and target != target.to_integral_value():
        raise _invalid("target.whole", "target", t("This target is a count: enter a whole number."))
    if metric.money and target != target.quantize(Decimal("0.01")):  # a fen is the smallest amount
        if in_ten_thousands:
            raise _invalid("target.decimals", "target", t("In 10,000 yuan, at most six decimals (one fen)."))
        raise _invalid("target.decimals", "target", t("At most two decimals."))
    return target.quantize(Decimal("0.01"))


def set_goal(
    actor,
    year: int,
    metric: str,
    target,
    station: Station | None = None,
    note: str | None = None,
    in_ten_thousands: bool = False,
) -> Goal:
    """Set (or replace) the target for a metric in a year, for the city or one station; an amount is in yuan, or in
    ten-thousand yuan (万元, as the plan states it) with `in_ten_thousands`."""
    if not has_permission(actor, Permission.GOAL_MANAGE):
        raise Forbidden(t("Only the bureau sets goals."))
    if metric not in GOAL_METRICS:
        raise _invalid("metric.unknown", "metric", t("Choose what the goal measures."))
    if year is None or not 2000 <= year <= 2100:
        raise _invalid("year.range", "year", t("Choose a year between 2000 and 2100."))
    if station is not None and not GOAL_METRICS[metric].per_year:
        raise _invalid("metric.city_only", "metric", t("This goal is set for the whole city only."))
    amount = _parse_target(GOAL_METRICS[metric], target, in_ten_thousands)
    station_id = station.id if station else None
    goal = db.session.scalars(
        select(Goal).where(
            Goal.year == year,
            Goal.metric == metric,
            Goal.station_id.is_(None) if station_id is None else Goal.station_id == station_id,
        )
    ).first()
    before = None if goal is None else {"target": goal.target, "note": goal.note}
    if goal is None:
        goal = Goal(year=year, metric=metric, station=station)
        db.session.add(goal)
    goal.target, goal.note, goal.set_by_id = amount, (note or "").strip() or None, actor.id
    db.session.flush()
    audit.record(
        actor,
        "goal.set",
        "goal",
        goal.id,
        before,
        {"year": year, "metric": metric, "station": station.code if station else None, "target": amount},
    )
    return goal


def delete_goal(actor, goal_id: int) -> None:
    """Remove a goal (audited)."""
    if not has_permission(actor, Permission.GOAL_MANAGE):
        raise Forbidden(t("Only the bureau sets goals."))
    goal = db.session.get(Goal, goal_id)
    if goal is None:
        raise NotFound(t("No such goal."))
    audit.record(
        actor, "goal.deleted", "goal", goal.id, {"year": goal.year, "metric": goal.metric, "target": goal.target}, None
    )
    db.session.delete(goal)
    db.session.flush()


def goals_for(year: int, station: Station | None) -> list[Goal]:
    """The goals of a year: the city's, or one station's."""
    condition = Goal.station_id.is_(None) if station is None else Goal.station_id == station.id
    return list(db.session.scalars(select(Goal).where(Goal.year == year, condition).order_by(Goal.id)))


@dataclass
class GoalProgress:
    """A goal, what has been achieved, and whether that keeps pace with the part of the year gone by."""

    goal: Goal
    metric: GoalMetric
    actual: Decimal
    percent: Decimal | None  # of the target
    expected_percent: Decimal  # where an even pace would be by today

    @property
    def on_track(self) -> bool:
        return self.percent is not None and self.percent >= self.expected_percent


def _actual(metric: str, headline: Headline) -> Decimal:
    values = {
        "technical_amount": headline.totals.technical_amount,
        "amount": headline.totals.amount,
        "count": headline.totals.count,
        "major_count": headline.major.count,
        "beijing_tianjin_amount": headline.beijing_tianjin.technical_amount,
        "active_stations": headline.active_stations,
    }
    return Decimal(values[metric])


def progress(goals: list[Goal], headline: Headline, today: date) -> list[GoalProgress]:
    """Each goal against the dashboard's figures; a standing figure (stations) is not paced through the year."""
    out = []
    for goal in goals:
        metric = GOAL_METRICS[goal.metric]
        actual = _actual(goal.metric, headline)
        elapsed = year_elapsed(goal.year, today) if metric.per_year else Decimal(1)
        expected = (elapsed * 100).quantize(Decimal("0.1"))
        out.append(GoalProgress(goal, metric, actual, share_percent(actual, goal.target), expected))
    return out
