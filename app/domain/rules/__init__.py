"""Versioned rule sets that turn a filing into findings."""
from app.domain.rules.rulesets import RULE_SETS, RuleSet, check_filing, rule_set_by_code, rule_set_for

__all__ = ["RULE_SETS", "RuleSet", "check_filing", "rule_set_by_code", "rule_set_for"]
