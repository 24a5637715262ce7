"""Every endpoint × every role: the answer each one gets. A new endpoint fails here until it is added."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest

from app.demo.brokers import complete_resident_id
from app.domain.clock import today_local
from app.filing.services.batch_template import filled
from tests.factories import BUYER_CODE, MINIMAL_PDF, SELLER_CODE, filing, unique
from tests.subsidies.helpers import make_claim, programme_body

ROLES = ("anonymous", "owner", "other_applicant", "reviewer", "other_reviewer", "bureau", "tax")

# (method, rule, target) → expected status per role, in ROLES order.
# target: which contract the {contract_id} stands for: "draft" or "submitted" (both the owner's, station 130402).
API_MATRIX = {
    ("GET", "/api/v1/contracts", None): (401, 200, 200, 200, 200, 200, 403),
    ("POST", "/api/v1/contracts", None): (401, 201, 201, 403, 403, 403, 403),
    # batch filing: whoever files contracts (the posted workbook holds one good contract, filed as a draft)
    ("GET", "/api/v1/contracts/batch/template.xlsx", None): (401, 200, 200, 403, 403, 403, 403),
    ("POST", "/api/v1/contracts/batch", None): (401, 200, 200, 403, 403, 403, 403),
    ("GET", "/api/v1/contracts/<int:contract_id>", "submitted"): (401, 200, 404, 200, 404, 200, 404),
    ("GET", "/api/v1/contracts/<int:contract_id>", "draft"): (401, 200, 404, 404, 404, 200, 404),
    ("PATCH", "/api/v1/contracts/<int:contract_id>", "draft"): (401, 200, 404, 404, 404, 403, 404),
    ("PATCH", "/api/v1/contracts/<int:contract_id>", "submitted"): (401, 409, 404, 403, 404, 403, 404),
    # a draft is deleted by its organisation only; a submitted filing is withdrawn instead (409)
    ("DELETE", "/api/v1/contracts/<int:contract_id>", "draft"): (401, 204, 404, 404, 404, 403, 404),
    ("DELETE", "/api/v1/contracts/<int:contract_id>", "submitted"): (401, 409, 404, 403, 404, 403, 404),
    ("POST", "/api/v1/contracts/<int:contract_id>/submit", "draft"): (401, 200, 404, 404, 404, 403, 404),
    ("POST", "/api/v1/contracts/<int:contract_id>/withdraw", "submitted"): (401, 200, 404, 403, 404, 403, 404),
    ("POST", "/api/v1/contracts/<int:contract_id>/attachments", "draft"): (401, 201, 404, 404, 404, 403, 404),
    ("GET", "/api/v1/contracts/<int:contract_id>/attachments/<int:attachment_id>", "submitted"): (
        401,
        200,
        404,
        200,
        404,
        200,
        404,
    ),
    ("DELETE", "/api/v1/contracts/<int:contract_id>/attachments/<int:attachment_id>", "draft"): (
        401,
        204,
        404,
        404,
        404,
        403,
        404,
    ),
    ("POST", "/api/v1/contracts/<int:contract_id>/accept", "submitted"): (401, 403, 404, 200, 404, 403, 404),
    ("POST", "/api/v1/contracts/<int:contract_id>/request-amendment", "submitted"): (401, 403, 404, 200, 404, 403, 404),
    ("POST", "/api/v1/contracts/<int:contract_id>/refuse", "submitted"): (401, 403, 404, 200, 404, 403, 404),
    ("POST", "/api/v1/contracts/<int:contract_id>/register", "accepted"): (401, 403, 404, 200, 404, 403, 404),
    ("POST", "/api/v1/contracts/<int:contract_id>/approve", "accepted"): (401, 403, 404, 409, 404, 403, 404),
    ("POST", "/api/v1/contracts/<int:contract_id>/change", "registered"): (401, 403, 404, 200, 404, 403, 404),
    ("POST", "/api/v1/contracts/<int:contract_id>/cancel", "registered"): (401, 403, 404, 200, 404, 403, 404),
    ("POST", "/api/v1/contracts/<int:contract_id>/revoke", "registered"): (401, 403, 404, 200, 404, 403, 404),
    ("POST", "/api/v1/contracts/<int:contract_id>/reassign", "submitted"): (401, 403, 404, 403, 404, 200, 404),
    # requests after registration: the organisation asks, whoever sees the contract reads them, a reviewer of
    # its station decides ("request": a pending change request on the registered contract)
    ("GET", "/api/v1/contracts/<int:contract_id>/requests", "registered"): (401, 200, 404, 200, 404, 200, 404),
    ("POST", "/api/v1/contracts/<int:contract_id>/requests", "registered"): (401, 201, 404, 403, 404, 403, 404),
    ("POST", "/api/v1/requests/<int:request_id>/approve", "request"): (401, 403, 404, 200, 404, 403, 404),
    ("POST", "/api/v1/requests/<int:request_id>/refuse", "request"): (401, 403, 404, 200, 404, 403, 404),
    # technical income: the organisation declares and names researchers, whoever sees the contract reads, a reviewer
    # of its station verifies ("income": a declared record; nothing of it waits for a second approval: 409)
    ("GET", "/api/v1/contracts/<int:contract_id>/income-records", "registered"): (401, 200, 404, 200, 404, 200, 404),
    ("POST", "/api/v1/contracts/<int:contract_id>/income-records", "registered"): (401, 201, 404, 403, 404, 403, 404),
    ("POST", "/api/v1/income-records/<int:record_id>/verify", "income"): (401, 403, 404, 200, 404, 403, 404),
    ("POST", "/api/v1/income-records/<int:record_id>/approve", "income"): (401, 403, 404, 409, 404, 403, 404),
    ("GET", "/api/v1/income-records/<int:record_id>.pdf", "income_verified"): (401, 200, 404, 200, 404, 200, 404),
    ("GET", "/api/v1/contracts/<int:contract_id>/income-records/<int:record_id>.pdf", "income_verified"): (
        401,
        200,
        404,
        200,
        404,
        200,
        404,
    ),
    ("GET", "/api/v1/contracts/<int:contract_id>/researchers", "registered"): (401, 200, 404, 200, 404, 200, 404),
    ("PUT", "/api/v1/contracts/<int:contract_id>/researchers", "registered"): (401, 200, 404, 403, 404, 403, 404),
    # expert review: a reviewer of the station hands over; the bureau records the panel's opinion
    ("POST", "/api/v1/contracts/<int:contract_id>/expert-review", "accepted"): (401, 403, 404, 200, 404, 403, 404),
    ("POST", "/api/v1/contracts/<int:contract_id>/expert-opinion", "with_experts"): (
        401,
        403,
        404,
        403,
        404,
        200,
        404,
    ),
    # the other enterprise is the contract's buyer: a party, so it may download the certificate
    ("GET", "/api/v1/contracts/<int:contract_id>/certificate.pdf", "registered"): (401, 200, 200, 200, 404, 200, 404),
    ("GET", "/api/v1/contracts/<int:contract_id>/certificate.ofd", "registered"): (401, 200, 200, 200, 404, 200, 404),
    # the receipt of the accepted contract: whoever sees the contract (not the buyer's enterprise, not a party here)
    ("GET", "/api/v1/contracts/<int:contract_id>/documents", "accepted"): (401, 200, 404, 200, 404, 200, 404),
    ("GET", "/api/v1/contracts/<int:contract_id>/documents/<string:kind>/<int:change_id>.pdf", "accepted"): (
        401,
        200,
        404,
        200,
        404,
        200,
        404,
    ),
    ("GET", "/api/v1/verify/<string:number>", None): (200, 200, 200, 200, 200, 200, 200),
    ("POST", "/api/v1/verify", None): (415, 415, 415, 415, 415, 415, 415),  # a JSON body, not multipart
    ("GET", "/api/v1/tax/feed", None): (401, 403, 403, 403, 403, 403, 200),  # tax of the owner's area 130402
    # tax officers only; without a period the officer's request is a 422
    ("GET", "/api/v1/tax/exports", None): (401, 403, 403, 403, 403, 403, 422),
    ("GET", "/api/v1/tax/exports/manifest", None): (401, 403, 403, 403, 403, 403, 422),
    # the tax office answering back: an officer records claims and objects on registrations of its areas (the
    # owner's, 130402); the bureau reads all; a station reads and answers objections to its registrations
    ("GET", "/api/v1/tax/claims", None): (401, 403, 403, 403, 403, 200, 200),
    ("POST", "/api/v1/tax/claims", "registration"): (401, 403, 403, 403, 403, 403, 201),
    ("GET", "/api/v1/tax/objections", None): (401, 403, 403, 200, 200, 200, 200),
    ("POST", "/api/v1/tax/objections", "registration"): (401, 403, 403, 403, 403, 403, 201),
    ("GET", "/api/v1/objections/<int:objection_id>", "objection"): (401, 200, 404, 200, 404, 200, 200),
    ("POST", "/api/v1/objections/<int:objection_id>/answer", "objection"): (401, 403, 404, 200, 404, 403, 404),
    # the bureau sees the city, a reviewer their own station; applicants and tax officers have no statistics
    ("GET", "/api/v1/stats", None): (401, 403, 403, 200, 200, 200, 403),
    ("GET", "/api/v1/assessment", None): (401, 403, 403, 403, 403, 200, 403),
    # the reports upward: the bureau only (the national tables want a year: 422 without one)
    ("GET", "/api/v1/reports/annual", None): (401, 403, 403, 403, 403, 422, 403),
    ("POST", "/api/v1/reports/annual/<int:year>/freeze", None): (401, 403, 403, 403, 403, 201, 403),
    ("GET", "/api/v1/reports/upload", None): (401, 403, 403, 403, 403, 200, 403),
    # the message centre: every account has one; a message is its recipient's alone (others get a 404)
    ("GET", "/api/v1/messages", None): (401, 200, 200, 200, 200, 200, 200),
    ("POST", "/api/v1/messages/<int:message_id>/read", "message"): (401, 200, 404, 404, 404, 404, 404),
    # organisation members: an admin of a confirmed organisation manages its own; another organisation's member is
    # a 404 ("member" is a filer of the owner's organisation)
    ("GET", "/api/v1/organisation/members", None): (401, 200, 200, 403, 403, 403, 403),
    ("POST", "/api/v1/organisation/members", None): (401, 201, 201, 403, 403, 403, 403),
    ("PATCH", "/api/v1/organisation/members/<int:member_id>", "member"): (401, 200, 404, 403, 403, 403, 403),
    ("DELETE", "/api/v1/organisation/members/<int:member_id>", "member"): (401, 204, 404, 403, 403, 403, 403),
    # technology brokers: anyone signed in lists the active ones (to name them on a filing); the bureau manages them
    ("GET", "/api/v1/brokers", None): (401, 200, 200, 200, 200, 200, 200),
    ("POST", "/api/v1/brokers", None): (401, 403, 403, 403, 403, 201, 403),
    ("GET", "/api/v1/brokers/<int:broker_id>", "broker"): (401, 403, 403, 403, 403, 200, 403),
    ("PATCH", "/api/v1/brokers/<int:broker_id>", "broker"): (401, 403, 403, 403, 403, 200, 403),
    # subsidies: the bureau defines programmes and decides; enterprises read the open programmes and claim (the
    # other enterprise is the buyer of the registered contract: it may claim a buyer programme, the seller not);
    # "subsidy_claim" is a pending claim, "approved_claim" one approved by another bureau account (four eyes)
    ("GET", "/api/v1/subsidy-programmes", None): (401, 200, 200, 403, 403, 200, 403),
    ("POST", "/api/v1/subsidy-programmes", None): (401, 403, 403, 403, 403, 201, 403),
    ("GET", "/api/v1/subsidy-programmes/qualifying", None): (401, 200, 200, 403, 403, 403, 403),
    ("GET", "/api/v1/subsidy-claims", None): (401, 200, 200, 403, 403, 200, 403),
    ("POST", "/api/v1/subsidy-claims", "subsidy"): (401, 403, 201, 403, 403, 403, 403),
    ("POST", "/api/v1/subsidy-claims/external", None): (401, 415, 415, 415, 415, 415, 415),  # multipart, not JSON
    ("POST", "/api/v1/subsidy-claims/<int:claim_id>/approve", "subsidy_claim"): (401, 403, 403, 403, 403, 200, 403),
    ("POST", "/api/v1/subsidy-claims/<int:claim_id>/reject", "subsidy_claim"): (401, 403, 403, 403, 403, 200, 403),
    ("POST", "/api/v1/subsidy-claims/<int:claim_id>/pay", "approved_claim"): (401, 403, 403, 403, 403, 200, 403),
    ("POST", "/api/v1/subsidy-claims/<int:claim_id>/clear-flag", "subsidy_claim"): (
        401,
        403,
        403,
        403,
        403,
        409,
        403,
    ),
    ("GET", "/api/v1/subsidy-payments", None): (401, 403, 403, 403, 403, 200, 403),
    ("GET", "/api/v1/subsidy-payments/manifest", None): (401, 403, 403, 403, 403, 200, 403),
    # absorption: the bureau imports other registries' registrations (a one-row CSV) and reads the figures
    ("POST", "/api/v1/imports/registrations", None): (401, 403, 403, 403, 403, 201, 403),
    ("GET", "/api/v1/imports/batches", None): (401, 403, 403, 403, 403, 200, 403),
    ("GET", "/api/v1/imports/absorption", None): (401, 403, 403, 403, 403, 200, 403),
    ("GET", "/api/v1/openapi.json", None): (200, 200, 200, 200, 200, 200, 200),
    # probes for the process manager and the load balancer: public, and free of anything secret
    ("GET", "/healthz", None): (200, 200, 200, 200, 200, 200, 200),
    ("GET", "/readyz", None): (200, 200, 200, 200, 200, 200, 200),
    ("GET", "/api/v1/docs", None): (200, 200, 200, 200, 200, 200, 200),
    ("GET", "/api/v1/docs/assets/<path:filename>", None): (200, 200, 200, 200, 200, 200, 200),
}

IGNORED_ENDPOINTS = ("static", "bootstrap.static")


@pytest.fixture
def world(app, role_accounts, api_as, make_account):
    """The owner's draft and submitted contract (each with an attachment), and a client per role."""
    accounts = role_accounts
    clients = {role: api_as(account) for role, account in accounts.items()}
    clients["anonymous"] = None
    owner_api = clients["owner"]

    def contract(title: str, submit: bool) -> dict:
        created = owner_api.post("/api/v1/contracts", json=filing(title=title)).json
        attachment = owner_api.post(
            f"/api/v1/contracts/{created['id']}/attachments",
            data={"kind": "contract_text", "file": (io.BytesIO(MINIMAL_PDF), "c.pdf")},
        ).json
        if submit:
            assert owner_api.post(f"/api/v1/contracts/{created['id']}/submit", json={}).status_code == 200
        return {"contract_id": created["id"], "attachment_id": attachment["id"]}

    reviewer = clients["reviewer"]

    def accepted() -> dict:
        made = contract("已受理合同", True)
        assert reviewer.post(f"/api/v1/contracts/{made['contract_id']}/accept", json={}).status_code == 200
        documents = owner_api.get(f"/api/v1/contracts/{made['contract_id']}/documents").json["items"]
        return {**made, "change_id": next(d["change_id"] for d in documents if d["kind"] == "receipt")}

    def registered() -> dict:
        made = contract("已登记合同", True)
        reviewer.post(f"/api/v1/contracts/{made['contract_id']}/accept", json={})
        assert reviewer.post(f"/api/v1/contracts/{made['contract_id']}/register", json=REGISTER).status_code == 200
        return made

    def with_experts() -> dict:
        made = contract("专家评审合同", True)
        reviewer.post(f"/api/v1/contracts/{made['contract_id']}/accept", json={})
        sent = reviewer.post(f"/api/v1/contracts/{made['contract_id']}/expert-review", json={"reason": "争议"})
        assert sent.status_code == 200
        return made

    def message() -> dict:
        built["accepted"]  # the owner is told of the acceptance
        return {"message_id": owner_api.get("/api/v1/messages").json["items"][0]["id"]}

    def pending_request() -> dict:
        asked = contract("申请变更合同", True)
        url = f"/api/v1/contracts/{asked['contract_id']}"
        reviewer.post(f"{url}/accept", json={})
        assert reviewer.post(f"{url}/register", json=REGISTER).status_code == 200
        body = {"kind": "change", "changes": {"valid_until": "2099-12-31"}, "reason": "矩阵测试"}
        return {"request_id": owner_api.post(f"{url}/requests", json=body).json["id"]}

    def number() -> str:
        return owner_api.get(f"/api/v1/contracts/{built['registered']['contract_id']}").json["registration_number"]

    def registration() -> dict:
        return {
            "bodies": {
                "claims": {"registration_number": number(), **TAX_CLAIM},
                "objections": {"registration_number": number(), "reason": "矩阵测试"},
            }
        }

    def open_objection() -> dict:
        body = {"registration_number": number(), "reason": "矩阵测试"}
        return {"objection_id": clients["tax"].post("/api/v1/tax/objections", json=body).json["id"]}

    bureau_id = accounts["bureau"].id

    def subsidy() -> dict:
        body = programme_body()
        programme = clients["bureau"].post("/api/v1/subsidy-programmes", json=body).json["id"]
        return {"json": {"programme": programme, "registration_number": number()}}

    def approved_claim() -> dict:
        return make_claim(app, bureau_id, status="approved", decided_by_id=make_account("bureau").id)

    def income(verified: bool = False) -> dict:
        contract_id = built["registered"]["contract_id"]
        record = owner_api.post(
            f"/api/v1/contracts/{contract_id}/income-records", json=ACTION_BODIES["income-records"]
        ).json
        if verified:
            verify = f"/api/v1/income-records/{record['id']}/verify"
            assert reviewer.post(verify, json=ACTION_BODIES["verify"]).status_code == 200
        return {"contract_id": contract_id, "record_id": record["id"]}

    built = Targets(
        {
            "registration": registration,
            "objection": open_objection,
            "subsidy": subsidy,
            "subsidy_claim": lambda: make_claim(app, bureau_id),
            "approved_claim": approved_claim,
            "request": pending_request,
            "income": income,
            "income_verified": lambda: income(verified=True),
            "clients": lambda: clients,
            "message": message,
            "draft": lambda: contract("草稿合同", False),
            "submitted": lambda: contract("已提交合同", True),
            "accepted": accepted,
            "registered": registered,
            "with_experts": with_experts,
            "member": lambda: {
                "member_id": owner_api.post("/api/v1/organisation/members", json=_invitation()).json["id"]
            },
            "broker": lambda: {"broker_id": clients["bureau"].post("/api/v1/brokers", json=_broker()).json["id"]},
        }
    )
    return built


class Targets(dict):
    """The world's targets, each built when a test first asks for it: a test builds only what it addresses."""

    def __init__(self, makers: dict):
        super().__init__()
        self._makers = makers

    def __missing__(self, key):
        self[key] = value = self._makers[key]()
        return value


def _broker() -> dict:
    """A broker to register: a new certificate each time."""
    return {
        "name": "矩阵经纪人",
        "id_number": complete_resident_id("13040219850312051"),
        "certificate_no": unique("M-"),
    }


def _invitation() -> dict:
    return {"email": f"{unique('member')}@example.cn", "name": "矩阵成员", "role": "filer"}


REGISTER = {"category": "development", "subtype": "commissioned", "certified_technical_amount": "1080000.00"}
# a claim the tax officer may record on the owner's registration: the buyer's R&D super deduction this year
TAX_CLAIM = {"preference": "rd_super_deduction", "tax_year": today_local().year, "claimant_credit_code": BUYER_CODE}
ACTION_BODIES = {
    "request-amendment": {"reasons": ["补充材料"], "due_on": "2099-12-31"},
    "refuse": {"grounds": ["other"], "note": "矩阵测试"},
    "register": REGISTER,
    "change": {"title": "变更后的名称", "reason": "矩阵测试"},
    "cancel": {"reason": "矩阵测试"},
    "revoke": {"reason": "矩阵测试"},
    "reassign": {"station": "130403", "reason": "矩阵测试"},
    "requests": {"kind": "cancel", "reason": "矩阵测试"},
    "expert-review": {"reason": "矩阵测试"},
    "expert-opinion": {"outcome": "supports", "opinion": "矩阵测试"},
    "reject": {"reason": "矩阵测试"},
    "clear-flag": {"note": "矩阵测试"},
    "subsidy-programmes": programme_body(),
    "income-records": {
        "period_from": (today_local() - timedelta(days=20)).isoformat(),
        "period_to": (today_local() - timedelta(days=10)).isoformat(),
        "received": "900000.00",
        "costs": [{"kind": "labour", "amount": "100000.00"}],
    },
    "verify": {"technical_income": "800000.00"},
    "researchers": {"researchers": [{"name": "矩阵研究员", "id_number": "110101199003074514"}]},
}


# one registration of Beijing with a Handan buyer, in the export's layout (keys only)
IMPORT_CSV = (
    "registration_number,status,registered_on,category,subtype,seller_name,seller_credit_code,seller_area,"
    "buyer_name,buyer_credit_code,buyer_area,amount,certified_technical_amount\r\n"
    f"2026110108009999,registered,{today_local().isoformat()},development,commissioned,北京某研究院,"
    f"{SELLER_CODE},110108,邯郸某公司,{BUYER_CODE},130402,100000.00,90000.00\r\n"
).encode()


def _request(app, client, method: str, url: str, body: dict | None = None):
    kwargs = {}
    action = url.rsplit("/", 1)[-1]
    if method in ("POST", "PATCH", "PUT"):
        if body is not None:
            kwargs["json"] = body
        elif "/objections/" in url:  # the station's answer
            kwargs["json"] = {"outcome": "upheld", "note": "矩阵测试"}
        elif "/organisation/members" in url:
            kwargs["json"] = {"role": "admin"} if action.isdigit() else _invitation()
        elif "/api/v1/requests/" in url:  # the station's decision on a request: a note
            kwargs["json"] = {"note": "矩阵测试"}
        elif "/api/v1/brokers" in url:
            kwargs["json"] = _broker() if action == "brokers" else {"status": "suspended", "note": "矩阵测试"}
        elif action == "batch":
            kwargs["data"] = {"file": (io.BytesIO(filled([filing(title="矩阵批量")])), "batch.xlsx")}
        elif "/imports/registrations" in url:
            kwargs["data"] = {"source": "beijing", "file": (io.BytesIO(IMPORT_CSV), "beijing.csv")}
        elif action == "attachments":
            kwargs["data"] = {"kind": "other", "file": (io.BytesIO(MINIMAL_PDF), "x.pdf")}
        elif action == "contracts":
            kwargs["json"] = filing(title="矩阵测试")
        elif action.isdigit():
            kwargs["json"] = {"title": "改名"}
        else:
            kwargs["json"] = ACTION_BODIES.get(action, {})
    if client is None:
        return getattr(app.test_client(), method.lower())(url, **kwargs)
    return getattr(client, method.lower())(url, **kwargs)


@pytest.mark.parametrize("key", list(API_MATRIX), ids=lambda k: f"{k[0]} {k[1]} {k[2] or ''}".strip())
def test_api_access(app, world, key):
    method, rule, target = key
    ids = (world[target]() if callable(world[target]) else world[target]) if target else {}
    url = (
        rule.replace("<int:contract_id>", str(ids.get("contract_id")))
        .replace("<int:attachment_id>", str(ids.get("attachment_id")))
        .replace("<int:message_id>", str(ids.get("message_id")))
        .replace("<int:member_id>", str(ids.get("member_id")))
        .replace("<int:request_id>", str(ids.get("request_id")))
        .replace("<int:broker_id>", str(ids.get("broker_id")))
        .replace("<int:objection_id>", str(ids.get("objection_id")))
        .replace("<int:claim_id>", str(ids.get("claim_id")))
        .replace("<int:record_id>", str(ids.get("record_id")))
        .replace("<path:filename>", "swagger-ui.css")
        .replace("<string:kind>", "receipt")
        .replace("<int:change_id>", str(ids.get("change_id")))
        .replace("<string:number>", "1304022026999999")
        .replace("<int:year>", "2025")
    )
    answers = {}
    for role in sorted(ROLES, key=lambda r: r == "owner"):  # the owner last: its success changes the state
        body = ids.get("bodies", {}).get(url.rsplit("/", 1)[-1], ids.get("json"))
        response = _request(app, world["clients"][role], method, url, body)
        answers[role] = response.status_code
        response.close()
    assert answers == dict(zip(ROLES, API_MATRIX[key]))


def test_every_endpoint_is_in_the_matrix(app):
    covered = {(method, rule) for method, rule, _ in API_MATRIX}
    try:
        from tests.web.test_page_access import PAGE_MATRIX

        covered |= {(method, rule) for method, rule, _ in PAGE_MATRIX}
    except ImportError:
        pass
    missing = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint in IGNORED_ENDPOINTS:
            continue
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            if (method, rule.rule) not in covered:
                missing.append(f"{method} {rule.rule}")
    assert missing == []
