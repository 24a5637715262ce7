"""The contract lists load a page of any size in the same small number of SQL statements (no query per item)."""

from __future__ import annotations

import io
from contextlib import contextmanager
from datetime import timedelta

import pytest
from sqlalchemy import event, update

from app.domain.clock import today_local
from app.extensions import db
from app.models import Contract
from tests.factories import MINIMAL_PDF, filing

ITEMS = 20  # against FEW: a query per item would show as 15 more statements
REGISTERED = 2  # the newest ones; the others wait for a decision, past their due date
FEW = 5
MAX_STATEMENTS = 12  # the whole request: user, the page, one query per eager-loaded relation (10 today)
REGISTER = {"category": "development", "subtype": "commissioned", "certified_technical_amount": "1080000.00"}


@contextmanager
def counted_statements(app):
    """Count every statement the application sends to the database inside the block."""
    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


@pytest.fixture
def registry(app, role_accounts, api_as, sign_in):
    """ITEMS filings of the owner, each with an attachment, findings and history; the newest ones registered
    (with a certificate) or waiting for a decision past their due date, so that every page mixes them."""
    owner_api, reviewer_api = api_as(role_accounts["owner"]), api_as(role_accounts["reviewer"])
    for n in range(ITEMS):
        created = owner_api.post("/api/v1/contracts", json=filing(title=f"列表合同 {n}")).json
        url = f"/api/v1/contracts/{created['id']}"
        owner_api.post(f"{url}/attachments", data={"kind": "contract_text", "file": (io.BytesIO(MINIMAL_PDF), "c.pdf")})
        assert owner_api.post(f"{url}/submit", json={}).status_code == 200
        assert reviewer_api.post(f"{url}/accept", json={}).status_code == 200
        if n >= ITEMS - REGISTERED:
            assert reviewer_api.post(f"{url}/register", json=REGISTER).status_code == 200
    with app.app_context():  # everything undecided is overdue: the bureau's overdue list shows it too
        db.session.execute(
            update(Contract).where(Contract.status == "accepted").values(due_on=today_local() - timedelta(days=3))
        )
        db.session.commit()
    clients = {role: sign_in(account) for role, account in role_accounts.items()}
    apis = {role: api_as(account) for role, account in role_accounts.items()}
    return clients, apis


def _statements(app, get, url: str, expected_items: int) -> list[str]:
    with counted_statements(app) as statements:
        response = get(url)
    assert response.status_code == 200, response.text[:500]
    shown = len(response.json["items"]) if response.is_json else response.text.count("列表合同 ")
    assert shown == expected_items
    return statements


def _repeated(statements: list[str]) -> str:
    """The statements sent more than once (what a query per item looks like), for the failure message."""
    return "\n".join(f"{statements.count(s)}× {s[:200]}" for s in dict.fromkeys(statements) if statements.count(s) > 1)


@pytest.mark.parametrize("role", ["owner", "reviewer", "bureau"])
def test_api_list_takes_the_same_statements_for_5_and_20_items(app, registry, role):
    _, apis = registry
    apis[role].get("/api/v1/contracts?limit=1")  # a token's first use of the minute records it (one write)
    few = _statements(app, apis[role].get, f"/api/v1/contracts?limit={FEW}", FEW)
    many = _statements(app, apis[role].get, f"/api/v1/contracts?limit={ITEMS}", ITEMS)
    assert len(few) == len(many), _repeated(many)
    assert len(many) <= MAX_STATEMENTS, many


@pytest.mark.parametrize(
    "role, path, module, page_size, listed",
    [
        ("owner", "/contracts", "app.filing.views", "PAGE_SIZE", ITEMS),
        ("reviewer", "/station/queue", "app.review.views", "PAGE_SIZE", ITEMS - REGISTERED),
        ("bureau", "/bureau/overdue", "app.stations.views", "OVERDUE_PAGE_SIZE", ITEMS - REGISTERED),
    ],
)
def test_list_pages_take_the_same_statements_for_any_number_of_items(
    app, registry, monkeypatch, role, path, module, page_size, listed
):
    clients, _ = registry
    client = clients[role]
    monkeypatch.setattr(f"{module}.{page_size}", FEW)
    few = _statements(app, client.get, path, FEW)
    monkeypatch.setattr(f"{module}.{page_size}", ITEMS)
    many = _statements(app, client.get, path, listed)
    assert len(few) == len(many), _repeated(many)
    assert len(many) <= MAX_STATEMENTS, many
