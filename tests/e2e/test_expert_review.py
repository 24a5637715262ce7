"""Expert review in Chromium (desktop and phone, Chinese and English): a large filing goes to the expert panel when
the reviewer accepts it (confirmed), the bureau records the panel's opinion with its PDF from its list (confirmed),
and the reviewer finds the opinion on the filing, which is back with the station."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.conftest import confirm, sign_in_browser, switch_user, use_language
from tests.e2e.test_journey_reviewer import Applicant, open_from_queue, status_of
from tests.factories import MINIMAL_PDF


@pytest.mark.e2e
def test_a_large_filing_goes_to_the_panel_and_comes_back_with_its_opinion(
    app, demo_site, journey_page, screenshot, tmp_path
):
    page, url = journey_page, demo_site.url
    large = Applicant(app).file(
        title="专家评审：大型装备技术开发", amount="8000000.00", technical_amount="8000000.00", deductions=[]
    )

    sign_in_browser(page, url, demo_site.accounts["reviewer"])
    use_language(page, url)
    open_from_queue(page, url, "专家评审")
    page.locator("#form-accept button[type=submit]").click()
    confirm(page)
    assert status_of(app, large) == "expert_review"
    assert page.locator("#held-by").get_attribute("data-holder") == "experts"
    assert page.locator("#with-experts").is_visible() and page.locator("#form-register").count() == 0
    screenshot(page, "1-with-the-panel")

    switch_user(page, url, demo_site.accounts["bureau"])
    page.goto(f"{url}/bureau/expert-review")
    held = page.locator(f"#held-{large}")
    held.locator("select[name=outcome]").select_option("supports_with_changes")
    held.locator("textarea[name=opinion]").fill("专家组认为技术内容属实，建议核减技术交易额。")
    pdf = Path(tmp_path) / "opinion.pdf"
    pdf.write_bytes(MINIMAL_PDF)
    held.locator("input[name=file]").set_input_files(str(pdf))
    screenshot(page, "2-bureau-list")
    held.locator("button[type=submit]").click()
    confirm(page)
    assert status_of(app, large) == "accepted"
    assert page.locator(f"#held-{large}").count() == 0

    switch_user(page, url, demo_site.accounts["reviewer"])
    page.goto(f"{url}/station/contracts/{large}")
    opinion = page.locator("#expert-opinion")
    assert opinion.get_attribute("data-outcome") == "supports_with_changes"
    assert "核减技术交易额" in opinion.inner_text()
    assert page.locator("#form-register").count() == 1 and page.locator("#held-by").get_attribute("data-holder") == (
        "station"
    )
    screenshot(page, "3-opinion-for-the-station")
