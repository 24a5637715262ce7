"""Station decisions through the API: accept, amend, refuse, register (four eyes), change, cancel, revoke."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.domain.clock import today_local
from app.extensions import db
from app.models import OutboxMessage
from tests.factories import through_experts


@pytest.fixture
def reviewer(make_account, api_as):
    return api_as(make_account("reviewer", station_code="130402"))


def register_body(**overrides):
    body = {"category": "development", "subtype": "commissioned", "certified_technical_amount": "1080000.00"}
    body.update(overrides)
    return body


def act(client, contract_id, action, body=None):
    return client.post(f"/api/v1/contracts/{contract_id}/{action}", json=body or {})


def test_amendment_then_registration(app, api, reviewer, file_contract):
    contract_id = file_contract()
    accepted = act(reviewer, contract_id, "accept")
    assert accepted.status_code == 200
    assert accepted.json["status"] == "accepted"
    assert accepted.json["due_on"] > today_local().isoformat() and accepted.json["days_left"] == 15
    due = (today_local() + timedelta(days=10)).isoformat()
    amended = act(
        reviewer, contract_id, "request-amendment", {"reasons": ["请补充技术附件", "盖章不清晰"], "due_on": due}
    )
    assert amended.status_code == 200 and amended.json["amendment_due_on"] == due
    assert amended.json["history"][-1]["details"]["reasons"] == ["请补充技术附件", "盖章不清晰"]
    # the applicant edits and resubmits
    assert api.patch(f"/api/v1/contracts/{contract_id}", json={"summary": "补充后的摘要"}).status_code == 200
    resubmitted = act(api, contract_id, "submit")
    assert resubmitted.status_code == 200 and resubmitted.json["status"] == "submitted"
    assert resubmitted.json["history"][-1]["details"]["clock_restarted"] is True
    assert act(reviewer, contract_id, "accept").status_code == 200
    registered = act(reviewer, contract_id, "register", register_body())
    assert registered.status_code == 200, registered.json
    body = registered.json
    assert body["status"] == "registered"
    assert body["registration_number"] == f"130402{today_local().year}000001"
    assert body["certified_technical_amount"] == "1080000.00" and body["registered_on"] == today_local().isoformat()
    assert [h["to"] for h in body["history"]] == [
        "draft",
        "submitted",
        "accepted",
        "amendment_requested",
        "submitted",
        "accepted",
        "registered",
    ]
    with app.app_context():
        subjects = [m.subject for m in db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))]
    assert any("补正" in s for s in subjects) and any(body["registration_number"] in s for s in subjects)


def test_refusal_needs_known_grounds_and_a_note(api, reviewer, file_contract):
    contract_id = file_contract()
    assert act(reviewer, contract_id, "refuse", {"grounds": [], "note": "x"}).status_code == 422
    assert act(reviewer, contract_id, "refuse", {"grounds": ["bad_mood"], "note": "x"}).status_code == 422
    assert act(reviewer, contract_id, "refuse", {"grounds": ["subject_unclear"], "note": "  "}).status_code == 422
    refused = act(
        reviewer,
        contract_id,
        "refuse",
        {"grounds": ["subject_unclear", "price_unclear"], "note": "技术内容与价款约定不明确"},
    )
    assert refused.status_code == 200 and refused.json["status"] == "refused"
    last = refused.json["history"][-1]
    assert (
        last["details"]["grounds"] == ["subject_unclear", "price_unclear"]
        and last["note"] == "技术内容与价款约定不明确"
    )
    assert act(reviewer, contract_id, "accept").status_code == 409


def test_corrections_need_reasons_and_take_effect(reviewer, file_contract):
    contract_id = file_contract()
    act(reviewer, contract_id, "accept")
    corrected = register_body(subtype="cooperative", certified_technical_amount="900000.00")
    missing = act(reviewer, contract_id, "register", corrected)
    assert missing.status_code == 422
    assert {e["field"] for e in missing.json["errors"]} == {
        "correction_reasons.subtype",
        "correction_reasons.certified_technical_amount",
    }
    corrected["correction_reasons"] = {"subtype": "双方共同研发", "certified_technical_amount": "扣除材料费"}
    done = act(reviewer, contract_id, "register", corrected)
    assert done.status_code == 200
    assert done.json["subtype"] == "cooperative" and done.json["certified_technical_amount"] == "900000.00"
    assert done.json["technical_amount"] == "1080000.00"  # the declared figure stays on record
    assert act(reviewer, contract_id, "register", register_body()).status_code == 409


def test_register_refuses_an_impossible_classification_or_amount(reviewer, file_contract):
    contract_id = file_contract()
    act(reviewer, contract_id, "accept")
    reasons = {"correction_reasons": {"subtype": "x", "certified_technical_amount": "x", "category": "x"}}
    assert act(reviewer, contract_id, "register", register_body(subtype="training", **reasons)).status_code == 422
    too_much = register_body(certified_technical_amount="2000000.00", **reasons)
    assert act(reviewer, contract_id, "register", too_much).status_code == 422


def test_four_eyes_above_the_threshold(app, make_account, api_as, reviewer, file_contract):
    big = {"amount": "12000000.00", "deductions": [], "technical_amount": "12000000.00"}
    contract_id = file_contract(**big)
    act(reviewer, contract_id, "accept")
    through_experts(app, contract_id)
    proposed = act(reviewer, contract_id, "register", register_body(certified_technical_amount="12000000.00"))
    assert proposed.status_code == 200
    assert proposed.json["status"] == "accepted" and proposed.json["registration_number"] is None
    assert proposed.json["pending_registration"]["certified_technical_amount"] == "12000000.00"
    assert act(reviewer, contract_id, "approve").status_code == 403  # never the same person
    elsewhere = api_as(make_account("reviewer", station_code="130403"))
    assert act(elsewhere, contract_id, "approve").status_code == 404
    second = api_as(make_account("reviewer", station_code="130402"))
    approved = act(second, contract_id, "approve")
    assert approved.status_code == 200 and approved.json["status"] == "registered"
    assert approved.json["registration_number"].endswith("000001")


def test_numbers_count_per_station_without_gaps(app, api, reviewer, file_contract, monkeypatch):
    first, second, third = (file_contract(title=f"合同{i}") for i in range(3))
    for contract_id in (first, second, third):
        act(reviewer, contract_id, "accept")
    assert act(reviewer, first, "register", register_body()).json["registration_number"].endswith("000001")
    # a registration that fails after taking its number rolls the number back
    from app import mail

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(mail, "notify_applicant", broken)
    failed = act(reviewer, second, "register", register_body())
    assert failed.status_code == 500
    monkeypatch.undo()
    assert act(reviewer, second, "register", register_body()).json["registration_number"].endswith("000002")
    assert act(reviewer, third, "register", register_body()).json["registration_number"].endswith("000003")


def test_change_cancel_revoke_after_registration(reviewer, file_contract):
    contract_id = file_contract()
    act(reviewer, contract_id, "accept")
    act(reviewer, contract_id, "register", register_body())
    assert act(reviewer, contract_id, "change", {"reason": "   "}).status_code == 422
    assert act(reviewer, contract_id, "change", {"reason": "无变化"}).status_code == 422
    changed = act(reviewer, contract_id, "change", {"title": "更正后的合同名称", "reason": "名称笔误"})
    assert changed.status_code == 200
    assert changed.json["version"] == 2 and changed.json["status"] == "registered"
    assert changed.json["history"][-1]["details"]["before"] == {"title": "钢铁冶炼余热回收技术开发"}
    revoked = act(reviewer, contract_id, "revoke", {"reason": "提供虚假材料"})
    assert revoked.status_code == 200 and revoked.json["status"] == "revoked"
    assert act(reviewer, contract_id, "cancel", {"reason": "x"}).status_code == 409


def test_cancel(reviewer, file_contract):
    contract_id = file_contract()
    act(reviewer, contract_id, "accept")
    act(reviewer, contract_id, "register", register_body())
    cancelled = act(reviewer, contract_id, "cancel", {"reason": "合同已解除"})
    assert cancelled.status_code == 200 and cancelled.json["status"] == "cancelled"


def test_the_bureau_reassigns_with_a_reason(make_account, api_as, reviewer, file_contract):
    contract_id = file_contract()
    bureau = api_as(make_account("bureau"))
    assert act(bureau, contract_id, "reassign", {"station": "130403", "reason": " "}).status_code == 422
    assert act(bureau, contract_id, "reassign", {"station": "999999", "reason": "x"}).status_code == 422
    moved = act(bureau, contract_id, "reassign", {"station": "130403", "reason": "属地调整"})
    assert moved.status_code == 200 and moved.json["station"]["code"] == "130403"
    assert act(reviewer, contract_id, "accept").status_code == 404  # no longer this station's
    other = api_as(make_account("reviewer", station_code="130403"))
    assert act(other, contract_id, "accept").status_code == 200
    assert act(reviewer, contract_id, "reassign", {"station": "130402", "reason": "x"}).status_code == 404


def test_applicants_never_act_as_reviewers(api, file_contract):
    contract_id = file_contract()
    for action, body in (
        ("accept", {}),
        ("refuse", {"grounds": ["other"], "note": "x"}),
        ("register", register_body()),
        ("reassign", {"station": "130403", "reason": "x"}),
    ):
        assert act(api, contract_id, action, body).status_code == 403


def test_expert_review_gives_the_longer_limit(reviewer, file_contract):
    big = {"amount": "6000000.00", "deductions": [], "technical_amount": "6000000.00"}
    contract_id = file_contract(**big)
    accepted = act(reviewer, contract_id, "accept").json
    assert accepted["expert_review"] is True and accepted["days_left"] == 30
    assert accepted["status"] == "expert_review" and accepted["held_by"] == "experts"


def test_queue_filters(api, reviewer, file_contract):
    small, large = (
        file_contract(title="小合同"),
        file_contract(title="大合同", amount="3000000.00", deductions=[], technical_amount="3000000.00"),
    )
    act(reviewer, small, "accept")
    rows = reviewer.get("/api/v1/contracts?status=accepted").json["items"]
    assert [r["id"] for r in rows] == [small]
    rows = reviewer.get("/api/v1/contracts?amount_min=2000000.00").json["items"]
    assert [r["id"] for r in rows] == [large]
    assert reviewer.get("/api/v1/contracts?overdue=true").json["items"] == []
    assert {r["id"] for r in reviewer.get("/api/v1/contracts?overdue=false").json["items"]} == {small, large}


def test_emails_leave_only_after_commit(app, tmp_path, reviewer, file_contract):
    app.config.update(MAIL_BACKEND="file", MAIL_DIR=str(tmp_path / "mail"))
    contract_id = file_contract()
    assert act(reviewer, contract_id, "refuse", {"grounds": ["other"], "note": ""}).status_code == 422
    assert not (tmp_path / "mail").exists()  # the refused action queued nothing
    assert act(reviewer, contract_id, "accept").status_code == 200
    files = list((tmp_path / "mail").glob("*.eml"))
    assert len(files) == 1
    assert "已受理" in files[0].read_bytes().decode("utf-8", "replace") or files[0].stat().st_size > 0
    with app.app_context():
        assert db.session.scalars(select(OutboxMessage)).one().sent_at is not None
