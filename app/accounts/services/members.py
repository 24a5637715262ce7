"""Organisation members: an organisation's admin invites colleagues (admin or filer), changes their role and
removes them; the invitee sets a password through the e-mailed link. An organisation keeps an active admin."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select, update

from app import mail
from app.accounts.services import accounts, sessions
from app.audit.services import audit
from app.auth.permissions import manages_members
from app.claims import services as claims
from app.errors import Conflict, FieldError, Forbidden, NotFound, ValidationFailed
from app.extensions import db
from app.i18n import t
from app.models import AccountActivation, ApiToken, Party, User
from app.models.account import ORG_ROLES
from app.models.base import utcnow

MAX_NAME = 100


@dataclass(frozen=True)
class Member:
    """One account of the organisation as its admins see it (its name, e-mail, role... are the account's own)."""

    user: User
    status: str  # active | invited | expired (the invitation lapsed) | removed
    invited_at: datetime | None
    invited_by: str | None
    activated_at: datetime | None


def _organisation_of(actor: User) -> Party:
    """The organisation the actor administers, or a 403 (a filer, another role, an unconfirmed claim)."""
    if not manages_members(actor):
        raise Forbidden(t("Only an admin of a confirmed organisation manages its members."))
    return actor.organisation


def _accounts_of(organisation: Party):
    return select(User).where(User.organisation_id == organisation.id, User.role == "applicant")


def _unused_activations(user: User) -> list[AccountActivation]:
    return list(
        db.session.scalars(
            select(AccountActivation).where(AccountActivation.user_id == user.id, AccountActivation.used_at.is_(None))
        )
    )


def describe(user: User) -> Member:
    """The account with what its admins want to know: invited when and by whom, activated when, its state."""
    claim = user.claim
    invited = claim is not None and claim.basis == "invitation"
    activated_at = db.session.scalar(
        select(func.max(AccountActivation.used_at)).where(AccountActivation.user_id == user.id)
    )
    status = "active"
    if not user.active:
        unused = _unused_activations(user) if invited else []
        live = any(activation.expires_at > utcnow() for activation in unused)
        status = "invited" if live else "expired" if unused else "removed"
    return Member(
        user=user,
        status=status,
        invited_at=claim.decided_at if invited else None,
        invited_by=claim.decided_by.name if invited and claim.decided_by else None,
        activated_at=activated_at,
    )


def list_members(actor: User) -> list[Member]:
    """The organisation's accounts, active first, then by name."""
    organisation = _organisation_of(actor)
    users = db.session.scalars(_accounts_of(organisation).order_by(User.active.desc(), User.name, User.id))
    return [describe(user) for user in users]


def load_member(actor: User, member_id: int) -> User:
    """An account of the actor's organisation, else a 404 that says nothing about other organisations."""
    organisation = _organisation_of(actor)
    user = db.session.get(User, member_id)
    if user is None or user.role != "applicant" or user.organisation_id != organisation.id:
        raise NotFound(t("No such member of your organisation."))
    return user


def _check_invitation(email: str, name: str, role: str) -> None:
    errors = []
    if "@" not in email or len(email) > 254 or " " in email:
        errors.append(FieldError("email.invalid", "email", t("Enter a valid e-mail address.")))
    if not name or len(name) > MAX_NAME:
        errors.append(FieldError("name.invalid", "name", t("Give a name of at most %(n)s characters.", n=MAX_NAME)))
    errors += _role_errors(role)
    if errors:
        raise ValidationFailed(t("The invitation has not been sent."), errors)


def _role_errors(role: str) -> list[FieldError]:
    if role in ORG_ROLES:
        return []
    return [FieldError("role.invalid", "role", t("Choose admin or filer."))]


def _may_invite_again(user: User, organisation: Party) -> bool:
    """A member invited earlier who is not active (removed, or the invitation lapsed) may be invited again."""
    claim = user.claim
    return (
        user.organisation_id == organisation.id
        and not user.active
        and claim is not None
        and claim.status == "confirmed"
        and claim.basis == "invitation"
    )


def invite(actor: User, email: str, name: str, role: str) -> User:
    """Create the colleague's account, inactive, and e-mail the link where they set their password. An address
    with an account elsewhere cannot join (409, and nothing more is said about that account)."""
    organisation = _organisation_of(actor)
    email, name = (email or "").strip().lower(), (name or "").strip()
    _check_invitation(email, name, role)
    user = accounts.user_by_email(email)
    if user is not None and not _may_invite_again(user, organisation):
        same = user.organisation_id == organisation.id and user.role == "applicant"
        message = (
            t("This person is already a member of your organisation.")
            if same
            else t("This e-mail address belongs to an account outside your organisation; it cannot be invited.")
        )
        raise Conflict(message, [FieldError("email.taken", "email", message)])
    if user is None:
        unusable = accounts.hash_password(secrets.token_urlsafe(32))  # nobody knows it: the invitee sets their own
        user = accounts.add_user(
            email, unusable, "applicant", name, organisation=organisation, actor=actor, active=False
        )
    db.session.execute(
        delete(AccountActivation).where(AccountActivation.user_id == user.id, AccountActivation.used_at.is_(None))
    )
    user.org_role = role
    claims.confirm_by_invitation(actor, user)
    audit.record(actor, "member.invite", "user", user.id, None, {"email": email, "org_role": role})
    token = accounts.issue_activation(user)
    mail.notify_user(email, "invitation", user=user, inviter=actor, token=token, hours=accounts.ACTIVATION_HOURS)
    return user


def pending_invitation(plain: str) -> AccountActivation | None:
    """The unused, unexpired invitation of an account that is not active yet, or None."""
    activation = db.session.scalars(
        select(AccountActivation).where(AccountActivation.token_hash == accounts.activation_digest(plain or ""))
    ).first()
    if activation is None or activation.used_at is not None or activation.expires_at <= utcnow():
        return None
    user = activation.user
    claim = user.claim
    invited = claim is not None and claim.status == "confirmed" and claim.basis == "invitation"
    return activation if invited and not user.active and user.org_role else None


def accept_invitation(plain: str, password: str) -> User:
    """The invitee sets a password: the account becomes active in its organisation."""
    activation = pending_invitation(plain)
    if activation is None:
        raise NotFound(t("This invitation link is not valid, has been used or has expired."))
    if len(password) < accounts.MIN_PASSWORD_LENGTH:
        raise ValidationFailed(
            t("The password has not been set."),
            [
                FieldError(
                    "password.too_short",
                    "password",
                    t("Use at least %(n)s characters.", n=accounts.MIN_PASSWORD_LENGTH),
                )
            ],
        )
    user = activation.user
    user.password_hash = accounts.hash_password(password)
    user.active, activation.used_at = True, utcnow()
    db.session.flush()
    audit.record(user, "user.activate", "user", user.id, {"active": False}, {"active": True})
    return user


def _active_admins(organisation: Party) -> list[User]:
    """The organisation's active admins, locked (PostgreSQL) so that two admins cannot remove each other at once."""
    query = _accounts_of(organisation).where(User.org_role == "admin", User.active.is_(True))
    return list(db.session.scalars(query.order_by(User.id).with_for_update()))


def _keep_an_admin(user: User) -> None:
    """Refuse an act that would leave the organisation without an active admin."""
    others = [admin for admin in _active_admins(user.organisation) if admin.id != user.id]
    if user.active and user.org_role == "admin" and not others:
        raise Conflict(t("An organisation keeps at least one active admin: make someone else admin first."))


def change_role(actor: User, member: User, role: str) -> User:
    """Make a member admin or filer."""
    errors = _role_errors(role)
    if errors:
        raise ValidationFailed(t("The role has not been changed."), errors)
    if member.org_role == role:
        return member
    if role != "admin":
        _keep_an_admin(member)
    before = {"org_role": member.org_role}
    member.org_role = role
    db.session.flush()
    audit.record(actor, "member.role", "user", member.id, before, {"org_role": role})
    return member


def remove(actor: User, member: User) -> User:
    """Take the member out: the account can no longer sign in, its sessions and API tokens end at once and an
    unused invitation stops working. Its past acts keep its name."""
    _keep_an_admin(member)
    ended = sessions.end_sessions(member)
    revoked = db.session.execute(
        update(ApiToken).where(ApiToken.user_id == member.id, ApiToken.revoked_at.is_(None)).values(revoked_at=utcnow())
    ).rowcount
    db.session.execute(
        delete(AccountActivation).where(AccountActivation.user_id == member.id, AccountActivation.used_at.is_(None))
    )
    was_active, member.active = member.active, False
    db.session.flush()
    audit.record(
        actor,
        "member.remove",
        "user",
        member.id,
        {"active": was_active},
        {"active": False, "sessions_ended": ended, "tokens_revoked": revoked or 0},
    )
    return member
