"""Filing: create and edit drafts, run the rule set in force, submit to the station of the area."""

from __future__ import annotations

import base64
from dataclasses import dataclass, replace
from decimal import Decimal

from sqlalchemy import Select, and_, or_, select
from sqlalchemy.orm import aliased, joinedload, selectinload

from app import mail
from app.audit.services import audit
from app.auth.permissions import Permission, can_file, has_permission, visible_filter
from app.brokers import services as brokers
from app.domain import areas, workflow
from app.domain.catalogue import LEGACY_EQUITY_SUBTYPE, equity_subtype
from app.domain.clock import now_utc, today_local
from app.domain.filing import CheckContext, DeductionData, FilingData, LicenseData, OtherPartyData, PartyData
from app.domain.findings import Finding, blocking, warnings
from app.domain.rules import check_filing, rule_set_for
from app.errors import Conflict, FieldError, Forbidden, ValidationFailed
from app.extensions import db
from app.filing.services import deadlines
from app.filing.services.history import transition
from app.i18n import current_language, t
from app.models import (
    Contract,
    ContractFinding,
    ContractOtherParty,
    ContractParty,
    Deduction,
    RegistrationProposal,
    StatusChange,
)
from app.models.base import MAX_ID
from app.stations.lookup import served_area_codes, served_credit_codes, station_for_party

SCALAR_FIELDS = (
    "title",
    "category",
    "subtype",
    "contributed_as_equity",
    "signed_by_internal_unit",
    "government_funded",
    "signed_on",
    "valid_from",
    "valid_until",
    "amount",
    "technical_amount",
    "amount_fixed",
    "technical_field",
    "ip_type",
    "plan_category",
    "payment_method",
    "summary",
)
PARTY_FIELDS = ("name", "credit_code", "id_number", "area_code", "nature", "country")


def filing_dict(contract: Contract) -> dict:
    """The contract's filing fields in the API's shape (also what the audit log records)."""
    data = {name: getattr(contract, name) for name in SCALAR_FIELDS}
    for role in ("seller", "buyer"):
        party = contract.party(role)
        data[role] = {name: getattr(party, name) for name in PARTY_FIELDS} if party else None
    data["other_parties"] = [
        {"role": p.role, **{name: getattr(p, name) for name in PARTY_FIELDS}} for p in contract.other_parties
    ]
    data["brokers"] = [{"id": b.id, "name": b.name, "certificate_no": b.certificate_no} for b in contract.brokers]
    data["deductions"] = [
        {"kind": d.kind, "description": d.description, "amount": d.amount} for d in contract.deductions
    ]
    data["ip_numbers"] = list(contract.ip_numbers or [])
    has_license = any(
        v is not None for v in (contract.license_exclusivity, contract.license_territory, contract.license_years)
    )
    data["license"] = (
        {
            "exclusivity": contract.license_exclusivity,
            "territory": contract.license_territory,
            "years": contract.license_years,
        }
        if has_license
        else None
    )
    return data


def _set_party(contract: Contract, role: str, values: dict | None) -> None:
    party = contract.party(role)
    if values is None:
        if party is not None:
            contract.parties.remove(party)
        return
    if party is None:
        party = ContractParty(role=role, country="156")
        contract.parties.append(party)
    for name in PARTY_FIELDS:
        if name in values:
            setattr(party, name, values[name] if name != "country" else (values[name] or "156"))


def set_other_parties(contract: Contract, items: list[dict]) -> None:
    """The other parties in the given order: rows are rewritten in place (their positions are unique), extra rows
    added or removed at the end."""
    del contract.other_parties[len(items) :]
    for position, values in enumerate(items):
        if position == len(contract.other_parties):
            contract.other_parties.append(ContractOtherParty(position=position))
        party = contract.other_parties[position]
        party.role = values["role"]
        for name in PARTY_FIELDS:
            setattr(party, name, values.get(name) if name != "country" else (values.get(name) or "156"))


def _apply(contract: Contract, data: dict) -> None:
    """Copy the given (already validated) fields onto the contract; absent keys stay as they are."""
    for name in SCALAR_FIELDS:
        if name in data:
            setattr(contract, name, data[name])
    if "ip_numbers" in data:
        contract.ip_numbers = list(data["ip_numbers"] or [])
    if "license" in data:
        license_ = data["license"] or {}
        contract.license_exclusivity = license_.get("exclusivity")
        contract.license_territory = license_.get("territory")
        contract.license_years = license_.get("years")
    for role in ("seller", "buyer"):
        if role in data:
            _set_party(contract, role, data[role])
    if "other_parties" in data:
        set_other_parties(contract, data["other_parties"] or [])
    if "deductions" in data:
        set_deductions(contract, data["deductions"] or [])
    if "brokers" in data:
        contract.brokers = brokers.named_for_filing(data["brokers"] or [], contract.brokers)
    if contract.subtype == LEGACY_EQUITY_SUBTYPE:  # the former sub-type: now a flag of a transfer
        contract.contributed_as_equity = True
        contract.subtype = equity_subtype(contract.ip_type, contract.ip_numbers)
    if contract.technical_amount is None:
        contract.technical_amount = computed_technical_amount(contract)


def set_deductions(contract: Contract, items: list[dict]) -> None:
    """The deduction rows, replaced by the given ones in their order."""
    contract.deductions = [
        Deduction(position=i, kind=d.get("kind"), description=d.get("description"), amount=d.get("amount"))
        for i, d in enumerate(items)
    ]


def after_change(contract: Contract, changes: dict) -> FilingData:
    """The filing as it would read with the changes (amounts, validity, deductions, other parties as
    `filing_dict` gives them), for the filing's own checks of a change asked after registration."""
    filing = to_filing(contract)
    scalars = {k: v for k, v in changes.items() if k in ("amount", "technical_amount", "valid_until")}
    lists: dict = {}
    if "deductions" in changes:
        lists["deductions"] = tuple(
            DeductionData(d.get("kind"), d.get("description"), d.get("amount")) for d in changes["deductions"]
        )
    if "other_parties" in changes:
        lists["other_parties"] = tuple(
            OtherPartyData(
                role=p["role"],
                **{name: p.get(name) for name in PARTY_FIELDS if name != "country"},
                country=p.get("country") or "156",
            )
            for p in changes["other_parties"]
        )
    return replace(filing, **scalars, **lists)


def computed_technical_amount(contract: Contract) -> Decimal | None:
    """The contract amount minus the deductions, for a filing that leaves the technical amount empty; None while
    an amount is missing or the deductions leave nothing (the checks then say what is wrong)."""
    deducted = [d.amount for d in contract.deductions]
    if contract.amount is None or None in deducted:
        return None
    result = contract.amount - sum(deducted, Decimal("0.00"))
    return result if result > 0 else None


def create_draft(actor, data: dict) -> Contract:
    """A new draft filed by the actor's organisation."""
    if not has_permission(actor, Permission.CONTRACT_FILE) or actor.organisation_id is None:
        raise Forbidden(t("Only an enterprise's applicant account files contracts."))
    contract = Contract(
        organisation_id=actor.organisation_id,
        created_by_id=actor.id,
        status="draft",
        ip_numbers=[],
        acknowledged_warnings=[],
    )
    _apply(contract, data)
    db.session.add(contract)
    db.session.flush()
    transition(contract, actor, "draft", initial=True)
    run_checks(contract)
    return contract


def require_editable(actor, contract: Contract) -> None:
    if not can_file(actor, contract):
        raise Forbidden(t("Only the filing organisation may change this contract."))
    if not contract.is_editable:
        raise Conflict(t("A contract in status %(status)s cannot be changed.", status=contract.status))


def update_draft(actor, contract: Contract, data: dict) -> Contract:
    """Edit a draft, or a filing returned for amendment."""
    require_editable(actor, contract)
    before = filing_dict(contract)
    _apply(contract, data)
    db.session.flush()
    audit.record(actor, "contract.edit", "contract", contract.id, before, filing_dict(contract))
    run_checks(contract)
    return contract


def to_filing(contract: Contract) -> FilingData:
    """The pure data object the rule engine checks."""

    def fields(p: ContractParty | ContractOtherParty) -> dict:
        return {name: getattr(p, name) for name in PARTY_FIELDS if name != "country"} | {"country": p.country or "156"}

    def party(p: ContractParty | None) -> PartyData:
        return PartyData(**fields(p)) if p is not None else PartyData()

    license_ = None
    if any(v is not None for v in (contract.license_exclusivity, contract.license_territory, contract.license_years)):
        license_ = LicenseData(contract.license_exclusivity, contract.license_territory, contract.license_years)
    return FilingData(
        title=contract.title,
        category=contract.category,
        subtype=contract.subtype,
        equity=contract.contributed_as_equity,
        signed_by_internal_unit=contract.signed_by_internal_unit,
        government_funded=contract.government_funded,
        signed_on=contract.signed_on,
        valid_from=contract.valid_from,
        valid_until=contract.valid_until,
        seller=party(contract.seller),
        buyer=party(contract.buyer),
        other_parties=tuple(OtherPartyData(role=p.role, **fields(p)) for p in contract.other_parties),
        amount=contract.amount,
        deductions=tuple(DeductionData(d.kind, d.description, d.amount) for d in contract.deductions),
        technical_amount=contract.technical_amount,
        amount_fixed=contract.amount_fixed is not False,
        technical_field=contract.technical_field,
        ip_type=contract.ip_type,
        ip_numbers=tuple(contract.ip_numbers or ()),
        plan_category=contract.plan_category,
        payment_method=contract.payment_method,
        summary=contract.summary,
        license=license_,
        attachment_kinds=tuple(a.kind for a in contract.attachments),
    )


def _same_party(alias, party: ContractParty):
    if party.credit_code:
        return alias.credit_code == party.credit_code
    return and_(alias.id_number == party.id_number, alias.id_number.is_not(None))


def find_duplicate(contract: Contract) -> Contract | None:
    """Another live filing with the same seller, buyer, title, signing date and amount."""
    seller, buyer = contract.seller, contract.buyer
    if not (contract.title and contract.signed_on and contract.amount is not None and seller and buyer):
        return None
    if not (seller.credit_code or seller.id_number) or not (buyer.credit_code or buyer.id_number):
        return None
    s, b = aliased(ContractParty), aliased(ContractParty)
    query = (
        select(Contract)
        .join(s, and_(s.contract_id == Contract.id, s.role == "seller"))
        .join(b, and_(b.contract_id == Contract.id, b.role == "buyer"))
        .where(
            Contract.id != contract.id,
            Contract.title == contract.title,
            Contract.signed_on == contract.signed_on,
            Contract.amount == contract.amount,
            Contract.status.not_in(workflow.INACTIVE_FOR_DUPLICATES),
            _same_party(s, seller),
            _same_party(b, buyer),
        )
        .order_by(Contract.id)
    )
    return db.session.scalars(query).first()


def check_context(contract: Contract) -> CheckContext:
    """Everything the rules need from outside the filing: dates, the filer, stations, duplicates."""
    duplicate = find_duplicate(contract)
    label = None
    if duplicate is not None:
        label = duplicate.registration_number or f"#{duplicate.id}"
    organisation = contract.organisation
    return CheckContext(
        filed_on=contract.filed_on or today_local(),
        today=today_local(),
        filer_credit_code=organisation.credit_code,
        filer_id_number=organisation.id_number,
        served_area_codes=served_area_codes(),
        served_credit_codes=served_credit_codes(),
        known_area_codes=areas.is_known,
        duplicate_of=label,
    )


def run_checks(contract: Contract) -> list[Finding]:
    """Check the filing against the rule set of its filing date and store the findings."""
    context = check_context(contract)
    findings = check_filing(to_filing(contract), context)
    if contract.filed_on is None:  # a draft shows the rule set that would apply if filed today
        contract.rule_set = rule_set_for(context.filed_on).code
    rule_set = contract.rule_set
    contract.findings = [
        ContractFinding(
            position=i,
            code=f.code,
            severity=f.severity.value,
            field=f.field,
            message_zh=f.message_zh,
            message_en=f.message_en,
            rule_set=rule_set,
        )
        for i, f in enumerate(findings)
    ]
    db.session.flush()
    return findings


def _field_errors(findings: list[Finding]) -> list[FieldError]:
    lang = current_language()
    return [FieldError(f.code, f.field, f.message(lang)) for f in findings]


def submission_snapshot(contract: Contract) -> dict:
    """The filing as submitted, with its attachments (kind, file name, SHA-256, size, as the API lists them): kept in
    the history entry, read by the review page's "what changed" and by the printed filing form."""
    files = [{"kind": a.kind, "filename": a.filename, "sha256": a.sha256, "size": a.size} for a in contract.attachments]
    return {**filing_dict(contract), "attachments": files}


def submit(actor, contract: Contract, acknowledge: list[str] | None = None) -> Contract:
    """Submit to the station of the filer's area: no errors, every warning acknowledged."""
    require_editable(actor, contract)
    findings = run_checks(contract)
    errors = blocking(findings)
    if errors:
        raise ValidationFailed(
            t("The filing has errors that must be corrected before submission."),
            _field_errors(errors),
            keep_changes=True,
        )  # the findings stay for the applicant
    unacknowledged = [f for f in warnings(findings) if f.code not in set(acknowledge or [])]
    if unacknowledged:
        raise ValidationFailed(
            t("Confirm each warning before submitting."), _field_errors(unacknowledged), keep_changes=True
        )
    first = contract.filed_on is None
    if first:
        contract.filed_on = today_local()
        contract.rule_set = rule_set_for(contract.filed_on).code
    if contract.station_id is None:
        filer = contract.buyer if to_filing(contract).is_import else contract.seller
        contract.station = station_for_party(filer.credit_code, filer.area_code) if filer else None
    contract.acknowledged_warnings = sorted({f.code for f in warnings(findings)})
    contract.submitted_at = now_utc()
    restarted = not first and deadlines.on_amended_materials(contract)
    transition(
        contract,
        actor,
        "submitted",
        details={
            "acknowledged": contract.acknowledged_warnings,
            "station": contract.station.code,
            "rule_set": contract.rule_set,
            "resubmission": not first,
            "clock_restarted": restarted,
            "due_on": contract.due_on,
            "snapshot": submission_snapshot(contract),  # what the station received: the next resubmission's "before"
        },
    )
    if not first:
        mail.notify_station(contract, "resubmitted")
    return contract


def withdraw(actor, contract: Contract, note: str | None = None) -> Contract:
    """The applicant's own exit before a decision."""
    if not can_file(actor, contract):
        raise Forbidden(t("Only the filing organisation may withdraw this contract."))
    if not workflow.allows("withdraw", contract.status):
        raise Conflict(t("A contract in status %(status)s cannot be withdrawn.", status=contract.status))
    transition(contract, actor, "withdrawn", note=note)
    return contract


@dataclass
class ContractFilters:
    """What a list may be narrowed by."""

    status: str | None = None
    category: str | None = None
    q: str | None = None
    signed_from: object = None
    signed_to: object = None
    station: str | None = None
    due_before: object = None
    overdue: bool | None = None
    amount_min: object = None
    amount_max: object = None
    awaiting_approval: bool | None = None  # a registration or change waits for a second reviewer


def visible_contracts(user) -> Select:
    """The contracts the user may see, as a query (the rule is permissions.sight, shared with can_view)."""
    condition = visible_filter(user)
    return select(Contract) if condition is None else select(Contract).where(condition)


def encode_cursor(last_id: int) -> str:
    """An opaque cursor for the next page."""
    return base64.urlsafe_b64encode(f"c1:{last_id}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> int | None:
    """The position a cursor stands for; a malformed cursor is a 422."""
    if not cursor:
        return None
    try:
        prefix, value = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode().split(":")
        if prefix != "c1" or not value.isascii() or not value.isdigit() or not 0 < int(value) <= MAX_ID:
            raise ValueError(prefix)
        return int(value)
    except (ValueError, UnicodeDecodeError):
        raise ValidationFailed(
            t("The cursor is not valid."), [FieldError("cursor.invalid", "cursor", t("The cursor is not valid."))]
        ) from None


def apply_queue_filters(query: Select, filters: ContractFilters) -> Select:
    """The reviewer's queue filters: station, due date, overdue, amount range, awaiting a second approval."""
    if filters.station:
        query = query.where(Contract.station.has(code=filters.station))
    if filters.due_before:
        query = query.where(Contract.due_on <= filters.due_before)
    if filters.overdue is not None:
        late = and_(
            Contract.status.in_(workflow.UNDECIDED), Contract.due_on.is_not(None), Contract.due_on < today_local()
        )
        query = query.where(
            late
            if filters.overdue
            else or_(
                Contract.status.not_in(workflow.UNDECIDED), Contract.due_on.is_(None), Contract.due_on >= today_local()
            )
        )
    if filters.amount_min is not None:
        query = query.where(Contract.amount >= filters.amount_min)
    if filters.amount_max is not None:
        query = query.where(Contract.amount <= filters.amount_max)
    if filters.awaiting_approval:
        query = query.where(awaiting_approval())
    return query


def awaiting_approval():
    """The condition "a registration or change of this contract waits for a second reviewer"."""
    return (
        select(RegistrationProposal.id)
        .where(RegistrationProposal.contract_id == Contract.id, RegistrationProposal.status == "pending")
        .exists()
    )


# What a listed contract shows, loaded for the whole page with one query per relation instead of one per row.
LIST_ROW_LOAD = (
    selectinload(Contract.parties),
    joinedload(Contract.station),
    selectinload(Contract.proposals).joinedload(RegistrationProposal.proposed_by),
)
API_ITEM_LOAD = LIST_ROW_LOAD + (
    selectinload(Contract.other_parties),
    selectinload(Contract.deductions),
    selectinload(Contract.attachments),
    selectinload(Contract.findings),
    selectinload(Contract.history).joinedload(StatusChange.actor),
    selectinload(Contract.certificates),
)


def list_contracts(
    user, filters: ContractFilters, cursor: str | None = None, limit: int = 50, load: tuple = API_ITEM_LOAD
) -> tuple[list[Contract], str | None]:
    """One page of the user's visible contracts, newest first, and the cursor of the next page; `load` says which
    relations the caller shows (the API's full item by default, LIST_ROW_LOAD for a table)."""
    query = visible_contracts(user)
    if filters.status:
        query = query.where(Contract.status == filters.status)
    if filters.category:
        query = query.where(Contract.category == filters.category)
    if filters.q:
        pattern = f"%{filters.q.strip()}%"
        query = query.where(or_(Contract.title.like(pattern), Contract.registration_number.like(pattern)))
    if filters.signed_from:
        query = query.where(Contract.signed_on >= filters.signed_from)
    if filters.signed_to:
        query = query.where(Contract.signed_on <= filters.signed_to)
    query = apply_queue_filters(query, filters)
    after = decode_cursor(cursor)
    if after is not None:
        query = query.where(Contract.id < after)
    rows = list(db.session.scalars(query.options(*load).order_by(Contract.id.desc()).limit(limit + 1)))
    next_cursor = encode_cursor(rows[limit - 1].id) if len(rows) > limit else None
    return rows[:limit], next_cursor
