"""Versioned rule sets that turn a filing into findings."""

from app.domain.rules.rulesets import (
    RULE_SET_CODES,
    RULE_SETS,
    Ground,
    RuleSet,
    accepted_refusal_codes,
    amendment_days,
    check_filing,
    find_rule_set,
    refusal_grounds_of,
    rule_set_by_code,
    rule_set_for,
)

__all__ = [
    "RULE_SETS",
    "RULE_SET_CODES",
    "Ground",
    "RuleSet",
    "accepted_refusal_codes",
    "amendment_days",
    "check_filing",
    "find_rule_set",
    "refusal_grounds_of",
    "rule_set_by_code",
    "rule_set_for",
]
