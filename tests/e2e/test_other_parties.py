"""In a browser: an applicant adds an intermediary to a filing, removes a block added by mistake, and saves."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import sign_in_browser


@pytest.mark.e2e
def test_an_applicant_adds_and_removes_other_parties_in_a_browser(live_server, browser_page, make_account, screenshot):
    page = browser_page
    sign_in_browser(page, live_server, make_account("applicant"))
    page.goto(f"{live_server}/contracts/new?category=development&subtype=commissioned")
    page.fill('[name="title"]', "三方中介技术开发")
    add = page.get_by_role("button", name="+ 添加当事人")
    for _ in range(2):
        with page.expect_navigation():
            add.click()
    assert page.locator("fieldset.tcr-other-party").count() == 2
    assert page.locator('[name="title"]').input_value() == "三方中介技术开发"  # nothing typed is lost

    page.select_option('[name="other_parties.1.role"]', "intermediary")
    page.fill('[name="other_parties.1.name"]', "邯郸某某技术转移中心")
    page.fill('[name="other_parties.1.credit_code"]', "91130400105834526F")
    page.fill('[name="other_parties.1.area_code"]', "130403")
    page.select_option('[name="other_parties.1.nature"]', "150")
    with page.expect_navigation():
        page.locator("#f-other_parties\\.0").get_by_role("button", name="删除此当事人").click()
    assert page.locator("fieldset.tcr-other-party").count() == 1
    assert page.locator('[name="other_parties.0.name"]').input_value() == "邯郸某某技术转移中心"
    screenshot(page, "form")

    page.get_by_role("button", name="保存并上传附件").click()
    page.wait_for_url("**/contracts/*")
    party = page.locator("#f-other_parties\\.0")
    assert "中介方" in party.inner_text() and "邯郸某某技术转移中心" in party.inner_text()
    screenshot(page, "contract")
