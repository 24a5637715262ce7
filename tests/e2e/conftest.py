"""Fixtures of the real-browser tests: the test application served over HTTP, and a headless Debian Chromium."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

import pytest

from app.demo.seed import complete_credit_code

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture
def browser_page():
    if not os.path.exists(CHROMIUM):  # scripts/setup.sh installs it: a missing browser fails, never skips
        pytest.fail(f"no Chromium at {CHROMIUM}: install Debian's chromium package (scripts/setup.sh does, as root)")
    from playwright import sync_api

    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.set_default_timeout(15000)
        yield page
        browser.close()


def sign_in_browser(page, base_url: str, account) -> None:
    """Log in through the log-in form, as a user does."""
    page.goto(base_url + "/login")
    page.fill('[name="email"]', account.email)
    page.fill('[name="password"]', account.password)
    with page.expect_navigation():  # the session cookie is kept once the answer has arrived
        page.get_by_role("button", name="登录").click()


DEMO_EMAILS = {
    "applicant": "applicant@demo.tcr",
    "reviewer": "reviewer@demo.tcr",
    "second_reviewer": "reviewer2@demo.tcr",
    "bureau": "bureau@demo.tcr",
    "tax": "tax@demo.tcr",
}
VIEWPORTS = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}
SCREENSHOTS = Path(os.environ.get("TCR_SCREENSHOTS", "test-output/screenshots"))


@dataclass
class DemoAccount:
    email: str
    password: str


@pytest.fixture
def demo_site(app, live_server):
    """The README's demo (`flask demo seed`: stations, one account per role with the printed password; and a small
    `flask demo synth`), built once per session and copied for this test (the `app` fixture sees this fixture and
    starts from that copy), served over HTTP. Returns the base URL and the demo accounts."""
    from app.demo.seed import DEMO_PASSWORD

    app.config["PUBLIC_BASE_URL"] = live_server  # links and QR codes point at this server, as run.sh arranges
    accounts = {role: DemoAccount(email, DEMO_PASSWORD) for role, email in DEMO_EMAILS.items()}
    return SimpleNamespace(url=live_server, accounts=accounts)


@pytest.fixture
def screenshot(request):
    """screenshot(page, name): keep a full-page PNG in the test output (TCR_SCREENSHOTS, default
    test-output/screenshots/), named after the test, for a person to look at."""

    def take(page, name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{request.node.name}-{name}.png".replace("/", "_")
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


# Each journey runs on a phone in Chinese (an enterprise's filer) and on a desktop in English (the longer text on the
# wide layout): every viewport and every language, pairwise. TCR_E2E_VARIANTS=all runs the four combinations.
ALL_VARIANTS = [(viewport, lang) for viewport in VIEWPORTS for lang in ("zh", "en")]
VARIANTS = ALL_VARIANTS if os.environ.get("TCR_E2E_VARIANTS") == "all" else [("phone", "zh"), ("desktop", "en")]


@pytest.fixture(params=VARIANTS, ids=lambda p: f"{p[0]}-{p[1]}")
def journey_page(request, browser_page):
    """A browser page on a desktop or a phone viewport, in Chinese or English (the language switch a user
    clicks sets the same preference)."""
    viewport, lang = request.param
    browser_page.set_viewport_size(VIEWPORTS[viewport])
    browser_page.tcr_viewport, browser_page.tcr_lang = viewport, lang
    return browser_page


def use_language(page, base_url: str) -> None:
    """Switch to the journey's language as a user does (the switch in the header sets ?lang=, remembered)."""
    page.goto(f"{base_url}/?lang={getattr(page, 'tcr_lang', 'zh')}")


CONFIRM_DIALOG = "dialog.tcr-confirm"

# The demo applicant's organisation (`flask demo seed`), as the seller of the contracts journeys file for it.
DEMO_SELLER = {
    "name": "邯郸示范科技有限公司",
    "credit_code": complete_credit_code("91130402MA0DEM001"),
    "area_code": "130402",
    "nature": "150",
}


def switch_user(page, base_url: str, account) -> None:
    """Sign out (the cookies go) and sign in as another person, in the journey's language."""
    page.context.clear_cookies()
    sign_in_browser(page, base_url, account)
    use_language(page, base_url)


def ask_for_supplement(page, amount: str, technical_amount: str, reason: str) -> None:
    """On the applicant's registered contract: ask the station to certify the amounts now known (confirmed)."""
    open_details(page, "#request-supplement")
    form = page.locator("#form-request-supplement")
    form.locator('[name="amount"]').fill(amount)
    form.locator('[name="technical_amount"]').fill(technical_amount)
    form.locator('[name="reason"]').fill(reason)
    form.locator("button[type=submit]").click()
    confirm(page)


def approve_request(page, note: str | None = None) -> None:
    """On the station's contract page: approve the applicant's pending request, with a note (confirmed)."""
    form = page.locator("form[id^='form-approve-request-']")
    if note:
        form.locator('[name="note"]').fill(note)
    form.locator("button[type=submit]").click()
    confirm(page)


def open_details(page, selector: str) -> None:
    """Open a <details> section by clicking its summary, as a user does, and wait until it is open. A click that
    lands while the page still moves (a loaded machine finishing its layout) missed it: a user clicks again, and
    so does this, up to three times."""
    from playwright.sync_api import expect

    details = page.locator(selector)
    for _ in range(3):
        if details.get_attribute("open") is not None:
            return
        details.locator("summary").first.click()
        try:
            expect(details).to_have_attribute("open", "", timeout=5000)
            return
        except AssertionError:
            continue
    raise AssertionError(f"{selector} did not open after three clicks on its summary")


def confirm(page, expected: str | None = None) -> str:
    """Answer the site's confirmation dialog (a form with data-confirm) with 确认 / Confirm, and wait for the page
    the form leads to; returns what the dialog said."""
    dialog = page.locator(CONFIRM_DIALOG)
    dialog.wait_for(state="visible", timeout=45000)  # a loaded CI machine can be slow to run the page script
    said = dialog.inner_text()
    if expected:
        assert expected in said, said
    with page.expect_navigation():
        dialog.locator("[data-confirm-answer=ok]").click()
    return said


def registered_demo_contract(app, title: str) -> int:
    """The demo enterprise's contract, registered through the services in a thread of its own (the station signs
    the certificate with an event loop of its own, which the browser's loop in this thread would refuse)."""
    import threading

    from sqlalchemy import select

    from app.demo.income import registered_contract
    from app.extensions import db
    from app.models import User

    made = {}

    def register() -> None:
        with app.app_context():
            emails = [DEMO_EMAILS[k] for k in ("applicant", "reviewer", "second_reviewer")]
            users = [db.session.scalars(select(User).where(User.email == e)).one() for e in emails]
            made["id"] = registered_contract(*users, title=title).id
            db.session.commit()

    worker = threading.Thread(target=register)
    worker.start()
    worker.join()
    return made["id"]
