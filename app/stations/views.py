"""Pages of the science bureau: stations and their reviewers, the city-wide overdue list, and reassignment."""

from __future__ import annotations

import re

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, select

from app import transaction
from app.auth.permissions import Permission, has_permission, load_visible, require, signed_in
from app.domain.clock import today_local
from app.domain.workflow import UNDECIDED, WITH_EXPERTS
from app.errors import DomainError, FieldError, ValidationFailed
from app.extensions import db
from app.filing.services import contracts
from app.i18n import t
from app.models import Contract, Station, User
from app.review.services import experts, review
from app.review.services.queue import queue_contracts
from app.review.views import render_review
from app.stations import lookup as station_lookup
from app.stations import services as stations
from app.statistics.services import supervision

bp = Blueprint("bureau", __name__, url_prefix="/bureau")

OVERDUE_PAGE_SIZE = 100
STATION_FIELDS = ("code", "name", "areas")
REVIEWER_FIELDS = ("email", "name")
_AREA_SEPARATORS = re.compile(r"[\s,;，；、]+")


def _area_codes(text: str | None) -> list[str]:
    """Division codes typed as a list ("130402, 130403")."""
    return [code for code in _AREA_SEPARATORS.split(text or "") if code]


def _errors_by_field(error: DomainError) -> dict[str, list[FieldError]]:
    """A service's field errors by field; an error without a field goes under ""."""
    placed: dict[str, list[FieldError]] = {}
    for item in error.errors or [FieldError(error.code, None, error.detail)]:
        placed.setdefault(item.field or "", []).append(item)
    return placed


def _station_or_404(code: str) -> Station:
    station = station_lookup.by_code(code)
    if station is None:
        abort(404)
    return station


def _station_counts() -> dict[int, dict[str, int]]:
    """Per station: reviewer accounts (active and all), decisions in the last twelve months, undecided and overdue
    filings."""
    counts: dict[int, dict[str, int]] = {}
    reviewers = db.session.execute(
        select(User.station_id, func.count(), func.count().filter(User.active.is_(True)))
        .where(User.role == "reviewer", User.station_id.is_not(None))
        .group_by(User.station_id)
    )
    for station_id, total, active in reviewers:
        counts.setdefault(station_id, {}).update(reviewers=total, active_reviewers=active)
    filings = db.session.execute(
        select(Contract.station_id, func.count(), func.count().filter(Contract.due_on < today_local()))
        .where(Contract.status.in_(UNDECIDED), Contract.station_id.is_not(None))
        .group_by(Contract.station_id)
    )
    for station_id, undecided, overdue in filings:
        counts.setdefault(station_id, {}).update(undecided=undecided, overdue=overdue)
    for station_id, decided in supervision.decisions_in_last_year().items():
        counts.setdefault(station_id, {})["decided"] = decided
    return counts


def _stations_page(values: dict | None = None, errors: dict | None = None, status: int = 200):
    all_stations = db.session.scalars(select(Station).order_by(Station.code)).all()
    page = render_template(
        "bureau/stations.html",
        stations=all_stations,
        counts=_station_counts(),
        values=values or {},
        errors=errors or {},
    )
    return page, status


@bp.route("/stations")
@require(Permission.STATION_MANAGE)
def stations_page():
    """Every station: its areas, reviewers and workload; and a form for a new one."""
    return _stations_page()


@bp.route("/stations", methods=["POST"])
@require(Permission.STATION_MANAGE)
def create_station():
    """A new station with the division codes it serves."""
    values = {name: (request.form.get(name) or "").strip() for name in STATION_FIELDS}
    try:
        station = stations.create_station(current_user, values["code"], values["name"], _area_codes(values["areas"]))
    except DomainError as error:
        transaction.refused(error)
        return _stations_page(values, _errors_by_field(error), error.status)
    flash(t("Station %(code)s has been created.", code=station.code), "success")
    return redirect(url_for(".station_page", code=station.code))


def _station_page(
    station: Station, form: str | None = None, values: dict | None = None, errors: dict | None = None, status: int = 200
):
    reviewers = db.session.scalars(
        select(User)
        .where(User.role == "reviewer", User.station_id == station.id)
        .order_by(User.active.desc(), User.name)
    ).all()
    page = render_template(
        "bureau/station.html", station=station, reviewers=reviewers, form=form, values=values or {}, errors=errors or {}
    )
    return page, status


@bp.route("/stations/<code>")
@require(Permission.STATION_MANAGE)
def station_page(code: str):
    """One station: its name and areas, whether it is active, and its reviewers."""
    return _station_page(_station_or_404(code))


def _update(code: str, form: str, values: dict, done: str, **changes):
    """Call update_station once; on an error, show the station's page again with what was entered."""
    station = _station_or_404(code)
    try:
        stations.update_station(current_user, station, **changes)
    except DomainError as error:
        transaction.refused(error)
        return _station_page(station, form, values, _errors_by_field(error), error.status)
    flash(done, "success")
    return redirect(url_for(".station_page", code=station.code))


@bp.route("/stations/<code>", methods=["POST"])
@require(Permission.STATION_MANAGE)
def update_station(code: str):
    """Rename the station and set the areas it serves."""
    values = {name: (request.form.get(name) or "").strip() for name in ("name", "areas")}
    return _update(
        code,
        "station",
        values,
        t("The station has been saved."),
        name=values["name"],
        area_codes=_area_codes(values["areas"]),
    )


@bp.route("/stations/<code>/active", methods=["POST"])
@require(Permission.STATION_MANAGE)
def set_station_active(code: str):
    """Activate or deactivate the station (an inactive one receives no new filings)."""
    active = request.form.get("active") == "1"
    done = t("The station has been activated.") if active else t("The station has been deactivated.")
    return _update(code, "active", {}, done, active=active)


@bp.route("/stations/<code>/commitment", methods=["POST"])
@require(Permission.STATION_MANAGE)
def set_commitment(code: str):
    """The station's service commitment in working days (empty: none)."""
    station = _station_or_404(code)
    values = {"commitment_days": (request.form.get("commitment_days") or "").strip()}
    try:
        days = _whole_number(values["commitment_days"], "commitment_days")
        stations.set_commitment(current_user, station, days)
    except DomainError as error:
        transaction.refused(error)
        return _station_page(station, "commitment", values, _errors_by_field(error), error.status)
    flash(t("The service commitment has been saved."), "success")
    return redirect(url_for(".station_page", code=station.code))


def _whole_number(text: str, field: str) -> int | None:
    """A form's whole number (empty: None); anything else is a field error."""
    if not text:
        return None
    if not text.isascii() or not text.isdigit() or len(text) > 4:
        message = t("Enter a whole number.")
        raise ValidationFailed(message, [FieldError("integer", field, message)])
    return int(text)


@bp.route("/stations/<code>/institutions", methods=["POST"])
@require(Permission.STATION_MANAGE)
def add_institution(code: str):
    """Serve a named institution (by its credit code) whatever its district."""
    station = _station_or_404(code)
    values = {name: (request.form.get(name) or "").strip() for name in ("credit_code", "institution_name")}
    try:
        institution = stations.add_institution(current_user, station, values["credit_code"], values["institution_name"])
    except DomainError as error:
        transaction.refused(error)
        return _station_page(station, "institution", values, _errors_by_field(error), error.status)
    flash(t("%(name)s is now served by this station.", name=institution.name), "success")
    return redirect(url_for(".station_page", code=station.code))


@bp.route("/stations/<code>/institutions/<int:institution_id>/remove", methods=["POST"])
@require(Permission.STATION_MANAGE)
def remove_institution(code: str, institution_id: int):
    """Stop serving an institution."""
    station = _station_or_404(code)
    try:
        stations.remove_institution(current_user, station, institution_id)
    except DomainError as error:
        transaction.refused(error)
        abort(error.status)
    flash(t("The institution has been removed."), "success")
    return redirect(url_for(".station_page", code=station.code))


@bp.route("/stations/<code>/reviewers", methods=["POST"])
@require(Permission.STATION_MANAGE)
def add_reviewer(code: str):
    """A reviewer account bound to this station, with an initial password."""
    station = _station_or_404(code)
    values = {name: (request.form.get(name) or "").strip() for name in REVIEWER_FIELDS}
    try:
        reviewer = stations.add_reviewer(
            current_user, station, values["email"], values["name"], request.form.get("password") or ""
        )
    except DomainError as error:
        transaction.refused(error)
        return _station_page(station, "reviewer", values, _errors_by_field(error), error.status)
    flash(t("The reviewer %(email)s has been added.", email=reviewer.email), "success")
    return redirect(url_for(".station_page", code=station.code))


@bp.route("/stations/<code>/reviewers/<int:user_id>/active", methods=["POST"])
@require(Permission.STATION_MANAGE)
def set_reviewer_active(code: str, user_id: int):
    """Disable a reviewer (who can then no longer sign in), or enable them again."""
    station = _station_or_404(code)
    reviewer = db.session.get(User, user_id)
    if reviewer is None or reviewer.station_id != station.id:
        abort(404)
    active = request.form.get("active") == "1"
    try:
        stations.set_reviewer_active(current_user, reviewer, active)
    except DomainError as error:
        transaction.refused(error)
        flash(error.detail, "danger")
        return redirect(url_for(".station_page", code=station.code))
    flash(
        t("%(name)s can sign in again.", name=reviewer.name)
        if active
        else t("%(name)s has been disabled and can no longer sign in.", name=reviewer.name),
        "success",
    )
    return redirect(url_for(".station_page", code=station.code))


@bp.route("/overdue")
@require(Permission.CONTRACT_READ_ALL)
def overdue():
    """Every undecided filing past its due date, across the city, the longest overdue first."""
    cursor = request.args.get("cursor") or None
    items, next_cursor = queue_contracts(
        current_user, UNDECIDED, contracts.ContractFilters(overdue=True), cursor, OVERDUE_PAGE_SIZE
    )
    return render_template("bureau/overdue.html", items=items, cursor=cursor, next_cursor=next_cursor)


def _expert_page(values: dict | None = None, errors: dict | None = None, failed: int | None = None, status=200):
    held = db.session.scalars(
        select(Contract).where(Contract.status.in_(WITH_EXPERTS)).order_by(Contract.due_on, Contract.id)
    ).all()
    page = render_template("bureau/experts.html", items=held, values=values or {}, errors=errors or {}, failed=failed)
    return page, status


@bp.route("/expert-review")
@require(Permission.EXPERT_OPINION_RECORD)
def expert_review():
    """The filings the expert panel holds, the longest waiting first, each with a form for the panel's opinion."""
    return _expert_page()


@bp.route("/contracts/<int:contract_id>/expert-opinion", methods=["POST"])
@require(Permission.EXPERT_OPINION_RECORD)
def record_expert_opinion(contract_id: int):
    """Record the panel's opinion (outcome, text, optionally the signed PDF); the file returns to the station."""
    contract = load_visible(current_user, contract_id)
    values = {name: (request.form.get(name) or "").strip() for name in ("outcome", "opinion")}
    upload = request.files.get("file")
    try:
        experts.record_opinion(
            current_user, contract, values["outcome"], values["opinion"], upload if upload and upload.filename else None
        )
    except DomainError as error:
        transaction.refused(error)
        return _expert_page(values, _errors_by_field(error), contract_id, error.status)
    flash(t("The panel's opinion on #%(id)s has been recorded; the station decides.", id=contract.id), "success")
    return redirect(url_for(".expert_review"))


@bp.route("/contracts/<int:contract_id>/reassign", methods=["POST"])
@signed_in
def reassign(contract_id: int):
    """Move an undecided filing to another station, with the reason (shown on the review page)."""
    contract = load_visible(current_user, contract_id)
    if not has_permission(current_user, Permission.CONTRACT_REASSIGN):
        abort(403)
    code = request.form.get("station") or ""
    target = station_lookup.by_code(code)
    try:
        review.reassign(current_user, contract, target, request.form.get("reason"))
    except DomainError as error:
        transaction.refused(error)
        errors = error.errors or [FieldError(error.code, None, error.detail)]
        return render_review(contract, error.status, "reassign", errors, request.form)
    flash(t("Reassigned to %(station)s.", station=contract.station.name), "success")
    return redirect(url_for("station.contract", contract_id=contract.id))
