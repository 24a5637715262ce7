"""A real-browser run of organisation members on the README's demo: the demo applicant (its organisation's admin)
invites a colleague, the colleague opens the e-mailed link, sets a password and sees the organisation's filings."""

from __future__ import annotations

import pytest

from tests.accounts.test_members import invitation_token
from tests.e2e.conftest import VIEWPORTS, sign_in_browser

COLLEAGUE = "colleague@demo.tcr"
PASSWORD = "Colleague-2026-pw"


def _titles(page) -> list[str]:
    return page.locator("#contracts tbody tr td:first-child").all_inner_texts()


@pytest.mark.e2e
def test_an_admin_invites_a_colleague_who_sees_the_organisations_filings(app, demo_site, browser_page, screenshot):
    page = browser_page
    sign_in_browser(page, demo_site.url, demo_site.accounts["applicant"])
    page.goto(demo_site.url + "/contracts")
    admin_titles = _titles(page)
    assert admin_titles, "the demo organisation has filings"

    page.locator("#nav-members").click()  # 1
    page.fill('[name="email"]', COLLEAGUE)  # 2
    page.fill('[name="name"]', "孙同事")  # 3
    page.get_by_role("button", name="发送邀请").click()  # 4 (filer is the default role)
    page.wait_for_url("**/organisation/members")
    row = page.locator("#members tr", has_text=COLLEAGUE)
    assert row.get_attribute("data-status") == "invited"
    assert row.locator("form[data-confirm]").count() == 1
    screenshot(page, "members-desktop")
    page.set_viewport_size(VIEWPORTS["phone"])
    screenshot(page, "members-phone")

    with app.app_context():  # the e-mail waits in the outbox table
        token = invitation_token(COLLEAGUE)
    colleague = page.context.browser.new_context(viewport=VIEWPORTS["desktop"]).new_page()
    colleague.goto(f"{demo_site.url}/invitation/{token}")
    screenshot(colleague, "invitation")
    colleague.fill('[name="password"]', PASSWORD)
    colleague.fill('[name="confirm_password"]', PASSWORD)
    colleague.get_by_role("button", name="设置密码并登录").click()
    colleague.wait_for_url("**/contracts")
    assert _titles(colleague) == admin_titles
    assert colleague.locator("#nav-members").count() == 0  # a filer does not manage members
    screenshot(colleague, "colleague-contracts")

    page.reload()
    assert page.locator("#members tr", has_text=COLLEAGUE).get_attribute("data-status") == "active"
