"""The tax officer's working day in a browser: look up a registration, export a month as CSV, open the signed
manifest and check that it describes exactly the downloaded bytes."""

from __future__ import annotations

import csv
import hashlib
import io
from datetime import date, timedelta

import pytest

from app.domain.clock import today_local
from app.extensions import db
from app.models import User
from app.tax.services import exports
from tests.e2e.conftest import sign_in_browser, use_language


def _month_with_registrations(app, email: str) -> tuple[date, date]:
    """The latest month (of the last twelve) with registrations in the officer's areas, so the export has rows."""
    with app.app_context():
        officer = db.session.query(User).filter_by(email=email).one()
        first = today_local().replace(day=1)
        for _ in range(12):
            last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
            if next(iter(exports.records(officer, first, last)), None):
                return first, last
            first = (first - timedelta(days=1)).replace(day=1)
    pytest.fail("the demo has no registration in the officer's areas in the last twelve months")


@pytest.mark.e2e
def test_the_tax_officer_exports_a_month_and_checks_the_manifest(app, demo_site, journey_page, screenshot):
    page, base, account = journey_page, demo_site.url, demo_site.accounts["tax"]
    english = page.tcr_lang == "en"
    first, last = _month_with_registrations(app, account.email)
    sign_in_browser(page, base, account)  # click 1 (sign in)
    use_language(page, base)
    page.goto(base + "/tax")
    assert page.locator('label[for="from"]').inner_text() == ("From" if english else "起始日期")
    assert page.locator('label[for="to"]').inner_text() == ("To" if english else "截止日期")

    page.fill("#from", first.isoformat())
    page.fill("#to", last.isoformat())
    page.select_option("#format", "csv")
    with page.expect_download() as download_info:
        page.click("#download-file")  # click 2: the file for the dates shown
    download = download_info.value
    assert download.suggested_filename == f"tcr-export-{first}-{last}.csv"
    data = download.path().read_bytes()
    headers, keys, *rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows and keys[keys.index("category") + 1] == "category_label" and rows[0][keys.index("category_label")]
    screenshot(page, f"{page.tcr_viewport}-{page.tcr_lang}-home")

    page.click("#download-manifest")  # click 3: the manifest page of the same form
    page.wait_for_url("**/tax/manifest?*")
    assert page.locator('[data-key="sha256"]').inner_text() == hashlib.sha256(data).hexdigest()
    assert page.locator('[data-key="rows"]').inner_text() == str(len(rows))
    assert "openssl dgst -sha256 -verify" in page.locator("#verify-signature").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    with page.expect_download() as manifest_info:
        page.click("#download-manifest-json")
    assert manifest_info.value.suggested_filename.endswith(".manifest.json")
    screenshot(page, f"{page.tcr_viewport}-{page.tcr_lang}-manifest")

    number = rows[0][keys.index("registration_number")]
    page.click("#back")
    page.fill("#number", number)
    page.locator("#lookup-form button").click()  # click 4: look the registration up
    page.wait_for_url("**/tax/lookup?*")
    assert number in page.locator("h1").inner_text()
    screenshot(page, f"{page.tcr_viewport}-{page.tcr_lang}-lookup")

    page.goto(base + "/tax")
    page.fill("#from", (first - timedelta(days=400)).isoformat())
    page.click("#download-file")  # a period over 366 days: a page saying so, not JSON
    assert page.locator("#export-error").is_visible()
    assert ("366 days" if english else "366 天") in page.locator("#export-error").inner_text()
