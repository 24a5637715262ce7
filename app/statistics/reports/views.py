"""The bureau's reports page (/stats/reports): the national tables of a year or quarter with their downloads, the
freeze and its signed snapshot, the reconciliation after a freeze, and the upload batches per receiver."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app import transaction
from app.auth.permissions import Permission, require
from app.domain.clock import today_local
from app.errors import DomainError
from app.i18n import current_language, t
from app.models.report import UPLOAD_RECEIVERS
from app.statistics.services import freeze, reports, upload

bp = Blueprint("reports", __name__, url_prefix="/stats/reports")
UPLOAD_FORMATS = {"csv": "text/csv", "xlsx": reports.MEDIA_TYPES["xlsx"]}


def _number(name: str, default: int | None) -> int | None:
    value = request.values.get(name, "")
    if not value:
        return default
    if not value.isdigit() or len(value) > 4:
        abort(404)
    return int(value)


def _period() -> tuple[int, int | None]:
    year, quarter = _number("year", today_local().year - 1), _number("quarter", None)
    try:
        reports.check_period(year, quarter, today_local())
    except DomainError:
        abort(404)
    return year, quarter


@bp.route("")
@require(Permission.REPORT_MANAGE)
def reports_page():
    """The year's (or quarter's) tables at a glance, downloads, the freeze, the reconciliation and the uploads."""
    year, quarter = _period()
    report = freeze.report_for(year, quarter)
    return render_template(
        "stats/reports.html",
        year=year,
        quarter=quarter,
        report=report,
        snapshot=freeze.snapshot_of(year),
        receivers={r: upload.RECEIVERS[r] for r in UPLOAD_RECEIVERS},
        positions={r: upload.last_position(r) for r in UPLOAD_RECEIVERS},
        batches=upload.batches(),
        lang=current_language(),
    )


@bp.route("/download")
@require(Permission.REPORT_MANAGE)
def download():
    """The national tables as XLSX, CSV or JSON: the same file as GET /api/v1/reports/annual."""
    fmt = request.args.get("format", "xlsx")
    if fmt not in reports.MEDIA_TYPES:
        abort(404)
    year, quarter = _period()
    body, media_type, name = reports.encode(freeze.report_for(year, quarter), fmt)
    return Response(body, mimetype=media_type, headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.route("/freeze", methods=["POST"])
@require(Permission.REPORT_MANAGE)
def freeze_year():
    """Freeze the year named in the form; a refusal (already frozen, a future year) comes back as a message."""
    year = _number("year", None)
    try:
        snapshot = freeze.freeze(current_user, year)
    except DomainError as error:
        transaction.refused(error)
        flash(error.detail, "danger")
        return redirect(url_for("reports.reports_page", year=year))
    flash(t("The year %(year)s is frozen and signed.", year=snapshot.year), "success")
    return redirect(url_for("reports.reports_page", year=snapshot.year))


@bp.route("/upload/batches", methods=["POST"])
@require(Permission.REPORT_MANAGE)
def create_batch():
    """The receiver's next upload batch: everything since its last one."""
    try:
        batch = upload.create_batch(current_user, request.form.get("receiver", ""))
    except DomainError as error:
        transaction.refused(error)
        flash(error.detail, "danger")
        return redirect(url_for("reports.reports_page", year=request.form.get("year") or None))
    flash(t("Upload batch #%(id)s holds %(items)s items.", id=batch.id, items=batch.items), "success")
    return redirect(url_for("reports.reports_page", year=request.form.get("year") or None))


@bp.route("/upload/batches/<int:batch_id>.<fmt>")
@require(Permission.REPORT_MANAGE)
def batch_file(batch_id: int, fmt: str):
    """A stored batch as CSV or XLSX, the same every time it is downloaded."""
    if fmt not in UPLOAD_FORMATS:
        abort(404)
    try:
        batch, rows = upload.batch_items(current_user, batch_id)
    except DomainError:
        abort(404)
    body = upload.csv_bytes(rows) if fmt == "csv" else upload.xlsx_bytes(rows)
    name = f"tcr-upload-{batch.receiver}-{batch.id}.{fmt}"
    return Response(
        body, mimetype=UPLOAD_FORMATS[fmt], headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )
