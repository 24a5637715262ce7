"""The county assessment in Chromium on the README's demo (desktop and phone, Chinese and English): the bureau
goes from the statistics to the county assessment, sets the counties' targets on one form (a wrong rate comes back
beside its field, nothing saved), reads the ranking with met and missed, and opens the PDF report."""

from __future__ import annotations

import subprocess

import pytest
from playwright.sync_api import expect

from app.domain.clock import today_local
from app.statistics.services import assessment
from tests.e2e.conftest import sign_in_browser, use_language


@pytest.mark.e2e
def test_the_bureau_sets_county_targets_and_reads_the_ranking(app, demo_site, journey_page, screenshot):
    page, url = journey_page, demo_site.url
    year = today_local().year
    with app.app_context():  # a county that registered something in last year's same period: it has a growth rate
        based = next(s.area for s in assessment.assess(year, today_local()).standings if s.growth_rate is not None)
    sign_in_browser(page, url, demo_site.accounts["bureau"])
    use_language(page, url)

    # From the statistics to the assessment: the demo's seeded targets already rank the counties.
    page.goto(f"{url}/stats")
    with page.expect_navigation():
        page.locator(f'a[href="/bureau/assessment?year={year}"]').first.click()
    rows = page.locator("#ranking tbody tr")
    expect(rows).to_have_count(18)
    assert page.locator('#ranking [data-met="true"]').count() + page.locator('#ranking [data-met="false"]').count()

    # The targets: one form for every county; a rate beyond 1000 % is refused beside its field.
    with page.expect_navigation():
        page.locator("#set-targets").click()
    page.fill('[name="130402-growth_rate"]', "1200")
    page.fill(f'[name="{based.code}-growth_rate"]', "-100")
    page.fill(f'[name="{based.code}-target_amount"]', "")
    with page.expect_navigation():
        page.locator('#targets-form button[type="submit"]').click()
    expect(page.locator('[name="130402-growth_rate"]')).to_have_class("form-control form-control-sm is-invalid")
    screenshot(page, "refused")
    page.fill('[name="130402-growth_rate"]', "18.5")
    with page.expect_navigation():
        page.locator('#targets-form button[type="submit"]').click()
    page.wait_for_url(f"**/bureau/assessment?year={year}")

    # The ranking: a target of −100 % (no amount) is met whatever the county registered; 邯山区 shows its new rate.
    expect(page.locator(f'#ranking tr[data-code="{based.code}"] [data-met="true"]')).to_have_count(1)
    expect(page.locator('#ranking tr[data-code="130402"] [data-key="target"]')).to_have_text("+18.50%")
    ranks = [int(r) for r in page.locator("#ranking tbody tr").evaluate_all("rows => rows.map(r => r.dataset.rank)")]
    assert ranks == list(range(1, 19))
    screenshot(page, "ranking")

    # The PDF report for the leadership.
    href = page.locator("#assessment-pdf").get_attribute("href")
    answer = page.request.get(url + href)
    assert answer.status == 200 and answer.headers["content-type"] == "application/pdf"
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=answer.body(), capture_output=True).stdout
    assert "邯山区".encode() in text and b"18.50%" in text
