"""Anyone's journey, signed out, on the README's demo: read the service guide and the FAQ, verify a registration by
its number and check code (as typed from paper), by its QR link and by uploading its PDF; on a phone, through the
collapsed menu. Desktop and phone, Chinese and English."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import open_details, use_language

REGISTER = {"category": "development", "subtype": "commissioned", "certified_technical_amount": "1080000.00"}
TEXT = {
    "zh": {"valid": "有效", "upload_valid": "验证通过", "exists": "该登记编号存在", "guide": "办事指南"},
    "en": {
        "valid": "Valid",
        "upload_valid": "Valid",
        "exists": "This registration number exists",
        "guide": "Service guide",
    },
}


@pytest.fixture
def registration(app, demo_site, api, api_as, make_account, file_contract):
    """A registered contract of the demo: its number, check code, QR link and certificate PDF (downloaded through
    the API by its applicant). The links follow the address the demo is served on (`demo_site` sets it, as
    `scripts/run.sh` sets TCR_PUBLIC_BASE_URL from TCR_PORT)."""
    reviewer = api_as(make_account("reviewer", station_code="130402"))
    contract_id = file_contract()
    assert reviewer.post(f"/api/v1/contracts/{contract_id}/accept", json={}).status_code == 200
    body = reviewer.post(f"/api/v1/contracts/{contract_id}/register", json=REGISTER).json
    certificate = body["certificate"]
    with api.get(certificate["url"]) as pdf:
        assert pdf.status_code == 200
        data = pdf.data
    return {
        "number": body["registration_number"],
        "code": certificate["check_code"],
        "link": certificate["verify_url"],
        "pdf": data,
    }


def open_menu_item(page, href: str) -> None:
    """Follow a link of the main navigation; on a phone, open the collapsed menu first, as a person does."""
    link = page.locator(f'#tcr-nav-items a[href="{href}"]').first
    if page.tcr_viewport == "phone":
        expect(link).to_be_hidden()
        page.locator(".navbar-toggler").click()
        expect(link).to_be_visible()
    with page.expect_navigation():
        link.click()


@pytest.mark.e2e
def test_anyone_reads_the_guide_and_verifies_by_number_qr_link_and_upload(
    demo_site, registration, journey_page, screenshot
):
    page, url = journey_page, demo_site.url
    words = TEXT[page.tcr_lang]
    use_language(page, url)

    # the service guide through the menu, a category's page, then the FAQ from the footer
    open_menu_item(page, "/guide")
    expect(page.locator("h1")).to_contain_text(words["guide"])
    expect(page.locator("#guide-stations")).to_contain_text("130402")
    screenshot(page, "guide")
    page.locator('#guide-categories a[href="/guide/transfer"]').click()
    expect(page.locator("#guide-attachments")).to_contain_text("contract" if page.tcr_lang == "en" else "合同文本")
    screenshot(page, "guide-transfer")
    page.locator('#footer-links a[href="/faq"]').click()
    page.wait_for_url("**/faq")
    expect(page.locator("#faq details").nth(9)).to_be_attached()  # ten questions at least
    open_details(page, "#check-code")
    expect(page.locator("#check-code p")).to_be_visible()
    screenshot(page, "faq")

    # by number, typed as from paper: spaces, a hyphen, lower case
    open_menu_item(page, "/verify")
    number, code = registration["number"], registration["code"]
    page.fill("#v-number", f"{number[:6]} {number[6:10]}-{number[10:]}")
    page.fill("#v-code", f"{code[:4].lower()} {code[4:]}")
    page.locator("#verify-number-submit").click()
    page.wait_for_url(f"**/verify/{number}?c={code}")
    expect(page.locator(".alert-success")).to_contain_text(words["valid"])
    screenshot(page, "by-number")

    # a wrong code reveals only that the number exists; a mistyped number is explained on the form
    page.goto(f"{url}/verify")
    page.fill("#v-number", number)
    page.fill("#v-code", "22222222" if code != "22222222" else "33333333")
    page.locator("#verify-number-submit").click()
    expect(page.locator(".alert-info")).to_contain_text(words["exists"])
    page.goto(f"{url}/verify")
    page.fill("#v-number", number[:-1])
    page.fill("#v-code", code)
    page.locator("#verify-number-submit").click()
    expect(page.locator("#v-number-error")).to_contain_text("15")
    screenshot(page, "mistyped")

    # by the QR link, which points at this server
    assert registration["link"].startswith(url + "/verify/")
    page.goto(registration["link"])
    expect(page.locator(".alert-success")).to_contain_text(words["valid"])

    # by uploading the certificate PDF
    page.goto(f"{url}/verify")
    page.set_input_files(
        "#i-file", files=[{"name": "certificate.pdf", "mimeType": "application/pdf", "buffer": registration["pdf"]}]
    )
    with page.expect_navigation():
        page.locator('#verify-upload-form button[type="submit"]').click()
    expect(page.locator(".alert-success")).to_contain_text(words["upload_valid"])
    expect(page.locator(".alert-success")).to_contain_text(number)
    screenshot(page, "by-upload")
