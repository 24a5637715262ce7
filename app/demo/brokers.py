"""Demo technology brokers: a few registered through the brokers' service, and linked to brokered registrations."""

from __future__ import annotations

from datetime import date

from sqlalchemy import exists, insert, select

from app.brokers import services as brokers
from app.domain.identifiers import credit_code_status, resident_id_status
from app.extensions import db
from app.models import Broker, Contract, ContractOtherParty, User, contract_brokers

RESIDENT_ID_CHECKS = "0123456789X"
CREDIT_CODE_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
LINKED_REGISTRATIONS = 60  # brokered registrations of the synthetic data given a demo broker


def complete_resident_id(first17: str) -> str:
    """The 18-character resident ID whose check character fits these 17 digits (test and demo numbers)."""
    return next(first17 + c for c in RESIDENT_ID_CHECKS if resident_id_status(first17 + c) == "valid")


def _credit_code(first17: str) -> str:
    return next(first17 + c for c in CREDIT_CODE_CHARS if credit_code_status(first17 + c) == "valid")


# (kind, name, first 17 digits of the ID number, organisation, first 17 of its credit code, certificate, qualified)
DEMO_BROKERS = (
    (
        "broker",
        "刘晓峰",
        "13040219850312051",
        "邯郸市技术转移中心",
        "12130400MB0T00001",
        "JSJJR-2024-130400-0012",
        "2024-06-18",
    ),
    (
        "broker",
        "陈佳怡",
        "13040319900726082",
        "河北工程大学技术转移中心",
        "12130400MB1600001",
        "JSJJR-2024-130400-0027",
        "2024-06-18",
    ),
    (
        "manager",
        "王建国",
        "13040619780109153",
        "冀南新区科技成果转化服务中心",
        "12130473MB0K00003",
        "JSJLR-2025-130400-0003",
        "2025-03-21",
    ),
    (
        "broker",
        "赵雅琴",
        "13042519921115064",
        "邯郸创新技术经纪有限公司",
        "91130402MA0JJ0005",
        "JSJJR-2025-130400-0041",
        "2025-03-21",
    ),
    (
        "manager",
        "孙立伟",
        "13048119830430035",
        "武安市生产力促进中心",
        "12130481MB0W00002",
        "JSJLR-2025-130400-0009",
        "2025-09-10",
    ),
    (
        "broker",
        "周敏",
        "13040419951208028",
        "邯郸创新技术经纪有限公司",
        "91130402MA0JJ0005",
        "JSJJR-2026-130400-0058",
        "2026-04-15",
    ),
)


def seed_brokers(bureau: User) -> list[Broker]:
    """The demo brokers, registered by the bureau unless their certificates already are; the last one suspended."""
    present = set(db.session.scalars(select(Broker.certificate_no)))
    made = []
    for kind, name, id17, organisation, code17, certificate, qualified in DEMO_BROKERS:
        if certificate in present:
            continue
        data = {
            "kind": kind,
            "name": name,
            "id_number": complete_resident_id(id17),
            "organisation": organisation,
            "organisation_credit_code": _credit_code(code17),
            "certificate_no": certificate,
            "qualified_on": date.fromisoformat(qualified),
        }
        made.append(brokers.register(bureau, data))
    if made and made[-1].certificate_no == DEMO_BROKERS[-1][5]:
        brokers.change_status(bureau, made[-1], "suspended", "演示：资格复核期间暂停")
    link_brokered()
    return made


def link_brokered(limit: int = LINKED_REGISTRATIONS) -> int:
    """Give the registrations with an intermediary party (brokered deals) a demo broker each, round the active
    demo brokers, unless some filing already names a broker. Returns how many were linked."""
    if db.session.scalar(select(exists().select_from(contract_brokers))):
        return 0
    certificates = [row[5] for row in DEMO_BROKERS]
    active = list(
        db.session.scalars(
            select(Broker.id)
            .where(Broker.certificate_no.in_(certificates), Broker.status == "active")
            .order_by(Broker.id)
        )
    )
    if not active:
        return 0
    brokered = (
        select(Contract.id)
        .where(
            Contract.status == "registered",
            exists().where(ContractOtherParty.contract_id == Contract.id, ContractOtherParty.role == "intermediary"),
        )
        .order_by(Contract.id)
        .limit(limit)
    )
    rows = [
        {"contract_id": cid, "broker_id": active[i % len(active)]} for i, cid in enumerate(db.session.scalars(brokered))
    ]
    if rows:
        db.session.execute(insert(contract_brokers), rows)
    return len(rows)
