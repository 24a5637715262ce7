"""Subsidy programmes of the city's special fund (市级财政专项补贴) and the claims on them."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Numeric, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.domain.subsidies import BASES, BENEFICIARIES, CLAIM_STATUSES, KNOWN_CHECKS
from app.models.account import User
from app.models.base import Base, utcnow


def _in(column: str, values: tuple[str, ...]) -> str:
    return "%s IN (%s)" % (column, ", ".join(f"'{v}'" for v in values))


class SubsidyProgramme(Base):
    """A programme the bureau defines: who benefits, on which amount, at which rate, within which caps and budget,
    for which categories (empty: all), claimable from `open_from` to `open_until`, on registrations of `year`."""

    __tablename__ = "subsidy_programmes"
    __table_args__ = (
        CheckConstraint(_in("beneficiary", tuple(BENEFICIARIES)), name="beneficiary"),
        CheckConstraint(_in("basis", tuple(BASES)), name="basis"),
        CheckConstraint("rate > 0 AND rate <= 1", name="rate"),
        CheckConstraint("open_from <= open_until", name="window"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    year: Mapped[int]
    beneficiary: Mapped[str] = mapped_column(String(16))
    basis: Mapped[str] = mapped_column(String(24))
    rate: Mapped[Decimal] = mapped_column(Numeric(9, 6, asdecimal=True))  # a fraction: 0.001 is 1 ‰
    cap_per_contract: Mapped[Decimal | None]
    cap_per_organisation_year: Mapped[Decimal | None]
    budget: Mapped[Decimal]
    categories: Mapped[list] = mapped_column(JSON, default=list)  # category codes; empty: every category
    open_from: Mapped[date]
    open_until: Mapped[date]
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    created_by: Mapped[User] = relationship()


class SubsidyClaim(Base):
    """A claim of one beneficiary on one programme for one registration: a local registration (`contract_id`) or
    one of another registry (`external`, with that registry's certificate file and the facts the claimant declared).
    The unique constraint is the last guard against paying a registration twice to the same beneficiary."""

    __tablename__ = "subsidy_claims"
    __table_args__ = (
        UniqueConstraint(
            "programme_id", "registration_number", "beneficiary_credit_code", name="uq_subsidy_claims_once"
        ),
        CheckConstraint(_in("status", tuple(CLAIM_STATUSES)), name="status"),
        CheckConstraint(_in("beneficiary_role", tuple(BENEFICIARIES)), name="beneficiary_role"),
        CheckConstraint("certificate_check IS NULL OR " + _in("certificate_check", KNOWN_CHECKS), name="check"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("subsidy_programmes.id"), index=True)
    contract_id: Mapped[int | None] = mapped_column(ForeignKey("contracts.id"), index=True)
    registration_number: Mapped[str] = mapped_column(String(40))
    beneficiary_credit_code: Mapped[str] = mapped_column(String(18), index=True)
    beneficiary_name: Mapped[str] = mapped_column(String(200))
    beneficiary_role: Mapped[str] = mapped_column(String(16))
    category: Mapped[str | None] = mapped_column(String(16))
    registered_on: Mapped[date | None]
    basis_amount: Mapped[Decimal]
    amount: Mapped[Decimal]
    status: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    rejection_reason: Mapped[str | None] = mapped_column(Text)
    # set when the registration was cancelled or revoked: not payable until the bureau clears or rejects it
    flagged: Mapped[bool] = mapped_column(default=False, server_default=false())
    flag_reason: Mapped[str | None] = mapped_column(Text)
    flagged_at: Mapped[datetime | None]
    # a registration of another registry: its name, the certificate file and the result of its signature check
    external: Mapped[bool] = mapped_column(default=False, server_default=false())
    external_registry: Mapped[str | None] = mapped_column(String(200))
    certificate_sha256: Mapped[str | None] = mapped_column(String(64))
    certificate_filename: Mapped[str | None] = mapped_column(String(255))
    certificate_check: Mapped[str | None] = mapped_column(String(16))
    certificate_reason: Mapped[str | None] = mapped_column(Text)
    certificate_signer: Mapped[str | None] = mapped_column(String(500))
    claimed_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # who approved or rejected
    decided_at: Mapped[datetime | None]
    paid_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    paid_at: Mapped[datetime | None]
    cleared_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # who lifted the flag
    cleared_at: Mapped[datetime | None]

    programme: Mapped[SubsidyProgramme] = relationship()
    claimed_by: Mapped[User] = relationship(foreign_keys=[claimed_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
    paid_by: Mapped[User | None] = relationship(foreign_keys=[paid_by_id])
    cleared_by: Mapped[User | None] = relationship(foreign_keys=[cleared_by_id])
