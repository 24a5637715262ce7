"""Reading another registry's CSV in TCR's own export layout (app/tax/services/exports.py) and checking each row.

The file: UTF-8 with or without a byte-order mark (GB18030 as a fallback, which spreadsheet programs on Chinese
systems write), a header row of the export's Chinese headers and/or a row of its column keys, then one registration
a row. Only the code columns are read; the export's Chinese label columns beside them are ignored.

Required columns: registration_number, status, registered_on, category, subtype, seller_name, seller_credit_code,
seller_area, buyer_name, buyer_credit_code, buyer_area, amount, certified_technical_amount. Optional: title, equity,
seller_country_customs, buyer_country_customs (the export's) and technical_field, seller_nature, buyer_nature (not in
the export; another registry may add them). Pure functions: no database.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from app.domain import absorption, areas, catalogue, identifiers
from app.domain.countries import CUSTOMS_COUNTRIES
from app.domain.money import MAX_AMOUNT
from app.errors import FieldError, ValidationFailed
from app.i18n import t
from app.tax.services.exports import HEADERS, KEYS

MAX_ROWS = 5000
REQUIRED = (
    "registration_number",
    "status",
    "registered_on",
    "category",
    "subtype",
    "seller_name",
    "seller_credit_code",
    "seller_area",
    "buyer_name",
    "buyer_credit_code",
    "buyer_area",
    "amount",
    "certified_technical_amount",
)
EXTRA_KEYS = ("technical_field", "seller_nature", "buyer_nature")  # read when present, not in TCR's export
_HEADER_KEYS = dict(zip(HEADERS, KEYS))
_NUMBER = re.compile(r"[0-9A-Za-z-]{6,40}")
_AMOUNT = re.compile(r"-?[0-9]+(\.[0-9]{1,2})?")
_MASKED_ID = re.compile(r"[0-9]{6}\*{4,8}[0-9]{3}[0-9X]")  # an individual, as the export masks the ID number
_ISO_OF_CUSTOMS = {country.customs: country.iso for country in CUSTOMS_COUNTRIES.values()}
_TEXT_LIMITS = {"title": 300, "seller_name": 200, "buyer_name": 200}
_TRUE, _FALSE = ("true", "1", "是", "技术入股"), ("false", "0", "否", "")


@dataclass
class Row:
    """One data row: its line in the file, its registration number as given, the values it checked to (None when
    rejected) and its findings."""

    line: int
    number: str
    values: dict | None = None
    findings: list[FieldError] = field(default_factory=list)


def decode(data: bytes) -> str:
    """The file's text: UTF-8 (a byte-order mark dropped), else GB18030; anything else is refused."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise _file_error("file.encoding", t("The file is neither UTF-8 nor GB18030 text."))


def _file_error(code: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, [FieldError(code, "file", message)])


def _header(cells: list[str]) -> list[str] | None:
    """The column keys of a header row (keys, or the export's Chinese headers), None for a data row."""
    stripped = [cell.strip() for cell in cells]
    if "registration_number" in stripped:
        return stripped
    if "登记编号" in stripped:
        return [_HEADER_KEYS.get(cell, cell) for cell in stripped]
    return None


def rows(text: str) -> Iterator[Row]:
    """Every data row of the file, checked; the header rows first decide the columns (missing required columns
    refuse the whole file; more than MAX_ROWS rows too)."""
    reader = csv.reader(io.StringIO(text, newline=""))
    keys = None
    for cells in reader:
        header = _header(cells)
        if header is not None:
            keys = header
            continue
        if not any(cell.strip() for cell in cells):
            continue
        if keys is None:
            raise _file_error("file.header", t("The file has no header row of the export layout."))
        _check_columns(keys)
        yield check(reader.line_num, dict(zip(keys, cells)))


def _check_columns(keys: list[str]) -> None:
    missing = [key for key in REQUIRED if key not in keys]
    if missing:
        raise _file_error("file.columns", t("Columns missing: %(names)s", names=", ".join(missing)))


def read(data: bytes) -> list[Row]:
    """Every row of the file, checked, refusing a file with more rows than MAX_ROWS or no rows at all."""
    found = []
    for row in rows(decode(data)):
        found.append(row)
        if len(found) > MAX_ROWS:
            raise _file_error("file.too_many_rows", t("A file holds at most %(rows)s rows.", rows=MAX_ROWS))
    if not found:
        raise _file_error("file.empty", t("The file holds no registrations."))
    return found


def _cell(record: dict, key: str) -> str:
    """A cell as text, with the export's guard against formulas (a leading quote) taken off again."""
    value = (record.get(key) or "").strip()
    if value[:2] in {"'" + c for c in "=+-@"}:
        value = value[1:]
    return value


def check(line: int, record: dict) -> Row:
    """A row's values for storing, or its findings (every problem of the row, not only the first)."""
    row = Row(line, _cell(record, "registration_number")[:40])
    values: dict = {}
    for key in REQUIRED:
        if not _cell(record, key):
            row.findings.append(FieldError("required", key, t("This field is required.")))
    checks = (_number, _status, _registered_on, _classification, _parties, _amounts, _text, _optional_codes)
    for step in checks:
        step(record, values, row.findings)
    if not row.findings:
        row.values = values
    return row


def _number(record, values, findings) -> None:
    number = _cell(record, "registration_number")
    if number and not _NUMBER.fullmatch(number):
        findings.append(FieldError("registration_number.format", "registration_number", t("Check this value.")))
    values["registration_number"] = number


def _status(record, values, findings) -> None:
    status = _cell(record, "status")
    if status and status not in absorption.IMPORTED_STATUSES:
        findings.append(FieldError("status.unknown", "status", t("Unknown status: %(code)s", code=status)))
    values["status"] = status


def _registered_on(record, values, findings) -> None:
    text = _cell(record, "registered_on")
    if not text:
        return
    try:
        values["registered_on"] = date.fromisoformat(text)
    except ValueError:
        findings.append(FieldError("date.format", "registered_on", t("Give the date as YYYY-MM-DD.")))


def _classification(record, values, findings) -> None:
    category, subtype = _cell(record, "category"), _cell(record, "subtype")
    if category and category not in catalogue.CATEGORIES:
        findings.append(FieldError("category.unknown", "category", t("Unknown category: %(code)s", code=category)))
    elif subtype and subtype not in catalogue.SUBTYPES.get(category, {}):
        findings.append(FieldError("subtype.unknown", "subtype", t("Unknown sub-type: %(code)s", code=subtype)))
    equity = _cell(record, "equity").lower()
    if equity not in _TRUE + _FALSE:
        findings.append(FieldError("equity.format", "equity", t("Check this value.")))
    elif equity in _TRUE and category != catalogue.EQUITY_CATEGORY:
        findings.append(FieldError("equity.category", "equity", t("Only a transfer can be contributed as equity.")))
    values.update(category=category, subtype=subtype, contributed_as_equity=equity in _TRUE)


def _parties(record, values, findings) -> None:
    for party in ("seller", "buyer"):
        code, area = _cell(record, f"{party}_credit_code"), _cell(record, f"{party}_area")
        if code and identifiers.credit_code_status(code) != "valid" and not _MASKED_ID.fullmatch(code):
            findings.append(
                FieldError("credit_code.invalid", f"{party}_credit_code", t("The credit code's check digit is wrong."))
            )
        if area and not areas.is_known(area):
            findings.append(FieldError("area.unknown", f"{party}_area", t("Unknown area code: %(code)s", code=area)))
        values.update({f"{party}_name": _cell(record, f"{party}_name"), f"{party}_credit_code": code})
        values[f"{party}_area"] = area
        values[f"{party}_country"] = _country(record, party, findings)
    buyer_area = values["buyer_area"]
    if buyer_area and areas.is_known(buyer_area) and not absorption.is_home_buyer(buyer_area):
        findings.append(FieldError("buyer.not_home_city", "buyer_area", t("Not a Handan buyer.")))


def _country(record, party: str, findings) -> str:
    customs = _cell(record, f"{party}_country_customs")
    if not customs:
        return catalogue.COUNTRY_CHINA
    iso = _ISO_OF_CUSTOMS.get(customs)
    if iso is None:
        message = t("Unknown country code: %(code)s", code=customs)
        findings.append(FieldError("country.unknown", f"{party}_country_customs", message))
    return iso or catalogue.COUNTRY_CHINA


def _amount(record, key: str, findings) -> Decimal | None:
    text = _cell(record, key)
    if not text:
        return None
    if not _AMOUNT.fullmatch(text):
        findings.append(FieldError("amount.format", key, t("Give the amount in yuan, e.g. 1080000.00.")))
        return None
    amount = Decimal(text)
    if amount < 0 or amount > MAX_AMOUNT:
        findings.append(FieldError("amount.range", key, t("The amount must be between 0 and 999999999999.99.")))
        return None
    return amount.quantize(Decimal("0.01"))


def _amounts(record, values, findings) -> None:
    amount = _amount(record, "amount", findings)
    technical = _amount(record, "certified_technical_amount", findings)
    if amount is not None and technical is not None and technical > amount:
        findings.append(
            FieldError(
                "amount.technical_exceeds",
                "certified_technical_amount",
                t("The technical amount exceeds the contract amount."),
            )
        )
    values.update(amount=amount, technical_amount=technical)


def _text(record, values, findings) -> None:
    for key, limit in _TEXT_LIMITS.items():
        value = _cell(record, key)
        if len(value) > limit:
            findings.append(FieldError("text.too_long", key, t("At most %(count)s characters.", count=limit)))
        values[key] = (value or None) if key == "title" else value


def _optional_codes(record, values, findings) -> None:
    lists = {
        "technical_field": catalogue.TECHNICAL_FIELDS,
        "seller_nature": catalogue.PARTY_NATURES,
        "buyer_nature": catalogue.PARTY_NATURES,
    }
    for key, codes in lists.items():
        value = _cell(record, key)
        if value and value not in codes:
            findings.append(FieldError(f"{key}.unknown", key, t("Unknown code: %(code)s", code=value)))
        values[key] = value or None
