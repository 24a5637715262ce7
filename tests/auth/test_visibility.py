"""Who sees which contract: the list queries' SQL and the object check read one rule, and agree on every row."""

from __future__ import annotations

from sqlalchemy import select

from app.auth.permissions import can_view
from app.extensions import db
from app.filing.services.contracts import visible_contracts
from app.models import Contract, User
from tests import factories


def test_the_list_query_and_the_object_check_see_the_same_contracts(app, role_accounts, api_as, file_contract):
    submitted = file_contract()
    draft = api_as(role_accounts["owner"]).post("/api/v1/contracts", json=factories.filing()).json["id"]
    unclaimed = api_as(role_accounts["other_applicant"]).post("/api/v1/contracts", json=factories.filing()).json["id"]
    with app.app_context():
        everything = list(db.session.scalars(select(Contract)))
        seen = {}
        for name, account in role_accounts.items():
            user = db.session.get(User, account.id)
            listed = {c.id for c in db.session.scalars(visible_contracts(user))}
            assert listed == {c.id for c in everything if can_view(user, c)}, name
            seen[name] = listed
    assert seen["bureau"] == {submitted, draft, unclaimed}
    assert seen["reviewer"] == {submitted}  # routed to its station, and not the drafts
    assert seen["other_reviewer"] == set() and seen["tax"] == set()
    assert draft in seen["owner"] and unclaimed not in seen["owner"]
    assert seen["other_applicant"] == {unclaimed}  # an unconfirmed claimant: only what it filed itself
