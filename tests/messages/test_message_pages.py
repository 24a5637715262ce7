"""The message centre's pages and API: the header's unread count, the list, opening one, marking all read; only
the recipient reads or marks a message."""

from __future__ import annotations

import pytest

from app.extensions import db
from app.messages import services as messages
from app.models import User
from tests.conftest import login
from tests.factories import BUYER_CODE, csrf_from
from tests.web.webtools import element


@pytest.fixture
def inbox(app, applicant):
    """deliver(subject) → the id of a new message to the applicant."""

    def deliver(subject: str, link: str | None = "/contracts") -> int:
        with app.app_context():
            message = messages.deliver(
                db.session.get(User, applicant.id), "accepted", subject, "第一行\n\n第二行", link
            )
            db.session.commit()
            return message.id

    return deliver


def signed_in(app, account):
    client = app.test_client()
    assert login(client, account.email, account.password).status_code == 302
    return client


def badge(html: str) -> str | None:
    found = element(html, "nav-messages-unread")
    return found.text.strip() if found else None


def test_the_header_counts_the_unread_messages_of_the_signed_in_user(app, applicant, make_account, inbox):
    client = signed_in(app, applicant)
    assert element(client.get("/contracts").text, "nav-messages") is not None
    assert badge(client.get("/contracts").text) is None  # nothing unread: no badge
    inbox("第一条")
    inbox("第二条")
    assert badge(client.get("/contracts").text) == "2"
    other = signed_in(app, make_account("applicant", credit_code=BUYER_CODE, org_name="别家公司"))
    assert badge(other.get("/contracts").text) is None  # someone else's messages are not counted
    assert element(app.test_client().get("/").text, "nav-messages") is None  # signed out: no message centre


def test_the_list_is_newest_first_and_opening_a_message_marks_it_read(app, applicant, inbox):
    first, second = inbox("较早的通知"), inbox("较新的通知")
    client = signed_in(app, applicant)
    page = client.get("/messages")
    listed = element(page.text, "messages")
    assert listed.codes == [str(second), str(first)] and listed.statuses == ["unread", "unread"]
    assert listed.text.index("较新的通知") < listed.text.index("较早的通知")

    opened = client.get(f"/messages/{first}")
    assert opened.status_code == 200
    assert "第一行" in element(opened.text, "message-body").text and "第二行" in opened.text
    assert 'href="/contracts"' in opened.text  # what the notice is about
    assert badge(opened.text) == "1"  # the header already counts it as read
    assert element(client.get("/messages").text, "messages").statuses == ["unread", "read"]


def test_mark_all_read_empties_the_badge(app, applicant, inbox):
    inbox("一")
    inbox("二")
    client = signed_in(app, applicant)
    page = client.get("/messages")
    assert element(page.text, "read-all") is not None
    done = client.post("/messages/read-all", data={"csrf_token": csrf_from(page.text)}, follow_redirects=True)
    assert "已将 2 条消息标为已读" in done.text
    assert badge(done.text) is None and element(done.text, "messages").statuses == ["read", "read"]
    assert element(done.text, "read-all") is None


def test_another_users_message_does_not_open(app, make_account, inbox):
    message_id = inbox("别人的通知")
    other = signed_in(app, make_account("applicant", credit_code=BUYER_CODE, org_name="别家公司"))
    assert other.get(f"/messages/{message_id}").status_code == 404
    assert "别人的通知" not in other.get("/messages").text


def test_the_list_pages_twenty_at_a_time(app, applicant, inbox):
    ids = [inbox(f"通知 {n}") for n in range(25)]
    client = signed_in(app, applicant)
    assert element(client.get("/messages").text, "messages").codes == [str(i) for i in reversed(ids[5:])]
    second = client.get("/messages?page=2").text
    assert element(second, "messages").codes == [str(i) for i in reversed(ids[:5])]
    assert "2 / 2" in second


def test_the_page_speaks_english_too(app, applicant, inbox):
    inbox("通知")
    client = signed_in(app, applicant)
    page = client.get("/messages?lang=en").text
    assert "Mark all as read" in page and ">Messages" in page and "unread" in page
    assert "全部标为已读" in client.get("/messages?lang=zh").text


def test_the_api_lists_unread_messages_and_marks_one_read(app, api, api_as, make_account, inbox):
    first, second = inbox("一"), inbox("二")
    listed = api.get("/api/v1/messages?unread=true").json
    assert [item["id"] for item in listed["items"]] == [second, first] and listed["unread"] == 2
    assert listed["items"][0]["link"] == "/contracts" and listed["items"][0]["unread"] is True

    other = api_as(make_account("applicant", credit_code=BUYER_CODE, org_name="别家公司"))
    assert other.post(f"/api/v1/messages/{first}/read").status_code == 404
    assert other.get("/api/v1/messages").json["total"] == 0

    marked = api.post(f"/api/v1/messages/{first}/read")
    assert marked.status_code == 200 and marked.json["read_at"] and marked.json["unread"] is False
    assert [item["id"] for item in api.get("/api/v1/messages?unread=true").json["items"]] == [second]
    everything = api.get("/api/v1/messages").json
    assert everything["total"] == 2 and everything["unread"] == 1
    assert api.post("/api/v1/messages/999999/read").status_code == 404
    assert app.test_client().get("/api/v1/messages").status_code == 401


def test_the_api_document_describes_the_message_centre(client):
    paths = client.get("/api/v1/openapi.json").json["paths"]
    assert set(paths["/api/v1/messages"]) >= {"get"}
    assert set(paths["/api/v1/messages/{message_id}/read"]) >= {"post"}
