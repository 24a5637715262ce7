"""Test data: accounts, valid filings in API shape, and small helpers shared by the test suites."""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from datetime import date, timedelta

from app.domain.clock import today_local
from app.extensions import db

PASSWORD = "Correct-Horse-9"  # noqa: S105 - test accounts
SELLER_CODE = "91330100716105852F"  # valid check digit (DOMAIN.md §10)
BUYER_CODE = "9144030071526726XG"
_counter = {"n": 0}

MINIMAL_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


@dataclass
class Account:
    """A test account as the tests see it: plain values, no ORM object outside an app context."""

    id: int
    email: str
    password: str
    role: str
    organisation_id: int | None = None
    station_id: int | None = None


def unique(prefix: str) -> str:
    _counter["n"] += 1
    return f"{prefix}{_counter['n']}"


def create_account(
    role: str = "applicant",
    *,
    credit_code: str = SELLER_CODE,
    org_name: str = "示范科技有限公司",
    area_code: str = "130402",
    station_code: str = "130402",
    area_codes: tuple[str, ...] = ("130402",),
    email: str | None = None,
) -> Account:
    """Create an account of a role inside the current app context and commit it."""
    from sqlalchemy import select

    from app.accounts.services import accounts
    from app.models import Station

    email = email or f"{unique(role)}@example.cn"
    scope = {}
    if role == "applicant":
        scope["organisation"] = accounts.find_or_create_organisation(credit_code, org_name, area_code, "150")
    elif role == "reviewer":
        scope["station"] = db.session.scalars(select(Station).where(Station.code == station_code)).one()
    elif role == "tax":
        scope["area_codes"] = list(area_codes)
    user = accounts.create_user(email, PASSWORD, role, f"测试{role}", **scope)
    db.session.commit()
    return Account(user.id, email, PASSWORD, role, user.organisation_id, user.station_id)


VALID_FILING = {
    "title": "钢铁冶炼余热回收技术开发",
    "category": "development",
    "subtype": "commissioned",
    "seller": {"name": "示范科技有限公司", "credit_code": SELLER_CODE, "area_code": "130402", "nature": "150"},
    "buyer": {"name": "深圳买方股份有限公司", "credit_code": BUYER_CODE, "area_code": "440300", "nature": "160"},
    "amount": "1250000.00",
    "deductions": [{"kind": "equipment", "description": "换热器两台", "amount": "170000.00"}],
    "technical_amount": "1080000.00",
    "technical_field": "new_energy",
    "ip_type": "none",
    "ip_numbers": [],
    "plan_category": "none",
    "payment_method": "instalments",
    "summary": "研究开发钢铁冶炼余热回收工艺，交付工艺包与中试报告。",
    "license": None,
}

CATEGORY_VARIANTS = {
    "development": {"category": "development", "subtype": "cooperative"},
    "transfer": {
        "category": "transfer",
        "subtype": "patent_right",
        "ip_type": "invention_patent",
        "ip_numbers": ["ZL201310699744.2"],
    },
    "licensing": {
        "category": "licensing",
        "subtype": "patent_license",
        "ip_type": "invention_patent",
        "ip_numbers": ["ZL201310699744.2"],
        "license": {"exclusivity": "non_exclusive", "territory": "china", "years": 5},
    },
    "consultation": {"category": "consultation", "subtype": "consultation"},
    "service": {"category": "service", "subtype": "technical_service"},
}


def filing(**overrides) -> dict:
    """A filing in API shape that passes every check today (signed 30 days ago, valid for a year)."""
    data = copy.deepcopy(VALID_FILING)
    signed = today_local() - timedelta(days=30)
    data.update(
        signed_on=signed.isoformat(),
        valid_from=signed.isoformat(),
        valid_until=(signed + timedelta(days=365)).isoformat(),
    )
    data.update(copy.deepcopy(overrides))
    return data


def csrf_from(html: str) -> str:
    """The CSRF token of the first form on a page."""
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html) or re.search(
        r'value="([^"]+)"[^>]*name="csrf_token"', html
    )
    assert match, "no csrf_token on the page"
    return match.group(1)


def iso(day: date) -> str:
    return day.isoformat()


def activation_token(recipient: str) -> str:
    """The token of the newest activation link e-mailed to this address (read from the outbox)."""
    from sqlalchemy import select

    from app.models import OutboxMessage

    bodies = db.session.scalars(
        select(OutboxMessage.body).where(OutboxMessage.recipient == recipient).order_by(OutboxMessage.id.desc())
    )
    for body in bodies:
        match = re.search(r"/activate/([A-Za-z0-9_-]+)", body)
        if match:
            return match.group(1)
    raise AssertionError(f"no activation link was sent to {recipient}")


def sign_up_claimant(
    email: str, credit_code: str, org_name: str = "认领测试有限公司", area_code: str = "130402", licence: bool = True
) -> Account:
    """Sign up through the service (with a licence PDF), follow the e-mailed link, commit: a pending claimant."""
    import io

    from app.accounts.services import accounts

    accounts.sign_up(
        email,
        PASSWORD,
        "认领人",
        org_name,
        credit_code,
        area_code,
        "150",
        licence=(io.BytesIO(MINIMAL_PDF), "营业执照.pdf") if licence else None,
    )
    db.session.commit()
    user = accounts.activate(activation_token(email))
    db.session.commit()
    return Account(user.id, email, PASSWORD, "applicant", user.organisation_id, None)


def through_experts(app, contract_id: int, outcome: str = "supports") -> None:
    """If the filing is with the expert panel (a large one goes there at acceptance), record the panel's opinion
    as the bureau would, so that the station can decide."""
    from app.models import Contract, User
    from app.review.services import experts

    with app.app_context():
        contract = db.session.get(Contract, contract_id)
        if contract.status == "expert_review":
            bureau = db.session.get(User, create_account("bureau").id)
            experts.record_opinion(bureau, contract, outcome, "专家组同意登记。")
            db.session.commit()
