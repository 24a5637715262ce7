"""A forgotten password: one e-mailed link, valid for an hour, that works once and ends every session."""

from __future__ import annotations

import re

import pytest
from itsdangerous import TimestampSigner
from sqlalchemy import select

from app.accounts.services import accounts, password_reset, sessions
from app.errors import NotFound, ValidationFailed
from app.extensions import db
from app.models import AuditRecord, OutboxMessage, User

NEW_PASSWORD = "Brand-new-2026-pw"


def reset_token(recipient: str) -> str:
    """The token of the newest reset link e-mailed to this address."""
    bodies = db.session.scalars(
        select(OutboxMessage.body).where(OutboxMessage.recipient == recipient).order_by(OutboxMessage.id.desc())
    )
    for body in bodies:
        match = re.search(r"/password/reset/([A-Za-z0-9_.-]+)", body)
        if match:
            return match.group(1)
    raise AssertionError(f"no reset link was sent to {recipient}")


def outbox_count() -> int:
    return len(db.session.scalars(select(OutboxMessage.id)).all())


def test_a_reset_link_goes_only_to_an_existing_active_account(app, applicant):
    with app.app_context():
        password_reset.request_reset("nobody@example.cn")
        assert outbox_count() == 0
        password_reset.request_reset(applicant.email.upper())
        db.session.commit()
        assert outbox_count() == 1 and reset_token(applicant.email)


def test_the_link_sets_a_new_password_and_ends_every_session(app, applicant):
    with app.app_context():
        user = db.session.get(User, applicant.id)
        session_id = sessions.start_session(user)
        password_reset.request_reset(applicant.email)
        db.session.commit()
        password_reset.reset_password(reset_token(applicant.email), NEW_PASSWORD)
        db.session.commit()
        assert sessions.load_user(user.id, session_id) is None
        assert accounts.authenticate(applicant.email, applicant.password) is None
        assert accounts.authenticate(applicant.email, NEW_PASSWORD).id == user.id
        actions = set(db.session.scalars(select(AuditRecord.action).where(AuditRecord.object_id == str(user.id))))
        assert "user.password_reset" in actions


def test_the_link_works_once(app, applicant):
    with app.app_context():
        password_reset.request_reset(applicant.email)
        db.session.commit()
        token = reset_token(applicant.email)
        password_reset.reset_password(token, NEW_PASSWORD)
        db.session.commit()
        assert password_reset.user_for_reset(token) is None
        with pytest.raises(NotFound):
            password_reset.reset_password(token, "Another-2026-password")


def test_the_link_expires_after_an_hour(app, applicant, monkeypatch):
    with app.app_context():
        real = TimestampSigner.get_timestamp
        monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: real(self) - 61 * 60)
        password_reset.request_reset(applicant.email)
        db.session.commit()
        monkeypatch.setattr(TimestampSigner, "get_timestamp", real)
        token = reset_token(applicant.email)
        assert password_reset.user_for_reset(token) is None
        with pytest.raises(NotFound):
            password_reset.reset_password(token, NEW_PASSWORD)


def test_a_forged_or_short_reset_is_refused(app, applicant):
    with app.app_context():
        assert password_reset.user_for_reset("not-a-token") is None
        password_reset.request_reset(applicant.email)
        db.session.commit()
        with pytest.raises(ValidationFailed) as refused:
            password_reset.reset_password(reset_token(applicant.email), "short")
        assert [e.field for e in refused.value.errors] == ["new_password"]


def test_a_reset_password_is_the_owners_own(app, applicant):
    """An account the bureau made asks for a new password at sign-in; a reset by the owner settles that too."""
    with app.app_context():
        user = db.session.get(User, applicant.id)
        user.must_change_password = True
        password_reset.request_reset(applicant.email)
        db.session.commit()
        password_reset.reset_password(reset_token(applicant.email), NEW_PASSWORD)
        db.session.commit()
        assert db.session.get(User, applicant.id).must_change_password is False
