"""Organisation members: an admin invites colleagues, who set their password through the e-mailed link and then
see every filing of the organisation; roles change; removal ends sessions and tokens; an admin always remains."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from app.accounts.services import accounts, members, sessions, tokens
from app.auth.permissions import can_view, manages_members, visible_filter
from app.demo.seed import complete_credit_code
from app.errors import Conflict, Forbidden, NotFound, ValidationFailed
from app.extensions import db
from app.filing.schemas import ContractIn
from app.filing.services import contracts
from app.models import AuditRecord, Contract, OutboxMessage, User
from tests.factories import BUYER_CODE, PASSWORD, create_account, filing, sign_up_claimant


def invitation_token(email: str) -> str:
    """The token of the newest invitation e-mailed to this address."""
    bodies = db.session.scalars(
        select(OutboxMessage.body).where(OutboxMessage.recipient == email).order_by(OutboxMessage.id.desc())
    )
    for body in bodies:
        match = re.search(r"/invitation/([A-Za-z0-9_-]+)", body)
        if match:
            return match.group(1)
    raise AssertionError(f"no invitation was sent to {email}")


def user(account) -> User:
    return db.session.get(User, account.id)


def join(admin: User, email: str, role: str = "filer", name: str = "同事") -> User:
    """Invite and accept: an active member."""
    members.invite(admin, email, name, role)
    db.session.commit()
    member = members.accept_invitation(invitation_token(email), PASSWORD)
    db.session.commit()
    return member


@pytest.fixture
def admin(app):
    with app.app_context():
        yield user(create_account("applicant"))


def test_an_invited_colleague_sets_a_password_and_sees_every_filing_of_the_organisation(admin):
    own = contracts.create_draft(admin, ContractIn().load(filing(title="管理员的草稿")))
    db.session.commit()
    invited = members.invite(admin, " Colleague@Example.cn ", "李同事", "filer")
    db.session.commit()
    assert (invited.email, invited.active, invited.org_role) == ("colleague@example.cn", False, "filer")
    assert accounts.authenticate("colleague@example.cn", PASSWORD) is None  # no password of its own yet
    assert (invited.claim.status, invited.claim.basis, invited.claim.decided_by_id) == (
        "confirmed",
        "invitation",
        admin.id,
    )
    mail = db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == invited.email)).one()
    assert admin.name in mail.subject and admin.organisation.name in mail.body

    member = members.accept_invitation(invitation_token(invited.email), PASSWORD)
    db.session.commit()
    assert accounts.authenticate("colleague@example.cn", PASSWORD) == member
    assert can_view(member, own)
    assert db.session.scalars(select(Contract.id).where(visible_filter(member))).all() == [own.id]
    assert not manages_members(member)
    with pytest.raises(NotFound):
        members.accept_invitation(invitation_token(invited.email), PASSWORD)  # the link works once


def test_the_list_says_who_is_active_invited_or_removed_and_who_invited_them(admin):
    active = join(admin, "active@example.cn", name="甲")
    members.invite(admin, "waiting@example.cn", "乙", "admin")
    gone = join(admin, "gone@example.cn", name="丙")
    members.remove(admin, gone)
    db.session.commit()
    listed = {m.user.email: m for m in members.list_members(admin)}
    assert {email: m.status for email, m in listed.items()} == {
        admin.email: "active",
        "active@example.cn": "active",
        "waiting@example.cn": "invited",
        "gone@example.cn": "removed",
    }
    assert listed["active@example.cn"].invited_by == admin.name
    assert listed["active@example.cn"].activated_at is not None
    assert listed["waiting@example.cn"].activated_at is None
    assert listed[admin.email].invited_at is None  # the organisation's first account was not invited
    assert active.id in {m.user.id for m in listed.values()}


def test_a_filer_files_but_does_not_manage_members(admin):
    filer = join(admin, "filer@example.cn")
    draft = contracts.create_draft(filer, ContractIn().load(filing(title="申报人的草稿")))
    db.session.commit()
    assert draft.organisation_id == admin.organisation_id and can_view(admin, draft)
    with pytest.raises(Forbidden):
        members.invite(filer, "third@example.cn", "丁", "filer")
    with pytest.raises(Forbidden):
        members.list_members(filer)


def test_an_admin_whose_claim_is_not_confirmed_cannot_invite(app):
    with app.app_context():
        claimant = user(sign_up_claimant("claimant@example.cn", complete_credit_code("91130402MA0123456")))
        assert claimant.org_role == "admin"
        with pytest.raises(Forbidden):
            members.invite(claimant, "friend@example.cn", "朋友", "filer")


def test_an_address_with_an_account_elsewhere_or_already_here_cannot_be_invited(app, admin):
    stranger = user(create_account("applicant", credit_code=BUYER_CODE, org_name="别家公司"))
    reviewer = user(create_account("reviewer"))
    colleague = join(admin, "here@example.cn")
    for email in (stranger.email, reviewer.email.upper()):
        with pytest.raises(Conflict) as refused:
            members.invite(admin, email, "某人", "filer")
        assert refused.value.detail == "该邮箱已属于本单位以外的账号，无法邀请。"
        db.session.rollback()
    with pytest.raises(Conflict, match="已是本单位成员"):
        members.invite(admin, colleague.email, "某人", "admin")
    db.session.rollback()
    assert (user(stranger).organisation_id, user(stranger).org_role) == (stranger.organisation_id, "admin")
    assert db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == stranger.email)).all() == []


def test_invitations_are_checked_before_anything_is_written(admin):
    with pytest.raises(ValidationFailed) as refused:
        members.invite(admin, "not-an-address", "", "owner")
    assert {error.field for error in refused.value.errors} == {"email", "name", "role"}


def test_roles_change_but_the_organisation_keeps_an_active_admin(admin):
    colleague = join(admin, "second@example.cn")
    with pytest.raises(Conflict, match="至少须保留一名有效的管理员"):
        members.change_role(admin, admin, "filer")
    db.session.rollback()
    members.change_role(admin, colleague, "admin")
    assert manages_members(colleague)
    members.change_role(colleague, admin, "filer")
    db.session.commit()
    assert (user(admin).org_role, user(colleague).org_role) == ("filer", "admin")
    actions = db.session.scalars(select(AuditRecord.action).where(AuditRecord.action == "member.role")).all()
    assert actions == ["member.role", "member.role"]


def test_removal_ends_every_session_and_token_and_the_sign_in(admin):
    colleague = join(admin, "leaving@example.cn")
    session_id = sessions.start_session(colleague)
    _, plain = tokens.create_token(colleague, "ERP")
    db.session.commit()
    assert sessions.load_user(colleague.id, session_id) == colleague and tokens.authenticate(plain) == colleague

    members.remove(admin, members.load_member(admin, colleague.id))
    db.session.commit()
    assert sessions.load_user(colleague.id, session_id) is None
    assert tokens.authenticate(plain) is None
    assert all(token.revoked_at is not None for token in user(colleague).tokens)
    assert accounts.authenticate(colleague.email, PASSWORD) is None
    record = db.session.scalars(select(AuditRecord).where(AuditRecord.action == "member.remove")).one()
    assert (record.actor_id, record.object_id, record.after["sessions_ended"], record.after["tokens_revoked"]) == (
        admin.id,
        str(colleague.id),
        1,
        1,
    )


def test_the_last_admin_cannot_leave_but_can_once_another_admin_exists(admin):
    with pytest.raises(Conflict):
        members.remove(admin, admin)
    db.session.rollback()
    other = join(admin, "other-admin@example.cn", role="admin")
    members.remove(other, admin)
    db.session.commit()
    assert not user(admin).active


def test_a_removed_invitation_stops_working_and_the_person_can_be_invited_again(admin):
    invited = members.invite(admin, "twice@example.cn", "再来", "filer")
    db.session.commit()
    first_link = invitation_token(invited.email)
    members.remove(admin, invited)
    db.session.commit()
    assert members.pending_invitation(first_link) is None
    members.invite(admin, "twice@example.cn", "再来", "admin")
    db.session.commit()
    again = members.accept_invitation(invitation_token("twice@example.cn"), PASSWORD)
    assert (again.id, again.active, again.org_role) == (invited.id, True, "admin")


def test_another_organisations_member_is_not_found(app, admin):
    stranger = user(create_account("applicant", credit_code=BUYER_CODE, org_name="别家公司"))
    colleague = join(admin, "mine@example.cn")
    with pytest.raises(NotFound):
        members.load_member(stranger, colleague.id)
    with pytest.raises(NotFound):
        members.load_member(admin, stranger.id)
    assert [m.user.id for m in members.list_members(stranger)] == [stranger.id]
