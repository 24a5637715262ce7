"""The bureau manages stations and reviewers; routing follows the areas a station serves."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.accounts.services import accounts
from app.errors import Conflict, Forbidden, ValidationFailed
from app.extensions import db
from app.models import Station, User
from app.stations import services as stations


@pytest.fixture
def bureau(app, make_account):
    account = make_account("bureau")
    with app.app_context():
        yield db.session.get(User, account.id)


def test_create_rename_and_change_areas(app, bureau):
    station = stations.create_station(bureau, "130499", "测试登记站", ["131002", "131003"])
    db.session.commit()
    assert stations.station_for_area("131002").code == "130499"
    stations.update_station(bureau, station, name="廊坊测试站", area_codes=["131003", "131022"])
    db.session.commit()
    assert station.name == "廊坊测试站" and station.area_codes == ["131003", "131022"]
    assert stations.station_for_area("131002") is None
    stations.update_station(bureau, station, active=False)
    db.session.commit()
    assert stations.station_for_area("131003") is None
    assert "131022" not in stations.served_area_codes()


@pytest.mark.parametrize(
    "code, name, areas, error",
    [
        ("13049", "x", [], ValidationFailed),
        ("130499", " ", [], ValidationFailed),
        ("130402", "重复", [], Conflict),
        ("130499", "x", ["999999"], ValidationFailed),
        ("130499", "x", ["130402"], ValidationFailed),  # already served by the 邯山区 station
    ],
)
def test_bad_station_input_is_refused(app, bureau, code, name, areas, error):
    with pytest.raises(error):
        stations.create_station(bureau, code, name, areas)


def test_only_the_bureau_manages_stations(app, make_account):
    reviewer = make_account("reviewer")
    with app.app_context():
        user = db.session.get(User, reviewer.id)
        with pytest.raises(Forbidden):
            stations.create_station(user, "130499", "x", [])


def test_disabled_reviewers_cannot_sign_in(app, bureau):
    station = db.session.scalars(select(Station).where(Station.code == "130403")).one()
    reviewer = stations.add_reviewer(bureau, station, "new.reviewer@example.cn", "新审核员", "a-long-password")
    db.session.commit()
    assert accounts.authenticate("new.reviewer@example.cn", "a-long-password") is not None
    stations.set_reviewer_active(bureau, reviewer, False)
    db.session.commit()
    assert accounts.authenticate("new.reviewer@example.cn", "a-long-password") is None
