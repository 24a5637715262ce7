"""Checks of the form itself: required fields, code lists, category and sub-type, licence terms."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING

from app.domain.catalogue import (
    CATEGORIES,
    DEDUCTION_KINDS,
    EQUITY_CATEGORY,
    IP_TYPES,
    LICENSE_EXCLUSIVITY,
    LICENSE_TERRITORY,
    PARTY_NATURES,
    PAYMENT_METHODS,
    PLAN_CATEGORIES,
    TECHNICAL_FIELDS,
    Label,
    category_of_subtype,
)
from app.domain.filing import CheckContext, FilingData, PartyData
from app.domain.findings import Finding
from app.domain.rules.base import error, field_label, is_missing, notice, required

if TYPE_CHECKING:
    from app.domain.rules.rulesets import RuleSet

_REQUIRED_FIELDS = (
    "title",
    "category",
    "subtype",
    "signed_on",
    "valid_from",
    "valid_until",
    "amount",
    "technical_amount",
    "technical_field",
    "payment_method",
    "summary",
)
_OPEN_AMOUNTS = ("amount", "technical_amount")  # may stay empty when the amount is not fixed at signing
_CODED_FIELDS: tuple[tuple[str, Mapping[str, Label]], ...] = (
    ("technical_field", TECHNICAL_FIELDS),
    ("ip_type", IP_TYPES),
    ("plan_category", PLAN_CATEGORIES),
    ("payment_method", PAYMENT_METHODS),
)
_RIGHTS_CATEGORIES = frozenset({"transfer", "licensing"})
_AREA_CODE_RE = re.compile(r"[0-9]{6}")
_COUNTRY_RE = re.compile(r"[0-9]{3}")


def parties(filing: FilingData) -> tuple[tuple[str, PartyData], ...]:
    """Every party with the path that prefixes its field paths: the first seller and buyer, then the others
    ("other_parties.0")."""
    others = tuple((f"other_parties.{index}", party) for index, party in enumerate(filing.other_parties))
    return (("seller", filing.seller), ("buyer", filing.buyer), *others)


def check_required(filing: FilingData, context: CheckContext, rule_set: RuleSet) -> Iterator[Finding]:
    """Every field a complete filing needs (licence terms are in check_license); an amount not fixed at signing may
    be left open, to be supplemented after registration (2001 rules art. 51)."""
    for name in _REQUIRED_FIELDS:
        if is_missing(getattr(filing, name)) and (filing.amount_fixed or name not in _OPEN_AMOUNTS):
            yield required(name)
    if not filing.amount_fixed:
        yield notice(
            "amount.open",
            "amount",
            zh="成交额未在签订时确定：登记后须补正金额，方可据此享受税收优惠或奖励。",
            en="The amount is not fixed at signing: it must be supplemented after registration before tax relief "
            "or rewards can depend on it.",
        )
    for role, party in parties(filing):
        yield from _party_required(role, party)
    if filing.category in _RIGHTS_CATEGORIES and is_missing(filing.ip_type):
        yield required("ip_type")
    for index, deduction in enumerate(filing.deductions):
        for name in ("kind", "description", "amount"):
            if is_missing(getattr(deduction, name)):
                yield required(f"deductions.{index}.{name}")


def _party_required(role: str, party: PartyData) -> Iterator[Finding]:
    """A party's name; for a domestic party also its area, nature and credit code or ID number."""
    if is_missing(party.name):
        yield required(f"{role}.name")
    if not party.is_domestic:
        return  # Chinese codes do not apply to a foreign party
    for name in ("area_code", "nature"):
        if is_missing(getattr(party, name)):
            yield required(f"{role}.{name}")
    if is_missing(party.credit_code) and is_missing(party.id_number):
        yield required(f"{role}.credit_code", field_label(f"{role}.identity"))


def check_codes(filing: FilingData, context: CheckContext, rule_set: RuleSet) -> Iterator[Finding]:
    """Every coded value is in its code list, and every domestic area code is a known division."""
    yield from _check_classification(filing, rule_set)
    for name, codes in _CODED_FIELDS:
        yield from _known_code(name, getattr(filing, name), codes)
    for role, party in parties(filing):
        yield from _known_code(f"{role}.nature", party.nature, PARTY_NATURES)
        if not _COUNTRY_RE.fullmatch(party.country or ""):
            yield _unknown_code(f"{role}.country", party.country)
        if party.is_domestic and not is_missing(party.area_code):
            yield from _known_area(f"{role}.area_code", party.area_code, context)
    for index, deduction in enumerate(filing.deductions):
        yield from _known_code(f"deductions.{index}.kind", deduction.kind, DEDUCTION_KINDS)
    if filing.license is not None:
        yield from _known_code("license.exclusivity", filing.license.exclusivity, LICENSE_EXCLUSIVITY)
        yield from _known_code("license.territory", filing.license.territory, LICENSE_TERRITORY)


def _known_code(field: str, value: str | None, codes: Mapping[str, Label]) -> Iterator[Finding]:
    """`code.unknown` when a value is given and is not in its code list."""
    if not is_missing(value) and value not in codes:
        yield _unknown_code(field, value)


def _unknown_code(field: str, value: str | None) -> Finding:
    """The `code.unknown` error."""
    label = field_label(field)
    return error(
        "code.unknown",
        field,
        zh=f"{label.zh}代码“{value}”不在代码表中。",
        en=f'{label.en}: the code "{value}" is not in the code list.',
    )


def _known_area(field: str, code: str, context: CheckContext) -> Iterator[Finding]:
    """`area_code.unknown` unless the code is six digits and a known division (GB/T 2260)."""
    if not (_AREA_CODE_RE.fullmatch(code) and context.known_area_codes(code)):
        yield error(
            "area_code.unknown",
            field,
            zh=f"{field_label(field).zh}“{code}”不是有效的行政区划代码。",
            en=f'{field_label(field).en} "{code}" is not a known administrative-division code.',
        )


def _check_classification(filing: FilingData, rule_set: RuleSet) -> Iterator[Finding]:
    """The category is known to the catalogue and the rule set, and the sub-type belongs to it."""
    category, subtype = filing.category, filing.subtype
    category_known = category in CATEGORIES
    if not is_missing(category) and not category_known:
        yield _unknown_code("category", category)
    elif category_known and category not in rule_set.categories:
        yield _category_outside_rule_set(category, rule_set)
    if is_missing(subtype):
        return
    owner = category_of_subtype(subtype)
    if owner is None:
        yield _unknown_code("subtype", subtype)
    elif category_known and owner != category:
        yield error(
            "subtype.mismatch",
            "subtype",
            zh=f"合同子类“{subtype}”不属于{CATEGORIES[category].zh}合同。",
            en=f'Sub-type "{subtype}" does not belong to {CATEGORIES[category].en.lower()} contracts.',
        )


def _category_outside_rule_set(category: str, rule_set: RuleSet) -> Finding:
    """A notice when licensing is recorded as a transfer sub-type, an error for any other category."""
    if category == "licensing" and rule_set.licensing_as_transfer:
        return notice(
            "category.licensing_as_transfer",
            "category",
            zh=f"按{rule_set.name.zh}，技术许可合同作为技术转让合同的子类登记。",
            en=f"Under the {rule_set.name.en}, a licence is registered as a sub-type of technology transfer.",
        )
    return error(
        "category.not_in_rule_set",
        "category",
        zh=f"{rule_set.name.zh}不设{CATEGORIES[category].zh}类别。",
        en=f"The {rule_set.name.en} have no category {CATEGORIES[category].en.lower()}.",
    )


def check_equity(filing: FilingData, context: CheckContext, rule_set: RuleSet) -> Iterator[Finding]:
    """Technology contributed as equity is a transfer of one of its sub-types with a flag (DOMAIN.md §12: "a
    transfer contract of one of the four transfer sub-types with an equity flag, not a sub-type of its own")."""
    if filing.equity and not is_missing(filing.category) and filing.category != EQUITY_CATEGORY:
        category = CATEGORIES.get(filing.category or "")
        yield error(
            "equity.not_transfer",
            "equity",
            zh=f"技术入股只适用于技术转让合同，{category.zh if category else '本'}合同不能标记为技术入股。",
            en=f"Only a technology transfer can be contributed as equity; a "
            f"{category.en.lower() if category else 'contract of this category'} cannot be marked so.",
        )


def check_license(filing: FilingData, context: CheckContext, rule_set: RuleSet) -> Iterator[Finding]:
    """A licence states exclusivity, territory and at least one year; in a transfer it is only noted."""
    licence = filing.license
    if filing.category == "licensing":
        if licence is None:
            yield required("license")
            return
        for name in ("exclusivity", "territory", "years"):
            if is_missing(getattr(licence, name)):
                yield required(f"license.{name}")
    elif filing.category == "transfer" and licence is not None:
        yield notice(
            "license.in_transfer",
            "license",
            zh="技术转让合同附有许可条款，将按转让使用权的合同审查。",
            en="This transfer contract has licence terms; it will be reviewed as a transfer of use rights.",
        )
    if licence is not None and licence.years is not None and licence.years < 1:
        yield error(
            "license_years.not_positive",
            "license.years",
            zh="许可年限应至少为 1 年。",
            en="The licence must run for at least one year.",
        )
