"""County assessment: each county's figures agree with a direct count over the registry; growth, ranking, met and
missed, the monthly path; targets are validated, audited and all-or-nothing."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select, text, update

from app.demo import synth
from app.demo.seed import UNIVERSITY, complete_credit_code, seed_institution_station
from app.errors import ValidationFailed
from app.extensions import db
from app.models import AuditRecord, Contract, ContractParty, User
from app.statistics.services import assessment, stats_facts

YEAR = 2025
TODAY = date(2026, 11, 30)
FILER_AREA = "CASE WHEN COALESCE(s.country, '156') <> '156' THEN b.area_code ELSE s.area_code END"


def _direct(first: date, last: date, codes: tuple[str, ...]) -> Decimal:
    """The contract amount of registrations in force, registered between two days, filed for one of the areas."""
    placeholders = ", ".join(f"'{c}'" for c in codes)
    cents = db.session.scalar(
        text(f"""
        SELECT sum(round(c.amount * 100)) FROM contracts c
        JOIN contract_parties s ON s.contract_id = c.id AND s.role = 'seller'
        JOIN contract_parties b ON b.contract_id = c.id AND b.role = 'buyer'
        WHERE c.status = 'registered' AND c.registered_on BETWEEN :first AND :last
          AND {FILER_AREA} IN ({placeholders})
    """),
        {"first": first, "last": last},
    )
    return Decimal(int(cents or 0)) / 100


def _registered_ids(year: int, area: str) -> list[int]:
    return db.session.scalars(
        select(Contract.id)
        .join(ContractParty, (ContractParty.contract_id == Contract.id) & (ContractParty.role == "seller"))
        .where(
            Contract.status == "registered",
            Contract.registered_on.between(date(year, 1, 1), date(year, 12, 31)),
            ContractParty.area_code == area,
        )
        .order_by(Contract.id)
    ).all()


def _set_party(ids, role: str, **values) -> None:
    db.session.execute(
        update(ContractParty).where(ContractParty.contract_id.in_(ids), ContractParty.role == role).values(**values)
    )


@pytest.fixture
def registry(app):
    """Synthetic registrations, then: one moved to the university's institution station (the university in 丛台区),
    one cancelled and one revoked, an import (seller abroad, buyer in 涉县), two sellers under 永年县's old code, one
    in a development zone, and 曲周县 without registrations the year before."""
    with app.app_context():
        synth.generate(400, seed=5, batch=200)
        station = seed_institution_station()
        moved = _registered_ids(YEAR, "130402")[0]
        db.session.execute(update(Contract).where(Contract.id == moved).values(station_id=station.id))
        _set_party([moved], "seller", area_code="130403", credit_code=complete_credit_code(UNIVERSITY[0]))
        ended = _registered_ids(YEAR, "130404")
        db.session.execute(update(Contract).where(Contract.id == ended[0]).values(status="cancelled"))
        db.session.execute(update(Contract).where(Contract.id == ended[1]).values(status="revoked"))
        imported = _registered_ids(YEAR, "130406")[0]
        _set_party([imported], "seller", country="840", area_code=None)
        _set_party([imported], "buyer", country="156", area_code="130426")
        renamed = _registered_ids(YEAR - 1, "130426")[:2]
        _set_party(renamed, "seller", area_code="130429")
        _set_party(_registered_ids(YEAR, "130433")[:1], "seller", area_code="130471")
        _set_party(_registered_ids(YEAR - 1, "130435"), "seller", area_code="130400")
        stats_facts.rebuild()
        db.session.commit()
        yield {"moved": moved, "ended": ended[:2], "imported": imported, "renamed": renamed}


def test_every_county_agrees_with_a_direct_count_of_the_registry(registry):
    for year, today in ((YEAR, TODAY), (2026, TODAY)):
        result = assessment.assess(year, today)
        previous_last = date(year - 1, 12, 31) if year < today.year else date(year - 1, today.month, today.day)
        assert len(result.standings) == 18
        for standing in result.standings:
            codes = (standing.area.code,) + tuple(
                o for o, n in assessment.SUCCESSORS.items() if n == standing.area.code
            )
            assert standing.amount == _direct(date(year, 1, 1), date(year, 12, 31), codes), standing.area.code
            assert standing.previous_amount == _direct(date(year - 1, 1, 1), previous_last, codes)
            assert standing.previous_year_amount == _direct(date(year - 1, 1, 1), date(year - 1, 12, 31), codes)
        total = db.session.scalar(
            text(
                "SELECT sum(round(amount * 100)) FROM contracts WHERE status = 'registered' "
                "AND registered_on BETWEEN :f AND :l"
            ),
            {"f": date(year, 1, 1), "l": date(year, 12, 31)},
        )
        assert result.unattributed > 0  # the development zone's seller (and others outside the counties)
        assert result.amount + result.unattributed == Decimal(int(total)) / 100


def test_institution_import_renamed_and_ended_registrations(registry):
    result = {s.area.code: s for s in assessment.assess(YEAR, TODAY).standings}
    moved = db.session.get(Contract, registry["moved"])
    imported = db.session.get(Contract, registry["imported"])
    # the university's contract counts for 丛台区 (the institution's county), not for its station nor 邯山区
    assert moved.station.code == "130490" and moved.amount > 0
    without = _direct(date(YEAR, 1, 1), date(YEAR, 12, 31), ("130403",))
    assert result["130403"].amount == without
    db.session.execute(update(Contract).where(Contract.id == moved.id).values(status="revoked"))
    stats_facts.refresh_contract(moved)
    after = {s.area.code: s for s in assessment.assess(YEAR, TODAY).standings}
    assert after["130403"].amount == without - moved.amount  # revoked: no longer counted
    assert imported.amount > 0 and result["130426"].amount >= imported.amount  # the import counts for the buyer's
    renamed = db.session.scalars(select(Contract.amount).where(Contract.id.in_(registry["renamed"]))).all()
    assert len(renamed) == 2 and result["130408"].previous_amount == sum(renamed)  # 永年县's old code: 永年区
    ended = db.session.scalars(select(Contract).where(Contract.id.in_(registry["ended"]))).all()
    assert {c.status for c in ended} == {"cancelled", "revoked"}


def test_growth_ranking_met_and_missed(registry):
    bureau = db.session.scalars(select(User).where(User.role == "bureau")).first()
    base = {s.area.code: s for s in assessment.assess(YEAR, TODAY).standings}
    assert base["130435"].growth_rate is None and base["130435"].amount > 0  # nothing the year before
    assert max(s.rank for s in base.values() if s.growth_rate is not None) < base["130435"].rank  # ranked after
    growing = base["130402"]
    expected = (growing.amount - growing.previous_amount) * 100 / growing.previous_amount
    assert growing.growth_rate == expected.quantize(Decimal("0.01"))
    rows = {
        "130402": {"growth_rate": str(growing.growth_rate), "target_amount": ""},  # exactly reached: met
        "130403": {"growth_rate": str(base["130403"].growth_rate + 1)},  # one point short: missed
        "130404": {"growth_rate": "-100", "target_amount": str(base["130404"].amount + 1)},  # amount short: missed
        "130435": {"growth_rate": "10"},  # no base year: neither
    }
    assert assessment.set_targets(bureau, YEAR, rows) == 4
    result = assessment.assess(YEAR, TODAY)
    by_code = {s.area.code: s for s in result.standings}
    assert [by_code[c].met for c in ("130402", "130403", "130404", "130435", "130406")] == [
        True,
        False,
        False,
        None,
        None,
    ]
    assert (result.met_count, result.missed_count) == (1, 2)
    ranked = [s for s in result.standings if s.growth_rate is not None]
    assert [s.rank for s in result.standings] == list(range(1, 19))
    assert all(a.growth_rate >= b.growth_rate for a, b in zip(ranked, ranked[1:]))
    path = by_code["130404"].path
    assert path[-1].cumulative == by_code["130404"].amount
    assert path[5].pace == (by_code["130404"].target.target_amount * 6 / 12).quantize(Decimal("0.01"))
    grown = by_code["130402"].path[11].pace  # no amount: last year's whole amount grown by the rate
    assert grown == (growing.previous_year_amount * (100 + growing.growth_rate) / 100).quantize(Decimal("0.01"))
    actions = db.session.scalars(select(AuditRecord.action).where(AuditRecord.object_type == "county_target")).all()
    assert actions.count("county_target.set") == 4


def test_targets_are_validated_all_or_nothing_and_removed_by_an_empty_rate(app):
    with app.app_context():
        bureau = synth.synth_user()
        with pytest.raises(ValidationFailed) as refused:
            assessment.set_targets(
                bureau,
                2026,
                {
                    "130402": {"growth_rate": "15"},
                    "130403": {"growth_rate": "1000.01"},
                    "130404": {"growth_rate": "abc"},
                    "130406": {"growth_rate": "", "target_amount": "100"},
                    "130407": {"growth_rate": "5", "target_amount": "-1"},
                    "110101": {"growth_rate": "5"},
                },
            )
        fields = {e.field: e.code for e in refused.value.errors}
        assert fields == {
            "130403.growth_rate": "growth_rate.range",
            "130404.growth_rate": "growth_rate.invalid",
            "130406.growth_rate": "growth_rate.required",
            "130407.target_amount": "target_amount.range",
            "110101": "area_code.unknown",
        }
        assert assessment.targets_for(2026) == {}
        assessment.set_targets(bureau, 2026, {"130402": {"growth_rate": "-100", "target_amount": "12.5"}}, True)
        target = assessment.targets_for(2026)["130402"]
        assert (target.growth_rate, target.target_amount, target.set_by_id) == (Decimal("-100.00"), 125000, bureau.id)
        assert assessment.set_targets(bureau, 2026, {"130402": {"growth_rate": " "}}) == 1
        assert assessment.targets_for(2026) == {}
