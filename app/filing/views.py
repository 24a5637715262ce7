"""Pages: the contract list, the filing form, and a contract's page (attachments, submission, history)."""

from __future__ import annotations

import io
from dataclasses import dataclass, replace
from datetime import date

from flask import Blueprint, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user
from marshmallow import ValidationError

from app import transaction
from app.auth.permissions import Permission, can_file, load_visible, require, signed_in
from app.brokers import services as brokers
from app.domain import catalogue as cat
from app.domain import workflow
from app.domain.calendar import decision_deadline
from app.domain.clock import today_local
from app.domain.rules import find_rule_set
from app.errors import DomainError, FieldError, ValidationFailed
from app.filing.services import attachments, batch, batch_template, contracts, drafts
from app.i18n import current_language, lt, t
from app.models import Contract, StatusChange
from app.requests import services as contract_requests
from app.requests.schemas import RequestIn
from app.schemas.errors import flatten
from app.web import forms

bp = Blueprint("applicant", __name__)

PAGE_SIZE = 20


def _known(value: str | None, table: dict) -> str | None:
    return value if value in table else None


@bp.route("/contracts", endpoint="contracts")
@signed_in
def contracts_list():
    """The contracts this account may see (its organisation's, its station's, or all), newest first."""
    filters = contracts.ContractFilters(
        status=_known(request.args.get("status"), cat.STATUSES),
        category=_known(request.args.get("category"), cat.CATEGORIES),
        q=(request.args.get("q") or "").strip()[:100] or None,
    )
    cursor = request.args.get("cursor") or None
    items, next_cursor = contracts.list_contracts(
        current_user, filters, cursor, PAGE_SIZE, load=contracts.LIST_ROW_LOAD
    )
    return render_template("applicant/list.html", items=items, filters=filters, cursor=cursor, next_cursor=next_cursor)


# ---- batch filing ------------------------------------------------------------------------------------


@bp.route("/contracts/batch", methods=["GET", "POST"])
@require(Permission.CONTRACT_FILE)
def batch_filing():
    """Download the template, upload it filled in, and read what became of each row (a plain form post; the page's
    script sends the same form with a progress bar)."""
    if request.method == "GET":
        return render_template("applicant/batch.html", results=None, errors=[])
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        errors = [FieldError("required", "file", t("Choose the filled-in workbook (XLSX)."))]
        return render_template("applicant/batch.html", results=None, errors=errors), 422
    try:
        results = batch.file_workbook(current_user, upload.stream)
    except DomainError as error:
        transaction.refused(error)
        errors = error.errors or [FieldError(error.code, "file", error.detail)]
        return render_template("applicant/batch.html", results=None, errors=errors), error.status
    return render_template("applicant/batch.html", results=results, errors=[])


@bp.route("/contracts/batch/template.xlsx")
@require(Permission.CONTRACT_FILE)
def batch_template_file():
    """The blank batch-filing workbook."""
    return send_file(
        io.BytesIO(batch_template.template()),
        mimetype=batch_template.XLSX_MEDIA_TYPE,
        as_attachment=True,
        download_name="技术合同批量申报模板.xlsx",
    )


# ---- the filing form ---------------------------------------------------------------------------------


def _render_form(
    layout: forms.FormLayout,
    values: dict,
    contract: Contract | None,
    notes: list[forms.Note],
    unsaved: bool = False,
    status: int = 200,
):
    action = url_for(".edit_contract", contract_id=contract.id) if contract else url_for(".new_contract")
    page = render_template(
        "applicant/form.html",
        layout=layout,
        values=values,
        contract=contract,
        notes=notes,
        notes_by_field=forms.by_anchor(notes),
        unsaved=unsaved,
        action=action,
        rows=range(layout.deduction_rows),
        broker_choices=brokers.filing_choices(contract),
    )
    return page, status


def _posted(layout: forms.FormLayout, contract: Contract | None):
    """A posted form: a block of another party added or removed (shown again, nothing saved), or saved."""
    layout = replace(layout, party_rows=forms.posted_party_rows(request.form))
    values = forms.values_from_form(request.form, layout)
    remove = request.form.get("remove_party", "")
    if remove.isascii() and remove.isdigit():
        values, layout = forms.remove_party(values, layout, int(remove))
        return _render_form(layout, values, contract, [])
    if request.form.get("then") == "add_party":
        values, layout = forms.add_party(values, layout)
        return _render_form(layout, values, contract, [])
    values, layout = forms.without_empty_parties(values, layout)
    return _save(layout, values, contract)


def _save(layout: forms.FormLayout, values: dict, contract: Contract | None):
    """Validate the posted form with ContractIn, then create or update the draft through the service."""
    data, errors = forms.load_filing(forms.payload_from_values(values, layout))
    if data is not None:
        try:
            if contract is None:
                contract = contracts.create_draft(current_user, data)
            else:
                contracts.update_draft(current_user, contract, data)
        except DomainError as error:
            transaction.refused(error)
            errors = error.errors or [FieldError(error.code, None, error.detail)]
        else:
            flash(t("The draft has been saved."), "success")
            if request.form.get("then") == "view":
                return redirect(url_for(".contract", contract_id=contract.id))
            return redirect(url_for(".edit_contract", contract_id=contract.id))
    notes = forms.notes_from_errors(errors, layout.input_names())
    return _render_form(layout, values, contract, notes, unsaved=True, status=422)


def _choose(target: str, contract: Contract | None = None):
    return render_template("applicant/choose.html", target=target, contract=contract)


@bp.route("/contracts/new", methods=["GET", "POST"])
@require(Permission.CONTRACT_FILE)
def new_contract():
    """Step 1 chooses the category and sub-type; step 2 is the form of exactly that kind of contract."""
    category, subtype = request.values.get("category"), request.values.get("subtype")
    if not forms.is_valid_choice(category, subtype):
        return _choose(url_for(".new_contract"))
    layout = forms.layout_for(category, subtype)
    if request.method == "POST":
        return _posted(layout, None)
    return _render_form(layout, forms.values_from_organisation(current_user.organisation), None, [])


@bp.route("/contracts/<int:contract_id>/edit", methods=["GET", "POST"])
@require(Permission.CONTRACT_FILE)
def edit_contract(contract_id: int):
    """Edit a draft (or a filing returned for amendment); ?category=&subtype= switches its kind."""
    contract = load_visible(current_user, contract_id)
    contracts.require_editable(current_user, contract)
    category = request.values.get("category") or contract.category
    subtype = request.values.get("subtype") or contract.subtype
    if request.args.get("choose") or not forms.is_valid_choice(category, subtype):
        return _choose(url_for(".edit_contract", contract_id=contract.id), contract)
    layout = forms.layout_for(category, subtype, len(contract.deductions), len(contract.other_parties))
    if request.method == "POST":
        return _posted(layout, contract)
    notes = forms.notes_from_findings(contract.findings, layout.input_names())
    return _render_form(layout, forms.values_from_contract(contract), contract, notes)


# ---- the contract's page and its actions ---------------------------------------------------------------

# The applicant's step bar: 申请 → 受理 → 审查 → 办结, and the step each status stands at.
STEPS = (
    ("apply", lt("Application")),
    ("accept", lt("Acceptance")),
    ("review", lt("Examination")),
    ("decide", lt("Completion")),
)
STEP_OF_STATUS = {
    "draft": 0,
    "submitted": 1,
    "accepted": 2,
    "amendment_requested": 2,
    "expert_review": 2,
    "registered": 3,
    "refused": 3,
    "cancelled": 3,
    "revoked": 3,
    "withdrawn": 3,
}


@dataclass(frozen=True)
class Progress:
    """Where a filing stands, as the applicant's page shows it: the current step, how it ended, when the
    decision is expected, and the open amendment request (reasons and due date)."""

    step: int
    ended: str | None  # the final status once decided or withdrawn
    expected_on: date | None
    tentative: bool
    amendment: StatusChange | None

    @property
    def steps(self) -> list[tuple[str, str, str]]:
        """(code, label, state) per step: done, current, todo (or the end state on the last step)."""
        out = []
        for index, (code, text) in enumerate(STEPS):
            if index < self.step or (index == self.step and self.ended == "registered"):
                state = "done"
            elif index == self.step:
                state = self.ended or "current"
            else:
                state = "todo"
            out.append((code, str(text), state))
        return out


def _expected_on(contract: Contract) -> tuple[date | None, bool]:
    """The decision date: fixed at acceptance; before it, estimated as if the station accepted today."""
    if contract.status not in workflow.UNDECIDED:
        return None, False
    if contract.due_on is not None:
        return contract.due_on, bool(contract.due_provisional)
    rule_set = find_rule_set(contract.rule_set)
    if rule_set is None:
        return None, True
    return decision_deadline(rule_set, today_local(), contract.technical_amount).due_on, True


def _rule_set_name(code: str | None) -> str | None:
    """The rule set's name in the reader's language (None for an unknown code, which the page flags)."""
    rule_set = find_rule_set(code)
    return rule_set.name.for_locale(current_language()) if rule_set else None


def progress_of(contract: Contract) -> Progress:
    """The step bar, the expected decision date and the amendment banner of the applicant's page."""
    ended = contract.status if STEP_OF_STATUS.get(contract.status) == 3 else None
    expected_on, tentative = _expected_on(contract)
    amendment = None
    if contract.status == "amendment_requested":
        requests = [c for c in contract.history if c.to_status == "amendment_requested"]
        amendment = requests[-1] if requests else None
    return Progress(STEP_OF_STATUS.get(contract.status, 0), ended, expected_on, tentative, amendment)


def _render_contract(
    contract: Contract,
    status: int = 200,
    upload_errors=(),
    submit_errors=(),
    upload_kind: str | None = None,
    acknowledged=(),
):
    notes = forms.notes_from_findings(contract.findings, forms.DETAIL_ANCHORS)
    may_request = (
        can_file(current_user, contract)
        and workflow.allows("request", contract.status)
        and not any(r.status == "pending" for r in contract.requests)
    )
    page = render_template(
        "applicant/contract.html",
        contract=contract,
        notes=notes,
        notes_by_field=forms.by_anchor(notes),
        can_file=can_file(current_user, contract),
        withdrawable=workflow.allows("withdraw", contract.status) and contract.status not in workflow.DELETABLE,
        deletable=contract.status in workflow.DELETABLE,
        progress=progress_of(contract),
        rule_set_name=_rule_set_name(contract.rule_set),
        upload_errors=list(upload_errors),
        submit_errors=list(submit_errors),
        upload_kind=upload_kind,
        acknowledged=set(acknowledged),
        warnings=forms.warnings_by_code(notes),
        may_request=may_request,
        request_values=forms.values_from_contract(contract) if may_request else {},
    )
    return page, status


@bp.route("/contracts/<int:contract_id>")
@signed_in
def contract(contract_id: int):
    """Every field, the findings, the attachments, submission and the history."""
    return _render_contract(load_visible(current_user, contract_id))


@bp.route("/contracts/<int:contract_id>/attachments", methods=["POST"])
@require(Permission.CONTRACT_FILE)
def upload_attachment(contract_id: int):
    """Attach a PDF, PNG or JPEG; what it is is judged by its content, not its name."""
    contract = load_visible(current_user, contract_id)
    upload = request.files.get("file")
    kind = request.form.get("kind")
    stream, filename = (upload.stream, upload.filename) if upload else (io.BytesIO(b""), None)
    try:
        attachments.add_attachment(current_user, contract, stream, filename, kind)
    except DomainError as error:
        transaction.refused(error)
        errors = error.errors or [FieldError(error.code, "file", error.detail)]
        return _render_contract(contract, error.status, upload_errors=errors, upload_kind=kind)
    flash(t("The file has been attached."), "success")
    return redirect(url_for(".contract", contract_id=contract.id, _anchor="attachments"))


@bp.route("/contracts/<int:contract_id>/attachments/<int:attachment_id>/delete", methods=["POST"])
@require(Permission.CONTRACT_FILE)
def delete_attachment(contract_id: int, attachment_id: int):
    """Remove an attachment from a draft."""
    contract = load_visible(current_user, contract_id)
    try:
        attachments.delete_attachment(current_user, contract, attachment_id)
    except DomainError as error:
        transaction.refused(error)
        flash(error.detail, "danger")
    else:
        flash(t("The attachment has been removed."), "success")
    return redirect(url_for(".contract", contract_id=contract.id, _anchor="attachments"))


@bp.route("/contracts/<int:contract_id>/submit", methods=["POST"])
@require(Permission.CONTRACT_FILE)
def submit(contract_id: int):
    """Submit with the warnings the applicant confirms; blocking findings are shown, nothing is sent."""
    contract = load_visible(current_user, contract_id)
    acknowledge = request.form.getlist("acknowledge")
    try:
        contracts.submit(current_user, contract, acknowledge)
    except ValidationFailed as error:
        transaction.refused(error)
        return _render_contract(
            contract,
            422,
            submit_errors=error.errors or [FieldError(error.code, None, error.detail)],
            acknowledged=acknowledge,
        )
    except DomainError as error:
        transaction.refused(error)
        flash(error.detail, "danger")
        return redirect(url_for(".contract", contract_id=contract.id))
    flash(t("Submitted to %(station)s.", station=contract.station.name), "success")
    return redirect(url_for(".contract", contract_id=contract.id))


@bp.route("/contracts/<int:contract_id>/withdraw", methods=["POST"])
@require(Permission.CONTRACT_FILE)
def withdraw(contract_id: int):
    """The applicant's own exit before a decision."""
    contract = load_visible(current_user, contract_id)
    try:
        contracts.withdraw(current_user, contract, (request.form.get("note") or "").strip() or None)
    except DomainError as error:
        transaction.refused(error)
        flash(error.detail, "danger")
    else:
        flash(t("The filing has been withdrawn."), "success")
    return redirect(url_for(".contract", contract_id=contract.id))


REQUEST_INPUTS = {
    "changes.amount": lt("Contract amount"),
    "changes.technical_amount": lt("Technical transaction amount"),
    "changes.valid_until": lt("Valid until"),
    "changes.deductions": lt("Deductions"),
    "changes.other_parties": lt("Other parties"),
    "reason": lt("Reason"),
    "kind": lt("Kind of request"),
}


def _request_payload(form) -> dict:
    """The request form as RequestIn takes it: amounts without separators, empty inputs left out."""
    changes = {}
    for name in ("amount", "technical_amount", "valid_until"):
        value = forms.money_input(form.get(name)) if name != "valid_until" else (form.get(name) or "").strip()
        if value:
            changes[name] = value
    if form.get("with_deductions") == "1":  # the rows shown, as the applicant left them: the full list asked for
        changes["deductions"] = forms.request_deductions(form)
    if form.get("with_other_parties") == "1":
        changes["other_parties"] = forms.request_other_parties(form)
    return {"kind": form.get("kind", ""), "changes": changes, "reason": form.get("reason", "")}


@bp.route("/contracts/<int:contract_id>/requests", methods=["POST"])
@require(Permission.CONTRACT_FILE)
def make_request(contract_id: int):
    """Ask the station to change, supplement or cancel the registration."""
    contract = load_visible(current_user, contract_id)
    try:
        data = RequestIn().load(_request_payload(request.form))
    except ValidationError as error:
        for problem in flatten(error.messages):
            name = REQUEST_INPUTS.get(problem.field or "")
            flash(f"{name}: {problem.message}" if name else problem.message, "danger")
        return redirect(url_for(".contract", contract_id=contract.id, _anchor="requests"))
    try:
        contract_requests.create(current_user, contract, data["kind"], data["changes"], data["reason"])
    except DomainError as error:
        transaction.refused(error)
        for problem in error.errors or [FieldError(error.code, None, error.detail)]:
            flash(problem.message, "danger")
    else:
        flash(t("Your request has been sent to the station."), "success")
    return redirect(url_for(".contract", contract_id=contract.id, _anchor="requests"))


@bp.route("/contracts/<int:contract_id>/delete", methods=["POST"])
@require(Permission.CONTRACT_FILE)
def delete_draft(contract_id: int):
    """Delete a draft outright (a submitted filing is withdrawn instead)."""
    contract = load_visible(current_user, contract_id)
    try:
        drafts.delete_draft(current_user, contract)
    except DomainError as error:
        transaction.refused(error)
        flash(error.detail, "danger")
        return redirect(url_for(".contract", contract_id=contract.id))
    flash(t("The draft has been deleted."), "success")
    return redirect(url_for(".contracts"))
