"""The members page: an organisation's admin invites a colleague, who sets a password through the link and
starts in the organisation's filings; the admin changes roles and removes members, who are signed out at once."""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.models import User
from tests.accounts.test_members import invitation_token
from tests.factories import BUYER_CODE, csrf_from, filing
from tests.web.webtools import contract_id_of, save_new

PASSWORD = "Colleague-2026-pw"


def _invite(client, email: str, name: str = "赵同事", role: str = "filer"):
    page = client.get("/organisation/members")
    data = {"email": email, "name": name, "role": role, "csrf_token": csrf_from(page.text)}
    return client.post("/organisation/members", data=data)


def _join(app, email: str):
    """Follow the invitation link in a fresh browser and set the password: a signed-in colleague."""
    with app.app_context():
        token = invitation_token(email)
    browser = app.test_client()
    page = browser.get(f"/invitation/{token}")
    assert page.status_code == 200
    data = {"password": PASSWORD, "confirm_password": PASSWORD, "csrf_token": csrf_from(page.text)}
    answer = browser.post(f"/invitation/{token}", data=data)
    assert answer.status_code == 302 and answer.location.endswith("/contracts")
    return browser, token


def test_the_admin_invites_and_the_colleague_starts_in_the_organisations_filings(app, web, api):
    api.post("/api/v1/contracts", json=filing(title="管理员申报的合同"))
    assert 'id="nav-members"' in web.get("/contracts").text
    sent = _invite(web, "zhao@example.cn")
    assert sent.status_code == 302
    listing = web.get("/organisation/members").text
    assert "zhao@example.cn" in listing and 'data-status="invited"' in listing

    browser, token = _join(app, "zhao@example.cn")
    contracts = browser.get("/contracts").text
    assert "管理员申报的合同" in contracts
    assert 'id="nav-members"' not in contracts  # a filer files, the admins manage members
    assert browser.get("/organisation/members").status_code == 403
    assert browser.get(f"/invitation/{token}").status_code == 404  # used


def test_the_invitation_page_refuses_differing_or_short_passwords(app, web):
    _invite(web, "short@example.cn")
    with app.app_context():
        token = invitation_token("short@example.cn")
    browser = app.test_client()
    csrf = csrf_from(browser.get(f"/invitation/{token}").text)
    differing = browser.post(
        f"/invitation/{token}", data={"password": PASSWORD, "confirm_password": "other", "csrf_token": csrf}
    )
    assert differing.status_code == 422 and "两次输入的密码不一致" in differing.text
    short = browser.post(
        f"/invitation/{token}", data={"password": "short", "confirm_password": "short", "csrf_token": csrf}
    )
    assert short.status_code == 422
    assert browser.get(f"/invitation/{token}").status_code == 200  # still usable


def test_an_address_outside_the_organisation_is_refused_on_the_form(web, make_account):
    stranger = make_account("applicant", credit_code=BUYER_CODE, org_name="别家公司")
    refused = _invite(web, stranger.email)
    assert refused.status_code == 409
    assert "该邮箱已属于本单位以外的账号，无法邀请。" in refused.text


def test_removing_a_member_signs_them_out_and_the_last_admin_stays(app, web, applicant):
    _invite(web, "leaving@example.cn")
    browser, _ = _join(app, "leaving@example.cn")
    page = web.get("/organisation/members").text
    assert "data-confirm=" in page
    with app.app_context():
        member_id = db.session.scalar(select(User.id).where(User.email == "leaving@example.cn"))
    csrf = csrf_from(page)
    promoted = web.post(f"/organisation/members/{member_id}/role", data={"role": "admin", "csrf_token": csrf})
    assert promoted.status_code == 302
    assert 'data-role="admin"' in web.get("/organisation/members").text
    web.post(f"/organisation/members/{member_id}/role", data={"role": "filer", "csrf_token": csrf})
    removed = web.post(f"/organisation/members/{member_id}/remove", data={"csrf_token": csrf})
    assert removed.status_code == 302
    assert browser.get("/contracts").status_code == 302  # to the log-in page
    alone = web.post(f"/organisation/members/{applicant.id}/remove", data={"csrf_token": csrf})
    assert alone.status_code == 409 and "单位至少须保留一名有效的管理员" in alone.text


def test_the_timeline_names_the_member_who_filed(app, web, applicant):
    _invite(web, "filer@example.cn", name="钱申报")
    browser, _ = _join(app, "filer@example.cn")
    saved = save_new(browser, filing(title="成员申报"))
    assert saved.status_code == 302
    contract_page = web.get(f"/contracts/{contract_id_of(saved)}").text  # the admin reads the colleague's draft
    assert "成员申报" in contract_page and "钱申报" in contract_page.split('id="timeline"')[1]
