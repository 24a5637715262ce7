"""Each role lands on its own work after signing in; an account made for someone else changes its password first."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import User
from tests.conftest import login
from tests.factories import PASSWORD, Account, csrf_from

LANDINGS = {
    "applicant": "/contracts",
    "reviewer": "/station/queue",
    "bureau": "/stats",
    "tax": "/tax",
}
NEW_PASSWORD = "Own-choice-2026"


@pytest.mark.parametrize("role", list(LANDINGS))
def test_each_role_lands_on_its_own_work(app, make_account, role):
    account = make_account(role)
    client = app.test_client()
    response = login(client, account.email, account.password)
    assert response.status_code == 302 and response.headers["Location"] == LANDINGS[role]
    assert client.get(LANDINGS[role]).status_code == 200


@pytest.mark.parametrize("role", ["tax", "bureau"])
def test_a_safe_next_still_wins_and_an_unsafe_one_is_dropped(app, make_account, role):
    account = make_account(role)
    client = app.test_client()
    page = client.get("/login?next=/messages")
    form = {"email": account.email, "password": account.password, "csrf_token": csrf_from(page.text)}
    assert client.post("/login", data={**form, "next": "/messages"}).headers["Location"] == "/messages"
    other = app.test_client()
    form["csrf_token"] = csrf_from(other.get("/login").text)
    assert other.post("/login", data={**form, "next": "//evil.example"}).headers["Location"] == LANDINGS[role]


@pytest.fixture
def added_reviewer(app, make_account):
    """A reviewer the bureau adds on the station page, with the password the bureau typed."""
    bureau = app.test_client()
    bureau_account = make_account("bureau")
    login(bureau, bureau_account.email, bureau_account.password)
    token = csrf_from(bureau.get("/bureau/stations/130402").text)
    form = {"email": "added.reviewer@example.cn", "name": "新审核员", "password": PASSWORD, "csrf_token": token}
    assert bureau.post("/bureau/stations/130402/reviewers", data=form).status_code == 302
    return "added.reviewer@example.cn"


def _flag(app, email: str) -> bool:
    with app.app_context():
        return db.session.scalars(select(User.must_change_password).where(User.email == email)).one()


def test_a_reviewer_added_by_the_bureau_changes_the_password_before_anything_else(app, added_reviewer):
    assert _flag(app, added_reviewer)
    client = app.test_client()
    signed = login(client, added_reviewer, PASSWORD)
    assert signed.headers["Location"] == "/station/queue"
    for path in ("/station/queue", "/messages", "/contracts", "/"):
        response = client.get(path)
        assert response.status_code == 302 and response.headers["Location"] == "/account/password", path
    page = client.get("/account/password")
    assert page.status_code == 200 and "请先设置只有您本人知道的新密码" in page.text
    stylesheet = client.get("/static/css/tcr.css")
    assert stylesheet.status_code == 200
    stylesheet.close()

    form = {
        "current_password": PASSWORD,
        "new_password": NEW_PASSWORD,
        "confirm_password": NEW_PASSWORD,
        "csrf_token": csrf_from(page.text),
    }
    assert client.post("/account/password", data=form).status_code == 302
    assert not _flag(app, added_reviewer)
    assert client.get("/station/queue").status_code == 200


def test_signing_out_is_still_possible(app, added_reviewer):
    client = app.test_client()
    login(client, added_reviewer, PASSWORD)
    token = csrf_from(client.get("/account/password").text)
    response = client.post("/logout", data={"csrf_token": token})
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert client.get("/station/queue").status_code == 302  # to the log-in page now
    assert client.get("/station/queue").headers["Location"].startswith("/login")


def test_api_tokens_are_not_held_up(app, added_reviewer, api_as):
    with app.app_context():
        user = db.session.scalars(select(User).where(User.email == added_reviewer)).one()
        account = Account(user.id, user.email, PASSWORD, "reviewer", None, user.station_id)
    assert api_as(account).get("/api/v1/contracts").status_code == 200
    assert _flag(app, added_reviewer)


def test_flask_users_create_flags_the_account_and_the_demo_seed_does_not(app):
    runner = app.test_cli_runner()
    created = runner.invoke(
        args=["users", "create", "officer@example.cn", "--role", "tax", "--areas", "130402", "--password-stdin"],
        input="a-long-password\n",
    )
    assert created.exit_code == 0, created.output
    assert _flag(app, "officer@example.cn")
    assert runner.invoke(args=["demo", "seed"]).exit_code == 0
    with app.app_context():
        demo = db.session.scalars(select(User).where(User.email.like("%@demo.tcr"))).all()
    assert demo and not any(user.must_change_password for user in demo)  # the README prints their password
