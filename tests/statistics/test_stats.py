"""Statistics: every figure of every dimension agrees with a direct SQL count over the registry itself."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select, text, update

from app.demo import synth
from app.domain.statistics import AMOUNT_BANDS, region_of
from app.extensions import db
from app.models import Contract, ContractParty, RegistrationFact, Station, StatsRollup
from app.statistics.services import stats, stats_facts

YEAR = 2025
# Each dimension's group as an independent SQL condition over contracts c, seller s and buyer b: the answer the
# statistics must agree with, written without the fact table or its CASE expressions.
REGION_CONDITIONS = {
    "city": "{p}.country = '156' AND {p}.area_code LIKE '1304%'",
    "province": "{p}.country = '156' AND {p}.area_code LIKE '13%' AND {p}.area_code NOT LIKE '1304%'",
    "beijing": "{p}.country = '156' AND {p}.area_code LIKE '11%'",
    "tianjin": "{p}.country = '156' AND {p}.area_code LIKE '12%'",
    "other_province": "{p}.country = '156' AND substr({p}.area_code, 1, 2) NOT IN ('11', '12', '13')",
    "abroad": "{p}.country <> '156'",
    "unknown": "{p}.country = '156' AND {p}.area_code IS NULL",
}


def _band_condition(code):
    bounds = [lower for _label, lower in AMOUNT_BANDS.values()]
    index = list(AMOUNT_BANDS).index(code)
    lower = bounds[index] or Decimal(0)
    upper = bounds[index + 1] if index + 1 < len(bounds) else None
    condition = f"c.amount >= {lower}"
    return condition + (f" AND c.amount < {upper}" if upper is not None else "")


def _condition(dimension: str, code, flow: str) -> str:
    party = "s" if flow == "output" else "b"
    other = "b" if flow == "output" else "s"
    column = {
        "category": "c.category",
        "subtype": "c.subtype",
        "technical_field": "c.technical_field",
        "ip_type": "c.ip_type",
        "plan_category": "c.plan_category",
        "nature": f"{party}.nature",
        "area": f"{party}.area_code",
    }.get(dimension)
    if column is not None:
        return f"{column} IS NULL" if code is None else f"{column} = '{code}'"
    if dimension == "month":
        return "c.registered_on BETWEEN :month_first AND :month_last"  # the month's bounds, bound per year
    if dimension == "nature_group":
        prefix = {"020": "02", "100": "1", "300": "3"}.get(code)
        if code is None:
            return f"{party}.nature IS NULL"
        return f"{party}.nature LIKE '{prefix}%'" if prefix else f"{party}.nature = '{code}'"
    if dimension == "station":
        return f"c.station_id = (SELECT id FROM stations WHERE code = '{code}')"
    if dimension == "equity":
        return "c.contributed_as_equity" + ("" if code == "equity" else " = false")
    if dimension == "province":
        return f"{party}.area_code LIKE '{code[:2]}%'"
    if dimension == "region":
        return REGION_CONDITIONS[code].format(p=party)
    if dimension == "counterpart_region":
        return REGION_CONDITIONS[code].format(p=other)
    if dimension == "amount_band":
        return _band_condition(code)
    if dimension == "source":  # nothing imported here: every registration is the local registry's
        return "1 = 1" if code == "local" else "1 = 0"
    raise AssertionError(dimension)


def _month_bounds(year: int, month: int) -> tuple[date, date]:
    first = date(year, month, 1)
    last = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    return first, date.fromordinal(last.toordinal() - 1)


def _direct(year: int, condition: str, params: dict) -> tuple[int, Decimal, Decimal]:
    row = db.session.execute(
        text(f"""
        SELECT count(*), sum(round(c.amount * 100)), sum(round(c.certified_technical_amount * 100))
        FROM contracts c
        JOIN contract_parties s ON s.contract_id = c.id AND s.role = 'seller'
        JOIN contract_parties b ON b.contract_id = c.id AND b.role = 'buyer'
        WHERE c.status = 'registered' AND c.registered_on BETWEEN :first AND :last AND ({condition})
    """),
        {"first": date(year, 1, 1), "last": date(year, 12, 31), **params},
    ).one()
    return row[0], Decimal(int(row[1] or 0)) / 100, Decimal(int(row[2] or 0)) / 100


@pytest.fixture
def registry(app):
    """Synthetic registrations, varied: sellers in Beijing and Tianjin, a buyer abroad, plan projects, and some
    registrations cancelled or revoked (which must not count); the facts then rebuilt from the registry."""
    with app.app_context():
        synth.generate(360, seed=11, batch=100)
        ids = db.session.scalars(select(Contract.id).order_by(Contract.id)).all()
        for offset, area in ((0, "110108"), (1, "120116"), (2, "110105")):
            db.session.execute(
                update(ContractParty)
                .where(ContractParty.contract_id.in_(ids[offset::29]), ContractParty.role == "seller")
                .values(area_code=area)
            )
        db.session.execute(
            update(ContractParty)
            .where(ContractParty.contract_id.in_(ids[5::31]), ContractParty.role == "buyer")
            .values(country="840")
        )
        db.session.execute(update(Contract).where(Contract.id.in_(ids[3::17])).values(plan_category="national"))
        db.session.execute(update(Contract).where(Contract.id.in_(ids[4::23])).values(status="cancelled"))
        db.session.execute(update(Contract).where(Contract.id.in_(ids[6::37])).values(status="revoked"))
        stats_facts.rebuild()
        db.session.commit()
    return app


@pytest.mark.parametrize("flow", ["output", "absorption"])
def test_every_figure_agrees_with_a_direct_sql_count(registry, flow):
    with registry.app_context():
        checked = 0
        for dimension in stats.DIMENSIONS:
            table = stats.compute(stats.StatsQuery(YEAR, (dimension,), flow))
            assert table.rows, dimension
            for row in table.rows:
                code = row.keys[dimension]
                condition = _condition(dimension, code, flow)
                for year, expected_figures in (
                    (YEAR, (row.figures.count, row.figures.amount, row.figures.technical_amount)),
                    (
                        YEAR - 1,
                        (
                            row.figures.previous_count,
                            row.figures.previous_amount,
                            row.figures.previous_technical_amount,
                        ),
                    ),
                ):
                    params = {}
                    if dimension == "month":
                        params["month_first"], params["month_last"] = _month_bounds(year, code)
                    assert _direct(year, condition, params) == expected_figures, (dimension, code, year)
                    checked += 1
            assert (table.totals.count, table.totals.amount, table.totals.technical_amount) == _direct(
                YEAR, "1 = 1", {}
            ), dimension
        assert checked > 200


def test_flows_reach_beijing_tianjin_and_abroad(registry):
    with registry.app_context():
        absorbed = stats.compute(stats.StatsQuery(YEAR, ("counterpart_region",), "absorption"))
        by_region = {row.keys["counterpart_region"]: row.figures for row in absorbed.rows}
        assert by_region["beijing"].count > 0 and by_region["tianjin"].count > 0  # technology from Beijing/Tianjin
        output = stats.compute(stats.StatsQuery(YEAR, ("counterpart_region",), "output"))
        assert {row.keys["counterpart_region"]: row.figures.count for row in output.rows}["abroad"] > 0
        assert region_of("130402") == "city" and region_of("130102") == "province" and region_of(None) == "unknown"
        assert region_of("110108", "840") == "abroad" and region_of("440305") == "other_province"


def test_two_dimensions_and_a_station(registry):
    with registry.app_context():
        station = db.session.scalars(select(Station).where(Station.code == "130403")).one()
        table = stats.compute(stats.StatsQuery(YEAR, ("category", "technical_field"), "output", station))
        assert table.rows
        for row in table.rows:
            condition = (
                f"c.station_id = {station.id} AND c.category = '{row.keys['category']}' "
                f"AND c.technical_field = '{row.keys['technical_field']}'"
            )
            assert _direct(YEAR, condition, {}) == (row.figures.count, row.figures.amount, row.figures.technical_amount)
        assert table.totals.count == _direct(YEAR, f"c.station_id = {station.id}", {})[0]


def test_cancelled_and_revoked_registrations_are_not_counted(registry):
    with registry.app_context():
        counted = db.session.scalar(
            select(db.func.count()).select_from(RegistrationFact).where(RegistrationFact.status == "registered")
        )
        ended = db.session.scalar(
            select(db.func.count())
            .select_from(RegistrationFact)
            .where(RegistrationFact.status.in_(("cancelled", "revoked")))
        )
        assert ended > 0
        years = [stats.compute(stats.StatsQuery(y, ("category",))).totals.count for y in (2024, 2025, 2026)]
        assert sum(years) == counted


def test_unknown_or_too_many_dimensions_are_refused():
    from app.errors import ValidationFailed

    assert stats.parse_group_by("category, technical_field") == ("category", "technical_field")
    for bad in ("colour", "", "month,category,station,area", "category,category"):
        with pytest.raises(ValidationFailed):
            stats.parse_group_by(bad)


def test_rebuild_restores_lost_facts(registry):
    with registry.app_context():
        before = stats.compute(stats.StatsQuery(YEAR, ("station",))).totals
        db.session.execute(db.delete(RegistrationFact))  # the facts and the rollup kept with them, lost
        db.session.execute(db.delete(StatsRollup))
        db.session.commit()
        assert stats.compute(stats.StatsQuery(YEAR, ("station",))).totals.count == 0
    result = registry.test_cli_runner().invoke(args=["stats", "rebuild"])
    assert result.exit_code == 0 and "statistics rebuilt: 360 registrations" in result.output
    with registry.app_context():
        assert stats.compute(stats.StatsQuery(YEAR, ("station",))).totals == before
