"""A technology broker from the bureau's registry to a filing, in Chromium on the README's demo (phone and desktop,
Chinese and English): the bureau registers a broker, the applicant names the broker on a new filing and submits it,
and the bureau finds the contract on the broker's page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from app.demo.brokers import complete_resident_id
from app.domain.clock import today_local
from app.extensions import db
from app.models import Broker, Contract
from tests.e2e.conftest import confirm, sign_in_browser, switch_user, use_language
from tests.factories import MINIMAL_PDF

TITLE = "经纪促成：焦炉煤气制氢技术开发"
ID_NUMBER = complete_resident_id("13040619780109153")


def fill_contract(page) -> None:
    signed = today_local() - timedelta(days=12)
    page.fill('[name="title"]', TITLE)
    page.fill('[name="signed_on"]', signed.isoformat())
    page.fill('[name="valid_from"]', signed.isoformat())
    page.fill('[name="valid_until"]', (signed + timedelta(days=365)).isoformat())
    page.select_option('[name="technical_field"]', "new_energy")
    page.select_option('[name="plan_category"]', "none")
    page.fill('[name="buyer.name"]', "深圳买方股份有限公司")
    page.fill('[name="buyer.credit_code"]', "9144030071526726XG")
    page.fill('[name="buyer.area_code"]', "440300")
    page.select_option('[name="buyer.nature"]', "160")
    page.select_option('[name="payment_method"]', "instalments")
    page.select_option('[name="ip_type"]', "none")
    page.fill('[name="summary"]', "研究开发焦炉煤气制氢工艺，由技术经纪人促成。")
    page.fill('[name="amount"]', "860000")


@pytest.mark.e2e
def test_the_bureau_registers_a_broker_whom_an_applicant_names_on_a_filing(
    app, demo_site, journey_page, screenshot, tmp_path
):
    page, url = journey_page, demo_site.url
    certificate = f"JSJJR-2026-E2E-{page.tcr_viewport}-{page.tcr_lang}".upper()
    contract_pdf = tmp_path / "合同文本.pdf"
    contract_pdf.write_bytes(MINIMAL_PDF)

    # The bureau registers a broker on the registry's form.
    sign_in_browser(page, url, demo_site.accounts["bureau"])
    use_language(page, url)
    page.goto(f"{url}/bureau/brokers")
    expect(page.locator("#brokers-active")).to_contain_text("/ 60")
    page.fill("#i-name", "王建国")
    page.fill("#i-id_number", ID_NUMBER)
    page.fill("#i-certificate_no", certificate)
    page.fill("#i-organisation", "冀南新区科技成果转化服务中心")
    with page.expect_navigation():
        page.click("#register-broker")
    page.wait_for_url("**/bureau/brokers/*")
    broker_id = int(page.url.rstrip("/").rsplit("/", 1)[1])
    expect(page.locator("#broker-status")).to_have_attribute("data-status", "active")
    details = page.locator("#broker-details").inner_text()
    assert certificate in details and ID_NUMBER not in details and ID_NUMBER[-4:] in details
    screenshot(page, "1-registered")

    # The applicant names the broker on a new filing, attaches the contract and submits it.
    switch_user(page, url, demo_site.accounts["applicant"])
    page.goto(f"{url}/contracts/new?category=development&subtype=commissioned")
    fill_contract(page)
    page.select_option("#i-brokers", str(broker_id))
    screenshot(page, "2-form")
    with page.expect_navigation():
        page.locator('button[name="then"][value="view"]').click()
    page.wait_for_url("**/contracts/*")
    contract_id = int(page.url.split("/contracts/")[1].split("#")[0].split("?")[0])
    expect(page.locator("#contract-brokers")).to_contain_text(certificate)
    page.select_option("#i-kind", "contract_text")
    page.set_input_files("#i-file", str(contract_pdf))
    with page.expect_navigation():
        page.click(".tcr-upload form button[type=submit]")
    page.click("#submit form button[type=submit]")
    confirm(page)
    expect(page.locator("#contract-status [data-status]")).to_have_attribute("data-status", "submitted")

    # The bureau finds the filing on the broker's page.
    switch_user(page, url, demo_site.accounts["bureau"])
    page.goto(f"{url}/bureau/brokers/{broker_id}")
    row = page.locator(f'#broker-contracts tr[data-contract="{contract_id}"]')
    expect(row).to_contain_text(TITLE)
    screenshot(page, "3-broker-page")
    with app.app_context():
        contract = db.session.get(Contract, contract_id)
        assert [b.certificate_no for b in contract.brokers] == [certificate]
        assert db.session.get(Broker, broker_id).status == "active"
