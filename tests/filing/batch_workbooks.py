"""Workbooks for the batch-filing tests: the template's layout filled with filings in API shape, with room for
hostile cells (formulas) and rows that point nowhere."""

from __future__ import annotations

import io
from dataclasses import dataclass

import xlsxwriter

from app.filing.services.batch_template import SHEETS, rows_of


@dataclass(frozen=True)
class Formula:
    """A formula cell (with a cached result a careless reader would take for the value)."""

    text: str
    cached: str


def workbook(filings: list[dict], *, edit=None, extra_parties: list[list] = ()) -> bytes:
    """The filings as rows C001, C002, ...; `edit(sheet, ref, row)` may change a row's cells in place before it is
    written; `extra_parties` are appended to the parties sheet as they are."""
    rows = {sheet.key: [[f"{c.zh} {c.key}" for c in sheet.columns]] for sheet in SHEETS}
    for number, filing in enumerate(filings, start=1):
        ref = f"C{number:03d}"
        contract, parties, deductions = rows_of(filing, ref)
        for key, items in (("contracts", [contract]), ("parties", parties), ("deductions", deductions)):
            for row in items:
                if edit:
                    edit(key, ref, row)
                rows[key].append(row)
    rows["parties"] += [list(row) for row in extra_parties]
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    for sheet in SHEETS:
        worksheet = book.add_worksheet(sheet.name)
        for r, row in enumerate(rows[sheet.key]):
            for c, value in enumerate(row):
                if isinstance(value, Formula):
                    worksheet.write_formula(r, c, value.text, None, value.cached)
                elif value != "":
                    worksheet.write_string(r, c, str(value))
    book.close()
    return buffer.getvalue()


def column(sheet_key: str, key: str) -> int:
    """The position of a column in its sheet's rows."""
    sheet = next(s for s in SHEETS if s.key == sheet_key)
    return [c.key for c in sheet.columns].index(key)
