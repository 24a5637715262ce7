"""Sign-up (by e-mail activation, the same answer for every address, rate-limited), log-in (one message for every
failure, safe `next`, CSRF, rate limit) and log-out."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from app import create_app
from app.demo.seed import complete_credit_code
from app.extensions import db
from app.models import AccountActivation, OrganisationClaim, OutboxMessage, User
from app.models.base import utcnow
from tests.conftest import login
from tests.factories import PASSWORD, SELLER_CODE, activation_token, csrf_from
from tests.web.webtools import element

NEW_CODE = complete_credit_code("91130402MA0WEB001")


def signup(client, **overrides):
    values = {
        "email": "new@example.cn",
        "password": PASSWORD,
        "name": "李申报",
        "org_name": "邯郸新材料有限公司",
        "credit_code": NEW_CODE,
        "area_code": "130403",
        "nature": "150",
    }
    values.update(overrides)
    token = csrf_from(client.get("/signup").text)
    return client.post("/signup", data={**values, "csrf_token": token})


def activate(client, app, email: str):
    """Follow the activation link e-mailed to the address: the page's button, then the POST it sends."""
    with app.app_context():
        token = activation_token(email)
    page = client.get(f"/activate/{token}")
    assert page.status_code == 200
    return client.post(f"/activate/{token}", data={"csrf_token": csrf_from(page.text)})


def test_signup_sends_an_activation_link_and_the_account_works_once_it_is_followed(client, app):
    response = signup(client)
    assert response.status_code == 302 and response.headers["Location"] == "/signup/sent"
    assert "请查收邮件" in client.get("/signup/sent").text
    assert client.get("/contracts").status_code == 302  # not signed in
    assert login(app.test_client(), "new@example.cn", PASSWORD).status_code == 200  # not usable yet
    with app.app_context():
        user = db.session.scalars(select(User).where(User.email == "new@example.cn")).one()
        assert user.role == "applicant" and user.organisation.credit_code == NEW_CODE and not user.active
        assert user.organisation.area_code == "130403" and user.organisation.nature == "150"
        token = activation_token("new@example.cn")
        stored = db.session.scalars(select(AccountActivation.token_hash)).one()
        assert token not in stored and len(stored) == 64  # only a hash is kept
    activated = activate(client, app, "new@example.cn")
    assert activated.status_code == 302 and activated.headers["Location"] == "/account/claim"
    claim = client.get("/account/claim")
    assert element(claim.text, "claim-status").statuses == ["pending"]
    assert "只能看到本账号自己申报的合同" in element(claim.text, "claim-visibility").text
    page = client.get("/contracts")
    assert page.status_code == 200 and "李申报" in page.text and "邯郸新材料有限公司" in page.text
    assert client.get(f"/activate/{token}").status_code == 404  # the link works once
    assert login(app.test_client(), "new@example.cn", PASSWORD).status_code == 302


def test_an_expired_activation_link_is_refused(client, app):
    signup(client)
    with app.app_context():
        activation = db.session.scalars(select(AccountActivation)).one()
        activation.expires_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
        token = activation_token("new@example.cn")
    page = client.get(f"/activate/{token}")
    assert page.status_code == 404 and element(page.text, "activation-invalid") is not None
    assert (
        client.post(f"/activate/{token}", data={"csrf_token": csrf_from(client.get("/signup").text)}).status_code == 404
    )
    with app.app_context():
        assert not db.session.scalars(select(User.active).where(User.email == "new@example.cn")).one()


def test_signup_answers_the_same_whether_or_not_the_email_has_an_account(app, applicant):
    known_client, unknown_client = app.test_client(), app.test_client()
    known = signup(known_client, email=applicant.email.upper())
    unknown = signup(unknown_client, email="someone-new@example.cn")
    assert (known.status_code, known.headers["Location"]) == (unknown.status_code, unknown.headers["Location"])
    assert known.data == unknown.data
    assert sorted(known.headers.keys()) == sorted(unknown.headers.keys())
    assert known_client.get("/signup/sent").data == unknown_client.get("/signup/sent").data
    with app.app_context():
        mails = {m.recipient: m for m in db.session.scalars(select(OutboxMessage))}
        assert "有人尝试用您的邮箱注册" in mails[applicant.email].subject  # the owner is told, nothing changes
        assert "/activate/" not in mails[applicant.email].body
        assert "/activate/" in mails["someone-new@example.cn"].body
        assert (
            db.session.scalars(select(User).where(User.email == applicant.email)).one().organisation.credit_code
            != NEW_CODE
        )


def test_signing_up_again_before_activating_resends_the_link_without_changing_the_account(client, app):
    signup(client)
    again = signup(app.test_client(), password="Another-password-1", name="别人")
    assert again.status_code == 302
    with app.app_context():
        assert db.session.scalars(select(User.name).where(User.email == "new@example.cn")).one() == "李申报"
    assert activate(client, app, "new@example.cn").status_code == 302
    assert login(app.test_client(), "new@example.cn", PASSWORD).status_code == 302


def test_a_licence_that_is_not_pdf_png_or_jpeg_is_refused_beside_the_field(client, app):
    token = csrf_from(client.get("/signup").text)
    response = client.post(
        "/signup",
        content_type="multipart/form-data",
        data={
            "email": "lic@example.cn",
            "password": PASSWORD,
            "name": "李",
            "org_name": "邯郸执照有限公司",
            "credit_code": NEW_CODE,
            "area_code": "130402",
            "nature": "150",
            "csrf_token": token,
            "licence": (io.BytesIO(b"MZ not a licence"), "licence.pdf"),
        },
    )
    assert response.status_code == 422
    assert "PDF、PNG 或 JPEG" in element(response.text, "f-licence").text
    with app.app_context():
        assert db.session.scalars(select(User)).first() is None


def test_signup_with_the_code_of_an_organisation_that_has_an_account_creates_a_contest(client, app, applicant):
    assert signup(client, credit_code=SELLER_CODE).status_code == 302
    activate(client, app, "new@example.cn")
    assert element(client.get("/account/claim").text, "claim-contest") is not None
    with app.app_context():
        claim = db.session.scalars(
            select(OrganisationClaim).join(OrganisationClaim.user).where(User.email == "new@example.cn")
        ).one()
        assert (claim.kind, claim.status, claim.organisation_id) == ("contest", "pending", applicant.organisation_id)


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
    activate(client, app, "new@example.cn")
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
        csrf_from(wrong.text), csrf_from(unknown.text)
    )
    assert client.get("/contracts").status_code == 302  # still signed out


def _login_with_next(client, account, next_url):
    page = client.get("/login", query_string={"next": next_url})
    return client.post(
        "/login",
        data={
            "email": account.email,
            "password": account.password,
            "next": next_url,
            "csrf_token": csrf_from(page.text),
        },
    )


def test_a_relative_next_is_honoured(client, applicant):
    response = _login_with_next(client, applicant, "/contracts?status=draft")
    assert response.headers["Location"] == "/contracts?status=draft"


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example",
        "https://evil.example",
        "http://evil.example/contracts",
        "\\\\evil.example",
        "/\\evil.example",
        "javascript:alert(1)",
        "contracts",
        "/%0a/evil.example".replace("%0a", "\n"),
    ],
)
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
    reply = client.post(
        "/login",
        data={
            "email": applicant.email,
            "password": applicant.password,
            "next": "/contracts/new?category=service&subtype=training",
            "csrf_token": csrf_from(page.text),
        },
    )
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
    limited = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "TESTING": True,
            "STORAGE_DIR": app.config["STORAGE_DIR"],
            "SECRET_KEY": "test-secret",
            "RATELIMIT_ENABLED": True,
            "LOGIN_RATE_LIMIT": "3 per minute",
        }
    )
    client = limited.test_client()
    token = csrf_from(client.get("/login").text)
    answers = [
        client.post(
            "/login", data={"email": applicant.email, "password": "Wrong-password-1", "csrf_token": token}
        ).status_code
        for _ in range(4)
    ]
    assert answers == [200, 200, 200, 429]
    assert client.get("/login").status_code == 200  # only POSTs are limited
    with limited.app_context():
        db.session.remove()
        db.engine.dispose()


def test_signups_are_limited_per_address_and_email_with_a_looser_ceiling_per_address(app):
    limited = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "TESTING": True,
            "STORAGE_DIR": app.config["STORAGE_DIR"],
            "SECRET_KEY": "test-secret",
            "RATELIMIT_ENABLED": True,
            "PASSWORD_HASH_PARAMS": {"time_cost": 1, "memory_cost": 1024},
            "SIGNUP_RATE_LIMIT": "2 per hour",
            "SIGNUP_ADDRESS_RATE_LIMIT": "5 per hour",
        }
    )
    client = limited.test_client()
    # one e-mail address gets at most two activation mails an hour from one client
    assert [signup(client, email="same@example.cn").status_code for _ in range(3)] == [302, 302, 429]
    # a colleague behind the same office address is not held up by it, up to the address's ceiling
    assert [signup(client, email=f"n{i}@example.cn").status_code for i in range(4)] == [302, 302, 302, 429]
    assert client.get("/signup").status_code == 200  # only POSTs are limited
    other = limited.test_client()
    other_token = csrf_from(other.get("/signup").text)
    elsewhere = other.post(
        "/signup", data={"email": "far@example.cn", "csrf_token": other_token}, environ_base={"REMOTE_ADDR": "10.0.0.9"}
    )
    assert elsewhere.status_code == 422  # another address is not limited
    with limited.app_context():
        db.session.remove()
        db.engine.dispose()


# ---- issue 12: every sign-up error at once, and a forgotten password -------------------------------------


def test_signup_reports_every_error_at_once_beside_its_field_keeping_what_was_typed(client, app):
    token = csrf_from(client.get("/signup").text)
    response = client.post(
        "/signup",
        content_type="multipart/form-data",
        data={
            "email": "not-an-address",
            "password": "short-pw",
            "name": "王五",
            "org_name": "",
            "credit_code": "12345",
            "area_code": "13a",
            "nature": "999",
            "csrf_token": token,
            "licence": (io.BytesIO(b"MZ not a licence"), "licence.pdf"),
        },
    )
    assert response.status_code == 422
    for field in ("email", "password", "org_name", "credit_code", "area_code", "nature", "licence"):
        assert "tcr-note-error" in response.text.split(f'id="f-{field}"')[1].split('class="tcr-field')[0], field
    kept = element(response.text, "f-name").inputs
    assert kept == {"name": "王五"} and element(response.text, "f-credit_code").inputs == {"credit_code": "12345"}
    assert element(response.text, "f-password").inputs == {"password": ""}  # never sent back
    assert "short-pw" not in response.text
    with app.app_context():
        assert db.session.scalars(select(User)).first() is None


def test_the_login_page_leads_to_a_forgotten_password_form_that_answers_the_same_for_anyone(client, app, applicant):
    login_page = client.get("/login").text
    assert 'href="/password/forgot"' in login_page and "忘记密码" in login_page
    answers = []
    for email in (applicant.email, "nobody@example.cn"):
        token = csrf_from(client.get("/password/forgot").text)
        page = client.post("/password/forgot", data={"email": email, "csrf_token": token})
        assert page.status_code == 200
        answers.append(element(page.text, "reset-sent").text.replace(email, "…"))
    assert answers[0] == answers[1] and "如果" in answers[0]
    with app.app_context():
        recipients = list(db.session.scalars(select(OutboxMessage.recipient)))
    assert recipients == [applicant.email]


def reset_link(app, recipient: str) -> str:
    with app.app_context():
        body = db.session.scalars(
            select(OutboxMessage.body).where(OutboxMessage.recipient == recipient).order_by(OutboxMessage.id.desc())
        ).first()
    return re.search(r"(/password/reset/[A-Za-z0-9_.-]+)", body).group(1)


def test_a_reset_link_sets_a_new_password_once_and_signs_out_every_browser(app, applicant, sign_in):
    elsewhere = sign_in(applicant)
    assert elsewhere.get("/account/password").status_code == 200
    client = app.test_client()
    client.post("/password/forgot", data={"email": applicant.email, "csrf_token": csrf_from(client.get("/login").text)})
    link = reset_link(app, applicant.email)
    form = client.get(link)
    assert form.status_code == 200 and 'autocomplete="new-password"' in form.text
    token = csrf_from(form.text)
    mismatch = client.post(
        link, data={"new_password": "Brand-new-2026", "confirm_password": "Other-2026-pw", "csrf_token": token}
    )
    assert mismatch.status_code == 422 and "两次" in element(mismatch.text, "f-confirm_password").text
    done = client.post(
        link, data={"new_password": "Brand-new-2026", "confirm_password": "Brand-new-2026", "csrf_token": token}
    )
    assert done.status_code == 302 and done.headers["Location"].endswith("/login")
    assert elsewhere.get("/account/password").status_code == 302  # that browser was signed out
    assert login(app.test_client(), applicant.email, applicant.password).status_code == 200  # the old one fails
    assert login(app.test_client(), applicant.email, "Brand-new-2026").status_code == 302
    spent = client.get(link)
    assert spent.status_code == 404 and element(spent.text, "reset-invalid") is not None
