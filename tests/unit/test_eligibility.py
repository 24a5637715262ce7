"""Eligibility facts of DOMAIN.md §8, each with its basis."""

from __future__ import annotations

import pytest

from app.domain.eligibility import eligibility_facts


def facts(category="development", subtype="commissioned", ip_type="none", nature="150", country="156", years=None):
    return eligibility_facts(category, subtype, ip_type, nature, country, years)


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
