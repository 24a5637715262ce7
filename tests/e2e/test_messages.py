"""The message centre in a real browser, on the README's demo: a reviewer accepts the demo applicant's filing, the
applicant sees the unread count in the header (on a phone too), opens the message and the count goes down."""

from __future__ import annotations

import io
import re

from sqlalchemy import select

from app.extensions import db
from app.filing.schemas import ContractIn
from app.filing.services import attachments, contracts
from app.models import User
from app.review.services import review
from tests.e2e.conftest import DEMO_SELLER, sign_in_browser, use_language
from tests.factories import MINIMAL_PDF, filing


def _accepted_filing(app, demo_site) -> int:
    """The demo applicant files a contract and the demo reviewer accepts it (through the services)."""
    with app.app_context():
        by_email = {u.email: u for u in db.session.scalars(select(User).where(User.email.like("%@demo.tcr")))}
        applicant = by_email[demo_site.accounts["applicant"].email]
        reviewer = by_email[demo_site.accounts["reviewer"].email]
        contract = contracts.create_draft(
            applicant, ContractIn().load(filing(title="消息中心演示合同", seller=DEMO_SELLER))
        )
        attachments.add_attachment(applicant, contract, io.BytesIO(MINIMAL_PDF), "合同文本.pdf", "contract_text")
        contracts.submit(applicant, contract)
        review.accept(reviewer, contract)
        db.session.commit()
        return contract.id


def _unread(page) -> int:
    badge = page.locator("#nav-messages-unread")
    return int(badge.inner_text()) if badge.count() else 0


def test_the_applicant_reads_a_notice_in_the_message_centre(app, demo_site, journey_page, screenshot):
    page, url = journey_page, demo_site.url
    contract_id = _accepted_filing(app, demo_site)
    sign_in_browser(page, url, demo_site.accounts["applicant"])
    use_language(page, url)
    page.goto(url + "/contracts")

    badge = page.locator("#nav-messages-unread")
    assert badge.is_visible()  # in the masthead: visible on a phone, where the menu collapses
    before = _unread(page)
    assert before >= 1
    screenshot(page, "badge")

    page.locator("#nav-messages").click()  # 1
    page.wait_for_url(re.compile(r".*/messages$"))
    notice = page.locator("#messages a[data-status='unread']", has_text=f"#{contract_id}")
    assert notice.count() == 1
    # nothing sticks out on the right, the header with its badge included (phone and English too)
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
    screenshot(page, "list")

    notice.click()  # 2
    page.wait_for_url(re.compile(r".*/messages/\d+$"))
    assert f"#{contract_id}" in page.locator("#message h1").inner_text()
    assert _unread(page) == before - 1
    screenshot(page, "message")

    page.locator("#message-link").click()  # 3: what the notice is about
    page.wait_for_url(re.compile(rf".*/contracts/{contract_id}$"))
    assert "消息中心演示合同" in page.content()
