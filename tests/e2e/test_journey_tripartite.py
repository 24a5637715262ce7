"""A brokered (tripartite) contract whose amount is paid as royalties, from the form to the supplemented
certificate, in Chromium on the README's demo (desktop and phone, Chinese and English): the applicant files it
with the intermediary as a third party and the amount left open; the reviewer accepts and registers what is fixed;
the certificate lists the intermediary and says the amount will be supplemented; once the royalties are known the
applicant asks for the supplement and the reviewer approves it, which issues the certificate's second version."""

from __future__ import annotations

import subprocess
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.demo.seed import complete_credit_code
from app.domain.clock import today_local
from app.extensions import db
from app.models import Contract, TaxEvent
from tests.e2e.conftest import (
    approve_request,
    ask_for_supplement,
    confirm,
    open_details,
    sign_in_browser,
    switch_user,
    use_language,
)
from tests.factories import MINIMAL_PDF

TITLE = "三方中介：焦化废水处理技术开发"
INTERMEDIARY = {"name": "邯郸冀南技术转移中心", "credit_code": "91130400105834526F", "area_code": "130403"}


def pdf_text(pdf: bytes) -> str:
    """The text of a PDF as poppler extracts it (poppler-utils is installed by scripts/setup.sh)."""
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()


def certificate_text(page, url: str, contract_id: int) -> str:
    answer = page.request.get(f"{url}/api/v1/contracts/{contract_id}/certificate.pdf")
    assert answer.status == 200 and answer.headers["content-type"] == "application/pdf"
    return pdf_text(answer.body())


def fill_basic_facts(page) -> None:
    signed = today_local() - timedelta(days=10)
    page.fill('[name="title"]', TITLE)
    page.fill('[name="signed_on"]', signed.isoformat())
    page.fill('[name="valid_from"]', signed.isoformat())
    page.fill('[name="valid_until"]', (signed + timedelta(days=730)).isoformat())
    page.select_option('[name="technical_field"]', "environment")
    page.select_option('[name="plan_category"]', "none")
    page.fill('[name="buyer.name"]', "邯郸焦化股份有限公司")
    page.fill('[name="buyer.credit_code"]', complete_credit_code("91130400MA0A1B2C3"))
    page.fill('[name="buyer.area_code"]', "130404")
    page.select_option('[name="buyer.nature"]', "160")
    page.select_option('[name="payment_method"]', "royalty")
    page.select_option('[name="ip_type"]', "none")
    page.fill('[name="summary"]', "研究开发焦化废水深度处理工艺，按处理水量提成支付。")


@pytest.mark.e2e
def test_a_brokered_contract_with_royalties_is_registered_and_its_amount_supplemented(
    app, demo_site, journey_page, screenshot, tmp_path
):
    page, url = journey_page, demo_site.url
    contract_pdf = tmp_path / "合同文本.pdf"
    contract_pdf.write_bytes(MINIMAL_PDF)

    # The applicant files: a development contract, the intermediary as a third party, the amount left open.
    sign_in_browser(page, url, demo_site.accounts["applicant"])
    use_language(page, url)
    page.goto(f"{url}/contracts/new?category=development&subtype=commissioned")
    fill_basic_facts(page)
    with page.expect_navigation():
        page.locator('button[name="then"][value="add_party"]').click()
    assert page.locator('[name="title"]').input_value() == TITLE  # nothing typed is lost
    page.select_option('[name="other_parties.0.role"]', "intermediary")
    page.fill('[name="other_parties.0.name"]', INTERMEDIARY["name"])
    page.fill('[name="other_parties.0.credit_code"]', INTERMEDIARY["credit_code"])
    page.fill('[name="other_parties.0.area_code"]', INTERMEDIARY["area_code"])
    page.select_option('[name="other_parties.0.nature"]', "150")
    page.check("#i-amount_open")
    screenshot(page, "1-form")
    with page.expect_navigation():
        page.locator('button[name="then"][value="view"]').click()
    contract_id = int(page.url.split("/contracts/")[1].split("#")[0].split("?")[0])
    page.select_option("#i-kind", "contract_text")
    page.set_input_files("#i-file", str(contract_pdf))
    with page.expect_navigation():
        page.click(".tcr-upload form button[type=submit]")
    page.click("#submit form button[type=submit]")
    confirm(page)
    assert page.locator("#contract-status [data-status]").get_attribute("data-status") == "submitted"
    party = page.locator("#f-other_parties\\.0")
    assert INTERMEDIARY["name"] in party.inner_text()
    screenshot(page, "2-submitted")

    # The reviewer accepts it and registers what is fixed (nothing yet): both confirmed.
    switch_user(page, url, demo_site.accounts["reviewer"])
    page.goto(f"{url}/station/contracts/{contract_id}")
    assert INTERMEDIARY["name"] in page.locator("#f-other_parties\\.0").inner_text()
    page.locator("#form-accept button[type=submit]").click()
    confirm(page)
    open_details(page, "#action-register")
    assert page.locator("#register-amount").input_value() == "0.00"  # the fixed part of an open amount
    page.locator("#form-register button[type=submit]").click()
    confirm(page)
    with app.app_context():
        contract = db.session.get(Contract, contract_id)
        assert contract.status == "registered" and contract.amount_fixed is False
    first = certificate_text(page, url, contract_id)
    assert INTERMEDIARY["name"] in first and "中介方" in first and "待补正" in first
    screenshot(page, "3-registered")

    # The royalties are known: the applicant asks for the supplement (confirmed).
    switch_user(page, url, demo_site.accounts["applicant"])
    page.goto(f"{url}/contracts/{contract_id}")
    assert page.locator("#amount-open-note").is_visible()
    ask_for_supplement(page, "860,000", "860000", "首年提成已按处理水量结算")
    assert page.locator("#requests-list [data-status='pending']").count() == 1
    screenshot(page, "4-supplement-asked")

    # The reviewer finds it on the queue and approves it (confirmed): the certificate's second version.
    switch_user(page, url, demo_site.accounts["reviewer"])
    page.goto(f"{url}/station/queue")
    callout = page.locator("#requests-pending")
    assert TITLE in callout.inner_text()
    with page.expect_navigation():
        callout.locator(f"a[href*='/contracts/{contract_id}']").first.click()
    approve_request(page, "核对提成结算单无误")
    assert page.locator("#requests-list [data-status='approved']").count() == 1
    screenshot(page, "5-supplemented")

    second = certificate_text(page, url, contract_id)
    assert "860,000.00" in second and "待补正" not in second and INTERMEDIARY["name"] in second
    with app.app_context():
        contract = db.session.get(Contract, contract_id)
        assert contract.amount_fixed is True and [c.version for c in contract.certificates] == [1, 2]
        kinds = db.session.scalars(
            select(TaxEvent.event).where(TaxEvent.contract_id == contract_id).order_by(TaxEvent.id)
        ).all()
        assert kinds == ["registered", "changed"]  # the tax side hears of the registration and the supplement
