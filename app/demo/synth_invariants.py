"""What makes a synthetic filing true to the rules: the rule set and the due date its filing date selects (through
the functions real filing uses), terms the rule set's checks accept (category, sub-type, IP and patent numbers,
licence terms, validity), technical amount = amount − deductions, the status history of each step, and the tax-feed
event of a registration in the shape app.tax.services.taxfeed writes."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import lru_cache
from types import SimpleNamespace

from app.domain import catalogue
from app.domain.calendar import Deadline, decision_deadline
from app.domain.identifiers import patent_number_status
from app.domain.rules import RuleSet, rule_set_by_code
from app.tax.services import taxfeed

DEDUCTION_KINDS = {"equipment": 30, "instruments": 15, "parts": 20, "raw_materials": 25, "other": 10}
DEDUCTION_TEXT = {
    "equipment": "配套设备",
    "instruments": "检测仪器",
    "parts": "零部件",
    "raw_materials": "原材料",
    "other": "差旅及其他非技术性费用",
}
PATENT_TYPES = ("1", "1", "2", "2", "3")  # invention, utility model, design (the fifth digit of a number)
ZERO = Decimal("0.00")


def pick(rng: random.Random, weights: dict[str, int]) -> str:
    """One code drawn by weight."""
    return rng.choices(list(weights), weights=list(weights.values()))[0]


@lru_cache(maxsize=8192)
def _deadline(code: str, clock_start: date, expert: bool) -> Deadline:
    rule_set = rule_set_by_code(code)
    amount = rule_set.expert_review_threshold if expert else ZERO
    return decision_deadline(rule_set, clock_start, amount)


def deadline(rule_set: RuleSet, clock_start: date, technical_amount: Decimal) -> Deadline:
    """decision_deadline, cached by day (a million registrations fall on about a thousand days)."""
    threshold = rule_set.expert_review_threshold
    expert = threshold is not None and bool(rule_set.expert_review_days) and technical_amount >= threshold
    return _deadline(rule_set.code, clock_start, expert)


def clock_columns(rule_set: RuleSet, clock_start: date, technical_amount: Decimal) -> dict:
    """clock_started_on, due_on, due_provisional and expert_review as deadlines.start_clock sets them."""
    due = deadline(rule_set, clock_start, technical_amount)
    return {
        "clock_started_on": clock_start,
        "due_on": due.due_on,
        "due_provisional": due.provisional,
        "expert_review": due.days != rule_set.time_limit_days,
    }


def category_under(rule_set: RuleSet, category: str) -> str:
    """A category the rule set has: under the 2000 rules a licence is registered as a transfer."""
    if category in rule_set.categories:
        return category
    return "transfer" if rule_set.licensing_as_transfer else rule_set.categories[0]


def patent_number(rng: random.Random, year: int, ip_type: str) -> str:
    """A well-formed patent application number ("201310699744.2") with its check character."""
    kind = {"invention_patent": "1", "utility_model": "2", "design": "3"}.get(ip_type) or rng.choice(PATENT_TYPES)
    digits = f"{year}{kind}{rng.randrange(10**7):07d}"
    return next(f"{digits}.{c}" for c in "0123456789X" if patent_number_status(f"{digits}.{c}") == "valid")


def terms(
    rng: random.Random, rule_set: RuleSet, category: str, signed_on: date, subtypes: dict, ip_by_subtype: dict
) -> dict:
    """The classification and rights of a filing under its rule set: sub-type, IP type, patent numbers (every
    patent sub-type or patent IP names one), whether a transfer is contributed as equity, licence terms for a
    licence, and a validity that covers the filing."""
    category = category_under(rule_set, category)
    subtype = pick(rng, subtypes[category])
    ip_type = pick(rng, ip_by_subtype[subtype]) if subtype in ip_by_subtype else "none"
    patent = ip_type in catalogue.PATENT_IP_TYPES or subtype in catalogue.PATENT_SUBTYPES
    licensing = category == "licensing"
    ip_numbers = [patent_number(rng, rng.randint(2015, signed_on.year), ip_type)] if patent else []
    return {
        "category": category,
        "subtype": subtype,
        # about one transfer in five is contributed as equity: drawn from the signing date, not the random stream,
        # and only where the sub-type is the one the IP says (what the registry's own migration would give it)
        "contributed_as_equity": category == catalogue.EQUITY_CATEGORY
        and subtype == catalogue.equity_subtype(ip_type, ip_numbers)
        and signed_on.toordinal() % 5 == 0,
        "ip_type": ip_type,
        "ip_numbers": ip_numbers,
        "license_exclusivity": rng.choice(tuple(catalogue.LICENSE_EXCLUSIVITY)) if licensing else None,
        "license_territory": "china" if licensing else None,
        "license_years": rng.randint(1, 10) if licensing else None,
        "signed_on": signed_on,
        "valid_from": signed_on,
        "valid_until": signed_on + timedelta(days=rng.randint(400, 1460)),
    }


def split_amount(rng: random.Random, amount: Decimal, share: float) -> tuple[Decimal, list[dict]]:
    """The technical amount (about `share` of the amount) and the deductions that make up the rest exactly."""
    technical = (amount * Decimal(share)).quantize(Decimal("0.01"))
    rest = amount - technical
    if rest <= ZERO or technical <= ZERO:
        return amount, []
    kind = pick(rng, DEDUCTION_KINDS)
    return technical, [{"position": 0, "kind": kind, "description": DEDUCTION_TEXT[kind], "amount": rest}]


def step(
    contract_id: int, before: str | None, after: str, at: datetime, details: dict | None = None, note: str | None = None
) -> dict:
    """One status_changes row, by the system (synthetic data has no acting person)."""
    return {
        "contract_id": contract_id,
        "from_status": before,
        "to_status": after,
        "actor_id": None,
        "actor_role": "system",
        "note": note,
        "details": details or {},
        "created_at": at,
    }


def registration_history(row: dict) -> list[dict]:
    """Submitted, accepted, registered: the steps of a registration, with what registration records."""
    corrections = {}
    if row["certified_technical_amount"] != row["technical_amount"]:
        corrections["certified_technical_amount"] = {
            "from": str(row["technical_amount"]),
            "to": str(row["certified_technical_amount"]),
            "reason": "部分费用不属于技术性收入",
        }
    contract_id = row["id"]
    return [
        step(
            contract_id,
            None,
            "submitted",
            row["submitted_at"],
            {"station": row["_station"].code, "rule_set": row["rule_set"], "resubmission": False},
        ),
        step(
            contract_id,
            "submitted",
            "accepted",
            row["accepted_at"],
            {"due_on": row["due_on"].isoformat(), "clock_started": True},
        ),
        step(
            contract_id,
            "accepted",
            "registered",
            row["decided_at"],
            {
                "registration_number": row["registration_number"],
                "corrections": corrections,
                "certified_technical_amount": str(row["certified_technical_amount"]),
                "registered_by": None,
                "approved_by": None,
            },
        ),
    ]


def tax_event(row: dict, seller: dict, buyer: dict, others: list[dict] = ()) -> dict:
    """The tax_events row a registration writes (taxfeed.record), with taxfeed.payload_of's own payload."""
    party_keys = taxfeed.PARTY_KEYS
    contract = SimpleNamespace(
        **{k: v for k, v in row.items() if not k.startswith("_")},
        seller=SimpleNamespace(**{k: seller.get(k) for k in party_keys}),
        buyer=SimpleNamespace(**{k: buyer.get(k) for k in party_keys}),
        other_parties=[SimpleNamespace(role=o["role"], **{k: o.get(k) for k in party_keys}) for o in others],
        station=row["_station"],
        current_certificate=None,
    )
    return {
        "event": "registered",
        "contract_id": row["id"],
        "registration_number": row["registration_number"],
        "version": row["version"],
        "occurred_at": row["decided_at"],
        "seller_area": seller["area_code"],
        "buyer_area": buyer["area_code"],
        "payload": taxfeed.payload_of(contract, "registered", row["decided_at"]),
    }
