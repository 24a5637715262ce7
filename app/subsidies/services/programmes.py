"""Subsidy programmes: the bureau defines them and edits them until the first claim; applicants see open ones."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import func, select

from app.audit.services import audit
from app.auth.permissions import Permission, has_permission
from app.domain.catalogue import CATEGORIES
from app.domain.clock import today_local
from app.domain.subsidies import BASES, BENEFICIARIES, COMMITTED
from app.errors import Conflict, FieldError, Forbidden, NotFound, ValidationFailed
from app.extensions import db
from app.i18n import t
from app.models import SubsidyClaim, SubsidyProgramme
from app.models.base import MAX_ID

FIELDS = (
    "name",
    "year",
    "beneficiary",
    "basis",
    "rate",
    "cap_per_contract",
    "cap_per_organisation_year",
    "budget",
    "categories",
    "open_from",
    "open_until",
)


def _invalid(code: str, field: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, [FieldError(code, field, message)])


def require_manager(actor) -> None:
    """Only the bureau defines programmes and decides claims."""
    if not has_permission(actor, Permission.SUBSIDY_MANAGE):
        raise Forbidden(t("Only the bureau manages subsidy programmes."))


def _checked(data: dict) -> dict:
    """The programme's fields, each within its rule (the schema checks the shapes, this the meaning)."""
    values = {name: data.get(name) for name in FIELDS}
    if not (values["name"] or "").strip():
        raise _invalid("required", "name", t("This field is required."))
    values["name"] = values["name"].strip()
    if values["beneficiary"] not in BENEFICIARIES:
        raise _invalid("code.unknown", "beneficiary", t("Choose who benefits."))
    if values["basis"] not in BASES:
        raise _invalid("code.unknown", "basis", t("Choose the amount the rate applies to."))
    rate = values["rate"]
    if rate is None or not Decimal("0") < rate <= Decimal("1"):
        raise _invalid("subsidy.rate", "rate", t("The rate is a fraction above 0 and at most 1 (0.05 is 5 %)."))
    if values["budget"] is None or values["budget"] <= 0:
        raise _invalid("subsidy.budget", "budget", t("The budget must be more than zero."))
    unknown = [c for c in values["categories"] or [] if c not in CATEGORIES]
    if unknown:
        raise _invalid("code.unknown", "categories", t("Unknown category: %(code)s", code=unknown[0]))
    values["categories"] = sorted(set(values["categories"] or []))
    if values["open_from"] is None or values["open_until"] is None or values["open_from"] > values["open_until"]:
        raise _invalid("date.order", "open_until", t("The window must end on or after the day it opens."))
    if values["year"] is None or not 2000 <= values["year"] <= 2100:
        raise _invalid("subsidy.year", "year", t("State the year of the registrations the programme pays on."))
    return values


def create(actor, data: dict) -> SubsidyProgramme:
    """A new programme (bureau)."""
    require_manager(actor)
    values = _checked(data)
    programme = SubsidyProgramme(**values, created_by_id=actor.id)
    db.session.add(programme)
    db.session.flush()
    audit.record(actor, "subsidy_programme.create", "subsidy_programme", programme.id, None, values)
    return programme


def update(actor, programme: SubsidyProgramme, data: dict) -> SubsidyProgramme:
    """Change a programme as long as nobody has claimed on it (a claim's amount depends on its terms)."""
    require_manager(actor)
    if claim_count(programme) > 0:
        raise Conflict(t("The programme has claims: its terms can no longer change."))
    before = {name: getattr(programme, name) for name in FIELDS}
    values = _checked(data)
    for name, value in values.items():
        setattr(programme, name, value)
    db.session.flush()
    audit.record(actor, "subsidy_programme.update", "subsidy_programme", programme.id, before, values)
    return programme


def claim_count(programme: SubsidyProgramme) -> int:
    return db.session.scalar(select(func.count()).where(SubsidyClaim.programme_id == programme.id)) or 0


def get(actor, programme_id: int | None) -> SubsidyProgramme:
    """A programme the actor may see: the bureau any, an applicant an open one; else 404."""
    programme = db.session.get(SubsidyProgramme, programme_id) if programme_id and 0 < programme_id <= MAX_ID else None
    if programme is None or not (has_permission(actor, Permission.SUBSIDY_MANAGE) or is_open(programme)):
        raise NotFound(t("No such subsidy programme."))
    return programme


def is_open(programme: SubsidyProgramme) -> bool:
    return programme.open_from <= today_local() <= programme.open_until


def visible(actor) -> list[SubsidyProgramme]:
    """Every programme for the bureau (newest year first); the open ones for an applicant."""
    statement = select(SubsidyProgramme).order_by(SubsidyProgramme.year.desc(), SubsidyProgramme.id)
    if has_permission(actor, Permission.SUBSIDY_MANAGE):
        return list(db.session.scalars(statement))
    if not has_permission(actor, Permission.SUBSIDY_CLAIM):
        raise Forbidden(t("Your role has no access to subsidies."))
    today = today_local()
    return list(
        db.session.scalars(statement.where(SubsidyProgramme.open_from <= today, SubsidyProgramme.open_until >= today))
    )


def totals() -> dict[int, dict[str, Decimal]]:
    """Per programme: the amounts committed (approved or paid), paid, and pending, in one grouped query."""
    rows = db.session.execute(
        select(
            SubsidyClaim.programme_id, SubsidyClaim.status, func.coalesce(func.sum(SubsidyClaim.amount), 0)
        ).group_by(SubsidyClaim.programme_id, SubsidyClaim.status)
    ).all()
    out: dict[int, dict[str, Decimal]] = {}
    for programme_id, status, total in rows:
        entry = out.setdefault(
            programme_id, {"committed": Decimal("0.00"), "paid": Decimal("0.00"), "pending": Decimal("0.00")}
        )
        total = Decimal(total)
        if status in COMMITTED:
            entry["committed"] += total
        if status in ("paid", "pending"):
            entry[status] += total
    return out
