"""GET /api/v1/assessment: the counties ranked as the service ranks them, money as strings, growth null without a
base year, the bureau only, the year bounded."""

from __future__ import annotations

from decimal import Decimal

import pytest

from app.demo import synth
from app.domain.clock import today_local
from app.extensions import db
from app.statistics.services import assessment

YEAR = 2025
FIELDS = {
    "area_code",
    "name",
    "contract_amount",
    "previous_contract_amount",
    "growth_rate",
    "target_growth_rate",
    "target_amount",
    "met",
    "rank",
}


@pytest.fixture
def bureau(make_account, api_as):
    return api_as(make_account("bureau"))


def test_the_counties_ranked_with_their_targets(app, bureau):
    with app.app_context():
        synth.generate(240, seed=5, batch=120)
        assessment.set_targets(
            synth.synth_user(), YEAR, {"130426": {"growth_rate": "-100", "target_amount": "1000.50"}}
        )
        db.session.commit()
        expected = {s.area.code: s for s in assessment.assess(YEAR, today_local()).standings}
    response = bureau.get(f"/api/v1/assessment?year={YEAR}")
    assert response.status_code == 200
    items = response.json["items"]
    assert len(items) == 18 and all(set(item) == FIELDS for item in items)
    assert [item["rank"] for item in items] == list(range(1, 19))
    by_code = {item["area_code"]: item for item in items}
    she = by_code["130426"]
    assert she["name"] == "涉县" and she["contract_amount"] == f"{expected['130426'].amount:.2f}"
    assert she["previous_contract_amount"] == f"{expected['130426'].previous_amount:.2f}"
    assert Decimal(she["growth_rate"]) == expected["130426"].growth_rate
    assert (she["target_growth_rate"], she["target_amount"], she["met"]) == ("-100.00", "1000.50", True)
    untargeted = by_code["130402"]
    assert (untargeted["target_growth_rate"], untargeted["target_amount"], untargeted["met"]) == (None, None, None)
    nothing = [item for item in items if item["previous_contract_amount"] == "0.00"]
    assert nothing and all(item["growth_rate"] is None for item in nothing)
    assert min(item["rank"] for item in nothing) > max(i["rank"] for i in items if i["growth_rate"] is not None)


def test_the_year_is_bounded_and_only_the_bureau_may_ask(bureau, make_account, api_as, client):
    assert bureau.get("/api/v1/assessment").status_code == 200  # this year
    for bad in ("1999", "2101", "abc"):
        assert bureau.get(f"/api/v1/assessment?year={bad}").status_code == 422
    assert bureau.get("/api/v1/assessment?year=2025&colour=red").status_code == 422
    assert api_as(make_account("reviewer", station_code="130402")).get("/api/v1/assessment").status_code == 403
    assert client.get("/api/v1/assessment").status_code == 401
