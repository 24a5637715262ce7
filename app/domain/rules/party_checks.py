"""Checks of the parties: identifiers, who files, which station serves them, duplicates."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from app.domain.catalogue import PARTY_NATURES
from app.domain.filing import CheckContext, FilingData, PartyData
from app.domain.findings import Finding
from app.domain.identifiers import credit_code_status, resident_id_status
from app.domain.rules.base import error, field_label, is_missing, notice, warning
from app.domain.rules.checks import parties

if TYPE_CHECKING:
    from app.domain.rules.rulesets import RuleSet


def check_identifiers(filing: FilingData, context: CheckContext, rule_set: RuleSet) -> Iterator[Finding]:
    """Credit codes (GB 32100) and resident IDs (GB 11643) of domestic parties are well formed."""
    for role, party in parties(filing):
        if not party.is_domestic:
            continue  # a foreign party has neither identifier
        if not is_missing(party.credit_code):
            yield from _credit_code_findings(f"{role}.credit_code", party.credit_code)
        if not is_missing(party.id_number):
            yield from _id_number_findings(f"{role}.id_number", party.id_number)


def _credit_code_findings(field: str, code: str) -> Iterator[Finding]:
    """A malformed code is an error; a wrong check digit only a warning (early pilot codes fail it)."""
    status = credit_code_status(code)
    label = field_label(field)
    if status == "malformed":
        yield error(
            "credit_code.malformed",
            field,
            zh=f"{label.zh}应为 18 位数字或大写字母（不含 I、O、Z、S、V）。",
            en=f"{label.en} must be 18 digits or capital letters (I, O, Z, S and V excluded).",
        )
    elif status == "check_digit":
        yield warning(
            "credit_code.check_digit",
            field,
            zh=f"{label.zh}“{code}”的校验码不符，请核对；如确认无误，请在提交时确认。",
            en=f'The check character of {label.en} "{code}" does not match; check it, and confirm it when you submit.',
        )


def _id_number_findings(field: str, number: str) -> Iterator[Finding]:
    """A resident ID must be well formed and its check digit right."""
    status = resident_id_status(number)
    label = field_label(field)
    if status == "malformed":
        yield error(
            "id_number.malformed",
            field,
            zh=f"{label.zh}应为 18 位居民身份证号码，且出生日期有效。",
            en=f"{label.en} must be an 18-character resident ID number with a real birth date.",
        )
    elif status == "check_digit":
        yield error(
            "id_number.check_digit",
            field,
            zh=f"{label.zh}的校验码不符，请核对。",
            en=f"The check character of {label.en} does not match.",
        )


# GB 32100-2015: a credit code's first character is the registering authority (9 market regulation), its second
# the kind of body (1 enterprise). Enterprises of every group (100 domestic, 200 Hong Kong/Macao/Taiwan-invested,
# 300 foreign-invested) are registered with market regulation; the 200 and 300 groups are always enterprises (91).
_ENTERPRISE_PREFIXES = {"1": "9", "2": "91", "3": "91"}


def check_nature_identifier(filing: FilingData, context: CheckContext, rule_set: RuleSet) -> Iterator[Finding]:
    """An enterprise nature goes with a credit code issued by market regulation; a mismatch is only noted (the
    reviewer checks the business licence), since the code's own checks already ran."""
    for role, party in parties(filing):
        expected = _ENTERPRISE_PREFIXES.get((party.nature or "")[:1])
        code = (party.credit_code or "").strip().upper()
        if not party.is_domestic or expected is None or credit_code_status(code) == "malformed":
            continue
        if not code.startswith(expected):
            nature = PARTY_NATURES.get(party.nature or "")
            yield notice(
                "nature.credit_code_mismatch",
                f"{role}.nature",
                zh=f"单位性质为“{nature.zh if nature else party.nature}”，但统一社会信用代码不是市场监管部门登记的"
                f"企业代码（应以“{expected}”开头），请核对营业执照。",
                en=f'The nature is "{nature.en if nature else party.nature}", but the credit code is not an '
                f'enterprise code issued by market regulation (it should start with "{expected}"); check the '
                "business licence.",
            )


def check_filer(filing: FilingData, context: CheckContext, rule_set: RuleSet) -> Iterator[Finding]:
    """The applicant is the seller; for a technology import, the domestic buyer."""
    role = "buyer" if filing.is_import else "seller"
    party = filing.filing_party
    if is_missing(party.credit_code) and is_missing(party.id_number):
        return  # reported as `required`
    if _is_filer(party, context):
        return
    field = f"{role}.credit_code" if not is_missing(party.credit_code) else f"{role}.id_number"
    if filing.is_import:
        yield error(
            "filer.not_buyer",
            field,
            zh="技术进口合同由境内买方办理登记，申请人应为买方。",
            en="A technology-import contract is filed by the domestic buyer; the applicant must be the buyer.",
        )
    else:
        yield error(
            "filer.not_seller",
            field,
            zh="技术合同由卖方（研究开发人、让与人、许可人、受托人）办理登记，申请人应为卖方。",
            en="A technology contract is filed by the seller (developer, transferor, licensor, consultant "
            "or service provider); the applicant must be the seller.",
        )


def _is_filer(party: PartyData, context: CheckContext) -> bool:
    """Whether the applicant's credit code or ID number is the party's."""

    def same(mine: str | None, theirs: str | None) -> bool:
        if is_missing(mine) or is_missing(theirs):
            return False
        return mine.strip().upper() == theirs.strip().upper()

    return same(context.filer_credit_code, party.credit_code) or same(context.filer_id_number, party.id_number)


def check_station(filing: FilingData, context: CheckContext, rule_set: RuleSet) -> Iterator[Finding]:
    """A station serves the filing party's area (registration is by the seller's territory)."""
    role = "buyer" if filing.is_import else "seller"
    party = filing.filing_party
    if not party.is_domestic:
        yield error(
            "station.no_area",
            f"{role}.country",
            zh="卖方和买方均在境外，不属于本系统的登记范围。",
            en="Both parties are abroad; the contract cannot be registered here.",
        )
    elif (
        not is_missing(party.area_code)
        and party.area_code not in context.served_area_codes
        and (is_missing(party.credit_code) or party.credit_code not in context.served_credit_codes)
    ):
        label = field_label(f"{role}.area_code")
        yield error(
            "station.no_area",
            f"{role}.area_code",
            zh=f"本系统没有受理{label.zh}“{party.area_code}”的登记机构（合同按申请人所在地登记）。",
            en=f'No registration station here serves the {label.en.lower()} "{party.area_code}" '
            "(contracts are registered where the applicant is).",
        )


def check_duplicate(filing: FilingData, context: CheckContext, rule_set: RuleSet) -> Iterator[Finding]:
    """Report the duplicate that the service found in the registry."""
    if is_missing(context.duplicate_of):
        return
    other = "#" + context.duplicate_of.lstrip("#")
    yield error(
        "duplicate",
        None,
        zh=f"与已提交的合同 {other} 重复。",
        en=f"Duplicates filing {other}.",
    )
