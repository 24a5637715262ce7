"""The demo's subsidy claims: once `flask demo synth` has written registrations, a buyer of this year's
registrations has claimed this year's subsidy three times (pending, approved by the bureau, paid by the second
bureau account), with the amounts the programme's rules give; seeding again adds nothing."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import func, select

from app.demo import seed as demo
from app.domain.clock import today_local
from app.extensions import db
from app.models import Contract, SubsidyClaim, SubsidyProgramme, User


def test_the_demo_seeds_a_buyers_claims_in_three_states_once(app):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["demo", "seed"]).exit_code == 0  # before any registration: programmes, no claims
    synth = runner.invoke(args=["demo", "synth", "--contracts", "150", "--seed", "5", "--unless-present"])
    assert synth.exit_code == 0 and "wrote 3 subsidy claims" in synth.output, synth.output
    year = today_local().year
    with app.app_context():
        buyer, bureau, payer = (
            db.session.scalars(select(User).where(User.email == e)).one()
            for e in ("buyer@demo.tcr", "bureau@demo.tcr", "bureau2@demo.tcr")
        )
        claims = db.session.scalars(select(SubsidyClaim).order_by(SubsidyClaim.id)).all()
        assert [c.status for c in claims] == ["pending", "approved", "paid"]
        programme = claims[0].programme
        assert programme.name == f"{year}年邯郸市技术交易补贴（承接成果企业）"
        for claim in claims:
            contract = db.session.get(Contract, claim.contract_id)
            assert claim.programme is programme and claim.beneficiary_role == "buyer" and not claim.flagged
            assert claim.beneficiary_credit_code == buyer.organisation.credit_code == contract.buyer.credit_code
            assert contract.status == "registered" and contract.registered_on.year == year
            assert claim.basis_amount == contract.amount  # the programme's basis: the contract amount
            expected = min((programme.rate * contract.amount).quantize(Decimal("0.01"), ROUND_HALF_UP), Decimal(10**6))
            assert claim.amount == expected
        assert (claims[1].decided_by_id, claims[1].paid_by_id) == (bureau.id, None)
        assert (claims[2].decided_by_id, claims[2].paid_by_id) == (bureau.id, payer.id)  # four eyes on the money
        assert sum(c.amount for c in claims[1:]) <= programme.budget

    assert runner.invoke(args=["demo", "seed"]).exit_code == 0
    again = runner.invoke(args=["demo", "synth", "--contracts", "150", "--unless-present"])
    assert again.exit_code == 0 and "nothing written" in again.output
    with app.app_context():
        assert demo.seed_subsidy_claims() == 0
        assert db.session.scalar(select(func.count()).select_from(SubsidyClaim)) == 3
        assert db.session.scalar(select(func.count()).select_from(SubsidyProgramme)) == 2
