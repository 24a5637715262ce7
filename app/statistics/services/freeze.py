"""The bureau freezes a year's national tables: an immutable snapshot, hashed and signed with the bureau root's key
(as the tax exports' manifests are). A frozen year's tables answer from the snapshot (the report, the annual page
and its PDF for the whole city); the registrations of that year changed, cancelled or revoked after the freeze are
listed as a reconciliation for the next report."""

from __future__ import annotations

from sqlalchemy import extract, select
from sqlalchemy.exc import IntegrityError

from app.audit.services import audit
from app.auth.permissions import Permission, has_permission
from app.domain.clock import local, now_utc, today_local
from app.domain.national import UPLOAD_EVENTS
from app.errors import Conflict, Forbidden
from app.extensions import db
from app.i18n import t
from app.models import Contract, ReportSnapshot, Station, TaxEvent
from app.statistics.services import reports
from app.statistics.services.annual import AnnualTable, annual_tables
from app.tax.services.exports import signed_digest


def snapshot_of(year: int) -> ReportSnapshot | None:
    """The year's freeze, if the bureau froze it."""
    return db.session.scalars(
        select(ReportSnapshot).where(ReportSnapshot.year == year, ReportSnapshot.quarter.is_(None))
    ).first()


def freeze(actor, year: int) -> ReportSnapshot:
    """Freeze a year: its tables as they stand, signed; a second freeze of the same year is a conflict."""
    if not has_permission(actor, Permission.REPORT_MANAGE):
        raise Forbidden(t("Only the bureau freezes the annual tables."))
    reports.check_period(year, None, today_local())
    if snapshot_of(year) is not None:
        raise Conflict(t("The year %(year)s is already frozen.", year=year))
    tables = reports.live_tables(year, None)
    signed = signed_digest([reports.signed_content(year, None, tables)])
    snapshot = ReportSnapshot(
        year=year,
        quarter=None,
        tables=tables,
        sha256=signed["sha256"],
        signature=signed["signature"],
        signed_by=signed["signed_by"],
        algorithm=signed["algorithm"],
        frozen_by_id=actor.id,
        frozen_at=now_utc(),
    )
    try:
        with db.session.begin_nested():  # two bureau accounts freezing at once: the unique index decides
            db.session.add(snapshot)
    except IntegrityError as error:
        raise Conflict(t("The year %(year)s is already frozen.", year=year)) from error
    audit.record(
        actor, "report.freeze", "report_snapshot", snapshot.id, None, {"year": year, "sha256": snapshot.sha256}
    )
    return snapshot


def snapshot_facts(snapshot: ReportSnapshot) -> dict:
    """What the report shows of a freeze: hash, signature, signer, who froze it and when."""
    return {
        "sha256": snapshot.sha256,
        "signature": snapshot.signature,
        "signed_by": snapshot.signed_by,
        "algorithm": snapshot.algorithm,
        "certificate_url": "/.well-known/tcr/root-ca.pem",
        "frozen_by": snapshot.frozen_by.email,
        "frozen_at": local(snapshot.frozen_at).isoformat(),
    }


def reconciliation(snapshot: ReportSnapshot) -> list[dict]:
    """The year's registrations registered, changed, cancelled or revoked after the freeze, in the order they
    happened: what the next report must correct."""
    events = db.session.scalars(
        select(TaxEvent)
        .join(Contract, Contract.id == TaxEvent.contract_id)
        .where(
            TaxEvent.occurred_at > snapshot.frozen_at,
            TaxEvent.event.in_(tuple(UPLOAD_EVENTS)),
            extract("year", Contract.registered_on) == snapshot.year,
        )
        .order_by(TaxEvent.id)
    )
    return [
        {
            "registration_number": event.registration_number,
            "event": event.event,
            "event_label": UPLOAD_EVENTS[event.event].zh,
            "occurred_at": local(event.occurred_at).isoformat(),
            "version": event.version,
            "category": event.payload.get("category"),
            "amount": event.payload.get("amount"),
            "certified_technical_amount": event.payload.get("certified_technical_amount"),
            "station": (event.payload.get("station") or {}).get("code"),
        }
        for event in events
    ]


def report_for(year: int, quarter: int | None) -> reports.Report:
    """The report of a year (from its snapshot once frozen, with the reconciliation) or of a quarter (live)."""
    reports.check_period(year, quarter, today_local())
    snapshot = snapshot_of(year) if quarter is None else None
    if snapshot is None:
        return reports.Report(year, quarter, reports.live_tables(year, quarter))
    return reports.Report(year, None, snapshot.tables, snapshot_facts(snapshot), reconciliation(snapshot))


def annual_tables_for(year: int, station: Station | None) -> tuple[list[AnnualTable], ReportSnapshot | None]:
    """The annual page's tables: a frozen year's city tables from the snapshot, anything else live."""
    snapshot = snapshot_of(year) if station is None else None
    if snapshot is None:
        return annual_tables(year, station), None
    return reports.annual_tables_of(year, snapshot.tables), snapshot
