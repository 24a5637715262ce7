"""The applicant's working day in a real browser, on the README's demo, on a desktop and a phone, in Chinese and
English: sign up and activate, file a contract (the technical amount computes itself), see and fix a finding, have
a wrong file refused where the upload is, attach the contract text, submit, read the station's amendment request at
the top of the page, resubmit, and find the certificate once registered."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from app.demo.seed import complete_credit_code
from app.domain.clock import today_local
from app.extensions import db
from app.models import Contract, User
from app.review.services import review
from tests.e2e.conftest import confirm, use_language
from tests.factories import MINIMAL_PDF, PASSWORD, activation_token

SUBMIT = "form button[type=submit]"


def _as_reviewer(app, contract_id: int, act) -> None:
    """The demo station's reviewer acts through the review services (the reviewer's own journey clicks them), in a
    thread of its own: the certificate's signing runs an event loop, and Playwright's runs in this one."""

    def run() -> None:
        with app.app_context():
            reviewer = db.session.scalars(select(User).where(User.email == "reviewer@demo.tcr")).one()
            act(reviewer, db.session.get(Contract, contract_id))
            db.session.commit()

    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(run).result()


def _top(page, selector: str) -> float:
    return page.locator(selector).first.bounding_box()["y"]


def _fill_contract(page, signed) -> None:
    page.fill('[name="title"]', "钢铁冶炼余热回收技术开发")
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
    page.fill('[name="summary"]', "研究开发钢铁冶炼余热回收工艺，交付工艺包与中试报告。")
    page.fill('[name="amount"]', "1,250,000")
    page.select_option('[name="deductions.0.kind"]', "equipment")
    page.fill('[name="deductions.0.description"]', "换热器两台")
    page.fill('[name="deductions.0.amount"]', "170000.00")


@pytest.mark.e2e
def test_an_applicant_files_fixes_amends_and_gets_the_certificate(app, demo_site, journey_page, screenshot, tmp_path):
    page, url = journey_page, demo_site.url
    page.on("dialog", lambda dialog: dialog.accept())  # data-confirm prompts, where the site asks
    email = f"journey-{page.tcr_viewport}-{page.tcr_lang}@example.cn"
    contract_pdf = tmp_path / "合同文本.pdf"
    contract_pdf.write_bytes(MINIMAL_PDF)
    not_a_pdf = tmp_path / "scan.pdf"
    not_a_pdf.write_bytes(b"MZ\x90\x00 this is not a PDF")
    signed = today_local() - timedelta(days=20)
    clicks = 0

    # sign up: a first attempt with mistakes reports all of them at once, the values stay
    use_language(page, url)
    page.goto(url + "/signup")
    page.fill('[name="email"]', "not-an-address")
    page.fill('[name="password"]', "short")
    page.fill('[name="name"]', "王旅程")
    page.fill('[name="credit_code"]', "123")
    page.click(SUBMIT)
    for field in ("email", "password", "org_name", "credit_code"):
        assert page.locator(f"#f-{field} .tcr-note-error").count() == 1, field
    assert page.locator('[name="name"]').input_value() == "王旅程"
    assert page.locator('[name="password"]').input_value() == ""
    screenshot(page, "1-signup-errors")
    page.fill('[name="email"]', email)
    page.fill('[name="password"]', PASSWORD)
    page.fill('[name="org_name"]', "邯郸旅程测试有限公司")
    page.fill('[name="credit_code"]', complete_credit_code("91130402MA0J0URN1"))
    page.fill('[name="area_code"]', "130402")
    page.select_option('[name="nature"]', "150")
    page.click(SUBMIT)
    page.wait_for_url("**/signup/sent")
    with app.app_context():
        token = activation_token(email)
    page.goto(f"{url}/activate/{token}")
    page.click(f"main {SUBMIT}")
    page.wait_for_url("**/account/claim")

    # file the contract: the technical amount is computed while typing, with its formula
    page.goto(url + "/contracts")
    page.click('main a[href="/contracts/new"]')
    clicks += 1
    page.click('a[href*="category=development&subtype=commissioned"]')
    clicks += 1
    _fill_contract(page, signed)
    assert page.locator('[name="technical_amount"]').input_value() == "1080000.00"
    formula = page.locator("#technical-formula")
    assert formula.is_visible() and "1,250,000.00" in formula.inner_text() and "1,080,000.00" in formula.inner_text()
    screenshot(page, "2-form-computed")
    page.fill('[name="technical_amount"]', "1000000.00")  # the applicant overrides it, wrongly
    page.click('button[name="then"][value="edit"]')
    clicks += 1
    page.wait_for_url("**/contracts/*/edit")
    mismatch = page.locator('#f-technical_amount [data-code="amount.technical_mismatch"]')
    assert mismatch.count() == 1 and "1,080,000.00" in mismatch.inner_text()
    screenshot(page, "3-finding")
    page.fill('[name="technical_amount"]', "")  # left empty: the server computes it on saving
    page.click('button[name="then"][value="view"]')
    clicks += 1
    page.wait_for_url("**/contracts/*")
    contract_id = int(page.url.split("/contracts/")[1].split("#")[0].split("?")[0])
    assert page.locator('[data-code="amount.technical_mismatch"]').count() == 0
    assert page.locator("#steps [data-state=current]").get_attribute("data-step") == "apply"
    assert page.locator("#delete-draft").count() == 1
    assert page.locator('form[action$="/withdraw"]').count() == 0

    # a refused file: the answer lands on the upload, with an alert at the top
    page.set_input_files("#i-file", str(not_a_pdf))
    with page.expect_navigation():
        page.click(f".tcr-upload {SUBMIT}")
    assert page.url.endswith("#attachments") and page.locator("#upload-alert").count() == 1
    # the page scrolls (smoothly) to the upload, so that the message ends where the user is, not off-screen
    page.wait_for_function(
        "() => { const r = document.getElementById('upload-error').getBoundingClientRect();"
        " return r.top >= 0 && r.bottom <= window.innerHeight; }"
    )
    screenshot(page, "4-upload-refused")
    page.select_option("#i-kind", "contract_text")
    page.set_input_files("#i-file", str(contract_pdf))
    with page.expect_navigation():
        page.click(f".tcr-upload {SUBMIT}")
    clicks += 2
    assert page.locator("#attachments").get_by_text("合同文本.pdf").count() == 1

    # submit, and confirm (the filing cannot be changed while the station reviews it)
    page.click(f"#submit {SUBMIT}")
    confirm(page)
    clicks += 2
    assert page.locator("#contract-status [data-status]").get_attribute("data-status") == "submitted"
    assert page.locator("#steps [data-state=current]").get_attribute("data-step") == "accept"
    assert page.locator("#expected-decision").count() == 1
    screenshot(page, "5-submitted")

    # the station asks for an amendment: a banner at the top, before the filed facts, on a phone too
    due = today_local() + timedelta(days=10)
    _as_reviewer(app, contract_id, lambda r, c: review.request_amendment(r, c, ["请补充技术附件清单"], due))
    page.goto(f"{url}/contracts/{contract_id}")
    banner = page.locator("#amendment-banner")
    assert "请补充技术附件清单" in banner.inner_text() and due.isoformat() in banner.inner_text()
    assert _top(page, "#amendment-banner") < _top(page, "#s-basic")
    assert _top(page, "#contract-status") < _top(page, "#steps") < _top(page, "#amendment-banner")
    screenshot(page, "6-amendment-banner")
    page.click(f"#submit {SUBMIT}")
    confirm(page)
    clicks += 2
    assert page.locator("#amendment-banner").count() == 0
    assert page.locator("#contract-status [data-status]").get_attribute("data-status") == "submitted"

    # the station accepts and registers: the steps end, the certificate is there, no tentative date
    _as_reviewer(app, contract_id, lambda r, c: review.accept(r, c))
    _as_reviewer(
        app,
        contract_id,
        lambda r, c: review.register(r, c, "development", "commissioned", Decimal("1080000.00")),
    )
    page.goto(f"{url}/contracts/{contract_id}")
    assert page.locator("#contract-status [data-status]").get_attribute("data-status") == "registered"
    assert page.locator("#steps [data-state=done]").count() == 4
    assert page.locator("#expected-decision").count() == 0
    certificate = page.locator('#registered-summary a[href$="/certificate.pdf"]')  # at the top, on a phone too
    assert certificate.count() == 1 and _top(page, "#registered-summary") < _top(page, "#s-basic")
    assert page.request.get(url + certificate.get_attribute("href")).headers["content-type"] == "application/pdf"
    receipt = page.locator("#timeline a", has_text="受理回执" if page.tcr_lang == "zh" else "Acceptance receipt")
    printed = page.request.get(url + receipt.first.get_attribute("href"))  # print the receipt: one click
    assert printed.status == 200 and printed.headers["content-type"] == "application/pdf"
    screenshot(page, "7-registered")
    # clicks of the main task, from the contract list to a submitted filing and its resubmission (typing aside;
    # each submission is confirmed in the dialog)
    assert clicks <= 10
