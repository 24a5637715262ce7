"""The workflow of a filing: which statuses are undecided, withdrawable or in the registry, and which review action
each status allows. Services check an action here before they act, pages ask which forms to offer, queries which
statuses to list: no other module spells these lists."""
from __future__ import annotations

# Filed and waiting for the station's decision: the decision clock runs, the bureau may reassign.
UNDECIDED = ("submitted", "accepted", "amendment_requested")
# The applicant may withdraw before a decision.
WITHDRAWABLE = ("draft", *UNDECIDED)
# A registration number was issued: counted by the statistics, exported to the tax office.
IN_REGISTRY = ("registered", "cancelled", "revoked")

# The actions a reviewer of the responsible station may take, and the statuses each is possible in.
REVIEW_ACTIONS: dict[str, tuple[str, ...]] = {
    "accept": ("submitted",),
    "request_amendment": ("submitted", "accepted"),
    "refuse": UNDECIDED,
    "register": ("accepted",),
    "approve": ("accepted", "registered"),
    "change": ("registered",),
    "cancel": ("registered",),
    "revoke": ("registered",),
}
# The bureau's action on a filing, and the statuses it is possible in.
BUREAU_ACTIONS: dict[str, tuple[str, ...]] = {"reassign": UNDECIDED}


def allows(action: str, status: str | None) -> bool:
    """Whether a review (or the bureau's) action is possible in this status."""
    statuses = REVIEW_ACTIONS.get(action) or BUREAU_ACTIONS.get(action, ())
    return status in statuses


def review_actions(status: str | None) -> set[str]:
    """The review actions possible in this status (what the review page may offer a reviewer)."""
    return {action for action, statuses in REVIEW_ACTIONS.items() if status in statuses}
