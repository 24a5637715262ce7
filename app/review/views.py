"""Pages of a registration station: the reviewer's queue, and the review page with one form per decision."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from app import transaction
from app.auth.permissions import Permission, can_review, has_permission, load_visible, require, signed_in
from app.domain import catalogue as cat
from app.domain import four_eyes, workflow
from app.domain.clock import today_local
from app.domain.rules import amendment_days, find_rule_set, refusal_grounds_of
from app.errors import DomainError, FieldError, ValidationFailed
from app.extensions import db
from app.filing.services import contracts, deadlines
from app.i18n import current_language, lt, t
from app.models import Contract, Station, User
from app.review.services import queue as review_queue
from app.review.services import review
from app.web import forms

bp = Blueprint("station", __name__, url_prefix="/station")

PAGE_SIZE = 50
DUE_SOON_DAYS = 3
WEEK = 7
UNDECIDED = workflow.UNDECIDED
QUEUE_STATUSES = tuple(s for s in cat.STATUSES if s != "draft")
APPROVAL = "approval"  # the queue of registrations and changes awaiting a second reviewer
CENT = Decimal("0.01")
_SPACES = re.compile(r"[\s,，]")
CHANGE_FIELDS = {
    "title": lt("Contract title"),
    "category": lt("Category"),
    "subtype": lt("Sub-type"),
    "certified_technical_amount": lt("Certified technical amount"),
    "amount": lt("Contract amount"),
    "valid_until": lt("Valid until"),
}


# ---- deadlines as a reviewer reads them --------------------------------------------------------------


@dataclass(frozen=True)
class DeadlineView:
    """A filing's due date with the days left in its rule set's kind of days (or the days overdue)."""

    due_on: date
    provisional: bool
    days_left: int | None
    overdue_days: int
    kind: str
    undecided: bool
    paused: bool = False  # returned for amendment under a rule set that restarts the clock when materials arrive

    @property
    def level(self) -> str:
        if not self.undecided:
            return "decided"
        if self.overdue_days:
            return "overdue"
        if self.paused:
            return "paused"
        return "soon" if self.days_left is not None and self.days_left <= DUE_SOON_DAYS else "ok"

    @property
    def text(self) -> str:
        """ "剩 5 个工作日" / "已超期 3 日"; empty once decided."""
        if not self.undecided or self.days_left is None:
            return ""
        if self.overdue_days:
            return t("%(n)s days overdue", n=self.overdue_days)
        if self.paused:
            return t("restarts on amendment")
        if self.days_left <= 0:
            return t("due today")
        if self.kind == "working":
            return t("1 working day left") if self.days_left == 1 else t("%(n)s working days left", n=self.days_left)
        return t("1 day left") if self.days_left == 1 else t("%(n)s days left", n=self.days_left)


def deadline_of(contract: Contract) -> DeadlineView | None:
    """The decision deadline of a filing as shown in queues and on its pages; None before acceptance."""
    if contract.due_on is None:
        return None
    rule_set = find_rule_set(contract.rule_set)  # None when unknown: counted in calendar days
    today = today_local()
    overdue = (today - contract.due_on).days if deadlines.is_overdue(contract, today) else 0
    paused = contract.status == "amendment_requested" and bool(rule_set and rule_set.restart_clock_on_amendment)
    return DeadlineView(
        contract.due_on,
        bool(contract.due_provisional),
        deadlines.days_left(contract, today),
        overdue,
        rule_set.time_limit_kind if rule_set else deadlines.UNKNOWN_KIND,
        contract.status in UNDECIDED,
        paused,
    )


# ---- what the timeline says about each decision ------------------------------------------------------


def station_label(code: str | None) -> str:
    """A station's name and code ("邯山区技术合同登记站 130402"), or the code when unknown."""
    if not code:
        return "—"
    name = db.session.scalars(select(Station.name).where(Station.code == code)).first()
    return f"{name} {code}" if name else code


def change_field(field: str) -> str:
    """The name of a field a registration decision corrects or changes."""
    return str(CHANGE_FIELDS.get(field, field))


def decision_value(field: str, value, category: str | None = None) -> str:
    """A corrected or changed value as text: labels for codes, amounts with two decimals."""
    if value is None or value == "":
        return "—"
    if field == "category":
        return forms.label("category", value)
    if field == "subtype":
        found = cat.subtype_label(category or cat.category_of_subtype(value), value)
        return found.for_locale(current_language()) if found else str(value)
    if field in ("certified_technical_amount", "amount"):
        return f"{Decimal(str(value)).quantize(CENT):,.2f}"
    return str(value)


def user_name(user_id: int | None) -> str:
    """The name of the account that took part in a decision (a proposer, an approver), or a dash."""
    user = db.session.get(User, user_id) if user_id else None
    return user.name if user else "—"


def second_review_reason(code: str) -> str:
    """Why a proposal needs a second reviewer, in the reader's language."""
    label = four_eyes.REASONS.get(code)
    return label.for_locale(current_language()) if label else code


# Jinja globals for the station's pages and the decision details on the applicant's page (installed by the factory)
TEMPLATE_GLOBALS = {
    "deadline_of": deadline_of,
    "station_label": station_label,
    "change_field": change_field,
    "decision_value": decision_value,
    "user_name": user_name,
    "second_review_reason": second_review_reason,
    "find_rule_set": find_rule_set,
    "refusal_grounds_of": refusal_grounds_of,
}


# ---- the queue -----------------------------------------------------------------------------------------


@dataclass
class Queue:
    """What the queue is narrowed by (the query string, parsed), and what could not be read."""

    status: str = ""  # "" = the undecided ones; "all"; "approval" (awaiting a second reviewer); or one status
    filters: contracts.ContractFilters | None = None
    invalid: tuple[str, ...] = ()

    @property
    def statuses(self) -> tuple[str, ...]:
        if self.status == "all":
            return QUEUE_STATUSES
        if self.status == APPROVAL:
            return ("accepted", "registered")
        return (self.status,) if self.status in QUEUE_STATUSES else UNDECIDED

    def args(self) -> dict:
        """The query string that reproduces these filters (for paging links)."""
        f = self.filters
        args = {
            "status": self.status,
            "category": f.category,
            "q": f.q,
            "due_before": f.due_before,
            "amount_min": f.amount_min,
            "amount_max": f.amount_max,
            "overdue": "1" if f.overdue else None,
        }
        return {k: v for k, v in args.items() if v not in (None, "")}


def _parse_date(text: str | None) -> date:
    return date.fromisoformat((text or "").strip())


def parse_amount(text: str | None, field: str) -> Decimal:
    """An amount typed into a form ("1,080,000.00", "1080000") as Decimal with two decimals."""
    cleaned = _SPACES.sub("", text or "")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite() or value.as_tuple().exponent < -2:
        message = t("Enter an amount in yuan with at most two decimals, e.g. 1250000.00.")
        raise ValidationFailed(message, [FieldError("amount.format", field, message)])
    return value.quantize(CENT)


def queue_from_args(args) -> Queue:
    """The queue's filters from the query string; unreadable values are dropped and marked."""
    invalid, parsed = [], {}
    for name, parse in (("due_before", _parse_date), ("amount_min", parse_amount), ("amount_max", parse_amount)):
        text = (args.get(name) or "").strip()
        if text:
            try:
                parsed[name] = parse(text) if name == "due_before" else parse(text, name)
            except (ValueError, ValidationFailed):
                invalid.append(name)
    status = args.get("status") or ""
    filters = contracts.ContractFilters(
        category=args.get("category") if args.get("category") in cat.CATEGORIES else None,
        q=(args.get("q") or "").strip()[:100] or None,
        overdue=True if args.get("overdue") else None,
        awaiting_approval=True if status == APPROVAL else None,
        **parsed,
    )
    return Queue(status if status in QUEUE_STATUSES or status in ("all", APPROVAL) else "", filters, tuple(invalid))


@bp.route("/queue")
@require(Permission.CONTRACT_REVIEW)
def queue():
    """The station's filings, the undecided ones by default, the most urgent first."""
    chosen = queue_from_args(request.args)
    cursor = request.args.get("cursor") or None
    items, next_cursor = review_queue.queue_contracts(current_user, chosen.statuses, chosen.filters, cursor, PAGE_SIZE)
    return render_template(
        "station/queue.html",
        items=items,
        queue=chosen,
        cursor=cursor,
        next_cursor=next_cursor,
        counts=review_queue.queue_counts(current_user, WEEK),
        statuses=QUEUE_STATUSES,
        week_end=today_local() + timedelta(days=WEEK),
    )


# ---- the review page -----------------------------------------------------------------------------------


def _next_in_queue(contract: Contract) -> Contract | None:
    """The filing after this one in the default queue (undecided, by due date)."""
    items, _ = review_queue.queue_contracts(
        current_user, UNDECIDED, contracts.ContractFilters(), review_queue.cursor_after(contract), 1
    )
    return items[0] if items else None


def _errors_by_field(errors: list[FieldError]) -> tuple[dict[str, list[FieldError]], list[FieldError]]:
    placed: dict[str, list[FieldError]] = {}
    general = []
    for error in errors:
        if error.field:
            placed.setdefault(error.field, []).append(error)
        else:
            general.append(error)
    return placed, general


def render_review(
    contract: Contract, status: int = 200, action: str | None = None, errors: list[FieldError] = (), form=None
):
    """The review page; after a refused action, that action's form shows its errors and the values entered."""
    reviewer = can_review(current_user, contract)
    notes = forms.notes_from_findings(contract.findings, forms.DETAIL_ANCHORS)
    placed, general = _errors_by_field(list(errors))
    entered = form if form is not None else {}

    def value(for_action: str, name: str, default=""):
        """What a form input shows: the value just entered in that form, or its default."""
        return entered.get(name, "") if action == for_action else default

    allowed = workflow.review_actions(contract.status) if reviewer else set()
    pending = contract.pending_proposal
    if pending is None:
        allowed.discard("approve")
    can_reassign = has_permission(current_user, Permission.CONTRACT_REASSIGN) and workflow.allows(
        "reassign", contract.status
    )
    stations = (
        db.session.scalars(
            select(Station).where(Station.active.is_(True), Station.id != contract.station_id).order_by(Station.code)
        ).all()
        if can_reassign
        else []
    )
    page = render_template(
        "station/contract.html",
        contract=contract,
        notes=notes,
        notes_by_field=forms.by_anchor(notes),
        reviewer=reviewer,
        allowed=allowed,
        pending=pending,
        action=action,
        errors=placed,
        general_errors=general,
        entered_grounds=set(entered.getlist("grounds")) if action == "refuse" and entered else set(),
        value=value,
        amendment_due=today_local() + timedelta(days=amendment_days(find_rule_set(contract.rule_set))),
        rule_set=find_rule_set(contract.rule_set),
        can_reassign=can_reassign,
        stations=stations,
        next_contract=_next_in_queue(contract) if reviewer else None,
    )
    return page, status


@bp.route("/contracts/<int:contract_id>")
@signed_in
def contract(contract_id: int):
    """Everything filed, the findings, the attachments, the deadline, the history and the decisions allowed."""
    contract = load_visible(current_user, contract_id)
    if not any(
        has_permission(current_user, p) for p in (Permission.CONTRACT_READ_STATION, Permission.CONTRACT_READ_ALL)
    ):
        abort(403)  # the filer follows its filing on its own page
    return render_review(contract)


def decide(contract_id: int, action: str, call, done):
    """Load (404 unless visible, 403 unless the user reviews it), run one service call, commit, flash, go back;
    a refused action renders the page again with its errors and the values entered."""
    contract = load_visible(current_user, contract_id)
    if not can_review(current_user, contract):
        abort(403)
    try:
        call(contract)
    except DomainError as error:
        transaction.refused(error)
        errors = error.errors or [FieldError(error.code, None, error.detail)]
        return render_review(contract, error.status, action, errors, request.form)
    flash(done(contract), "success")
    return redirect(url_for(".contract", contract_id=contract.id))


@bp.route("/contracts/<int:contract_id>/accept", methods=["POST"])
@signed_in
def accept(contract_id: int):
    """Accept the filing: the decision clock starts."""
    return decide(
        contract_id,
        "accept",
        lambda c: review.accept(current_user, c),
        lambda c: t("Accepted. The decision is due by %(date)s.", date=c.due_on.isoformat()),
    )


def _reasons(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def form_date(text: str | None, field: str) -> date:
    """A date typed into a form (YYYY-MM-DD); anything else is a field error."""
    try:
        return _parse_date(text)
    except ValueError:
        message = t("Enter a date as YYYY-MM-DD.")
        raise ValidationFailed(message, [FieldError("date.format", field, message)]) from None


@bp.route("/contracts/<int:contract_id>/request-amendment", methods=["POST"])
@signed_in
def request_amendment(contract_id: int):
    """Return the filing to the applicant: one reason a line, and a due date for the amended materials."""
    form = request.form
    return decide(
        contract_id,
        "request_amendment",
        lambda c: review.request_amendment(
            current_user, c, _reasons(form.get("reasons")), form_date(form.get("due_on"), "due_on")
        ),
        lambda c: t("Returned to the applicant for amendment by %(date)s.", date=c.amendment_due_on.isoformat()),
    )


@bp.route("/contracts/<int:contract_id>/refuse", methods=["POST"])
@signed_in
def refuse(contract_id: int):
    """Refuse registration (未予登记) on the grounds checked, with a note."""
    form = request.form
    return decide(
        contract_id,
        "refuse",
        lambda c: review.refuse(current_user, c, form.getlist("grounds"), form.get("note")),
        lambda c: t("Registration refused."),
    )


def _registration(form) -> dict:
    """The register form's values as review.register takes them (an unreadable amount is a field error)."""
    return {
        "category": form.get("category") or "",
        "subtype": form.get("subtype") or "",
        "certified_technical_amount": parse_amount(
            form.get("certified_technical_amount"), "certified_technical_amount"
        ),
        "note": (form.get("note") or "").strip() or None,
        "correction_reasons": {
            field: form.get(f"correction_reasons.{field}", "")
            for field in ("category", "subtype", "certified_technical_amount")
        },
    }


def _registered_message(contract: Contract) -> str:
    if contract.status == "registered":
        return t("Registered under number %(number)s.", number=contract.registration_number)
    return t("Proposed for registration: another reviewer of the station must approve it.")


@bp.route("/contracts/<int:contract_id>/register", methods=["POST"])
@signed_in
def register(contract_id: int):
    """Register with the classification and the certified amount (corrections need reasons); above the rule
    set's threshold this proposes, and another reviewer approves."""
    return decide(
        contract_id,
        "register",
        lambda c: review.register(current_user, c, **_registration(request.form)),
        _registered_message,
    )


def _changed_message(contract: Contract) -> str:
    if contract.pending_change is not None:
        return t("Change proposed: another reviewer of the station must approve it.")
    return t("The registration has been changed (version %(n)s).", n=contract.version)


def _approved_message(contract: Contract) -> str:
    last = (contract.history[-1].details or {}) if contract.history else {}
    return _changed_message(contract) if last.get("action") == "change" else _registered_message(contract)


@bp.route("/contracts/<int:contract_id>/approve", methods=["POST"])
@signed_in
def approve(contract_id: int):
    """The second reviewer approves the pending registration or change."""
    return decide(contract_id, "approve", lambda c: review.approve(current_user, c), _approved_message)


def _changes(form) -> dict:
    """The change form's values as review.change takes them; an empty input changes nothing, an unreadable amount
    or date is a field error."""
    changes = {name: (form.get(name) or "").strip() or None for name in ("title", "category", "subtype")}
    for name in ("certified_technical_amount", "amount"):
        text = (form.get(name) or "").strip()
        changes[name] = parse_amount(text, name) if text else None
    text = (form.get("valid_until") or "").strip()
    changes["valid_until"] = form_date(text, "valid_until") if text else None
    return changes


@bp.route("/contracts/<int:contract_id>/change", methods=["POST"])
@signed_in
def change(contract_id: int):
    """Change the registered facts (a new certificate version), with the reason; where four eyes are needed
    this proposes, and another reviewer approves."""
    form = request.form
    return decide(
        contract_id,
        "change",
        lambda c: review.change(current_user, c, _changes(form), form.get("reason")),
        _changed_message,
    )


@bp.route("/contracts/<int:contract_id>/cancel", methods=["POST"])
@signed_in
def cancel(contract_id: int):
    """Cancel the registration (注销), with the reason."""
    return decide(
        contract_id,
        "cancel",
        lambda c: review.cancel(current_user, c, request.form.get("reason")),
        lambda c: t("The registration has been cancelled."),
    )


@bp.route("/contracts/<int:contract_id>/revoke", methods=["POST"])
@signed_in
def revoke(contract_id: int):
    """Revoke the registration (撤销), with the reason."""
    return decide(
        contract_id,
        "revoke",
        lambda c: review.revoke(current_user, c, request.form.get("reason")),
        lambda c: t("The registration has been revoked."),
    )
