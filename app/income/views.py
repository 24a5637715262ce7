"""Pages of technical-income verification: the contract's income page (the applicant declares income and names
researchers, everyone who sees the contract reads the records and downloads the 核定表), the station's pending
verifications, and the bureau's realised income against the title green channel."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from marshmallow import ValidationError

from app import transaction
from app.auth.permissions import Permission, can_file, load_visible, require, signed_in
from app.domain import workflow
from app.domain.income import COST_KINDS, GREEN_CHANNEL_LEVELS
from app.errors import DomainError, FieldError
from app.files.http import send_stored
from app.i18n import t
from app.income.schemas import IncomeRecordIn, VerifyIn
from app.income.services import realised, records, researchers, sheet
from app.schemas.errors import flatten
from app.web import forms

bp = Blueprint("income", __name__)


def _flash_problems(errors: list[FieldError]) -> None:
    for problem in errors:
        flash(problem.message, "danger")


def _refused(error: DomainError) -> None:
    transaction.refused(error)
    _flash_problems(error.errors or [FieldError(error.code, None, error.detail)])


@bp.route("/contracts/<int:contract_id>/income")
@signed_in
def contract_income(contract_id: int):
    """The contract's income records and researchers; the applicant's forms while the contract is registered."""
    contract = load_visible(current_user, contract_id)
    return render_template(
        "income/contract.html",
        contract=contract,
        records=records.for_contract(current_user, contract),
        researchers=researchers.for_contract(contract),
        may_declare=can_file(current_user, contract) and workflow.allows("record_income", contract.status),
        cost_kinds=COST_KINDS,
    )


def _declaration(form) -> dict:
    """The declaration form as IncomeRecordIn takes it: one cost row per kind, empty amounts left out."""
    costs = []
    for kind in COST_KINDS:
        amount = forms.money_input(form.get(f"cost_{kind}"))
        if amount:
            costs.append({"kind": kind, "amount": amount})
    return {
        "period_from": (form.get("period_from") or "").strip() or None,
        "period_to": (form.get("period_to") or "").strip() or None,
        "received": forms.money_input(form.get("received")) or "",
        "costs": costs,
        "note": (form.get("note") or "").strip() or None,
    }


@bp.route("/contracts/<int:contract_id>/income", methods=["POST"])
@require(Permission.CONTRACT_FILE)
def declare(contract_id: int):
    """Declare the income received for a period and its costs."""
    contract = load_visible(current_user, contract_id)
    back = redirect(url_for(".contract_income", contract_id=contract.id, _anchor="declare"))
    try:
        data = IncomeRecordIn().load(_declaration(request.form))
    except ValidationError as error:
        _flash_problems(flatten(error.messages))
        return back
    try:
        records.create(
            current_user,
            contract,
            data["period_from"],
            data["period_to"],
            data["received"],
            data["costs"],
            data["note"],
        )
    except DomainError as error:
        _refused(error)
        return back
    flash(t("The income has been declared; the station will verify it."), "success")
    return redirect(url_for(".contract_income", contract_id=contract.id, _anchor="records"))


@bp.route("/contracts/<int:contract_id>/researchers", methods=["POST"])
@require(Permission.CONTRACT_FILE)
def add_researcher(contract_id: int):
    """Name one more researcher of the contract."""
    contract = load_visible(current_user, contract_id)
    form = request.form
    try:
        researchers.add(current_user, contract, form.get("name"), form.get("id_number"), form.get("role"))
    except DomainError as error:
        _refused(error)
    else:
        flash(t("The researcher has been named."), "success")
    return redirect(url_for(".contract_income", contract_id=contract.id, _anchor="researchers"))


@bp.route("/contracts/<int:contract_id>/researchers/<int:researcher_id>/remove", methods=["POST"])
@require(Permission.CONTRACT_FILE)
def remove_researcher(contract_id: int, researcher_id: int):
    """Remove a researcher from the contract."""
    contract = load_visible(current_user, contract_id)
    try:
        researchers.remove(current_user, contract, researcher_id)
    except DomainError as error:
        _refused(error)
    else:
        flash(t("The researcher has been removed."), "success")
    return redirect(url_for(".contract_income", contract_id=contract.id, _anchor="researchers"))


@bp.route("/contracts/<int:contract_id>/income-records/<int:record_id>.pdf")
@signed_in
def download_sheet(contract_id: int, record_id: int):
    """The signed 核定表 of a verified record, shown in the browser."""
    contract = load_visible(current_user, contract_id)
    sha256, name = sheet.sheet_for(records.visible(current_user, record_id, contract))
    return send_stored(sha256, "application/pdf", name, inline=True)


@bp.route("/station/income")
@require(Permission.CONTRACT_REVIEW)
def pending():
    """The income records waiting for the reviewer's station: to verify, or to approve as second reviewer."""
    return render_template(
        "income/pending.html", items=records.pending_for_station(current_user.station_id), cost_kinds=COST_KINDS
    )


@bp.route("/station/income-records/<int:record_id>/verify", methods=["POST"])
@require(Permission.CONTRACT_REVIEW)
def verify(record_id: int):
    """Fix the technical income of a declared record."""
    records.visible(current_user, record_id)  # a record the reviewer may not know of is a 404, not a refusal
    back = redirect(url_for(".pending", _anchor=f"income-{record_id}"))
    payload = {"technical_income": forms.money_input(request.form.get("technical_income")) or ""}
    payload["note"] = (request.form.get("note") or "").strip() or None
    try:
        data = VerifyIn().load(payload)
    except ValidationError as error:
        _flash_problems(flatten(error.messages))
        return back
    try:
        record = records.verify(current_user, record_id, data["technical_income"], data["note"])
    except DomainError as error:
        _refused(error)
        return back
    if record.awaits_second_approval:
        flash(t("Verified; a second reviewer of the station must approve it."), "warning")
    else:
        flash(t("The technical income has been verified."), "success")
    return redirect(url_for(".pending"))


@bp.route("/station/income-records/<int:record_id>/approve", methods=["POST"])
@require(Permission.CONTRACT_REVIEW)
def approve(record_id: int):
    """Approve, as second reviewer, a verification waiting for one."""
    records.visible(current_user, record_id)
    try:
        records.approve(current_user, record_id)
    except DomainError as error:
        _refused(error)
        return redirect(url_for(".pending", _anchor=f"income-{record_id}"))
    flash(t("The technical income has been verified."), "success")
    return redirect(url_for(".pending"))


@bp.route("/bureau/realised-income")
@require(Permission.CONTRACT_READ_ALL)
def realised_income():
    """Organisations and researchers ranked by realised technical income, against the green channel's levels."""
    return render_template(
        "income/realised.html",
        organisations=realised.by_organisation(),
        persons=realised.by_person(),
        levels=GREEN_CHANNEL_LEVELS,
    )
