"""Batch filing in Chromium on the README's demo (phone in Chinese, desktop in English): the applicant opens the
batch page from the navigation, downloads the template, uploads a workbook of good and bad rows with the page's
progress bar, reads what became of each row, and opens a created draft."""

from __future__ import annotations

import io
import zipfile

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import DEMO_SELLER, sign_in_browser, use_language
from tests.factories import filing
from tests.filing.batch_workbooks import Formula, column, workbook

GOOD = ["批量：焦炉煤气制氢技术开发", "批量：钢渣综合利用技术咨询"]


def mixed_workbook() -> bytes:
    """Two good contracts, one of an unknown category, one without a seller, one with a formula for its amount."""
    filings = [
        filing(title=GOOD[0], seller=DEMO_SELLER),
        filing(title="批量：类别填错", category="研发", seller=DEMO_SELLER),
        filing(title="批量：漏填卖方", seller=None),
        filing(title="批量：金额是公式", seller=DEMO_SELLER),
        filing(title=GOOD[1], seller=DEMO_SELLER, category="consultation", subtype="consultation"),
    ]

    def edit(sheet, ref, row):
        if (sheet, ref) == ("contracts", "C004"):
            row[column("contracts", "amount")] = Formula("=SUM(1250000)", "1250000")

    return workbook(filings, edit=edit)


@pytest.mark.e2e
def test_an_applicant_files_a_workbook_and_reads_each_rows_result(app, demo_site, journey_page, screenshot, tmp_path):
    page, url = journey_page, demo_site.url
    english = page.tcr_lang == "en"
    sign_in_browser(page, url, demo_site.accounts["applicant"])
    use_language(page, url)
    page.goto(f"{url}/contracts")
    with page.expect_navigation():
        page.locator("a.btn", has_text="Batch filing" if english else "批量申报").click()
    page.wait_for_url(f"{url}/contracts/batch")

    with page.expect_download() as download:
        page.locator("#batch-template").click()
    names = zipfile.ZipFile(io.BytesIO(download.value.path().read_bytes())).read("xl/workbook.xml").decode()
    assert "合同 contracts" in names and "代码 codes" in names

    upload = tmp_path / "contracts.xlsx"
    upload.write_bytes(mixed_workbook())
    page.set_input_files("#batch-file", str(upload))
    page.locator('#batch-form button[type="submit"]').click()
    rows = page.locator("#batch-rows tbody tr")
    expect(rows).to_have_count(5)
    assert page.url == f"{url}/contracts/batch"  # the script answered in place, with no navigation
    expect(page.locator("#batch-summary")).to_contain_text("2 of 5 rows filed" if english else "2 行已保存为草稿")
    expect(page.locator("tr.tcr-batch-created")).to_have_count(2)
    expect(page.locator("tr.tcr-batch-rejected")).to_have_count(3)
    expect(rows.nth(1).locator('[data-code="code.unknown"]')).to_be_visible()
    expect(rows.nth(2).locator('[data-code="required"]').first).to_contain_text("seller" if english else "卖方")
    expect(rows.nth(3).locator('[data-code="batch.formula"]')).to_contain_text("formula" if english else "公式")
    screenshot(page, "results")

    with page.expect_navigation():
        rows.nth(0).locator("a").click()
    expect(page.locator("h1")).to_contain_text(GOOD[0])
