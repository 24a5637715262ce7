"""Every page endpoint × every role: the status each one gets. A new page fails here until it is added."""
from __future__ import annotations

import io

import pytest

from tests.factories import MINIMAL_PDF, csrf_from, filing
from tests.web.webtools import form_fields

ROLES = ("anonymous", "owner", "other_applicant", "reviewer", "other_reviewer", "bureau", "tax")
SIGNED_OUT = 302  # to the log-in page

# (method, rule, target) → expected status per role, in ROLES order. target: which object the ids stand for.
PAGE_MATRIX = {
    ("GET", "/", None): (200, 200, 200, 200, 200, 200, 200),
    ("GET", "/signup", None): (200, 200, 200, 200, 200, 200, 200),
    ("POST", "/signup", None): (422, 422, 422, 422, 422, 422, 422),  # an empty form
    ("GET", "/login", None): (200, 200, 200, 200, 200, 200, 200),
    ("POST", "/login", None): (200, 200, 200, 200, 200, 200, 200),  # a wrong password
    ("POST", "/logout", None): (302, 302, 302, 302, 302, 302, 302),
    ("GET", "/account/tokens", None): (SIGNED_OUT, 200, 200, 200, 200, 200, 200),
    ("POST", "/account/tokens", None): (SIGNED_OUT, 200, 200, 200, 200, 200, 200),
    ("POST", "/account/tokens/<int:token_id>/revoke", "token"): (SIGNED_OUT, 302, 404, 404, 404, 404, 404),
    ("GET", "/contracts", None): (SIGNED_OUT, 200, 200, 200, 200, 200, 200),
    ("GET", "/contracts/new", None): (SIGNED_OUT, 200, 200, 403, 403, 403, 403),
    ("POST", "/contracts/new", None): (SIGNED_OUT, 302, 302, 403, 403, 403, 403),
    ("GET", "/contracts/<int:contract_id>", "draft"): (SIGNED_OUT, 200, 404, 404, 404, 200, 404),
    ("GET", "/contracts/<int:contract_id>", "submitted"): (SIGNED_OUT, 200, 404, 200, 404, 200, 404),
    ("GET", "/contracts/<int:contract_id>/edit", "draft"): (SIGNED_OUT, 200, 404, 403, 403, 403, 403),
    ("GET", "/contracts/<int:contract_id>/edit", "submitted"): (SIGNED_OUT, 409, 404, 403, 403, 403, 403),
    ("POST", "/contracts/<int:contract_id>/edit", "draft"): (SIGNED_OUT, 302, 404, 403, 403, 403, 403),
    ("POST", "/contracts/<int:contract_id>/attachments", "draft"): (SIGNED_OUT, 302, 404, 403, 403, 403, 403),
    ("POST", "/contracts/<int:contract_id>/attachments/<int:attachment_id>/delete", "draft"):
        (SIGNED_OUT, 302, 404, 403, 403, 403, 403),
    ("POST", "/contracts/<int:contract_id>/submit", "draft"): (SIGNED_OUT, 302, 404, 403, 403, 403, 403),
    ("POST", "/contracts/<int:contract_id>/withdraw", "submitted"): (SIGNED_OUT, 302, 404, 403, 403, 403, 403),
}
PAGE_BLUEPRINTS = ("public.", "account.", "applicant.")


@pytest.fixture
def world(app, role_accounts, api_as, sign_in):
    """A signed-in client per role, and a way to make the owner's draft or submitted contract."""
    accounts = role_accounts
    owner = accounts["owner"]
    clients = {role: sign_in(account) for role, account in accounts.items()}
    clients["anonymous"] = app.test_client()
    owner_api = api_as(owner)
    made = []

    def make(target: str) -> dict:
        if target == "token":
            page = clients["owner"].post("/account/tokens", data={
                "name": "t", "csrf_token": csrf_from(clients["owner"].get("/account/tokens").text)})
            return {"token_id": int(page.text.split("/account/tokens/")[1].split("/")[0])}
        made.append(target)
        created = owner_api.post("/api/v1/contracts", json=filing(title=f"合同 {len(made)}")).json
        attachment = owner_api.post(f"/api/v1/contracts/{created['id']}/attachments",
                                    data={"kind": "contract_text", "file": (io.BytesIO(MINIMAL_PDF), "c.pdf")}).json
        if target == "submitted":
            assert owner_api.post(f"/api/v1/contracts/{created['id']}/submit", json={}).status_code == 200
        return {"contract_id": created["id"], "attachment_id": attachment["id"]}

    return clients, make


def _form(rule: str) -> dict:
    if rule == "/login":
        return {"email": "someone@example.cn", "password": "Wrong-password-1"}
    if rule in ("/contracts/new", "/contracts/<int:contract_id>/edit"):
        return form_fields(filing())
    if rule == "/account/tokens":
        return {"name": "矩阵"}
    if rule.endswith("/attachments"):
        return {"kind": "contract_text", "file": (io.BytesIO(MINIMAL_PDF), "c.pdf")}
    return {}


def test_every_page_endpoint_is_in_the_matrix(app):
    rules = {(method, rule.rule) for rule in app.url_map.iter_rules() if rule.endpoint.startswith(PAGE_BLUEPRINTS)
             for method in rule.methods - {"HEAD", "OPTIONS"}}
    assert sorted(rules - {(m, r) for m, r, _ in PAGE_MATRIX}) == []


@pytest.mark.parametrize("method, rule, target", list(PAGE_MATRIX))
def test_each_role_gets_the_expected_answer(world, method, rule, target):
    clients, make = world
    shared = make(target) if target and method == "GET" else None
    answers = {}
    for role in ROLES:
        client = clients[role]
        ids = shared or (make(target) if target else {})
        url = rule.replace("<int:", "{").replace(">", "}").format(**ids)
        if method == "GET":
            response = client.get(url)
        else:
            token = csrf_from(client.get("/login").text)
            response = client.post(url, data={**_form(rule), "csrf_token": token}, content_type="multipart/form-data")
        answers[role] = response.status_code
    assert answers == dict(zip(ROLES, PAGE_MATRIX[(method, rule, target)]))
