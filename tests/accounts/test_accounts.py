"""Accounts: knowing an organisation's (public) credit code gives only a claim to be proved; token use is recorded."""

from __future__ import annotations

from sqlalchemy import select

from app.accounts.services import accounts
from app.extensions import db
from app.models import ApiToken, OrganisationClaim
from tests.factories import sign_up_claimant


def test_a_second_sign_up_with_a_claimed_credit_code_is_a_contest_not_a_refusal(app):
    with app.app_context():
        first = sign_up_claimant("first@example.cn", "91330100716105852F", "某某科技有限公司")
        second = sign_up_claimant("stranger@example.cn", "91330100716105852f", "冒名公司")
        kinds = dict(db.session.execute(select(OrganisationClaim.user_id, OrganisationClaim.kind)).all())
        assert kinds == {first.id: "first", second.id: "contest"}
        assert first.organisation_id == second.organisation_id
        statuses = set(db.session.scalars(select(OrganisationClaim.status)))
        assert statuses == {"pending"}  # neither speaks for the organisation yet


def test_accounts_made_by_an_administrator_are_confirmed(app):
    with app.app_context():
        organisation = accounts.find_or_create_organisation("91330100716105852F", "某某科技有限公司", "130402", "150")
        user = accounts.create_user("admin-made@example.cn", "a-long-password", "applicant", organisation=organisation)
        db.session.commit()
        assert (user.claim.status, user.claim.basis) == ("confirmed", "administrator")


def test_token_use_is_recorded_on_read_only_calls(app, api, applicant):
    assert api.get("/api/v1/contracts").status_code == 200
    with app.app_context():
        token = db.session.scalars(select(ApiToken).where(ApiToken.user_id == applicant.id)).one()
        assert token.last_used_at is not None
