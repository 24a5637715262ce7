"""In Chromium, the main pages of every role (and the API's Swagger UI) run under the Content-Security-Policy
without one violation: no inline script, no inline style, nothing from another origin."""

from __future__ import annotations

import pytest

from app.domain.clock import today_local
from tests.e2e.conftest import sign_in_browser

REGISTER = {"category": "development", "subtype": "commissioned", "certified_technical_amount": "1080000.00"}
# Collects what the browser reports; an init script runs before the page's own and is not subject to its CSP.
WATCH_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", function (event) {
  window.__violations.push(event.violatedDirective + " " + (event.blockedURI || "inline") + " " + event.sourceFile
                           + ":" + event.lineNumber);
});
"""


@pytest.fixture
def registry(app, api, api_as, make_account, file_contract):
    """Accounts of every role, a filing under review and a registration, and a goal on the dashboard."""
    from app.extensions import db
    from app.models import User
    from app.statistics.services import goals

    accounts = {role: make_account(role) for role in ("reviewer", "bureau", "tax")}
    reviewer = api_as(accounts["reviewer"])
    submitted, registered = file_contract(), file_contract(title="已登记的合同")
    reviewer.post(f"/api/v1/contracts/{registered}/accept", json={})
    number = reviewer.post(f"/api/v1/contracts/{registered}/register", json=REGISTER).json["registration_number"]
    with app.app_context():
        goals.set_goal(db.session.get(User, accounts["bureau"].id), today_local().year, "count", "10")
        db.session.commit()
    return accounts, submitted, registered, number


class Browser:
    """One Chromium page that signs in as a role, visits pages and keeps every CSP violation it sees."""

    def __init__(self, page, base_url: str):
        self.page, self.base_url, self.violations = page, base_url, []
        page.add_init_script(WATCH_VIOLATIONS)
        page.on("console", lambda message: self._console(message.text))

    def _console(self, text: str) -> None:
        if "Content Security Policy" in text:
            self.violations.append(f"{self.page.url}: {text}")

    def sign_in(self, account) -> None:
        self.page.context.clear_cookies()
        sign_in_browser(self.page, self.base_url, account)

    def visit(self, path: str, ready: str = "main") -> None:
        response = self.page.goto(self.base_url + path)
        assert response is not None and response.status < 500, (path, response and response.status)
        self.page.locator(ready).first.wait_for()
        self.violations.extend(f"{path}: {v}" for v in self.page.evaluate("window.__violations"))


@pytest.mark.e2e
def test_the_pages_of_every_role_satisfy_the_content_security_policy(registry, applicant, live_server, browser_page):
    accounts, submitted, registered, number = registry  # made before the browser: signing runs its own event loop
    browser = Browser(browser_page, live_server)
    pages = [  # (who signs in, what they open)
        (None, ["/", "/login", "/signup", "/verify", f"/verify/{number}", "/no-such-page"]),
        (
            applicant,
            [
                "/contracts",
                "/contracts/new?category=development&subtype=commissioned",
                f"/contracts/{registered}",
                "/account/tokens",
                "/account/password",
            ],
        ),
        (accounts["reviewer"], ["/station/queue", f"/station/contracts/{submitted}", "/stats", "/stats/annual"]),
        (
            accounts["bureau"],
            [
                "/bureau/stations",
                "/bureau/stations/130402",
                "/bureau/overdue",
                "/stats/goals",
                "/stats/supervision",
                f"/station/contracts/{registered}",
                "/stats",
            ],
        ),
        (accounts["tax"], ["/tax", f"/tax/lookup?number={number}"]),
    ]
    for account, paths in pages:
        if account is None:
            browser_page.context.clear_cookies()
        else:
            browser.sign_in(account)
        for path in paths:
            browser.visit(path)
        if account is accounts["bureau"]:  # the goal's progress bar, drawn without inline style, is drawn
            bar = browser_page.locator("#goals svg.tcr-progress").bounding_box()
            assert bar and bar["width"] > 100 and bar["height"] > 5
    browser.visit("/api/v1/docs", ready="#swagger-ui-container .info .title")
    assert "TCR API" in browser_page.locator("#swagger-ui-container .info .title").inner_text()
    assert browser.violations == []

    # The watch itself works: an inline style slipped into the page is reported.
    browser_page.evaluate("document.body.insertAdjacentHTML('beforeend', '<p style=\"color: red\">x</p>')")
    browser_page.wait_for_function("window.__violations.length > 0")
