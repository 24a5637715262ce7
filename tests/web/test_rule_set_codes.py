"""Rule-set codes: the database stores only codes a rule set has (the migration repairs older rows first), and the
pages and the API show a filing whose code the application does not know, marked as unknown, instead of failing."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade
from sqlalchemy import select, text, update

from app.domain.clock import today_local
from app.domain.rules import rule_set_for, rulesets
from app.extensions import db
from app.models import Contract, ContractFinding

BEFORE = "1686b8b3242e"  # the revision before the constraints
FINDING = (
    "INSERT INTO contract_findings (contract_id, position, code, severity, message_zh, message_en, rule_set, "
    "checked_at) VALUES (:id, 99, 'x', 'notice', 'x', 'x', :code, CURRENT_TIMESTAMP)"
)


def _refused(statement: str, **values) -> None:
    with pytest.raises(sa.exc.IntegrityError):
        db.session.execute(text(statement), values)
        db.session.flush()
    db.session.rollback()


def test_the_database_refuses_a_rule_set_code_no_rule_set_has(app, file_contract):
    contract_id = file_contract()
    with app.app_context():
        _refused("UPDATE contracts SET rule_set = '2025' WHERE id = :id", id=contract_id)
        _refused(FINDING, id=contract_id, code="2026")
        db.session.execute(text(FINDING), {"id": contract_id, "code": "miit-2026"})
        db.session.commit()
        _refused("UPDATE contract_findings SET rule_set = 'MIIT-2026' WHERE contract_id = :id", id=contract_id)
        row = {
            c.name: getattr(db.session.get(Contract, contract_id), c.name)
            for c in Contract.__table__.columns
            if c.name not in ("id", "registration_number")
        }
        _refused_insert = sa.insert(Contract.__table__).values({**row, "rule_set": "2025"})
        with pytest.raises(sa.exc.IntegrityError):
            db.session.execute(_refused_insert)
        db.session.rollback()
        # a valid code and, for a draft never checked, no code at all are accepted
        db.session.execute(update(Contract).where(Contract.id == contract_id).values(rule_set="most-2000"))
        db.session.execute(sa.insert(Contract.__table__).values({**row, "status": "draft", "rule_set": None}))
        db.session.commit()
        assert db.session.get(Contract, contract_id).rule_set == "most-2000"


def test_the_migration_repairs_codes_from_the_filing_date_before_adding_the_constraints(app, file_contract):
    old, new, draft = file_contract(), file_contract(title="另一份合同"), file_contract(title="草稿")
    with app.app_context():
        db.session.commit()
        downgrade(revision=BEFORE)
        with db.engine.begin() as connection:
            connection.execute(
                text("UPDATE contracts SET rule_set = '2025', filed_on = '2025-06-30' WHERE id = :id"), {"id": old}
            )
            connection.execute(text("UPDATE contracts SET rule_set = '2026' WHERE id = :id"), {"id": new})
            connection.execute(
                text("UPDATE contracts SET rule_set = 'x', filed_on = NULL, status = 'draft' WHERE id = :id"),
                {"id": draft},
            )
            for contract_id in (old, new, draft):
                connection.execute(text(FINDING), {"id": contract_id, "code": "2025"})
        upgrade()
        codes = dict(db.session.execute(select(Contract.id, Contract.rule_set)).all())
        today = rule_set_for(today_local()).code
        assert codes == {old: "most-2000", new: today, draft: today}
        findings = db.session.execute(
            select(ContractFinding.contract_id, ContractFinding.rule_set, ContractFinding.code)
        ).all()
        repaired = [(contract_id, rule_set) for contract_id, rule_set, code in findings if code == "x"]
        assert len(repaired) == 3 and all(rule_set == codes[contract_id] for contract_id, rule_set in repaired)
        db.session.commit()
        _refused("UPDATE contracts SET rule_set = '2025' WHERE id = :id", id=old)


@pytest.fixture
def unknown_rule_set(app, file_contract, api_as, make_account, sign_in, monkeypatch):
    """An accepted filing past its due date whose rule set the application no longer has (withdrawn from the
    code after it was stored), and clients of the applicant, its station's reviewer and the bureau."""
    contract_id = file_contract()
    reviewer = make_account("reviewer", station_code="130402")
    assert api_as(reviewer).post(f"/api/v1/contracts/{contract_id}/accept", json={}).status_code == 200
    second = file_contract(title="待受理合同")
    with app.app_context():
        code = db.session.get(Contract, contract_id).rule_set
        db.session.execute(
            update(Contract).where(Contract.id == contract_id).values(due_on=today_local() - timedelta(days=3))
        )
        db.session.commit()
    monkeypatch.setattr(rulesets, "RULE_SETS", tuple(r for r in rulesets.RULE_SETS if r.code != code))
    return {"id": contract_id, "second": second, "code": code, "reviewer": reviewer, "bureau": make_account("bureau")}


def test_pages_and_api_show_an_unknown_rule_set_instead_of_failing(unknown_rule_set, sign_in, api_as, applicant):
    contract_id, code = unknown_rule_set["id"], unknown_rule_set["code"]
    reviewer, bureau = sign_in(unknown_rule_set["reviewer"]), sign_in(unknown_rule_set["bureau"])
    marker = f'data-rule-set="{code}"'
    for client, url in (
        (reviewer, f"/station/contracts/{contract_id}"),
        (bureau, f"/station/contracts/{contract_id}"),
        (sign_in(applicant), f"/contracts/{contract_id}"),
    ):
        page = client.get(url)
        assert page.status_code == 200 and marker in page.text, url
    queue = reviewer.get("/station/queue")
    assert queue.status_code == 200 and f"/station/contracts/{contract_id}" in queue.text
    assert "已超期 3 日" in queue.text  # counted in calendar days when the rule set is unknown
    overdue = bureau.get("/bureau/overdue")
    assert overdue.status_code == 200 and f"/station/contracts/{contract_id}" in overdue.text
    api = api_as(unknown_rule_set["reviewer"])
    shown = api.get(f"/api/v1/contracts/{contract_id}")
    assert shown.status_code == 200 and shown.json["rule_set"] == code and shown.json["days_left"] == -3
    assert api.get("/api/v1/contracts").status_code == 200


def test_a_decision_that_needs_an_unknown_rule_set_is_a_conflict(unknown_rule_set, api_as):
    api = api_as(unknown_rule_set["reviewer"])
    response = api.post(f"/api/v1/contracts/{unknown_rule_set['second']}/accept", json={})
    assert response.status_code == 409 and unknown_rule_set["code"] in response.json["detail"]
