"""What a tax office may see: contracts whose seller or buyer is in one of its area codes, and nothing else."""

from __future__ import annotations

from sqlalchemy import false

from app.auth.permissions import Permission, has_permission
from app.models import Contract, ContractParty


def scope_condition(user):
    """A SQL condition on Contract: a party's area is among the tax officer's area codes."""
    codes = user.area_codes if has_permission(user, Permission.TAX_READ) else []
    if not codes:
        return false()
    return Contract.parties.any(ContractParty.area_code.in_(codes))


def in_scope(user, contract: Contract) -> bool:
    """The same rule for one loaded contract."""
    codes = set(user.area_codes) if has_permission(user, Permission.TAX_READ) else set()
    return any(p.area_code in codes for p in contract.parties)
