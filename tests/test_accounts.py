"""Accounts: an organisation cannot be joined by whoever knows its (public) credit code; token use is recorded."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.errors import Conflict
from app.extensions import db
from app.models import ApiToken, User
from app.services import accounts


def test_sign_up_refuses_an_organisation_that_already_has_an_account(app):
    with app.app_context():
        accounts.sign_up("first@example.cn", "a-long-password", "甲", "某某科技有限公司", "91330100716105852F",
                         "130402", "150")
        db.session.commit()
        with pytest.raises(Conflict) as refused:
            accounts.sign_up("stranger@example.cn", "a-long-password", "乙", "冒名公司", "91330100716105852f",
                             "130402", "150")
        db.session.rollback()
        assert refused.value.errors[0].code == "organisation.registered"
        assert db.session.scalar(select(func.count()).select_from(User)) == 1


def test_token_use_is_recorded_on_read_only_calls(app, api, applicant):
    assert api.get("/api/v1/contracts").status_code == 200
    with app.app_context():
        token = db.session.scalars(select(ApiToken).where(ApiToken.user_id == applicant.id)).one()
        assert token.last_used_at is not None
