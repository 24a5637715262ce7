"""The confirmation asked before an act with legal effect (static/js/tcr.js on forms with data-confirm): the dialog
states the consequence, cancelling sends nothing, confirming sends the form; without JavaScript the form still
sends."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from app.extensions import db
from app.models import Contract
from tests.e2e.conftest import sign_in_browser

DIALOG = "dialog.tcr-confirm"


def status_of(app, contract_id: int) -> str:
    with app.app_context():
        return db.session.get(Contract, contract_id).status


@pytest.mark.e2e
def test_accepting_asks_first_cancel_sends_nothing_and_confirm_sends(
    app, live_server, browser_page, make_account, file_contract, screenshot
):
    page = browser_page
    contract_id = file_contract()
    sign_in_browser(page, live_server, make_account("reviewer", station_code="130402"))
    page.goto(f"{live_server}/station/contracts/{contract_id}")
    posts = []
    page.on("request", lambda request: posts.append(request.url) if request.method == "POST" else None)

    page.locator("#form-accept button[type=submit]").click()
    dialog = page.locator(DIALOG)
    dialog.wait_for(state="visible")
    assert "受理该申请" in dialog.inner_text() and "应于" in dialog.inner_text()
    assert page.evaluate("document.querySelector('dialog.tcr-confirm').open")  # modal: the page behind is inert
    screenshot(page, "dialog")
    dialog.get_by_role("button", name="取消").click()
    expect(page.locator(DIALOG)).to_have_count(0)  # the dialog closes on the next task, not at once
    page.wait_for_timeout(300)
    assert posts == [] and status_of(app, contract_id) == "submitted"

    page.locator("#form-accept button[type=submit]").click()  # Escape is a cancel too
    page.locator(DIALOG).wait_for(state="visible")
    page.keyboard.press("Escape")
    expect(page.locator(DIALOG)).to_have_count(0)  # the dialog closes on the next task, not at once
    page.wait_for_timeout(300)
    assert posts == [] and status_of(app, contract_id) == "submitted"

    page.locator("#form-accept button[type=submit]").click()
    with page.expect_navigation():
        page.locator(DIALOG).get_by_role("button", name="确认").click()
    assert len(posts) == 1 and posts[0].endswith(f"/station/contracts/{contract_id}/accept")
    assert status_of(app, contract_id) == "accepted" and "已受理" in page.locator("#contract-status").inner_text()


@pytest.mark.e2e
def test_without_javascript_the_form_still_sends(app, live_server, browser_page, make_account, file_contract):
    contract_id = file_contract()
    context = browser_page.context.browser.new_context(java_script_enabled=False)
    page = context.new_page()
    sign_in_browser(page, live_server, make_account("reviewer", station_code="130402"))
    page.goto(f"{live_server}/station/contracts/{contract_id}")
    with page.expect_navigation():
        page.locator("#form-accept button[type=submit]").click()
    assert status_of(app, contract_id) == "accepted"
    context.close()
