"""The bureau imports a CSV of Beijing's registry in Chromium on the README's demo (phone in Chinese, desktop in
English): the import answers per row (one imported, one refused as not a Handan buyer), and the absorption page's
"Beijing R&D, Handan transfer" figure and the county table move by exactly the imported amount."""

from __future__ import annotations

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from app.domain.clock import today_local
from tests.e2e.conftest import sign_in_browser, use_language
from tests.imports.helpers import BEIJING_SELLER, HANDAN_BUYER

HEADER = (
    "registration_number,status,registered_on,category,subtype,seller_name,seller_credit_code,seller_area,"
    "buyer_name,buyer_credit_code,buyer_area,amount,certified_technical_amount"
)


def beijing_csv() -> bytes:
    today = today_local().isoformat()
    rows = [
        f"2026110108777001,registered,{today},development,commissioned,北京理工大学,{BEIJING_SELLER},110108,"
        f"临漳县某农机有限公司,{HANDAN_BUYER},130423,1100000.00,1000000.00",
        f"2026110108777002,registered,{today},development,commissioned,北京理工大学,{BEIJING_SELLER},110108,"
        f"石家庄某公司,{HANDAN_BUYER},130102,500000.00,500000.00",
    ]
    return ("\ufeff" + "\r\n".join([HEADER, *rows]) + "\r\n").encode()


def beijing_tianjin_figure(page) -> Decimal:
    return Decimal(page.locator("#beijing-tianjin-amount").inner_text().replace(",", ""))


@pytest.mark.e2e
def test_the_bureau_imports_beijing_registrations_and_sees_absorption_move(
    app, demo_site, journey_page, screenshot, tmp_path
):
    page, url = journey_page, demo_site.url
    year = today_local().year
    sign_in_browser(page, url, demo_site.accounts["bureau"])
    use_language(page, url)
    page.goto(f"{url}/bureau/absorption?year={year}")
    before = beijing_tianjin_figure(page)
    expect(page.locator('#by-county tr[data-area="130423"]')).to_have_count(0)

    page.goto(f"{url}/bureau/imports")
    upload = tmp_path / "beijing.csv"
    upload.write_bytes(beijing_csv())
    page.select_option('[name="source"]', "beijing")
    page.fill('[name="registry"]', "北京技术市场管理办公室")
    page.set_input_files('[name="file"]', str(upload))
    with page.expect_navigation():
        page.locator("#import-submit").click()
    expect(page.locator('#row-results tr[data-number="2026110108777001"]')).to_have_attribute("data-status", "imported")
    refused = page.locator('#row-results tr[data-number="2026110108777002"]')
    expect(refused).to_have_attribute("data-status", "rejected")
    expect(refused.locator('[data-code="buyer.not_home_city"]')).to_be_visible()
    screenshot(page, "1-imported")

    with page.expect_navigation():
        page.locator("#to-absorption").click()
    assert beijing_tianjin_figure(page) == before + Decimal("1000000.00")
    county = page.locator('#by-county tr[data-area="130423"]')
    expect(county).to_contain_text("1,000,000.00")
    screenshot(page, "2-absorption")
