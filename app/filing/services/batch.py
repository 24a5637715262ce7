"""Batch filing (批量申报): a workbook of contracts with their parties and deductions, each contract filed as a draft
through the same schema, service and rule set as a single filing, or refused with its findings. A refused row stores
nothing and a contract is never stored in part: each row is filed inside its own savepoint.

Rows become drafts, not submissions: a workbook cannot carry the contract text, which every submission needs. The
findings about missing attachments therefore do not refuse a row; they stay on the draft, where the applicant
attaches the files and submits."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import BinaryIO

from flask import current_app
from marshmallow import ValidationError

from app.audit.services import audit
from app.auth.permissions import Permission, has_permission
from app.domain import catalogue as cat
from app.errors import DomainError, FieldError, Forbidden, ValidationFailed
from app.extensions import db
from app.filing.schemas import ContractIn
from app.filing.services import contracts
from app.filing.services.batch_template import SHEETS, Column, Sheet, sheet_key
from app.filing.services.xlsx_reader import Cell, Row, read_workbook
from app.i18n import current_language, t
from app.schemas.errors import flatten

EXCEL_EPOCH = date(1899, 12, 30)  # day 0 of Excel's 1900 date system (its phantom 1900-02-29 included)
_DATE = re.compile(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?")
_LIST_SEPARATORS = re.compile(r"[;；,，\n]+")
LICENSE_KEYS = {"license_exclusivity": "exclusivity", "license_territory": "territory", "license_years": "years"}
TRUE_WORDS = {"是", "1", "true", "yes", "y", "对", "√"}
FALSE_WORDS = {"否", "0", "false", "no", "n", "×"}


@dataclass
class RowResult:
    """What became of one row: created (the draft's id) or rejected, with the findings either way."""

    row: int
    status: str  # created | rejected
    sheet: str = "contracts"
    ref: str | None = None
    id: int | None = None
    findings: list[dict] = field(default_factory=list)


@dataclass
class Entry:
    """One contract as read from the workbook: the payload of a JSON filing, the findings of reading it, and where
    each part of the payload came from (a party's or a deduction's own row)."""

    row: int
    ref: str
    payload: dict = field(default_factory=dict)
    findings: list[dict] = field(default_factory=list)
    origins: dict[str, tuple[str, int]] = field(default_factory=dict)


def finding(code: str, field_name: str | None, message: str, sheet: str, row: int, severity: str = "error") -> dict:
    """A finding as a batch row answers it: the API's finding plus the sheet and row it points at."""
    return {"code": code, "severity": severity, "field": field_name, "message": message, "sheet": sheet, "row": row}


def file_workbook(actor, upload: BinaryIO) -> list[RowResult]:
    """File every contract of the workbook as a draft of the actor's organisation; one result per contract row, and
    one per party or deduction row that names no contract of the workbook."""
    if not has_permission(actor, Permission.CONTRACT_FILE) or actor.organisation_id is None:
        raise Forbidden(t("Only an enterprise's applicant account files contracts."))
    max_bytes, max_rows = current_app.config["BATCH_MAX_BYTES"], current_app.config["BATCH_MAX_ROWS"]
    sheets = read_workbook(upload.read(max_bytes + 1), sheet_key, max_bytes, max_rows + 1)  # + the header row
    if "contracts" not in sheets:
        message = t('The workbook has no sheet "合同 contracts": start from the template.')
        raise ValidationFailed(message, [FieldError("batch.no_contracts_sheet", "file", message)])
    entries, orphans = read_entries(sheets)
    if not entries and not orphans:
        message = t("The workbook holds no contract.")
        raise ValidationFailed(message, [FieldError("batch.empty", "file", message)])
    results = [file_entry(actor, entry) for entry in entries]
    created = [r.id for r in results if r.status == "created"]
    audit.record(
        actor,
        "contract.batch",
        "organisation",
        actor.organisation_id,
        None,
        {"created": created, "rejected_rows": [r.row for r in results if r.status == "rejected"]},
    )
    return results + orphans


def file_entry(actor, entry: Entry) -> RowResult:
    """One contract through ContractIn and contracts.create_draft inside a savepoint, kept only without an error
    other than a missing attachment."""
    result = RowResult(entry.row, "rejected", ref=entry.ref, findings=list(entry.findings))
    try:
        data = ContractIn().load(entry.payload)
    except ValidationError as error:
        result.findings += [_located(entry, e) for e in flatten(error.messages)]
        return result
    if result.findings:
        return result
    savepoint = db.session.begin_nested()
    try:
        contract = contracts.create_draft(actor, data)
        stored = [_located(entry, FieldError(f.code, f.field, _message(f)), f.severity) for f in contract.findings]
        contract_id = contract.id
    except DomainError as error:
        savepoint.rollback()
        result.findings += [_located(entry, e) for e in error.errors or [FieldError(error.code, None, error.detail)]]
        return result
    except BaseException:
        savepoint.rollback()
        raise
    result.findings = stored
    if any(f["severity"] == "error" and f["field"] != "attachments" for f in stored):
        savepoint.rollback()
        return result
    savepoint.commit()
    result.status, result.id = "created", contract_id
    return result


def _message(stored) -> str:
    return stored.message_en if current_language().lower().startswith("en") else stored.message_zh


def _located(entry: Entry, error: FieldError, severity: str = "error") -> dict:
    """The finding pointed at the row its field came from: a party's or deduction's row, else the contract's."""
    parts = (error.field or "").split(".")
    sheet, row = entry.origins.get(".".join(parts[:2])) or entry.origins.get(parts[0]) or ("contracts", entry.row)
    return finding(error.code, error.field, error.message, sheet, row, severity)


# ---- reading the sheets ---------------------------------------------------------------------------------------


def read_entries(sheets: dict[str, list[Row]]) -> tuple[list[Entry], list[RowResult]]:
    """The contracts with their parties and deductions attached by reference; rows naming no contract are results
    of their own (rejected)."""
    layout = {sheet.key: sheet for sheet in SHEETS}
    entries: dict[str, Entry] = {}
    ordered: list[Entry] = []
    for row, values, findings in _data_rows(layout["contracts"], sheets["contracts"]):
        ref = values.pop("ref", None) or str(row)
        entry = Entry(row, ref, findings=findings)
        if ref in entries:
            entry.findings.append(
                finding("batch.duplicate_ref", "ref", t("Another row already uses this reference."), "contracts", row)
            )
        else:
            entries[ref] = entry
        _set_contract_values(entry, values)
        ordered.append(entry)
    orphans = []
    for key, attach in (("parties", _attach_party), ("deductions", _attach_deduction)):
        for row, values, findings in _data_rows(layout[key], sheets.get(key, [])):
            entry = entries.get(values.pop("contract_ref", None) or "")
            if entry is None:
                message = t("No row of the contracts sheet has this reference.")
                orphans.append(
                    RowResult(
                        row,
                        "rejected",
                        key,
                        findings=[finding("batch.unknown_contract_ref", "contract_ref", message, key, row), *findings],
                    )
                )
                continue
            entry.findings += findings
            attach(entry, row, values)
    return ordered, orphans


def _set_contract_values(entry: Entry, values: dict) -> None:
    license_terms = {LICENSE_KEYS[k]: values.pop(k) for k in list(values) if k in LICENSE_KEYS}
    entry.payload.update(values)
    if license_terms:
        entry.payload["license"] = license_terms


def _attach_party(entry: Entry, row: int, values: dict) -> None:
    """The first seller and buyer are the contract's seller and buyer; every other party joins other_parties."""
    role = values.get("role")
    if role in ("seller", "buyer") and role not in entry.payload:
        values.pop("role")
        entry.payload[role] = values
        entry.origins[role] = ("parties", row)
        return
    others = entry.payload.setdefault("other_parties", [])
    entry.origins[f"other_parties.{len(others)}"] = ("parties", row)
    others.append(values)


def _attach_deduction(entry: Entry, row: int, values: dict) -> None:
    deductions = entry.payload.setdefault("deductions", [])
    entry.origins[f"deductions.{len(deductions)}"] = ("deductions", row)
    deductions.append(values)


def _data_rows(sheet: Sheet, rows: list[Row]):
    """(row number, {key: value}, findings) of each filled row under the header."""
    if not rows:
        return
    header_row, header = rows[0]
    columns = _header(sheet, header_row, header)
    for number, cells in rows[1:]:
        values, findings = {}, []
        for index, cell in cells.items():
            column = columns.get(index)
            if column is None:
                continue  # a note beside the table, in a column without a header
            problem = _refused_cell(cell)
            if problem:
                findings.append(finding(problem[0], column.key, problem[1], sheet.key, number))
                continue
            values[column.key] = convert(column, cell)
        if values or findings:
            yield number, values, findings


def _header(sheet: Sheet, row: int, header: dict[int, Cell]) -> dict[int, Column]:
    """Column number → column, by the key in the header ("合同名称 title", "title" or "合同名称")."""
    by_name = {name: c for c in sheet.columns for name in (c.key, c.zh, f"{c.zh} {c.key}")}
    columns, unknown = {}, []
    for index, cell in header.items():
        text = cell.value.strip()
        column = by_name.get(text) or by_name.get(text.split()[-1] if text.split() else "")
        if column is None or cell.formula:
            unknown.append(text)
        else:
            columns[index] = column
    if unknown:
        message = t(
            'The sheet "%(sheet)s" has columns the template does not know: %(columns)s.',
            sheet=sheet.name,
            columns="、".join(unknown),
        )
        raise ValidationFailed(message, [FieldError("batch.unknown_column", sheet.key, message)])
    return columns


def _refused_cell(cell: Cell) -> tuple[str, str] | None:
    """A formula (never evaluated, its cached value never used) or an error value refuses the row."""
    if cell.formula or cell.value.lstrip().startswith("="):
        return "batch.formula", t("The cell holds a formula: enter the value itself.")
    if cell.kind == "error":
        return "batch.cell_error", t("The cell holds an error value.")
    return None


# ---- cells to the values of a JSON filing ----------------------------------------------------------------------


def convert(column: Column, cell: Cell):
    """The cell as the JSON filing would carry the value; what cannot be read stays as it is, for the schema to
    refuse with its usual finding."""
    text = cell.value.strip()
    if column.kind == "code":
        return code_of(text, column.codes)
    if column.kind == "area":
        return text.split()[0] if text else text
    if column.kind == "date":
        return _date(text, cell.kind == "number")
    if column.kind == "money":
        return _money(text)
    if column.kind == "bool":
        word = text.lower()
        return True if word in TRUE_WORDS else False if word in FALSE_WORDS else text
    if column.kind == "int":
        return _integer(text)
    if column.kind == "list":
        return [item.strip() for item in _LIST_SEPARATORS.split(text) if item.strip()]
    if cell.kind == "number" and text.endswith(".0"):  # a reference typed as a number
        return text[:-2]
    return text


def code_of(text: str, codes: dict) -> str:
    """A code from "development", "development 技术开发" or "技术开发" (a Chinese name naming exactly one code)."""
    first = text.split()[0] if text.split() else text
    if first in codes:
        return first
    named = [code for code, label in codes.items() if isinstance(label, cat.Label) and label.zh == text]
    return named[0] if len(named) == 1 else text


def _date(text: str, numeric: bool):
    if numeric:
        try:
            serial = Decimal(text)
        except InvalidOperation:
            return text
        if serial == serial.to_integral_value() and 1 <= serial <= 2958465:
            return (EXCEL_EPOCH + timedelta(days=int(serial))).isoformat()
        return text
    match = _DATE.fullmatch(text)
    if match:
        try:
            return date(*(int(part) for part in match.groups())).isoformat()
        except ValueError:
            return text
    return text


def _money(text: str) -> str:
    """Two decimals when the number has at most two; anything else unchanged, so the schema names the fault."""
    cleaned = text.replace(",", "").replace("，", "").replace("¥", "").replace("￥", "").strip()
    try:
        amount = Decimal(cleaned)
    except InvalidOperation:
        return text
    if not amount.is_finite() or amount != amount.quantize(Decimal("0.01")):
        return text
    return str(amount.quantize(Decimal("0.01")))


def _integer(text: str):
    try:
        number = Decimal(text)
    except InvalidOperation:
        return text
    return int(number) if number.is_finite() and number == number.to_integral_value() and abs(number) < 10**6 else text
