"""Checks of the contract's content: money, dates, rights, patent numbers, attachments, review."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import TYPE_CHECKING

from app.domain.catalogue import IP_TYPES, PATENT_IP_TYPES, PATENT_SUBTYPES, REGISTERED_IP_TYPES
from app.domain.filing import CheckContext, FilingData
from app.domain.findings import Finding
from app.domain.identifiers import patent_number_status
from app.domain.money import format_amount
from app.domain.rules.base import error, field_label, notice, warning

if TYPE_CHECKING:
    from app.domain.rules.rulesets import RuleSet

# The IP types a sub-type implies; another type is possible but worth a second look.
_SUBTYPE_IP_TYPES = {
    "patent_right": PATENT_IP_TYPES,
    "patent_application_right": PATENT_IP_TYPES,
    "patent_license": PATENT_IP_TYPES,
    "know_how": frozenset({"know_how"}),
    "know_how_license": frozenset({"know_how"}),
}
_RIGHTS_CATEGORIES = frozenset({"transfer", "licensing"})
_NO_OWNERSHIP_CATEGORIES = frozenset({"consultation", "service"})


def check_amounts(filing: FilingData, context: CheckContext, rule_set: RuleSet) -> Iterator[Finding]:
    """Amounts are positive, deductions fit in the amount, technical amount = amount − deductions."""
    for field in ("amount", "technical_amount"):
        yield from _positive(field, getattr(filing, field))
    deducted = [deduction.amount for deduction in filing.deductions]
    for index, amount in enumerate(deducted):
        yield from _positive(f"deductions.{index}.amount", amount)
    if filing.amount is None or None in deducted:
        return  # reported as `required`
    total = sum(deducted, Decimal("0.00"))
    if total > filing.amount:
        yield error(
            "deductions.exceed_amount",
            "deductions",
            zh=f"非技术性扣除合计 {format_amount(total)} 元，超过成交额 {format_amount(filing.amount)} 元。",
            en=f"The deductions total {format_amount(total)}, more than the contract amount "
            f"{format_amount(filing.amount)}.",
        )
    elif filing.technical_amount is not None and filing.technical_amount != filing.amount - total:
        expected = format_amount(filing.amount - total)
        yield error(
            "amount.technical_mismatch",
            "technical_amount",
            zh=f"技术交易额应为成交额减去非技术性扣除，即 {expected} 元"
            f"（申报 {format_amount(filing.technical_amount)} 元）。",
            en=f"The technical transaction amount should be the contract amount minus the deductions: "
            f"{expected} (declared {format_amount(filing.technical_amount)}).",
        )


def _positive(field: str, amount: Decimal | None) -> Iterator[Finding]:
    """`amount.not_positive` for a given amount of zero or less."""
    if amount is not None and amount <= 0:
        label = field_label(field)
        yield error("amount.not_positive", field, zh=f"{label.zh}应大于零。", en=f"{label.en} must be more than zero.")


def check_dates(filing: FilingData, context: CheckContext, rule_set: RuleSet) -> Iterator[Finding]:
    """The validity period is ordered, the contract signed by now and in force when filed."""
    signed, start, end = filing.signed_on, filing.valid_from, filing.valid_until
    if start and end and end < start:
        yield error(
            "validity.end_before_start",
            "valid_until",
            zh="有效期截止日早于起始日。",
            en="The validity period ends before it starts.",
        )
    if signed and signed > context.today:
        yield error("signed_on.future", "signed_on", zh="签订日期晚于今天。", en="The signing date is in the future.")
    if signed and end and signed > end:
        yield error(
            "signed_on.after_validity",
            "signed_on",
            zh="签订日期晚于有效期截止日。",
            en="The contract was signed after its validity ended.",
        )
    if end and context.filed_on > end:
        yield error(
            "validity.expired",
            "valid_until",
            zh="合同有效期已届满，不予登记。",
            en="The contract's validity has ended; it cannot be registered.",
        )
    elif start and context.filed_on < start:
        yield warning(
            "filed_on.outside_validity",
            "valid_from",
            zh=f"合同自 {start.isoformat()} 起生效，登记申请早于生效日。",
            en=f"The contract takes effect on {start.isoformat()}, after the filing date.",
        )


def check_rights(filing: FilingData, context: CheckContext, rule_set: RuleSet) -> Iterator[Finding]:
    """Transfers and licences concern IP; consultation and service pass none; sub-type and IP type agree."""
    category, ip_type = filing.category, filing.ip_type
    if category in _RIGHTS_CATEGORIES and ip_type == "none":
        yield error(
            "ip_type.required",
            "ip_type",
            zh="技术转让和技术许可合同应载明所涉知识产权类型。",
            en="A transfer or licence must state the type of intellectual property concerned.",
        )
    elif category in _NO_OWNERSHIP_CATEGORIES and ip_type in IP_TYPES and ip_type != "none":
        yield warning(
            "ip.ownership_not_transferable",
            "ip_type",
            zh="咨询、服务合同不转让知识产权权属；如合同转让权属，应按技术转让合同登记。",
            en="Consultation and service contracts pass no ownership of IP; a contract that does is a transfer.",
        )
    expected = _SUBTYPE_IP_TYPES.get(filing.subtype or "")
    if expected and ip_type in IP_TYPES and ip_type != "none" and ip_type not in expected:
        yield warning(
            "ip_type.subtype_mismatch",
            "ip_type",
            zh=f"合同子类与知识产权类型“{IP_TYPES[ip_type].zh}”不一致，请核对。",
            en=f'The sub-type does not match the IP type "{IP_TYPES[ip_type].en}"; check them.',
        )


def check_ip_numbers(filing: FilingData, context: CheckContext, rule_set: RuleSet) -> Iterator[Finding]:
    """Patent sub-types name at least one patent; every patent number has a correct check digit."""
    if filing.ip_type not in PATENT_IP_TYPES and filing.subtype not in PATENT_SUBTYPES:
        return
    if filing.subtype in PATENT_SUBTYPES and not filing.ip_numbers:
        yield error(
            "ip_numbers.required",
            "ip_numbers",
            zh="专利权转让、专利申请权转让和专利实施许可合同应填写专利号或专利申请号。",
            en="A patent transfer or licence must give the patent or application number.",
        )
    for index, number in enumerate(filing.ip_numbers):
        status = patent_number_status(number)
        if status == "valid":
            continue
        problem = (
            ("校验位不符", "its check character is wrong")
            if status == "check_digit"
            else ("格式不正确", "it is not in the form 201310699744.2")
        )
        yield error(
            "patent_number.invalid",
            f"ip_numbers.{index}",
            zh=f"专利号“{number}”{problem[0]}。",
            en=f'Patent number "{number}": {problem[1]}.',
        )


def check_attachments(filing: FilingData, context: CheckContext, rule_set: RuleSet) -> Iterator[Finding]:
    """The contract text is attached; imports and registered rights have their supporting papers."""
    kinds = set(filing.attachment_kinds)
    if "contract_text" not in kinds:
        yield error(
            "attachments.contract_text_required",
            "attachments",
            zh="请上传合同文本（不受理口头合同）。",
            en="Attach the contract text (oral contracts are not accepted).",
        )
    if filing.is_import and "consistency_undertaking" not in kinds:
        yield warning(
            "attachments.consistency_undertaking_missing",
            "attachments",
            zh="外文合同须附中文文本及中外文本一致性承诺书。",
            en="A foreign-language contract needs a Chinese copy and a consistency undertaking.",
        )
    if (
        filing.category in _RIGHTS_CATEGORIES
        and filing.ip_type in REGISTERED_IP_TYPES
        and filing.subtype != "patent_application_right"
        and "ip_certificate" not in kinds
    ):
        yield warning(
            "attachments.ip_certificate_missing",
            "attachments",
            zh="请上传所涉知识产权的权利证书复印件。",
            en="Attach a copy of the certificate of the right concerned.",
        )


# DOMAIN.md §12 "Attachments by situation": "authorisation by the legal representative when an internal unit or
# group signed; the funding body's consent for government-funded projects; for imports the MOFCOM 技术进口合同登记证书;
# a stamped technical annex and an itemised quotation (报价明细) for development, consultation and service."
_ANNEXED_CATEGORIES = frozenset({"development", "consultation", "service"})


def check_situation_attachments(filing: FilingData, context: CheckContext, rule_set: RuleSet) -> Iterator[Finding]:
    """The papers the filing's situation calls for (DOMAIN.md §12, "Attachments by situation"): the legal
    representative's authorisation when an internal unit or group signed, the funding body's consent for a
    government-funded project, the MOFCOM registration certificate of a technology import (each an error once the
    situation is declared); the stamped technical annex and the itemised quotation of a development, consultation
    or service contract are noted for the station, which asks for them while reviewing."""
    kinds = set(filing.attachment_kinds)
    if filing.signed_by_internal_unit and "representative_authorisation" not in kinds:
        yield error(
            "attachments.representative_authorisation_missing",
            "attachments",
            zh="合同由内部机构或课题组签订，请上传法定代表人授权书。",
            en="An internal unit or research group signed the contract: attach the legal representative's "
            "authorisation.",
        )
    if filing.government_funded and "funder_consent" not in kinds:
        yield error(
            "attachments.funder_consent_missing",
            "attachments",
            zh="技术来源于政府资助项目，请上传资助方同意书。",
            en="The technology comes from a government-funded project: attach the funding body's consent.",
        )
    if filing.is_import and "import_licence" not in kinds:
        yield error(
            "attachments.import_licence_missing",
            "attachments",
            zh="技术进口合同须附商务主管部门颁发的技术进口合同登记证书。",
            en="A technology-import contract needs the technology import contract registration certificate "
            "issued by the commerce authority.",
        )
    if filing.category in _ANNEXED_CATEGORIES:
        if "technical_annex" not in kinds:
            yield notice(
                "attachments.technical_annex_missing",
                "attachments",
                zh="技术开发、咨询、服务合同通常须附双方盖章的技术附件，登记机构审查时可能要求补交。",
                en="Development, consultation and service contracts usually come with a technical annex stamped by "
                "both parties; the station may ask for it.",
            )
        if "quotation" not in kinds:
            yield notice(
                "attachments.quotation_missing",
                "attachments",
                zh="技术开发、咨询、服务合同通常须附报价明细，登记机构审查时可能要求补交。",
                en="Development, consultation and service contracts usually come with an itemised quotation; the "
                "station may ask for it.",
            )


def check_review(filing: FilingData, context: CheckContext, rule_set: RuleSet) -> Iterator[Finding]:
    """Large technical amounts call for expert review and a second reviewer."""
    amount = filing.technical_amount
    if amount is None:
        return
    threshold = rule_set.expert_review_threshold
    if threshold is not None and rule_set.expert_review_days and amount >= threshold:
        limit = rule_set.days_label(rule_set.expert_review_days)
        yield notice(
            "review.expert",
            "technical_amount",
            zh=f"技术交易额不低于 {format_amount(threshold)} 元，需组织专家评审，办理时限为 {limit.zh}。",
            en=f"The technical amount is at least {format_amount(threshold)}: an expert review is "
            f"needed and the time limit is {limit.en}.",
        )
    second = rule_set.second_review_threshold
    if amount >= second:
        yield notice(
            "review.second_reviewer",
            "technical_amount",
            zh=f"技术交易额不低于 {format_amount(second)} 元，登记需另一名审核人批准。",
            en=f"The technical amount is at least {format_amount(second)}: "
            "registration needs a second reviewer's approval.",
        )
