"""Technical income in Chromium on the README's demo (phone in Chinese, desktop in English): the applicant declares
the income received under a registered contract with its costs, the station verifies the technical income, and
the applicant downloads the signed 核定表 that states it."""

from __future__ import annotations

import subprocess
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from app.domain.clock import today_local
from tests.e2e.conftest import (
    confirm,
    registered_demo_contract,
    sign_in_browser,
    switch_user,
    use_language,
)

TITLE = "旅程：转炉煤气回收技术开发"


def pdf_text(pdf: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()


@pytest.mark.e2e
def test_income_is_declared_verified_and_its_sheet_downloaded(app, demo_site, journey_page, screenshot):
    page, url = journey_page, demo_site.url
    contract_id = registered_demo_contract(app, TITLE)

    # The applicant declares the income of a period that has ended, with two cost rows.
    sign_in_browser(page, url, demo_site.accounts["applicant"])
    use_language(page, url)
    page.goto(f"{url}/contracts/{contract_id}")
    with page.expect_navigation():
        page.locator("#link-income").click()
    page.fill('[name="period_from"]', (today_local() - timedelta(days=60)).isoformat())
    page.fill('[name="period_to"]', (today_local() - timedelta(days=1)).isoformat())
    page.fill('[name="received"]', "1,500,000")
    page.fill('[name="cost_labour"]', "200000")
    page.fill('[name="cost_materials"]', "50,000.50")
    page.locator("#form-declare button[type=submit]").click()
    confirm(page)
    expect(page.locator("#income-records")).to_contain_text("1,249,999.50")
    screenshot(page, "declared")

    # A reviewer of the station verifies the proposed figure.
    switch_user(page, url, demo_site.accounts["reviewer"])
    page.goto(f"{url}/station/income")  # the navigation's 收入核定 (folded away on a phone)
    form = page.locator("form[id^=form-verify-]").filter(has=page.locator('[name="technical_income"]')).last
    expect(form.locator('[name="technical_income"]')).to_have_value("1249999.50")
    form.locator("button[type=submit]").click()
    confirm(page)
    screenshot(page, "verified")

    # The applicant reads the verified figure and downloads the 核定表.
    switch_user(page, url, demo_site.accounts["applicant"])
    page.goto(f"{url}/contracts/{contract_id}/income")
    row = page.locator("#income-records tbody tr").first
    expect(row).to_have_attribute("data-status", "verified")
    href = row.locator(".tcr-sheet-link").get_attribute("href")
    answer = page.request.get(url + href)
    assert answer.status == 200 and answer.headers["content-type"] == "application/pdf"
    text = pdf_text(answer.body())
    assert "技术性收入核定表" in text and "1,249,999.50" in text and "1,500,000.00" in text
    assert TITLE in text
    screenshot(page, "sheet-ready")
