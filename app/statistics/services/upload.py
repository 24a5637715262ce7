"""The per-contract upload file for the provincial and national systems: every registration, change, cancellation
and revocation in commit order (the tax feed's events), in the national layout's columns, with customs country
codes and the national category codes. Resumable by position like the tax feed; each receiver keeps its own batches,
the next one starting where its last ended."""

from __future__ import annotations

import csv
import io

import xlsxwriter
from sqlalchemy import func, select

from app.audit.services import audit
from app.auth.permissions import Permission, has_permission
from app.domain.catalogue import TECHNICAL_FIELDS
from app.domain.countries import customs_code
from app.domain.identifiers import mask_id_number
from app.domain.national import UPLOAD_EVENTS, national_category, national_subtype
from app.domain.spreadsheet import safe_cell
from app.errors import Conflict, Forbidden, NotFound
from app.extensions import db
from app.i18n import t
from app.models import Contract, TaxEvent, UploadBatch
from app.models.report import UPLOAD_RECEIVERS
from app.tax.services import taxfeed

MAX_BATCH = 5_000
RECEIVERS = {
    "province": ("省级技术合同登记系统", "Provincial system"),
    "national": ("全国技术合同登记系统", "National system"),
}
# (key, Chinese header) of every column, in the file's order.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("seq", "序号（位置）"),
    ("event", "事件代码"),
    ("event_label", "事件"),
    ("occurred_at", "发生时间"),
    ("registration_number", "登记编号"),
    ("version", "版本"),
    ("title", "合同名称"),
    ("category_code", "合同类别代码"),
    ("category_name", "合同类别"),
    ("subtype_code", "合同子类代码"),
    ("subtype_name", "合同子类"),
    ("equity", "技术入股"),
    ("technical_field", "技术领域代码"),
    ("technical_field_name", "技术领域"),
    *(
        (f"{role}_{key}", f"{name}{header}")
        for role, name in (("seller", "卖方"), ("buyer", "买方"))
        for key, header in (
            ("name", "名称"),
            ("identifier", "统一社会信用代码/身份证号"),
            ("nature", "单位性质代码"),
            ("area_code", "所在地区代码"),
            ("country", "国别（地区）海关代码"),
        )
    ),
    ("amount", "成交额（元）"),
    ("certified_technical_amount", "认定技术交易额（元）"),
    ("signed_on", "签订日期"),
    ("valid_from", "有效期起"),
    ("valid_until", "有效期止"),
    ("registered_on", "登记日期"),
    ("station_code", "登记机构代码"),
    ("station_name", "登记机构"),
)


def _party(role: str, party: dict | None) -> dict:
    party = party or {}
    identifier = party.get("credit_code") or mask_id_number(party.get("id_number"))
    return {
        f"{role}_name": party.get("name") or "",
        f"{role}_identifier": identifier or "",
        f"{role}_nature": party.get("nature") or "",
        f"{role}_area_code": party.get("area_code") or "",
        f"{role}_country": customs_code(party.get("country") or "156"),
    }


def _item(event: TaxEvent, title: str, technical_field: str | None) -> dict:
    payload = event.payload
    category, subtype = payload.get("category"), payload.get("subtype")
    station = payload.get("station") or {}
    field_label = TECHNICAL_FIELDS.get(technical_field or "")
    return {
        "seq": event.position,
        "event": event.event,
        "event_label": UPLOAD_EVENTS[event.event].zh,
        "occurred_at": payload.get("occurred_at"),
        "registration_number": event.registration_number,
        "version": event.version,
        "title": title,
        "category_code": national_category(category)[0],
        "category_name": national_category(category)[1],
        "subtype_code": national_subtype(category, subtype)[0],
        "subtype_name": national_subtype(category, subtype)[1],
        "equity": "是" if payload.get("equity") else "否",
        "technical_field": technical_field or "",
        "technical_field_name": field_label.zh if field_label else "",
        **_party("seller", payload.get("seller")),
        **_party("buyer", payload.get("buyer")),
        "amount": payload.get("amount"),
        "certified_technical_amount": payload.get("certified_technical_amount"),
        "signed_on": payload.get("signed_on"),
        "valid_from": payload.get("valid_from"),
        "valid_until": payload.get("valid_until"),
        "registered_on": payload.get("registered_on"),
        "station_code": station.get("code"),
        "station_name": station.get("name"),
    }


def _require(actor) -> None:
    if not has_permission(actor, Permission.REPORT_MANAGE):
        raise Forbidden(t("Only the bureau uploads to the provincial and national systems."))


def items(actor, after: int, limit: int, until: int | None = None) -> list[dict]:
    """The upload items after a position (at most `limit`, up to `until` when given), in commit order."""
    _require(actor)
    taxfeed.publish()
    statement = (
        select(TaxEvent, Contract.title, Contract.technical_field)
        .join(Contract, Contract.id == TaxEvent.contract_id)
        .where(TaxEvent.position > after, TaxEvent.event.in_(tuple(UPLOAD_EVENTS)))
        .order_by(TaxEvent.position)
        .limit(limit)
    )
    if until is not None:
        statement = statement.where(TaxEvent.position <= until)
    return [_item(event, title, field) for event, title, field in db.session.execute(statement)]


def batches(receiver: str | None = None, limit: int = 20) -> list[UploadBatch]:
    """The latest batches, newest first (of one receiver, or of all)."""
    statement = select(UploadBatch).order_by(UploadBatch.id.desc()).limit(limit)
    if receiver is not None:
        statement = statement.where(UploadBatch.receiver == receiver)
    return list(db.session.scalars(statement))


def last_position(receiver: str) -> int:
    """Where the receiver's next batch starts: the end of its last one (0 before the first)."""
    found = db.session.scalar(select(func.max(UploadBatch.last_position)).where(UploadBatch.receiver == receiver))
    return found or 0


def create_batch(actor, receiver: str) -> UploadBatch:
    """The receiver's next batch: everything since its last one (up to MAX_BATCH items); nothing new is a conflict."""
    _require(actor)
    if receiver not in UPLOAD_RECEIVERS:
        raise NotFound(t("No such receiver."))
    after = last_position(receiver)
    found = items(actor, after, MAX_BATCH)
    if not found:
        raise Conflict(t("Nothing was registered, changed, cancelled or revoked since the last upload."))
    batch = UploadBatch(
        receiver=receiver,
        after_position=after,
        last_position=found[-1]["seq"],
        items=len(found),
        created_by_id=actor.id,
    )
    db.session.add(batch)
    db.session.flush()
    audit.record(
        actor, "report.upload_batch", "upload_batch", batch.id, None, {"receiver": receiver, "items": len(found)}
    )
    return batch


def batch_items(actor, batch_id: int) -> tuple[UploadBatch, list[dict]]:
    """A stored batch and its items again (the events are immutable, so the file is the same every time)."""
    _require(actor)
    batch = db.session.get(UploadBatch, batch_id)
    if batch is None:
        raise NotFound(t("No such upload batch."))
    return batch, items(actor, batch.after_position, batch.items, until=batch.last_position)


def _cell(value) -> str:
    return "" if value is None else safe_cell(str(value))


def csv_bytes(rows: list[dict]) -> bytes:
    """UTF-8 with a BOM: the Chinese headers, the column keys, then one line per item."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([zh for _, zh in COLUMNS])
    writer.writerow([key for key, _ in COLUMNS])
    for row in rows:
        writer.writerow([_cell(row.get(key)) for key, _ in COLUMNS])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def xlsx_bytes(rows: list[dict]) -> bytes:
    """One sheet: Chinese headers, the column keys beside them on the next row, every cell as text."""
    output = io.BytesIO()
    book = xlsxwriter.Workbook(output, {"in_memory": True})
    sheet = book.add_worksheet("上报明细")
    bold = book.add_format({"bold": True})
    for col, (key, zh) in enumerate(COLUMNS):
        sheet.write_string(0, col, zh, bold)
        sheet.write_string(1, col, key)
    for index, row in enumerate(rows, start=2):
        for col, (key, _zh) in enumerate(COLUMNS):
            value = row.get(key)
            if value is not None:
                sheet.write_string(index, col, safe_cell(str(value)))
    sheet.set_column(0, len(COLUMNS) - 1, 16)
    book.close()
    return output.getvalue()
