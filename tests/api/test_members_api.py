"""The organisation members' API: invitation, list, role change and removal, as API.md describes them."""

from __future__ import annotations

from app.extensions import db
from tests.accounts.test_members import invitation_token
from tests.factories import BUYER_CODE


def _accept(app, email: str) -> None:
    from app.accounts.services import members

    with app.app_context():
        members.accept_invitation(invitation_token(email), "Colleague-2026-pw")
        db.session.commit()


def test_an_admin_invites_lists_and_changes_roles(app, api, applicant):
    invited = api.post(
        "/api/v1/organisation/members", json={"email": "wang@example.cn", "name": "王同事", "role": "filer"}
    )
    assert invited.status_code == 201, invited.json
    body = invited.json
    assert {k: body[k] for k in ("email", "name", "role", "active", "status", "invited_by", "activated_at")} == {
        "email": "wang@example.cn",
        "name": "王同事",
        "role": "filer",
        "active": False,
        "status": "invited",
        "invited_by": "测试applicant",
        "activated_at": None,
    }
    assert body["invited_at"].endswith("+08:00")
    _accept(app, "wang@example.cn")
    listed = api.get("/api/v1/organisation/members").json["items"]
    assert sorted((m["email"], m["role"], m["status"]) for m in listed) == sorted(
        [("wang@example.cn", "filer", "active"), (applicant.email, "admin", "active")]
    )
    promoted = api.patch(f"/api/v1/organisation/members/{body['id']}", json={"role": "admin"})
    assert (promoted.status_code, promoted.json["role"]) == (200, "admin")


def test_the_last_admin_is_kept_and_bad_roles_are_refused(api, applicant):
    demoted = api.patch(f"/api/v1/organisation/members/{applicant.id}", json={"role": "filer"})
    assert demoted.status_code == 409
    assert demoted.json["detail"] == "单位至少须保留一名有效的管理员：请先将其他成员设为管理员。"
    assert api.delete(f"/api/v1/organisation/members/{applicant.id}").status_code == 409
    wrong = api.post("/api/v1/organisation/members", json={"email": "x@example.cn", "name": "某", "role": "owner"})
    assert wrong.status_code == 422


def test_an_account_elsewhere_is_a_conflict_and_another_organisations_member_is_not_found(api, api_as, make_account):
    stranger = make_account("applicant", credit_code=BUYER_CODE, org_name="别家公司")
    taken = api.post("/api/v1/organisation/members", json={"email": stranger.email, "name": "某", "role": "filer"})
    assert taken.status_code == 409
    assert taken.json["detail"] == "该邮箱已属于本单位以外的账号，无法邀请。"
    assert stranger.email not in taken.text.replace(taken.json["detail"], "")  # nothing beyond the message
    assert api.delete(f"/api/v1/organisation/members/{stranger.id}").status_code == 404
    colleague = api.post("/api/v1/organisation/members", json={"email": "c@example.cn", "name": "丙", "role": "filer"})
    stranger_api = api_as(stranger)
    assert (
        stranger_api.patch(f"/api/v1/organisation/members/{colleague.json['id']}", json={"role": "admin"}).status_code
        == 404
    )
    assert [m["email"] for m in stranger_api.get("/api/v1/organisation/members").json["items"]] == [stranger.email]


def test_a_removed_member_loses_its_api_token_at_once(app, api, api_as):
    from tests.factories import Account

    created = api.post("/api/v1/organisation/members", json={"email": "out@example.cn", "name": "丁", "role": "filer"})
    _accept(app, "out@example.cn")
    member_api = api_as(Account(created.json["id"], "out@example.cn", "Colleague-2026-pw", "applicant", None, None))
    assert member_api.get("/api/v1/contracts").status_code == 200
    assert member_api.get("/api/v1/organisation/members").status_code == 403  # a filer does not manage members
    assert api.delete(f"/api/v1/organisation/members/{created.json['id']}").status_code == 204
    assert member_api.get("/api/v1/contracts").status_code == 401
    listed = {m["email"]: m for m in api.get("/api/v1/organisation/members").json["items"]}
    assert (listed["out@example.cn"]["active"], listed["out@example.cn"]["status"]) == (False, "removed")
