"""The demo as `flask demo synth` leaves it: every page and every API list of every role, and the links they offer
(pagination, the next filing in the queue), answer without a server error; no link a page offers is dead."""

from __future__ import annotations

import html
import re
from collections import Counter, deque
from urllib.parse import parse_qsl, urlsplit

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Contract, Station
from tests.test_access_matrix import API_MATRIX
from tests.web.test_page_access import PAGE_MATRIX, ROLES

STATUSES = ("registered", "submitted", "accepted", "amendment_requested", "refused")
HREF = re.compile(r'href="(/[^"#]*)"')
NOT_FOLLOWED = ("/static/", "/bootstrap/", "/logout", "/api/v1/docs")
VISITS_PER_ROUTE = 2  # a route with other ids or another cursor is visited this often
PAGE_LIMIT = 250  # links a role's walk follows at most


@pytest.fixture
def demo(app, make_account, sign_in, api_as, monkeypatch):
    """`flask demo synth` on an empty registry, one account per role on that data, small pages so that every list
    has a next page, and for each role a signed-in page client and an API client."""
    result = app.test_cli_runner().invoke(
        args=["demo", "synth", "--contracts", "150", "--filings", "90", "--seed", "5", "--unless-present"]
    )
    assert result.exit_code == 0, result.output
    with app.app_context():
        ids = {status: _ids(status) for status in STATUSES}
        owner_code = db.session.get(Contract, ids["submitted"][0]).organisation.credit_code
        number = db.session.get(Contract, ids["registered"][0]).registration_number
        handan = tuple(db.session.scalars(select(Station.code)))
    accounts = {
        "owner": make_account("applicant", credit_code=owner_code),
        "other_applicant": make_account("applicant", credit_code="91110108MA01ABCD2Y"),
        "reviewer": make_account("reviewer", station_code="130402"),
        "other_reviewer": make_account("reviewer", station_code="130403"),
        "bureau": make_account("bureau"),
        "tax": make_account("tax", area_codes=handan),
    }
    for module, name in (
        ("app.review.views", "PAGE_SIZE"),
        ("app.stations.views", "OVERDUE_PAGE_SIZE"),
        ("app.filing.views", "PAGE_SIZE"),
    ):
        monkeypatch.setattr(f"{module}.{name}", 3)
    pages = {role: sign_in(account) for role, account in accounts.items()}
    pages["anonymous"] = app.test_client()
    apis = {role: api_as(account) for role, account in accounts.items()}
    apis["anonymous"] = app.test_client()
    return {"ids": ids, "number": number, "pages": pages, "apis": apis}


def _ids(status: str) -> list[int]:
    """Up to two synthetic contracts in this status: one at the reviewer's station (130402) when there is one."""
    query = select(Contract.id).join(Station).where(Contract.status == status)
    here = db.session.scalars(query.where(Station.code == "130402").limit(1)).all()
    elsewhere = db.session.scalars(query.where(Station.code != "130402").limit(1)).all()
    assert here or elsewhere, status
    return here + elsewhere


def _urls(rule: str, demo: dict) -> list[str]:
    """The rule with real synthetic ids: each contract id of every status, the synthetic registration number."""
    rule = (
        rule.replace("<path:filename>", "swagger-ui.css")
        .replace("<code>", "130402")
        .replace("<string:number>", demo["number"])
        .replace("<int:attachment_id>", "1")
    )
    if "<int:contract_id>" not in rule:
        return [rule]
    return [rule.replace("<int:contract_id>", str(i)) for ids in demo["ids"].values() for i in ids]


def _gets(matrix: dict) -> list[str]:
    return sorted({rule for method, rule, _ in matrix if method == "GET"})


def test_every_page_and_link_of_every_role_answers_on_synthetic_data(demo):
    failures, followed = [], Counter()
    for role in ROLES:
        client = demo["pages"][role]
        queue = deque(url for rule in _gets(PAGE_MATRIX) for url in _urls(rule, demo))
        seen, per_route, offered = set(queue), Counter(), set()
        while queue and sum(per_route.values()) < PAGE_LIMIT:
            url = queue.popleft()
            response = client.get(url)
            if response.status_code >= 500 or (url in offered and response.status_code == 404):  # no dead links
                failures.append(f"{role} GET {url}: {response.status_code}")
            # the links of a page that answered (an error page offers itself in the other language)
            text = response.text if response.status_code == 200 and response.mimetype == "text/html" else ""
            response.close()
            for link in HREF.findall(text):
                link = html.unescape(link)
                route = _route(link)
                if link in seen or link.startswith(NOT_FOLLOWED) or per_route[route] >= VISITS_PER_ROUTE:
                    continue
                seen.add(link)
                offered.add(link)
                per_route[route] += 1
                queue.append(link)
                followed[_kind(link)] += 1
    assert failures == [], "\n".join(failures)
    # the queue's and the overdue list's next pages and the next filing in the queue were followed
    assert followed["/station/queue?cursor"] and followed["/bureau/overdue?cursor"] and followed["next filing"]


def _route(link: str) -> str:
    """The route a link stands for: its path without ids and its query's names (a cursor counts as a name)."""
    parts = urlsplit(link)
    return re.sub(r"\d+", "N", parts.path) + "?" + ",".join(sorted(k for k, _ in parse_qsl(parts.query)))


def _kind(link: str) -> str:
    parts = urlsplit(link)
    if "cursor=" in parts.query:
        return f"{parts.path}?cursor"
    return "next filing" if re.fullmatch(r"/station/contracts/\d+", parts.path) else parts.path


def test_every_api_read_and_list_of_every_role_answers_on_synthetic_data(demo):
    failures = []
    extra = [
        "/api/v1/contracts?limit=5",
        "/api/v1/tax/feed?limit=7",
        "/api/v1/tax/exports?from=2024-01-01&to=2024-12-31&format=csv",
        "/api/v1/tax/exports?from=2025-01-01&to=2025-12-31&format=xlsx",
        "/api/v1/tax/exports/manifest?from=2025-01-01&to=2025-12-31&format=json",
        "/api/v1/stats?year=2025&group_by=category,technical_field",
        "/api/v1/stats?year=2026&format=csv",
    ]
    for role in ROLES:
        client = demo["apis"][role]
        for url in [u for rule in _gets(API_MATRIX) for u in _urls(rule, demo)] + extra:
            response = client.get(url)
            if response.status_code >= 500:
                failures.append(f"{role} GET {url}: {response.status_code}")
            response.close()
        failures += _follow(client, role, "/api/v1/contracts?limit=5", "cursor")
        failures += _follow(client, role, "/api/v1/tax/feed?limit=40", "after")
    assert failures == []


def _follow(client, role: str, url: str, parameter: str, pages: int = 3) -> list[str]:
    """Follow a list's next_cursor a few pages on; the server errors met on the way."""
    failures = []
    for _ in range(pages):
        response = client.get(url)
        if response.status_code >= 500:
            failures.append(f"{role} GET {url}: {response.status_code}")
        if response.status_code != 200 or not response.json.get("next_cursor"):
            break
        url = f"{url.split('&')[0]}&{parameter}={response.json['next_cursor']}"
    return failures
