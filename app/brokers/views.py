"""The bureau's pages of technology brokers: the registry with each broker's contracts and amounts, a form to
register one, and a broker's page with their contracts, where the bureau suspends, reinstates or revokes them."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app import transaction
from app.auth.permissions import Permission, require
from app.brokers import services as brokers
from app.domain import brokers as rules
from app.errors import DomainError, FieldError
from app.i18n import current_language, t

bp = Blueprint("brokers", __name__, url_prefix="/bureau/brokers")

PAGE_SIZE = 20
BROKER_FIELDS = ("kind", "name", "id_number", "organisation", "organisation_credit_code", "certificate_no")
TEXT_LIMITS = {"kind": 8, "name": 100, "id_number": 18, "organisation": 200, "organisation_credit_code": 18}


def broker_label(table: str, code: str | None) -> str:
    """The name of a broker's kind ("kind") or status ("status") in the reader's language."""
    found = {"kind": rules.KINDS, "status": rules.STATUSES}[table].get(code or "")
    return found.for_locale(current_language()) if found else (code or "")


TEMPLATE_GLOBALS = {"broker_label": broker_label, "broker_plan_target": rules.PLAN_TARGET}


def _known(value: str | None, table: dict) -> str | None:
    return value if value in table else None


def _filters() -> brokers.BrokerFilters:
    return brokers.BrokerFilters(
        status=_known(request.args.get("status"), rules.STATUSES),
        kind=_known(request.args.get("kind"), rules.KINDS),
        q=(request.args.get("q") or "").strip()[:100] or None,
    )


def _errors_by_field(error: DomainError) -> dict[str, list[FieldError]]:
    placed: dict[str, list[FieldError]] = {}
    for item in error.errors or [FieldError(error.code, None, error.detail)]:
        placed.setdefault(item.field or "", []).append(item)
    return placed


def _list_page(values: dict | None = None, errors: dict | None = None, status: int = 200):
    filters = _filters()
    page = render_template(
        "brokers/list.html",
        rows=brokers.overview(current_user, filters),
        filters=filters,
        active=brokers.active_count(),
        values=values or {"kind": "broker"},
        errors=errors or {},
    )
    return page, status


@bp.route("")
@require(Permission.BROKER_MANAGE)
def brokers_page():
    """The registry: each broker with the filings naming them and their registered contracts' amounts."""
    return _list_page()


def _posted_broker() -> tuple[dict, dict]:
    """The form's values as typed (bounded), and the service's input; a date that is not one is left out and
    reported beside its field."""
    values = {name: (request.form.get(name) or "").strip()[: TEXT_LIMITS.get(name, 40)] for name in BROKER_FIELDS}
    values["qualified_on"] = (request.form.get("qualified_on") or "").strip()[:10]
    data = {**values, "kind": _known(values["kind"], rules.KINDS) or "broker", "qualified_on": None}
    if values["qualified_on"]:
        try:
            data["qualified_on"] = date.fromisoformat(values["qualified_on"])
        except ValueError:
            data["qualified_on"] = INVALID_DATE
    return values, data


INVALID_DATE = object()


@bp.route("", methods=["POST"])
@require(Permission.BROKER_MANAGE)
def register_broker():
    """Register a broker or manager from the form."""
    values, data = _posted_broker()
    if data["qualified_on"] is INVALID_DATE:
        message = t("Enter a date as YYYY-MM-DD.")
        return _list_page(values, {"qualified_on": [FieldError("date.invalid", "qualified_on", message)]}, 422)
    try:
        broker = brokers.register(current_user, data)
    except DomainError as error:
        transaction.refused(error)
        return _list_page(values, _errors_by_field(error), error.status)
    flash(t("%(name)s has been registered.", name=broker.name), "success")
    return redirect(url_for(".broker_page", broker_id=broker.id))


@bp.route("/<int:broker_id>")
@require(Permission.BROKER_MANAGE)
def broker_page(broker_id: int):
    """One broker: the registration, and the filings naming them with amounts and statuses, a page at a time."""
    broker = brokers.load(current_user, broker_id)
    page = request.args.get("page", "1")
    number = int(page) if page.isascii() and page.isdigit() and 0 < int(page) < 100_000 else 1
    contracts, total = brokers.contracts_of(broker, number, PAGE_SIZE)
    return render_template(
        "brokers/broker.html",
        broker=broker,
        contracts=contracts,
        total=total,
        page=number,
        pages=max(1, -(-total // PAGE_SIZE)),
        moves=[status for status in rules.STATUSES if rules.may_move(broker.status, status)],
    )


@bp.route("/<int:broker_id>/status", methods=["POST"])
@require(Permission.BROKER_MANAGE)
def change_status(broker_id: int):
    """Suspend, reinstate or revoke the broker."""
    broker = brokers.load(current_user, broker_id)
    status = request.form.get("status", "")
    note = (request.form.get("note") or "").strip()[:500] or None
    if status not in rules.STATUSES:
        flash(t("Choose a status."), "danger")
        return redirect(url_for(".broker_page", broker_id=broker.id))
    try:
        brokers.change_status(current_user, broker, status, note)
    except DomainError as error:
        transaction.refused(error)
        flash(error.detail, "danger")
    else:
        flash(t("The broker is now %(status)s.", status=broker_label("status", status)), "success")
    return redirect(url_for(".broker_page", broker_id=broker.id))
