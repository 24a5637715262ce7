"""Requests after registration in a real browser, on the README's demo: the applicant supplements the amount of a
contract registered with an open amount, the reviewer approves it from the queue, and a new certificate version is
issued."""

from __future__ import annotations

import io
import re
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import select

from app.demo.seed import complete_credit_code
from app.extensions import db
from app.filing.schemas import ContractIn
from app.filing.services import attachments, contracts
from app.models import Contract, User
from app.review.services import review
from tests.e2e.conftest import confirm, open_details, sign_in_browser, use_language
from tests.factories import MINIMAL_PDF, filing

DEMO_SELLER = {
    "name": "邯郸示范科技有限公司",
    "credit_code": complete_credit_code("91130402MA0DEM001"),
    "area_code": "130402",
    "nature": "150",
}


def _registered_with_an_open_amount(app, demo_site) -> int:
    with app.app_context():
        by_email = {u.email: u for u in db.session.scalars(select(User).where(User.email.like("%@demo.tcr")))}
        applicant = by_email[demo_site.accounts["applicant"].email]
        reviewer = by_email[demo_site.accounts["reviewer"].email]
        data = filing(
            title="提成支付演示合同",
            seller=DEMO_SELLER,
            amount=None,
            technical_amount=None,
            deductions=[],
            payment_method="royalty",
            amount_fixed=False,
        )
        contract = contracts.create_draft(applicant, ContractIn().load(data))
        attachments.add_attachment(applicant, contract, io.BytesIO(MINIMAL_PDF), "合同文本.pdf", "contract_text")
        contracts.submit(applicant, contract)
        review.accept(reviewer, contract)
        review.register(reviewer, contract, "development", "commissioned", review.certifiable_amount(contract))
        db.session.commit()
        return contract.id


def test_the_applicant_supplements_an_open_amount_and_the_reviewer_approves(app, demo_site, journey_page, screenshot):
    page, url = journey_page, demo_site.url
    with ThreadPoolExecutor(1) as pool:  # signing the certificate runs its own event loop, beside the browser's
        contract_id = pool.submit(_registered_with_an_open_amount, app, demo_site).result()

    sign_in_browser(page, url, demo_site.accounts["applicant"])
    use_language(page, url)
    page.goto(f"{url}/contracts/{contract_id}")
    assert page.locator("#amount-open-note").is_visible()
    open_details(page, "#request-supplement")
    form = page.locator("#form-request-supplement")
    form.locator('[name="amount"]').fill("800,000")
    form.locator('[name="technical_amount"]').fill("700000")
    form.locator('[name="reason"]').fill("首年提成已结算")
    form.get_by_role("button").click()
    confirm(page)
    assert page.locator("#requests-list [data-status='pending']").count() == 1
    screenshot(page, "asked")

    page.context.clear_cookies()
    sign_in_browser(page, url, demo_site.accounts["reviewer"])
    use_language(page, url)
    page.goto(f"{url}/station/queue")
    callout = page.locator("#requests-pending")
    assert callout.is_visible() and "提成支付演示合同" in callout.inner_text()
    callout.get_by_role("link", name=re.compile("提成支付演示合同")).click()
    page.wait_for_url(re.compile(rf".*/station/contracts/{contract_id}"))
    approve = page.locator("form[id^='form-approve-request-']")
    approve.locator('[name="note"]').fill("核对结算单无误")
    approve.get_by_role("button").click()
    confirm(page)
    assert page.locator("#requests-list [data-status='approved']").count() == 1
    screenshot(page, "approved")

    with app.app_context():
        contract = db.session.get(Contract, contract_id)
        assert contract.amount_fixed is True and contract.version == 2
        assert [c.version for c in contract.certificates] == [1, 2]
    assert page.locator("#timeline [data-action='change']").count() == 1
    assert page.locator("#timeline [data-action='request_approved']").count() == 1


def _registered(app, demo_site) -> int:
    with app.app_context():
        by_email = {u.email: u for u in db.session.scalars(select(User).where(User.email.like("%@demo.tcr")))}
        applicant = by_email[demo_site.accounts["applicant"].email]
        reviewer = by_email[demo_site.accounts["reviewer"].email]
        contract = contracts.create_draft(
            applicant, ContractIn().load(filing(title="扣除变更演示合同", seller=DEMO_SELLER))
        )
        attachments.add_attachment(applicant, contract, io.BytesIO(MINIMAL_PDF), "合同文本.pdf", "contract_text")
        contracts.submit(applicant, contract)
        review.accept(reviewer, contract)
        review.register(reviewer, contract, "development", "commissioned", contract.technical_amount)
        db.session.commit()
        return contract.id


def test_the_applicant_asks_to_change_the_deductions_and_the_reviewer_approves(
    app, demo_site, journey_page, screenshot
):
    page, url = journey_page, demo_site.url
    with ThreadPoolExecutor(1) as pool:
        contract_id = pool.submit(_registered, app, demo_site).result()

    sign_in_browser(page, url, demo_site.accounts["applicant"])
    use_language(page, url)
    page.goto(f"{url}/contracts/{contract_id}")
    open_details(page, "#request-change")
    form = page.locator("#form-request-change")
    assert form.locator('[name="deductions.0.description"]').input_value() == "换热器两台"
    form.locator('[name="deductions.1.kind"]').select_option("raw_materials")
    form.locator('[name="deductions.1.description"]').fill("试剂")
    form.locator('[name="deductions.1.amount"]').fill("30,000")
    form.locator('[name="reason"]').fill("补充协议增加材料费")
    screenshot(page, "change-form")
    form.get_by_role("button").click()
    confirm(page)
    pending = page.locator("#requests-list [data-status='pending']")
    assert pending.count() == 1 and "试剂 30,000.00" in pending.inner_text()
    assert "1,050,000.00" in pending.inner_text()

    page.context.clear_cookies()
    sign_in_browser(page, url, demo_site.accounts["reviewer"])
    use_language(page, url)
    page.goto(f"{url}/station/contracts/{contract_id}")
    page.locator("form[id^='form-approve-request-']").get_by_role("button").click()
    confirm(page)
    assert page.locator("#requests-list [data-status='approved']").count() == 1
    screenshot(page, "deductions-approved")
    with app.app_context():
        contract = db.session.get(Contract, contract_id)
        assert [d.description for d in contract.deductions] == ["换热器两台", "试剂"]
        assert str(contract.certified_technical_amount) == "1050000.00" and contract.version == 2
