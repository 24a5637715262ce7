"""Organisation claims: an account speaks for its organisation only once a station or the bureau has confirmed it
against the business licence, or the station has registered a filing the organisation made as seller."""

from __future__ import annotations

from sqlalchemy import Select, select

from app import mail
from app.accounts.services import sessions
from app.audit.services import audit
from app.auth.permissions import Permission, has_permission
from app.domain.clock import now_utc
from app.errors import Conflict, FieldError, Forbidden, NotFound, ValidationFailed
from app.extensions import db
from app.filing.services import attachments
from app.i18n import t
from app.models import Contract, OrganisationClaim, Party, StationArea, User
from app.stations.lookup import station_for_area

OPEN_OR_HELD = ("pending", "confirmed")
OUTCOMES = ("confirm", "reject")
MAX_NOTE = 2000


def _snapshot(claim: OrganisationClaim) -> dict:
    return {
        "user_id": claim.user_id,
        "organisation_id": claim.organisation_id,
        "kind": claim.kind,
        "status": claim.status,
        "basis": claim.basis,
        "licence_sha256": claim.licence_sha256,
        "contract_id": claim.contract_id,
        "note": claim.note,
    }


def open_claim(user: User, organisation: Party) -> OrganisationClaim:
    """A sign-up's claim, unverified until the account's e-mail address is confirmed."""
    claim = OrganisationClaim(user=user, organisation=organisation, kind="first", status="unverified")
    db.session.add(claim)
    db.session.flush()
    return claim


def confirm_by_administrator(actor, user: User) -> OrganisationClaim:
    """An account made by the bureau or on the command line: an administrator vouches for it."""
    claim = OrganisationClaim(
        user=user,
        organisation=user.organisation,
        kind="first",
        status="confirmed",
        basis="administrator",
        decided_by_id=getattr(actor, "id", None),
        decided_at=now_utc(),
    )
    db.session.add(claim)
    db.session.flush()
    audit.record(actor, "claim.confirm", "organisation_claim", claim.id, None, _snapshot(claim))
    return claim


def confirm_by_invitation(actor: User, user: User) -> OrganisationClaim:
    """A member invited by an admin whose own claim is confirmed joins the organisation without a claim of its
    own to prove: the claim is confirmed on the admin's word (a contest won against the organisation later rejects
    it with the others)."""
    claim = user.claim or OrganisationClaim(user=user, organisation=user.organisation, kind="first")
    before = _snapshot(claim) if claim.id else None
    claim.status, claim.basis, claim.note = "confirmed", "invitation", None
    claim.decided_by_id, claim.decided_at = actor.id, now_utc()
    db.session.add(claim)
    db.session.flush()
    audit.record(actor, "claim.confirm", "organisation_claim", claim.id, before, _snapshot(claim))
    return claim


def rivals(claim: OrganisationClaim) -> list[OrganisationClaim]:
    """Other accounts' pending or confirmed claims on the same organisation (what a contest is decided against)."""
    return list(
        db.session.scalars(
            select(OrganisationClaim)
            .where(
                OrganisationClaim.organisation_id == claim.organisation_id,
                OrganisationClaim.id != claim.id,
                OrganisationClaim.status.in_(OPEN_OR_HELD),
            )
            .order_by(OrganisationClaim.id)
        )
    )


def submit(claim: OrganisationClaim) -> OrganisationClaim:
    """The e-mail address is confirmed: the claim waits for a decision, as a contest if others claim the
    organisation already."""
    claim.kind = "contest" if rivals(claim) else "first"
    claim.status = "pending"
    db.session.flush()
    audit.record(claim.user, "claim.submit", "organisation_claim", claim.id, None, _snapshot(claim))
    return claim


def upload_licence(actor: User, stream, filename: str | None) -> OrganisationClaim:
    """The business licence (营业执照) of the actor's pending claim, checked as any upload is."""
    claim = actor.claim
    if claim is None:
        raise NotFound("claim not found")
    if claim.status != "pending":
        raise Conflict(t("The claim has been decided; the licence can no longer be replaced."))
    before = _snapshot(claim)
    record_licence(claim, attachments.accept_upload(stream, field="licence"), filename)
    audit.record(actor, "claim.licence", "organisation_claim", claim.id, before, _snapshot(claim))
    return claim


def record_licence(claim: OrganisationClaim, stored: tuple[str, int, str], filename: str | None) -> None:
    """Put an accepted licence file (attachments.accept_upload's answer) on the claim."""
    claim.licence_sha256, claim.licence_size, claim.licence_media_type = stored
    claim.licence_filename = attachments.clean_filename(filename)
    claim.licence_uploaded_at = now_utc()
    db.session.flush()


# ---- who decides -------------------------------------------------------------------------------------------


def _serving_station_id(claim: OrganisationClaim) -> int | None:
    station = station_for_area(claim.organisation.area_code)
    return station.id if station else None


def can_see(user, claim: OrganisationClaim) -> bool:
    """The bureau sees every claim; a reviewer those of organisations in the station's areas."""
    if has_permission(user, Permission.CLAIM_RESOLVE):
        return True
    return (
        has_permission(user, Permission.CLAIM_REVIEW)
        and user.station_id is not None
        and _serving_station_id(claim) == user.station_id
    )


def can_decide(user, claim: OrganisationClaim) -> bool:
    """The bureau decides any pending claim; a station only a first claim that nobody contests."""
    if claim.status != "pending" or not can_see(user, claim):
        return False
    if has_permission(user, Permission.CLAIM_RESOLVE):
        return True
    return claim.kind == "first" and not any(r.kind == "contest" for r in rivals(claim))


def load(user, claim_id: int) -> OrganisationClaim:
    """A claim the user may see, else 404 (unverified sign-ups are nobody's business yet)."""
    claim = db.session.get(OrganisationClaim, claim_id)
    if claim is None or claim.status == "unverified" or not can_see(user, claim):
        raise NotFound("claim not found")
    return claim


def visible_claims(user, status: str | None = "pending") -> Select:
    """The claims the user reviews (newest first), by status; None for every decided or pending one."""
    query = select(OrganisationClaim).where(OrganisationClaim.status != "unverified")
    if status:
        query = query.where(OrganisationClaim.status == status)
    if not has_permission(user, Permission.CLAIM_RESOLVE):
        served = select(StationArea.area_code).where(StationArea.station_id == user.station_id)
        query = query.join(Party, Party.id == OrganisationClaim.organisation_id).where(Party.area_code.in_(served))
    return query.order_by(OrganisationClaim.id.desc())


# ---- decisions -------------------------------------------------------------------------------------------------


def _require_note(note: str | None) -> str:
    note = (note or "").strip()
    if not note:
        raise ValidationFailed(
            t("Say what was checked."), [FieldError("required", "note", t("This field is required."))]
        )
    if len(note) > MAX_NOTE:
        raise ValidationFailed(
            t("The note is too long."),
            [FieldError("note.too_long", "note", t("At most %(n)s characters.", n=MAX_NOTE))],
        )
    return note


def _close(
    actor, claim: OrganisationClaim, status: str, basis: str, note: str | None, contract: Contract | None = None
) -> None:
    """Record the decision, tell the account, and take the organisation away from a refused account."""
    before = _snapshot(claim)
    claim.status, claim.basis, claim.note = status, basis, note
    claim.decided_by_id, claim.decided_at = getattr(actor, "id", None), now_utc()
    claim.contract = contract
    if status == "rejected":
        # the account loses the organisation and is disabled: its sessions end and its tokens stop working at once
        claim.user.organisation_id = None
        claim.user.active = False
        sessions.end_sessions(claim.user)
    db.session.flush()
    audit.record(
        actor,
        f"claim.{'confirm' if status == 'confirmed' else 'reject'}",
        "organisation_claim",
        claim.id,
        before,
        _snapshot(claim),
    )
    mail.notify_user(claim.user.email, f"claim_{status}", claim=claim)


def decide(actor, claim: OrganisationClaim, outcome: str, note: str | None) -> OrganisationClaim:
    """Confirm or reject a pending claim with a note. Confirming a contest rejects every rival claim; a station
    decides only uncontested first claims."""
    if outcome not in OUTCOMES:
        raise ValidationFailed(
            t("Choose to confirm or to reject."),
            [FieldError("outcome.invalid", "outcome", t("Choose to confirm or to reject."))],
        )
    if claim.status != "pending":
        raise Conflict(t("The claim has already been decided."))
    if not can_decide(actor, claim):
        raise Forbidden(t("A contested claim is decided by the bureau."))
    note = _require_note(note)
    basis = "contest_resolution" if claim.kind == "contest" else "licence_review"
    if outcome == "reject":
        _close(actor, claim, "rejected", basis, note)
        return claim
    if claim.licence_sha256 is None:
        raise Conflict(t("A claim is confirmed against the business licence: none has been uploaded yet."))
    if claim.kind == "contest":
        for rival in rivals(claim):
            _close(actor, rival, "rejected", "contest_resolution", note)
    _close(actor, claim, "confirmed", basis, note)
    return claim


def confirm_by_registration(actor, contract: Contract) -> OrganisationClaim | None:
    """The station registered a filing the organisation made as seller (it checked the seller's documents):
    the filer's pending, uncontested claim is confirmed on that basis."""
    seller, organisation, filer = contract.seller, contract.organisation, contract.created_by
    if seller is None or not organisation.credit_code or seller.credit_code != organisation.credit_code:
        return None
    claim = filer.claim if filer is not None and filer.organisation_id == organisation.id else None
    if claim is None or claim.status != "pending" or claim.kind != "first" or rivals(claim):
        return None  # nothing to confirm, or a dispute only the bureau resolves
    _close(
        actor,
        claim,
        "confirmed",
        "seller_registration",
        t("Registered %(number)s as seller.", number=contract.registration_number),
        contract,
    )
    return claim
