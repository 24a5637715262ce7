"""A subsidy from the claim to the payment, in Chromium on the README's demo (phone in Chinese, desktop in English):
the buyer of a registered contract sees on its subsidies page the city programme the registration qualifies for and
claims it with one click (confirmed); the bureau approves the claim; the same account cannot also pay it (four eyes:
refused, the claim stays approved); the second bureau account marks it paid; the buyer sees it paid."""

from __future__ import annotations

import threading

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.accounts.services import accounts
from app.demo.income import registered_contract
from app.demo.seed import DEMO_PASSWORD
from app.extensions import db
from app.models import User
from tests.e2e.conftest import DEMO_EMAILS, DemoAccount, confirm, sign_in_browser, switch_user, use_language

TITLE = "旅程：烧结烟气脱硫技术开发"
# The buyer written in the demo enterprise's development contract (app.demo.income), with an account of its own.
BUYER = DemoAccount("steel@demo.tcr", DEMO_PASSWORD)
SECOND_BUREAU = DemoAccount("bureau2@demo.tcr", DEMO_PASSWORD)  # `flask demo seed` makes it: it pays


def registered_for_the_buyer(app) -> str:
    """The demo enterprise's contract registered through the services (in a thread of its own: the station signs
    the certificate with an event loop of its own), and an account of its buyer; the registration number."""
    made = {}

    def register() -> None:
        with app.app_context():
            emails = [DEMO_EMAILS[k] for k in ("applicant", "reviewer", "second_reviewer")]
            users = [db.session.scalars(select(User).where(User.email == e)).one() for e in emails]
            contract = registered_contract(*users, title=TITLE)
            buyer = contract.buyer
            organisation = accounts.find_or_create_organisation(
                buyer.credit_code, buyer.name, buyer.area_code, buyer.nature
            )
            accounts.create_user(BUYER.email, BUYER.password, "applicant", "钱采购", organisation=organisation)
            made["number"] = contract.registration_number
            db.session.commit()

    worker = threading.Thread(target=register)
    worker.start()
    worker.join()
    return made["number"]


@pytest.mark.e2e
def test_a_buyer_claims_a_subsidy_the_bureau_approves_and_a_second_account_pays(
    app, demo_site, journey_page, screenshot
):
    page, url = journey_page, demo_site.url
    number = registered_for_the_buyer(app)

    # The buyer finds the city's subsidy its registration qualifies for: 5 % of ¥4,800,000.
    sign_in_browser(page, url, BUYER)
    use_language(page, url)
    page.goto(f"{url}/subsidies")
    offer = page.locator(f'#qualifying tr[data-number="{number}"]')
    expect(offer).to_have_count(1)
    expect(offer).to_contain_text("240,000.00")
    button = offer.locator("button[type=submit]")
    expect(button).to_have_text("申领补贴" if page.tcr_lang == "zh" else "Claim the subsidy")
    box = button.bounding_box()
    assert box["x"] + box["width"] <= page.viewport_size["width"]  # on a phone too, without scrolling sideways
    screenshot(page, "offer")

    # One click (confirmed) claims it: the offer becomes a pending claim.
    button.click()
    said = confirm(page, number)
    assert "240,000.00" in said
    expect(page.locator(f'#qualifying tr[data-number="{number}"]')).to_have_count(0)
    mine = page.locator("#my-claims tr", has_text=number)
    expect(mine).to_have_attribute("data-status", "pending")
    claim_id = mine.get_attribute("id").removeprefix("claim-")

    # The bureau approves it in its claims queue (confirmed).
    switch_user(page, url, demo_site.accounts["bureau"])
    page.goto(f"{url}/bureau/subsidies/claims")
    card = page.locator(f"#claim-{claim_id}")
    expect(card).to_contain_text(number)
    card.locator('form:has(input[name="action"][value="approve"]) button[type=submit]').click()
    confirm(page, "240,000.00")
    card = page.locator(f"#claim-{claim_id}")
    expect(card).to_have_attribute("data-status", "approved")

    # The approver cannot also pay it: refused, said why, the claim stays approved.
    card.locator('form:has(input[name="action"][value="pay"]) button[type=submit]').click()
    confirm(page)
    expect(page.locator(".alert-danger")).to_contain_text(f"#{claim_id}")
    expect(page.locator(f"#claim-{claim_id}")).to_have_attribute("data-status", "approved")
    screenshot(page, "approved")

    # The second bureau account marks it paid (confirmed).
    switch_user(page, url, SECOND_BUREAU)
    page.goto(f"{url}/bureau/subsidies/claims")
    card = page.locator(f"#claim-{claim_id}")
    card.locator('form:has(input[name="action"][value="pay"]) button[type=submit]').click()
    confirm(page, "240,000.00")
    expect(page.locator(f"#claim-{claim_id}")).to_have_attribute("data-status", "paid")
    expect(page.locator(f"#claim-{claim_id}")).to_contain_text("孙财务")

    # The buyer sees its claim paid.
    switch_user(page, url, BUYER)
    page.goto(f"{url}/subsidies")
    paid = page.locator(f"#claim-{claim_id}")
    expect(paid).to_have_attribute("data-status", "paid")
    expect(paid).to_contain_text("已拨付" if page.tcr_lang == "zh" else "Paid")
    screenshot(page, "paid")
