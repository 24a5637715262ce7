"""Realised income: verified technical income totalled per seller and per named researcher, against the title
green channel's thresholds (seed 004: ¥50 million and ¥80 million), in one query per table."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from app.domain.clock import today_local
from app.extensions import db
from app.income.services import realised, records, researchers
from app.models import Contract, User
from tests.factories import SELLER_CODE
from tests.web.test_list_statements import counted_statements

REGISTER = {"category": "development", "subtype": "commissioned", "certified_technical_amount": "1080000.00"}
LEAD = "110101199003074514"  # named on both contracts
OTHER = "130402198506120035"  # named on the second only


@pytest.fixture
def people(make_account):
    return {
        "reviewer": make_account("reviewer", station_code="130402"),
        "second": make_account("reviewer", station_code="130402"),
    }


@pytest.fixture
def two_contracts(file_contract, api_as, people):
    reviewer = api_as(people["reviewer"])
    ids = []
    for title in ("第一份合同", "第二份合同"):
        contract_id = file_contract(title=title)
        reviewer.post(f"/api/v1/contracts/{contract_id}/accept", json={})
        assert reviewer.post(f"/api/v1/contracts/{contract_id}/register", json=REGISTER).status_code == 200
        ids.append(contract_id)
    return ids


def _verified(contract, applicant, reviewer, second, received, technical, start, end):
    record = records.create(
        applicant,
        contract,
        today_local() - timedelta(days=start),
        today_local() - timedelta(days=end),
        Decimal(received),
        [{"kind": "labour", "amount": Decimal(received) - Decimal(technical)}],
        None,
    )
    records.verify(reviewer, record.id, Decimal(technical), None)
    if record.status == "proposed":
        records.approve(second, record.id)
    assert record.status == "verified"
    return record


def test_income_is_totalled_per_seller_and_per_researcher_against_the_thresholds(app, applicant, people, two_contracts):
    with app.app_context():
        owner = db.session.get(User, applicant.id)
        reviewer, second = (db.session.get(User, people[k].id) for k in ("reviewer", "second"))
        first, other = (db.session.get(Contract, i) for i in two_contracts)
        researchers.replace(owner, first, [{"name": "李明", "id_number": LEAD, "role": "项目负责人"}])
        researchers.replace(owner, other, [{"name": "李明", "id_number": LEAD}, {"name": "王芳", "id_number": OTHER}])
        _verified(first, owner, reviewer, second, "40000000.00", "30000000.00", 20, 11)
        _verified(first, owner, reviewer, second, "9000000.00", "8000000.00", 10, 5)
        _verified(other, owner, reviewer, second, "25000000.00", "20000000.00", 20, 5)
        pending = records.create(
            owner,
            other,
            today_local() - timedelta(days=4),
            today_local() - timedelta(days=1),
            Decimal("1000.00"),
            [],
            None,
        )
        assert pending.status == "submitted"  # not verified: counts for nobody
        db.session.commit()

        with counted_statements(app) as statements:
            organisations = realised.by_organisation()
            persons = realised.by_person()
        assert len(statements) == 2  # one aggregate query per table

    assert [(o.key, o.income, o.contracts, o.records) for o in organisations] == [
        (SELLER_CODE, Decimal("58000000.00"), 2, 3)
    ]
    assert organisations[0].level.code == "associate_senior" and organisations[0].progress == (100, 72)
    assert [(p.name, p.key, p.income, p.contracts) for p in persons] == [
        ("李明", "110101********4514", Decimal("58000000.00"), 2),
        ("王芳", "130402********0035", Decimal("20000000.00"), 1),
    ]
    assert persons[1].level is None and persons[1].progress == (40, 25)


def test_a_revoked_registration_no_longer_counts(app, applicant, people, two_contracts):
    with app.app_context():
        owner = db.session.get(User, applicant.id)
        reviewer, second = (db.session.get(User, people[k].id) for k in ("reviewer", "second"))
        first, other = (db.session.get(Contract, i) for i in two_contracts)
        _verified(first, owner, reviewer, second, "1000000.00", "900000.00", 20, 5)
        _verified(other, owner, reviewer, second, "2000000.00", "1500000.00", 20, 5)
        other.status = "revoked"
        db.session.flush()
        assert [o.income for o in realised.by_organisation()] == [Decimal("900000.00")]
        db.session.rollback()
