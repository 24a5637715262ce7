"""The API against its own OpenAPI document: schemathesis generates requests for every operation of
/api/v1/openapi.json (valid ones and ones that break the schema), sends each one with the bearer tokens of
four roles to the app in-process, and fails on a 5xx, an undocumented status, content type or body, and on
any 2xx answer to a request that breaks the schema."""

from __future__ import annotations

import io
import time
from datetime import timedelta

import pytest
import schemathesis
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from werkzeug.test import Client

from app import create_app
from app.demo.brokers import complete_resident_id
from app.domain.clock import today_local
from app.extensions import db
from app.routing import MAX_ID
from tests.conftest import fresh_application
from tests.factories import BUYER_CODE, MINIMAL_PDF, create_account, filing, iso

SEED = 20261130
# Generated cases per operation (valid and schema-breaking ones), each sent with every role's token; the coverage
# phase adds its deterministic boundary cases (limits, wrong types, missing parts), each sent with the role
# that can act on the operation.
EXAMPLES_PER_OPERATION = 12
ROLES = ("applicant", "reviewer", "bureau", "tax")
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    negative_data_rejection,
]
CONFIG = {
    "seed": SEED,
    "generation": {"max-examples": EXAMPLES_PER_OPERATION, "mode": "all", "database": "none"},
    "phases": {
        "examples": {"enabled": False},
        "coverage": {"enabled": True},
        "fuzzing": {"enabled": True},
        "stateful": {"enabled": False},
    },
}
REGISTER = {"category": "development", "subtype": "commissioned", "certified_technical_amount": "1080000.00"}
BROKER_ID = complete_resident_id("13040219850312051")
REAL_ID_BELOW = 1000  # a generated id under this stands for one of the existing records (others stay unknown)
REVIEW_ACTIONS = (
    "accept",
    "request-amendment",
    "refuse",
    "register",
    "approve",
    "change",
    "cancel",
    "revoke",
    "verify",
)
SENT: dict[tuple[str, str], int] = {}  # (operation, role) → requests sent


@pytest.fixture(scope="module")
def world(database, pki_dir, tmp_path_factory):
    """One application for the whole run, with a contract in each status and a token per role."""
    with fresh_application(database, tmp_path_factory.mktemp("conformance"), pki_dir) as app:
        with app.app_context():
            tokens = _tokens()
        records = _records(app, tokens)
        yield {"app": app, "tokens": tokens, **records}


def _tokens() -> dict[str, str]:
    from app.accounts.services import tokens
    from app.models import User

    accounts = {
        "applicant": create_account("applicant"),
        "reviewer": create_account("reviewer"),
        "bureau": create_account("bureau"),
        "tax": create_account("tax"),
        "buyer": create_account("applicant", credit_code=BUYER_CODE, org_name="买方公司"),
    }
    plain = {}
    for role, account in accounts.items():
        _, plain[role] = tokens.create_token(db.session.get(User, account.id), "conformance")
    db.session.commit()
    return plain


def _records(app, tokens: dict[str, str]) -> dict[str, list[int]]:
    """Contracts in every status of the workflow (each with an attachment), filed through the API."""
    client = app.test_client()

    def call(role: str, method: str, url: str, **kwargs):
        response = client.open(url, method=method, headers={"Authorization": f"Bearer {tokens[role]}"}, **kwargs)
        assert response.status_code < 300, (url, response.status_code, response.get_json())
        return response.get_json()

    contracts, attachments = [], []

    def contract(*actions: tuple[str, dict]) -> int:
        title = f"一致性测试合同{len(contracts) + 1}"  # distinct titles: not duplicates of each other
        contract_id = call("applicant", "POST", "/api/v1/contracts", json=filing(title=title))["id"]
        attachments.append(
            call(
                "applicant",
                "POST",
                f"/api/v1/contracts/{contract_id}/attachments",
                data={"kind": "contract_text", "file": (io.BytesIO(MINIMAL_PDF), "c.pdf")},
            )["id"]
        )
        for action, body in actions:
            role = "applicant" if action == "submit" else "reviewer"
            call(role, "POST", f"/api/v1/contracts/{contract_id}/{action}", json=body)
        contracts.append(contract_id)
        return contract_id

    submitted = ("submit", {})
    accepted = ("accept", {})
    contract()
    contract(submitted)
    contract(submitted, accepted)
    contract(submitted, accepted, ("request-amendment", {"reasons": ["补充材料"], "due_on": "2099-12-31"}))
    contract(submitted, accepted, ("register", REGISTER))
    registered = contract(submitted, accepted, ("register", REGISTER))
    change = {"kind": "change", "changes": {"valid_until": "2099-12-31"}, "reason": "一致性测试"}
    requests = [call("applicant", "POST", f"/api/v1/contracts/{registered}/requests", json=change)["id"]]
    brokers = [
        call("bureau", "POST", "/api/v1/brokers", json={"name": name, "id_number": BROKER_ID, "certificate_no": no})[
            "id"
        ]
        for name, no in (("一致性经纪人", "CONF-1"), ("一致性经理人", "CONF-2"))
    ]
    number = call("applicant", "GET", f"/api/v1/contracts/{registered}")["registration_number"]
    objection = {"registration_number": number, "reason": "一致性测试"}
    objections = [call("tax", "POST", "/api/v1/tax/objections", json=objection)["id"]]
    income = []  # a declared record and a verified one, of periods that do not overlap
    for start, end in ((20, 11), (10, 1)):
        period = {
            "period_from": iso(today_local() - timedelta(days=start)),
            "period_to": iso(today_local() - timedelta(days=end)),
        }
        body = {**period, "received": "900000.00", "costs": [{"kind": "labour", "amount": "100000.00"}]}
        income.append(call("applicant", "POST", f"/api/v1/contracts/{registered}/income-records", json=body)["id"])
    call("reviewer", "POST", f"/api/v1/income-records/{income[1]}/verify", json={"technical_income": "800000.00"})
    return {
        "contracts": contracts,
        "attachments": attachments,
        "requests": requests,
        "brokers": brokers,
        "objections": objections,
        "income": income,
    }


# The document is read once, at collection, from an app that needs no database (only its routes and schemas);
# the requests go to the module's `world` app, whose records the ids below REAL_ID_BELOW stand for.
schema = schemathesis.openapi.from_wsgi(
    "/api/v1/openapi.json",
    create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "TESTING": True, "SECRET_KEY": "test-secret"}),
    config=schemathesis.Config.from_dict(CONFIG),
)
POOLS: dict[str, list[int]] = {}


@schema.hook
def map_path_parameters(context, path_parameters):
    """An in-range id below REAL_ID_BELOW names an existing record; a case breaking the schema keeps its id."""
    for name, pool in POOLS.items():
        value = (path_parameters or {}).get(name)
        if type(value) is int and 1 <= value < REAL_ID_BELOW <= MAX_ID and pool:
            path_parameters[name] = pool[value % len(pool)]
    return path_parameters


def acting_role(case) -> str:
    """The role whose request gets past the permission checks of the operation (and so reaches its logic)."""
    path = case.operation.path
    if path.startswith("/api/v1/tax/"):
        return "tax"
    if path.startswith("/api/v1/objections/"):
        return "reviewer"
    bureau_paths = ("/api/v1/stats", "/api/v1/brokers", "/api/v1/reports", "/api/v1/imports")
    if path.startswith(bureau_paths) or path.endswith("/reassign"):
        return "bureau"
    if path.rsplit("/", 1)[-1] in REVIEW_ACTIONS:
        return "reviewer"
    return "applicant"


class BufferedClient(Client):
    """A WSGI client that reads each answer whole and closes it (a sent file is closed at once)."""

    def open(self, *args, **kwargs):
        kwargs["buffered"] = True
        return super().open(*args, **kwargs)


@pytest.fixture(scope="module")
def records(world):
    """The world, with the pools of real ids in place; prints the run's volume when the module ends."""
    POOLS.update(
        contract_id=world["contracts"],
        attachment_id=world["attachments"],
        request_id=world["requests"],
        objection_id=world["objections"],
        record_id=world["income"],
    )
    POOLS.update(broker_id=world["brokers"])
    started = time.monotonic()
    yield {**world, "client": BufferedClient(world["app"])}
    print(
        f"\nschemathesis: {len(SENT)} operation × role pairs, {sum(SENT.values())} requests "
        f"in {time.monotonic() - started:.1f} s"
    )


@schema.parametrize()
def test_every_operation_answers_as_documented(case, records):
    # the coverage phase's many boundary cases go to the role that can act on the operation; the generated
    # (fuzzing) cases to every role
    roles = ROLES if case.meta is None or case.meta.phase.name.value != "coverage" else (acting_role(case),)
    for role in roles:
        SENT[(case.operation.label, role)] = SENT.get((case.operation.label, role), 0) + 1
        case.call_and_validate(
            headers={"Authorization": f"Bearer {records['tokens'][role]}"},
            checks=CHECKS,
            app=records["app"],
            session=records["client"],
        )


def test_every_operation_was_sent_with_every_role(records):
    if not SENT:
        pytest.skip("runs after the schemathesis test of this module")
    document = records["app"].test_client().get("/api/v1/openapi.json").json
    operations = {
        f"{method.upper()} {path}"
        for path, item in document["paths"].items()
        for method in item
        if method != "parameters"
    }
    assert {(operation, role) for operation in operations for role in ROLES} <= set(SENT)
