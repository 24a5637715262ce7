"""Every notice the e-mails carry is also a message: to whom, about what, in which language; and reading them."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.claims import services as claims
from app.demo.seed import complete_credit_code
from app.errors import NotFound
from app.extensions import db
from app.messages import services as messages
from app.models import Message, OutboxMessage, User
from tests.conftest import login
from tests.factories import BUYER_CODE, SELLER_CODE, activation_token, csrf_from, sign_up_claimant, unique

AMENDMENT = {"reasons": ["补充技术附件"], "due_on": "2099-12-31"}


def _messages(app, account) -> list[Message]:
    with app.app_context():
        return list(db.session.scalars(select(Message).where(Message.user_id == account.id).order_by(Message.id)))


def _emails(app, contract_id: int) -> list[OutboxMessage]:
    with app.app_context():
        return list(
            db.session.scalars(
                select(OutboxMessage).where(OutboxMessage.contract_id == contract_id).order_by(OutboxMessage.id)
            )
        )


def test_a_decision_reaches_every_account_of_the_filing_organisation_that_sees_the_filing(
    app, make_account, api_as, applicant, file_contract
):
    colleague = make_account("applicant")  # made by an administrator: speaks for the organisation
    stranger = make_account("applicant", credit_code=BUYER_CODE, org_name="别家公司")
    reviewer = make_account("reviewer", station_code="130402")
    with app.app_context():  # signed up itself and not confirmed yet: it sees only what it filed itself
        newcomer = sign_up_claimant(f"{unique('newcomer')}@example.cn", SELLER_CODE)
    contract_id = file_contract()

    assert api_as(reviewer).post(f"/api/v1/contracts/{contract_id}/accept", json={}).status_code == 200

    for account in (applicant, colleague):
        [message] = _messages(app, account)
        assert message.event == "accepted" and message.contract_id == contract_id
        assert message.link == f"/contracts/{contract_id}" and message.read_at is None
        assert message.subject == f"【TCR】您的技术合同登记申请已受理（#{contract_id}）"
    assert _messages(app, stranger) == [] and _messages(app, newcomer) == [] and _messages(app, reviewer) == []
    # the e-mail still goes to the person who filed it, with the same subject and body as the messages
    [email] = _emails(app, contract_id)
    [message] = _messages(app, applicant)
    assert email.recipient == applicant.email
    assert (email.subject, email.body) == (message.subject, message.body)


def test_each_decision_on_a_filing_is_one_more_message(app, make_account, api_as, applicant, file_contract):
    reviewer = api_as(make_account("reviewer", station_code="130402"))
    contract_id = file_contract()
    reviewer.post(f"/api/v1/contracts/{contract_id}/accept", json={})
    register = {"category": "development", "subtype": "commissioned", "certified_technical_amount": "1080000.00"}
    assert reviewer.post(f"/api/v1/contracts/{contract_id}/register", json=register).status_code == 200

    events = [message.event for message in _messages(app, applicant)]
    assert events == ["accepted", "registered"]
    assert "认定登记" in _messages(app, applicant)[1].subject


def test_amended_materials_reach_the_active_reviewers_of_the_station(app, make_account, api_as, api, file_contract):
    reviewer = make_account("reviewer", station_code="130402")
    colleague = make_account("reviewer", station_code="130402")
    elsewhere = make_account("reviewer", station_code="130403")
    contract_id = file_contract()
    assert (
        api_as(reviewer).post(f"/api/v1/contracts/{contract_id}/request-amendment", json=AMENDMENT).status_code == 200
    )
    assert api.post(f"/api/v1/contracts/{contract_id}/submit", json={}).status_code == 200

    for account in (reviewer, colleague):
        [message] = _messages(app, account)
        assert message.event == "resubmitted" and message.link == f"/station/contracts/{contract_id}"
        assert "补正材料已提交" in message.subject
    assert _messages(app, elsewhere) == []


def test_a_claim_decision_is_a_message_but_the_activation_link_is_not(app, make_account):
    station_reviewer = make_account("reviewer", station_code="130402")
    with app.app_context():
        code = complete_credit_code(f"91130402MA0{int(unique('')):06d}")
        claimant = sign_up_claimant(f"{unique('claimant')}@example.cn", code)
        # the activation e-mail (a link into the account) was sent, and stays e-mail only
        assert activation_token(claimant.email)
    assert _messages(app, claimant) == []

    with app.app_context():
        user = db.session.get(User, claimant.id)
        claims.decide(db.session.get(User, station_reviewer.id), user.claim, "confirm", "营业执照核对无误")
        db.session.commit()

    [message] = _messages(app, claimant)
    assert message.event == "claim_confirmed" and message.link == "/account/claim" and message.contract_id is None
    assert "营业执照核对无误" in message.body


def test_the_message_is_in_the_recipients_language_not_the_deciders(app, make_account, applicant, file_contract):
    reviewer = make_account("reviewer", station_code="130402")
    contract_id = file_contract()
    client = app.test_client()
    login(client, reviewer.email, reviewer.password)
    page = client.get(f"/station/contracts/{contract_id}?lang=en")
    assert "Accept" in page.text  # the reviewer works in English
    client.post(f"/station/contracts/{contract_id}/accept", data={"csrf_token": csrf_from(page.text)})

    [message] = _messages(app, applicant)
    assert message.subject.startswith("【TCR】您的技术合同登记申请已受理")  # Chinese, with the e-mail's English line
    assert f"Your filing #{contract_id} was accepted" in message.body


def test_reading_is_the_recipients_alone_and_counts_down(app, applicant, make_account):
    other = make_account("applicant", credit_code=BUYER_CODE, org_name="别家公司")
    with app.app_context():
        user, stranger = db.session.get(User, applicant.id), db.session.get(User, other.id)
        first = messages.deliver(user, "accepted", "第一条", "正文", "/contracts")
        messages.deliver(user, "registered", "第二条", "正文")
        db.session.flush()
        assert messages.unread_count(user) == 2 and messages.unread_count(stranger) == 0
        with pytest.raises(NotFound):
            messages.mark_read(stranger, first.id)
        assert messages.unread_count(user) == 2

        messages.mark_read(user, first.id)
        assert messages.unread_count(user) == 1
        assert [m.subject for m in messages.page_of(user, unread_only=True).items] == ["第二条"]
        assert messages.mark_all_read(user) == 1 and messages.unread_count(user) == 0
        assert [m.subject for m in messages.page_of(user).items] == ["第二条", "第一条"]  # newest first
