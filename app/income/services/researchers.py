"""The researchers a registered contract names: whose realised income counts towards the title green channel. The
applicant of the contract's organisation names them (the whole list at once); ID numbers are checked here and
shown masked everywhere."""

from __future__ import annotations

from sqlalchemy import delete, select

from app.audit.services import audit
from app.auth.permissions import can_file
from app.domain import workflow
from app.domain.identifiers import mask_id_number, resident_id_status
from app.errors import Conflict, FieldError, Forbidden, ValidationFailed
from app.extensions import db
from app.i18n import t
from app.models import Contract, ContractResearcher

MAX_RESEARCHERS = 30


def for_contract(contract: Contract) -> list[ContractResearcher]:
    """The contract's researchers, in the order they were named."""
    return list(
        db.session.scalars(
            select(ContractResearcher)
            .where(ContractResearcher.contract_id == contract.id)
            .order_by(ContractResearcher.id)
        )
    )


def _checked(rows: list[dict]) -> list[dict]:
    """Each row named, with a valid resident ID number appearing once; every problem reported with its row."""
    errors, seen, cleaned = [], set(), []
    if len(rows) > MAX_RESEARCHERS:
        message = t("At most %(n)s researchers.", n=MAX_RESEARCHERS)
        raise ValidationFailed(message, [FieldError("list.too_long", "researchers", message)])
    for index, row in enumerate(rows):
        name = (row.get("name") or "").strip()
        number = (row.get("id_number") or "").strip().upper()
        role = (row.get("role") or "").strip() or None
        if not name:
            errors.append(FieldError("required", f"researchers.{index}.name", t("Give the researcher's name.")))
        status = resident_id_status(number)
        if status == "check_digit":
            message = t("The ID number's check digit is wrong.")
            errors.append(FieldError("id_number.check_digit", f"researchers.{index}.id_number", message))
        elif status != "valid":
            message = t("The ID number must be an 18-character resident ID.")
            errors.append(FieldError("id_number.malformed", f"researchers.{index}.id_number", message))
        elif number in seen:
            message = t("This researcher is named twice.")
            errors.append(FieldError("researcher.duplicate", f"researchers.{index}.id_number", message))
        seen.add(number)
        cleaned.append({"name": name, "id_number": number, "role": role})
    if errors:
        raise ValidationFailed(errors[0].message, errors)
    return cleaned


def replace(actor, contract: Contract, rows: list[dict]) -> list[ContractResearcher]:
    """Name the contract's researchers: the list given replaces the one before (the applicant of the contract's
    organisation, on a registered contract)."""
    if not can_file(actor, contract):
        raise Forbidden(t("Only an applicant of the contract's organisation names its researchers."))
    if not workflow.allows("record_income", contract.status):
        raise Conflict(t("Researchers are named only on a registered contract."))
    cleaned = _checked(rows or [])
    before = [_masked(r.name, r.id_number, r.role) for r in for_contract(contract)]
    db.session.execute(delete(ContractResearcher).where(ContractResearcher.contract_id == contract.id))
    named = [ContractResearcher(contract_id=contract.id, **row) for row in cleaned]
    db.session.add_all(named)
    db.session.flush()
    after = [_masked(r.name, r.id_number, r.role) for r in named]
    audit.record(
        actor, "contract.researchers", "contract", contract.id, {"researchers": before}, {"researchers": after}
    )
    return named


def _masked(name: str, id_number: str, role: str | None) -> dict:
    return {"name": name, "id_number": mask_id_number(id_number), "role": role}
