"""A statistics table as the API's JSON document, a CSV file or an XLSX workbook (the same columns in each)."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import xlsxwriter

from app.domain.spreadsheet import safe_cell
from app.domain.statistics import FLOWS
from app.i18n import t
from app.statistics.services.stats import DIMENSIONS, Figures, StatsTable, label, station_names

MEDIA_TYPES = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _money(value: Decimal) -> str:
    return f"{value:.2f}"


def _percent(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.1f}"


def figures_document(figures: Figures) -> dict:
    """Figures as JSON: amounts as strings with two decimals, the year before nested."""
    return {
        "count": figures.count,
        "amount": _money(figures.amount),
        "technical_amount": _money(figures.technical_amount),
        "previous": {
            "count": figures.previous_count,
            "amount": _money(figures.previous_amount),
            "technical_amount": _money(figures.previous_technical_amount),
        },
        "technical_amount_change_percent": _percent(figures.technical_amount_change),
    }


def document(table: StatsTable, lang: str = "zh") -> dict:
    """The API's answer: rows with their codes, labels and figures, and the totals."""
    names = station_names() if "station" in table.group_by else {}
    rows = []
    for row in table.rows:
        labels = {dim: label(dim, code, lang, names) for dim, code in row.keys.items()}
        rows.append({**row.keys, "labels": labels, **figures_document(row.figures)})
    query = table.query
    return {
        "year": query.year,
        "flow": query.flow,
        "station": query.station.code if query.station else None,
        "group_by": list(table.group_by),
        "rows": rows,
        "totals": figures_document(table.totals),
    }


def _header(table: StatsTable, lang: str) -> list[str]:
    columns = []
    for dim in table.group_by:
        name = DIMENSIONS[dim].label.for_locale(lang)
        columns += [t("%(name)s (code)", name=name), name]
    return columns + [
        t("Registrations"),
        t("Contract amount (yuan)"),
        t("Technical amount (yuan)"),
        t("Registrations, year before"),
        t("Contract amount, year before (yuan)"),
        t("Technical amount, year before (yuan)"),
        t("Technical amount change (%)"),
    ]


def _values(figures: Figures) -> list:
    return [
        figures.count,
        figures.amount,
        figures.technical_amount,
        figures.previous_count,
        figures.previous_amount,
        figures.previous_technical_amount,
        figures.technical_amount_change,
    ]


def _records(table: StatsTable, lang: str) -> list[list]:
    """Every row as cells (code and name per dimension, then the figures), and a closing totals row."""
    names = station_names() if "station" in table.group_by else {}
    records = []
    for row in table.rows:
        cells = []
        for dim in table.group_by:
            code = row.keys[dim]
            cells += ["" if code is None else str(code), label(dim, code, lang, names)]
        records.append(cells + _values(row.figures))
    totals = [t("Total")] + [""] * (2 * len(table.group_by) - 1)
    return records + [totals + _values(table.totals)]


def title(table: StatsTable, lang: str) -> str:
    """ "2026 · 技术输出（按卖方） · 合同类别 × 技术领域 · 邯山区…": what the file holds."""
    query = table.query
    parts = [
        str(query.year),
        FLOWS[query.flow].for_locale(lang),
        " × ".join(DIMENSIONS[d].label.for_locale(lang) for d in table.group_by),
    ]
    parts.append(query.station.name if query.station else t("The whole city"))
    return " · ".join(parts)


def _csv_cell(value) -> str:
    """Numbers as written (Decimals keep their places, negatives their sign); text neutralised."""
    if value is None:
        return ""
    return safe_cell(value) if isinstance(value, str) else str(value)


def csv_bytes(table: StatsTable, lang: str = "zh") -> bytes:
    """UTF-8 with a BOM (spreadsheet programs then read the Chinese right); a title line, a header, the rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([safe_cell(title(table, lang))])
    writer.writerow([safe_cell(name) for name in _header(table, lang)])
    for record in _records(table, lang):
        writer.writerow([_csv_cell(value) for value in record])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def write_cell(sheet, row: int, col: int, value, money) -> None:
    """One cell of a statistics workbook: amounts as numbers (two decimals shown in `money`), counts as numbers,
    text made safe against formulas; nothing for None."""
    if value is None:
        return
    if isinstance(value, Decimal):  # a spreadsheet number is a double; the CSV and JSON keep exact cents
        sheet.write_number(row, col, float(value), money if value.as_tuple().exponent == -2 else None)
    elif isinstance(value, int):
        sheet.write_number(row, col, value)
    else:
        sheet.write_string(row, col, safe_cell(str(value)))


def xlsx_bytes(table: StatsTable, lang: str = "zh") -> bytes:
    """One sheet: the title, a header row, the rows with amounts as numbers formatted to two decimals."""
    output = io.BytesIO()
    book = xlsxwriter.Workbook(output, {"in_memory": True})
    sheet = book.add_worksheet(t("Statistics"))
    bold = book.add_format({"bold": True})
    money = book.add_format({"num_format": "#,##0.00"})
    sheet.write_string(0, 0, safe_cell(title(table, lang)), bold)
    for col, name in enumerate(_header(table, lang)):
        sheet.write_string(1, col, safe_cell(name), bold)
    for row_index, record in enumerate(_records(table, lang), start=2):
        for col, value in enumerate(record):
            write_cell(sheet, row_index, col, value, money)
    sheet.set_column(0, 2 * len(table.group_by) - 1, 18)
    sheet.set_column(2 * len(table.group_by), 2 * len(table.group_by) + 6, 16)
    book.close()
    return output.getvalue()


def encode(table: StatsTable, fmt: str, lang: str = "zh") -> tuple[bytes, str, str]:
    """A table as a downloadable file: its bytes, media type and file name."""
    body = csv_bytes(table, lang) if fmt == "csv" else xlsx_bytes(table, lang)
    return body, MEDIA_TYPES[fmt], filename(table, fmt)


def filename(table: StatsTable, fmt: str) -> str:
    """tcr-stats-2026-output-category-technical_field[-130402].csv"""
    query = table.query
    station = f"-{query.station.code}" if query.station else ""
    return f"tcr-stats-{query.year}-{query.flow}-{'-'.join(table.group_by)}{station}.{fmt}"
