"""The tax office's export of the registry for a period: CSV, JSON or XLSX, streamed, and its signed manifest."""

from __future__ import annotations

import base64
import csv
import functools
import hashlib
import io
import itertools
import json
import os
import tempfile
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from pathlib import Path

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, utils
from flask import current_app
from sqlalchemy import Boolean, Integer, Text, and_, cast, func, select
from sqlalchemy.orm import aliased

from app.certificates.pki import load_root
from app.domain import areas, catalogue, workflow
from app.domain.countries import customs_code
from app.domain.eligibility import eligibility_facts
from app.domain.identifiers import mask_id_number
from app.domain.spreadsheet import safe_cell
from app.errors import FieldError, ValidationFailed
from app.extensions import db
from app.i18n import t
from app.models import Certificate, Contract, ContractOtherParty, ContractParty, Station
from app.tax.services.tax_scope import scope_condition

FORMATS = {
    "csv": "text/csv",  # werkzeug adds "; charset=utf-8" to text types
    "json": "application/json",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
EXPORTED_STATUSES = workflow.IN_REGISTRY
MAX_RANGE_DAYS = 366
BATCH = 1000
CHUNK = 64 * 1024
ALGORITHM = "ecdsa-with-SHA256"
CERTIFICATE_URL = "/.well-known/tcr/root-ca.pem"
# XLSX files carry a creation date; a fixed one keeps the bytes reproducible, so the manifest can be recomputed.
XLSX_CREATED = datetime(2000, 1, 1)

# (key, Chinese header, English description, type): the columns, in order.
FIELD_DICTIONARY = [
    ("registration_number", "登记编号", "Registration number (16 digits)", "string"),
    ("version", "版本", "Registration version: 1 at registration, +1 per change", "integer"),
    ("status", "状态", "registered, cancelled or revoked", "code"),
    ("status_label", "状态名称", "The status in Chinese (已登记, 已注销, 已撤销)", "label"),
    ("station_code", "登记机构代码", "Code of the registering station", "string"),
    ("station_name", "登记机构", "Name of the registering station", "string"),
    ("registered_on", "登记日期", "Date of registration (YYYY-MM-DD)", "date"),
    ("title", "合同名称", "Contract title", "string"),
    ("category", "合同类别", "Contract category (development, transfer, licensing, consultation, service)", "code"),
    ("category_label", "合同类别名称", "The contract category in Chinese (技术开发, 技术转让, …)", "label"),
    ("subtype", "合同子类", "Contract sub-type", "code"),
    ("subtype_label", "合同子类名称", "The contract sub-type in Chinese", "label"),
    ("equity", "技术入股", "Technology contributed as equity (a transfer): true or false", "boolean"),
    ("equity_label", "技术入股标志", "技术入股 where the technology is contributed as equity, else empty", "label"),
    ("seller_name", "卖方名称", "Seller's name", "string"),
    (
        "seller_credit_code",
        "卖方统一社会信用代码",
        "Seller's unified social credit code (an individual's ID number masked)",
        "string",
    ),
    ("seller_area", "卖方地区代码", "Seller's area code (GB/T 2260)", "string"),
    ("seller_area_label", "卖方地区名称", "Name of the seller's area (河北省邯郸市邯山区)", "label"),
    ("seller_country_customs", "卖方国别(地区)代码", "Seller's customs country (region) code (142 China)", "code"),
    ("buyer_name", "买方名称", "Buyer's name", "string"),
    (
        "buyer_credit_code",
        "买方统一社会信用代码",
        "Buyer's unified social credit code (an individual's ID number masked)",
        "string",
    ),
    ("buyer_area", "买方地区代码", "Buyer's area code (GB/T 2260)", "string"),
    ("buyer_area_label", "买方地区名称", "Name of the buyer's area", "label"),
    ("buyer_country_customs", "买方国别(地区)代码", "Buyer's customs country (region) code (142 China)", "code"),
    (
        "other_parties",
        "其他当事人（角色:名称:代码）",
        "The parties beside the first seller and buyer, in the contract's order, separated by '; ', each role "
        "(卖方 seller, 买方 buyer, 中介方 intermediary), name and credit code (an individual's ID number masked) "
        "separated by ':'",
        "string",
    ),
    ("signed_on", "签订日期", "Signing date", "date"),
    ("valid_from", "有效期起", "Start of the contract's term", "date"),
    ("valid_until", "有效期止", "End of the contract's term", "date"),
    ("amount", "成交额", "Contract amount in yuan", "decimal"),
    ("certified_technical_amount", "核定技术交易额", "Certified technical amount in yuan", "decimal"),
    (
        "amount_status",
        "金额状态",
        "fixed; or to_supplement: not fixed at signing (royalty, sales share), no relief on it until supplemented",
        "code",
    ),
    ("amount_status_label", "金额状态名称", "The same in Chinese: 已确定 or 待补正", "label"),
    ("vat_exemption", "增值税免税", "Seller's VAT exemption: eligible, not_eligible or needs_review", "code"),
    ("vat_exemption_label", "增值税免税结论", "The same in Chinese: 符合, 不符合 or 需核实", "label"),
    (
        "cit_transfer_income",
        "所得税减免",
        "Seller's income-tax relief on transfer income: eligible, not_eligible or needs_review",
        "code",
    ),
    ("cit_transfer_income_label", "所得税减免结论", "The same in Chinese: 符合, 不符合 or 需核实", "label"),
    (
        "rd_super_deduction",
        "研发费用加计扣除",
        "Buyer's R&D super deduction: eligible, not_eligible or needs_review",
        "code",
    ),
    ("rd_super_deduction_label", "研发费用加计扣除结论", "The same in Chinese: 符合, 不符合 or 需核实", "label"),
    ("certificate_sha256", "证明文件SHA-256", "SHA-256 of the current certificate PDF", "string"),
]
KEYS = [key for key, *_ in FIELD_DICTIONARY]
HEADERS = [header for _, header, *_ in FIELD_DICTIONARY]


def check_period(date_from: date, date_to: date) -> None:
    """A period runs forwards and spans at most 366 days."""
    if date_from > date_to:
        raise ValidationFailed(
            t("The period is invalid."),
            [FieldError("period.reversed", "from", t("The start date is after the end date."))],
        )
    if (date_to - date_from).days + 1 > MAX_RANGE_DAYS:
        raise ValidationFailed(
            t("The period is invalid."),
            [FieldError("period.too_long", "to", t("A period spans at most %(days)s days.", days=MAX_RANGE_DAYS))],
        )


# The export reads plain rows with SQLAlchemy Core (no ORM objects): the contract joined to its station, seller,
# buyer and the newest certificate's SHA-256, through a server-side cursor in batches of FETCH rows.
FETCH = 2_000
_SELLER = aliased(ContractParty, name="seller")
_BUYER = aliased(ContractParty, name="buyer")


def _certificate_sha256():
    return (
        select(Certificate.sha256)
        .where(Certificate.contract_id == Contract.id)
        .order_by(Certificate.version.desc())
        .limit(1)
        .correlate(Contract)
        .scalar_subquery()
    )


def _columns(dialect: str) -> list:
    """The selected columns; on PostgreSQL dates and amounts come back as the text the export writes (ISO
    dates, amounts with their two decimals), which spares a Python conversion per value."""
    as_text = (lambda column: cast(column, Text)) if dialect == "postgresql" else (lambda column: column)
    return [
        Contract.registration_number,
        Contract.version,
        Contract.status,
        Station.code,
        Station.name,
        as_text(Contract.registered_on),
        Contract.title,
        Contract.category,
        Contract.subtype,
        Contract.contributed_as_equity,
        _SELLER.name,
        _SELLER.credit_code,
        _SELLER.id_number,
        _SELLER.area_code,
        _SELLER.nature,
        _SELLER.country,
        _BUYER.name,
        _BUYER.credit_code,
        _BUYER.id_number,
        _BUYER.area_code,
        as_text(Contract.signed_on),
        as_text(Contract.valid_from),
        as_text(Contract.valid_until),
        as_text(Contract.amount),
        as_text(Contract.certified_technical_amount),
        Contract.ip_type,
        Contract.license_years,
        _certificate_sha256(),
        _BUYER.nature,
        _BUYER.country,
        _other_parties(dialect),
        Contract.amount_fixed,
    ]


# The other parties of a contract in one text column: fields joined by the unit separator, parties by the record
# separator (neither is typed in a name), each led by its position so that the order never depends on the database.
_UNIT, _RECORD = "\x1f", "\x1e"


def _other_parties(dialect: str):
    party = ContractOtherParty
    item = cast(party.position, Text)
    for column in (party.role, party.name, party.credit_code, party.id_number):
        item = item + _UNIT + func.coalesce(column, "")
    aggregate = func.string_agg if dialect == "postgresql" else func.group_concat
    return (
        select(aggregate(item, _RECORD)).where(party.contract_id == Contract.id).correlate(Contract).scalar_subquery()
    )


def _other_parties_text(value: str | None) -> str:
    """role:name:code entries separated by "; ", in the contract's order, roles in Chinese."""
    if not value:
        return ""
    parties = sorted((item.split(_UNIT) for item in value.split(_RECORD)), key=lambda fields: int(fields[0]))
    return "; ".join(
        f"{_label('party_role', role)}:{name}:{_identifier(code, id_number)}"
        for _, role, name, code, id_number in parties
    )


def _query(user, date_from: date, date_to: date, dialect: str | None = None):
    dialect = dialect or db.engine.dialect.name
    return (
        select(*_columns(dialect))
        .select_from(Contract)
        .outerjoin(Station, Station.id == Contract.station_id)
        .outerjoin(_SELLER, and_(_SELLER.contract_id == Contract.id, _SELLER.role == "seller"))
        .outerjoin(_BUYER, and_(_BUYER.contract_id == Contract.id, _BUYER.role == "buyer"))
        .where(
            Contract.registered_on.between(date_from, date_to),
            Contract.status.in_(EXPORTED_STATUSES),
            scope_condition(user),
        )
        .order_by(Contract.registration_number)
    )


def _identifier(credit_code, id_number) -> str:
    """A credit code; for an individual only the masked ID number, never the number itself."""
    if credit_code:
        return credit_code
    return mask_id_number(id_number) if id_number else ""


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return value.isoformat() if isinstance(value, date) else str(value)


@functools.cache
def _eligibility(
    category, subtype, ip_type, nature, country, licence_years, buyer_nature, buyer_country
) -> tuple[str, str, str]:
    """The three statuses of a combination of facts (few combinations, a million rows)."""
    facts = eligibility_facts(
        category or "",
        subtype or "",
        ip_type,
        nature,
        country,
        licence_years,
        buyer_nature=buyer_nature,
        buyer_country=buyer_country,
    )
    return (
        facts["vat_exemption"]["status"],
        facts["cit_transfer_income"]["status"],
        facts["rd_super_deduction"]["status"],
    )


def _values(row) -> list[str]:
    """One selected row as the export's columns, in KEYS order, every value a string."""
    (
        number,
        version,
        status,
        station_code,
        station_name,
        registered_on,
        title,
        category,
        subtype,
        equity,
        seller_name,
        seller_code,
        seller_id,
        seller_area,
        nature,
        country,
        buyer_name,
        buyer_code,
        buyer_id,
        buyer_area,
        signed_on,
        valid_from,
        valid_until,
        amount,
        certified,
        ip_type,
        licence_years,
        sha256,
        buyer_nature,
        buyer_country,
        other_parties,
        amount_fixed,
    ) = row
    has_seller = (
        seller_area is not None
        or seller_name is not None
        or seller_code is not None
        or seller_id is not None
        or country is not None
    )
    vat, cit, rd = _eligibility(
        category,
        subtype,
        ip_type,
        nature if has_seller else None,
        country if has_seller else None,
        licence_years,
        buyer_nature,
        buyer_country,
    )
    return [
        number or "",
        str(version),
        status or "",
        _label("status", status),
        station_code or "",
        station_name or "",
        _text(registered_on),
        title or "",
        category or "",
        _label("category", category),
        subtype or "",
        _subtype_label(category, subtype),
        "true" if equity else "false",
        catalogue.EQUITY.zh if equity else "",
        seller_name or "",
        _identifier(seller_code, seller_id),
        seller_area or "",
        _area_label(seller_area),
        customs_code(country),
        buyer_name or "",
        _identifier(buyer_code, buyer_id),
        buyer_area or "",
        _area_label(buyer_area),
        customs_code(buyer_country),
        _other_parties_text(other_parties),
        _text(signed_on),
        _text(valid_from),
        _text(valid_until),
        _text(amount),
        _text(certified),
        *AMOUNT_STATUS[bool(amount_fixed)],
        vat,
        _label("eligibility", vat),
        cit,
        _label("eligibility", cit),
        rd,
        _label("eligibility", rd),
        sha256 or "",
    ]


AMOUNT_STATUS = {True: ("fixed", "已确定"), False: ("to_supplement", "待补正")}  # by Contract.amount_fixed

# The label columns are always in Chinese, whatever the officer's language: the same query must give the same bytes,
# or the signed manifest (fetched perhaps in another language) would not match the file.
_CODE_LISTS = {
    "status": catalogue.STATUSES,
    "category": catalogue.CATEGORIES,
    "eligibility": catalogue.ELIGIBILITY,
    "party_role": catalogue.PARTY_ROLES,
}


def _label(kind: str, code: str | None) -> str:
    found = _CODE_LISTS[kind].get(code or "")
    return found.zh if found else ""


@functools.cache
def _subtype_label(category: str | None, subtype: str | None) -> str:
    found = catalogue.subtype_label(category, subtype)
    return found.zh if found else ""


@functools.cache
def _area_label(code: str | None) -> str:
    return areas.full_name(code) if code else ""


def rows(user, date_from: date, date_to: date) -> Iterator[dict]:
    """The period's rows in the officer's scope, by registration number, as dicts keyed by KEYS."""
    return (dict(zip(KEYS, values)) for values in records(user, date_from, date_to))


def records(user, date_from: date, date_to: date) -> Iterator[list[str]]:
    """The period's rows in the officer's scope, by registration number, each a list in KEYS order, read in
    batches through a server-side cursor (constant memory).

    The statement (and with it the officer's scope) is built now: a streamed response reads the rows after the
    view has returned, when the request's session (and the signed-in user with it) is gone."""
    statement = _query(user, date_from, date_to)
    return _read(statement)


def _read(statement) -> Iterator[list[str]]:
    """Rows read through a connection of their own: a streamed body outlives the request's session. On
    PostgreSQL through `COPY (<statement>) TO STDOUT`, the fastest way out of the server, parsed row by row."""
    with db.engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            yield from _copy_rows(connection, statement)
            return
        result = connection.execution_options(stream_results=True, yield_per=FETCH).execute(statement)
        for partition in result.partitions():
            for row in partition:
                yield _values(row)


@functools.cache
def _copy_converters() -> dict:
    """Position → conversion of the columns COPY gives as text that the export reads as a number or a yes/no
    (PostgreSQL writes a boolean as t or f), found from the selected columns' types."""
    converters = {}
    for index, column in enumerate(_columns("postgresql")):
        if isinstance(column.type, Boolean):
            converters[index] = lambda value: value == "t"
        elif isinstance(column.type, Integer):
            converters[index] = int
    return converters


def _copy_rows(connection, statement) -> Iterator[list[str]]:
    """The statement's rows through COPY; every column arrives as text (NULL as None). COPY takes no bind
    parameters, so the statement is rendered with its values (dates, status and area codes) as SQL literals."""
    sql = str(statement.compile(dialect=connection.dialect, compile_kwargs={"literal_binds": True}))
    cursor = connection.connection.driver_connection.cursor()
    try:
        with cursor.copy(f"COPY ({sql}) TO STDOUT") as copy:
            converters = _copy_converters()
            for row in copy.rows():
                yield _values([v if v is None or i not in converters else converters[i](v) for i, v in enumerate(row)])
    finally:
        cursor.close()


# Columns that hold text (typed titles and names, the labels); codes, dates and amounts are the registry's own.
_TEXT_COLUMNS = [index for index, (*_, kind) in enumerate(FIELD_DICTIONARY) if kind in ("string", "label")]


def _cells(record: list[str]) -> list[str]:
    """A record as spreadsheet cells: no text can start a formula."""
    for index in _TEXT_COLUMNS:
        record[index] = safe_cell(record[index])
    return record


def _csv(records: Iterator[list[str]]) -> Iterator[bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    buffer.write("\ufeff")
    writer.writerow(HEADERS)
    writer.writerow(KEYS)
    for batch in _batched(records, BATCH):
        writer.writerows(map(_cells, batch))
        yield buffer.getvalue().encode("utf-8")
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def _batched(records: Iterator[list[str]], size: int) -> Iterator[list[list[str]]]:
    iterator = iter(records)
    while batch := list(itertools.islice(iterator, size)):
        yield batch


def _json(records: Iterator[list[str]]) -> Iterator[bytes]:
    yield b"["
    separator = b"\n"
    for record in records:
        yield separator + json.dumps(dict(zip(KEYS, record)), ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        separator = b",\n"
    yield b"\n]\n"


def _xlsx(records: Iterator[list[str]]) -> Iterator[bytes]:
    """Written row by row to a temporary file (xlsxwriter's constant-memory mode), then read back in chunks.
    Every cell is written as a string: xlsxwriter's generic write() would turn text starting with "=" into a
    formula."""
    import xlsxwriter

    handle, name = tempfile.mkstemp(suffix=".xlsx")
    os.close(handle)
    try:
        workbook = xlsxwriter.Workbook(name, {"constant_memory": True, "in_memory": False})
        workbook.set_properties({"created": XLSX_CREATED, "title": "技术合同登记数据"})
        sheet = workbook.add_worksheet("登记数据")
        _write_strings(sheet, 0, HEADERS)
        _write_strings(sheet, 1, KEYS)
        for index, record in enumerate(records, 2):
            _write_strings(sheet, index, _cells(record))
        dictionary = workbook.add_worksheet("字段说明")
        _write_strings(dictionary, 0, ["字段", "表头", "说明", "类型"])
        for index, entry in enumerate(FIELD_DICTIONARY, 1):
            _write_strings(dictionary, index, list(entry))
        workbook.close()
        with open(name, "rb") as produced:
            while chunk := produced.read(CHUNK):
                yield chunk
    finally:
        Path(name).unlink(missing_ok=True)


def _write_strings(sheet, row: int, values: list[str]) -> None:
    for column, value in enumerate(values):
        sheet.write_string(row, column, value)


GENERATORS = {"csv": _csv, "json": _json, "xlsx": _xlsx}


def export(user, date_from: date, date_to: date, fmt: str) -> Iterator[bytes]:
    """The export's bytes, chunk by chunk; the same data and query give the same bytes."""
    check_period(date_from, date_to)
    return GENERATORS[fmt](records(user, date_from, date_to))


def filename(date_from: date, date_to: date, fmt: str) -> str:
    return f"tcr-export-{date_from.isoformat()}-{date_to.isoformat()}.{fmt}"


class _Counting:
    """Counts the rows passing through to the generator."""

    def __init__(self, records: Iterator[list[str]]):
        self.records, self.count = records, 0

    def __iter__(self):
        for record in self.records:
            self.count += 1
            yield record


def _root_key_and_subject() -> tuple[ec.EllipticCurvePrivateKey, str]:
    key, certificate = load_root(Path(current_app.config["CERTS_DIR"]), current_app.config["CERTS_PASSPHRASE"])
    return key, certificate.subject.rfc4514_string()


def signed_digest(chunks: Iterable[bytes]) -> dict:
    """SHA-256 and the bureau root's detached ECDSA-SHA256 signature over the exact bytes of `chunks` (the tax
    exports' manifest; the subsidy payment list signs the same way)."""
    digest = hashlib.sha256()
    for chunk in chunks:
        digest.update(chunk)
    key, subject = _root_key_and_subject()
    signature = key.sign(digest.digest(), ec.ECDSA(utils.Prehashed(hashes.SHA256())))
    return {
        "sha256": digest.hexdigest(),
        "signature": base64.b64encode(signature).decode("ascii"),
        "signed_by": subject,
        "algorithm": ALGORITHM,
        "certificate_url": CERTIFICATE_URL,
    }


def manifest(user, date_from: date, date_to: date, fmt: str) -> dict:
    """Rows, SHA-256 and the bureau root's detached ECDSA-SHA256 signature over the export's exact bytes."""
    check_period(date_from, date_to)
    counted = _Counting(records(user, date_from, date_to))
    signed = signed_digest(GENERATORS[fmt](iter(counted)))
    return {"rows": counted.count, **signed}
