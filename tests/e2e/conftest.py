"""Fixtures of the real-browser tests: the test application served over HTTP, and a headless Debian Chromium."""

from __future__ import annotations

import os

import pytest

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
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state()
