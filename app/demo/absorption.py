"""Demo absorption: a few registrations of Beijing's and Tianjin's registries with Handan buyers, written as the
CSV those registries' TCR would export and imported through the imports' service, so that the bureau's absorption
page and the absorption tables are not empty."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

from sqlalchemy import exists, select

from app.domain.clock import today_local
from app.domain.identifiers import CREDIT_CODE_CHARSET, credit_code_status
from app.extensions import db
from app.imports.services import parsing, registrations
from app.models import ImportedRegistration, User

# (registry, days before today, seller, its credit code's first 17, seller area, buyer, first 17, buyer area,
#  category, subtype, amount, technical amount)
DEMO_ROWS = (
    (
        "beijing",
        25,
        "清华大学",
        "12100000400000624",
        "110108",
        "邯郸钢铁集团有限责任公司",
        "91130400105000001",
        "130402",
        "development",
        "commissioned",
        "4800000.00",
        "4500000.00",
    ),
    (
        "beijing",
        70,
        "北京科技大学",
        "12100000400001256",
        "110108",
        "武安市裕华钢铁有限公司",
        "91130481MA0WA0001",
        "130481",
        "transfer",
        "patent_right",
        "1200000.00",
        "1200000.00",
    ),
    (
        "beijing",
        140,
        "中国农业大学",
        "12100000400002033",
        "110108",
        "邯郸市永年区标准件协会",
        "51130408MJ0YN0001",
        "130408",
        "service",
        "technical_service",
        "360000.00",
        "320000.00",
    ),
    (
        "beijing",
        400,
        "北京化工大学",
        "12100000400003011",
        "110105",
        "邯郸市峰峰矿区能源有限公司",
        "91130406MA0FF0001",
        "130406",
        "development",
        "cooperative",
        "2600000.00",
        "2400000.00",
    ),
    (
        "tianjin",
        45,
        "天津大学",
        "12100000401359321",
        "120104",
        "涉县天铁集团有限公司",
        "91130426MA0TH0001",
        "130426",
        "licensing",
        "patent_license",
        "900000.00",
        "850000.00",
    ),
    (
        "tianjin",
        380,
        "南开大学",
        "12100000401359278",
        "120104",
        "邯郸市肥乡区新材料有限公司",
        "91130407MA0F00001",
        "130407",
        "consultation",
        "consultation",
        "150000.00",
        "150000.00",
    ),
)
REGISTRIES = {"beijing": "北京技术市场管理办公室（演示）", "tianjin": "天津市技术市场管理中心（演示）"}


def _credit_code(first17: str) -> str:
    return next(first17 + c for c in CREDIT_CODE_CHARSET if credit_code_status(first17 + c) == "valid")


def _row(number: str, on: date, fields: tuple) -> dict:
    _, _, seller, seller17, seller_area, buyer, buyer17, buyer_area, category, subtype, amount, technical = fields
    return {
        "registration_number": number,
        "status": "registered",
        "registered_on": on.isoformat(),
        "category": category,
        "subtype": subtype,
        "equity": "false",
        "seller_name": seller,
        "seller_credit_code": _credit_code(seller17),
        "seller_area": seller_area,
        "buyer_name": buyer,
        "buyer_credit_code": _credit_code(buyer17),
        "buyer_area": buyer_area,
        "amount": amount,
        "certified_technical_amount": technical,
    }


def _csv(rows: list[dict]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(parsing.REQUIRED) + ["equity"], lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def seed_absorption(bureau: User) -> int:
    """Import the demo rows of each registry once (nothing when imports exist); returns the rows imported."""
    if db.session.scalar(select(exists().where(ImportedRegistration.id.is_not(None)))):
        return 0
    today = today_local()
    imported = 0
    for registry, name in REGISTRIES.items():
        rows = []
        for index, fields in enumerate(row for row in DEMO_ROWS if row[0] == registry):
            on = today - timedelta(days=min(fields[1], (today - date(today.year - 1, 1, 2)).days))
            code = "110000" if registry == "beijing" else "120000"
            rows.append(_row(f"{code[:2]}0108{on.year}{index + 1:06d}", on, fields))
        batch = registrations.import_file(bureau, registry, name, io.BytesIO(_csv(rows)), f"demo-{registry}.csv")
        imported += batch.imported
    return imported
