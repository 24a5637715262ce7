"""Accounts: sign-up with e-mail activation, password checks (argon2), and user creation for the CLI and the
bureau."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from flask import current_app
from sqlalchemy import func, select

from app import mail
from app.accounts.services import sessions
from app.audit.services import audit
from app.claims import services as claims
from app.domain.catalogue import PARTY_NATURES
from app.domain.identifiers import credit_code_status
from app.errors import Conflict, FieldError, NotFound, PayloadTooLarge, ValidationFailed
from app.extensions import db
from app.filing.services import attachments
from app.i18n import t
from app.models import AccountActivation, Party, Station, User, UserArea
from app.models.base import utcnow

MIN_PASSWORD_LENGTH = 10
ACTIVATION_HOURS = 48


@cache
def _hasher_for(time_cost: int | None, memory_cost: int | None) -> tuple[PasswordHasher, str]:
    """An argon2id hasher, and a hash to verify against when the e-mail is unknown (same cost either way)."""
    options = {k: v for k, v in (("time_cost", time_cost), ("memory_cost", memory_cost)) if v}
    hasher = PasswordHasher(**options)
    return hasher, hasher.hash("not-a-real-password")


def _hasher() -> tuple[PasswordHasher, str]:
    # Argon2's recommended defaults; only a test configuration passes cheaper parameters explicitly.
    params = current_app.config.get("PASSWORD_HASH_PARAMS") or {}
    return _hasher_for(params.get("time_cost"), params.get("memory_cost"))


def hash_password(password: str) -> str:
    """An argon2id hash of the password."""
    return _hasher()[0].hash(password)


def authenticate(email: str, password: str) -> User | None:
    """The active user with this e-mail and password, or None: the same answer for both kinds of failure."""
    user = db.session.scalars(select(User).where(func.lower(User.email) == email.strip().lower())).first()
    hasher, dummy_hash = _hasher()
    try:
        hasher.verify(user.password_hash if user else dummy_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return None
    if user is None or not user.active:
        return None
    if hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
    return user


def find_or_create_organisation(credit_code: str, name: str | None, area_code: str | None, nature: str | None) -> Party:
    """The registry entry of an organisation, created on first use."""
    party = db.session.scalars(select(Party).where(Party.credit_code == credit_code)).first()
    if party is None:
        party = Party(
            kind="organisation",
            credit_code=credit_code,
            name=name or credit_code,
            area_code=area_code or credit_code[2:8],
            nature=nature,
        )
        db.session.add(party)
        db.session.flush()
    return party


def _shape_errors(email: str, password: str) -> list[FieldError]:
    errors = []
    if "@" not in email or len(email) > 254 or email.strip() != email:
        errors.append(FieldError("email.invalid", "email", t("Enter a valid e-mail address.")))
    if len(password) < MIN_PASSWORD_LENGTH:
        errors.append(
            FieldError("password.too_short", "password", t("Use at least %(n)s characters.", n=MIN_PASSWORD_LENGTH))
        )
    return errors


def user_by_email(email: str) -> User | None:
    return db.session.scalars(select(User).where(func.lower(User.email) == email.lower())).first()


def _check_new_user(email: str, password: str) -> None:
    errors = _shape_errors(email, password)
    if errors:
        raise ValidationFailed(t("The account cannot be created."), errors)
    if user_by_email(email) is not None:
        raise Conflict(
            t("An account with this e-mail address already exists."),
            [FieldError("email.taken", "email", t("An account with this e-mail address already exists."))],
        )


def create_user(
    email: str,
    password: str,
    role: str,
    name: str = "",
    *,
    organisation: Party | None = None,
    station: Station | None = None,
    area_codes: list[str] | None = None,
    actor=None,
) -> User:
    """Create an account of any role, with the scope the role needs; an administrator vouches for an applicant's
    organisation, so its claim is confirmed."""
    email = email.strip().lower()
    _check_new_user(email, password)
    if role == "applicant" and organisation is None:
        raise ValidationFailed(t("An applicant belongs to an organisation."))
    if role == "reviewer" and station is None:
        raise ValidationFailed(t("A reviewer is bound to a station."))
    if role == "tax" and not area_codes:
        raise ValidationFailed(t("A tax officer is scoped to area codes."))
    user = add_user(
        email,
        hash_password(password),
        role,
        name,
        organisation=organisation,
        station=station,
        area_codes=area_codes,
        actor=actor,
    )
    if role == "applicant":
        claims.confirm_by_administrator(actor, user)
    return user


def add_user(
    email: str,
    password_hash: str,
    role: str,
    name: str,
    *,
    organisation: Party | None = None,
    station: Station | None = None,
    area_codes: list[str] | None = None,
    actor=None,
    active: bool = True,
) -> User:
    user = User(
        email=email,
        name=name or email.split("@")[0],
        password_hash=password_hash,
        role=role,
        active=active,
        organisation=organisation if role == "applicant" else None,
        org_role="admin" if role == "applicant" else None,  # the organisation's first account; members.invite sets
        station=station if role == "reviewer" else None,
    )
    user.areas = [UserArea(area_code=code) for code in (area_codes or []) if role == "tax"]
    db.session.add(user)
    db.session.flush()
    audit.record(
        actor or user,
        "user.create",
        "user",
        user.id,
        None,
        {
            "email": email,
            "role": role,
            "organisation_id": user.organisation_id,
            "station_id": user.station_id,
            "areas": area_codes or [],
            "active": active,
        },
    )
    return user


def _organisation_errors(
    org_name: str, credit_code: str, area_code: str | None, nature: str | None
) -> list[FieldError]:
    errors = []
    if area_code and not (len(area_code) == 6 and area_code.isascii() and area_code.isdigit()):
        errors.append(FieldError("area_code.malformed", "area_code", t("An area code has six digits.")))
    if nature and nature not in PARTY_NATURES:
        errors.append(FieldError("nature.unknown", "nature", t("Choose the nature of the organisation from the list.")))
    if credit_code_status(credit_code) == "malformed":
        errors.append(
            FieldError(
                "credit_code.malformed",
                "credit_code",
                t("A unified social credit code has 18 characters from the national character set."),
            )
        )
    if not org_name.strip():
        errors.append(FieldError("required", "org_name", t("This field is required.")))
    return errors


def sign_up(
    email: str,
    password: str,
    name: str,
    org_name: str,
    credit_code: str,
    area_code: str | None,
    nature: str | None,
    licence: tuple | None = None,
) -> None:
    """An enterprise asks for an applicant account. Whether or not the e-mail address has an account, the
    answer is the same and the rest goes by e-mail: an activation link, or a warning to the address's owner.
    The account's claim on its organisation waits for proof (app.claims.services); `licence` is an optional
    (stream, filename) of the business licence."""
    email, credit_code = email.strip().lower(), credit_code.strip().upper()
    errors = _shape_errors(email, password) + _organisation_errors(org_name, credit_code, area_code, nature)
    stored = None
    if licence:  # checked with the rest, so that the form reports every problem at once
        try:
            stored = attachments.accept_upload(licence[0], field="licence")
        except ValidationFailed as error:
            errors += error.errors or [FieldError(error.code, "licence", error.detail)]
        except PayloadTooLarge as error:
            errors.append(FieldError(error.code, "licence", error.detail))
    if errors:
        raise ValidationFailed(t("The account cannot be created."), errors)
    password_hash = hash_password(password)  # hashed either way: the time taken tells nothing either
    existing = user_by_email(email)
    if existing is not None:
        _warn_existing(existing)
        return
    organisation = find_or_create_organisation(credit_code, org_name.strip(), area_code, nature)
    user = add_user(email, password_hash, "applicant", name, organisation=organisation, active=False)
    claim = claims.open_claim(user, organisation)
    if stored:
        claims.record_licence(claim, stored, licence[1])
    mail.notify_user(email, "activate", user=user, token=issue_activation(user), hours=ACTIVATION_HOURS)


def _warn_existing(user: User) -> None:
    """Someone signed up with a known address: tell its owner (with a fresh link if it was never activated)."""
    if user.claim is not None and user.claim.status == "unverified":
        mail.notify_user(user.email, "activate_again", user=user, token=issue_activation(user), hours=ACTIVATION_HOURS)
    else:
        mail.notify_user(user.email, "signup_attempt", user=user)


def activation_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def issue_activation(user: User) -> str:
    """A one-time activation token; only its SHA-256 is stored."""
    plain, now = secrets.token_urlsafe(32), utcnow()
    db.session.add(
        AccountActivation(
            user=user,
            token_hash=activation_digest(plain),
            created_at=now,
            expires_at=now + timedelta(hours=ACTIVATION_HOURS),
        )
    )
    db.session.flush()
    return plain


def pending_activation(plain: str) -> AccountActivation | None:
    """The unused, unexpired activation of an account that was never activated, or None."""
    activation = db.session.scalars(
        select(AccountActivation).where(AccountActivation.token_hash == activation_digest(plain or ""))
    ).first()
    if activation is None or activation.used_at is not None or activation.expires_at <= utcnow():
        return None
    claim = activation.user.claim
    return activation if claim is not None and claim.status == "unverified" else None


def activate(plain: str) -> User:
    """Follow the e-mailed link: the account becomes usable and its claim waits for a decision."""
    activation = pending_activation(plain)
    if activation is None:
        raise NotFound(t("This activation link is not valid, has been used or has expired."))
    user = activation.user
    activation.used_at = utcnow()
    user.active = True
    db.session.flush()
    audit.record(user, "user.activate", "user", user.id, {"active": False}, {"active": True})
    claims.submit(user.claim)
    return user


def change_password(user: User, current_password: str, new_password: str) -> None:
    """Replace the user's password after checking the current one; every session of the user ends."""
    hasher, _ = _hasher()
    try:
        hasher.verify(user.password_hash, current_password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        raise ValidationFailed(
            t("The password has not been changed."),
            [FieldError("password.wrong", "current_password", t("This is not your current password."))],
        ) from None
    set_own_password(user, new_password, "user.password")


def set_own_password(user: User, new_password: str, action: str) -> None:
    """The user's own new password (changed, or reset through the e-mailed link): checked, stored, every session
    ended; an account someone else made is now its owner's."""
    if len(new_password) < MIN_PASSWORD_LENGTH:
        raise ValidationFailed(
            t("The password has not been changed."),
            [
                FieldError(
                    "password.too_short", "new_password", t("Use at least %(n)s characters.", n=MIN_PASSWORD_LENGTH)
                )
            ],
        )
    user.password_hash = hash_password(new_password)
    user.must_change_password = False
    ended = sessions.end_sessions(user)
    audit.record(user, action, "user", user.id, None, {"sessions_ended": ended})


def set_active(user: User, active: bool, actor=None) -> User:
    """Disable (or re-enable) an account; disabling ends all its sessions (its API tokens stop working too).
    actor: who decided (None: the operator at the command line)."""
    if user.active != active:
        user.active = active
        audit.record(
            actor,
            "user.active" if active else "user.disable",
            "user",
            user.id,
            {"active": not active},
            {"active": active},
        )
    if not active:
        sessions.end_sessions(user)
    return user
