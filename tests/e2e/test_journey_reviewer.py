"""The reviewer's day and the second reviewer's, in Chromium on the README's demo (desktop and phone, Chinese and
English): open the queue, accept a filing (confirmed), return another for amendment, see what the applicant changed,
register it with a correction (confirmed); then the second reviewer finds the large contract waiting for their
approval at the top of the queue and approves it, and the timeline credits both."""

from __future__ import annotations

import io
import re
from decimal import Decimal

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Contract, User
from app.review.services import experts, review
from tests.e2e.conftest import (
    CONFIRM_DIALOG,
    DEMO_SELLER,
    confirm,
    open_details,
    sign_in_browser,
    switch_user,
    use_language,
)
from tests.factories import MINIMAL_PDF, filing

WORDS = {
    "zh": {"changed": "自上次提交以来的变更", "to_approve": "件待您复核", "pending": "等待第二位审核人复核"},
    "en": {
        "changed": "Changes since the last submission",
        "to_approve": "awaiting your approval",
        "pending": "Waiting for a second reviewer",
    },
}


class Applicant:
    """The demo applicant filing through the API (the applicant's own journey is another test)."""

    def __init__(self, app):
        from app.accounts.services import tokens

        self.client = app.test_client()
        with app.app_context():
            user = db.session.scalars(select(User).where(User.email == "applicant@demo.tcr")).one()
            _, plain = tokens.create_token(user, "journey")
            db.session.commit()
        self.headers = {"Authorization": f"Bearer {plain}"}

    def file(self, **overrides) -> int:
        data = filing(seller=DEMO_SELLER, **overrides)
        contract_id = self.client.post("/api/v1/contracts", json=data, headers=self.headers).json["id"]
        self.client.post(
            f"/api/v1/contracts/{contract_id}/attachments",
            data={"kind": "contract_text", "file": (io.BytesIO(MINIMAL_PDF), "合同文本.pdf")},
            headers=self.headers,
        )
        self.submit(contract_id)
        return contract_id

    def submit(self, contract_id: int) -> None:
        url = f"/api/v1/contracts/{contract_id}/submit"
        answer = self.client.post(url, json={}, headers=self.headers)
        if answer.status_code == 422:  # warnings to acknowledge
            warnings = [e["code"] for e in answer.json["errors"]]
            answer = self.client.post(url, json={"acknowledge": warnings}, headers=self.headers)
        assert answer.status_code == 200, answer.json

    def amend(self, contract_id: int, **changes) -> None:
        url = f"/api/v1/contracts/{contract_id}"
        assert self.client.patch(url, json=changes, headers=self.headers).status_code == 200
        self.submit(contract_id)


def propose_large(app, contract_id: int) -> None:
    """The first reviewer accepts (the filing goes to the expert panel, whose opinion the bureau records) and
    proposes a registration above the four-eyes threshold (services)."""
    with app.app_context():
        reviewer = db.session.scalars(select(User).where(User.email == "reviewer@demo.tcr")).one()
        bureau = db.session.scalars(select(User).where(User.email == "bureau@demo.tcr")).one()
        contract = db.session.get(Contract, contract_id)
        review.accept(reviewer, contract)
        assert contract.status == "expert_review"
        experts.record_opinion(bureau, contract, "supports", "专家组同意登记。")
        review.register(reviewer, contract, "development", "commissioned", Decimal("12000000.00"), note="大额合同")
        db.session.commit()


def status_of(app, contract_id: int) -> str:
    with app.app_context():
        return db.session.get(Contract, contract_id).status


def open_from_queue(page, url: str, title: str) -> None:
    """Find a filing in the queue by its title and open it (2 clicks: filter, row)."""
    page.goto(f"{url}/station/queue")
    page.fill("#i-q", title)
    with page.expect_navigation():  # waits for the new page's load event: its scripts (the confirmation) are ready
        page.locator("form[role=search] button[type=submit]").click()
    with page.expect_navigation():
        page.locator("#queue tbody a.fw-medium", has_text=title).click()


@pytest.mark.e2e
def test_reviewer_and_second_reviewer_day(app, demo_site, journey_page, screenshot):
    page, url, lang = journey_page, demo_site.url, journey_page.tcr_lang
    words = WORDS[lang]
    applicant = Applicant(app)
    first = applicant.file(title="旅程甲：余热回收技术开发", amount="1210000.00", technical_amount="1040000.00")
    second = applicant.file(title="旅程乙：智能巡检技术开发", amount="1320000.00", technical_amount="1150000.00")
    large = applicant.file(
        title="旅程丙：大型装备技术开发", amount="12500000.00", technical_amount="12500000.00", deductions=[]
    )
    propose_large(app, large)

    # The reviewer: the queue, then accept the first filing (confirmed).
    sign_in_browser(page, url, demo_site.accounts["reviewer"])
    use_language(page, url)
    page.goto(f"{url}/station/queue")
    assert page.locator("#queue tbody tr").count() > 0
    screenshot(page, "1-queue")
    open_from_queue(page, url, "旅程甲")
    page.locator("#form-accept button[type=submit]").click()
    page.locator(CONFIRM_DIALOG).wait_for(state="visible")
    screenshot(page, "2-accept-confirm")
    said = confirm(page)
    assert re.search(r"\d{4}-\d{2}-\d{2}", said)
    assert status_of(app, first) == "accepted"

    # Return the second for amendment (confirmed).
    open_from_queue(page, url, "旅程乙")  # returned for amendment straight from the queue, before acceptance
    open_details(page, "#action-request_amendment")
    page.fill("#amend-reasons", "请说明价款构成\n补充技术内容摘要")
    page.locator("#action-request_amendment button[type=submit]").click()
    confirm(page)
    assert status_of(app, second) == "amendment_requested"
    screenshot(page, "3-amendment-requested")

    # The applicant answers (API); the reviewer sees what changed.
    applicant.amend(
        second,
        summary="补正：研究开发智能巡检算法，交付软件与测试报告。",
        amount="1350000.00",
        technical_amount="1180000.00",
    )
    page.reload()
    panel = page.locator("#changed")
    assert words["changed"] in panel.inner_text() and "请说明价款构成" in panel.inner_text()
    assert "1,350,000.00" in panel.locator("[data-field=amount]").inner_text()
    assert "智能巡检算法" in panel.locator("[data-field=summary]").inner_text()
    panel.scroll_into_view_if_needed()
    screenshot(page, "4-what-changed")

    # Register with a correction (confirmed).
    page.locator("#form-accept button[type=submit]").click()
    confirm(page)
    open_details(page, "#action-register")
    page.fill("#register-amount", "1100000.00")
    page.fill("#register-reason-3", "扣除设备购置费")
    page.locator("#form-register button[type=submit]").click()
    said = confirm(page, "邯郸示范科技有限公司")
    assert status_of(app, second) == "registered"
    assert re.fullmatch(r"\d{16}", page.locator("#registration-number").inner_text().strip())
    screenshot(page, "5-registered")

    # The second reviewer: what waits for their approval is the first thing on the queue.
    switch_user(page, url, demo_site.accounts["second_reviewer"])
    page.goto(f"{url}/station/queue")
    callout = page.locator("#to-approve")
    assert words["to_approve"] in callout.inner_text() and page.locator("#to-approve-count").inner_text() == "1"
    screenshot(page, "6-to-approve")
    with page.expect_navigation():
        callout.locator(f"a[href*='/contracts/{large}']").click()
    assert words["pending"] in page.locator("#pending-banner").inner_text()
    assert "李审核" in page.locator("#pending-banner").inner_text()
    screenshot(page, "7-pending")
    page.locator("#approve-button").click()
    confirm(page)
    assert status_of(app, large) == "registered"
    credit = page.locator("#timeline [data-credit=four-eyes]").last.inner_text()
    assert "李审核" in credit and "王复核" in credit
    screenshot(page, "8-approved")
