"""The payment list: approved and paid claims as CSV or XLSX, Chinese labels beside the codes, and its manifest
signed by the bureau's root exactly like the tax exports' (tax.services.exports.signed_digest)."""

from __future__ import annotations

import csv
import io
import os
import tempfile
from datetime import datetime
from pathlib import Path

import xlsxwriter
from sqlalchemy import select
from sqlalchemy.orm import aliased

from app.domain.clock import local
from app.domain.money import format_amount
from app.domain.spreadsheet import safe_cell
from app.domain.subsidies import BASES, BENEFICIARIES, CLAIM_STATUSES, COMMITTED
from app.extensions import db
from app.models import SubsidyClaim, SubsidyProgramme, User
from app.tax.services.exports import XLSX_CREATED, signed_digest

FORMATS = {"csv": "text/csv", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
# (key, Chinese header): the columns, in order; a code column is followed by its Chinese label
COLUMNS = [
    ("claim_id", "申请编号"),
    ("programme_id", "补贴项目编号"),
    ("programme", "补贴项目"),
    ("year", "年度"),
    ("registration_number", "登记编号"),
    ("registry", "登记机构（外地登记）"),
    ("beneficiary_credit_code", "统一社会信用代码"),
    ("beneficiary_name", "受益单位"),
    ("role", "受益角色代码"),
    ("role_label", "受益角色"),
    ("basis", "计算基数代码"),
    ("basis_label", "计算基数"),
    ("basis_amount", "基数金额（元）"),
    ("rate", "补贴比例"),
    ("amount", "补贴金额（元）"),
    ("status", "状态代码"),
    ("status_label", "状态"),
    ("approved_by", "批准人"),
    ("approved_at", "批准时间"),
    ("paid_by", "拨付人"),
    ("paid_at", "拨付时间"),
]
KEYS = [key for key, _ in COLUMNS]
HEADERS = [header for _, header in COLUMNS]


def _time(value: datetime | None) -> str:
    return local(value).strftime("%Y-%m-%d %H:%M") if value else ""


def records(programme_id: int | None) -> list[list[str]]:
    """One row of text per approved or paid claim, oldest claim first."""
    approver, payer = aliased(User), aliased(User)
    statement = (
        select(SubsidyClaim, SubsidyProgramme, approver.name, payer.name)
        .join(SubsidyProgramme, SubsidyProgramme.id == SubsidyClaim.programme_id)
        .outerjoin(approver, approver.id == SubsidyClaim.decided_by_id)
        .outerjoin(payer, payer.id == SubsidyClaim.paid_by_id)
        .where(SubsidyClaim.status.in_(COMMITTED))
        .order_by(SubsidyClaim.id)
    )
    if programme_id is not None:
        statement = statement.where(SubsidyClaim.programme_id == programme_id)
    out = []
    for claim, programme, approved_by, paid_by in db.session.execute(statement):
        out.append(
            [
                str(claim.id),
                str(programme.id),
                safe_cell(programme.name),
                str(programme.year),
                claim.registration_number,
                safe_cell(claim.external_registry or ""),
                claim.beneficiary_credit_code,
                safe_cell(claim.beneficiary_name),
                claim.beneficiary_role,
                BENEFICIARIES[claim.beneficiary_role].zh,
                programme.basis,
                BASES[programme.basis].zh,
                format_amount(claim.basis_amount),
                f"{programme.rate.normalize():f}",
                format_amount(claim.amount),
                claim.status,
                CLAIM_STATUSES[claim.status].zh,
                safe_cell(approved_by or ""),
                _time(claim.decided_at),
                safe_cell(paid_by or ""),
                _time(claim.paid_at),
            ]
        )
    return out


def _csv(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADERS)
    writer.writerow(KEYS)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def _xlsx(rows: list[list[str]]) -> bytes:
    """Every cell written as a string; a fixed creation date keeps the bytes (and so the manifest) reproducible."""
    handle, name = tempfile.mkstemp(suffix=".xlsx")
    os.close(handle)
    try:
        workbook = xlsxwriter.Workbook(name)
        workbook.set_properties({"created": XLSX_CREATED, "title": "技术交易补贴拨付清单"})
        sheet = workbook.add_worksheet("拨付清单")
        for index, values in enumerate([HEADERS, KEYS, *rows]):
            for column, value in enumerate(values):
                sheet.write_string(index, column, value)
        workbook.close()
        return Path(name).read_bytes()
    finally:
        Path(name).unlink(missing_ok=True)


def export(programme_id: int | None, fmt: str) -> bytes:
    """The payment list's bytes; the same claims give the same bytes."""
    rows = records(programme_id)
    return _csv(rows) if fmt == "csv" else _xlsx(rows)


def filename(programme_id: int | None, fmt: str) -> str:
    return f"tcr-subsidy-payments-{programme_id or 'all'}.{fmt}"


def manifest(programme_id: int | None, fmt: str) -> dict:
    """Rows, SHA-256 and the bureau root's signature over the list's exact bytes."""
    rows = records(programme_id)
    data = _csv(rows) if fmt == "csv" else _xlsx(rows)
    return {"rows": len(rows), **signed_digest([data])}
