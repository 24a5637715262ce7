"""Eligibility facts of DOMAIN.md §8, each with its basis."""

from __future__ import annotations

from datetime import date

import pytest

from app.domain.eligibility import eligibility_facts

BEFORE_VAT_LAW, UNDER_VAT_LAW = date(2025, 12, 31), date(2026, 1, 1)


def facts(
    category="development",
    subtype="commissioned",
    ip_type="none",
    nature="150",
    country="156",
    years=None,
    buyer_nature="160",
    buyer_country="156",
    registered_on=BEFORE_VAT_LAW,
):
    return eligibility_facts(
        category,
        subtype,
        ip_type,
        nature,
        country,
        years,
        buyer_nature=buyer_nature,
        buyer_country=buyer_country,
        registered_on=registered_on,
    )


@pytest.mark.parametrize(
    "category, eligible",
    [("development", True), ("transfer", True), ("licensing", True), ("consultation", False), ("service", False)],
)
def test_vat_exemption_by_category(category, eligible):
    fact = facts(category=category)["vat_exemption"]
    assert fact["eligible"] is eligible and "36号" in fact["basis"]


@pytest.mark.parametrize(
    "category, subtype, ip_type, years, nature, country, status",
    [
        ("transfer", "patent_right", "invention_patent", None, "150", "156", "needs_review"),
        ("transfer", "other_transfer", "software_copyright", None, "170", "156", "needs_review"),
        ("transfer", "know_how", "know_how", None, "150", "156", "not_eligible"),
        ("transfer", "patent_application_right", "invention_patent", None, "150", "156", "not_eligible"),
        ("licensing", "patent_license", "invention_patent", 5, "150", "156", "needs_review"),
        ("licensing", "patent_license", "invention_patent", 4, "150", "156", "not_eligible"),
        ("licensing", "know_how_license", "know_how", 10, "150", "156", "not_eligible"),
        ("transfer", "patent_right", "invention_patent", None, "400", "156", "not_eligible"),  # an individual seller
        ("transfer", "patent_right", "invention_patent", None, "150", "840", "not_eligible"),  # a foreign seller
        ("development", "commissioned", "none", None, "150", "156", "not_eligible"),
    ],
)
def test_income_tax_relief_on_transfer_income(category, subtype, ip_type, years, nature, country, status):
    fact = facts(category, subtype, ip_type, nature, country, years)["cit_transfer_income"]
    assert fact["status"] == status and "第二十七条" in fact["basis"]
    if status == "needs_review":
        assert fact["eligible"] is None and "关联" in fact["reason"]


@pytest.mark.parametrize("category, eligible", [("development", True), ("transfer", False), ("service", False)])
def test_rd_super_deduction_for_the_buyer_of_development(category, eligible):
    assert facts(category=category)["rd_super_deduction"]["eligible"] is eligible


def test_vat_basis_before_2026_is_circular_36_and_confirmed():
    fact = facts(registered_on=BEFORE_VAT_LAW)["vat_exemption"]
    assert fact["basis"].startswith("财税〔2016〕36号") and "增值税法" not in fact["basis"]
    assert fact["confirmed"] is True and fact["basis_valid_from"] == "2016-05-01"


def test_vat_basis_from_2026_is_the_vat_law_and_unconfirmed():
    fact = facts(registered_on=UNDER_VAT_LAW)["vat_exemption"]
    assert fact["basis"].startswith("《中华人民共和国增值税法》") and fact["confirmed"] is False
    assert fact["basis_valid_from"] == "2026-01-01" and fact["eligible"] is True


def test_vat_basis_of_a_registration_not_yet_made_is_the_one_in_force_now():
    assert (
        eligibility_facts("transfer", "patent_right", "invention_patent", "150", "156", None)["vat_exemption"][
            "confirmed"
        ]
        is False
    )


@pytest.mark.parametrize(
    "buyer_nature, buyer_country, seller_country, status, basis",
    [
        ("160", "156", "156", "eligible", "119号"),  # an enterprise buyer
        ("230", "156", "156", "eligible", "119号"),  # a wholly Hong Kong-owned enterprise in China
        ("330", "156", "156", "eligible", "119号"),  # a wholly foreign-owned enterprise in China
        ("010", "156", "156", "not_eligible", "119号"),  # a government body pays no income tax
        ("400", "156", "156", "not_eligible", "119号"),  # an individual pays no enterprise income tax
        (None, "840", "156", "not_eligible", "119号"),  # a buyer abroad
        ("160", "156", "840", "needs_review", "64号"),  # R&D commissioned abroad has its own rule
        ("022", "156", "156", "needs_review", "119号"),  # a university: whether it claims must be checked
        (None, "156", "156", "needs_review", "119号"),
    ],
)
def test_rd_super_deduction_only_for_an_enterprise_buyer_paying_income_tax(
    buyer_nature, buyer_country, seller_country, status, basis
):
    fact = facts(buyer_nature=buyer_nature, buyer_country=buyer_country, country=seller_country)["rd_super_deduction"]
    assert fact["status"] == status and basis in fact["basis"]


@pytest.mark.parametrize("registered_on", [BEFORE_VAT_LAW, UNDER_VAT_LAW])
def test_transfer_income_relief_states_that_a_city_registration_needs_provincial_confirmation(registered_on):
    fact = facts("transfer", "patent_right", "invention_patent", registered_on=registered_on)["cit_transfer_income"]
    assert fact["provincial_confirmation_required"] is True and "省级" in fact["reason"]
    provincial = eligibility_facts(
        "transfer", "patent_right", "invention_patent", "150", "156", None, provincial_registry=True
    )["cit_transfer_income"]
    assert provincial["provincial_confirmation_required"] is False and "省级" not in provincial["reason"]


def test_a_relief_that_does_not_apply_needs_no_provincial_confirmation():
    fact = facts("development")["cit_transfer_income"]
    assert fact["status"] == "not_eligible" and "provincial_confirmation_required" not in fact
