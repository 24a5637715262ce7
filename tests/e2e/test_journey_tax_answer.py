"""The tax office answers back, in Chromium on the README's demo (phone in Chinese, desktop in English): the tax
officer looks up a registration of the 邯山区 station, records the seller's VAT exemption for this year and objects to
the registration (confirmed); the station's reviewer finds the objection in the station's list and upholds the
registration with a note (confirmed); the officer's own list shows the objection answered."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Contract, ContractParty, Station, TaxObjection
from tests.e2e.conftest import confirm, open_details, sign_in_browser, switch_user, use_language


def registration_to_object_to(app) -> tuple[str, str]:
    """A development registration of the 邯山区 station whose seller has a credit code and that no tax office has
    objected to: its number and the seller's code."""
    with app.app_context():
        row = db.session.execute(
            select(Contract.registration_number, ContractParty.credit_code)
            .join(ContractParty, (ContractParty.contract_id == Contract.id) & (ContractParty.role == "seller"))
            .join(Station, Station.id == Contract.station_id)
            .where(
                Contract.status == "registered",
                Contract.category == "development",
                Station.code == "130402",
                ContractParty.credit_code.is_not(None),
                ~Contract.id.in_(select(TaxObjection.contract_id)),
            )
            .order_by(Contract.id.desc())
        ).first()
    if row is None:
        pytest.fail("the demo has no development registration of the 邯山区 station")
    return row.registration_number, row.credit_code


@pytest.mark.e2e
def test_a_tax_officer_records_a_claim_and_objects_and_the_station_answers(app, demo_site, journey_page, screenshot):
    page, url = journey_page, demo_site.url
    variant = f"{page.tcr_viewport}-{page.tcr_lang}"
    number, seller_code = registration_to_object_to(app)

    # The tax officer records the seller's VAT exemption for this year on the registration.
    sign_in_browser(page, url, demo_site.accounts["tax"])
    use_language(page, url)
    page.goto(f"{url}/tax/lookup?number={number}")
    page.select_option("#claim-preference", "vat_exemption")
    page.select_option("#claim-claimant", seller_code)
    with page.expect_navigation():
        page.click("#record-claim")
    claim = page.locator('#claims tr[data-preference="vat_exemption"]')
    assert seller_code in claim.inner_text()

    # ... and objects to it: the station is to re-review it (confirmed).
    page.fill("#objection-reason", "研发内容与登记的技术开发类别不符，请复核。")
    page.click("#raise-objection")
    confirm(page)
    assert page.locator('#objections [data-status="open"]').count() == 1
    assert page.locator("#objection-form").count() == 0  # one open objection at a time
    screenshot(page, f"{variant}-1-officer")

    # The station's reviewer finds it among the objections waiting and upholds the registration (confirmed).
    switch_user(page, url, demo_site.accounts["reviewer"])
    page.goto(f"{url}/station/objections")
    with page.expect_navigation():
        page.locator("#open-objections a", has_text=number).click()
    assert "研发内容与登记的技术开发类别不符" in page.locator("#objection-reason").inner_text()
    open_details(page, "#answer-upheld")
    page.fill("#upheld-note", "经复核，合同约定的研发内容属于委托开发，登记无误。")
    page.locator("#form-upheld button[type=submit]").click()
    confirm(page)
    assert page.locator("#answer").get_attribute("data-outcome") == "upheld"
    screenshot(page, f"{variant}-2-station")

    # The officer's own list shows the objection answered, with the station's note.
    switch_user(page, url, demo_site.accounts["tax"])
    page.goto(f"{url}/tax/answers")
    answered = page.locator('#my-objections tr[data-outcome="upheld"]')
    assert number in answered.inner_text() and "登记无误" in answered.inner_text()
    assert page.locator('#my-claims tr[data-preference="vat_exemption"]').count() >= 1
    screenshot(page, f"{variant}-3-answered")
