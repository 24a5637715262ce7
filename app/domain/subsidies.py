"""Subsidy arithmetic and codes (DOMAIN.md §12, the plan's city fund): who benefits, on which amount, how much.

The amount is rate × basis, rounded to the fen (half up), capped per contract and by what is left of the cap per
organisation and year. Pure functions: the services supply the figures from the registry.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from app.domain.catalogue import Label
from app.domain.money import CENT

BENEFICIARIES: dict[str, Label] = {
    "buyer": Label("买方（承接成果企业）", "Buyer (the enterprise taking up the result)"),
    "seller": Label("卖方", "Seller"),
    "intermediary": Label("中介服务方", "Intermediary"),
    "platform": Label("平台运营方", "Platform operator"),
}
BASES: dict[str, Label] = {
    "contract_amount": Label("合同成交额", "Contract amount"),
    "technical_amount": Label("技术交易额", "Technical amount"),
    "equity": Label("技术入股出资额", "Technology contributed as equity"),
}
CLAIM_STATUSES: dict[str, Label] = {
    "pending": Label("待审核", "Pending"),
    "approved": Label("已批准", "Approved"),
    "rejected": Label("已驳回", "Rejected"),
    "paid": Label("已拨付", "Paid"),
}
# the result of the signature check of another registry's certificate
KNOWN_CHECKS = ("valid", "invalid", "unknown")
# the budget is taken by these claims; a pending claim reserves nothing until it is approved
COMMITTED = ("approved", "paid")


def round_to_fen(amount: Decimal) -> Decimal:
    """The amount to the fen, half up."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def subsidy_amount(
    rate: Decimal, basis: Decimal, cap_per_contract: Decimal | None, left_for_organisation: Decimal | None
) -> Decimal:
    """rate × basis to the fen, at most the cap per contract and what the organisation's yearly cap leaves."""
    amount = round_to_fen(rate * basis)
    if cap_per_contract is not None:
        amount = min(amount, cap_per_contract)
    if left_for_organisation is not None:
        amount = min(amount, max(left_for_organisation, Decimal("0.00")))
    return amount


def basis_amount(
    basis: str, category: str | None, amount: Decimal | None, technical: Decimal | None, equity: bool
) -> Decimal | None:
    """The amount the rate applies to, or None when the registration has none for this basis (equity: the contract
    amount of a transfer contributed as equity)."""
    if basis == "contract_amount":
        return amount
    if basis == "technical_amount":
        return technical
    return amount if category == "transfer" and equity else None


def is_open(open_from: date, open_until: date, today: date) -> bool:
    """Claims are taken from the first to the last day of the window, both included (Asia/Shanghai dates)."""
    return open_from <= today <= open_until


def in_programme_year(year: int, registered_on: date | None) -> bool:
    """A programme of year Y pays on registrations made in Y (the registration date, not the signing)."""
    return registered_on is not None and registered_on.year == year
