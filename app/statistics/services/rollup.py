"""The statistics rollup: for a few groupings of dimensions, the registrations in force and their amounts per
station, year and month (stats_rollup), so that a dashboard or annual table adds up a few thousand rows instead of
scanning a million facts.

Kept exact by the transaction that rewrites the facts: stats_facts.refresh reads the rollup cells of the contracts it
is about to rewrite, rewrites their facts, reads the cells again and adds the difference (one upsert, rows in key
order so that concurrent registrations lock rows in the same order). A grouping's rows also answer the dimensions
that are the rollup's own columns (month, station) and the local registry's constant source.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, delete, func, insert, literal_column, select, text, true, union_all

from app.domain.absorption import LOCAL_SOURCE
from app.domain.statistics import COUNTED_STATUS
from app.extensions import db, dialect_insert
from app.models import RegistrationFact, StatsRollup
from app.statistics.services.dimensions import DIMENSIONS

F, R = RegistrationFact, StatsRollup
FREE = frozenset(("month", "station", "source"))  # answered by every grouping's rows
KEY = ("grouping", "key1", "key2", "station_id", "registered_year", "registered_month")
SUMS = ("registrations", "amount_cents", "technical_amount_cents")
CHUNK = 1000  # rows per upsert statement (SQLite binds at most 32,766 parameters)


@dataclass(frozen=True)
class Grouping:
    """Up to two dimensions kept together; `flow` for those that read a party (the seller's or the buyer's)."""

    name: str
    dimensions: tuple[str, ...]
    flow: str | None = None  # None: no dimension depends on the flow, the rows serve both


# Every dashboard panel and annual table is answered by one of these (tests/statistics/test_rollup.py checks it);
# any other table (GET /api/v1/stats with three dimensions, say) is counted from the facts directly.
GROUPINGS: tuple[Grouping, ...] = (
    Grouping("equity", ("equity",)),  # the smallest: it answers tables by month, station or source alone
    Grouping("category", ("category", "subtype")),
    Grouping("technical_field", ("technical_field",)),
    Grouping("ip_type", ("ip_type",)),
    Grouping("plan_category", ("plan_category",)),
    Grouping("amount_band", ("amount_band",)),
    Grouping("output:nature", ("nature_group", "nature"), "output"),
    Grouping("absorption:nature", ("nature_group", "nature"), "absorption"),
    Grouping("output:area", ("area",), "output"),
    Grouping("absorption:province", ("province",), "absorption"),
    Grouping("output:counterpart_region", ("counterpart_region",), "output"),
    Grouping("absorption:counterpart_region", ("counterpart_region",), "absorption"),
)


def grouping_for(group_by: tuple[str, ...], flow: str) -> Grouping | None:
    """The grouping whose rows answer a table by these dimensions, or None (the table is counted from the facts)."""
    wanted = set(group_by) - FREE
    for grouping in GROUPINGS:
        if grouping.flow in (None, flow) and wanted <= set(grouping.dimensions):
            return grouping
    return None


# Writing -------------------------------------------------------------------------------------------------------


def cells(condition):
    """The rollup cells of the facts matching `condition` (a clause on registration_facts): one SELECT per
    grouping, UNION ALL, in the rollup's columns."""
    parts = []
    for grouping in GROUPINGS:
        keys = [
            func.coalesce(DIMENSIONS[name].column(grouping.flow or "output"), literal_column("''"))
            for name in grouping.dimensions
        ]
        keys += [literal_column("''")] * (2 - len(keys))
        parts.append(
            select(
                literal_column(f"'{grouping.name}'").label("grouping"),
                keys[0].label("key1"),
                keys[1].label("key2"),
                F.station_id,
                F.registered_year,
                F.registered_month,
                func.count().label("registrations"),
                func.sum(F.amount_cents).label("amount_cents"),
                func.sum(F.technical_amount_cents).label("technical_amount_cents"),
            )
            .where(F.status == COUNTED_STATUS, condition)
            # by position: the dimension expressions carry constants PostgreSQL must see as the same expression
            .group_by(*[text(str(i)) for i in range(2, 7)])
        )
    return union_all(*parts)


def cells_of(condition) -> dict[tuple, tuple[int, int, int]]:
    """The cells as {key: (registrations, amount_cents, technical_amount_cents)}."""
    return {
        tuple(row[:6]): (int(row[6]), int(row[7] or 0), int(row[8] or 0))
        for row in db.session.execute(cells(condition))
    }


def add_difference(before: dict, after: dict) -> int:
    """Add `after` minus `before` to the rollup, in key order; returns how many rows changed."""
    changes = []
    for key in sorted(before.keys() | after.keys()):
        old, new = before.get(key, (0, 0, 0)), after.get(key, (0, 0, 0))
        delta = tuple(n - o for n, o in zip(new, old))
        if any(delta):
            changes.append(dict(zip(KEY + SUMS, key + delta)))
    for start in range(0, len(changes), CHUNK):
        _upsert(changes[start : start + CHUNK])
    return len(changes)


def _upsert(rows: list[dict]) -> None:
    statement = dialect_insert(R).values(rows)
    statement = statement.on_conflict_do_update(
        index_elements=list(KEY),
        set_={name: getattr(R, name) + getattr(statement.excluded, name) for name in SUMS},
    )
    db.session.execute(statement)


def rebuild() -> None:
    """Recompute the whole rollup from the facts (after the facts' own rebuild)."""
    db.session.execute(delete(R))
    db.session.execute(insert(R).from_select(KEY + SUMS, cells(true())))


# Reading -------------------------------------------------------------------------------------------------------


def _key(name: str, grouping: Grouping):
    if name == "month":
        return R.registered_month
    if name == "station":
        return R.station_id
    if name == "source":
        return literal_column(f"'{LOCAL_SOURCE}'")
    return func.nullif((R.key1, R.key2)[grouping.dimensions.index(name)], "")


def aggregate(query, grouping: Grouping, cutoff: date | None) -> list[tuple]:
    """A table's rows (keys, then this year's and last year's registrations and cent sums) from the rollup: this
    year's months, and last year's months before the cutoff's (the caller adds the cutoff's month up to its day
    from the facts). Groups are those with a registration in either year, as a count over the facts has them."""
    current = R.registered_year == query.year
    previous = R.registered_year == query.year - 1
    if cutoff is not None:
        previous = and_(previous, R.registered_month < cutoff.month)
    if query.through_month is not None:
        current = and_(current, R.registered_month <= query.through_month)
        previous = and_(previous, R.registered_month <= query.through_month)
    zero = literal_column("0")
    statement = (
        select(
            *[_key(name, grouping).label(name) for name in query.group_by],
            *[
                func.coalesce(func.sum(getattr(R, name)).filter(period), zero)
                for period in (current, previous)
                for name in SUMS
            ],
        )
        .where(R.grouping == grouping.name, R.registered_year.in_((query.year, query.year - 1)))
        .group_by(*[text(str(i + 1)) for i in range(len(query.group_by))])
        .having(func.sum(R.registrations) > 0)
    )
    if query.station is not None:
        statement = statement.where(R.station_id == query.station.id)
    return [tuple(row) for row in db.session.execute(statement)]
