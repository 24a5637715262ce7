"""The OFD electronic licence in Chromium on the README's demo (phone in Chinese, desktop in English): the applicant
downloads the OFD of a registered contract's certificate from the contract page, and anyone, signed out, uploads it
on the public verification page, which finds the seal intact, the station's, and the registration current."""

from __future__ import annotations

import zipfile

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import registered_demo_contract, sign_in_browser, use_language

TITLE = "旅程：高炉渣余热回收技术开发"


@pytest.mark.e2e
def test_an_ofd_licence_is_downloaded_and_verified_on_the_public_page(
    app, demo_site, journey_page, screenshot, tmp_path
):
    page, url = journey_page, demo_site.url
    contract_id = registered_demo_contract(app, TITLE)

    # The applicant downloads the electronic licence beside the PDF on the contract page.
    sign_in_browser(page, url, demo_site.accounts["applicant"])
    use_language(page, url)
    page.goto(f"{url}/contracts/{contract_id}")
    expect(page.locator("#link-ofd")).to_contain_text("OFD")
    with page.expect_download() as started:
        page.locator("#link-ofd").click()
    download = started.value
    assert download.suggested_filename.endswith("-v1.ofd")
    number = download.suggested_filename.removesuffix("-v1.ofd")
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    assert "Doc_0/Signs/Sign_0/SignedValue.dat" in zipfile.ZipFile(saved).namelist()

    # Anyone else (a browser of their own, never signed in) checks it on the public verification page.
    visitor = page.context.browser.new_page(viewport=page.viewport_size)
    visitor.tcr_lang = page.tcr_lang
    use_language(visitor, url)
    visitor.goto(f"{url}/verify")
    visitor.set_input_files("#i-file", str(saved))
    with visitor.expect_navigation():
        visitor.locator("#verify-upload-form button[type=submit]").click()
    answer = visitor.get_by_role("status")
    expect(answer).to_contain_text("验证通过" if page.tcr_lang == "zh" else "Valid")
    expect(answer).to_contain_text(number)
    expect(visitor.locator("#verify-signer")).to_contain_text("Serial Number: 130")  # a station of the bureau
    expect(answer).to_contain_text("证明真实有效" if page.tcr_lang == "zh" else "Authentic and current")
    screenshot(visitor, "verified")
    visitor.close()
