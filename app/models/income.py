"""Technical-income verification (技术性收入核定): income received under a registered contract per period, its
costs, the technical income the station fixes, and the researchers the contract names."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.domain.income import COST_KINDS
from app.models.account import User
from app.models.base import Base, utcnow
from app.models.contract import Contract

# submitted: waits for the station; proposed: verified once, waits for a second reviewer (four eyes); verified.
INCOME_STATUSES = ("submitted", "proposed", "verified")
PENDING_INCOME = ("submitted", "proposed")


def _in(column: str, values) -> str:
    return f"{column} IN (%s)" % ", ".join(f"'{v}'" for v in values)


class IncomeRecord(Base):
    """The income the applicant declares for one period and, once verified, the technical income the station fixed
    (by whom, when; and the second reviewer's approval where the four-eyes rule asks for one). The signed 核定表 is
    made on its first download and kept by its SHA-256."""

    __tablename__ = "income_records"
    __table_args__ = (
        CheckConstraint(_in("status", INCOME_STATUSES), name="status"),
        CheckConstraint("period_to >= period_from", name="period"),
        Index("ix_income_records_contract_id_period_from", "contract_id", "period_from"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id", ondelete="CASCADE"))
    period_from: Mapped[date]
    period_to: Mapped[date]
    received: Mapped[Decimal]
    note: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="submitted", index=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    technical_income: Mapped[Decimal | None]
    verify_note: Mapped[str | None] = mapped_column(Text)
    review_reasons: Mapped[list] = mapped_column(JSON, default=list)  # codes of app.domain.four_eyes.REASONS
    verified_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    verified_at: Mapped[datetime | None]
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # the second reviewer
    approved_at: Mapped[datetime | None]
    sheet_sha256: Mapped[str | None] = mapped_column(String(64))  # the signed 核定表, once made
    sheet_size: Mapped[int | None]

    contract: Mapped[Contract] = relationship()
    created_by: Mapped[User] = relationship(foreign_keys=[created_by_id])
    verified_by: Mapped[User | None] = relationship(foreign_keys=[verified_by_id])
    approved_by: Mapped[User | None] = relationship(foreign_keys=[approved_by_id])
    costs: Mapped[list[IncomeCost]] = relationship(
        back_populates="record", cascade="all, delete-orphan", order_by="IncomeCost.id"
    )

    @property
    def total_costs(self) -> Decimal:
        """The declared costs, together."""
        return sum((c.amount for c in self.costs), Decimal("0.00"))

    @property
    def declared_technical_income(self) -> Decimal:
        """The income received minus the declared costs: what the applicant's figures give."""
        return self.received - self.total_costs

    @property
    def awaits_second_approval(self) -> bool:
        return self.status == "proposed"


class IncomeCost(Base):
    """One cost row of an income record."""

    __tablename__ = "income_costs"
    __table_args__ = (
        CheckConstraint(_in("kind", COST_KINDS), name="kind"),
        CheckConstraint("amount >= 0", name="amount"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    record_id: Mapped[int] = mapped_column(ForeignKey("income_records.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    amount: Mapped[Decimal]

    record: Mapped[IncomeRecord] = relationship(back_populates="costs")


class ContractResearcher(Base):
    """A researcher the contract names (whose realised income counts towards the title green channel); the ID
    number is checked when named and shown masked everywhere."""

    __tablename__ = "contract_researchers"
    __table_args__ = (
        UniqueConstraint("contract_id", "id_number"),
        Index("ix_contract_researchers_id_number", "id_number"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(60))
    id_number: Mapped[str] = mapped_column(String(18))
    role: Mapped[str | None] = mapped_column(String(60))

    contract: Mapped[Contract] = relationship()
