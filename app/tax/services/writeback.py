"""The tax office answering back (税务回写): a tax officer records that a preference was claimed on a registration in
the officer's areas for a tax year, and objects to a registration; a reviewer of its station answers the objection.

The answer is the station's own act: "upheld" changes nothing, "corrected" goes through `review.change` (a new
certificate version, a "changed" feed event, the one four-eyes rule: where a second reviewer is needed the objection
stays open with the change proposal referenced until a second reviewer approves it, and is answered then),
"revoked" through `review.revoke`. Every act is on the contract's timeline (audited) and in the tax feed."""

from __future__ import annotations

from sqlalchemy import distinct, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from app import mail
from app.auth.permissions import Permission, can_review, can_view, has_permission
from app.domain import areas, workflow
from app.domain.clock import local, today_local
from app.domain.identifiers import credit_code_status
from app.errors import Conflict, FieldError, Forbidden, NotFound, ValidationFailed
from app.extensions import db
from app.filing.services.history import transition
from app.i18n import t
from app.models import Contract, TaxClaim, TaxObjection
from app.models.base import MAX_ID
from app.models.tax_answer import OBJECTION_OUTCOMES, PREFERENCES
from app.review.services import review
from app.tax.services import objection_answers, tax_office, taxfeed
from app.tax.services.tax_scope import scope_condition

# Each preference: the eligibility fact that grounds it (app/domain/eligibility.py) and the party it benefits.
PREFERENCE_FACT = {
    "vat_exemption": "vat_exemption",
    "income_tax_relief": "cit_transfer_income",
    "rd_super_deduction": "rd_super_deduction",
}
BENEFICIARY = {"vat_exemption": "seller", "income_tax_relief": "seller", "rd_super_deduction": "buyer"}


def _invalid(code: str, field: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, [FieldError(code, field, message)])


def _require_officer(actor) -> None:
    if not has_permission(actor, Permission.TAX_WRITE_BACK):
        raise Forbidden(t("Only a tax officer records claims and objections."))


def tax_office_of(user) -> str:
    """The office an officer acts for, named by the areas it serves (the first and how many more)."""
    codes = list(user.area_codes)
    if not codes:
        return t("Tax office")
    first = areas.full_name(codes[0]) or codes[0]
    if len(codes) == 1:
        return first[:200]
    cities = {code[:4] for code in codes}
    city = areas.full_name(f"{cities.pop()}00") if len(cities) == 1 else None
    if city:  # every area in one city: the city's office
        return t("%(area)s (%(n)s areas)", area=city, n=len(codes))[:200]
    return t("%(area)s and %(n)s other areas", area=first, n=len(codes) - 1)[:200]


def _parties_in_role(contract: Contract, role: str) -> list:
    first = contract.seller if role == "seller" else contract.buyer
    return [p for p in (first, *(p for p in contract.other_parties if p.role == role)) if p is not None]


def claimants(contract: Contract) -> list:
    """The sellers and buyers of the registration that have a credit code: who may claim (what the page offers)."""
    parties = [p for role in ("seller", "buyer") for p in _parties_in_role(contract, role) if p.credit_code]
    return list({(p.role, p.credit_code): p for p in parties}.values())


def _check_claim(contract: Contract, facts: dict, preference: str, tax_year: int, code: str):
    """The claimant is a party entitled to the preference, the preference is not excluded by the registration's
    facts, and the tax year is one the registration can ground; returns the claimant party."""
    if preference not in PREFERENCES:
        raise _invalid("code.unknown", "preference", t("Unknown preference."))
    if credit_code_status(code) != "valid":
        raise _invalid("credit_code.invalid", "claimant_credit_code", t("Enter a valid unified social credit code."))
    first_year = (contract.signed_on or contract.registered_on or today_local()).year
    if not first_year <= tax_year <= today_local().year:
        raise _invalid(
            "tax_year.range",
            "tax_year",
            t("The tax year must be between %(first)s and %(last)s.", first=first_year, last=today_local().year),
        )
    party = next((p for p in _parties_in_role(contract, BENEFICIARY[preference]) if p.credit_code == code), None)
    if party is None:
        message = (
            t("This preference is the seller's: the claimant is not a seller of this registration.")
            if BENEFICIARY[preference] == "seller"
            else t("This preference is the buyer's: the claimant is not a buyer of this registration.")
        )
        raise _invalid("claimant.not_entitled", "claimant_credit_code", message)
    fact = facts[PREFERENCE_FACT[preference]]
    if fact["eligible"] is False:
        raise _invalid(
            "preference.not_eligible",
            "preference",
            t("The registration does not ground this preference: %(reason)s", reason=fact["reason"]),
        )
    return party


def _duplicate(claim: TaxClaim) -> Conflict:
    """The refusal of a second record, naming who recorded the first and when (name and office, not e-mail)."""
    message = t(
        "This claim was already recorded by %(name)s (%(office)s) on %(when)s.",
        name=claim.recorded_by.name,
        office=claim.tax_office,
        when=local(claim.recorded_at).strftime("%Y-%m-%d %H:%M"),
    )
    return Conflict(message, [FieldError("tax_claim.duplicate", "claimant_credit_code", message)])


def _first_claim(contract: Contract, preference: str, code: str, tax_year: int) -> TaxClaim | None:
    return db.session.scalars(
        select(TaxClaim).where(
            TaxClaim.contract_id == contract.id,
            TaxClaim.preference == preference,
            TaxClaim.claimant_credit_code == code,
            TaxClaim.tax_year == tax_year,
        )
    ).first()


def record_claim(actor, number: str, preference: str, tax_year: int, claimant_credit_code: str) -> TaxClaim:
    """Record that the claimant used the preference on the registration for the tax year (once: a second record
    is a 409 naming the first recorder)."""
    _require_officer(actor)
    contract, facts = tax_office.lookup(actor, number)  # NotFound outside the officer's areas
    if not workflow.allows("record_tax_claim", contract.status):
        raise Conflict(t("Claims are recorded only on a registration in force."))
    code = (claimant_credit_code or "").strip().upper()
    party = _check_claim(contract, facts, preference, tax_year, code)
    first = _first_claim(contract, preference, code, tax_year)
    if first is not None:
        raise _duplicate(first)
    claim = TaxClaim(
        contract_id=contract.id,
        preference=preference,
        tax_year=tax_year,
        claimant_credit_code=code,
        claimant_name=party.name,
        recorded_by_id=actor.id,
        tax_office=tax_office_of(actor),
    )
    try:
        with db.session.begin_nested():  # two officers at once: the unique constraint decides, the loser hears who
            db.session.add(claim)
            db.session.flush()
    except IntegrityError:
        raise _duplicate(_first_claim(contract, preference, code, tax_year)) from None
    details = described_claim(claim)
    transition(contract, actor, contract.status, details={"action": "tax_claim", **details})
    taxfeed.record(contract, "tax_claim", tax_claim=details)
    return claim


def described_claim(claim: TaxClaim) -> dict:
    """The claim as the feed and the timeline carry it (the office, not the officer's e-mail)."""
    return {
        "claim_id": claim.id,
        "preference": claim.preference,
        "tax_year": claim.tax_year,
        "claimant_credit_code": claim.claimant_credit_code,
        "claimant_name": claim.claimant_name,
        "tax_office": claim.tax_office,
    }


def raise_objection(actor, number: str, reason: str | None) -> TaxObjection:
    """Object to a registration in the officer's areas: a re-review the station answers (one open at a time)."""
    _require_officer(actor)
    contract, _facts = tax_office.lookup(actor, number)
    reason = (reason or "").strip()
    if not reason:
        raise _invalid("required", "reason", t("Give a reason."))
    if not workflow.allows("object", contract.status):
        raise Conflict(t("Objections are possible only to a registration in force."))
    if _open_objection(contract) is not None:
        raise Conflict(t("An objection to this registration is already waiting for the station's answer."))
    objection = TaxObjection(
        contract_id=contract.id, reason=reason, raised_by_id=actor.id, tax_office=tax_office_of(actor)
    )
    db.session.add(objection)
    db.session.flush()
    details = objection_answers.described(objection)
    transition(
        contract,
        actor,
        contract.status,
        note=reason,
        details={"action": "objection_raised", "objection_id": objection.id, "tax_office": objection.tax_office},
    )
    taxfeed.record(contract, "objection", objection=details)
    mail.notify_station(contract, "objection_raised", objection=objection)
    mail.notify_applicant(contract, "objection_notice", objection=objection)
    return objection


def _open_objection(contract: Contract) -> TaxObjection | None:
    return db.session.scalars(
        select(TaxObjection).where(TaxObjection.contract_id == contract.id, TaxObjection.status == "open")
    ).first()


def _for_station(actor, objection_id: int) -> TaxObjection:
    """The objection if the actor sees its contract (else 404), may answer it (else 403), while open (else 409)."""
    objection = db.session.get(TaxObjection, objection_id) if 0 < objection_id <= MAX_ID else None
    if objection is None or not can_view(actor, objection.contract):
        raise NotFound(t("No such objection."))
    if not can_review(actor, objection.contract):
        raise Forbidden(t("Only a reviewer of the registration's station answers objections."))
    if objection.status != "open" or not workflow.allows("answer_objection", objection.contract.status):
        raise Conflict(t("This objection has already been answered."))
    return objection


def answer(actor, objection_id: int, outcome: str, note: str | None, changes: dict | None = None) -> TaxObjection:
    """The station answers: upheld (nothing changes), corrected (a change of the registration, with four eyes
    where the rule says so) or revoked."""
    objection = _for_station(actor, objection_id)
    contract = objection.contract
    if outcome not in OBJECTION_OUTCOMES:
        raise _invalid("code.unknown", "outcome", t("Unknown outcome."))
    note = (note or "").strip()
    if not note:
        raise _invalid("required", "note", t("Give a reason."))
    if objection.awaits_second_approval:
        if outcome == "corrected" and not changes:
            review.approve(actor, contract)  # never the proposer; answers the objection with the change
            return objection
        objection.proposal.status = "withdrawn"  # another answer replaces the proposed correction
    objection.proposal, objection.proposed_by_id = None, None
    if outcome == "upheld":
        return objection_answers.settle(actor, objection, "upheld", note)
    if outcome == "revoked":
        objection_answers.settle(actor, objection, "revoked", note)
        review.revoke(actor, contract, t("On the tax office's objection: %(note)s", note=note))
        return objection
    if not changes:
        raise _invalid("required", "changes", t("A correction states what changes."))
    review.change(actor, contract, changes, t("On the tax office's objection: %(note)s", note=note))
    pending = contract.pending_change
    if pending is not None:  # four eyes: the objection is answered when a second reviewer approves the change
        objection.proposal, objection.proposed_by_id, objection.answer_note = pending, actor.id, note
        return objection
    return objection_answers.settle(actor, objection, "corrected", note)


def get_objection(user, objection_id: int) -> TaxObjection:
    """One objection, for whoever may list it (its officer's office, the bureau, the station); else 404."""
    objection = db.session.get(TaxObjection, objection_id) if 0 < objection_id <= MAX_ID else None
    if objection is None or not _sees_objection(user, objection):
        raise NotFound(t("No such objection."))
    return objection


def _sees_objection(user, objection: TaxObjection) -> bool:
    """The tax officers of the registration's areas, and whoever sees the registration (its organisation, its
    station, the bureau)."""
    if has_permission(user, Permission.TAX_WRITE_BACK):
        return (
            db.session.scalar(
                select(func.count())
                .select_from(Contract)
                .where(Contract.id == objection.contract_id, scope_condition(user))
            )
            == 1
        )
    return can_view(user, objection.contract)


def may_answer_back(user) -> bool:
    """Whether the user records claims and objections (what the look-up page offers)."""
    return has_permission(user, Permission.TAX_WRITE_BACK)


def claims_on(contract: Contract) -> list[TaxClaim]:
    """The claims recorded on one registration, by tax year and preference (its page already checked the scope)."""
    return list(
        db.session.scalars(
            select(TaxClaim)
            .where(TaxClaim.contract_id == contract.id)
            .order_by(TaxClaim.tax_year.desc(), TaxClaim.preference, TaxClaim.id)
        )
    )


def objections_on(contract: Contract) -> list[TaxObjection]:
    """The objections to one registration, newest first."""
    return list(
        db.session.scalars(
            select(TaxObjection)
            .where(TaxObjection.contract_id == contract.id)
            .order_by(TaxObjection.raised_at.desc(), TaxObjection.id.desc())
        )
    )


def list_claims(user, tax_year: int | None = None, mine: bool = False, limit: int = 100, offset: int = 0):
    """Claims newest first: a tax officer's in the officer's areas (only the officer's own with `mine`), the
    bureau's all; anyone else is refused."""
    query = select(TaxClaim).join(TaxClaim.contract).options(selectinload(TaxClaim.contract))
    if has_permission(user, Permission.TAX_WRITE_BACK):
        query = query.where(scope_condition(user))
        if mine:
            query = query.where(TaxClaim.recorded_by_id == user.id)
    elif not has_permission(user, Permission.TAX_WRITE_BACK_READ):
        raise Forbidden(t("Only tax officers and the bureau read tax claims."))
    if tax_year is not None:
        query = query.where(TaxClaim.tax_year == tax_year)
    order = (TaxClaim.recorded_at.desc(), TaxClaim.id.desc())
    return list(db.session.scalars(query.order_by(*order).limit(limit).offset(offset)))


def list_objections(user, status: str | None = None, mine: bool = False, limit: int = 100, offset: int = 0):
    """Objections newest first: a tax officer's in the officer's areas (the officer's own with `mine`), the
    bureau's all, a reviewer's on the station's registrations; an applicant is refused."""
    query = select(TaxObjection).join(TaxObjection.contract).options(selectinload(TaxObjection.contract))
    if has_permission(user, Permission.TAX_WRITE_BACK):
        query = query.where(scope_condition(user))
        if mine:
            query = query.where(TaxObjection.raised_by_id == user.id)
    elif has_permission(user, Permission.TAX_WRITE_BACK_READ):
        pass
    elif has_permission(user, Permission.CONTRACT_REVIEW) and user.station_id is not None:
        query = query.where(Contract.station_id == user.station_id)
    else:
        raise Forbidden(t("Only tax officers, the bureau and stations read objections."))
    if status is not None:
        query = query.where(TaxObjection.status == status)
    order = (TaxObjection.raised_at.desc(), TaxObjection.id.desc())
    return list(db.session.scalars(query.order_by(*order).limit(limit).offset(offset)))


def preferences_used() -> list[dict]:
    """Preferences used per tax year and preference, in one aggregate query: claims, registrations, and the
    certified technical amount of those registrations (each counted once however many claimants it has)."""
    per_contract = (
        select(
            TaxClaim.tax_year,
            TaxClaim.preference,
            TaxClaim.contract_id,
            func.count(TaxClaim.id).label("claims"),
        )
        .group_by(TaxClaim.tax_year, TaxClaim.preference, TaxClaim.contract_id)
        .subquery()
    )
    rows = db.session.execute(
        select(
            per_contract.c.tax_year,
            per_contract.c.preference,
            func.sum(per_contract.c.claims).label("claims"),
            func.count(distinct(per_contract.c.contract_id)).label("registrations"),
            func.coalesce(func.sum(Contract.certified_technical_amount), 0).label("certified_technical_amount"),
        )
        .join(Contract, Contract.id == per_contract.c.contract_id)
        .group_by(per_contract.c.tax_year, per_contract.c.preference)
        .order_by(per_contract.c.tax_year.desc(), per_contract.c.preference)
    )
    return [
        {
            "tax_year": row.tax_year,
            "preference": row.preference,
            "claims": int(row.claims),
            "registrations": int(row.registrations),
            "certified_technical_amount": row.certified_technical_amount,
        }
        for row in rows
    ]
