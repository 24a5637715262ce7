"""Reports upward: the annual (or cumulative quarterly) tables in the layout of the national technology-market
statistics tables (全国技术市场统计年度报告), as one JSON document, one CSV file or an XLSX workbook.

Which tables: the city's ANNUAL_TABLES (annual.py), each a national table in TCR's dimensions (DOMAIN.md §9):
contracts by category with their sub-types (按合同类别), of which technology as equity (技术入股), by technical field
(按技术领域), the sellers' and the buyers' nature with the national groups as subtotals (技术输出/吸纳方性质), by IP
type (按知识产权类型), by plan category (按计划类别), output by area and absorption by province (按地区), where the
technology goes and comes from (技术流向, Beijing and Tianjin apart), by amount band with the major contracts
(重大技术合同), by month and by registration station. Columns matched: 合同数（项）, 成交额, 技术交易额, their
shares (比重) and the change on the year before (增长). Amounts are in yuan with two decimals (the national tables
print 万元; the exact yuan keeps every total equal to the sum of its rows). Not confirmed: the national tables'
numbering and their exact row order, the socio-economic objective table (TCR keeps no such field yet), and the
national groups of party nature beyond those DOMAIN.md §9 lists.

A quarterly report is cumulative, January to the end of the quarter (as the national quarterly reports are), by
registration date, with the same months of the year before for comparison.

The document's `year`, `quarter` and `tables` are what a freeze signs (freeze.py): canonical JSON (keys sorted, no
spaces, UTF-8) of exactly those three keys.
"""

from __future__ import annotations

import calendar
import csv
import io
import json
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import xlsxwriter

from app.domain.catalogue import Label
from app.domain.spreadsheet import safe_cell
from app.domain.statistics import share_percent
from app.errors import FieldError, ValidationFailed
from app.i18n import t
from app.statistics.services.annual import AnnualSpec, AnnualTable, annual_tables
from app.statistics.services.stats import DIMENSIONS, Figures, StatsQuery, StatsRow, StatsTable, label, station_names
from app.statistics.services.stats_export import write_cell

FORMAT = "tcr-national-tables/v1"
MEDIA_TYPES = {
    "json": "application/json",
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
FIGURES = ("count", "amount", "technical_amount", "previous_count", "previous_amount", "previous_technical_amount")
MONEY = {"amount", "technical_amount", "previous_amount", "previous_technical_amount"}
# The columns of every table (key, Chinese header as the national tables print it, English).
COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("code", "代码", "Code"),
    ("label", "项目", "Item"),
    ("count", "合同数（项）", "Contracts"),
    ("count_share", "合同数比重（%）", "Share of contracts (%)"),
    ("amount", "成交额（元）", "Contract amount (yuan)"),
    ("technical_amount", "技术交易额（元）", "Technical amount (yuan)"),
    ("technical_share", "技术交易额比重（%）", "Share of technical amount (%)"),
    ("previous_count", "上年同期合同数（项）", "Contracts, year before"),
    ("previous_amount", "上年同期成交额（元）", "Contract amount, year before (yuan)"),
    ("previous_technical_amount", "上年同期技术交易额（元）", "Technical amount, year before (yuan)"),
    ("technical_amount_change_percent", "技术交易额增长（%）", "Technical amount change (%)"),
)


@dataclass
class Report:
    """A year's (or a quarter's cumulative) tables, frozen or live, with the changes since a freeze."""

    year: int
    quarter: int | None
    tables: list[dict]
    snapshot: dict | None = None  # the freeze: sha256, signature, signed_by, algorithm, frozen_by, frozen_at
    reconciliation: list[dict] = field(default_factory=list)


def check_period(year: int | None, quarter: int | None, today: date) -> None:
    """A year from 2000 to this year; a quarter 1–4 that has begun."""
    if year is None or not 2000 <= year <= today.year:
        raise _invalid("year.range", "year", t("Choose a year from 2000 to this year."))
    if quarter is not None and (not 1 <= quarter <= 4 or (year == today.year and 3 * quarter - 2 > today.month)):
        raise _invalid("quarter.range", "quarter", t("Choose a quarter from 1 to 4 that has begun."))


def _invalid(code: str, field_name: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, [FieldError(code, field_name, message)])


def through_month(quarter: int | None) -> int | None:
    """The last month a quarterly report counts (cumulative from January); None for the whole year."""
    return None if quarter is None else 3 * quarter


def _money(value: Decimal) -> str:
    return f"{value:.2f}"


def _percent(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.1f}"


def _figures(figures: Figures) -> dict:
    out = {name: getattr(figures, name) for name in FIGURES}
    out = {name: _money(value) if name in MONEY else value for name, value in out.items()}
    out["technical_amount_change_percent"] = _percent(figures.technical_amount_change)
    return out


def _row(dimension: str, code, figures: Figures, names: dict, level: int = 0, parent=None) -> dict:
    return {
        "code": code,
        "label": label(dimension, code, "zh", names),
        "level": level,
        "parent": parent,
        **_figures(figures),
    }


def table_document(item: AnnualTable, names: dict) -> dict:
    """One numbered table: its title, dimension and flow, rows (a breakdown's rows follow their group at level 1)
    and the totals."""
    spec, dimension = item.spec, item.spec.dimension
    rows = []
    for row in item.table.rows:
        code = row.keys[dimension]
        rows.append(_row(dimension, code, row.figures, names))
        for sub in item.breakdown.get(code, []):
            rows.append(_row(spec.breakdown, sub.keys[spec.breakdown], sub.figures, names, 1, code))
    return {
        "number": item.number,
        "title": {"zh": spec.title.zh, "en": spec.title.en},
        "dimension": dimension,
        "dimension_label": DIMENSIONS[dimension].label.zh,
        "flow": spec.flow,
        "breakdown": spec.breakdown,
        "rows": rows,
        "totals": _figures(item.table.totals),
    }


def live_tables(year: int, quarter: int | None) -> list[dict]:
    """The city's tables as the registry stands now."""
    names = station_names()
    return [table_document(item, names) for item in annual_tables(year, None, through_month(quarter))]


def signed_content(year: int, quarter: int | None, tables: list[dict]) -> bytes:
    """The exact bytes a freeze hashes and signs: canonical JSON of year, quarter and tables."""
    content = {"year": year, "quarter": quarter, "tables": tables}
    return json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def _figures_of(document: dict) -> Figures:
    values = {name: Decimal(document[name]) if name in MONEY else int(document[name]) for name in FIGURES}
    return Figures(**values)


def annual_tables_of(year: int, tables: list[dict]) -> list[AnnualTable]:
    """Stored table documents back as the annual page's tables (a frozen year's page and PDF)."""
    out = []
    for doc in tables:
        spec = AnnualSpec(
            Label(doc["title"]["zh"], doc["title"]["en"]), doc["dimension"], doc["flow"], doc["breakdown"]
        )
        dimension, rows, breakdown, detail_rows = spec.dimension, [], {}, []
        for row in doc["rows"]:
            if row["level"] == 0:
                rows.append(StatsRow({dimension: row["code"]}, _figures_of(row)))
            else:
                sub = StatsRow({dimension: row["parent"], spec.breakdown: row["code"]}, _figures_of(row))
                breakdown.setdefault(row["parent"], []).append(sub)
                detail_rows.append(sub)
        table = StatsTable(StatsQuery(year, (dimension,), spec.flow), rows, _figures_of(doc["totals"]))
        detail = None
        if spec.breakdown:
            detail = StatsTable(StatsQuery(year, (dimension, spec.breakdown), spec.flow), detail_rows, table.totals)
        out.append(AnnualTable(doc["number"], spec, table, breakdown, detail))
    return out


def document(report: Report) -> dict:
    """The report as the API's JSON: period, source (live or the snapshot), the tables and the reconciliation."""
    last_month = through_month(report.quarter) or 12
    period_to = date(report.year, last_month, calendar.monthrange(report.year, last_month)[1])
    return {
        "format": FORMAT,
        "year": report.year,
        "quarter": report.quarter,
        "cumulative": True,
        "period": {"from": date(report.year, 1, 1).isoformat(), "to": period_to.isoformat()},
        "source": "snapshot" if report.snapshot else "live",
        "snapshot": report.snapshot,
        "columns": [{"key": key, "zh": zh, "en": en} for key, zh, en in COLUMNS],
        "tables": report.tables,
        "reconciliation": report.reconciliation,
    }


def _cells(table: dict, row: dict) -> list:
    totals = table["totals"]
    values = {
        **row,
        "code": "" if row["code"] is None else str(row["code"]),
        "label": ("　" if row["level"] else "") + row["label"],
        "count_share": share_percent(row["count"], totals["count"]),
        "technical_share": share_percent(Decimal(row["technical_amount"]), Decimal(totals["technical_amount"])),
    }
    cells = []
    for key, *_ in COLUMNS:
        value = values.get(key)
        cells.append(Decimal(value) if key in MONEY else value)
    return cells


def _total_cells(table: dict) -> list:
    total = {"code": "", "label": "合计", "level": 0, **table["totals"]}
    return _cells(table, total)


def _table_title(report: Report, table: dict) -> str:
    period = f"{report.year}年" + (f"1–{3 * report.quarter}月（第{report.quarter}季度累计）" if report.quarter else "")
    return f"{period} 表{table['number']} {table['title']['zh']}（{table['dimension_label']} · {table['dimension']}）"


RECONCILIATION_COLUMNS: tuple[tuple[str, str], ...] = (
    ("registration_number", "登记编号"),
    ("event", "事件"),
    ("event_label", "事件名称"),
    ("occurred_at", "发生时间"),
    ("version", "版本"),
    ("category", "合同类别"),
    ("amount", "成交额（元）"),
    ("certified_technical_amount", "认定技术交易额（元）"),
    ("station", "登记机构"),
)


def _csv_value(value) -> str:
    if value is None:
        return ""
    return safe_cell(value) if isinstance(value, str) else str(value)


def csv_bytes(report: Report) -> bytes:
    """One file: each line names its table (number and key), then the row's columns; the reconciliation last."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["表号", "表名", "维度", "流向", "层级", *(zh for _, zh, _ in COLUMNS)])
    writer.writerow(["table", "title", "dimension", "flow", "level", *(key for key, *_ in COLUMNS)])
    for table in report.tables:
        head = [table["number"], table["title"]["zh"], table["dimension"], table["flow"]]
        for row in table["rows"]:
            writer.writerow([_csv_value(v) for v in [*head, row["level"], *_cells(table, row)]])
        writer.writerow([_csv_value(v) for v in [*head, "total", *_total_cells(table)]])
    if report.reconciliation:
        writer.writerow([])
        writer.writerow(["对账（冻结后变动）", *(zh for _, zh in RECONCILIATION_COLUMNS)])
        for item in report.reconciliation:
            writer.writerow(["reconciliation", *(_csv_value(item.get(key)) for key, _ in RECONCILIATION_COLUMNS)])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def xlsx_bytes(report: Report) -> bytes:
    """One sheet per table (title, Chinese headers with the column codes beside, rows, total), a sheet about the
    report (source, signature) and, after a freeze, the reconciliation."""
    output = io.BytesIO()
    book = xlsxwriter.Workbook(output, {"in_memory": True})
    bold, money = book.add_format({"bold": True}), book.add_format({"num_format": "#,##0.00"})
    about = book.add_worksheet("说明")
    doc = document(report)
    facts = [("年度", report.year), ("季度（1月起累计）", report.quarter), ("来源", doc["source"])]
    facts += [(key, value) for key, value in (report.snapshot or {}).items()]
    for index, (name, value) in enumerate(facts):
        about.write_string(index, 0, name, bold)
        write_cell(about, index, 1, value, money)
    about.set_column(0, 1, 40)
    for table in report.tables:
        sheet = book.add_worksheet(f"表{table['number']}")
        sheet.write_string(0, 0, safe_cell(_table_title(report, table)), bold)
        for col, (key, zh, _en) in enumerate(COLUMNS):
            sheet.write_string(1, col, zh, bold)
            sheet.write_string(2, col, key)
        rows = [*(_cells(table, row) for row in table["rows"]), _total_cells(table)]
        for index, cells in enumerate(rows, start=3):
            for col, value in enumerate(cells):
                write_cell(sheet, index, col, value, money)
        sheet.set_column(0, 1, 22)
        sheet.set_column(2, len(COLUMNS) - 1, 16)
    if report.snapshot is not None:
        sheet = book.add_worksheet("对账")
        for col, (key, zh) in enumerate(RECONCILIATION_COLUMNS):
            sheet.write_string(0, col, zh, bold)
            sheet.write_string(1, col, key)
        for index, item in enumerate(report.reconciliation, start=2):
            for col, (key, _zh) in enumerate(RECONCILIATION_COLUMNS):
                write_cell(sheet, index, col, item.get(key), money)
    book.close()
    return output.getvalue()


def encode(report: Report, fmt: str) -> tuple[bytes, str, str]:
    """The report as a download: bytes, media type, file name."""
    if fmt == "json":
        body = json.dumps(document(report), ensure_ascii=False, indent=1).encode("utf-8")
    else:
        body = csv_bytes(report) if fmt == "csv" else xlsx_bytes(report)
    quarter = f"-q{report.quarter}" if report.quarter else ""
    return body, MEDIA_TYPES[fmt], f"tcr-national-tables-{report.year}{quarter}.{fmt}"
