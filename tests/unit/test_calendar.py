"""Working days from the official calendar, and the time limits of each rule set."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from app.domain.calendar import (
    add_working_days,
    calls_for_expert_review,
    days_left,
    decision_deadline,
    is_working_day,
    promised_due_on,
    working_days_between,
)
from app.domain.rules.rulesets import MIIT_2026, MOST_2000


@pytest.mark.parametrize(
    "day, working",
    [
        (date(2026, 10, 1), False),  # National Day
        (date(2026, 10, 7), False),  # last day of the Golden Week holiday
        (date(2026, 10, 10), True),  # a Saturday made a working day (National Day adjustment)
        (date(2026, 2, 14), True),  # a Saturday made a working day (Spring Festival adjustment)
        (date(2026, 11, 21), False),  # an ordinary Saturday
        (date(2026, 11, 23), True),  # an ordinary Monday
    ],
)
def test_official_calendar(day, working):
    assert is_working_day(day) == (working, True)


def test_fifteen_working_days_skip_the_national_day_holiday():
    due, provisional = add_working_days(date(2026, 9, 28), 15)
    # 29, 30 Sep; 1–7 Oct off; 8, 9, 10 (adjusted Saturday) Oct; 12–16; 19–23 → the 15th is 23 Oct
    assert due == date(2026, 10, 23) and not provisional


def test_a_year_without_calendar_data_falls_back_to_weekdays_and_says_so():
    due, provisional = add_working_days(date(2026, 12, 28), 10)
    assert provisional
    assert is_working_day(date(2027, 1, 4)) == (True, False)
    assert due.year == 2027


def test_working_days_between_is_the_inverse_of_adding():
    start = date(2026, 9, 28)
    due, _ = add_working_days(start, 15)
    assert working_days_between(start, due) == 15
    assert working_days_between(due, start) == -15


def test_2026_rules_count_working_days_and_extend_for_expert_review():
    normal = decision_deadline(MIIT_2026, date(2026, 11, 2), Decimal("1080000.00"))
    assert (normal.days, normal.kind) == (15, "working")
    assert normal.due_on == date(2026, 11, 23)
    expert = decision_deadline(MIIT_2026, date(2026, 11, 2), Decimal("5000000.00"))
    assert expert.days == 30 and expert.due_on > normal.due_on


def test_2000_rules_count_calendar_days_without_expert_extension():
    deadline = decision_deadline(MOST_2000, date(2026, 1, 10), Decimal("9000000.00"))
    assert (deadline.days, deadline.kind, deadline.due_on) == (30, "calendar", date(2026, 2, 9))


def test_days_left_counts_in_the_rule_sets_kind():
    assert days_left("calendar", date(2026, 11, 20), date(2026, 11, 23)) == 3
    assert days_left("working", date(2026, 11, 20), date(2026, 11, 23)) == 1  # Fri → Mon
    assert days_left("calendar", date(2026, 11, 25), date(2026, 11, 23)) == -2


def test_expert_review_by_hand_takes_the_longer_limit_and_the_2001_rules_have_none():
    start = date(2026, 11, 2)
    assert not calls_for_expert_review(MIIT_2026, Decimal("4999999.99"))
    assert calls_for_expert_review(MIIT_2026, Decimal("5000000.00"))
    assert not calls_for_expert_review(MOST_2000, Decimal("50000000.00"))
    assert decision_deadline(MIIT_2026, start, Decimal("1.00"), expert=True).days == 30
    assert decision_deadline(MOST_2000, start, Decimal("1.00"), expert=True).days == 30  # its only limit


def test_a_promise_counts_working_days_and_is_never_later_than_the_statutory_date():
    start = date(2026, 11, 2)
    statutory = add_working_days(start, 15)[0]
    assert promised_due_on(start, 10, statutory) == add_working_days(start, 10)[0] < statutory
    assert promised_due_on(start, 30, statutory) == statutory
    assert promised_due_on(start, None, statutory) is None
