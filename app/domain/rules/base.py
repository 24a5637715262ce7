"""The building blocks of checks: finding constructors and the names of the form's fields."""

from __future__ import annotations

from app.domain.catalogue import Label
from app.domain.findings import Finding, Severity

_FIELDS: dict[str, Label] = {
    "title": Label("合同名称", "Contract title"),
    "category": Label("合同类别", "Category"),
    "subtype": Label("合同子类", "Sub-type"),
    "equity": Label("技术入股", "Technology contributed as equity"),
    "signed_on": Label("签订日期", "Signing date"),
    "valid_from": Label("有效期起始日", "Start of validity"),
    "valid_until": Label("有效期截止日", "End of validity"),
    "amount": Label("成交额", "Contract amount"),
    "technical_amount": Label("技术交易额", "Technical transaction amount"),
    "technical_field": Label("技术领域", "Technical field"),
    "ip_type": Label("知识产权类型", "IP type"),
    "ip_numbers": Label("知识产权编号", "IP numbers"),
    "plan_category": Label("计划类别", "Plan category"),
    "payment_method": Label("支付方式", "Payment method"),
    "summary": Label("技术内容摘要", "Summary"),
    "license": Label("许可条款", "Licence terms"),
    "license.exclusivity": Label("许可方式", "Licence exclusivity"),
    "license.territory": Label("许可地域范围", "Licence territory"),
    "license.years": Label("许可年限", "Licence duration in years"),
    "attachments": Label("附件", "Attachments"),
}
_ROLES = {"seller": Label("卖方", "Seller"), "buyer": Label("买方", "Buyer")}
_PARTY_FIELDS = {
    "name": Label("名称", "name"),
    "credit_code": Label("统一社会信用代码", "unified social credit code"),
    "id_number": Label("身份证号码", "ID number"),
    "identity": Label("统一社会信用代码或身份证号码", "credit code or ID number"),
    "area_code": Label("所在地区", "area code"),
    "nature": Label("单位性质", "nature"),
    "country": Label("国别", "country"),
}
_DEDUCTION_FIELDS = {
    "kind": Label("类别", "Kind"),
    "description": Label("说明", "Description"),
    "amount": Label("金额", "Amount"),
}


def field_label(path: str) -> Label:
    """The human name of a dotted field path ("seller.credit_code" -> 卖方统一社会信用代码)."""
    head, _, rest = path.partition(".")
    if head in _ROLES and rest in _PARTY_FIELDS:
        role, name = _ROLES[head], _PARTY_FIELDS[rest]
        return Label(role.zh + name.zh, f"{role.en}'s {name.en}")
    index, _, name = rest.partition(".")
    if head == "other_parties" and index.isdigit() and name in _PARTY_FIELDS:
        label = _PARTY_FIELDS[name]
        number = int(index) + 1
        return Label(f"其他当事人 {number} 的{label.zh}", f"Other party {number}'s {label.en}")
    if head == "deductions" and index.isdigit() and name in _DEDUCTION_FIELDS:
        label = _DEDUCTION_FIELDS[name]
        return Label(f"第 {int(index) + 1} 项扣除的{label.zh}", f"{label.en} of deduction {int(index) + 1}")
    return _FIELDS.get(path, Label(path, path))


def error(code: str, field: str | None, zh: str, en: str) -> Finding:
    """A finding that blocks submission."""
    return Finding(code, Severity.ERROR, field, zh, en)


def warning(code: str, field: str | None, zh: str, en: str) -> Finding:
    """A finding the applicant must acknowledge by its code."""
    return Finding(code, Severity.WARNING, field, zh, en)


def notice(code: str, field: str | None, zh: str, en: str) -> Finding:
    """A finding that only informs."""
    return Finding(code, Severity.NOTICE, field, zh, en)


def is_missing(value: object) -> bool:
    """None, or a string of only blanks: what a draft leaves empty."""
    return value is None or (isinstance(value, str) and not value.strip())


def required(field: str, label: Label | None = None) -> Finding:
    """The `required` error for a field left empty."""
    label = label or field_label(field)
    return error("required", field=field, zh=f"请填写{label.zh}。", en=f"{label.en} is required.")
