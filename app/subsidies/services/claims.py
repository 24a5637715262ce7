"""Claims on subsidy programmes: who may claim on which registration, the amount, and the bureau's decisions.

Money never leaves twice and the budget is never exceeded, even when bureau staff act at the same moment: a claim is
unique per (programme, registration number, beneficiary) in the database, and approving or paying locks the
programme's row (SELECT … FOR UPDATE on PostgreSQL; SQLite serialises writers) and re-reads the claim and the sums
inside that lock before it writes. Paying needs a second person (four_eyes.may_pay)."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app.audit.services import audit
from app.auth.permissions import Permission, has_permission, speaks_for_organisation
from app.domain import four_eyes
from app.domain.subsidies import (
    BENEFICIARIES,
    CLAIM_STATUSES,
    COMMITTED,
    basis_amount,
    in_programme_year,
    subsidy_amount,
)
from app.errors import Conflict, FieldError, Forbidden, NotFound, ValidationFailed
from app.extensions import db
from app.i18n import current_language, t
from app.models import Contract, SubsidyClaim, SubsidyProgramme
from app.models.base import MAX_ID, utcnow
from app.subsidies.services import programmes

OPEN_STATUSES = ("pending", "approved")
LIST_LIMIT = 500


def organisation_of(actor) -> tuple[str, str]:
    """The credit code and name the applicant speaks for (a confirmed claim on its organisation)."""
    if not has_permission(actor, Permission.SUBSIDY_CLAIM):
        raise Forbidden(t("Only an enterprise claims subsidies."))
    organisation = actor.organisation
    if not speaks_for_organisation(actor) or organisation is None or not organisation.credit_code:
        raise Forbidden(t("Your account must be confirmed for its organisation before it claims a subsidy."))
    return organisation.credit_code, organisation.name


def roles_in(contract: Contract, credit_code: str) -> dict[str, str]:
    """role → the name written in the contract, for each role the organisation holds in it (first seller or buyer,
    or a party beside them: co-seller, further buyer, intermediary)."""
    roles = {p.role: p.name or "" for p in contract.parties if p.credit_code == credit_code}
    for other in contract.other_parties:
        if other.credit_code == credit_code:
            roles.setdefault(other.role, other.name or "")
    return roles


def registration(number: str) -> Contract:
    """The local registration with this number (in force or ended), or 404."""
    contract = db.session.scalars(select(Contract).where(Contract.registration_number == number)).first()
    if contract is None:
        raise NotFound(
            t(
                "No registration %(number)s in this registry: a registration of another city is claimed with its certificate.",
                number=number,
            )
        )
    return contract


def committed(
    programme_id: int, credit_code: str | None = None, exclude: int | None = None, statuses=COMMITTED
) -> Decimal:
    """The sum of the programme's claims in `statuses` (of one beneficiary if given, without claim `exclude`)."""
    statement = select(func.coalesce(func.sum(SubsidyClaim.amount), 0)).where(
        SubsidyClaim.programme_id == programme_id, SubsidyClaim.status.in_(statuses)
    )
    if credit_code is not None:
        statement = statement.where(SubsidyClaim.beneficiary_credit_code == credit_code)
    if exclude is not None:
        statement = statement.where(SubsidyClaim.id != exclude)
    return Decimal(db.session.scalar(statement))


def left_for_organisation(
    programme: SubsidyProgramme, credit_code: str, statuses=(*COMMITTED, "pending")
) -> Decimal | None:
    if programme.cap_per_organisation_year is None:
        return None
    return programme.cap_per_organisation_year - committed(programme.id, credit_code, statuses=statuses)


def why_not(programme: SubsidyProgramme, contract: Contract, roles: dict[str, str]) -> str | None:
    """Why the registration does not qualify for the programme (a sentence), or None when it does."""
    if programme.beneficiary not in roles:
        return t(
            "Your organisation is not the %(role)s of this registration.",
            role=BENEFICIARIES[programme.beneficiary].for_locale(current_language()),
        )
    if contract.status != "registered":
        return t("The registration is not in force.")
    if not in_programme_year(programme.year, contract.registered_on):
        return t("The programme pays on registrations of %(year)s.", year=programme.year)
    if programme.categories and contract.category not in programme.categories:
        return t("The programme does not cover this category.")
    if contract.amount_fixed is False:
        return t("The amount was not fixed at signing: it must be supplemented before a subsidy depends on it.")
    if not _basis(programme, contract):
        return t("The registration has no amount on the programme's basis.")
    return None


def _basis(programme: SubsidyProgramme, contract: Contract) -> Decimal | None:
    technical = (
        contract.certified_technical_amount
        if contract.certified_technical_amount is not None
        else contract.technical_amount
    )
    return basis_amount(programme.basis, contract.category, contract.amount, technical, contract.contributed_as_equity)


def store(actor, claim: SubsidyClaim) -> SubsidyClaim:
    """Insert the claim; a claim on the same programme, registration and beneficiary already there is a 409, also
    when it was written a moment ago by another request (the unique constraint decides)."""
    duplicate = db.session.scalar(
        select(SubsidyClaim.id).where(
            SubsidyClaim.programme_id == claim.programme_id,
            SubsidyClaim.registration_number == claim.registration_number,
            SubsidyClaim.beneficiary_credit_code == claim.beneficiary_credit_code,
        )
    )
    if duplicate is None:
        try:
            with db.session.begin_nested():
                db.session.add(claim)
                db.session.flush()
        except IntegrityError:
            duplicate = 0
    if duplicate is not None:
        raise Conflict(t("This registration has already been claimed on this programme for this beneficiary."))
    audit.record(actor, "subsidy_claim.create", "subsidy_claim", claim.id, None, snapshot(claim))
    return claim


def snapshot(claim: SubsidyClaim) -> dict:
    return {
        "programme": claim.programme_id,
        "registration_number": claim.registration_number,
        "beneficiary": claim.beneficiary_credit_code,
        "role": claim.beneficiary_role,
        "basis_amount": claim.basis_amount,
        "amount": claim.amount,
        "status": claim.status,
        "flagged": claim.flagged,
    }


def claim(actor, programme_id: int, number: str, beneficiary: dict | None = None) -> SubsidyClaim:
    """An enterprise claims on a local registration; for a platform programme the bureau claims on behalf of the
    platform operator it names (`beneficiary`: credit_code, name)."""
    programme = programmes.get(actor, programme_id)
    if not programmes.is_open(programme):
        raise Conflict(t("The programme does not take claims today."))
    contract = registration(number)
    if programme.beneficiary == "platform":
        programmes.require_manager(actor)
        if not beneficiary or not beneficiary.get("credit_code") or not beneficiary.get("name"):
            raise ValidationFailed(
                t("Name the platform operator."),
                [FieldError("required", "beneficiary", t("Name the platform operator."))],
            )
        credit_code, name = beneficiary["credit_code"], beneficiary["name"]
        roles = {"platform": name}
    else:
        credit_code, _ = organisation_of(actor)
        roles = roles_in(contract, credit_code)
        if programme.beneficiary not in roles:
            raise Forbidden(
                t(
                    "Your organisation is not the %(role)s of this registration.",
                    role=BENEFICIARIES[programme.beneficiary].for_locale(current_language()),
                )
            )
        name = roles[programme.beneficiary] or actor.organisation.name
    reason = why_not(programme, contract, roles)
    if reason:
        raise Conflict(reason)
    basis = _basis(programme, contract)
    amount = subsidy_amount(
        programme.rate, basis, programme.cap_per_contract, left_for_organisation(programme, credit_code)
    )
    if amount <= 0:
        raise Conflict(t("Your organisation has reached the programme's cap for the year."))
    return store(
        actor,
        SubsidyClaim(
            programme_id=programme.id,
            contract_id=contract.id,
            registration_number=contract.registration_number,
            beneficiary_credit_code=credit_code,
            beneficiary_name=name,
            beneficiary_role=programme.beneficiary,
            category=contract.category,
            registered_on=contract.registered_on,
            basis_amount=basis,
            amount=amount,
            claimed_by_id=actor.id,
        ),
    )


def get(actor, claim_id: int) -> SubsidyClaim:
    """A claim the actor may see: the bureau any, an enterprise its organisation's; else 404."""
    found = db.session.get(SubsidyClaim, claim_id) if 0 < claim_id <= MAX_ID else None
    if found is not None and not has_permission(actor, Permission.SUBSIDY_MANAGE):
        credit_code, _ = organisation_of(actor)
        found = found if found.beneficiary_credit_code == credit_code else None
    if found is None:
        raise NotFound(t("No such subsidy claim."))
    return found


def listing(actor, status: str | None = None, programme_id: int | None = None) -> list[SubsidyClaim]:
    """The first page of page()."""
    return page(actor, status, programme_id)[0]


def page(
    actor, status: str | None = None, programme_id: int | None = None, before: int | None = None
) -> tuple[list[SubsidyClaim], int | None]:
    """The bureau's claims (all) or the enterprise's own, newest first, filtered by status and programme, LIST_LIMIT
    at a time: those older than the claim `before`, and the `before` of the next page (None on the last)."""
    statement = select(SubsidyClaim).order_by(SubsidyClaim.id.desc()).limit(LIST_LIMIT + 1)
    if before:
        statement = statement.where(SubsidyClaim.id < before)
    if not has_permission(actor, Permission.SUBSIDY_MANAGE):
        credit_code, _ = organisation_of(actor)
        statement = statement.where(SubsidyClaim.beneficiary_credit_code == credit_code)
    if status:
        statement = statement.where(SubsidyClaim.status == status)
    if programme_id:
        statement = statement.where(SubsidyClaim.programme_id == programme_id)
    found = list(db.session.scalars(statement))
    items = found[:LIST_LIMIT]
    return items, (items[-1].id if len(found) > LIST_LIMIT else None)


def _locked(actor, claim_id: int) -> tuple[SubsidyProgramme, SubsidyClaim]:
    """The claim's programme locked for the decision, then the claim re-read under that lock (committed state)."""
    programmes.require_manager(actor)
    found = get(actor, claim_id)
    programme = db.session.execute(
        select(SubsidyProgramme)
        .where(SubsidyProgramme.id == found.programme_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).scalar_one()
    found = db.session.execute(
        select(SubsidyClaim)
        .where(SubsidyClaim.id == claim_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).scalar_one()
    return programme, found


def _not_now(found: SubsidyClaim) -> Conflict:
    """The refusal of an act the claim's status does not allow, naming the status in the reader's language."""
    status = CLAIM_STATUSES[found.status].for_locale(current_language())
    return Conflict(t("This claim is %(status)s: that cannot be done now.", status=status))


def _require(found: SubsidyClaim, status: str) -> None:
    if found.status != status:
        raise _not_now(found)


def approve(actor, claim_id: int, certificate_checked: bool = False) -> SubsidyClaim:
    """Approve a pending claim within the budget and the organisation's cap (the amount shrinks to what the cap
    leaves; a claim the budget cannot hold in full is refused). A claim on another registry's registration is
    approved only once the bureau states it checked the certificate against the declared facts."""
    programme, found = _locked(actor, claim_id)
    _require(found, "pending")
    if found.flagged:
        raise Conflict(t("The registration of this claim ended: clear the flag or reject the claim."))
    if found.external and not certificate_checked:
        raise ValidationFailed(
            t("Check the other registry's certificate against the declared facts first."),
            [
                FieldError(
                    "subsidy.certificate_unchecked",
                    "certificate_checked",
                    t("Confirm that you checked the certificate."),
                )
            ],
        )
    before = snapshot(found)
    amount = found.amount
    if programme.cap_per_organisation_year is not None:
        left = programme.cap_per_organisation_year - committed(programme.id, found.beneficiary_credit_code, found.id)
        amount = min(amount, max(left, Decimal("0.00")))
    if amount <= 0:
        raise Conflict(t("The beneficiary has reached the programme's cap for the year."))
    left_in_budget = programme.budget - committed(programme.id, exclude=found.id)
    if amount > left_in_budget:
        raise Conflict(
            t("The budget cannot hold this claim: %(left)s yuan left.", left=f"{max(left_in_budget, 0):.2f}")
        )
    found.amount, found.status, found.decided_by_id, found.decided_at = amount, "approved", actor.id, utcnow()
    db.session.flush()
    audit.record(actor, "subsidy_claim.approve", "subsidy_claim", found.id, before, snapshot(found))
    return found


def reject(actor, claim_id: int, reason: str | None) -> SubsidyClaim:
    """Reject a pending or approved (unpaid) claim, with the reason the enterprise reads."""
    programme, found = _locked(actor, claim_id)
    if not (reason or "").strip():
        raise ValidationFailed(t("State why."), [FieldError("required", "reason", t("This field is required."))])
    if found.status not in OPEN_STATUSES:
        raise _not_now(found)
    before = snapshot(found)
    found.status, found.rejection_reason = "rejected", reason.strip()
    found.decided_by_id, found.decided_at = actor.id, utcnow()
    db.session.flush()
    audit.record(
        actor, "subsidy_claim.reject", "subsidy_claim", found.id, before, {**snapshot(found), "reason": reason.strip()}
    )
    return found


def pay(actor, claim_id: int) -> SubsidyClaim:
    """Mark an approved, unflagged claim paid: by another bureau account than the one that approved it."""
    programme, found = _locked(actor, claim_id)
    _require(found, "approved")
    if found.flagged:
        raise Conflict(t("The registration of this claim ended: clear the flag or reject the claim before paying."))
    if not four_eyes.may_pay(found.decided_by_id, actor.id):
        raise Forbidden(t("Whoever approved a claim cannot also pay it: a second bureau account pays."))
    paid = committed(programme.id, exclude=found.id, statuses=("paid",))
    if paid + found.amount > programme.budget:  # approvals keep this true; the check costs nothing
        raise Conflict(t("The budget cannot hold this payment."))
    before = snapshot(found)
    found.status, found.paid_by_id, found.paid_at = "paid", actor.id, utcnow()
    db.session.flush()
    audit.record(actor, "subsidy_claim.pay", "subsidy_claim", found.id, before, snapshot(found))
    return found


def clear_flag(actor, claim_id: int, note: str | None) -> SubsidyClaim:
    """Lift the flag of an ended registration (the bureau found the subsidy still due), with a note."""
    programme, found = _locked(actor, claim_id)
    if not found.flagged:
        raise Conflict(t("This claim is not flagged."))
    if not (note or "").strip():
        raise ValidationFailed(t("State why."), [FieldError("required", "note", t("This field is required."))])
    before = snapshot(found)
    found.flagged, found.cleared_by_id, found.cleared_at = False, actor.id, utcnow()
    db.session.flush()
    audit.record(
        actor, "subsidy_claim.clear_flag", "subsidy_claim", found.id, before, {**snapshot(found), "note": note.strip()}
    )
    return found


def flag_registration(actor, contract: Contract, ended: str, reason: str) -> int:
    """A cancelled or revoked registration flags every claim on it that is not rejected (a paid one too: the
    bureau may have to recover it); returns how many."""
    claims = db.session.scalars(
        select(SubsidyClaim).where(SubsidyClaim.contract_id == contract.id, SubsidyClaim.status != "rejected")
    ).all()
    for found in claims:
        before = snapshot(found)
        found.flagged, found.flagged_at = True, utcnow()
        found.flag_reason = t(
            "The registration was %(ended)s: %(reason)s",
            ended={"cancelled": "注销", "revoked": "撤销"}.get(ended, ended),
            reason=reason,
        )
        audit.record(actor, "subsidy_claim.flag", "subsidy_claim", found.id, before, snapshot(found))
    db.session.flush()
    return len(claims)


def claimed_keys(credit_code: str) -> set[tuple[int, str]]:
    """(programme, registration number) already claimed by the organisation."""
    rows = db.session.execute(
        select(SubsidyClaim.programme_id, SubsidyClaim.registration_number).where(
            SubsidyClaim.beneficiary_credit_code == credit_code
        )
    ).all()
    return {(p, n) for p, n in rows}
