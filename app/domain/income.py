"""Technical-income verification (技术性收入核定): the cost kinds deducted from income received under a registered
contract, and the title green channel's thresholds of realised income (DOMAIN.md §12)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from app.domain.catalogue import Label

# The costs the station deducts from the income received to fix the technical income (DOMAIN.md §12: labour,
# materials, power, equipment), and "other" for what fits none of them.
COST_KINDS: dict[str, Label] = {
    "labour": Label("人工", "Labour"),
    "materials": Label("材料", "Materials"),
    "power": Label("动力", "Power"),
    "equipment": Label("设备折旧", "Equipment depreciation"),
    "other": Label("其他", "Other"),
}


@dataclass(frozen=True)
class GreenChannelLevel:
    """One level of the title green channel: the realised income it needs and the title it opens."""

    code: str
    threshold: Decimal
    title: Label


# Seed 004 (邯郸市技术转移体系建设实施方案, 二(三)4): researchers who led a conversion whose "直接转化收益分别达到
# 5000万元或8000万元以上" may apply directly for the associate-senior or full-senior professional title.
GREEN_CHANNEL_LEVELS: tuple[GreenChannelLevel, ...] = (
    GreenChannelLevel("associate_senior", Decimal("50000000.00"), Label("副高级", "Associate senior")),
    GreenChannelLevel("full_senior", Decimal("80000000.00"), Label("正高级", "Full senior")),
)


def reached_level(realised: Decimal) -> GreenChannelLevel | None:
    """The highest green-channel level the realised income reaches, if any."""
    reached = [level for level in GREEN_CHANNEL_LEVELS if realised >= level.threshold]
    return reached[-1] if reached else None


def progress_percent(realised: Decimal, threshold: Decimal) -> int:
    """How far the realised income has come towards a threshold, in whole percent, at most 100."""
    if threshold <= 0:
        return 100
    return min(100, int(realised * 100 // threshold))


def periods_overlap(first_from, first_to, second_from, second_to) -> bool:
    """Whether two periods (inclusive calendar dates) share a day."""
    return first_from <= second_to and second_from <= first_to
