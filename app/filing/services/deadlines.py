"""The decision clock of a filing: started at acceptance, restarted when amended materials arrive where the
rule set says so, and read as days left for queues."""

from __future__ import annotations

from datetime import date

from app.domain import workflow
from app.domain.calendar import calls_for_expert_review, decision_deadline
from app.domain.calendar import days_left as count_days_left
from app.domain.calendar import promised_due_on as count_promised_due_on
from app.domain.clock import today_local
from app.domain.rules import RuleSet, find_rule_set
from app.errors import Conflict
from app.i18n import t
from app.models import Contract

UNKNOWN_KIND = "calendar"  # how the days to a due date are counted when the filing's rule set is unknown


def _rule_set(contract: Contract) -> RuleSet:
    """The filing's rule set, for a decision that depends on it: a code no rule set has is a conflict, not a
    crash (the database refuses such codes; this covers a rule set withdrawn from the code)."""
    rule_set = find_rule_set(contract.rule_set)
    if rule_set is None:
        raise Conflict(t("The rule set %(code)s of this filing is unknown.", code=contract.rule_set or "—"))
    return rule_set


def start_clock(contract: Contract, day: date | None = None) -> None:
    """Start (or restart) the clock on this day and fix the due date from the filing's rule set."""
    rule_set = _rule_set(contract)
    contract.clock_started_on = day or today_local()
    expert = bool(contract.expert_review) or calls_for_expert_review(rule_set, contract.technical_amount)
    deadline = decision_deadline(rule_set, contract.clock_started_on, contract.technical_amount, expert=expert)
    contract.due_on, contract.due_provisional = deadline.due_on, deadline.provisional
    contract.expert_review = expert


def goes_to_experts_at_acceptance(contract: Contract) -> bool:
    """Whether the rule set hands this filing to the expert panel by itself when it is accepted: its technical
    amount reaches the threshold and no panel has given its opinion yet."""
    rule_set = _rule_set(contract)
    return (
        bool(rule_set.expert_review_days)
        and calls_for_expert_review(rule_set, contract.technical_amount)
        and contract.expert_outcome is None
    )


def on_expert_review(contract: Contract) -> None:
    """The filing went to the expert panel: the longer time limit of the rule set applies from the clock's start
    (the same limit where the rule set has no longer one)."""
    rule_set = _rule_set(contract)
    contract.expert_review = True
    if contract.clock_started_on is None:
        start_clock(contract)
        return
    deadline = decision_deadline(rule_set, contract.clock_started_on, contract.technical_amount, expert=True)
    contract.due_on, contract.due_provisional = deadline.due_on, deadline.provisional


def holder(contract: Contract) -> str | None:
    """Who holds an undecided file and must act next: the station, the expert panel, or the applicant (amending);
    None once decided."""
    if contract.status in workflow.WITH_EXPERTS:
        return "experts"
    if contract.status == "amendment_requested":
        return "applicant"
    return "station" if contract.status in workflow.UNDECIDED else None


def promised_due_on(contract: Contract) -> date | None:
    """The due date the station's service commitment promises (never later than the statutory one); None without
    a commitment or a clock."""
    station = contract.station
    if station is None or contract.clock_started_on is None:
        return None
    return count_promised_due_on(contract.clock_started_on, station.commitment_days, contract.due_on)


def on_acceptance(contract: Contract) -> bool:
    """Start the clock at the first acceptance; returns whether it started now."""
    if contract.clock_started_on is None:
        start_clock(contract)
        return True
    return False


def on_amended_materials(contract: Contract) -> bool:
    """Amended materials arrived: restart the clock if the rule set says so; returns whether it restarted."""
    if contract.clock_started_on is not None and _rule_set(contract).restart_clock_on_amendment:
        start_clock(contract)
        return True
    return False


def days_left(contract: Contract, today: date | None = None) -> int | None:
    """Days (of the rule set's kind; calendar days for an unknown rule set) until the due date; negative when
    overdue; None without a clock."""
    if contract.due_on is None or contract.rule_set is None:
        return None
    rule_set = find_rule_set(contract.rule_set)
    kind = rule_set.time_limit_kind if rule_set else UNKNOWN_KIND
    return count_days_left(kind, today or today_local(), contract.due_on)


def is_overdue(contract: Contract, today: date | None = None) -> bool:
    """An undecided filing past its due date."""
    return (
        contract.status in workflow.UNDECIDED
        and contract.due_on is not None
        and (today or today_local()) > contract.due_on
    )
