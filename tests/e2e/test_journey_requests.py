"""Requests after registration in a real browser, on the README's demo: the applicant supplements the amount of a
contract registered with an open amount, the reviewer approves it from the queue, and a new certificate version is
issued."""

from __future__ import annotations

import io
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import select

from app.extensions import db
from app.filing.schemas import ContractIn
from app.filing.services import attachments, contracts
from app.models import Contract, User
from app.review.services import review
from tests.e2e.conftest import (
    DEMO_SELLER,
    approve_request,
    ask_for_supplement,
    confirm,
    open_details,
    sign_in_browser,
    switch_user,
    use_language,
)
from tests.factories import MINIMAL_PDF, filing


def _registered(app, demo_site, **overrides) -> int:
    """A contract of the demo applicant, filed and registered by the demo reviewer on what it declares (services, in
    a thread of its own: signing the certificate runs its own event loop, beside the browser's)."""

    def run() -> int:
        with app.app_context():
            users = db.session.scalars(select(User).where(User.email.like("%@demo.tcr")))
            by_email = {u.email: u for u in users}
            applicant = by_email[demo_site.accounts["applicant"].email]
            reviewer = by_email[demo_site.accounts["reviewer"].email]
            contract = contracts.create_draft(applicant, ContractIn().load(filing(seller=DEMO_SELLER, **overrides)))
            attachments.add_attachment(applicant, contract, io.BytesIO(MINIMAL_PDF), "合同文本.pdf", "contract_text")
            contracts.submit(applicant, contract)
            review.accept(reviewer, contract)
            review.register(reviewer, contract, "development", "commissioned", review.certifiable_amount(contract))
            db.session.commit()
            return contract.id

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(run).result()


def test_the_applicant_supplements_an_open_amount_and_the_reviewer_approves(app, demo_site, journey_page, screenshot):
    page, url = journey_page, demo_site.url
    contract_id = _registered(
        app,
        demo_site,
        title="提成支付演示合同",
        amount=None,
        technical_amount=None,
        deductions=[],
        payment_method="royalty",
        amount_fixed=False,
    )

    sign_in_browser(page, url, demo_site.accounts["applicant"])
    use_language(page, url)
    page.goto(f"{url}/contracts/{contract_id}")
    assert page.locator("#amount-open-note").is_visible()
    ask_for_supplement(page, "800,000", "700000", "首年提成已结算")
    assert page.locator("#requests-list [data-status='pending']").count() == 1
    screenshot(page, "asked")

    switch_user(page, url, demo_site.accounts["reviewer"])
    page.goto(f"{url}/station/queue")
    callout = page.locator("#requests-pending")
    assert callout.is_visible() and "提成支付演示合同" in callout.inner_text()
    with page.expect_navigation():
        callout.locator(f"a[href*='/contracts/{contract_id}']").first.click()
    approve_request(page, "核对结算单无误")
    assert page.locator("#requests-list [data-status='approved']").count() == 1
    screenshot(page, "approved")

    with app.app_context():
        contract = db.session.get(Contract, contract_id)
        assert contract.amount_fixed is True and contract.version == 2
        assert [c.version for c in contract.certificates] == [1, 2]
    assert page.locator("#timeline [data-action='change']").count() == 1
    assert page.locator("#timeline [data-action='request_approved']").count() == 1


def test_the_applicant_asks_to_change_the_deductions_and_the_reviewer_approves(
    app, demo_site, journey_page, screenshot
):
    page, url = journey_page, demo_site.url
    contract_id = _registered(app, demo_site, title="扣除变更演示合同")

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

    switch_user(page, url, demo_site.accounts["reviewer"])
    page.goto(f"{url}/station/contracts/{contract_id}")
    approve_request(page)
    assert page.locator("#requests-list [data-status='approved']").count() == 1
    screenshot(page, "deductions-approved")
    with app.app_context():
        contract = db.session.get(Contract, contract_id)
        assert [d.description for d in contract.deductions] == ["换热器两台", "试剂"]
        assert str(contract.certified_technical_amount) == "1050000.00" and contract.version == 2
