"""Every page endpoint × every role: the status each one gets. A new page fails here until it is added."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest

from app.demo.brokers import complete_resident_id
from app.demo.seed import complete_credit_code
from app.domain.clock import today_local
from app.filing.services.batch_template import filled
from app.models import User
from tests.factories import BUYER_CODE, MINIMAL_PDF, csrf_from, filing, sign_up_claimant, unique
from tests.subsidies.helpers import make_claim
from tests.web.webtools import form_fields

ROLES = ("anonymous", "owner", "other_applicant", "reviewer", "other_reviewer", "bureau", "tax")
SIGNED_OUT = 302  # to the log-in page

# (method, rule, target) → expected status per role, in ROLES order. target: which object the ids stand for.
PAGE_MATRIX = {
    ("GET", "/", None): (200, 200, 200, 200, 200, 200, 200),
    ("GET", "/signup", None): (200, 200, 200, 200, 200, 200, 200),
    ("POST", "/signup", None): (422, 422, 422, 422, 422, 422, 422),  # an empty form
    ("GET", "/signup/sent", None): (200, 200, 200, 200, 200, 200, 200),
    ("GET", "/activate/<token>", "activation"): (404, 404, 404, 404, 404, 404, 404),  # an unknown token
    ("POST", "/activate/<token>", "activation"): (404, 404, 404, 404, 404, 404, 404),
    ("GET", "/login", None): (200, 200, 200, 200, 200, 200, 200),
    ("POST", "/login", None): (200, 200, 200, 200, 200, 200, 200),  # a wrong password
    ("POST", "/logout", None): (302, 302, 302, 302, 302, 302, 302),
    ("GET", "/password/forgot", None): (200, 200, 200, 200, 200, 200, 200),
    ("POST", "/password/forgot", None): (200, 200, 200, 200, 200, 200, 200),  # the same answer for any address
    ("GET", "/password/reset/<token>", "activation"): (404, 404, 404, 404, 404, 404, 404),  # an unknown token
    ("POST", "/password/reset/<token>", "activation"): (404, 404, 404, 404, 404, 404, 404),
    ("GET", "/account/password", None): (SIGNED_OUT, 200, 200, 200, 200, 200, 200),
    ("POST", "/account/password", None): (SIGNED_OUT, 422, 422, 422, 422, 422, 422),  # a wrong current password
    ("GET", "/account/tokens", None): (SIGNED_OUT, 200, 200, 200, 200, 200, 200),
    ("POST", "/account/tokens", None): (SIGNED_OUT, 200, 200, 200, 200, 200, 200),
    ("POST", "/account/tokens/<int:token_id>/revoke", "token"): (SIGNED_OUT, 302, 404, 404, 404, 404, 404),
    ("GET", "/contracts", None): (SIGNED_OUT, 200, 200, 200, 200, 200, 200),
    ("GET", "/contracts/new", None): (SIGNED_OUT, 200, 200, 403, 403, 403, 403),
    ("POST", "/contracts/new", None): (SIGNED_OUT, 302, 302, 403, 403, 403, 403),
    ("GET", "/contracts/batch", None): (SIGNED_OUT, 200, 200, 403, 403, 403, 403),
    ("POST", "/contracts/batch", None): (SIGNED_OUT, 200, 200, 403, 403, 403, 403),
    ("GET", "/contracts/batch/template.xlsx", None): (SIGNED_OUT, 200, 200, 403, 403, 403, 403),
    ("GET", "/contracts/<int:contract_id>", "draft"): (SIGNED_OUT, 200, 404, 404, 404, 200, 404),
    ("GET", "/contracts/<int:contract_id>", "submitted"): (SIGNED_OUT, 200, 404, 200, 404, 200, 404),
    ("GET", "/contracts/<int:contract_id>/documents/<string:kind>/<int:change_id>.pdf", "receipt"): (
        SIGNED_OUT,
        200,
        404,
        200,
        404,
        200,
        404,
    ),
    ("GET", "/contracts/<int:contract_id>/edit", "draft"): (SIGNED_OUT, 200, 404, 403, 403, 403, 403),
    ("GET", "/contracts/<int:contract_id>/edit", "submitted"): (SIGNED_OUT, 409, 404, 403, 403, 403, 403),
    ("POST", "/contracts/<int:contract_id>/edit", "draft"): (SIGNED_OUT, 302, 404, 403, 403, 403, 403),
    ("POST", "/contracts/<int:contract_id>/attachments", "draft"): (SIGNED_OUT, 302, 404, 403, 403, 403, 403),
    ("POST", "/contracts/<int:contract_id>/attachments/<int:attachment_id>/delete", "draft"): (
        SIGNED_OUT,
        302,
        404,
        403,
        403,
        403,
        403,
    ),
    ("POST", "/contracts/<int:contract_id>/submit", "draft"): (SIGNED_OUT, 302, 404, 403, 403, 403, 403),
    ("POST", "/contracts/<int:contract_id>/withdraw", "submitted"): (SIGNED_OUT, 302, 404, 403, 403, 403, 403),
    ("POST", "/contracts/<int:contract_id>/delete", "draft"): (SIGNED_OUT, 302, 404, 403, 403, 403, 403),
    # the station's pages: reviewers of the responsible station decide; the bureau reads and reassigns
    ("GET", "/station/queue", None): (SIGNED_OUT, 403, 403, 200, 200, 403, 403),
    ("GET", "/station/contracts/<int:contract_id>", "submitted"): (SIGNED_OUT, 403, 404, 200, 404, 200, 404),
    ("GET", "/station/contracts/<int:contract_id>", "draft"): (SIGNED_OUT, 403, 404, 404, 404, 200, 404),
    ("POST", "/station/contracts/<int:contract_id>/accept", "submitted"): (SIGNED_OUT, 403, 404, 302, 404, 403, 404),
    ("POST", "/station/contracts/<int:contract_id>/request-amendment", "submitted"): (
        SIGNED_OUT,
        403,
        404,
        302,
        404,
        403,
        404,
    ),
    ("POST", "/station/contracts/<int:contract_id>/refuse", "submitted"): (SIGNED_OUT, 403, 404, 302, 404, 403, 404),
    ("POST", "/station/contracts/<int:contract_id>/register", "accepted"): (SIGNED_OUT, 403, 404, 302, 404, 403, 404),
    ("POST", "/station/contracts/<int:contract_id>/approve", "accepted"):  # nothing is waiting for approval
    (SIGNED_OUT, 403, 404, 409, 404, 403, 404),
    ("POST", "/station/contracts/<int:contract_id>/change", "registered"): (SIGNED_OUT, 403, 404, 302, 404, 403, 404),
    ("POST", "/station/contracts/<int:contract_id>/cancel", "registered"): (SIGNED_OUT, 403, 404, 302, 404, 403, 404),
    # requests after registration: the organisation asks, a reviewer of the station decides
    ("POST", "/contracts/<int:contract_id>/requests", "registered"): (SIGNED_OUT, 302, 404, 403, 403, 403, 403),
    ("POST", "/station/contracts/<int:contract_id>/requests/<int:request_id>/approve", "request"): (
        SIGNED_OUT,
        403,
        404,
        302,
        404,
        403,
        404,
    ),
    ("POST", "/station/contracts/<int:contract_id>/requests/<int:request_id>/refuse", "request"): (
        SIGNED_OUT,
        403,
        404,
        302,
        404,
        403,
        404,
    ),
    ("POST", "/station/contracts/<int:contract_id>/revoke", "registered"): (SIGNED_OUT, 403, 404, 302, 404, 403, 404),
    ("POST", "/bureau/contracts/<int:contract_id>/reassign", "submitted"): (SIGNED_OUT, 403, 404, 403, 404, 302, 404),
    # expert review: the station hands over, the bureau records the panel's opinion, both read its PDF
    ("POST", "/station/contracts/<int:contract_id>/expert-review", "accepted"): (
        SIGNED_OUT,
        403,
        404,
        302,
        404,
        403,
        404,
    ),
    ("GET", "/bureau/expert-review", None): (SIGNED_OUT, 403, 403, 403, 403, 200, 403),
    ("POST", "/bureau/contracts/<int:contract_id>/expert-opinion", "with_experts"): (
        SIGNED_OUT,
        403,
        403,
        403,
        403,
        302,
        403,
    ),
    ("GET", "/station/contracts/<int:contract_id>/history/<int:change_id>/opinion.pdf", "opinion"): (
        SIGNED_OUT,
        403,
        404,
        200,
        404,
        200,
        404,
    ),
    ("GET", "/bureau/stations", None): (SIGNED_OUT, 403, 403, 403, 403, 200, 403),
    ("POST", "/bureau/stations", None): (SIGNED_OUT, 403, 403, 403, 403, 302, 403),
    ("GET", "/bureau/stations/<code>", "station"): (SIGNED_OUT, 403, 403, 403, 403, 200, 403),
    ("POST", "/bureau/stations/<code>", "station"): (SIGNED_OUT, 403, 403, 403, 403, 302, 403),
    ("POST", "/bureau/stations/<code>/active", "station"): (SIGNED_OUT, 403, 403, 403, 403, 302, 403),
    ("POST", "/bureau/stations/<code>/reviewers", "station"): (SIGNED_OUT, 403, 403, 403, 403, 302, 403),
    ("POST", "/bureau/stations/<code>/reviewers/<int:user_id>/active", "station_reviewer"): (
        SIGNED_OUT,
        403,
        403,
        403,
        403,
        302,
        403,
    ),
    ("POST", "/bureau/stations/<code>/commitment", "station"): (SIGNED_OUT, 403, 403, 403, 403, 302, 403),
    ("POST", "/bureau/stations/<code>/institutions", "station"): (SIGNED_OUT, 403, 403, 403, 403, 302, 403),
    ("POST", "/bureau/stations/<code>/institutions/<int:institution_id>/remove", "station_institution"): (
        SIGNED_OUT,
        403,
        403,
        403,
        403,
        302,
        403,
    ),
    ("GET", "/bureau/overdue", None): (SIGNED_OUT, 403, 403, 403, 403, 200, 403),
    # technology brokers: the bureau's registry, a broker's page and the change of their standing
    ("GET", "/bureau/brokers", None): (SIGNED_OUT, 403, 403, 403, 403, 200, 403),
    ("POST", "/bureau/brokers", None): (SIGNED_OUT, 403, 403, 403, 403, 302, 403),
    ("GET", "/bureau/brokers/<int:broker_id>", "broker"): (SIGNED_OUT, 403, 403, 403, 403, 200, 403),
    ("POST", "/bureau/brokers/<int:broker_id>/status", "broker"): (SIGNED_OUT, 403, 403, 403, 403, 302, 403),
    ("GET", "/verify/<string:number>", "number"): (200, 200, 200, 200, 200, 200, 200),
    ("GET", "/verify", None): (200, 200, 200, 200, 200, 200, 200),
    ("POST", "/verify", None): (422, 422, 422, 422, 422, 422, 422),  # no file attached
    ("GET", "/.well-known/tcr/root-ca.pem", None): (200, 200, 200, 200, 200, 200, 200),
    ("GET", "/.well-known/tcr/root-sm2.pem", None): (200, 200, 200, 200, 200, 200, 200),
    # the public pages: the service guide, the FAQ, the tax officers' help, the icon, verification by number
    ("GET", "/favicon.ico", None): (301, 301, 301, 301, 301, 301, 301),
    ("GET", "/guide", None): (200, 200, 200, 200, 200, 200, 200),
    ("GET", "/guide/<string:category>", "category"): (200, 200, 200, 200, 200, 200, 200),
    ("GET", "/faq", None): (200, 200, 200, 200, 200, 200, 200),
    ("GET", "/help/tax", None): (200, 200, 200, 200, 200, 200, 200),
    ("GET", "/verify/by-number", None): (400, 400, 400, 400, 400, 400, 400),  # nothing typed: the form again
    ("GET", "/tax", None): (SIGNED_OUT, 403, 403, 403, 403, 403, 200),
    ("GET", "/tax/lookup", None): (SIGNED_OUT, 403, 403, 403, 403, 403, 404),  # no number: nothing to show
    ("GET", "/tax/export", None): (SIGNED_OUT, 403, 403, 403, 403, 403, 200),  # the year so far
    ("GET", "/tax/manifest", None): (SIGNED_OUT, 403, 403, 403, 403, 403, 200),
    ("GET", "/tax/manifest.json", None): (SIGNED_OUT, 403, 403, 403, 403, 403, 200),
    # the tax office answering back: the officer records claims and objects (on a registration of its area), lists
    # its own; the station answers its objections; the bureau reads the preferences used
    ("POST", "/tax/claims", "registration"): (SIGNED_OUT, 403, 403, 403, 403, 403, 302),
    ("POST", "/tax/objections", "registration"): (SIGNED_OUT, 403, 403, 403, 403, 403, 302),
    ("GET", "/tax/answers", None): (SIGNED_OUT, 403, 403, 403, 403, 403, 200),
    ("GET", "/station/objections", None): (SIGNED_OUT, 403, 403, 200, 200, 403, 403),
    ("GET", "/station/objections/<int:objection_id>", "objection"): (SIGNED_OUT, 403, 403, 200, 404, 403, 403),
    ("POST", "/station/objections/<int:objection_id>/answer", "objection"): (SIGNED_OUT, 403, 403, 302, 404, 403, 403),
    ("GET", "/bureau/tax-preferences", None): (SIGNED_OUT, 403, 403, 403, 403, 200, 403),
    # statistics: the bureau's city (and any station), a reviewer's own station; goals and supervision: the bureau
    ("GET", "/stats", None): (SIGNED_OUT, 403, 403, 200, 200, 200, 403),
    ("GET", "/stats/download", None): (SIGNED_OUT, 403, 403, 200, 200, 200, 403),
    ("GET", "/stats/annual", None): (SIGNED_OUT, 403, 403, 200, 200, 200, 403),
    ("GET", "/stats/annual.pdf", None): (SIGNED_OUT, 403, 403, 200, 200, 200, 403),
    ("GET", "/stats/goals", None): (SIGNED_OUT, 403, 403, 403, 403, 200, 403),
    ("POST", "/stats/goals", None): (SIGNED_OUT, 403, 403, 403, 403, 302, 403),
    ("POST", "/stats/goals/<int:goal_id>/delete", "goal"): (SIGNED_OUT, 403, 403, 403, 403, 302, 403),
    ("GET", "/stats/supervision", None): (SIGNED_OUT, 403, 403, 403, 403, 200, 403),
    # the county assessment, its targets and its PDF report: the bureau
    ("GET", "/bureau/assessment", None): (SIGNED_OUT, 403, 403, 403, 403, 200, 403),
    ("GET", "/bureau/assessment/report.pdf", None): (SIGNED_OUT, 403, 403, 403, 403, 200, 403),
    ("GET", "/bureau/assessment/targets", None): (SIGNED_OUT, 403, 403, 403, 403, 200, 403),
    ("POST", "/bureau/assessment/targets", None): (SIGNED_OUT, 403, 403, 403, 403, 302, 403),
    # organisation claims: an applicant's own (the owner's was made by an administrator: confirmed, nothing to
    # upload); a new applicant's pending claim in 130402 for the station serving it and the bureau
    ("GET", "/account/claim", None): (SIGNED_OUT, 200, 200, 403, 403, 403, 403),
    ("POST", "/account/claim/licence", None): (SIGNED_OUT, 409, 409, 403, 403, 403, 403),
    ("GET", "/claims", None): (SIGNED_OUT, 403, 403, 200, 200, 200, 403),
    ("GET", "/claims/<int:claim_id>", "claim"): (SIGNED_OUT, 403, 403, 200, 404, 200, 403),
    ("POST", "/claims/<int:claim_id>/decide", "claim"): (SIGNED_OUT, 403, 403, 302, 404, 302, 403),
    ("GET", "/claims/<int:claim_id>/licence", "claim"): (SIGNED_OUT, 404, 404, 200, 404, 200, 404),
    # the message centre: everyone signed in has one; a message opens for its recipient only
    ("GET", "/messages", None): (SIGNED_OUT, 200, 200, 200, 200, 200, 200),
    ("GET", "/messages/<int:message_id>", "message"): (SIGNED_OUT, 200, 404, 404, 404, 404, 404),
    ("POST", "/messages/read-all", None): (SIGNED_OUT, 302, 302, 302, 302, 302, 302),
    # organisation members: the admins of a confirmed organisation; another organisation's member is a 404
    ("GET", "/organisation/members", None): (SIGNED_OUT, 200, 200, 403, 403, 403, 403),
    ("POST", "/organisation/members", None): (SIGNED_OUT, 302, 302, 403, 403, 403, 403),
    ("POST", "/organisation/members/<int:member_id>/role", "member"): (SIGNED_OUT, 302, 404, 403, 403, 403, 403),
    ("POST", "/organisation/members/<int:member_id>/remove", "member"): (SIGNED_OUT, 302, 404, 403, 403, 403, 403),
    # subsidies: enterprises claim (an empty form: back to the list, or the form again), the bureau defines and
    # decides ("subsidy_claim": a pending claim on a local registration, so it has no certificate file: 404)
    ("GET", "/subsidies", None): (SIGNED_OUT, 200, 200, 403, 403, 403, 403),
    ("POST", "/subsidies/claim", None): (SIGNED_OUT, 302, 302, 403, 403, 403, 403),
    ("GET", "/subsidies/external", None): (SIGNED_OUT, 200, 200, 403, 403, 403, 403),
    ("POST", "/subsidies/external", None): (SIGNED_OUT, 422, 422, 403, 403, 403, 403),
    ("GET", "/bureau/subsidies/programmes", None): (SIGNED_OUT, 403, 403, 403, 403, 200, 403),
    ("POST", "/bureau/subsidies/programmes", None): (SIGNED_OUT, 403, 403, 403, 403, 422, 403),
    ("GET", "/bureau/subsidies/programmes/<int:programme_id>/edit", "subsidy_claim"): (
        SIGNED_OUT,
        403,
        403,
        403,
        403,
        200,
        403,
    ),
    # the programme has a claim: its terms no longer change
    ("POST", "/bureau/subsidies/programmes/<int:programme_id>/edit", "subsidy_claim"): (
        SIGNED_OUT,
        403,
        403,
        403,
        403,
        409,
        403,
    ),
    ("GET", "/bureau/subsidies/claims", None): (SIGNED_OUT, 403, 403, 403, 403, 200, 403),
    ("POST", "/bureau/subsidies/claims/<int:claim_id>/decide", "subsidy_claim"): (
        SIGNED_OUT,
        403,
        403,
        403,
        403,
        302,
        403,
    ),
    ("GET", "/bureau/subsidies/claims/<int:claim_id>/certificate.pdf", "subsidy_claim"): (
        SIGNED_OUT,
        403,
        403,
        403,
        403,
        404,
        403,
    ),
    # absorption: the bureau imports other registries' registrations (a form without a file: refused in place)
    ("GET", "/bureau/imports", None): (SIGNED_OUT, 403, 403, 403, 403, 200, 403),
    ("POST", "/bureau/imports", None): (SIGNED_OUT, 403, 403, 403, 403, 422, 403),
    ("GET", "/bureau/absorption", None): (SIGNED_OUT, 403, 403, 403, 403, 200, 403),
    ("GET", "/bureau/subsidies/payments", None): (SIGNED_OUT, 403, 403, 403, 403, 200, 403),
    ("GET", "/bureau/subsidies/payments/manifest.json", None): (SIGNED_OUT, 403, 403, 403, 403, 200, 403),
    # technical income: the organisation declares and names researchers; a reviewer of the station verifies (a
    # record of a station not theirs is a 404; "income" waits for verification, so approving it is refused: 302);
    # the bureau reads the realised income
    ("GET", "/contracts/<int:contract_id>/income", "registered"): (SIGNED_OUT, 200, 404, 200, 404, 200, 404),
    ("POST", "/contracts/<int:contract_id>/income", "registered"): (SIGNED_OUT, 302, 404, 403, 403, 403, 403),
    ("POST", "/contracts/<int:contract_id>/researchers", "registered"): (SIGNED_OUT, 302, 404, 403, 403, 403, 403),
    ("POST", "/contracts/<int:contract_id>/researchers/<int:researcher_id>/remove", "researcher"): (
        SIGNED_OUT,
        302,
        404,
        403,
        403,
        403,
        403,
    ),
    ("GET", "/contracts/<int:contract_id>/income-records/<int:record_id>.pdf", "income_verified"): (
        SIGNED_OUT,
        200,
        404,
        200,
        404,
        200,
        404,
    ),
    ("GET", "/station/income", None): (SIGNED_OUT, 403, 403, 200, 200, 403, 403),
    ("POST", "/station/income-records/<int:record_id>/verify", "income"): (SIGNED_OUT, 403, 403, 302, 404, 403, 403),
    ("POST", "/station/income-records/<int:record_id>/approve", "income"): (SIGNED_OUT, 403, 403, 302, 404, 403, 403),
    ("GET", "/bureau/realised-income", None): (SIGNED_OUT, 403, 403, 403, 403, 200, 403),
    # the reports upward: the bureau only (a freeze without a year and a batch without a receiver: a message)
    ("GET", "/stats/reports", None): (SIGNED_OUT, 403, 403, 403, 403, 200, 403),
    ("GET", "/stats/reports/download", None): (SIGNED_OUT, 403, 403, 403, 403, 200, 403),
    ("POST", "/stats/reports/freeze", None): (SIGNED_OUT, 403, 403, 403, 403, 302, 403),
    ("POST", "/stats/reports/upload/batches", None): (SIGNED_OUT, 403, 403, 403, 403, 302, 403),
    ("GET", "/stats/reports/upload/batches/<int:batch_id>.<fmt>", "upload_batch"): (
        SIGNED_OUT,
        403,
        403,
        403,
        403,
        200,
        403,
    ),
    ("GET", "/invitation/<token>", "activation"): (404, 404, 404, 404, 404, 404, 404),  # an unknown token
    ("POST", "/invitation/<token>", "activation"): (404, 404, 404, 404, 404, 404, 404),
}
PAGE_BLUEPRINTS = (
    "public.",
    "account.",
    "applicant.",
    "station.",
    "bureau.",
    "verify.",
    "tax.",
    "tax_station.",
    "tax_bureau.",
    "stats.",
    "claims.",
    "documents.",
    "messages.",
    "members.",
    "brokers.",
    "subsidies.",
    "income.",
    "reports.",
)
REGISTER = {"category": "development", "subtype": "commissioned", "certified_technical_amount": "1080000.00"}
# What each station and bureau form posts: valid, so that a role allowed to act gets through.
DECISION_FORMS = {  # by the last segment of the path
    "request-amendment": {"reasons": "补充技术附件", "due_on": "2099-12-31"},
    "refuse": {"grounds": "other", "note": "矩阵测试"},
    "register": REGISTER,
    "change": {"title": "变更后的名称", "reason": "矩阵测试"},
    "cancel": {"reason": "矩阵测试"},
    "revoke": {"reason": "矩阵测试"},
    "reassign": {"station": "130403", "reason": "矩阵测试"},
    "expert-review": {"reason": "矩阵测试"},
    "expert-opinion": {"outcome": "supports", "opinion": "矩阵测试"},
}
INCOME = {
    "period_from": (today_local() - timedelta(days=20)).isoformat(),
    "period_to": (today_local() - timedelta(days=10)).isoformat(),
    "received": "900000.00",
    "costs": [{"kind": "labour", "amount": "100000.00"}],
}
VERIFY = {"technical_income": "800000.00"}
BUREAU_FORMS = {
    "/bureau/stations": {"code": "131002", "name": "安次区技术合同登记站", "areas": "131002"},
    "/bureau/stations/<code>": {"name": "邯山区技术合同登记站", "areas": "130402"},
    "/bureau/stations/<code>/active": {"active": "1"},
    "/bureau/stations/<code>/reviewers": {
        "email": "matrix-reviewer@example.cn",
        "name": "矩阵",
        "password": "Matrix-2026-pw",
    },
    "/bureau/stations/<code>/reviewers/<int:user_id>/active": {"active": "0"},
    "/bureau/stations/<code>/commitment": {"commitment_days": "10"},
    "/bureau/stations/<code>/institutions": {"credit_code": "12130400MB1234567D", "institution_name": "矩阵大学"},
    "/bureau/brokers": {
        "name": "矩阵经纪人",
        "id_number": complete_resident_id("13040219850312051"),
        "certificate_no": "M-PAGE",
    },
    "/bureau/brokers/<int:broker_id>/status": {"status": "suspended", "note": "矩阵测试"},
    "/stats/goals": {"year": "2026", "metric": "technical_amount", "target": "450000"},
    "/bureau/assessment/targets": {"year": "2026", "130402-growth_rate": "15", "130402-target_amount": "12000"},
}


@pytest.fixture
def world(app, role_accounts, api_as, sign_in, make_account):
    """A signed-in client per role, and a way to make the owner's contract in a given status (or a station)."""
    accounts = role_accounts
    owner = accounts["owner"]
    clients = {role: sign_in(account) for role, account in accounts.items()}
    clients["anonymous"] = app.test_client()
    owner_api, reviewer_api = api_as(owner), api_as(accounts["reviewer"])
    made = []

    def make(target: str) -> dict:
        if target == "token":
            page = clients["owner"].post(
                "/account/tokens",
                data={"name": "t", "csrf_token": csrf_from(clients["owner"].get("/account/tokens").text)},
            )
            return {"token_id": int(page.text.split("/account/tokens/")[1].split("/")[0])}
        if target == "station":
            return {"code": "130402"}
        if target == "number":
            return {"number": "1304022026999999"}
        if target == "goal":
            return {"goal_id": _goal(app, accounts["bureau"].id)}
        if target == "station_institution":
            return {"code": "130402", "institution_id": _institution(app, accounts["bureau"].id)}
        if target == "station_reviewer":
            return {"code": "130402", "user_id": make_account("reviewer", station_code="130402").id}
        if target == "activation":
            return {"token": "not-a-token"}
        if target == "claim":
            return {"claim_id": _claim(app)}
        if target == "subsidy_claim":
            return make_claim(app, accounts["bureau"].id)
        if target == "category":
            return {"category": "transfer"}
        if target == "receipt":  # an accepted contract's receipt
            ids = make("accepted")
            items = owner_api.get(f"/api/v1/contracts/{ids['contract_id']}/documents").json["items"]
            change_id = next(d["change_id"] for d in items if d["kind"] == "receipt")
            return {**ids, "kind": "receipt", "change_id": change_id}
        if target == "message":
            return {"message_id": _message(app, owner.id)}
        if target == "request":  # a pending change request on a registered contract
            ids = make("registered")
            body = {"kind": "change", "changes": {"valid_until": "2099-12-31"}, "reason": "矩阵测试"}
            created = owner_api.post(f"/api/v1/contracts/{ids['contract_id']}/requests", json=body)
            return {**ids, "request_id": created.json["id"]}
        if target in ("income", "income_verified"):  # a declared record on a registered contract (and verified)
            ids = make("registered")
            url = f"/api/v1/contracts/{ids['contract_id']}/income-records"
            record = owner_api.post(url, json=INCOME).json
            if target == "income_verified":
                verified = reviewer_api.post(f"/api/v1/income-records/{record['id']}/verify", json=VERIFY)
                assert verified.status_code == 200
            return {**ids, "record_id": record["id"]}
        if target == "researcher":  # a researcher named on a registered contract
            ids = make("registered")
            body = {"researchers": [{"name": "矩阵研究员", "id_number": "110101199003074514"}]}
            named = owner_api.put(f"/api/v1/contracts/{ids['contract_id']}/researchers", json=body)
            return {**ids, "researcher_id": named.json["researchers"][0]["id"]}
        if target == "with_experts":
            ids = make("accepted")
            sent = reviewer_api.post(f"/api/v1/contracts/{ids['contract_id']}/expert-review", json={"reason": "争议"})
            assert sent.status_code == 200
            return ids
        if target == "opinion":
            ids = make("with_experts")
            return {**ids, "change_id": _opinion(app, ids["contract_id"], accounts["bureau"].id)}
        if target == "broker":
            return {"broker_id": _broker(app, accounts["bureau"].id)}
        if target == "registration":  # a registered contract in the tax officer's area, by its number
            ids = make("registered")
            number = owner_api.get(f"/api/v1/contracts/{ids['contract_id']}").json["registration_number"]
            return {**ids, "number": number}
        if target == "objection":  # the tax officer's open objection to a registration
            ids = make("registration")
            body = {"registration_number": ids["number"], "reason": "矩阵测试"}
            created = api_as(accounts["tax"]).post("/api/v1/tax/objections", json=body)
            return {**ids, "objection_id": created.json["id"]}
        if target == "upload_batch":  # the province's batch holding one registration
            make("registered")
            return {"batch_id": _upload_batch(app, accounts["bureau"].id), "fmt": "xlsx"}
        if target == "member":
            invitation = {"email": f"{unique('member')}@example.cn", "name": "矩阵成员", "role": "filer"}
            return {"member_id": owner_api.post("/api/v1/organisation/members", json=invitation).json["id"]}
        made.append(target)
        created = owner_api.post("/api/v1/contracts", json=filing(title=f"合同 {len(made)}")).json
        attachment = owner_api.post(
            f"/api/v1/contracts/{created['id']}/attachments",
            data={"kind": "contract_text", "file": (io.BytesIO(MINIMAL_PDF), "c.pdf")},
        ).json
        url = f"/api/v1/contracts/{created['id']}"
        if target in ("submitted", "accepted", "registered"):
            assert owner_api.post(f"{url}/submit", json={}).status_code == 200
        if target in ("accepted", "registered"):
            assert reviewer_api.post(f"{url}/accept", json={}).status_code == 200
        if target == "registered":
            assert reviewer_api.post(f"{url}/register", json=REGISTER).status_code == 200
        return {"contract_id": created["id"], "attachment_id": attachment["id"]}

    return clients, make


def _goal(app, bureau_id: int) -> int:
    """A city goal set by the bureau (set again, it is the same goal until someone removes it)."""
    from app.extensions import db
    from app.models import User
    from app.statistics.services import goals

    with app.app_context():
        goal = goals.set_goal(db.session.get(User, bureau_id), 2026, "count", "100")
        db.session.commit()
        return goal.id


def _institution(app, bureau_id: int) -> int:
    """An institution the 邯山区 station serves (a new one for each role)."""
    from app.extensions import db
    from app.stations import lookup
    from app.stations import services as stations

    with app.app_context():
        code = complete_credit_code(f"12130400MB{int(unique('')):07d}")
        served = stations.add_institution(db.session.get(User, bureau_id), lookup.by_code("130402"), code, "矩阵大学")
        db.session.commit()
        return served.id


def _opinion(app, contract_id: int, bureau_id: int) -> int:
    """The panel's opinion, with its PDF, recorded by the bureau: the history entry's id."""
    from werkzeug.datastructures import FileStorage

    from app.extensions import db
    from app.models import Contract
    from app.review.services import experts

    with app.app_context():
        contract = db.session.get(Contract, contract_id)
        pdf = FileStorage(io.BytesIO(MINIMAL_PDF), filename="意见.pdf")
        experts.record_opinion(db.session.get(User, bureau_id), contract, "supports", "同意", pdf)
        db.session.commit()
        return contract.history[-1].id


def _broker(app, bureau_id: int) -> int:
    """An active broker registered by the bureau (a new certificate each time)."""
    from app.brokers import services as brokers
    from app.extensions import db

    with app.app_context():
        data = {
            "name": "矩阵经纪人",
            "id_number": complete_resident_id("13040219850312051"),
            "certificate_no": unique("M-"),
        }
        broker = brokers.register(db.session.get(User, bureau_id), data)
        db.session.commit()
        return broker.id


def _upload_batch(app, bureau_id: int) -> int:
    """The province's next upload batch, prepared by the bureau."""
    from app.extensions import db
    from app.statistics.services import upload

    with app.app_context():
        batch = upload.create_batch(db.session.get(User, bureau_id), "province")
        db.session.commit()
        return batch.id


def _message(app, user_id: int) -> int:
    """A message in the user's message centre."""
    from app.extensions import db
    from app.messages import services as messages

    with app.app_context():
        message = messages.deliver(db.session.get(User, user_id), "accepted", "【TCR】矩阵测试", "正文", "/contracts")
        db.session.commit()
        return message.id


def _claim(app) -> int:
    """A pending claim, with a licence, of a new organisation in 130402."""
    from app.extensions import db

    with app.app_context():
        code = complete_credit_code(f"91130402MA0{int(unique('')):06d}")
        claimant = sign_up_claimant(f"{unique('claimant')}@example.cn", code)
        return db.session.get(User, claimant.id).claim.id


def _form(rule: str, ids: dict) -> dict:
    if rule in ("/tax/claims", "/tax/objections"):
        year = str(today_local().year)
        return {"number": ids["number"], "preference": "rd_super_deduction", "tax_year": year, "reason": "矩阵测试"} | {
            "claimant_credit_code": BUYER_CODE
        }
    if rule.endswith("/answer"):
        return {"outcome": "upheld", "note": "矩阵测试"}
    if rule == "/login":
        return {"email": "someone@example.cn", "password": "Wrong-password-1"}
    if rule in ("/contracts/new", "/contracts/<int:contract_id>/edit"):
        return form_fields(filing())
    if rule == "/account/tokens":
        return {"name": "矩阵"}
    if rule == "/account/password":
        return {
            "current_password": "Wrong-password-1",
            "new_password": "Matrix-2026-pw",
            "confirm_password": "Matrix-2026-pw",
        }
    if rule == "/account/claim/licence":
        return {"licence": (io.BytesIO(MINIMAL_PDF), "营业执照.pdf")}
    if rule == "/organisation/members":
        return {"email": f"{unique('invited')}@example.cn", "name": "矩阵", "role": "filer"}
    if rule.endswith("/role"):
        return {"role": "admin"}
    if rule.endswith("/decide"):
        return {"outcome": "confirm", "note": "矩阵测试"}
    if rule.endswith("/requests"):
        return {"kind": "cancel", "reason": "矩阵测试"}
    if rule.endswith("/requests/<int:request_id>/approve"):
        return {"note": "矩阵测试"}
    if rule.endswith("/income"):
        return {
            "period_from": INCOME["period_from"],
            "period_to": INCOME["period_to"],
            "received": "900,000.00",
            "cost_labour": "100000",
        }
    if rule.endswith("/researchers"):
        return {"name": "矩阵研究员", "id_number": "110101199003074514", "role": "负责人"}
    if rule.endswith("/verify"):
        return {"technical_income": VERIFY["technical_income"]}
    if rule == "/contracts/batch":
        return {"file": (io.BytesIO(filled([filing(title="矩阵批量")])), "batch.xlsx")}
    if rule.endswith("/attachments"):
        return {"kind": "contract_text", "file": (io.BytesIO(MINIMAL_PDF), "c.pdf")}
    if rule.startswith(("/station/contracts/", "/bureau/contracts/")):
        return dict(DECISION_FORMS.get(rule.rsplit("/", 1)[-1], {}))
    return dict(BUREAU_FORMS.get(rule, {}))


def test_every_page_endpoint_is_in_the_matrix(app):
    rules = {
        (method, rule.rule)
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith(PAGE_BLUEPRINTS)
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    assert sorted(rules - {(m, r) for m, r, _ in PAGE_MATRIX}) == []


@pytest.mark.parametrize("method, rule, target", list(PAGE_MATRIX))
def test_each_role_gets_the_expected_answer(world, method, rule, target):
    clients, make = world
    shared = make(target) if target and method == "GET" else None
    answers = {}
    for role in ROLES:
        client = clients[role]
        ids = shared or (make(target) if target else {})
        url = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule).format(**ids)
        if method == "GET":
            response = client.get(url)
        else:
            token = csrf_from(client.get("/login").text)
            response = client.post(
                url, data={**_form(rule, ids), "csrf_token": token}, content_type="multipart/form-data"
            )
        answers[role] = response.status_code
        response.close()  # a served file stays open until the response is closed
    assert answers == dict(zip(ROLES, PAGE_MATRIX[(method, rule, target)]))
