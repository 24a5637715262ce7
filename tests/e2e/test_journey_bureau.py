"""The bureau's working day in a browser: the dashboard's first screen answers the leadership's questions, the
supervision tables fit (or scroll inside their wrapper), and a new station gets a reviewer."""

from __future__ import annotations

import pytest

from app.statistics.services.dashboard import PANELS
from tests.e2e.conftest import sign_in_browser, use_language

# Every table either fits its container or scrolls inside a .table-responsive wrapper; the page itself never
# scrolls sideways (which on a phone looks like a table cut off on the right).
CLIPPED_TABLES = """() => [...document.querySelectorAll('table')].filter(table => {
    const wrapper = table.closest('.table-responsive, .tcr-stats-table-wrap');
    const fits = table.scrollWidth <= table.parentElement.clientWidth + 1;
    const scrolls = wrapper && ['auto', 'scroll'].includes(getComputedStyle(wrapper).overflowX);
    return !(fits || scrolls);
}).map(table => table.id)"""


@pytest.mark.e2e
def test_the_bureau_reads_the_dashboard_supervises_and_adds_a_station(demo_site, journey_page, screenshot):
    page, base = journey_page, demo_site.url
    english, phone = page.tcr_lang == "en", page.tcr_viewport == "phone"
    sign_in_browser(page, base, demo_site.accounts["bureau"])
    use_language(page, base)

    page.goto(base + "/stats")
    screen = page.viewport_size["height"]
    for card in ("#goals", "#standings", "#overdue-summary"):
        assert page.locator(card).is_visible()
    assert page.locator("#goals").bounding_box()["y"] < screen  # goals on the first screen, even on a phone
    if not phone:
        for card in ("#standings", "#overdue-summary"):
            assert page.locator(card).bounding_box()["y"] < screen, card
    assert page.locator("#leading li[data-code]").count() == 3
    assert int(page.locator("#overdue-total").inner_text()) >= 0
    assert page.locator("#panel-index a").count() == len(PANELS)
    screenshot(page, f"{page.tcr_viewport}-{page.tcr_lang}-dashboard")
    page.locator("#panel-index a").nth(8).click()  # the index jumps to a panel (the table by station)
    assert page.evaluate("location.hash") == "#panel-station"

    page.goto(base + "/stats/supervision")
    assert page.evaluate(CLIPPED_TABLES) == []
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    grounds = page.locator("#refusal-grounds")
    assert grounds.is_visible()
    screenshot(page, f"{page.tcr_viewport}-{page.tcr_lang}-supervision")

    page.goto(base + "/bureau/stations")
    assert page.evaluate(CLIPPED_TABLES) == []
    page.fill("#i-code", "131002")
    page.fill("#i-name", "安次区技术合同登记站")
    page.fill("#i-areas", "131002")
    page.locator("#new-station button[type=submit]").click()  # click 1: create the station
    page.wait_for_url("**/bureau/stations/131002")
    page.fill("#i-email", "anci.reviewer@example.cn")
    page.fill("#i-reviewer-name", "安次审核员")
    page.fill("#i-password", "Reviewer-2026-pw")
    with page.expect_navigation():
        page.locator("#add-reviewer button[type=submit]").click()  # click 2: add the reviewer
    row = page.locator('#reviewers tr[data-email="anci.reviewer@example.cn"]')
    assert row.get_attribute("data-status") == "active"
    confirm = row.locator("form").get_attribute("data-confirm")
    assert confirm and ("no longer sign in" in confirm if english else "不能再登录" in confirm)
    screenshot(page, f"{page.tcr_viewport}-{page.tcr_lang}-station")

    page.goto(base + "/bureau/stations")
    added = page.locator('#stations tr[data-code="131002"]')
    assert added.locator('[data-key="reviewers"]').inner_text().split() == ["1", "/", "1"]
