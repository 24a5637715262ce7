"""The versioned rule sets as data, chosen by filing date, and the entry point check_filing."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Literal

from app.domain.catalogue import CATEGORIES, REFUSAL_GROUNDS, Label
from app.domain.filing import CheckContext, FilingData
from app.domain.findings import Finding, sort_findings
from app.domain.rules import contract_checks, party_checks
from app.domain.rules.checks import check_codes, check_equity, check_license, check_required

Check = Callable[[FilingData, CheckContext, "RuleSet"], Iterable[Finding]]


@dataclass(frozen=True)
class Ground:
    """A refusal ground a rule set offers: a code of catalogue.REFUSAL_GROUNDS, and whether the rule text that
    lists it is confirmed (an unconfirmed ground is offered with a note saying so)."""

    code: str
    confirmed: bool = True
    details: tuple[str, ...] = ()  # finer codes a station may give instead, each stored and counted as itself

    @property
    def label(self) -> Label:
        """The ground's name in Chinese and English."""
        return REFUSAL_GROUNDS[self.code]


@dataclass(frozen=True)
class RuleSet:
    """One version of the registration rules, for filings from effective_from until effective_until."""

    code: str
    name: Label
    effective_from: date
    effective_until: date | None  # exclusive; None while in force
    categories: tuple[str, ...]
    licensing_as_transfer: bool
    time_limit_days: int
    time_limit_kind: Literal["calendar", "working"]
    expert_review_days: int | None
    expert_review_threshold: Decimal | None
    second_review_threshold: Decimal
    restart_clock_on_amendment: bool
    amendment_days: int  # calendar days the station's amendment request gives by default
    refusal_grounds: tuple[Ground, ...]
    checks: tuple[Check, ...]

    def in_force_on(self, day: date) -> bool:
        """Whether this rule set applies to a filing made on that day."""
        return self.effective_from <= day and (self.effective_until is None or day < self.effective_until)

    @property
    def refusal_ground_codes(self) -> tuple[str, ...]:
        """The codes of the grounds a station may refuse on under this rule set, in the rule text's order."""
        return tuple(ground.code for ground in self.refusal_grounds)

    @property
    def accepted_refusal_codes(self) -> frozenset[str]:
        """The codes a refusal under this rule set may carry: its grounds and their finer details."""
        return frozenset(self.refusal_ground_codes).union(*(ground.details for ground in self.refusal_grounds))

    @property
    def refusal_grounds_confirmed(self) -> bool:
        """Whether every ground of the list is confirmed by the rule text in force."""
        return all(ground.confirmed for ground in self.refusal_grounds)

    def days_label(self, days: int) -> Label:
        """A time limit in this rule set's kind of days ("15 个工作日" / "15 working days")."""
        if self.time_limit_kind == "working":
            return Label(f"{days} 个工作日", f"{days} working days")
        return Label(f"{days} 日", f"{days} calendar days")


STANDARD_CHECKS: tuple[Check, ...] = (
    check_required,
    check_codes,
    check_license,
    check_equity,
    party_checks.check_identifiers,
    party_checks.check_nature_identifier,
    contract_checks.check_ip_numbers,
    contract_checks.check_amounts,
    contract_checks.check_dates,
    contract_checks.check_rights,
    party_checks.check_filer,
    party_checks.check_station,
    party_checks.check_duplicate,
    contract_checks.check_attachments,
    contract_checks.check_situation_attachments,
    contract_checks.check_review,
)

# Four-eyes threshold: not in either rule text (unconfirmed), kept here so that it stays data.
_SECOND_REVIEW_THRESHOLD = Decimal("10000000.00")
# The time an amendment request gives: neither rule text fixes one (unconfirmed); the station's form proposes it.
_AMENDMENT_DAYS = 15

# DOMAIN.md §4: the eleven grounds of the 2001 rules, confirmed.
_GROUNDS_2001: tuple[Ground, ...] = tuple(
    Ground(code)
    for code in (
        "contract_invalid",
        "not_technology_contract",
        "parties_unclear",
        "subject_unclear",
        "price_unclear",
        "approval_missing",
        "name_mismatch",
        "restrictive_clauses",
        "documents_missing",
        "seals_incomplete",
        "other",
    )
)

# DOMAIN.md §12: the Civil-Code-era list is shorter; the final 2026 list is unconfirmed. This is the list of the
# Torch Centre's 2021 working guideline (nine items: parties, subject and price merged into one), every ground
# marked unconfirmed until the 2026 annexed rules' text is checked. The merged item still accepts the 2001 rules'
# three finer codes as its detail, so clients that send them (API.md's example does) are not refused.
_GROUNDS_2026: tuple[Ground, ...] = tuple(
    Ground(code, confirmed=False, details=details)
    for code, details in (
        ("contract_invalid", ()),
        ("not_technology_contract", ()),
        ("terms_unclear", ("parties_unclear", "subject_unclear", "price_unclear")),
        ("approval_missing", ()),
        ("name_mismatch", ()),
        ("restrictive_clauses", ()),
        ("documents_missing", ()),
        ("seals_incomplete", ()),
        ("other", ()),
    )
)

MOST_2000 = RuleSet(
    code="most-2000",
    name=Label(
        "科技部《技术合同认定登记管理办法》（2000）及认定规则（2001）",
        "MOST Measures (2000) and Rules (2001) for Technology Contract Registration",
    ),
    effective_from=date(2000, 2, 16),
    effective_until=date(2026, 3, 1),
    categories=("development", "transfer", "consultation", "service"),
    licensing_as_transfer=True,
    time_limit_days=30,
    time_limit_kind="calendar",
    expert_review_days=None,
    expert_review_threshold=None,
    second_review_threshold=_SECOND_REVIEW_THRESHOLD,
    restart_clock_on_amendment=False,
    amendment_days=_AMENDMENT_DAYS,
    refusal_grounds=_GROUNDS_2001,
    checks=STANDARD_CHECKS,
)

# Time limits and the expert-review threshold are the draft's figures (unconfirmed).
MIIT_2026 = RuleSet(
    code="miit-2026",
    name=Label(
        "工业和信息化部《技术合同认定登记管理办法》（2026）及认定规则",
        "MIIT Measures and Rules (2026) for Technology Contract Registration",
    ),
    effective_from=date(2026, 3, 1),
    effective_until=None,
    categories=tuple(CATEGORIES),
    licensing_as_transfer=False,
    time_limit_days=15,
    time_limit_kind="working",
    expert_review_days=30,
    expert_review_threshold=Decimal("5000000.00"),
    second_review_threshold=_SECOND_REVIEW_THRESHOLD,
    restart_clock_on_amendment=True,
    amendment_days=_AMENDMENT_DAYS,
    refusal_grounds=_GROUNDS_2026,
    checks=STANDARD_CHECKS,
)

RULE_SETS: tuple[RuleSet, ...] = (MOST_2000, MIIT_2026)
RULE_SET_CODES: tuple[str, ...] = tuple(rule_set.code for rule_set in RULE_SETS)  # the database allows only these


def amendment_days(rule_set: RuleSet | None) -> int:
    """The calendar days an amendment request gives by default under the rule set (the usual figure if unknown)."""
    return rule_set.amendment_days if rule_set else _AMENDMENT_DAYS


def refusal_grounds_of(rule_set: RuleSet | None) -> tuple[Ground, ...]:
    """The grounds a station is offered: the rule set's own; for an unknown rule set every known ground."""
    if rule_set is None:
        return tuple(Ground(code) for code in REFUSAL_GROUNDS)
    return rule_set.refusal_grounds


def accepted_refusal_codes(rule_set: RuleSet | None) -> frozenset[str]:
    """The codes a refusal may carry: the rule set's grounds and their details; for an unknown one every code."""
    return rule_set.accepted_refusal_codes if rule_set else frozenset(REFUSAL_GROUNDS)


def rule_set_for(filed_on: date) -> RuleSet:
    """The rule set in force on the filing date; LookupError before the first one."""
    for rule_set in RULE_SETS:
        if rule_set.in_force_on(filed_on):
            return rule_set
    raise LookupError(f"no rule set in force on {filed_on.isoformat()}")


def rule_set_by_code(code: str) -> RuleSet:
    """The rule set with this code ("most-2000", "miit-2026"); KeyError for an unknown code."""
    for rule_set in RULE_SETS:
        if rule_set.code == code:
            return rule_set
    raise KeyError(code)


def find_rule_set(code: str | None) -> RuleSet | None:
    """The rule set with this code, or None for a code no rule set has (what read paths show as unknown)."""
    return next((rule_set for rule_set in RULE_SETS if rule_set.code == code), None)


def check_filing(filing: FilingData, context: CheckContext, rule_set: RuleSet | None = None) -> list[Finding]:
    """Run the checks of the rule set for context.filed_on (or the one given); errors first, order kept."""
    rule_set = rule_set or rule_set_for(context.filed_on)
    return sort_findings(finding for check in rule_set.checks for finding in check(filing, context, rule_set))
