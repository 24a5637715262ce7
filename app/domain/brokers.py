"""Technology brokers (技术经纪人) and managers (技术经理人): their kinds, standings and the plan's target."""

from __future__ import annotations

from app.domain.catalogue import Label

KINDS = {
    "broker": Label("技术经纪人", "Technology broker"),
    "manager": Label("技术经理人", "Technology manager"),
}
STATUSES = {
    "active": Label("有效", "Active"),
    "suspended": Label("暂停", "Suspended"),
    "revoked": Label("撤销", "Revoked"),
}
# Handan's plan: "培养60名以上技术经纪人、技术经理人" (seed 004); the dashboard counts active ones against it.
PLAN_TARGET = 60
MAX_PER_CONTRACT = 10

# The bureau's acts on a broker's standing: from which statuses each leads to which. Revocation is final.
STATUS_MOVES = {
    "suspended": ("active",),
    "active": ("suspended",),
    "revoked": ("active", "suspended"),
}


def may_move(current: str, target: str) -> bool:
    """Whether the bureau may put a broker of status `current` into status `target`."""
    return current in STATUS_MOVES.get(target, ())
