"""The demo (`flask demo seed`, then `flask demo income`): a registered contract of the demo enterprise with named researchers and two
verified income records; written once however often the seed runs."""

from __future__ import annotations

from sqlalchemy import func, select

from app.demo.income import TITLE
from app.extensions import db
from app.income.services import realised
from app.models import Contract, ContractResearcher, IncomeRecord


def test_the_demo_seeds_a_contract_with_verified_income_and_researchers(app):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["demo", "seed"]).exit_code == 0
    assert "contract" in runner.invoke(args=["demo", "income"]).output
    assert runner.invoke(args=["demo", "income"]).exit_code == 0  # nothing written twice
    with app.app_context():
        contract = db.session.scalars(select(Contract).where(Contract.title == TITLE)).one()
        assert contract.status == "registered" and contract.registration_number
        rows = db.session.scalars(
            select(IncomeRecord).where(IncomeRecord.contract_id == contract.id).order_by(IncomeRecord.period_from)
        ).all()
        assert [r.status for r in rows] == ["verified", "verified"]
        assert [str(r.technical_income) for r in rows] == ["1455000.00", "2074000.00"]
        named = db.session.scalar(
            select(func.count()).select_from(ContractResearcher).where(ContractResearcher.contract_id == contract.id)
        )
        assert named == 2
        persons = realised.by_person()
        assert {p.name for p in persons} == {"刘建国", "陈晓燕"} and all("*" in p.key for p in persons)
        assert persons[0].income == sum(r.technical_income for r in rows)
