"""Real-browser runs (headless Debian chromium): sign up, activate by the e-mailed link, file a development contract,
attach, submit; the bureau's dashboard."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.demo.seed import complete_credit_code
from app.domain.clock import today_local
from tests.e2e.conftest import confirm, sign_in_browser
from tests.factories import MINIMAL_PDF, PASSWORD, activation_token


@pytest.mark.e2e
def test_sign_up_activate_file_attach_and_submit_in_a_browser(app, live_server, browser_page, tmp_path):
    page = browser_page
    signed = today_local() - timedelta(days=20)
    contract_pdf = tmp_path / "合同文本.pdf"
    contract_pdf.write_bytes(MINIMAL_PDF)
    licence_pdf = tmp_path / "营业执照.pdf"
    licence_pdf.write_bytes(MINIMAL_PDF)

    page.goto(live_server + "/")
    page.get_by_role("link", name="单位注册").first.click()
    page.fill('[name="email"]', "browser@example.cn")
    page.fill('[name="password"]', PASSWORD)
    page.fill('[name="name"]', "王浏览")
    page.fill('[name="org_name"]', "邯郸浏览器测试有限公司")
    page.fill('[name="credit_code"]', complete_credit_code("91130402MA0E2E001"))
    page.fill('[name="area_code"]', "130402")
    page.select_option('[name="nature"]', "150")
    page.set_input_files('[name="licence"]', str(licence_pdf))
    page.get_by_role("button", name="注册").click()
    page.wait_for_url("**/signup/sent")
    assert "请查收邮件" in page.locator("#signup-sent").inner_text()

    with app.app_context():  # the e-mail waits in the outbox table (the console backend logs it too)
        token = activation_token("browser@example.cn")
    page.goto(f"{live_server}/activate/{token}")
    page.get_by_role("button", name="激活我的账号").click()
    page.wait_for_url("**/account/claim")
    assert page.locator("#claim-status [data-status]").get_attribute("data-status") == "pending"
    assert page.locator("#claim-licence").get_by_text("营业执照.pdf").count() == 1

    page.get_by_role("link", name="合同登记申请").first.click()
    page.get_by_role("link", name="委托开发").click()
    page.wait_for_url("**/contracts/new?category=development&subtype=commissioned")
    assert page.locator('[name="seller.name"]').input_value() == "邯郸浏览器测试有限公司"
    assert page.locator('[name="license.years"]').count() == 0
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
    page.fill('[name="amount"]', "1250000.00")
    page.select_option('[name="payment_method"]', "instalments")
    page.select_option('[name="deductions.0.kind"]', "equipment")
    page.fill('[name="deductions.0.description"]', "换热器两台")
    page.fill('[name="deductions.0.amount"]', "170000.00")
    page.fill('[name="technical_amount"]', "1080000.00")
    page.select_option('[name="ip_type"]', "none")
    page.fill('[name="summary"]', "研究开发钢铁冶炼余热回收工艺，交付工艺包与中试报告。")
    page.get_by_role("button", name="保存并上传附件").click()
    page.wait_for_url("**/contracts/*")

    page.select_option('[name="kind"]', "contract_text")
    page.set_input_files('[name="file"]', str(contract_pdf))
    with page.expect_navigation():  # the next page's scripts (the submission's confirmation) are ready at its load
        page.get_by_role("button", name="上传").click()
    assert page.locator("#attachments").get_by_text("合同文本.pdf").count() == 1

    page.get_by_role("button", name="提交", exact=True).click()
    confirm(page)
    status = page.locator("#contract-status")
    assert status.inner_text().strip() == "已提交"
    assert "草稿 → 已提交" in " ".join(page.locator("#timeline").inner_text().split())


@pytest.mark.e2e
def test_the_bureau_reads_the_dashboard_in_a_browser(app, live_server, browser_page, make_account):
    from app.demo import synth
    from app.extensions import db

    with app.app_context():
        synth.generate(150, seed=2, batch=50)
        db.session.commit()
    bureau = make_account("bureau")
    page = browser_page
    sign_in_browser(page, live_server, bureau)
    page.get_by_role("link", name="统计分析").click()
    page.wait_for_url("**/stats")
    page.select_option("#year", "2025")
    page.get_by_role("button", name="查看").click()
    page.wait_for_url("**/stats?year=2025*")
    charts = page.locator("svg.tcr-chart")
    assert charts.count() >= 14
    for index in range(charts.count()):
        box = charts.nth(index).bounding_box()
        assert box and box["width"] > 300 and box["height"] > 40  # drawn, not an empty element
    bars = page.locator("#panel-category svg rect")
    assert bars.count() >= 5
    with page.expect_download() as download:
        page.locator("#panel-category").get_by_role("link", name="CSV").click()
    with open(download.value.path(), encoding="utf-8-sig") as downloaded:
        content = downloaded.read()
    assert download.value.suggested_filename == "tcr-stats-2025-output-category.csv" and "技术开发" in content
