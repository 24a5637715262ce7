"""A station's service commitment (a shorter limit than the rules') and the institutions it serves whatever their
district: validation, routing, the promised due date and the breaches the supervision counts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from app.domain.calendar import add_working_days
from app.domain.clock import today_local
from app.errors import Conflict, NotFound, ValidationFailed
from app.extensions import db
from app.filing.services import deadlines
from app.models import Contract, Station, User
from app.stations import lookup
from app.stations import services as stations
from app.statistics.services import supervision
from tests.factories import SELLER_CODE


@pytest.fixture
def bureau(app, make_account):
    account = make_account("bureau")
    with app.app_context():
        yield db.session.get(User, account.id)


def station(code: str) -> Station:
    return lookup.by_code(code)


@pytest.mark.parametrize("days, ok", [(10, True), (15, True), (None, True), (16, False), (0, False)])
def test_a_commitment_is_at_most_the_statutory_limit(bureau, days, ok):
    target = station("130402")
    if ok:
        stations.set_commitment(bureau, target, days)
        assert target.commitment_days == days
    else:
        with pytest.raises(ValidationFailed) as refused:
            stations.set_commitment(bureau, target, days)
        assert refused.value.errors[0].field == "commitment_days"
        assert "15" in refused.value.errors[0].message  # the statutory limit is named


def test_an_institution_needs_a_valid_credit_code_and_one_station(bureau):
    with pytest.raises(ValidationFailed) as refused:
        stations.add_institution(bureau, station("130402"), SELLER_CODE[:-1] + "0", "")
    assert [(e.code, e.field) for e in refused.value.errors] == [
        ("credit_code.check_digit", "credit_code"),
        ("required", "institution_name"),
    ]
    stations.add_institution(bureau, station("130402"), SELLER_CODE.lower(), "示范大学")
    with pytest.raises(Conflict):
        stations.add_institution(bureau, station("130403"), SELLER_CODE, "示范大学")
    served = station("130402").institutions
    assert [(i.credit_code, i.name) for i in served] == [(SELLER_CODE, "示范大学")]
    stations.remove_institution(bureau, station("130402"), served[0].id)
    assert station("130402").institutions == []
    with pytest.raises(NotFound):
        stations.remove_institution(bureau, station("130402"), 999999)


def test_a_filing_of_a_served_institution_goes_to_its_station_whatever_its_district(app, bureau, file_contract):
    stations.add_institution(bureau, station("130403"), SELLER_CODE, "示范科技有限公司")
    db.session.commit()
    contract_id = file_contract()  # the seller is in 130402, served by the 邯山区 station
    assert db.session.get(Contract, contract_id).station.code == "130403"
    stations.update_station(bureau, station("130403"), active=False)
    db.session.commit()
    assert lookup.station_for_party(SELLER_CODE, "130402").code == "130402"  # an inactive one routes nothing


def test_an_institution_station_serves_a_seller_whose_area_no_station_serves(app, bureau, api):
    from tests.factories import filing

    stations.add_institution(bureau, station("130403"), SELLER_CODE, "示范科技有限公司")
    stations.update_station(bureau, station("130402"), area_codes=[])
    db.session.commit()
    created = api.post("/api/v1/contracts", json=filing()).json
    assert "station.no_area" not in [f["code"] for f in created["findings"]]


def _decided(app, contract_id: int, clock_start, decided_on) -> None:
    with app.app_context():
        contract = db.session.get(Contract, contract_id)
        contract.clock_started_on = clock_start
        contract.due_on = add_working_days(clock_start, 15)[0]
        if decided_on is not None:
            contract.status = "refused"
            contract.decided_at = datetime.combine(decided_on, datetime.min.time(), UTC) + timedelta(hours=4)
        db.session.commit()


def test_the_supervision_counts_breaches_of_the_statutory_limit_and_of_the_commitment_apart(app, bureau, file_contract):
    stations.set_commitment(bureau, station("130402"), 5)
    db.session.commit()
    today = today_local()
    start = today - timedelta(days=60)
    on_time, promise_missed, late, waiting_late = (file_contract(title=f"合同{i}") for i in range(4))
    _decided(app, on_time, start, add_working_days(start, 5)[0])
    _decided(app, promise_missed, start, add_working_days(start, 8)[0])
    _decided(app, late, start, add_working_days(start, 20)[0])
    _decided(app, waiting_late, start, None)  # undecided, past both dates
    with app.app_context():
        row = next(i for i in supervision.supervise(today.year) if i.station.code == "130402")
        assert (row.late, row.late_on_commitment) == (2, 3)
        city = supervision.city_totals(supervision.supervise(today.year))
        assert (city.late, city.late_on_commitment) == (2, 3)
        contract = db.session.get(Contract, waiting_late)
        assert deadlines.promised_due_on(contract) == add_working_days(start, 5)[0] < contract.due_on
