"""Never paid twice, never over budget, under concurrent approvals, claims and payments (PostgreSQL: each thread
has its own application context and connection to the real server; SQLite serialises writers anyway)."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from app.errors import DomainError
from app.extensions import db
from app.models import AuditRecord, SubsidyClaim, User
from app.subsidies.services import claims
from tests.conftest import IS_POSTGRES
from tests.subsidies.helpers import buyer_account, create_programme, register

pytestmark = pytest.mark.skipif(
    not IS_POSTGRES, reason="concurrency is proven on PostgreSQL (set TCR_TEST_DATABASE_URL; CI does)"
)
THREADS = 6


def _race(app, act, arguments: list[tuple]) -> list[str]:
    """Run act(*arguments[i]) in one thread each, all released at once, each committing its own transaction."""
    start, outcomes = threading.Barrier(len(arguments)), []

    def run(user_id, *args):
        with app.app_context():
            try:
                user = db.session.get(User, user_id)
                start.wait(timeout=30)
                act(user, *args)
                db.session.commit()
                outcomes.append("ok")
            except DomainError as error:
                db.session.rollback()
                outcomes.append(type(error).__name__)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=args) for args in arguments]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def test_concurrent_approvals_claims_and_payments_keep_the_budget_and_pay_once(
    app, make_account, api_as, file_contract
):
    reviewer = api_as(make_account("reviewer", station_code="130402"))
    buyer_account_ = buyer_account(make_account)
    buyer = api_as(buyer_account_)
    bureau, bureau2 = make_account("bureau"), make_account("bureau")
    programme = create_programme(api_as(bureau), budget="125000.00")  # room for two claims of 62,500
    numbers = [register(reviewer, file_contract(title=f"并发{i}"))["registration_number"] for i in range(THREADS)]
    ids = [
        buyer.post("/api/v1/subsidy-claims", json={"programme": programme, "registration_number": n}).json["id"]
        for n in numbers
    ]

    approvals = _race(app, claims.approve, [(bureau.id, claim_id) for claim_id in ids])
    assert sorted(approvals) == ["Conflict"] * (THREADS - 2) + ["ok"] * 2
    with app.app_context():
        committed = db.session.scalar(select(func.sum(SubsidyClaim.amount)).where(SubsidyClaim.status == "approved"))
        approved = db.session.scalars(select(SubsidyClaim.id).where(SubsidyClaim.status == "approved")).all()
    assert str(committed) == "125000.00"

    payments = _race(app, claims.pay, [(bureau2.id, approved[0])] * THREADS)
    assert sorted(payments) == ["Conflict"] * (THREADS - 1) + ["ok"]

    other = create_programme(api_as(bureau), name="同时申请")
    duplicates = _race(app, claims.claim, [(buyer_account_.id, other, numbers[0])] * THREADS)
    assert sorted(duplicates) == ["Conflict"] * (THREADS - 1) + ["ok"]
    with app.app_context():
        paid = db.session.scalar(
            select(func.count()).where(
                AuditRecord.action == "subsidy_claim.pay", AuditRecord.object_id == str(approved[0])
            )
        )
        on_other = db.session.scalar(select(func.count()).where(SubsidyClaim.programme_id == other))
    assert paid == 1 and on_other == 1
