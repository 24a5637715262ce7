"""The workflow of a filing, written once: the statuses, the actions, who takes each, the statuses each is possible
in and the status it leads to. Services check an action here before they act and `history.transition` refuses a
move this table does not contain; pages ask which forms to offer, queries which statuses to list. No other module
spells these lists."""

from __future__ import annotations

from dataclasses import dataclass

STATUSES = (
    "draft",
    "submitted",
    "accepted",
    "expert_review",
    "amendment_requested",
    "registered",
    "refused",
    "cancelled",
    "revoked",
    "withdrawn",
)

# The applicant may still change the filing.
EDITABLE = ("draft", "amendment_requested")
# Filed and held by the station (or by the applicant for amendment): the station may refuse.
WITH_STATION = ("submitted", "accepted", "amendment_requested")
# Handed over to the expert panel organised by the bureau, which returns an opinion; the station then decides.
WITH_EXPERTS = ("expert_review",)
# Filed and waiting for the station's decision: the decision clock runs, the bureau may reassign.
UNDECIDED = (*WITH_STATION, *WITH_EXPERTS)
# The applicant may withdraw before a decision.
WITHDRAWABLE = ("draft", *UNDECIDED)
# The applicant may delete the filing outright (it never reached a station, so nothing of it needs keeping).
DELETABLE = ("draft",)
# A registration number was issued: counted by the statistics, exported to the tax office.
IN_REGISTRY = ("registered", "cancelled", "revoked")
# Filings that never reached a station or ended without a decision on the merits: no duplicate of anything.
INACTIVE_FOR_DUPLICATES = ("draft", "withdrawn", "refused")

APPLICANT, REVIEWER, BUREAU, TAX, SYSTEM = "applicant", "reviewer", "bureau", "tax", "system"


@dataclass(frozen=True)
class Action:
    """One act on a filing: who takes it, in which statuses, and where it leads (`to=None`: the status stays, as
    for a proposal waiting for approval, a change of a registration or a reassignment)."""

    name: str
    actor: str
    from_statuses: tuple[str | None, ...]
    to: str | None


ACTIONS: dict[str, Action] = {
    a.name: a
    for a in (
        Action("create", APPLICANT, (None,), "draft"),
        Action("submit", APPLICANT, EDITABLE, "submitted"),
        Action("withdraw", APPLICANT, WITHDRAWABLE, "withdrawn"),
        Action("accept", REVIEWER, ("submitted",), "accepted"),
        Action("request_amendment", REVIEWER, ("submitted", "accepted"), "amendment_requested"),
        Action("refuse", REVIEWER, WITH_STATION, "refused"),
        # Expert review: the station hands an accepted filing to the panel (by itself above the rule set's
        # threshold at acceptance); the bureau records the panel's opinion and the file returns to the station.
        Action("send_to_experts", REVIEWER, ("accepted",), "expert_review"),
        Action("record_expert_opinion", BUREAU, WITH_EXPERTS, "accepted"),
        # Registration either takes effect or waits (status unchanged) for a second reviewer's approval.
        Action("register", REVIEWER, ("accepted",), "registered"),
        Action("propose", REVIEWER, ("accepted", "registered"), None),
        Action("approve", REVIEWER, ("accepted", "registered"), "registered"),
        Action("change", REVIEWER, ("registered",), None),
        Action("cancel", REVIEWER, ("registered",), "cancelled"),
        Action("revoke", REVIEWER, ("registered",), "revoked"),
        Action("reassign", BUREAU, UNDECIDED, None),
        # After registration the applicant asks a change, a supplement or a cancellation; the station decides.
        Action("request", APPLICANT, ("registered",), None),
        Action("decide_request", REVIEWER, ("registered",), None),
        # The tax office answers back on a registration in force: it records a preference claimed, or objects and
        # the station answers (upheld, corrected by a change, or revoked).
        Action("record_tax_claim", TAX, ("registered",), None),
        Action("object", TAX, ("registered",), None),
        Action("answer_objection", REVIEWER, ("registered",), None),
        # After performance the applicant declares the income received; the station verifies the technical income.
        # (and names the contract's researchers: no history entry of its own).
        Action("record_income", APPLICANT, ("registered",), None),
        Action("verify_income", REVIEWER, ("registered",), None),
    )
}

# The actions a reviewer of the responsible station may take, and the statuses each is possible in (`propose` is
# how `register` and `change` end when a second reviewer is needed, not an action of its own on the page).
REVIEW_ACTIONS: dict[str, tuple[str, ...]] = {
    a.name: a.from_statuses for a in ACTIONS.values() if a.actor == REVIEWER and a.name != "propose"
}
# The bureau's actions on a filing, and the statuses each is possible in.
BUREAU_ACTIONS: dict[str, tuple[str, ...]] = {a.name: a.from_statuses for a in ACTIONS.values() if a.actor == BUREAU}


def _moves() -> frozenset[tuple[str | None, str]]:
    moves = set()
    for action in ACTIONS.values():
        for status in action.from_statuses:
            moves.add((status, action.to or status))
    return frozenset(moves)


# Every (from, to) pair a filing can take: what `history.transition` accepts.
TRANSITIONS: frozenset[tuple[str | None, str]] = _moves()


class ImpossibleTransition(RuntimeError):
    """A service tried a move the workflow does not have: a programming error, never a user's."""


def allows(action: str, status: str | None) -> bool:
    """Whether an action is possible in this status."""
    known = ACTIONS.get(action)
    return known is not None and status in known.from_statuses


def review_actions(status: str | None) -> set[str]:
    """The review actions possible in this status (what the review page may offer a reviewer)."""
    return {action for action, statuses in REVIEW_ACTIONS.items() if status in statuses}


def check_move(from_status: str | None, to_status: str) -> None:
    """Refuse a move that no action of the table makes."""
    if (from_status, to_status) not in TRANSITIONS:
        raise ImpossibleTransition(f"no action moves a filing from {from_status!r} to {to_status!r}")
