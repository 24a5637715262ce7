"""The tax feed under concurrency (PostgreSQL): events committed out of id order still reach a reader paging by
position exactly once (ids are insert order, positions are commit order)."""

from __future__ import annotations

import random
import threading
import time

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Contract, TaxEvent, User
from app.tax.services import taxfeed
from tests.api.test_tax_feed import act
from tests.conftest import IS_POSTGRES

pytestmark = pytest.mark.skipif(
    not IS_POSTGRES, reason="concurrency is proven on PostgreSQL (set TCR_TEST_DATABASE_URL; CI does)"
)

WRITERS = 24


def _write(app, contract_id: int, delay: float, hold: threading.Event | None, written: list) -> None:
    with app.app_context():
        try:
            event = taxfeed.record(db.session.get(Contract, contract_id), "changed")
            written.append(event.id)
            if hold is not None:
                hold.wait(timeout=30)  # a low id that commits after the others
            time.sleep(delay)
            db.session.commit()
        finally:
            db.session.remove()


def _read(app, user_id: int, stop: threading.Event, seen: list) -> None:
    with app.app_context():
        user = db.session.get(User, user_id)
        after = 0
        while True:
            finished = stop.is_set()
            items = taxfeed.read(user, after, 3)
            db.session.rollback()  # a fresh snapshot for the next round
            seen += [item["seq"] for item in items]
            after = items[-1]["seq"] if items else after
            if finished and not items:
                break
            time.sleep(0.002)
        db.session.remove()


def test_reader_gets_every_event_once_despite_out_of_order_commits(app, make_account, api_as, file_contract):
    reviewer = api_as(make_account("reviewer", station_code="130402"))
    contract_id = file_contract()
    act(reviewer, contract_id, "accept")
    act(
        reviewer,
        contract_id,
        "register",
        {"category": "development", "subtype": "commissioned", "certified_technical_amount": "1080000.00"},
    )
    tax = make_account("tax", area_codes=("130402",))
    rng = random.Random(20261122)
    hold, stop, written, seen = threading.Event(), threading.Event(), [], []
    reader = threading.Thread(target=_read, args=(app, tax.id, stop, seen))
    reader.start()
    holder = threading.Thread(target=_write, args=(app, contract_id, 0, hold, written))
    holder.start()
    while not written:
        time.sleep(0.001)
    writers = [
        threading.Thread(target=_write, args=(app, contract_id, rng.uniform(0, 0.05), None, written))
        for _ in range(WRITERS)
    ]
    for thread in writers:
        thread.start()
    for thread in writers:
        thread.join(timeout=60)
    time.sleep(0.1)  # the reader has passed the later ids by now
    hold.set()
    holder.join(timeout=60)
    stop.set()
    reader.join(timeout=60)
    with app.app_context():
        positions = db.session.scalars(select(TaxEvent.position).order_by(TaxEvent.position)).all()
        out_of_order = db.session.scalar(
            select(func.count()).select_from(TaxEvent).where(TaxEvent.id == min(written), TaxEvent.position > 2)
        )
    assert len(positions) == WRITERS + 2 and None not in positions  # + the registration, + the held event
    assert sorted(seen) == seen and seen == positions  # every event exactly once, in position order
    assert out_of_order == 1  # the held low id was published after higher ids: commit order, not id order
