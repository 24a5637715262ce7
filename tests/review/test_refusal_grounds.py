"""Refusal grounds per rule set (DOMAIN.md §4, §12): the service accepts only the grounds of the filing's rule set,
the station's form offers them, and a refusal keeps its codes."""

from __future__ import annotations

import pytest

from app.extensions import db
from app.models import Contract
from tests.conftest import login


@pytest.fixture
def reviewer(make_account, api_as):
    return api_as(make_account("reviewer", station_code="130402"))


@pytest.fixture
def accepted_under(app, file_contract, reviewer):
    """accepted_under(rule_set) → the id of an accepted filing whose rule set is that one."""

    def make(rule_set: str) -> int:
        contract_id = file_contract()
        assert reviewer.post(f"/api/v1/contracts/{contract_id}/accept", json={}).status_code == 200
        with app.app_context():
            db.session.get(Contract, contract_id).rule_set = rule_set  # as if filed under that rule set
            db.session.commit()
        return contract_id

    return make


def refuse(client, contract_id, grounds):
    return client.post(f"/api/v1/contracts/{contract_id}/refuse", json={"grounds": grounds, "note": "理由说明"})


def error_codes(response) -> list[tuple[str, str]]:
    return [(e["code"], e["field"]) for e in response.json.get("errors", [])]


def test_a_2001_filing_is_not_refused_on_a_ground_only_the_2026_rules_have(reviewer, accepted_under):
    contract_id = accepted_under("most-2000")
    foreign = refuse(reviewer, contract_id, ["terms_unclear"])
    assert foreign.status_code == 422 and error_codes(foreign) == [("ground.not_in_rule_set", "grounds")]
    assert reviewer.get(f"/api/v1/contracts/{contract_id}").json["status"] == "accepted"
    refused = refuse(reviewer, contract_id, ["subject_unclear", "seals_incomplete"])
    assert refused.status_code == 200 and refused.json["history"][-1]["details"]["grounds"] == [
        "subject_unclear",
        "seals_incomplete",
    ]


def test_a_2026_filing_is_refused_on_its_own_grounds_and_the_finer_2001_codes_of_the_merged_item(
    reviewer, accepted_under
):
    first = accepted_under("miit-2026")
    unknown = refuse(reviewer, first, ["bad_mood"])
    assert unknown.status_code == 422 and [code for code, _ in error_codes(unknown)] == ["code.unknown"]
    refused = refuse(reviewer, first, ["terms_unclear", "price_unclear"])
    assert refused.status_code == 200 and refused.json["status"] == "refused"
    assert refused.json["history"][-1]["details"]["grounds"] == ["terms_unclear", "price_unclear"]


def test_the_schema_accepts_every_known_code_and_leaves_the_rule_set_to_the_service(reviewer, accepted_under):
    # terms_unclear passes the schema for a 2001 filing (the service refuses it with its own code, not "code.unknown")
    response = refuse(reviewer, accepted_under("most-2000"), ["terms_unclear"])
    assert "code.unknown" not in [code for code, _ in error_codes(response)]


@pytest.mark.parametrize(
    ("rule_set", "offered", "absent", "unconfirmed"),
    [
        ("most-2000", ["subject_unclear", "seals_incomplete"], ["terms_unclear"], False),
        ("miit-2026", ["terms_unclear", "subject_unclear"], [], True),
    ],
)
def test_the_refuse_form_offers_the_rule_sets_grounds(
    app, make_account, accepted_under, rule_set, offered, absent, unconfirmed
):
    contract_id = accepted_under(rule_set)
    account, browser = make_account("reviewer", station_code="130402"), app.test_client()
    assert login(browser, account.email, account.password).status_code == 302
    page = browser.get(f"/station/contracts/{contract_id}").text
    form = page.split('id="action-refuse"')[1].split("</form>")[0]
    for code in offered:
        assert f'value="{code}"' in form
    for code in absent:
        assert f'value="{code}"' not in form
    assert ('id="grounds-unconfirmed"' in form) is unconfirmed and ("未确认" in form) is unconfirmed
