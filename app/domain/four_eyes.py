"""Four eyes: whether an act with legal effect on a registration needs a second reviewer's approval.

One rule for every path that fixes or alters what a registration certifies (its class and its certified technical
amount): the station's first registration, a change after registration, and applicants' requests the station
approves. A reviewer cannot split a large act into small ones: whatever crosses the line needs two people.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from app.domain.catalogue import Label
from app.domain.eligibility import CIT_OWNERSHIP_SUBTYPES

# Why a second reviewer is needed, by stable code.
REASONS: dict[str, Label] = {
    "amount.threshold": Label(
        "认定技术交易额达到双人审核限额", "The certified technical amount reaches the four-eyes threshold"
    ),
    "amount.from_threshold": Label(
        "变更达到双人审核限额的认定技术交易额",
        "It alters a certified technical amount at or above the four-eyes threshold",
    ),
    "category.changed": Label("合同类别发生变化", "The category changes"),
    "subtype.tax_class": Label(
        "技术转让子类的变化影响所得税优惠",
        "The sub-type moves the contract into or out of the income-tax relief on ownership transfers",
    ),
}


@dataclass(frozen=True)
class Classification:
    """What a registration certifies: the class (category and sub-type) and the certified technical amount."""

    category: str | None
    subtype: str | None
    certified_technical_amount: Decimal | None


def _at_or_above(amount: Decimal | None, threshold: Decimal) -> bool:
    return amount is not None and amount >= threshold


def second_review_reasons(
    threshold: Decimal, before: Classification, after: Classification, *, in_force: bool
) -> tuple[str, ...]:
    """The codes of REASONS that make `after` need a second reviewer; empty when one reviewer may act alone.

    `before` is the registration in force (`in_force`) or, for a first registration, the filing as declared: a
    first registration counts its whole certified amount, a change only an amount it alters."""
    reasons = []
    amount_changed = after.certified_technical_amount != before.certified_technical_amount
    if _at_or_above(after.certified_technical_amount, threshold) and (amount_changed or not in_force):
        reasons.append("amount.threshold")
    if in_force and amount_changed and _at_or_above(before.certified_technical_amount, threshold):
        reasons.append("amount.from_threshold")  # one reviewer may not undo what two approved
    if after.category != before.category:
        reasons.append("category.changed")
    elif (after.subtype in CIT_OWNERSHIP_SUBTYPES) != (before.subtype in CIT_OWNERSHIP_SUBTYPES):
        reasons.append("subtype.tax_class")
    return tuple(reasons)


def may_pay(approved_by_id: int | None, payer_id: int) -> bool:
    """Money out needs two people: the account that approved a subsidy claim cannot also mark it paid."""
    return approved_by_id is not None and approved_by_id != payer_id
