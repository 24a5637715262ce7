"""The four-eyes rule: which registrations and changes need a second reviewer."""

from __future__ import annotations

from decimal import Decimal

import pytest

from app.domain.four_eyes import REASONS, Classification, second_review_reasons

THRESHOLD = Decimal("10000000.00")


def facts(amount: str, category: str = "development", subtype: str = "commissioned") -> Classification:
    return Classification(category, subtype, Decimal(amount))


@pytest.mark.parametrize(
    "declared, certified, expected",
    [
        (facts("9999999.99"), facts("9999999.99"), ()),
        (facts("10000000.00"), facts("10000000.00"), ("amount.threshold",)),  # at the threshold counts
        (facts("12000000.00"), facts("9000000.00"), ()),  # the station certifies less than declared
        (facts("100.00"), facts("100.00", "service", "training"), ("category.changed",)),
        (facts("100.00", "transfer", "know_how"), facts("100.00", "transfer", "patent_right"), ("subtype.tax_class",)),
        (facts("100.00"), facts("100.00", "development", "cooperative"), ()),
    ],
)
def test_a_first_registration_counts_its_whole_certified_amount(declared, certified, expected):
    assert second_review_reasons(THRESHOLD, declared, certified, in_force=False) == expected


@pytest.mark.parametrize(
    "in_force, changed, expected",
    [
        (facts("9999999.99"), facts("12000000.00"), ("amount.threshold",)),  # the loophole
        (facts("12000000.00"), facts("12000000.00", "development", "cooperative"), ()),  # a large one, amount kept
        (facts("12000000.00"), facts("11000000.00"), ("amount.threshold", "amount.from_threshold")),
        (facts("12000000.00"), facts("100.00"), ("amount.from_threshold",)),
        (facts("100.00"), facts("900.00"), ()),
        (facts("100.00"), facts("100.00", "consultation", "consultation"), ("category.changed",)),
    ],
)
def test_a_change_counts_what_it_alters(in_force, changed, expected):
    assert second_review_reasons(THRESHOLD, in_force, changed, in_force=True) == expected


def test_every_reason_has_a_label_in_both_languages():
    assert all(label.zh and label.en for label in REASONS.values())
