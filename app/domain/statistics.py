"""What the statistics count and how: flows, regions, amount bands, goal metrics and year-on-year change.

Pure data and arithmetic; the queries live in app.statistics.services.stats. A registration counts in the year of its
registration date (API.md), with its current (changed) facts; cancelled and revoked registrations do not count.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from app.domain import areas
from app.domain.catalogue import COUNTRY_CHINA, Label

COUNTED_STATUS = "registered"
FLOWS: dict[str, Label] = {
    "output": Label("技术输出（按卖方）", "Output (by the seller)"),
    "absorption": Label("技术吸纳（按买方）", "Absorption (by the buyer)"),
}
# The flow's own party, and the other side of the contract.
FLOW_PARTY = {"output": "seller", "absorption": "buyer"}
COUNTERPART = {"output": "buyer", "absorption": "seller"}

HOME_CITY = areas.HANDAN
# A party's region, seen from the home city: the first rule that matches wins (prefix of the area code).
REGIONS: dict[str, Label] = {
    "city": Label("本市", "This city"),
    "province": Label("省内其他市", "Elsewhere in the province"),
    "beijing": Label("北京", "Beijing"),
    "tianjin": Label("天津", "Tianjin"),
    "other_province": Label("其他省份", "Other provinces"),
    "abroad": Label("境外", "Abroad"),
    "unknown": Label("未知", "Unknown"),
}
REGION_PREFIXES: tuple[tuple[str, str], ...] = (
    ("city", HOME_CITY[:4]),
    ("province", HOME_CITY[:2]),
    ("beijing", areas.BEIJING[:2]),
    ("tianjin", areas.TIANJIN[:2]),
)
OUTSIDE_PROVINCE = ("beijing", "tianjin", "other_province", "abroad")

# Party natures fold into the groups the national tables subtotal: 020 public institutions (021–024), 100 domestic
# enterprises (110–180), 200 Hong Kong/Macao/Taiwan-invested (210–240), 300 foreign-invested (310–340); the other
# codes are groups of their own.
NATURE_GROUP_PREFIXES: tuple[tuple[str, str], ...] = (("020", "02"), ("100", "1"), ("200", "2"), ("300", "3"))
NATURE_GROUPS: tuple[str, ...] = ("010", "020", "030", "100", "200", "300", "400")


def nature_group_of(code: str | None) -> str | None:
    """The group a party-nature code is subtotalled under ("150" → "100")."""
    if not code:
        return None
    for group, prefix in NATURE_GROUP_PREFIXES:
        if code.startswith(prefix):
            return group
    return code


# Major technology contracts (重大技术合同): a contract amount of at least ¥10 million.
MAJOR_CONTRACT_AMOUNT = Decimal("10000000")
AMOUNT_BANDS: dict[str, tuple[Label, Decimal | None]] = {  # code → (label, lower bound in yuan)
    "under_100k": (Label("10万元以下", "Under ¥100k"), None),
    "100k_1m": (Label("10万–100万元", "¥100k–1m"), Decimal("100000")),
    "1m_10m": (Label("100万–1000万元", "¥1m–10m"), Decimal("1000000")),
    "major": (Label("1000万元及以上（重大）", "¥10m and above (major)"), MAJOR_CONTRACT_AMOUNT),
}


@dataclass(frozen=True)
class GoalMetric:
    """Something the bureau can set a yearly target for."""

    label: Label
    money: bool  # an amount in yuan (a Decimal) rather than a count
    per_year: bool = True  # counted over the year's registrations (False: a standing figure, e.g. stations)


GOAL_METRICS: dict[str, GoalMetric] = {
    "technical_amount": GoalMetric(Label("技术交易额", "Technical transaction amount"), money=True),
    "amount": GoalMetric(Label("合同成交额", "Contract amount"), money=True),
    "count": GoalMetric(Label("登记合同数", "Registered contracts"), money=False),
    "major_count": GoalMetric(Label("重大技术合同数", "Major contracts"), money=False),
    "beijing_tianjin_amount": GoalMetric(
        Label("吸纳京津技术交易额", "Technical amount absorbed from Beijing and Tianjin"), money=True
    ),
    "active_stations": GoalMetric(Label("登记站数量", "Registration stations"), money=False, per_year=False),
}


def region_of(area_code: str | None, country: str | None = COUNTRY_CHINA) -> str:
    """The region of a party seen from the home city (the same rule the statistics query writes as SQL)."""
    if country and country != COUNTRY_CHINA:
        return "abroad"
    if not area_code:
        return "unknown"
    for region, prefix in REGION_PREFIXES:
        if area_code.startswith(prefix):
            return region
    return "other_province"


def band_of(amount: Decimal) -> str:
    """The amount band of a contract amount."""
    chosen = "under_100k"
    for code, (_label, lower) in AMOUNT_BANDS.items():
        if lower is not None and amount >= lower:
            chosen = code
    return chosen


def comparison_cutoff(year: int, today: date) -> date | None:
    """The last day of the year before that a year is compared with: the same day last year while the year is
    in progress (so that January–November is not set against a whole year), else none (the whole year)."""
    if year != today.year:
        return None
    if today.month == 2 and today.day == 29:
        return date(year - 1, 2, 28)
    return date(year - 1, today.month, today.day)


def change_percent(current: Decimal | int, previous: Decimal | int) -> Decimal | None:
    """Year-on-year change in per cent, one decimal; None when there is nothing to compare with."""
    if not previous:
        return None
    change = (Decimal(current) - Decimal(previous)) * 100 / Decimal(previous)
    return change.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def share_percent(part: Decimal | int, whole: Decimal | int) -> Decimal | None:
    """A part's share of the whole in per cent, one decimal; None for an empty whole."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def cents_to_yuan(cents: int | Decimal | None) -> Decimal:
    """Integer cents (as the fact table sums them) to yuan with two decimals."""
    return (Decimal(cents or 0) / 100).quantize(Decimal("0.01"))
