"""Sign-up, log-in (one message for every failure, safe `next`, CSRF, rate limit) and log-out."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from app import create_app
from app.extensions import db
from app.models import User
from app.services.demo import complete_credit_code
from tests.conftest import login
from tests.factories import PASSWORD, csrf_from
from tests.web.webtools import element

NEW_CODE = complete_credit_code("91130402MA0WEB001")


def signup(client, **overrides):
    values = {"email": "new@example.cn", "password": PASSWORD, "name": "李申报", "org_name": "邯郸新材料有限公司",
              "credit_code": NEW_CODE, "area_code": "130403", "nature": "150"}
    values.update(overrides)
    token = csrf_from(client.get("/signup").text)
    return client.post("/signup", data={**values, "csrf_token": token})


def test_signup_creates_the_account_signs_in_and_opens_the_contract_list(client, app):
    response = signup(client)
    assert response.status_code == 302 and response.headers["Location"] == "/contracts"
    page = client.get("/contracts")
    assert page.status_code == 200 and "李申报" in page.text and "邯郸新材料有限公司" in page.text
    with app.app_context():
        user = db.session.scalars(select(User).where(User.email == "new@example.cn")).one()
        assert user.role == "applicant" and user.organisation.credit_code == NEW_CODE
        assert user.organisation.area_code == "130403" and user.organisation.nature == "150"


def test_signup_with_a_taken_email_keeps_the_values_and_says_why(client, applicant):
    response = signup(client, email=applicant.email.upper())
    assert response.status_code == 422
    email = element(response.text, "f-email")
    assert "该邮箱已注册账号" in email.text
    assert email.inputs["email"] == applicant.email.upper()
    assert element(response.text, "f-org_name").inputs["org_name"] == "邯郸新材料有限公司"
    assert element(response.text, "f-password").inputs["password"] == ""  # never echoed back


def test_signup_with_a_malformed_credit_code_is_refused_beside_the_field(client, app):
    response = signup(client, credit_code="91330100716105852")
    assert response.status_code == 422
    assert "统一社会信用代码应为 18 位" in element(response.text, "f-credit_code").text
    with app.app_context():
        assert db.session.scalars(select(User).where(User.email == "new@example.cn")).first() is None


def test_signup_with_a_short_password_is_refused_beside_the_field(client):
    response = signup(client, password="short")
    assert response.status_code == 422
    assert "密码至少需要 10 个字符" in element(response.text, "f-password").text


def test_rare_characters_and_emoji_in_names_are_stored_and_shown_intact(client, app):
    response = signup(client, name="𠀀小明😀", org_name="𠀀😀科技有限公司")
    assert response.status_code == 302
    page = client.get("/contracts")
    assert "𠀀小明😀" in page.text and "𠀀😀科技有限公司" in page.text
    with app.app_context():
        user = db.session.scalars(select(User).where(User.email == "new@example.cn")).one()
        assert user.name == "𠀀小明😀" and user.organisation.name == "𠀀😀科技有限公司"
    form = client.get("/contracts/new?category=development&subtype=commissioned")
    assert element(form.text, "f-seller.name").inputs["seller.name"] == "𠀀😀科技有限公司"


def test_login_success_goes_to_the_contract_list(client, applicant):
    response = login(client, applicant.email, applicant.password)
    assert response.status_code == 302 and response.headers["Location"] == "/contracts"
    assert client.get("/contracts").status_code == 200


def test_unknown_user_and_wrong_password_get_the_same_answer(client, applicant):
    unknown = login(client, "nobody@example.cn", applicant.password)
    wrong = login(client, applicant.email, "Wrong-password-1")
    for response in (unknown, wrong):
        assert response.status_code == 200
        assert element(response.text, "login-error").text.strip() == "邮箱或密码不正确。"
    assert unknown.text.replace("nobody@example.cn", applicant.email) == wrong.text.replace(
        csrf_from(wrong.text), csrf_from(unknown.text))
    assert client.get("/contracts").status_code == 302  # still signed out


def _login_with_next(client, account, next_url):
    page = client.get("/login", query_string={"next": next_url})
    return client.post("/login", data={"email": account.email, "password": account.password, "next": next_url,
                                       "csrf_token": csrf_from(page.text)})


def test_a_relative_next_is_honoured(client, applicant):
    response = _login_with_next(client, applicant, "/contracts?status=draft")
    assert response.headers["Location"] == "/contracts?status=draft"


@pytest.mark.parametrize("target", [
    "//evil.example", "https://evil.example", "http://evil.example/contracts", "\\\\evil.example",
    "/\\evil.example", "javascript:alert(1)", "contracts", "/%0a/evil.example".replace("%0a", "\n"),
])
def test_a_next_that_could_leave_the_site_is_ignored(client, applicant, target):
    response = _login_with_next(client, applicant, target)
    assert response.status_code == 302 and response.headers["Location"] == "/contracts"


def test_the_login_page_carries_a_safe_next_only(client):
    assert 'name="next" value="/contracts"' in client.get("/login?next=/contracts").text
    assert 'name="next"' not in client.get("/login?next=//evil.example").text


def test_a_protected_page_sends_to_login_and_back(client, applicant):
    response = client.get("/contracts/new?category=service&subtype=training")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login?next=")
    page = client.get(response.headers["Location"])
    reply = client.post("/login", data={"email": applicant.email, "password": applicant.password,
                                        "next": "/contracts/new?category=service&subtype=training",
                                        "csrf_token": csrf_from(page.text)})
    assert reply.headers["Location"] == "/contracts/new?category=service&subtype=training"


def test_login_without_csrf_token_is_refused(client, applicant):
    response = client.post("/login", data={"email": applicant.email, "password": applicant.password})
    assert response.status_code == 400
    assert client.get("/contracts").status_code == 302


def test_logout_is_a_post_with_csrf(web):
    assert web.get("/logout").status_code == 405
    assert web.post("/logout").status_code == 400
    assert web.get("/contracts").status_code == 200
    response = web.post("/logout", data={"csrf_token": csrf_from(web.get("/contracts").text)})
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert web.get("/contracts").status_code == 302


def test_the_fourth_login_attempt_in_a_minute_is_refused(app, applicant):
    limited = create_app({
        "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"], "TESTING": True,
        "STORAGE_DIR": app.config["STORAGE_DIR"], "SECRET_KEY": "test-secret",
        "RATELIMIT_ENABLED": True, "LOGIN_RATE_LIMIT": "3 per minute",
    })
    client = limited.test_client()
    token = csrf_from(client.get("/login").text)
    answers = [client.post("/login", data={"email": applicant.email, "password": "Wrong-password-1",
                                           "csrf_token": token}).status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]
    assert client.get("/login").status_code == 200  # only POSTs are limited
    with limited.app_context():
        db.session.remove()
        db.engine.dispose()
