"""Demo data of technical-income verification: a registered contract of the demo enterprise, its researchers and
two verified income records (below the expert-review and four-eyes thresholds: one reviewer acts alone), written through the filing, review and income services."""

from __future__ import annotations

import io
from datetime import timedelta
from decimal import Decimal

from flask import current_app
from sqlalchemy import select

from app.domain.clock import today_local
from app.extensions import db
from app.filing.schemas import ContractIn
from app.filing.services import attachments, contracts
from app.income.services import records, researchers
from app.models import Contract, User
from app.review.services import review

TITLE = "高炉煤气余压发电技术转让"
# A minimal one-page PDF standing for the contract text.
CONTRACT_TEXT = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
RESEARCHERS = (
    {"name": "刘建国", "id_number": "130402197805120014", "role": "项目负责人"},
    {"name": "陈晓燕", "id_number": "130403198611230021", "role": "主要完成人"},
)


def _filing(seller) -> dict:
    signed = today_local() - timedelta(days=200)
    return ContractIn().load(
        {
            "title": TITLE,
            "category": "development",
            "subtype": "commissioned",
            "seller": {"name": seller.name, "credit_code": seller.credit_code, "area_code": "130402", "nature": "150"},
            "buyer": {
                "name": "邯郸钢铁集团有限责任公司",
                "credit_code": "911304001052504661",
                "area_code": "130403",
                "nature": "110",
            },
            "amount": "4800000.00",
            "deductions": [{"kind": "equipment", "description": "余压透平机组安装", "amount": "300000.00"}],
            "technical_amount": "4500000.00",
            "technical_field": "new_energy",
            "ip_type": "none",
            "ip_numbers": [],
            "plan_category": "none",
            "payment_method": "instalments",
            "summary": "开发高炉煤气余压发电工艺并交付工艺包。",
            "signed_on": signed.isoformat(),
            "valid_from": signed.isoformat(),
            "valid_until": (signed + timedelta(days=730)).isoformat(),
            "license": None,
        }
    )


DEMO_ACCOUNTS = ("applicant@demo.tcr", "reviewer@demo.tcr", "reviewer2@demo.tcr")  # made by `flask demo seed`


def seed_income() -> Contract | None:
    """The demo enterprise's registered contract with researchers and two verified income records, once (run after
    `flask demo seed`, `certs init` and `demo synth`: it registers a contract, so it must not come before synth's
    --unless-present, and the station signs its certificate); skipped when the demo accounts are missing or the
    station cannot sign."""
    found_users = [db.session.scalars(select(User).where(User.email == e)).first() for e in DEMO_ACCOUNTS]
    if None in found_users:
        return None
    applicant, reviewer, second = found_users
    found = db.session.scalars(
        select(Contract).where(Contract.organisation_id == applicant.organisation_id, Contract.title == TITLE)
    ).first()
    if found is not None:
        return found
    try:
        with db.session.begin_nested():
            return _write(applicant, reviewer, second)
    except Exception as error:  # noqa: BLE001 - the rest of the demo stands without this contract
        current_app.logger.warning("demo income contract not written: %s", error)
        return None


def registered_contract(applicant: User, reviewer: User, second: User, title: str = TITLE) -> Contract:
    """A development contract of the applicant's organisation, filed, accepted and registered at its station."""
    contract = contracts.create_draft(applicant, {**_filing(applicant.organisation), "title": title})
    attachments.add_attachment(applicant, contract, io.BytesIO(CONTRACT_TEXT), "合同文本.pdf", "contract_text")
    findings = contracts.run_checks(contract)
    contracts.submit(applicant, contract, [f.code for f in findings if f.severity == "warning"])
    review.accept(reviewer, contract)
    review.register(reviewer, contract, "development", "commissioned", Decimal("4500000.00"))
    if contract.status != "registered":  # four eyes: the second reviewer approves the registration
        review.approve(second, contract)
    return contract


def _write(applicant: User, reviewer: User, second: User) -> Contract:
    contract = registered_contract(applicant, reviewer, second)
    researchers.replace(applicant, contract, list(RESEARCHERS))
    today = today_local()
    periods = (
        (today - timedelta(days=180), today - timedelta(days=91), "1800000.00", "260000.00", "85000.00", "0.00"),
        (today - timedelta(days=90), today - timedelta(days=1), "2600000.00", "310000.00", "120000.00", "96000.00"),
    )
    for start, end, received, labour, materials, equipment in periods:
        costs = [{"kind": "labour", "amount": Decimal(labour)}, {"kind": "materials", "amount": Decimal(materials)}]
        if Decimal(equipment):
            costs.append({"kind": "equipment", "amount": Decimal(equipment)})
        record = records.create(applicant, contract, start, end, Decimal(received), costs, "按合同约定分期收款")
        records.verify(reviewer, record.id, record.declared_technical_income, None)
        if record.status == "proposed":
            records.approve(second, record.id)
    return contract
