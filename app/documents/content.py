"""What each printable document states: the kinds, the case number, and each document's data taken from the
history entry it belongs to (plain dicts for the templates, labels already in Chinese and English)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from app.certificates.marks import SEAL_MOTTO
from app.certificates.render import chinese_date, grouped_amount
from app.domain import areas
from app.domain import catalogue as cat
from app.domain.catalogue import Label
from app.domain.clock import local
from app.domain.identifiers import mask_id_number
from app.domain.money import amount_in_words
from app.domain.rules import rule_set_by_code
from app.models import Contract, StatusChange


@dataclass(frozen=True)
class DocumentKind:
    """A kind of document: the history entries it belongs to (moves into `status`) and its title."""

    code: str
    status: str
    title: Label


DOCUMENT_KINDS: dict[str, DocumentKind] = {
    kind.code: kind
    for kind in (
        DocumentKind("filing", "submitted", Label("技术合同登记表", "Technology contract filing form")),
        DocumentKind("receipt", "accepted", Label("受理回执", "Acceptance receipt")),
        DocumentKind("amendment", "amendment_requested", Label("补正通知书", "Notice to amend")),
        DocumentKind("refusal", "refused", Label("不予登记通知书", "Notice of refusal to register")),
    )
}

# How to object to a refusal: a standard formula of administrative law (行政复议法 art. 20, 行政诉讼法 art. 46),
# configurable per rule set (a rule-set code not listed here uses the default).
OBJECTION_FORMULAS: dict[str, Label] = {
    "default": Label(
        "如对本决定不服，可在收到本通知之日起60日内申请行政复议，或者6个月内提起行政诉讼。",
        "If you disagree with this decision, you may apply for administrative reconsideration within 60 days of "
        "receiving this notice, or bring an administrative lawsuit within 6 months.",
    ),
}
# What happens when amended materials do not arrive in time (the station then decides on what it has).
AMENDMENT_LAPSE = Label(
    "逾期未提交补正材料的，视为放弃补正，登记机构将依据已提交的材料作出决定，可能不予登记。",
    "If the amended materials are not submitted by the due date, the station decides on the materials it has "
    "and may refuse to register the contract.",
)


def case_number(contract: Contract) -> str:
    """The station's case number of a filing: station code, year of first filing, contract id (130402-2026-000123)."""
    station = contract.station.code if contract.station else "000000"
    year = contract.filed_on.year if contract.filed_on else local(contract.created_at).year
    return f"{station}-{year}-{contract.id:06d}"


def objection_formula(rule_set_code: str | None) -> Label:
    """How to object to a refusal under this rule set."""
    return OBJECTION_FORMULAS.get(rule_set_code or "", OBJECTION_FORMULAS["default"])


def kind_of(change: StatusChange) -> DocumentKind | None:
    """The kind of document a history entry has, if any: a move into the kind's status (not a proposal or a
    reassignment, which keep the status)."""
    for kind in DOCUMENT_KINDS.values():
        if change.to_status == kind.status and change.from_status != change.to_status:
            return kind
    return None


def snapshot(change: StatusChange) -> dict | None:
    """The filing as submitted, when the submission recorded it."""
    found = (change.details or {}).get("snapshot")
    return found if isinstance(found, dict) else None


def context(kind: str, contract: Contract, change: StatusChange, base_url: str) -> dict:
    """The template variables of one document."""
    common = _common(kind, contract, change, base_url)
    return {**common, **BUILDERS[kind](contract, change)}


def _common(kind: str, contract: Contract, change: StatusChange, base_url: str) -> dict:
    station = contract.station
    issued = local(change.created_at).date()
    return {
        "kind": DOCUMENT_KINDS[kind],
        "case_number": case_number(contract),
        "title": contract.title or "—",
        "applicant": contract.organisation.name if contract.organisation else "—",
        "station_name": station.name if station else "—",
        "station_code": station.code if station else "—",
        "issued_on": chinese_date(issued),
        "issued_iso": issued.isoformat(),
        "follow_url": f"{base_url.rstrip('/')}/contracts/{contract.id}",
        "seal_motto": SEAL_MOTTO,
        "reference": f"{case_number(contract)}-{change.id}",
    }


def _receipt(contract: Contract, change: StatusChange) -> dict:
    submission = _submission_before(contract, change)
    received = local(submission.created_at).date() if submission else _local_date(contract.submitted_at)
    filed = (snapshot(submission) if submission else None) or {}
    attachments = filed.get("attachments") or [
        {"kind": a.kind, "filename": a.filename, "sha256": a.sha256, "size": a.size} for a in contract.attachments
    ]
    due = _as_date((change.details or {}).get("due_on")) or contract.due_on
    rule_set = rule_set_by_code(contract.rule_set) if contract.rule_set else None
    return {
        "received_on": chinese_date(received) if received else "—",
        "accepted_on": chinese_date(local(change.created_at).date()),
        "due_on": chinese_date(due) if due else "—",
        "time_limit": rule_set.days_label(rule_set.time_limit_days) if rule_set else None,
        "attachments": [
            {
                "kind": _label(cat.ATTACHMENT_KINDS, a.get("kind")),
                "filename": a.get("filename") or "—",
                "sha256": (a.get("sha256") or "")[:12],
            }
            for a in attachments
        ],
    }


def _amendment(contract: Contract, change: StatusChange) -> dict:
    details = change.details or {}
    reasons = details.get("reasons") or ([change.note] if change.note else [])
    due = _as_date(details.get("due_on"))
    return {
        "reasons": [str(reason) for reason in reasons],
        "due_on": chinese_date(due) if due else "—",
        "lapse": AMENDMENT_LAPSE,
    }


def _refusal(contract: Contract, change: StatusChange) -> dict:
    grounds = (change.details or {}).get("grounds") or []
    return {
        "grounds": [cat.REFUSAL_GROUNDS.get(g, Label(str(g), str(g))) for g in grounds],
        "note": change.note or "",
        "objection": objection_formula(contract.rule_set),
    }


def _filing(contract: Contract, change: StatusChange) -> dict:
    filed = snapshot(change) or filing_of(contract)
    details = change.details or {}
    acknowledged = details.get("acknowledged", filed.get("acknowledged_warnings") or [])
    messages = {f.code: Label(f.message_zh, f.message_en) for f in contract.findings}
    category, subtype = filed.get("category"), filed.get("subtype")
    # a snapshot taken while "equity" was a sub-type keeps it; a later one carries the flag beside its sub-type
    subtype_label = cat.EQUITY if subtype == cat.LEGACY_EQUITY_SUBTYPE else cat.subtype_label(category, subtype)
    if subtype_label and filed.get("contributed_as_equity"):
        subtype_label = Label(f"{subtype_label.zh}（{cat.EQUITY.zh}）", f"{subtype_label.en} ({cat.EQUITY.en.lower()})")
    return {
        "submitted_on": chinese_date(local(change.created_at).date()),
        "resubmission": bool(details.get("resubmission")),
        "from_snapshot": snapshot(change) is not None,
        "facts": _facts(filed, category, subtype_label),
        "parties": [_party(zh, en, filed.get(role)) for role, zh, en in PARTY_ROLES]
        + [_party(*_role(p.get("role")), p) for p in filed.get("other_parties") or []],
        "deductions": [
            {
                "kind": _label(cat.DEDUCTION_KINDS, d.get("kind")),
                "description": d.get("description") or "",
                "amount": _money(d.get("amount")),
            }
            for d in filed.get("deductions") or []
        ],
        "amount": _money(filed.get("amount")),
        "amount_words": _words(filed.get("amount")),
        "technical_amount": _money(filed.get("technical_amount")),
        "technical_amount_words": _words(filed.get("technical_amount")),
        "acknowledged": [{"code": code, "message": messages.get(code, Label(code, code))} for code in acknowledged],
        "attachments": [
            {
                "kind": _label(cat.ATTACHMENT_KINDS, a.get("kind")),
                "filename": a.get("filename") or "—",
                "sha256": (a.get("sha256") or "")[:12],
            }
            for a in filed.get("attachments") or []
        ],
    }


PARTY_ROLES = (("seller", "卖方", "Seller"), ("buyer", "买方", "Buyer"))


def _facts(filed: dict, category: str | None, subtype_label: Label | None) -> list[tuple[Label, str]]:
    """The filing's scalar fields, in the form's order: (label, printed value)."""
    licence = filed.get("license") or {}
    rows = [
        (Label("合同名称", "Title"), filed.get("title") or "—"),
        (Label("合同类别", "Category"), _label(cat.CATEGORIES, category)),
        (Label("合同子类", "Sub-type"), subtype_label.zh if subtype_label else "—"),
        (Label("签订日期", "Signed on"), _printed_date(filed.get("signed_on"))),
        (
            Label("有效期限", "Valid"),
            f"{_printed_date(filed.get('valid_from'))} 至 {_printed_date(filed.get('valid_until'))}",
        ),
        (Label("技术领域", "Technical field"), _label(cat.TECHNICAL_FIELDS, filed.get("technical_field"))),
        (Label("知识产权类型", "IP type"), _label(cat.IP_TYPES, filed.get("ip_type"))),
        (Label("知识产权编号", "IP numbers"), "、".join(filed.get("ip_numbers") or []) or "—"),
        (Label("计划类别", "Plan category"), _label(cat.PLAN_CATEGORIES, filed.get("plan_category"))),
        (Label("支付方式", "Payment"), _label(cat.PAYMENT_METHODS, filed.get("payment_method"))),
    ]
    if licence:
        rows += [
            (Label("许可方式", "Exclusivity"), _label(cat.LICENSE_EXCLUSIVITY, licence.get("exclusivity"))),
            (Label("许可地域", "Territory"), _label(cat.LICENSE_TERRITORY, licence.get("territory"))),
            (Label("许可年限", "Years"), str(licence.get("years") or "—")),
        ]
    if filed.get("brokers"):  # snapshots taken before brokers were named have none
        named = "、".join(f"{b.get('name')}（{b.get('certificate_no')}）" for b in filed["brokers"])
        rows.append((Label("技术经纪人", "Technology brokers"), named))
    rows.append((Label("主要内容", "Summary"), filed.get("summary") or "—"))
    return rows


def _role(code: str | None) -> tuple[str, str]:
    """The printed role of another party (卖方, 买方, 中介方)."""
    found = cat.PARTY_ROLES.get(code or "")
    return (found.zh, found.en) if found else ("其他当事人", "Other party")


def _party(zh: str, en: str, party: dict | None) -> dict:
    party = party or {}
    identifier = party.get("credit_code") or (mask_id_number(party["id_number"]) if party.get("id_number") else "—")
    area = areas.full_name(party["area_code"]) if party.get("area_code") else (party.get("country") or "—")
    return {
        "role": Label(zh, en),
        "name": party.get("name") or "—",
        "identifier": identifier,
        "nature": _label(cat.PARTY_NATURES, party.get("nature")),
        "area": area,
    }


def filing_of(contract: Contract) -> dict:
    """The contract's current fields in the filing's (API) shape: what the form prints without a snapshot."""

    def party(p) -> dict | None:
        if p is None:
            return None
        return {
            "name": p.name,
            "credit_code": p.credit_code,
            "id_number": p.id_number,
            "nature": p.nature,
            "area_code": p.area_code,
            "country": p.country,
        }

    licence = None
    if contract.license_exclusivity or contract.license_territory or contract.license_years:
        licence = {
            "exclusivity": contract.license_exclusivity,
            "territory": contract.license_territory,
            "years": contract.license_years,
        }
    return {
        "title": contract.title,
        "category": contract.category,
        "subtype": contract.subtype,
        "signed_on": _iso(contract.signed_on),
        "valid_from": _iso(contract.valid_from),
        "valid_until": _iso(contract.valid_until),
        "amount": _text(contract.amount),
        "technical_amount": _text(contract.technical_amount),
        "technical_field": contract.technical_field,
        "ip_type": contract.ip_type,
        "ip_numbers": list(contract.ip_numbers or []),
        "plan_category": contract.plan_category,
        "payment_method": contract.payment_method,
        "summary": contract.summary,
        "license": licence,
        "seller": party(contract.seller),
        "buyer": party(contract.buyer),
        "deductions": [
            {"kind": d.kind, "description": d.description, "amount": _text(d.amount)} for d in contract.deductions
        ],
        "acknowledged_warnings": list(contract.acknowledged_warnings or []),
        "attachments": [
            {"kind": a.kind, "filename": a.filename, "sha256": a.sha256, "size": a.size} for a in contract.attachments
        ],
    }


BUILDERS = {"receipt": _receipt, "amendment": _amendment, "refusal": _refusal, "filing": _filing}


def _submission_before(contract: Contract, change: StatusChange) -> StatusChange | None:
    """The latest submission recorded before this history entry."""
    earlier = [c for c in contract.history if c.to_status == "submitted" and c.id < change.id]
    return earlier[-1] if earlier else None


def _label(table: dict[str, Label], code: str | None) -> str:
    if not code:
        return "—"
    found = table.get(code)
    return found.zh if found else str(code)


def _as_date(value) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def _printed_date(value) -> str:
    day = _as_date(value)
    return chinese_date(day) if day else "—"


def _local_date(moment) -> date | None:
    return local(moment).date() if moment else None


def _decimal(value) -> Decimal | None:
    try:
        return Decimal(str(value)) if value not in (None, "") else None
    except InvalidOperation:
        return None


def _money(value) -> str:
    amount = _decimal(value)
    return f"¥{grouped_amount(amount)}" if amount is not None else "—"


def _words(value) -> str:
    amount = _decimal(value)
    return amount_in_words(amount) if amount is not None else ""


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _text(amount: Decimal | None) -> str | None:
    return f"{amount:.2f}" if amount is not None else None
