"""Building CSV files of another registry for the import tests: from TCR's own tax export, or row by row."""

from __future__ import annotations

import csv
import io

from app.domain.identifiers import CREDIT_CODE_CHARSET
from app.tax.services.exports import HEADERS, KEYS

_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def credit_code(body: str) -> str:
    """A 17-character body with its GB 32100 check character."""
    total = sum(CREDIT_CODE_CHARSET.index(c) * w for c, w in zip(body, _WEIGHTS))
    return body + CREDIT_CODE_CHARSET[(31 - total % 31) % 31]


BEIJING_SELLER = credit_code("12110000400000123")  # a Beijing institution
TIANJIN_SELLER = credit_code("91120116MA0500001")
HANDAN_BUYER = credit_code("91130402MA0700001")


def read_export(data: bytes) -> list[dict]:
    """The data rows of a TCR CSV export (after its two header rows), as dicts by column key."""
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == HEADERS and rows[1] == KEYS
    return [dict(zip(KEYS, row)) for row in rows[2:]]


def write_export(records: list[dict], keys: list[str] = KEYS, headers: bool = True) -> bytes:
    """Rows in the export's layout (Chinese headers and keys), as the export writes them (UTF-8 with BOM)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    if headers:
        writer.writerow(HEADERS if keys == KEYS else keys)
    writer.writerow(keys)
    for record in records:
        writer.writerow([record.get(key, "") for key in keys])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def as_from_beijing(record: dict, number: str, amount: str, technical: str, buyer_area: str = "130403") -> dict:
    """An exported row changed as if Beijing had registered it: its number, a Beijing seller, a Handan buyer."""
    return {
        **record,
        "registration_number": number,
        "station_code": "110108",
        "station_name": "北京市海淀区技术合同登记站",
        "seller_name": "北京某研究院",
        "seller_credit_code": BEIJING_SELLER,
        "seller_area": "110108",
        "seller_area_label": "北京市海淀区",
        "buyer_name": "邯郸某钢铁有限公司",
        "buyer_credit_code": HANDAN_BUYER,
        "buyer_area": buyer_area,
        "amount": amount,
        "certified_technical_amount": technical,
    }
