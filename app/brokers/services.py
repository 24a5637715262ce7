"""The bureau's registry of technology brokers and managers: register, change standing, list with their contracts'
amounts, and the check of the brokers a filing names."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import Select, false, func, or_, select

from app.audit.services import audit
from app.auth.permissions import Permission, has_permission
from app.domain import brokers as rules
from app.domain.clock import today_local
from app.domain.identifiers import credit_code_status, mask_id_number, resident_id_status
from app.errors import Conflict, FieldError, Forbidden, NotFound, ValidationFailed
from app.extensions import db
from app.i18n import t
from app.models import Broker, Contract, contract_brokers

REGISTERED = "registered"
CENT = Decimal("0.01")


def _require_bureau(actor) -> None:
    if not has_permission(actor, Permission.BROKER_MANAGE):
        raise Forbidden(t("Only the science bureau manages technology brokers."))


def describe(broker: Broker) -> dict:
    """A broker as the audit log records it: the ID number masked."""
    return {
        "id": broker.id,
        "kind": broker.kind,
        "name": broker.name,
        "id_number": mask_id_number(broker.id_number),
        "organisation": broker.organisation_name,
        "organisation_credit_code": broker.organisation_credit_code,
        "certificate_no": broker.certificate_no,
        "qualified_on": broker.qualified_on,
        "status": broker.status,
    }


def _input_errors(data: dict) -> list[FieldError]:
    """The ID number must be a valid resident ID, the organisation's code (when given) a valid credit code, the
    qualification date not in the future."""
    errors = [
        FieldError("required", name, t("This field is required."))
        for name in ("name", "certificate_no")
        if not _clean(data.get(name))
    ]
    id_status = resident_id_status(data.get("id_number"))
    if id_status != "valid":
        errors.append(FieldError(f"id_number.{id_status}", "id_number", t("Enter a valid resident ID number.")))
    code = data.get("organisation_credit_code")
    if code and credit_code_status(code) != "valid":
        message = t("Enter a valid unified social credit code.")
        errors.append(FieldError("credit_code.invalid", "organisation_credit_code", message))
    qualified_on = data.get("qualified_on")
    if qualified_on is not None and qualified_on > today_local():
        message = t("The qualification date may not be in the future.")
        errors.append(FieldError("qualified_on.future", "qualified_on", message))
    return errors


def _clean(value: str | None, upper: bool = False) -> str | None:
    value = (value or "").strip()
    return (value.upper() if upper else value) or None


def register(actor, data: dict) -> Broker:
    """Register a broker or manager under a qualification certificate; a certificate registered before is a 409."""
    _require_bureau(actor)
    data = {
        **data,
        "id_number": _clean(data.get("id_number"), upper=True),
        "organisation_credit_code": _clean(data.get("organisation_credit_code"), upper=True),
    }
    errors = _input_errors(data)
    if errors:
        raise ValidationFailed(t("The broker's details are not valid."), errors)
    certificate_no = _clean(data.get("certificate_no"), upper=True)
    if db.session.scalar(select(Broker.id).where(Broker.certificate_no == certificate_no)) is not None:
        raise Conflict(
            t("A broker with certificate %(number)s is already registered.", number=certificate_no),
            [FieldError("certificate_no.taken", "certificate_no", t("This certificate is already registered."))],
        )
    broker = Broker(
        kind=data.get("kind") or "broker",
        name=_clean(data.get("name")),
        id_number=data["id_number"],
        organisation_name=_clean(data.get("organisation")),
        organisation_credit_code=data["organisation_credit_code"],
        certificate_no=certificate_no,
        qualified_on=data.get("qualified_on"),
        status="active",
        created_by_id=getattr(actor, "id", None),
    )
    db.session.add(broker)
    db.session.flush()
    audit.record(actor, "broker.register", "broker", broker.id, None, describe(broker))
    return broker


def change_status(actor, broker: Broker, status: str, note: str | None = None) -> Broker:
    """Suspend, reinstate or revoke a broker (revocation is final); the filings already naming them keep them."""
    _require_bureau(actor)
    if not rules.may_move(broker.status, status):
        raise Conflict(
            t("A broker in status %(current)s cannot become %(target)s.", current=broker.status, target=status)
        )
    before = {"status": broker.status}
    broker.status = status
    db.session.flush()
    audit.record(actor, "broker.status", "broker", broker.id, before, {"status": status, "note": note})
    return broker


def load(actor, broker_id: int) -> Broker:
    """One broker, for the bureau (a 404 when there is none)."""
    _require_bureau(actor)
    broker = db.session.get(Broker, broker_id)
    if broker is None:
        raise NotFound(t("No such technology broker."))
    return broker


@dataclass
class BrokerFilters:
    """What the registry may be narrowed by."""

    status: str | None = None
    kind: str | None = None
    q: str | None = None


def _filtered(actor, filters: BrokerFilters) -> Select:
    """The brokers the actor may list: the bureau all of them, anyone else the active ones (to name on a filing)."""
    query = select(Broker)
    status = filters.status
    if not has_permission(actor, Permission.BROKER_MANAGE):
        if status not in (None, "active"):  # suspended and revoked brokers are the bureau's business
            return query.where(false())
        status = "active"
    if status:
        query = query.where(Broker.status == status)
    if filters.kind:
        query = query.where(Broker.kind == filters.kind)
    if filters.q and filters.q.strip():
        pattern = f"%{filters.q.strip()}%"
        query = query.where(
            or_(Broker.name.like(pattern), Broker.certificate_no.like(pattern), Broker.organisation_name.like(pattern))
        )
    return query


def list_brokers(actor, filters: BrokerFilters, limit: int = 100, offset: int = 0) -> list[Broker]:
    """A page of the registry, by name."""
    query = _filtered(actor, filters).order_by(Broker.name, Broker.id).limit(limit).offset(offset)
    return list(db.session.scalars(query))


@dataclass(frozen=True)
class BrokerRow:
    """A broker with the filings naming them and the amounts of those registered."""

    broker: Broker
    filings: int
    registered: int
    amount: Decimal
    technical_amount: Decimal


def _money(value) -> Decimal:
    return Decimal(str(value or 0)).quantize(CENT)


def overview(actor, filters: BrokerFilters) -> list[BrokerRow]:
    """The bureau's registry with, per broker, the filings that name them (drafts left out) and the count, contract
    amount and technical amount (as certified, else as filed) of the registered ones, in one aggregate query."""
    _require_bureau(actor)
    chosen = _filtered(actor, filters).with_only_columns(Broker.id).subquery()
    registered = Contract.status == REGISTERED
    technical = func.coalesce(Contract.certified_technical_amount, Contract.technical_amount)
    query = (
        select(
            Broker,
            func.count(Contract.id),
            func.count(Contract.id).filter(registered),
            func.sum(Contract.amount).filter(registered),
            func.sum(technical).filter(registered),
        )
        .join(chosen, chosen.c.id == Broker.id)
        .outerjoin(contract_brokers, contract_brokers.c.broker_id == Broker.id)
        .outerjoin(Contract, (Contract.id == contract_brokers.c.contract_id) & (Contract.status != "draft"))
        .group_by(Broker.id)
        .order_by(Broker.name, Broker.id)
    )
    return [
        BrokerRow(broker, filings, count, _money(amount), _money(technical_amount))
        for broker, filings, count, amount, technical_amount in db.session.execute(query)
    ]


def contracts_of(broker: Broker, page: int = 1, size: int = 20) -> tuple[list[Contract], int]:
    """The filings naming the broker (drafts left out), newest first, one page of them, and how many there are."""
    base = (
        select(Contract)
        .join(contract_brokers, contract_brokers.c.contract_id == Contract.id)
        .where(contract_brokers.c.broker_id == broker.id, Contract.status != "draft")
    )
    total = db.session.scalar(select(func.count()).select_from(base.subquery())) or 0
    rows = db.session.scalars(base.order_by(Contract.id.desc()).limit(size).offset((max(page, 1) - 1) * size))
    return list(rows), total


def active_count() -> int:
    """How many brokers and managers are active: what the plan's target of 60 is measured by."""
    return db.session.scalar(select(func.count()).select_from(Broker).where(Broker.status == "active")) or 0


# ---- the brokers a filing names ---------------------------------------------------------------------------


def named_for_filing(ids: list[int], already: list[Broker]) -> list[Broker]:
    """The brokers the ids name: each at most once, each active or already named on this filing (a filing keeps a
    broker suspended after it was named). Errors carry the position ("brokers.1")."""
    kept = {broker.id for broker in already}
    found = {b.id: b for b in db.session.scalars(select(Broker).where(Broker.id.in_(set(ids))))} if ids else {}
    errors, named, seen = [], [], set()
    for index, broker_id in enumerate(ids):
        broker = found.get(broker_id)
        if broker_id in seen:
            errors.append(FieldError("broker.duplicate", f"brokers.{index}", t("This broker is named twice.")))
        elif broker is None or (broker.status != "active" and broker_id not in kept):
            message = t("No active technology broker has this id.")
            errors.append(FieldError("broker.not_active", f"brokers.{index}", message))
        else:
            named.append(broker)
        seen.add(broker_id)
    if len(ids) > rules.MAX_PER_CONTRACT:
        errors.append(FieldError("list.too_long", "brokers", t("Too many entries.")))
    if errors:
        raise ValidationFailed(t("The technology brokers named are not valid."), errors)
    return sorted(named, key=lambda broker: broker.id)  # the order the contract lists them in once loaded


def filing_choices(contract: Contract | None) -> list[Broker]:
    """The brokers a filing form offers: the active ones, and those the filing already names."""
    named = [b.id for b in contract.brokers] if contract is not None else []
    condition = Broker.status == "active"
    if named:
        condition = or_(condition, Broker.id.in_(named))
    return list(db.session.scalars(select(Broker).where(condition).order_by(Broker.name, Broker.id)))
