"""Sessions end on the server: log-out, a password change and disabling an account make old cookies worthless."""

from __future__ import annotations

from sqlalchemy import func, select

from app.accounts.services import sessions
from app.extensions import db
from app.models import User, UserSession
from tests.conftest import login
from tests.factories import PASSWORD, csrf_from
from tests.web.webtools import element

NEW_PASSWORD = "Battery-Staple-42"  # noqa: S105 - test value


def _copy_of(app, client):
    """A second browser holding a copy of the client's session cookie (what a thief would replay)."""
    thief = app.test_client()
    thief.set_cookie("session", client.get_cookie("session").value)
    return thief


def _signed_in(client) -> bool:
    return client.get("/contracts").status_code == 200


def _change_password(client, current: str, new: str, confirm: str | None = None):
    token = csrf_from(client.get("/account/password").text)
    return client.post(
        "/account/password",
        data={
            "current_password": current,
            "new_password": new,
            "confirm_password": new if confirm is None else confirm,
            "csrf_token": token,
        },
    )


def test_a_logged_out_cookie_replayed_is_an_anonymous_user(app, web):
    stolen = _copy_of(app, web)
    assert _signed_in(stolen)
    web.post("/logout", data={"csrf_token": csrf_from(web.get("/contracts").text)})
    assert stolen.get("/contracts").status_code == 302
    assert stolen.get("/api/v1/contracts").status_code == 401
    assert "/login" in stolen.get("/account/tokens").headers["Location"]


def test_logging_out_ends_only_that_session(app, sign_in, applicant):
    first, second = sign_in(applicant), sign_in(applicant)
    first.post("/logout", data={"csrf_token": csrf_from(first.get("/contracts").text)})
    assert not _signed_in(first) and _signed_in(second)


def test_changing_the_password_signs_out_every_other_browser_but_not_this_one(app, sign_in, applicant):
    here, elsewhere = sign_in(applicant), sign_in(applicant)
    stolen = _copy_of(app, here)
    response = _change_password(here, PASSWORD, NEW_PASSWORD)
    assert response.status_code == 302 and response.headers["Location"] == "/account/password"
    assert _signed_in(here)
    assert not _signed_in(elsewhere) and not _signed_in(stolen)  # the old cookie of this browser too
    assert login(app.test_client(), applicant.email, PASSWORD).status_code == 200  # the old password fails
    assert login(app.test_client(), applicant.email, NEW_PASSWORD).status_code == 302


def test_a_wrong_current_password_changes_nothing_and_says_so_beside_the_field(app, sign_in, applicant):
    here, elsewhere = sign_in(applicant), sign_in(applicant)
    response = _change_password(here, "Wrong-password-1", NEW_PASSWORD)
    assert response.status_code == 422
    assert "这不是您当前的密码" in element(response.text, "f-current_password").text
    mismatch = _change_password(here, PASSWORD, NEW_PASSWORD, confirm=NEW_PASSWORD + "x")
    assert mismatch.status_code == 422 and "两次输入的新密码不一致" in element(mismatch.text, "f-confirm_password").text
    short = _change_password(here, PASSWORD, "short")
    assert short.status_code == 422 and "密码至少需要 10 个字符" in element(short.text, "f-new_password").text
    assert _signed_in(here) and _signed_in(elsewhere)
    assert login(app.test_client(), applicant.email, PASSWORD).status_code == 302


def test_every_role_reaches_the_password_page_from_the_navigation(make_account, sign_in):
    for role in ("applicant", "reviewer", "bureau", "tax"):
        page = sign_in(make_account(role)).get("/")
        assert 'href="/account/password"' in page.text, role


def test_the_bureau_disabling_a_reviewer_ends_the_reviewers_sessions_for_good(app, make_account, sign_in):
    reviewer = make_account("reviewer", station_code="130402")
    reviewer_browser, bureau = sign_in(reviewer), sign_in(make_account("bureau"))
    assert reviewer_browser.get("/station/queue").status_code == 200
    url = f"/bureau/stations/130402/reviewers/{reviewer.id}/active"
    token = csrf_from(bureau.get("/bureau/stations/130402").text)
    assert bureau.post(url, data={"active": "0", "csrf_token": token}).status_code == 302
    assert reviewer_browser.get("/station/queue").status_code == 302
    assert bureau.post(url, data={"active": "1", "csrf_token": token}).status_code == 302
    assert reviewer_browser.get("/station/queue").status_code == 302  # enabled again: the old cookie stays dead
    assert sign_in(reviewer).get("/station/queue").status_code == 200  # a fresh log-in works


def test_disabling_a_user_at_the_command_line_ends_their_sessions(app, make_account, sign_in):
    tax = make_account("tax")
    browser = sign_in(tax)
    assert browser.get("/tax").status_code == 200
    result = app.test_cli_runner().invoke(args=["users", "disable", tax.email.upper()])
    assert result.exit_code == 0, result.output
    assert browser.get("/tax").status_code == 302
    assert login(app.test_client(), tax.email, tax.password).status_code == 200  # and cannot sign in
    assert app.test_cli_runner().invoke(args=["users", "enable", tax.email]).exit_code == 0
    assert browser.get("/tax").status_code == 302
    assert login(app.test_client(), tax.email, tax.password).status_code == 302
    assert app.test_cli_runner().invoke(args=["users", "disable", "nobody@example.cn"]).exit_code != 0


def test_a_remember_me_cookie_cannot_sign_anyone_in(app, applicant):
    from flask_login.utils import encode_cookie

    with app.test_request_context():
        remember = encode_cookie(str(applicant.id))  # as Flask-Login would issue it, signed with the app's key
    browser = app.test_client()
    browser.set_cookie("remember_token", remember)
    assert browser.get("/contracts").status_code == 302


def test_end_sessions_revokes_every_live_session_of_the_user_and_no_other(app, sign_in, make_account, applicant):
    browsers = [sign_in(applicant), sign_in(applicant)]
    other = sign_in(make_account("bureau"))
    with app.app_context():
        assert sessions.end_sessions(db.session.get(User, applicant.id)) == 2
        db.session.commit()
    assert not any(_signed_in(browser) for browser in browsers)
    assert other.get("/bureau/stations").status_code == 200


def test_the_session_table_keeps_no_dead_rows_past_the_next_log_in(app, sign_in, applicant):
    for _ in range(3):
        browser = sign_in(applicant)
        browser.post("/logout", data={"csrf_token": csrf_from(browser.get("/contracts").text)})
    sign_in(applicant)
    with app.app_context():
        rows = db.session.scalars(select(UserSession).where(UserSession.user_id == applicant.id)).all()
        assert [row.revoked_at for row in rows] == [None]
        assert db.session.scalar(select(func.length(UserSession.token_hash))) == 64  # a digest, not the id


def test_a_session_older_than_the_cookie_lifetime_is_refused(app, web):
    from datetime import timedelta

    from app.models.base import utcnow

    with app.app_context():
        for row in db.session.scalars(select(UserSession)):
            row.created_at = utcnow() - app.permanent_session_lifetime - timedelta(minutes=1)
        db.session.commit()
    assert not _signed_in(web)
