"""The researchers a registered contract names: whose realised income counts towards the title green channel. The
applicant of the contract's organisation names them (the whole list at once); ID numbers are checked here and
shown masked everywhere."""

from __future__ import annotations

from sqlalchemy import delete, select

from app.audit.services import audit
from app.auth.permissions import can_file
from app.domain import workflow
from app.domain.identifiers import mask_id_number, resident_id_status
from app.errors import Conflict, FieldError, Forbidden, NotFound, ValidationFailed
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


def _require_filer(actor, contract: Contract) -> None:
    if not can_file(actor, contract):
        raise Forbidden(t("Only an applicant of the contract's organisation names its researchers."))
    if not workflow.allows("record_income", contract.status):
        raise Conflict(t("Researchers are named only on a registered contract."))


def replace(actor, contract: Contract, rows: list[dict]) -> list[ContractResearcher]:
    """Name the contract's researchers: the list given replaces the one before (the applicant of the contract's
    organisation, on a registered contract)."""
    _require_filer(actor, contract)
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


def add(actor, contract: Contract, name: str | None, id_number: str | None, role: str | None) -> ContractResearcher:
    """Name one more researcher (the page's form: the ID numbers already named are never shown in clear, so the
    page adds and removes one at a time)."""
    _require_filer(actor, contract)
    named = for_contract(contract)
    rows = [{"name": r.name, "id_number": r.id_number, "role": r.role} for r in named]
    cleaned = _checked([*rows, {"name": name, "id_number": id_number, "role": role}])[-1]
    researcher = ContractResearcher(contract_id=contract.id, **cleaned)
    db.session.add(researcher)
    db.session.flush()
    audit.record(actor, "contract.researcher_added", "contract", contract.id, None, _masked(**cleaned))
    return researcher


def remove(actor, contract: Contract, researcher_id: int) -> None:
    """Remove a researcher from the contract (a 404 for one it does not name)."""
    _require_filer(actor, contract)
    researcher = next((r for r in for_contract(contract) if r.id == researcher_id), None)
    if researcher is None:
        raise NotFound(t("No such researcher."))
    audit.record(
        actor,
        "contract.researcher_removed",
        "contract",
        contract.id,
        _masked(researcher.name, researcher.id_number, researcher.role),
        None,
    )
    db.session.delete(researcher)
    db.session.flush()
