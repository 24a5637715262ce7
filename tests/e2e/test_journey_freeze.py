"""The reports upward in Chromium on the README's demo (desktop and phone, Chinese and English): the bureau opens
the reports from the navigation, freezes 2025 after confirming, sees the signed snapshot and who froze it, downloads
the national tables as XLSX, and prepares the national system's upload batch."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

from app.statistics.services import freeze
from tests.e2e.conftest import confirm, sign_in_browser, use_language

YEAR = 2025


@pytest.mark.e2e
def test_the_bureau_freezes_2025_and_downloads_the_national_tables(app, demo_site, journey_page, screenshot):
    page, url = journey_page, demo_site.url
    sign_in_browser(page, url, demo_site.accounts["bureau"])
    use_language(page, url)

    page.goto(f"{url}/stats/reports?year={YEAR}")
    expect(page.locator("#snapshot-frozen")).to_have_count(0)
    page.locator("#freeze-button").click()
    said = confirm(page)
    assert str(YEAR) in said
    expect(page.locator("#snapshot-frozen")).to_be_visible()
    expect(page.locator("#snapshot-status")).to_contain_text("bureau@demo.tcr")
    expect(page.locator("#freeze-button")).to_have_count(0)
    with app.app_context():
        snapshot = freeze.snapshot_of(YEAR)
        assert snapshot is not None and snapshot.frozen_by.email == "bureau@demo.tcr"
        expect(page.locator("#snapshot-sha256")).to_have_text(snapshot.sha256)
        frozen_count = snapshot.tables[0]["totals"]["count"]
    assert frozen_count > 0  # the demo registered contracts in 2025
    screenshot(page, "frozen")

    with page.expect_download() as info:
        page.locator("#download-xlsx").click()
    download = info.value
    assert download.suggested_filename == f"tcr-national-tables-{YEAR}.xlsx"
    with zipfile.ZipFile(io.BytesIO(Path(download.path()).read_bytes())) as book:
        workbook = book.read("xl/workbook.xml").decode()
        strings = book.read("xl/sharedStrings.xml").decode()
    assert "表1" in workbook and "对账" in workbook and "说明" in workbook
    assert "技术开发" in strings and "合同数（项）" in strings and snapshot.sha256 in strings

    with page.expect_navigation():
        page.locator("#batch-national").click()
    expect(page.locator("#upload-batches tbody tr")).to_have_count(1)
    screenshot(page, "batch")
