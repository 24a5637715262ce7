"""County assessment (县区考核): the growth of each Handan county's contract amount (技术合同成交额) against the same
period of the year before, measured against the targets the bureau sets per year and county.

Which county a registration counts for: the county of the party it was filed for, as the registry routes it — the
seller, or the buyer of a technology import (the seller abroad). A registration at an institution station counts
for the institution's own county: the institution is that party, and the station (which serves no area) plays no
part. The renamed counties' old codes (肥乡县 130428, 永年县 130429) count for their successors; the city level
(130400), the development zones (130471, 130473), the split 邯郸县 (130421) and anything outside Handan belong to no
county and are reported apart. Counted as the statistics count: registrations in force (cancelled and revoked ones
are not), by their registration date. One aggregating query over registration_facts answers a whole year.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from sqlalchemy import case, func, literal, literal_column, select, text

from app.audit.services import audit
from app.auth.permissions import Permission, has_permission
from app.domain import areas
from app.domain.statistics import COUNTED_STATUS, cents_to_yuan, comparison_cutoff
from app.errors import FieldError, Forbidden, ValidationFailed
from app.extensions import db
from app.i18n import t
from app.models import CountyTarget, RegistrationFact
from app.statistics.services.dashboard import year_elapsed

F = RegistrationFact
SUCCESSORS = {"130428": "130407", "130429": "130408"}  # 肥乡县 → 肥乡区, 永年县 → 永年区 (2016, same territory)
MIN_RATE, MAX_RATE = Decimal(-100), Decimal(1000)
MAX_AMOUNT = Decimal("999999999999.99")
TEN_THOUSAND = Decimal(10000)
CENT = Decimal("0.01")
MIN_YEAR, MAX_YEAR = 2000, 2100


def counties() -> list[areas.Area]:
    """Handan's 18 current districts, counties and county-level cities, by code."""
    return [a for a in areas.handan_counties() if a.status == "current"]


def _county_sql():
    """The county a fact counts for, as SQL (NULL: none); see the module's docstring."""
    filer_area = case((F.seller_region == literal_column("'abroad'"), F.buyer_area), else_=F.seller_area)
    whens = [(filer_area == literal_column(f"'{old}'"), literal_column(f"'{new}'")) for old, new in SUCCESSORS.items()]
    codes = [literal_column(f"'{c.code}'") for c in counties()]
    whens.append((filer_area.in_(codes), filer_area))  # constants inline: PostgreSQL groups by one expression
    return case(*whens, else_=literal(None))


@dataclass
class CountyFigures:
    """One county's year: amounts per month (yuan) this year and last, and last year's same period."""

    months: dict[int, Decimal] = field(default_factory=dict)
    previous_months: dict[int, Decimal] = field(default_factory=dict)
    previous_same_period: Decimal = Decimal("0.00")

    @property
    def amount(self) -> Decimal:
        return sum(self.months.values(), Decimal("0.00"))

    @property
    def previous_amount(self) -> Decimal:
        return sum(self.previous_months.values(), Decimal("0.00"))


def county_figures(year: int, today: date) -> dict[str | None, CountyFigures]:
    """Per county code (None: no county) the monthly amounts of `year` and the year before: ONE aggregation."""
    county = _county_sql().label("county")
    cutoff = comparison_cutoff(year, today)
    same_period = F.amount_cents if cutoff is None else case((F.registered_on <= cutoff, F.amount_cents), else_=0)
    statement = (
        select(county, F.registered_year, F.registered_month, func.sum(F.amount_cents), func.sum(same_period))
        .where(F.status == COUNTED_STATUS, F.registered_year.in_((year, year - 1)))
        .group_by(text("1"), F.registered_year, F.registered_month)  # by position: the CASE carries constants
    )
    out: dict[str | None, CountyFigures] = {}
    for code, registered_year, month, cents, same_period_cents in db.session.execute(statement):
        figures = out.setdefault(code, CountyFigures())
        if registered_year == year:
            figures.months[int(month)] = cents_to_yuan(cents)
        else:
            figures.previous_months[int(month)] = cents_to_yuan(cents)
            figures.previous_same_period += cents_to_yuan(same_period_cents)
    return out


def growth_percent(current: Decimal, previous: Decimal) -> Decimal | None:
    """(current − previous) / previous in per cent, two decimals; None when the year before had nothing."""
    if not previous:
        return None
    return ((current - previous) * 100 / previous).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass
class PathPoint:
    """A month of the county's path: the cumulative amount this year and last, and where an even pace would be."""

    month: int
    cumulative: Decimal | None  # None for months still to come
    previous_cumulative: Decimal
    pace: Decimal | None  # None without a target


@dataclass
class CountyStanding:
    """A county's line of the assessment."""

    area: areas.Area
    amount: Decimal
    previous_amount: Decimal  # the same period of the year before (the whole year for a past year)
    previous_year_amount: Decimal  # the whole year before
    target: CountyTarget | None
    growth_rate: Decimal | None = None
    met: bool | None = None  # None: no target, or no base to grow from
    rank: int = 0
    path: list[PathPoint] = field(default_factory=list)

    @property
    def annual_target(self) -> Decimal | None:
        """The amount the year should reach: the target amount, or last year's whole amount grown by the rate."""
        if self.target is None:
            return None
        if self.target.target_amount is not None:
            return self.target.target_amount
        return (self.previous_year_amount * (100 + self.target.growth_rate) / 100).quantize(CENT)


@dataclass
class Assessment:
    """The year's assessment: the counties ranked, the city's totals, and what belongs to no county."""

    year: int
    cutoff: date | None  # last day of the year before's same period (None: the whole year)
    months: int  # months of the year shown (up to the current one)
    standings: list[CountyStanding]
    unattributed: Decimal
    unattributed_previous: Decimal

    @property
    def amount(self) -> Decimal:
        return sum((s.amount for s in self.standings), Decimal("0.00"))

    @property
    def previous_amount(self) -> Decimal:
        return sum((s.previous_amount for s in self.standings), Decimal("0.00"))

    @property
    def growth_rate(self) -> Decimal | None:
        return growth_percent(self.amount, self.previous_amount)

    @property
    def met_count(self) -> int:
        return sum(1 for s in self.standings if s.met)

    @property
    def missed_count(self) -> int:
        return sum(1 for s in self.standings if s.met is False)


def _met(standing: CountyStanding, elapsed: Decimal) -> bool | None:
    """Met: growth at or above the target rate and, when an amount is set, the amount at or above it (for the year
    in progress, the part of it an even pace reaches by today)."""
    target = standing.target
    if target is None or standing.growth_rate is None:
        return None
    if standing.growth_rate < target.growth_rate:
        return False
    if target.target_amount is not None and standing.amount < (target.target_amount * elapsed).quantize(CENT):
        return False
    return True


def _path(standing: CountyStanding, figures: CountyFigures, months: int) -> list[PathPoint]:
    annual = standing.annual_target
    points, running, previous = [], Decimal("0.00"), Decimal("0.00")
    for month in range(1, 13):
        running += figures.months.get(month, Decimal(0))
        previous += figures.previous_months.get(month, Decimal(0))
        pace = None if annual is None else (annual * month / 12).quantize(CENT)
        points.append(PathPoint(month, running if month <= months else None, previous, pace))
    return points


def _rank(standings: list[CountyStanding]) -> None:
    """By growth (none last), then by amount, then by code; ranks 1…n."""
    standings.sort(
        key=lambda s: (s.growth_rate is None, -(s.growth_rate or 0), -s.amount, s.area.code),
    )
    for position, standing in enumerate(standings, start=1):
        standing.rank = position


def targets_for(year: int) -> dict[str, CountyTarget]:
    """The year's targets by county code."""
    rows = db.session.scalars(select(CountyTarget).where(CountyTarget.year == year))
    return {row.area_code: row for row in rows}


def assess(year: int, today: date) -> Assessment:
    """The assessment of a year as of `today` (Asia/Shanghai): every county, ranked, met or missed, its path."""
    figures = county_figures(year, today)
    targets = targets_for(year)
    elapsed = year_elapsed(year, today)
    months = 12 if year < today.year else (today.month if year == today.year else 0)
    standings = []
    for area in counties():
        own = figures.get(area.code, CountyFigures())
        standing = CountyStanding(
            area, own.amount, own.previous_same_period, own.previous_amount, targets.get(area.code)
        )
        standing.growth_rate = growth_percent(standing.amount, standing.previous_amount)
        standing.met = _met(standing, elapsed)
        standing.path = _path(standing, own, months)
        standings.append(standing)
    _rank(standings)
    outside = figures.get(None, CountyFigures())
    cutoff = comparison_cutoff(year, today)
    return Assessment(year, cutoff, months, standings, outside.amount, outside.previous_same_period)


def _invalid(errors: list[FieldError]) -> ValidationFailed:
    return ValidationFailed(t("Some targets are not valid: see the marked fields."), errors)


def _decimal(value) -> Decimal | None:
    """A typed number ("15", "1,200.5") as Decimal; None when empty; raises InvalidOperation when not a number."""
    text_value = "" if value is None else str(value).replace(",", "").strip()
    if not text_value:
        return None
    number = Decimal(text_value)
    if not number.is_finite():
        raise InvalidOperation(text_value)
    return number


def _parse_rate(code: str, value) -> tuple[Decimal | None, FieldError | None]:
    name = f"{code}.growth_rate"
    try:
        rate = _decimal(value)
    except (InvalidOperation, ValueError):
        return None, FieldError("growth_rate.invalid", name, t("Enter the growth rate as a number of per cent."))
    if rate is None:
        return None, None
    if not MIN_RATE <= rate <= MAX_RATE:
        return None, FieldError("growth_rate.range", name, t("The growth rate must be between -100 and 1000 %."))
    if rate != rate.quantize(CENT):
        return None, FieldError("growth_rate.decimals", name, t("At most two decimals."))
    return rate.quantize(CENT), None


def _parse_amount(code: str, value, in_ten_thousands: bool) -> tuple[Decimal | None, FieldError | None]:
    name = f"{code}.target_amount"
    try:
        amount = _decimal(value)
    except (InvalidOperation, ValueError):
        return None, FieldError("target_amount.invalid", name, t("Enter the amount as a number."))
    if amount is None:
        return None, None
    if in_ten_thousands:
        amount = amount * TEN_THOUSAND
    if amount < 0 or amount > MAX_AMOUNT:
        return None, FieldError("target_amount.range", name, t("The amount must be zero or more."))
    if amount != amount.quantize(CENT):
        return None, FieldError("target_amount.decimals", name, t("The amount is exact to one fen at most."))
    return amount.quantize(CENT), None


def _parse_rows(rows: dict[str, dict], in_ten_thousands: bool) -> dict[str, tuple[Decimal | None, Decimal | None]]:
    """Every county's typed rate and amount, checked all together; one ValidationFailed lists every error."""
    known = {c.code for c in counties()}
    errors, parsed = [], {}
    for code, values in rows.items():
        if code not in known:
            errors.append(FieldError("area_code.unknown", code, t("Not a county of Handan.")))
            continue
        rate, rate_error = _parse_rate(code, values.get("growth_rate"))
        amount, amount_error = _parse_amount(code, values.get("target_amount"), in_ten_thousands)
        errors += [e for e in (rate_error, amount_error) if e]
        if rate is None and rate_error is None and amount is not None:
            errors.append(
                FieldError("growth_rate.required", f"{code}.growth_rate", t("An amount needs a growth rate too."))
            )
        parsed[code] = (rate, amount)
    if errors:
        raise _invalid(errors)
    return parsed


def _snapshot(target: CountyTarget | None) -> dict | None:
    if target is None:
        return None
    return {"growth_rate": target.growth_rate, "target_amount": target.target_amount}


def _store(actor, year: int, code: str, rate, amount, existing: CountyTarget | None) -> bool:
    """Write one county's target (or remove it when the rate is empty); audited; True when something changed."""
    before = _snapshot(existing)
    if rate is None:
        if existing is None:
            return False
        db.session.delete(existing)
        db.session.flush()
        audit.record(actor, "county_target.removed", "county_target", existing.id, {"year": year, **before}, None)
        return True
    if before == {"growth_rate": rate, "target_amount": amount}:
        return False
    target = existing or CountyTarget(year=year, area_code=code)
    target.growth_rate, target.target_amount, target.set_by_id = rate, amount, actor.id
    db.session.add(target)
    db.session.flush()
    after = {"year": year, "area_code": code, "growth_rate": rate, "target_amount": amount}
    audit.record(actor, "county_target.set", "county_target", target.id, before, after)
    return True


def set_targets(actor, year, rows: dict[str, dict], in_ten_thousands: bool = False) -> int:
    """Set the targets of a year's counties at once: {area_code: {"growth_rate", "target_amount"}} (amount in yuan,
    or in 万元 with `in_ten_thousands`); an empty rate removes the county's target. All or nothing; returns how
    many counties changed."""
    if not has_permission(actor, Permission.GOAL_MANAGE):
        raise Forbidden(t("Only the bureau sets county targets."))
    if not isinstance(year, int) or not MIN_YEAR <= year <= MAX_YEAR:
        message = t("Choose a year between 2000 and 2100.")
        raise ValidationFailed(message, [FieldError("year.range", "year", message)])
    parsed = _parse_rows(rows, in_ten_thousands)
    existing = targets_for(year)
    changed = 0
    for code, (rate, amount) in parsed.items():
        changed += _store(actor, year, code, rate, amount, existing.get(code))
    return changed
