"""Registration numbers under concurrency (PostgreSQL): parallel registrations get 1..N, no gap, no duplicate,
also when some registrations fail and roll back after taking their number."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest
from sqlalchemy import select

from app.domain.clock import today_local
from app.extensions import db
from app.models import Contract, User
from app.review.services import review
from tests.conftest import IS_POSTGRES

pytestmark = pytest.mark.skipif(
    not IS_POSTGRES, reason="concurrency is proven on PostgreSQL (set TCR_TEST_DATABASE_URL; CI does)"
)

WORKERS = 8
FILINGS = 40
FAILING = {5, 17, 29}  # positions whose registration fails after taking a number


class Boom(RuntimeError):
    """A failure after the number was assigned, inside the registering transaction."""


def _register(app, contract_id: int, reviewer_id: int, fail: bool, start: threading.Barrier) -> str | None:
    with app.app_context():
        contract = db.session.get(Contract, contract_id)
        reviewer = db.session.get(User, reviewer_id)
        start.wait(timeout=30)
        try:
            review.register(reviewer, contract, contract.category, contract.subtype, Decimal("1080000.00"))
            if fail:
                raise Boom(contract.registration_number)
            db.session.commit()
            return contract.registration_number
        except Boom:
            db.session.rollback()
            return None
        finally:
            db.session.remove()


def test_parallel_registrations_number_without_gaps(app, file_contract, make_account):
    reviewer = make_account("reviewer", station_code="130402")
    ids = [file_contract(title=f"并发合同{i:02d}") for i in range(FILINGS)]
    with app.app_context():
        user = db.session.get(User, reviewer.id)
        for contract in db.session.scalars(select(Contract).where(Contract.id.in_(ids))):
            review.accept(user, contract)
        db.session.commit()
    start = threading.Barrier(WORKERS)
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        batches = [ids[i : i + WORKERS] for i in range(0, len(ids), WORKERS)]
        numbers = []
        for batch in batches:
            start = threading.Barrier(len(batch))
            futures = [pool.submit(_register, app, cid, reviewer.id, ids.index(cid) in FAILING, start) for cid in batch]
            numbers += [f.result(timeout=60) for f in futures]
    issued = sorted(n for n in numbers if n)
    year = today_local().year
    assert issued == [f"130402{year}{i:06d}" for i in range(1, FILINGS - len(FAILING) + 1)]
    with app.app_context():
        stored = sorted(
            db.session.scalars(select(Contract.registration_number).where(Contract.registration_number.is_not(None)))
        )
        unregistered = db.session.scalars(select(Contract.status).where(Contract.registration_number.is_(None))).all()
    assert stored == issued
    assert unregistered == ["accepted"] * len(FAILING)
