"""Time limits: calendar or working days (official Chinese calendar), from the rule set of the filing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from functools import lru_cache

import chinese_calendar


@dataclass(frozen=True)
class Deadline:
    """A due date; provisional when it was counted through a year the holiday calendar does not cover yet."""

    due_on: date
    days: int
    kind: str  # "calendar" | "working"
    provisional: bool = False


@lru_cache(maxsize=8192)  # the calendar is fixed for the process, and its own lookup scans all its dates each time
def is_working_day(day: date) -> tuple[bool, bool]:
    """(is it a working day, is that known from the official calendar): weekends and holidays off, adjusted
    working weekends on; for a year without published data, Monday to Friday, marked as not known."""
    try:
        return chinese_calendar.is_workday(day), True
    except NotImplementedError:
        return day.weekday() < 5, False


def add_working_days(start: date, days: int) -> tuple[date, bool]:
    """The date `days` working days after start (start itself not counted); and whether it is provisional."""
    day, counted, provisional = start, 0, False
    while counted < days:
        day += timedelta(days=1)
        working, known = is_working_day(day)
        provisional = provisional or not known
        counted += working
    return day, provisional


def working_days_between(start: date, end: date) -> int:
    """Working days after start up to and including end (negative when end is before start)."""
    if end < start:
        return -working_days_between(end, start)
    return sum(is_working_day(start + timedelta(days=i))[0] for i in range(1, (end - start).days + 1))


def calls_for_expert_review(rule_set, technical_amount: Decimal | None) -> bool:
    """Whether the rule set sends a filing of this technical amount to expert review by itself (the 2001 rules
    have no threshold)."""
    threshold = rule_set.expert_review_threshold
    return threshold is not None and technical_amount is not None and technical_amount >= threshold


def decision_deadline(rule_set, clock_start: date, technical_amount: Decimal | None, expert: bool = False) -> Deadline:
    """The due date of the decision: the rule set's limit, the longer one when expert review applies (above the
    threshold, or `expert` when the station sent the filing to the panel by hand)."""
    days = rule_set.time_limit_days
    if expert or calls_for_expert_review(rule_set, technical_amount):
        days = rule_set.expert_review_days or days
    if rule_set.time_limit_kind == "working":
        due_on, provisional = add_working_days(clock_start, days)
        return Deadline(due_on, days, "working", provisional)
    return Deadline(clock_start + timedelta(days=days), days, "calendar")


def promised_due_on(clock_start: date, commitment_days: int | None, statutory_due_on: date | None) -> date | None:
    """The due date a station's service commitment (working days, shorter than the rules) promises; never later
    than the statutory one. None without a commitment or a clock."""
    if not commitment_days or clock_start is None:
        return None
    promised = add_working_days(clock_start, commitment_days)[0]
    return min(promised, statutory_due_on) if statutory_due_on else promised


def days_left(rule_set_kind: str, today: date, due_on: date) -> int:
    """Days (of the rule set's kind) from today until the due date; negative when overdue."""
    if rule_set_kind == "working":
        return working_days_between(today, due_on)
    return (due_on - today).days
