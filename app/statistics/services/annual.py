"""The annual tables in the national statistics' dimensions (DOMAIN.md §9), for a page and an A4 PDF."""

from __future__ import annotations

from dataclasses import dataclass, field

from app.domain.catalogue import Label
from app.models import Station
from app.statistics.services.stats import StatsQuery, StatsRow, StatsTable, compute


@dataclass(frozen=True)
class AnnualSpec:
    """One numbered table: its title, its dimension and flow, and an optional breakdown under each row."""

    title: Label
    dimension: str
    flow: str = "output"
    breakdown: str | None = None
    city_only: bool = False


ANNUAL_TABLES: tuple[AnnualSpec, ...] = (
    AnnualSpec(
        Label("技术合同登记情况（按合同类别及子类）", "Registrations by category and sub-type"),
        "category",
        breakdown="subtype",
    ),
    AnnualSpec(
        Label("其中技术入股（技术转让合同）", "Of which technology contributed as equity (transfers)"), "equity"
    ),
    AnnualSpec(Label("按技术领域分", "By technical field"), "technical_field"),
    AnnualSpec(
        Label("技术输出：按卖方单位性质分", "Output: by the seller's nature"), "nature_group", breakdown="nature"
    ),
    AnnualSpec(
        Label("技术吸纳：按买方单位性质分", "Absorption: by the buyer's nature"),
        "nature_group",
        flow="absorption",
        breakdown="nature",
    ),
    AnnualSpec(Label("按知识产权类型分", "By IP type"), "ip_type"),
    AnnualSpec(Label("按计划类别分", "By plan category"), "plan_category"),
    AnnualSpec(Label("技术输出：按卖方所在地区分", "Output: by the seller's area"), "area"),
    AnnualSpec(
        Label("技术吸纳：按买方所在省份分", "Absorption: by the buyer's province"), "province", flow="absorption"
    ),
    AnnualSpec(
        Label("技术流向：按买方所在地域分", "Where the technology goes: the buyer's region"), "counterpart_region"
    ),
    AnnualSpec(
        Label(
            "技术来源：按卖方所在地域分（含京津）",
            "Where absorbed technology comes from: the seller's region (Beijing and Tianjin included)",
        ),
        "counterpart_region",
        flow="absorption",
    ),
    AnnualSpec(
        Label(
            "技术吸纳：按来源分（本地登记、外地登记吸纳）",
            "Absorption by source (the local registry, registrations imported from other registries)",
        ),
        "source",
        flow="absorption",
        breakdown="counterpart_region",
    ),
    AnnualSpec(Label("按成交额区间分（含重大技术合同）", "By amount band (major contracts included)"), "amount_band"),
    AnnualSpec(Label("按月分", "By month"), "month"),
    AnnualSpec(Label("按登记机构分", "By registration station"), "station", city_only=True),
)


@dataclass
class AnnualTable:
    """A numbered table as printed: the rows, and the breakdown rows under each of them."""

    number: int
    spec: AnnualSpec
    table: StatsTable
    breakdown: dict[object, list[StatsRow]] = field(default_factory=dict)
    detail: StatsTable | None = None  # the table with its breakdown, as the download gives it

    @property
    def download(self) -> StatsTable:
        return self.detail or self.table


def annual_tables(year: int, station: Station | None, through_month: int | None = None) -> list[AnnualTable]:
    """Every table for the year (each also carries the year before), for the city or one station; with
    `through_month`, January to that month only (a quarterly report's cumulative figures)."""
    out = []
    specs = [spec for spec in ANNUAL_TABLES if not (spec.city_only and station is not None)]
    for number, spec in enumerate(specs, start=1):
        table = compute(StatsQuery(year, (spec.dimension,), spec.flow, station, through_month))
        breakdown: dict[object, list[StatsRow]] = {}
        detail = None
        if spec.breakdown:
            detail = compute(StatsQuery(year, (spec.dimension, spec.breakdown), spec.flow, station, through_month))
            for row in detail.rows:
                breakdown.setdefault(row.keys[spec.dimension], []).append(row)
        out.append(AnnualTable(number, spec, table, breakdown, detail))
    return out


def render_pdf(html: str) -> bytes:
    """The printable page as A4 PDF (WeasyPrint, with the CJK fonts the certificates use)."""
    from weasyprint import HTML

    return HTML(string=html).write_pdf()
